"""A lead sizes an activity in the activity list and assesses an element from the lens, by
keyboard alone, without a page load; a refused value says why where it was typed."""

import os
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from frameworks.models import Element
from responsibilities.models import Assessment, Workspace
from tests.browser.test_workspace_matrix import start_workspace

# Set to a folder to keep screenshots of the pages at desktop and phone widths, to look at.
SCREENSHOTS = os.environ.get("PMMHUB_SCREENSHOTS", "")


def screenshot(page: Page, name: str):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        for width in (1440, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SCREENSHOTS}/staffing-editing-{name}-{width}.png")
        page.set_viewport_size({"width": 1440, "height": 900})


def test_hours_in_place_and_an_assessment_from_the_lens_by_keyboard(page: Page, site):
    start_workspace(page, site, "lead", "Staffed team")
    workspace = Workspace.objects.get(name="Staffed team")
    page.goto(f"{site}/w/{workspace.public_id}/activities/")
    page.evaluate("window.notReloaded = true")
    # htmx restores focus at once but wires the swapped-in form up when it settles (20 ms):
    # a keypress in between would submit it as a plain form. Count settles to wait for them.
    page.evaluate("document.body.addEventListener('htmx:afterSettle', () => { window.settled = (window.settled || 0) + 1 })")

    hours = page.get_by_label("Hours per month for Brand, look and feel")
    hours.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("-3")
    page.keyboard.press("Enter")
    refused = page.locator(".hours-form").filter(has=page.get_by_label("Hours per month for Brand, look and feel"))
    expect(refused.get_by_role("status")).to_contain_text("is negative; hours are 0 or more")
    expect(page.get_by_label("Hours per month for Brand, look and feel")).to_be_focused()
    expect(page.get_by_label("Hours per month for Brand, look and feel")).to_have_attribute("aria-invalid", "true")
    page.wait_for_function("window.settled >= 1")

    page.keyboard.press("Control+A")
    page.keyboard.type("12.5")
    page.keyboard.press("Enter")
    expect(refused.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_label("Hours per month for Brand, look and feel")).to_be_focused()
    assert workspace.activities.get(name="Brand, look and feel").hours == Decimal("12.5")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "activities")

    page.goto(f"{site}/w/{workspace.public_id}/lens/?framework=read")
    page.evaluate("window.notReloaded = true")
    page.locator("#readpricing").get_by_role("link", name="Pricing").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Assess Pricing")).to_be_focused()
    page.keyboard.press("Tab")  # into "how much it matters": 1
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 4 — very important
    expect(page.get_by_role("radio", name="4 — very important")).to_be_checked()
    page.keyboard.press("Tab")  # into "how well the team does it now": 1
    page.keyboard.press("ArrowRight")  # 2 — poorly
    expect(page.get_by_role("radio", name="2 — poorly")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save the assessment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#assessment").get_by_role("status")).to_contain_text("Assessed Pricing.")
    expect(page.locator("#readpricing .assessed")).to_have_text("importance 4 · performance 2")
    assert page.evaluate("window.notReloaded") is True
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    assert Assessment.objects.filter(workspace=workspace, element=pricing).values_list("importance", "performance").get() == (4, 2)
    screenshot(page, "lens")
