"""Staffing at its edges (found by review): YAML numbers read as written, one hours reader for
forms and imports, forms loaded before a replace import are stale, JSON gaps that subtract,
a selector that survives a deletion mid-read."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from responsibilities import services
from responsibilities.formats import parse_hours
from responsibilities.formats.staffing import to_json
from responsibilities.models import Activity, Workspace
from responsibilities.staffing import StaffActivity, StaffPerson, StaffRole, staffing
from tests.responsibilities.conftest import build_workspace
from tests.responsibilities.test_staffing_formats import DOCUMENT, document, import_text

HTMX = {"HX-Request": "true"}


# 1. YAML 1.1 reads `1:30` as sexagesimal 90 and `010` as octal 8: hours silently wrong.


@pytest.mark.parametrize("written", ["1:30", "2:00", "010", "0x10", "1_0"])
def test_a_yaml_hours_value_is_never_silently_read_as_another_number(written):
    data, errors = document(f"name: Acme\nactivities:\n  - {{name: Launch, hours: {written}}}\n")
    # Either refused with its place, or read as the number people mean; never 90 for "1:30".
    assert errors or data.activities[0].hours == float(parse_hours(written)[0] or -1), (
        written, data and data.activities[0].hours,
    )


# 2. Two hours parsers: the in-app form (Django DecimalField) accepts what every import refuses.


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["١٢", "１２", "1_0", "1e2"])
def test_the_hours_cell_refuses_what_every_import_refuses(personas, typed):
    assert parse_hours(typed)[1], "the formats refuse it"
    workspace = build_workspace(members={personas["editor"]: "editor"})
    activity = workspace.activities.first()
    client = Client()
    client.force_login(personas["editor"])
    version = Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)
    client.post(
        reverse("workspaces:activity_hours", args=[workspace.public_id, activity.public_id]),
        {"hours": typed, "version": version}, headers=HTMX,
    )
    activity.refresh_from_db()
    assert activity.hours is None, f"{typed!r} was stored as {activity.hours}"


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["1,5", "12h"])
def test_the_hours_cell_accepts_what_every_import_accepts(personas, typed):
    workspace = build_workspace(members={personas["editor"]: "editor"})
    activity = workspace.activities.first()
    client = Client()
    client.force_login(personas["editor"])
    version = Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)
    client.post(
        reverse("workspaces:activity_hours", args=[workspace.public_id, activity.public_id]),
        {"hours": typed, "version": version}, headers=HTMX,
    )
    activity.refresh_from_db()
    assert activity.hours == Decimal(repr(parse_hours(typed)[0]))


# 3. A form loaded before a replace import silently writes back what the import changed.


@pytest.mark.django_db
def test_a_settings_form_loaded_before_a_replace_import_does_not_revert_its_fte_hours(make_user):
    owner = make_user("lead")
    acme = import_text(DOCUMENT, owner=owner)  # fte_hours 120
    loaded = Workspace.objects.values_list("version", flat=True).get(pk=acme.pk)
    import_text(DOCUMENT.replace("fte_hours: 120", "fte_hours: 160"), replace=True)
    client = Client()
    client.force_login(owner)
    # The owner only renames; the form they loaded still says 120.
    client.post(
        reverse("workspaces:settings", args=[acme.public_id]),
        {"name": "Renamed", "size": acme.size, "market": acme.market, "primary_framework": "read",
         "fte_hours": "120", "version": loaded},
    )
    acme.refresh_from_db()
    assert acme.fte_hours == Decimal("160"), "the replace import's hours per person were silently reverted"


@pytest.mark.django_db
def test_an_activity_page_loaded_before_a_replace_import_does_not_revert_its_hours(make_user):
    owner = make_user("lead")
    acme = import_text(DOCUMENT, owner=owner)  # Positioning: 20 h
    positioning = Activity.objects.get(workspace=acme, name="Positioning")
    loaded = Workspace.objects.values_list("version", flat=True).get(pk=acme.pk)
    import_text(DOCUMENT.replace("hours: 20,", "hours: 25,"), replace=True)
    client = Client()
    client.force_login(owner)
    client.post(
        reverse("workspaces:activity", args=[acme.public_id, positioning.public_id]),
        {"name": "Positioning", "description": "Only the description changes", "group": "", "hours": "20",
         "version": loaded},
    )
    positioning.refresh_from_db()
    assert positioning.hours == Decimal("25"), "the replace import's hours were silently reverted"


# 4. JSON: `"gap": -0.0` and gaps that do not subtract.


def test_the_json_gap_is_never_negative_zero():
    roles = [StaffRole("pmm", "PMM", "pmm")]
    activities = [StaffActivity("Launch", 139.9, (("pmm", "R"),))]
    result = staffing(roles, activities, [StaffPerson("Eli", ("pmm",))], fte_hours=140)
    written = json.dumps(to_json(result, workspace="Acme"))
    assert "-0.0" not in written, written


def test_the_json_gap_is_needed_minus_people_as_written():
    roles = [StaffRole(key, key.upper(), key) for key in ("pm", "pmm", "cs")]
    activities = [StaffActivity("Positioning", 93.34, (("pm", "R"),))]  # 0.6667 FTE
    person = StaffPerson("Dana", ("pm", "pmm", "cs"))  # 0.3333 in each
    role = to_json(staffing(roles, activities, [person], fte_hours=140), workspace="Acme")["roles"][0]
    assert role["gap"] == round(role["fte_needed"] - role["people"], 2), role


# 5. The staffing selector's two reads of the activities: a deletion in between is a 500.


@pytest.mark.django_db
def test_staffing_survives_an_activity_deleted_while_it_reads(personas, monkeypatch):
    from responsibilities import selectors

    workspace = build_workspace(members={personas["owner"]: "owner"})
    Activity.objects.filter(workspace=workspace).update(hours=Decimal("10"))
    real = selectors.workspace_input

    def then_delete(ws):
        found = real(ws)
        Activity.objects.filter(workspace=ws, name="Activity 1").delete()  # another request, meanwhile
        return found

    monkeypatch.setattr(selectors, "workspace_input", then_delete)
    selectors.staffing_for(workspace)  # KeyError on 996529c
