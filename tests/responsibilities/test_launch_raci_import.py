"""End to end: a launch RACI of about 90 rows, as a real team writes it (phases, abbreviated role
headers, `-` / `–` / `n/a` cells, **bold**, a legend table below), imported as a Markdown table
through the web (upload -> preview -> confirm) and through `import_workspace`."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from responsibilities.models import Activity, Change, Workspace

pytestmark = pytest.mark.django_db

LAUNCH_RACI = Path(__file__).parent.parent / "data" / "launch_raci.md"
ROLES = [("PM", "pm"), ("PMM", "pmm"), ("Mktg", "marcom"), ("Sales", "sales"), ("Eng", "engineering"), ("CS", "cs")]


def table_rows() -> list[str]:
    """The main table's data lines, counted straight from the file."""
    lines = LAUNCH_RACI.read_text().splitlines()
    return [line for line in lines if line.startswith(("| Pre-launch |", "| Launch |", "| Post-launch |"))]


def assert_launch_workspace(workspace: Workspace):
    activities = list(workspace.activities.order_by("position"))
    assert len(activities) == len(table_rows()) == 91
    assert [(role.name, role.archetype.slug) for role in workspace.roles.order_by("position")] == ROLES
    groups = [activity.group for activity in activities]
    assert (groups.count("Pre-launch"), groups.count("Launch"), groups.count("Post-launch")) == (44, 33, 14)
    assert groups == sorted(groups, key=["Pre-launch", "Launch", "Post-launch"].index), "sheet order kept"
    names = [activity.name for activity in activities]
    assert names[0] == "Launch tiering decision" and names[-1] == "Churn review"  # **bold** stripped
    assert "Pricing page | plans & tiers" in names and not any("*" in name for name in names)

    def letters(name):
        activity = workspace.activities.get(name=name)
        return {a.role.name: a.letters for a in activity.assignments.select_related("role")}

    assert letters("Battlecards") == {"PM": "C", "PMM": "A/R", "Sales": "C", "CS": "I"}  # bold, N/A
    assert letters("Launch calendar") == {"PM": "I", "PMM": "A/R", "Mktg": "R", "Sales": "I", "CS": "I"}  # lower case, n/a
    assert letters("Boilerplate update") == {"PMM": "A", "Mktg": "R"}  # em dashes
    assert letters("Sales playbook") == {"PM": "C", "PMM": "A", "Sales": "R"}  # en dashes, bold A
    assert letters("Launch metrics review") == {"PM": "C", "PMM": "A/R", "Mktg": "C", "Sales": "C", "CS": "C"}  # ar, na
    assert letters("Elevator pitch") == {"PM": "I", "PMM": "A/R", "Mktg": "C", "Sales": "C"}  # blank cells
    assert letters("Analyst briefings") == {"PM": "C", "PMM": "A/R"}  # R/A
    # Map with suggestions: most rows mapped in the primary framework, as one batch.
    mapped = workspace.activities.filter(elements__isnull=False).distinct().count()
    assert mapped >= 0.7 * len(activities), f"{mapped} of {len(activities)} mapped"  # 71 of 91 measured
    assert workspace.activities.get(name="Pricing and packaging").elements.get().reference == "read:pricing"
    assert workspace.activities.get(name="Battlecards").elements.get().reference == "read:sales-and-services-enablement"
    assert not workspace.activities.get(name="Legal review of claims").elements.exists()
    batches = set(Change.objects.filter(activity__workspace=workspace, kind=Change.Kind.MAPPING).values_list("batch", flat=True))
    assert len(batches) == 1 and None not in batches
    assert Activity.elements.through.objects.filter(activity__workspace=workspace).count() == mapped


def test_a_launch_raci_as_markdown_through_the_web_import(client, make_user):
    lead = make_user("lead")
    client.force_login(lead)
    upload = SimpleUploadedFile("Atlas launch.md", LAUNCH_RACI.read_bytes(), content_type="text/markdown")
    response = client.post(reverse("workspaces:import"), {"step": "upload", "file": upload})
    assert response.status_code == 200 and response.context["errors"] == []
    confirm = response.context["confirm"]
    assert confirm.initial["name"] == "Atlas launch" and confirm.initial["map_suggestions"] is True
    assert [field.value() for field in confirm.archetype_fields()] == [slug for _, slug in ROLES]
    assert response.context["suggested"] >= 0.7 * 91
    assert f"Map with suggestions: {response.context['suggested']} activities" in response.text
    assert not Workspace.objects.exists()
    form = {"step": "confirm", "name": "Atlas launch", "token": confirm.initial["token"], "map_suggestions": "on"}
    form.update({field.html_name: field.value() for field in confirm.archetype_fields()})
    response = client.post(reverse("workspaces:import"), form)
    workspace = Workspace.objects.get(name="Atlas launch")
    assert_launch_workspace(workspace)
    # Straight to the mapping page, showing that batch with its undo.
    batch = Change.objects.filter(activity__workspace=workspace, kind=Change.Kind.MAPPING).first().batch
    mapping_page = reverse("workspaces:mapping", args=[workspace.public_id]) + f"?framework=read&batch={batch}"
    assert response.status_code == 302 and response["Location"] == mapping_page
    page = client.get(mapping_page)
    mapped = workspace.activities.filter(elements__isnull=False).distinct().count()
    assert f"Imported Atlas launch: 91 activities, {mapped} mapped to their top suggestion." in page.text
    assert f"Accepted together: {mapped} suggestions" in page.text and "Undo this batch" in page.text
    assert workspace.memberships.get().user == lead


def test_a_launch_raci_as_markdown_through_the_command_line(make_user):
    make_user("lead")
    out = io.StringIO()
    call_command("import_workspace", str(LAUNCH_RACI), "--owner", "lead", "--map-suggestions", stdout=out)
    workspace = Workspace.objects.get(name="launch_raci")
    assert out.getvalue().startswith("Imported launch_raci: 91 activities, 6 roles, 0 people.\nMapped ")
    assert_launch_workspace(workspace)
