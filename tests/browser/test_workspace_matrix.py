"""A PMM lead logs in, creates a workspace from a starter, and edits the RACI by mouse and keyboard."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from responsibilities import services
from responsibilities.models import Workspace
from tests.conftest import PASSWORD


def log_in(page: Page, site: str, username: str):
    get_user_model().objects.create_user(username=username, password=PASSWORD)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def start_workspace(page: Page, site: str, username: str, name: str):
    """Log in as a new user and create a workspace from the default starter."""
    log_in(page, site, username)
    page.get_by_role("textbox", name="Workspace name").fill(name)
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()


def cell(page: Page, activity: str, role: str):
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=activity, exact=True))
    return row.get_by_role("button", name=re.compile(rf"^{re.escape(role)}: "))


def test_create_from_a_starter_and_set_cells_by_mouse_and_keyboard(page: Page, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, site, "lead")
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()

    page.get_by_role("textbox", name="Workspace name").fill("Acme product org")
    page.get_by_label("Size", exact=False).and_(page.locator("select")).select_option("enterprise")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Acme product org")).to_be_visible()
    expect(page.get_by_role("link", name="Brand, look and feel")).to_be_visible()

    # Mouse: one click steps an empty cell to R, without a page load.
    page.evaluate("window.notReloaded = true")
    target = cell(page, "Brand, look and feel", "Sales")
    expect(target).to_have_text("")
    target.click()
    expect(cell(page, "Brand, look and feel", "Sales")).to_have_text("R")
    assert page.evaluate("window.notReloaded") is True

    # Keyboard: arrow to the next role's cell and type C; focus stays on the edited cell.
    cell(page, "Brand, look and feel", "Sales").focus()
    page.keyboard.press("ArrowRight")
    expect(cell(page, "Brand, look and feel", "Customer Success")).to_be_focused()
    page.keyboard.press("c")
    expect(cell(page, "Brand, look and feel", "Customer Success")).to_have_text("C")
    expect(cell(page, "Brand, look and feel", "Customer Success")).to_be_focused()

    # A second A in a row raises the flag live; clearing it with Delete removes it.
    cell(page, "Brand, look and feel", "Product Marketing").focus()
    page.keyboard.press("a")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Brand, look and feel", exact=True))
    expect(row.locator(".flags")).to_contain_text("Several A")
    expect(cell(page, "Brand, look and feel", "Product Marketing")).to_be_focused()
    page.keyboard.press("Delete")
    expect(row.locator(".flags")).not_to_contain_text("Several A")

    page.reload()
    expect(cell(page, "Brand, look and feel", "Sales")).to_have_text("R")
    expect(cell(page, "Brand, look and feel", "Customer Success")).to_have_text("C")
    expect(cell(page, "Brand, look and feel", "Product Marketing")).to_have_text("")
    assert errors == [], errors


def test_a_cell_change_raises_a_flag_live_and_the_dashboard_counts_it(page: Page, site):
    start_workspace(page, site, "lead2", "Findings team")

    summary = page.locator("#summary .count.high strong")
    before = int(summary.inner_text())
    page.evaluate("window.notReloaded = true")
    target = cell(page, "Pricing and packaging", "Product Manager")
    expect(target).to_have_text("R")
    target.focus()
    page.keyboard.press("a")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Pricing and packaging", exact=True))
    expect(row.locator(".flags")).to_contain_text("Several A")
    expect(summary).to_have_text(str(before + 1))
    assert page.evaluate("window.notReloaded") is True

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Dashboard").click()
    read_row = page.get_by_role("row").filter(has=page.get_by_role("link", name="The essential product marketing activities"))
    expect(read_row.locator(".count.high")).to_have_text(str(before + 1))
    page.locator("details.finding-group > summary").filter(has_text="Several A").click()  # kinds open on demand
    expect(page.get_by_text("Pricing and packaging has two accountable owners")).to_be_visible()


def test_the_matrix_is_one_tab_stop_and_editable_by_keyboard_alone(page: Page, site):
    start_workspace(page, site, "keys", "Keyboard team")
    focused_cell = "document.activeElement.matches('td.cell button') && document.activeElement.getAttribute('aria-label')"

    def tab_until(condition, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(condition):
                return
        raise AssertionError(f"Tab never reached {condition}")

    # Tabbing from the top of the page lands on the matrix's first cell.
    page.evaluate("document.activeElement.blur()")
    tab_until(focused_cell)
    rows = page.locator("tbody tr:has(td.cell)")
    first_row = rows.first.locator("td.cell button")
    expect(first_row.first).to_be_focused()

    # Inside, keys move and set letters; the flags follow without a reload.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    second_row = rows.nth(1).locator("td.cell button")
    expect(second_row.last).to_be_focused()
    page.keyboard.press("i")
    expect(second_row.last).to_have_text("I")
    expect(second_row.last).to_be_focused()
    page.keyboard.press("Home")
    expect(second_row.first).to_be_focused()
    page.keyboard.press("a")
    expect(second_row.first).to_have_text("A")
    expect(second_row.first).to_be_focused()

    # One Tab leaves a matrix of many cells; Shift+Tab comes back to the cell last used.
    page.keyboard.press("Tab")
    assert not page.evaluate(focused_cell)
    page.keyboard.press("Shift+Tab")
    expect(second_row.first).to_be_focused()
    assert page.locator('td.cell button[tabindex="0"]').count() == 1


def test_an_edit_someone_else_overtook_is_refused_and_the_page_says_so(page: Page, site):
    start_workspace(page, site, "first", "Contested team")
    target = cell(page, "Pricing and packaging", "Product Manager")
    expect(target).to_have_text("R")

    # Meanwhile a colleague sets the same cell from their own browser.
    workspace = Workspace.objects.get(name="Contested team")
    colleague = get_user_model().objects.create_user(username="second", password=PASSWORD)
    services.cell_set(
        workspace=workspace, activity_id=workspace.activities.get(name="Pricing and packaging").public_id,
        role=workspace.roles.get(name="Product Manager"), letters="C", expected="R", by=colleague,
    )

    target.focus()
    page.keyboard.press("a")
    expect(page.locator("#matrix-status")).to_contain_text("changed by second")
    expect(cell(page, "Pricing and packaging", "Product Manager")).to_have_text("C")
    expect(cell(page, "Pricing and packaging", "Product Manager")).to_be_focused()
    page.keyboard.press("a")
    expect(cell(page, "Pricing and packaging", "Product Manager")).to_have_text("A")


def test_arrows_and_pages_move_by_row_and_column_and_stop_at_the_edges(page: Page, site):
    start_workspace(page, site, "edges", "Edge team")
    rows = page.locator("tbody tr:has(td.cell)")
    row_count = rows.count()
    page.locator("td.cell button").first.focus()
    page.keyboard.press("ArrowUp")  # already on the first row and column: stays
    page.keyboard.press("ArrowLeft")
    expect(rows.first.locator("td.cell button").first).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(rows.first.locator("td.cell button").nth(1)).to_be_focused()
    # Page Down moves ten rows of cells, skipping the category title rows between them.
    page.keyboard.press("PageDown")
    expect(rows.nth(min(10, row_count - 1)).locator("td.cell button").nth(1)).to_be_focused()
    for _ in range(row_count // 10 + 1):
        page.keyboard.press("PageDown")
    expect(rows.last.locator("td.cell button").nth(1)).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")  # the flags column is not a cell: stays on the last role
    expect(rows.last.locator("td.cell button").last).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(rows.last.locator("td.cell button").last).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(rows.nth(row_count - 2).locator("td.cell button").last).to_be_focused()
    for _ in range(row_count // 10 + 1):
        page.keyboard.press("PageUp")
    expect(rows.first.locator("td.cell button").last).to_be_focused()
