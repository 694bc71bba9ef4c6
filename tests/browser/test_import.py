"""A PMM lead pastes the Markdown table the team keeps, corrects a role's kind in the preview,
maps with suggestions, and then finds an ambiguous reference explained in the mapping picker."""

from playwright.sync_api import expect

from responsibilities.models import Workspace
from tests.browser.test_accessibility import violations
from tests.browser.test_workspace_matrix import log_in

TABLE = """\
| Phase | Activity | PM | Dir PMM | Mktg | Head of Sales | Legal |
|:--|:--|:-:|:-:|:-:|:-:|:-:|
| Pre-launch | **Pricing and packaging** | A | R | - | C | n/a |
| Pre-launch | Competitive battlecards | C | A/R | – | C | - |
| Launch | Launch plan | C | A/R | R | I | C |
| Post-launch | Office move | - | - | - | - | A/R |
"""

def test_paste_a_table_correct_a_role_and_map_with_suggestions(site, browser):
    context = browser.new_context(bypass_csp=True)  # for the accessibility check's script
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, site, "lead")
    page.goto(site + "/workspaces/import/")
    page.get_by_label("…or paste a table").fill(TABLE)
    page.get_by_role("textbox", name="Workspace name").fill("Launch team")
    page.get_by_role("button", name="Preview the import").click()

    expect(page.get_by_role("heading", name="Preview: nothing is written until you confirm")).to_be_visible()
    expect(page.get_by_label("Kind of role for Dir PMM")).to_have_value("pmm")
    expect(page.get_by_label("Kind of role for Mktg")).to_have_value("marcom")
    expect(page.get_by_label("Kind of role for Head of Sales")).to_have_value("sales")
    expect(page.get_by_label("Kind of role for Legal")).to_have_value("other")
    expect(page.get_by_role("row", name="Pricing and packaging Pre-launch")).to_contain_text("suggested: Pricing")
    suggestions = page.get_by_role("checkbox", name="Map with suggestions")
    expect(suggestions).to_be_checked()
    expect(page.get_by_text("Map with suggestions: 3 activities")).to_be_visible()
    assert violations(page) == []
    assert not Workspace.objects.exists()

    # The select sits in the table's header, outside the form, and still goes with it.
    page.get_by_label("Kind of role for Legal").select_option("exec")
    page.get_by_role("button", name="Create this workspace").click()
    expect(page.get_by_text("Imported Launch team: 4 activities, 3 mapped to their top suggestion.")).to_be_visible()
    expect(page.get_by_role("button", name="Undo this batch")).to_be_visible()
    workspace = Workspace.objects.get(name="Launch team")
    assert list(workspace.roles.order_by("position").values_list("name", "archetype__slug")) == [
        ("PM", "pm"), ("Dir PMM", "pmm"), ("Mktg", "marcom"), ("Head of Sales", "sales"), ("Legal", "exec"),
    ]
    assert workspace.activities.filter(elements__isnull=False).distinct().count() == 3
    assert list(workspace.activities.order_by("position").values_list("group", flat=True)) == [
        "Pre-launch", "Pre-launch", "Launch", "Post-launch",
    ]

    # The picker explains a reference that names two elements and ticks neither.
    office = workspace.activities.get(name="Office move")
    page.goto(f"{site}/w/{workspace.public_id}/a/{office.public_id}/map/")
    page.get_by_label("Find elements").fill("pragmatic:Programs")
    results = page.locator("#results")
    expect(results).to_contain_text("names 2 elements, one by its code and another by its name")
    expect(results.get_by_role("checkbox", name="Programs (category)")).not_to_be_checked()
    expect(results.get_by_role("checkbox", name="Support › Programs")).not_to_be_checked()
    assert errors == [], errors
    context.close()

