"""A PMM lead opens Staffing: first the empty state, then, with hours and an assessment, the
bars, the unassigned work and the priorities, at desktop and phone widths; axe on each."""

import os
import re
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect

from frameworks.models import Element
from responsibilities.models import Activity, Assessment, Person, Workspace
from tests.browser.test_accessibility import violations
from tests.browser.test_workspace_matrix import start_workspace

# Set to a folder to keep screenshots of the page at desktop and phone widths, to look at.
SCREENSHOTS = os.environ.get("PMMHUB_SCREENSHOTS", "")


def screenshot(page: Page, name: str):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/staffing-{name}.png", full_page=True)


def size_the_work(workspace: Workspace):
    """Hours on every activity (the last one with nobody holding R or A), two people, one
    holding two roles, and two assessed elements."""
    activities = list(workspace.activities.order_by("position"))
    for i, activity in enumerate(activities):
        activity.hours = Decimal(str([12, 20, 6.5, 30][i % 4]))
        activity.save()
    activities[-1].assignments.filter(letters__in=["R", "A", "A/R"]).delete()
    roles = list(workspace.roles.order_by("position"))
    Person.objects.create(workspace=workspace, name="Dana").roles.set(roles[:2])
    Person.objects.create(workspace=workspace, name="Eli").roles.set(roles[1:2])
    for code, importance, performance in (("pricing", 5, 2), ("launch", 4, 3)):
        Assessment.objects.create(
            workspace=workspace, element=Element.objects.get(framework__slug="read", code=code),
            importance=importance, performance=performance,
        )
    return activities[-1].name


def test_the_staffing_page_from_empty_to_sized_at_desktop_and_phone_widths(browser, site):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page: Page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    start_workspace(page, site, "lead", "Staffing team")
    # The starter's illustrative hours and assessments, taken away: first a team without any.
    Activity.objects.filter(workspace__name="Staffing team").update(hours=None)
    Assessment.objects.filter(workspace__name="Staffing team").delete()
    found = {}

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Staffing").click()
    expect(page.get_by_role("heading", name="No activity has hours yet")).to_be_visible()
    expect(page.get_by_role("link", name="Activities").last).to_be_visible()
    found["empty"] = violations(page)
    screenshot(page, "empty-1440")

    unowned = size_the_work(Workspace.objects.get(name="Staffing team"))
    page.reload()
    bars = page.get_by_role("img", name=re.compile(r"^needs [\d.]+ people, has [\d.]+$"))
    expect(bars.first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Unassigned: [\d.]+ hours a month$"))).to_be_visible()
    expect(page.get_by_role("link", name=unowned, exact=True)).to_be_visible()
    priorities = page.locator(".priorities-table tbody tr")
    expect(priorities.first.get_by_role("rowheader")).to_have_text("Pricing")
    found["sized"] = violations(page)
    screenshot(page, "1440")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(bars.first).to_be_visible()
    # Cards on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    found["phone"] = violations(page)
    screenshot(page, "390")

    page.get_by_role("link", name=unowned, exact=True).click()
    expect(page.get_by_role("heading", name=unowned)).to_be_visible()
    context.close()
    assert {name: issues for name, issues in found.items() if issues} == {}
    assert errors == [], errors
