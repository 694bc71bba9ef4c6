"""A newcomer browses the framework library and compares two frameworks."""

import re

from playwright.sync_api import Page, expect


def test_browse_to_a_framework_then_compare_two(page: Page, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(site + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Frameworks").click()
    expect(page.get_by_role("heading", name="Framework library")).to_be_visible()

    page.get_by_role("link", name="The Pragmatic Framework").click()
    expect(page.get_by_role("heading", name="Market", exact=True)).to_be_visible()
    expect(page.locator(".citation")).to_contain_text("Pragmatic Institute, “The Pragmatic Framework")
    expect(page.get_by_text("Also called: battlecards", exact=False)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(re.compile(r"\bseed\b|\d{3}_[0-9a-f]{8,}\.txt", re.I))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Crosswalk").click()
    expect(page.locator("#comparison")).to_contain_text("Equivalent")

    # Changing a select swaps the comparison in place (htmx) and updates the address.
    page.get_by_label("Left framework").select_option("pmm-vs-marcom")
    expect(page.locator("#comparison h2")).to_contain_text("Product marketing vs")
    expect(page).to_have_url(re.compile(r"left=pmm-vs-marcom"))
    expect(page.locator("#comparison")).to_contain_text("Buyer profiles")
    assert errors == [], errors


def test_the_library_reads_on_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(site + "/frameworks/read/")
    expect(page.get_by_role("heading", name="Launch", exact=True)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways on a phone ({width}px)"
    context.close()
