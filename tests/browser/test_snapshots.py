"""A PMM lead takes a snapshot, changes a cell, and compares the snapshot with now: the change
is listed and the coverage chart is drawn; the new pages pass axe."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_workspace_matrix import cell, start_workspace


def test_take_a_snapshot_change_a_cell_and_compare_with_now(browser, site):
    # Without the CSP only so that axe can be injected; the pages are the app's own.
    context = browser.new_context(bypass_csp=True)
    page: Page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    start_workspace(page, site, "lead", "Snapshot team")
    found = {}

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Snapshots").click()
    expect(page.get_by_text("No snapshots yet.")).to_be_visible()
    found["empty list"] = violations(page)
    page.get_by_role("textbox", name="Label").fill("Before the review")
    page.get_by_role("button", name="Take snapshot").click()
    expect(page.get_by_text("Took the snapshot “Before the review”")).to_be_visible()
    expect(page.get_by_role("link", name="Before the review")).to_be_visible()

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="RACI matrix").click()
    cell(page, "Brand, look and feel", "Sales").click()
    expect(cell(page, "Brand, look and feel", "Sales")).to_have_text("R")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Snapshots").click()
    chart = page.get_by_role("img", name=re.compile("coverage over time"))
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Before the review:")
    expect(chart.locator("desc")).to_contain_text("Now:")
    found["list"] = violations(page)

    page.get_by_role("link", name="Compare with now").click()
    expect(page.get_by_role("heading", name="Compare two states")).to_be_visible()
    changes = page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="From"))
    row = changes.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Brand, look and feel"))
    expect(row.get_by_role("cell")).to_have_text(["Sales", "—", "R"])
    found["compare"] = violations(page)

    # Another framework, chosen by the plain GET form.
    page.get_by_label("Framework").select_option(label="The Pragmatic Framework")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text(re.compile("through The Pragmatic Framework"))).to_be_visible()

    page.get_by_role("link", name="Snapshots", exact=True).first.click()
    page.get_by_role("link", name="Before the review").click()
    expect(page.get_by_role("heading", name="Snapshot “Before the review”")).to_be_visible()
    found["snapshot"] = violations(page)
    context.close()
    assert {name: issues for name, issues in found.items() if issues} == {}
    assert errors == [], errors
