"""A team brings its 15-row RACI sheet, maps it with the suggestions (all at once after a
preview, then one by keyboard), and the dashboard reads it: coverage above 0 and no
ownership step for work that has an owner."""

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from frameworks.models import Element
from responsibilities.models import Workspace
from tests.browser.test_workspace_matrix import log_in

# Set to a folder to keep screenshots of the page at desktop and phone widths, to look at.
SCREENSHOTS = os.environ.get("PMMHUB_SCREENSHOTS", "")

SHEET = """Activity,Product Manager,Product Marketing,Marketing,Sales
Launch planning,C,A/R,R,I
Competitive battlecards,C,A/R,,C
Pricing and packaging,A/R,C,,C
Sales enablement deck,I,A/R,C,C
Analyst briefings,C,A/R,I,
Customer case studies,,A,R,C
Website product pages,I,R,A,
Win/loss interviews,C,A/R,,C
Persona research,C,A/R,I,
Roadmap prioritisation,A/R,C,,I
Release notes,A/R,C,I,I
Press release,I,R,A,
Webinars,,R,A/R,I
ICP definition,C,A/R,C,C
Onboarding emails,,C,A/R,
"""


def import_sheet(page: Page, site: str, name: str):
    page.goto(site + "/workspaces/import/")
    page.get_by_label("File").set_input_files(
        files=[{"name": "raci.csv", "mimeType": "text/csv", "buffer": SHEET.encode()}]
    )
    page.get_by_label("Workspace name").fill(name)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.get_by_role("heading", name=re.compile("^Preview"))).to_be_visible()
    # The import could map with suggestions itself; here the mapping page does it.
    page.get_by_role("checkbox", name=re.compile("^Map with suggestions")).uncheck()
    page.get_by_role("button", name="Create this workspace").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def row(page: Page, activity: str):
    return page.locator(".mapping-table tbody tr").filter(has=page.get_by_role("link", name=activity, exact=True))


def screenshot(page: Page, name: str, *, full_page=True):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/mapping-{name}.png", full_page=full_page)


def test_a_sheet_imported_and_mapped_with_suggestions_gets_coverage_and_honest_steps(page: Page, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, site, "mapper")
    import_sheet(page, site, "Launch team")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Mapping").click()
    expect(page.get_by_role("heading", name="Map your activities onto a framework")).to_be_visible()
    # Everything is unmapped: all 15 are listed, each with suggestions and why.
    expect(page.locator(".mapping-table tbody tr")).to_have_count(15)
    expect(row(page, "Competitive battlecards").locator(".why").first).to_contain_text("matched:")
    screenshot(page, "desktop-unmapped")

    # Accept all at 0.5 or above: a preview first, nothing written until confirmed.
    page.get_by_role("link", name=re.compile("Accept all at 0.5 or above")).click()
    heading = page.get_by_role("heading", name=re.compile(r"^Accept \d+ suggestions? at 0.5 or above\?"))
    expect(heading).to_be_visible()
    accepted = int(re.search(r"\d+", heading.inner_text()).group())
    expect(page.get_by_role("checkbox")).to_have_count(accepted)
    workspace = Workspace.objects.get(name="Launch team")
    assert not workspace.activities.filter(elements__isnull=False).exists()
    screenshot(page, "desktop-preview")
    page.get_by_role("button", name="Accept the ticked suggestions").click()

    undo = page.get_by_role("button", name="Undo this batch")
    expect(undo).to_be_visible()
    expect(page.get_by_role("heading", name=f"Accepted together: {accepted} suggestion{'s' if accepted != 1 else ''}")).to_be_visible()
    assert workspace.activities.filter(elements__isnull=False).distinct().count() == accepted

    # One more by keyboard: a suggestion is a real button; the row is swapped in place and
    # focus lands on the new mapping's remove button.
    page.evaluate("window.notReloaded = true")
    page.get_by_role("radio", name="all activities").check()
    expect(page.locator(".mapping-table tbody tr")).to_have_count(15)
    target_row = page.locator(".mapping-table tbody tr").filter(has=page.locator(".choice-button")).first
    row_id = target_row.get_attribute("id")
    choice = target_row.locator(".choice-button").first
    element_name = choice.evaluate("button => button.lastChild.textContent.trim()")
    choice.focus()
    page.keyboard.press("Enter")
    new_row = page.locator(f"#{row_id}")
    expect(new_row.locator(".chip").filter(has_text=element_name)).to_be_visible()
    expect(new_row.get_by_role("button", name=re.compile(f"^Remove the mapping of .* to {re.escape(element_name)}$"))).to_be_focused()
    expect(page.locator("#mapping-status")).to_contain_text(f"to {element_name}.")
    assert page.evaluate("window.notReloaded") is True
    screenshot(page, "desktop-after-one")

    # The undo survives a reload.
    page.reload()
    expect(page.get_by_role("button", name="Undo this batch")).to_be_visible()

    # On a phone the rows stack; the page still shows every part of a row.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(row(page, "Launch planning").locator(".chip").first).to_be_visible()
    screenshot(page, "phone")
    screenshot(page, "phone-top", full_page=False)
    row(page, "Competitive battlecards").scroll_into_view_if_needed()
    screenshot(page, "phone-rows", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # The dashboard now reads the team's work: coverage above 0 for Read ...
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Dashboard").click()
    read_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="The essential product marketing activities"))
    covered = int(re.search(r"(\d+)/\d+", read_row.get_by_role("cell").first.inner_text()).group(1))
    assert covered > 0
    # ... and no ownership step for work that has an owner: every row of the sheet has an A,
    # and no "decide who does" for an element the team's mapped work already does.
    roadmap = page.locator("ol.roadmap")
    expect(roadmap).to_be_visible()
    expect(roadmap).not_to_contain_text("Name one owner for")
    mapped = set(Element.objects.filter(activities__workspace=workspace, framework__slug="read").values_list("name", flat=True))
    assert "Launch" in mapped
    steps = set(roadmap.locator("li > a").all_inner_texts())
    assert not {f"Decide who does {name}" for name in mapped} & steps, steps
    assert errors == [], errors


def test_the_mapping_page_works_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, "nojs")
    import_sheet(page, site, "Plain team")
    page.goto(page.url + "mapping/")
    first = page.locator(".mapping-table tbody tr").first
    name = first.get_by_role("link").first.inner_text()
    first.locator(".choice-button").first.click()
    # A plain POST, then back to the same place with a message.
    expect(page.locator(".messages")).to_contain_text(f"Mapped {name} to ")
    assert "#activity-" in page.url
    page.get_by_role("link", name=re.compile("Accept all at 0.5 or above")).click()
    page.get_by_role("button", name="Accept the ticked suggestions").click()
    page.get_by_role("button", name="Undo this batch").click()
    expect(page.locator(".messages")).to_contain_text("Undid the batch")
    context.close()
