"""Editing what staffing reads: an activity's hours (in place in the activity list, and on its
page), the hours one person gives per month (settings), and an element's assessment (from the
lens). Editors write, viewers read; bad input gets a message and writes nothing; a stale edit
is refused with who changed what; every write is in History."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from responsibilities import services
from responsibilities.models import Assessment, Change, Workspace
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# Refused as hours: negative, text, too large for the column or the model, too precise, not a number.
BAD_HOURS = [
    "-1", "abc", "1e309", "NaN", "Infinity", "-Infinity", "100000", "99999.995", "1.234", "=1+1", "1,500",
    "1_0", "١٢", "１２",  # Python's Decimal() reads these as 10 and 12: the hours reader does not
]


@pytest.fixture
def team(personas):
    workspace = build_workspace(
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"}
    )
    clients = {}
    for name in ("owner", "editor", "viewer"):
        clients[name] = Client()
        clients[name].force_login(personas[name])
    return workspace, clients


def version(workspace) -> int:
    return Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)


def hours_url(workspace, activity):
    return reverse("workspaces:activity_hours", args=[workspace.public_id, activity.public_id])


def stored_hours(activity):
    activity.refresh_from_db()
    return activity.hours


def pricing():
    return Element.objects.select_related("framework").get(framework__slug="read", code="pricing")


def nothing_written(workspace, before_version):
    return version(workspace) == before_version and not Change.objects.filter(
        workspace=workspace, version__gt=before_version
    ).exists()


# Hours in the activity list


def test_an_editor_sets_hours_in_place_and_the_cell_comes_back_with_the_new_version(team):
    workspace, clients = team
    activity = workspace.activities.first()
    loaded = version(workspace)
    response = clients["editor"].post(hours_url(workspace, activity), {"hours": "12.5", "version": loaded}, headers=HTMX)
    assert response.status_code == 200
    assert stored_hours(activity) == Decimal("12.5")
    assert f'id="hours-{activity.public_id}"' in response.text and "Saved" in response.text
    # The next edit of the same cell is loaded at the version this one produced: not stale.
    assert f'name="version" value="{loaded + 1}"' in response.text
    again = clients["editor"].post(hours_url(workspace, activity), {"hours": "", "version": loaded + 1}, headers=HTMX)
    assert again.status_code == 200 and "Saved" in again.text
    assert stored_hours(activity) is None


def test_without_javascript_the_hours_form_saves_and_returns_to_the_row(team):
    workspace, clients = team
    activity = workspace.activities.first()
    response = clients["editor"].post(hours_url(workspace, activity), {"hours": "8", "version": version(workspace)})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/activities/#hours-{activity.public_id}")
    assert stored_hours(activity) == Decimal("8")
    page = clients["editor"].get(response["Location"])
    assert "Saved: Activity 1, 8." in page.text


def test_the_list_shows_editors_an_input_per_activity_and_viewers_the_number(team):
    workspace, clients = team
    activity = workspace.activities.first()
    services.activity_hours_set(activity=activity, hours=Decimal("12.50"), by=None)
    editor = clients["editor"].get(reverse("workspaces:activities", args=[workspace.public_id]))
    assert editor.text.count('class="hours-form"') == workspace.activities.count()
    assert re.search(r'<input type="text" name="hours" value="12.5" inputmode="decimal"', editor.text)
    assert "Hours per month for Activity 1" in editor.text  # each input's label names its activity
    viewer = clients["viewer"].get(reverse("workspaces:activities", args=[workspace.public_id]))
    assert 'class="hours-form"' not in viewer.text and ">12.5</td>" in viewer.text


def test_a_viewer_cannot_set_hours(team):
    workspace, clients = team
    activity = workspace.activities.first()
    before = version(workspace)
    assert clients["viewer"].post(hours_url(workspace, activity), {"hours": "5"}, headers=HTMX).status_code == 403
    assert stored_hours(activity) is None and nothing_written(workspace, before)


def test_hours_of_another_workspaces_activity_cannot_be_set(team, personas):
    workspace, clients = team
    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    foreign = other.activities.first()
    assert clients["owner"].post(hours_url(workspace, foreign), {"hours": "5"}).status_code == 404
    assert stored_hours(foreign) is None


@pytest.mark.parametrize("value", BAD_HOURS)
def test_bad_hours_in_the_list_get_a_message_and_write_nothing(team, value):
    workspace, clients = team
    activity = workspace.activities.first()
    before = version(workspace)
    response = clients["editor"].post(hours_url(workspace, activity), {"hours": value, "version": before}, headers=HTMX)
    assert response.status_code == 200
    assert 'class="alert"' in response.text and 'aria-invalid="true"' in response.text
    assert stored_hours(activity) is None and nothing_written(workspace, before)
    plain = clients["editor"].post(hours_url(workspace, activity), {"hours": value, "version": before}, follow=True)
    assert plain.status_code == 200 and "Activity 1: " in plain.text
    assert stored_hours(activity) is None and nothing_written(workspace, before)


@pytest.mark.parametrize(("typed", "stored"), [("1,5", "1.50"), ("12h", "12.00"), (" 7.25 ", "7.25"), ("0", "0.00")])
def test_the_list_reads_hours_as_a_sheet_does(team, typed, stored):
    workspace, clients = team
    activity = workspace.activities.first()
    response = clients["editor"].post(hours_url(workspace, activity), {"hours": typed, "version": version(workspace)}, headers=HTMX)
    assert response.status_code == 200 and 'class="alert"' not in response.text
    assert stored_hours(activity) == Decimal(stored)


def test_a_nul_in_the_hours_is_refused_with_a_message(team):
    workspace, clients = team
    activity = workspace.activities.first()
    before = version(workspace)
    response = clients["editor"].post(hours_url(workspace, activity), {"hours": "12\x00"})
    assert response.status_code == 400 and "NUL character" in response.text
    assert stored_hours(activity) is None and nothing_written(workspace, before)


def test_a_stale_hours_edit_is_refused_with_who_changed_it_and_keeps_the_input(team):
    workspace, clients = team
    activity = workspace.activities.first()
    loaded = version(workspace)
    assert clients["editor"].post(hours_url(workspace, activity), {"hours": "10", "version": loaded}).status_code == 302
    refused = clients["owner"].post(hours_url(workspace, activity), {"hours": "40", "version": loaded}, headers=HTMX)
    assert "editor changed hours per month" in refused.text and "Nothing was saved" in refused.text
    assert 'value="40"' in refused.text  # the owner's input, to apply again
    assert stored_hours(activity) == Decimal("10")
    # Applying it again from the answer (which carries the version now) saves it.
    now = int(re.search(r'name="version" value="(\d+)"', refused.text).group(1))
    assert clients["owner"].post(hours_url(workspace, activity), {"hours": "40", "version": now}, headers=HTMX).status_code == 200
    assert stored_hours(activity) == Decimal("40")


def test_another_activitys_hours_do_not_make_an_edit_stale(team):
    workspace, clients = team
    first, second = workspace.activities.all()[:2]
    loaded = version(workspace)
    clients["editor"].post(hours_url(workspace, first), {"hours": "10", "version": loaded})
    clients["owner"].post(hours_url(workspace, second), {"hours": "20", "version": loaded})
    assert (stored_hours(first), stored_hours(second)) == (Decimal("10"), Decimal("20"))


def test_hours_changes_are_in_history_and_on_the_activity_page(team):
    workspace, clients = team
    activity = workspace.activities.first()
    clients["editor"].post(hours_url(workspace, activity), {"hours": "12.5"})
    clients["editor"].post(hours_url(workspace, activity), {"hours": "20"})
    change = Change.objects.filter(workspace=workspace, subject="hours per month").latest("id")
    assert (change.before, change.after, change.by.username) == ("12.5", "20", "editor")
    page = clients["viewer"].get(reverse("workspaces:activity", args=[workspace.public_id, activity.public_id]))
    assert "hours per month “12.5” → “20”" in page.text


def test_setting_the_same_hours_again_writes_nothing(team):
    workspace, clients = team
    activity = workspace.activities.first()
    services.activity_hours_set(activity=activity, hours=Decimal("12.5"), by=None)
    before = version(workspace)
    clients["editor"].post(hours_url(workspace, activity), {"hours": "12.50"})
    assert nothing_written(workspace, before)


# Hours on the activity page


def test_the_activity_page_saves_and_clears_hours(team):
    workspace, clients = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])
    form = {"name": activity.name, "description": "", "hours": "30.25", "version": version(workspace)}
    assert clients["editor"].post(url, form).status_code == 302
    assert stored_hours(activity) == Decimal("30.25")
    assert 'name="hours" value="30.25"' in clients["editor"].get(url).text
    assert clients["editor"].post(url, {**form, "hours": "", "version": version(workspace)}).status_code == 302
    assert stored_hours(activity) is None


def test_a_viewer_reads_the_hours_on_the_activity_page_without_a_form(team):
    workspace, clients = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])
    assert "Hours per month: <span class=\"muted\">not sized yet</span>" in clients["viewer"].get(url).text
    services.activity_hours_set(activity=activity, hours=Decimal("140.00"), by=None)
    page = clients["viewer"].get(url).text
    assert "Hours per month: 140</p>" in page and 'name="hours"' not in page


@pytest.mark.parametrize("value", BAD_HOURS)
def test_bad_hours_on_the_activity_page_get_a_message_and_write_nothing(team, value):
    workspace, clients = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])
    before = version(workspace)
    response = clients["editor"].post(url, {"name": "Renamed", "description": "", "hours": value, "version": before})
    assert response.status_code == 200 and 'class="errorlist"' in response.text
    activity.refresh_from_db()
    assert (activity.name, activity.hours) == ("Activity 1", None) and nothing_written(workspace, before)


def test_hours_set_in_the_list_make_the_open_activity_page_stale(team):
    workspace, clients = team
    activity = workspace.activities.first()
    url = reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])
    loaded = version(workspace)
    clients["editor"].post(hours_url(workspace, activity), {"hours": "10", "version": loaded})
    refused = clients["owner"].post(url, {"name": activity.name, "description": "", "hours": "", "version": loaded})
    assert refused.status_code == 409 and "editor changed hours per month" in refused.text
    assert stored_hours(activity) == Decimal("10")


def test_a_deleted_activity_comes_back_with_its_hours(team, personas):
    workspace, _ = team
    activity = workspace.activities.first()
    services.activity_hours_set(activity=activity, hours=Decimal("7.5"), by=personas["editor"])
    services.activity_delete(activity=activity, by=personas["editor"])
    deletion = Change.objects.get(workspace=workspace, after="deleted")
    restored = services.restore_deleted(workspace=workspace, change_id=deletion.pk, by=personas["editor"])
    assert stored_hours(restored) == Decimal("7.5")


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), float("inf"), "1e309", Decimal("0.001")])
def test_the_service_refuses_bad_hours_without_a_form(team, value):
    workspace, _ = team
    before = version(workspace)
    with pytest.raises(services.ServiceError, match="Hours per month"):
        services.activity_hours_set(activity=workspace.activities.first(), hours=value, by=None)
    assert nothing_written(workspace, before)


# Hours per person per month (settings)


def settings_form(workspace, **changes):
    return {
        "name": workspace.name, "size": workspace.size, "market": workspace.market, "primary_framework": "read",
        "fte_hours": "140", "version": version(workspace), **changes,
    }


def test_an_owner_sets_the_hours_one_person_gives_per_month(team):
    workspace, clients = team
    url = reverse("workspaces:settings", args=[workspace.public_id])
    assert 'name="fte_hours" value="140"' in clients["owner"].get(url).text
    assert clients["owner"].post(url, settings_form(workspace, fte_hours="152.5")).status_code == 302
    workspace.refresh_from_db()
    assert workspace.fte_hours == Decimal("152.5")
    change = Change.objects.filter(workspace=workspace, subject="hours per person per month").get()
    assert (change.before, change.after) == ("140", "152.5")


def test_an_editor_cannot_change_the_hours_per_person(team):
    workspace, clients = team
    url = reverse("workspaces:settings", args=[workspace.public_id])
    assert clients["editor"].post(url, settings_form(workspace, fte_hours="100")).status_code == 403
    workspace.refresh_from_db()
    assert workspace.fte_hours == Decimal("140")


@pytest.mark.parametrize("value", ["0", "0.5", "745", "-140", "abc", "1e309", "NaN", "", "140.001"])
def test_bad_hours_per_person_get_a_message_and_write_nothing(team, value):
    workspace, clients = team
    before = version(workspace)
    response = clients["owner"].post(reverse("workspaces:settings", args=[workspace.public_id]), settings_form(workspace, fte_hours=value))
    assert response.status_code == 200 and 'class="errorlist"' in response.text
    workspace.refresh_from_db()
    assert workspace.fte_hours == Decimal("140") and nothing_written(workspace, before)


def test_stale_hours_per_person_are_refused(team, personas):
    workspace, clients = team
    loaded = version(workspace)
    services.workspace_update(
        workspace=workspace, name=workspace.name, size=workspace.size, market=workspace.market,
        primary_framework=workspace.primary_framework, fte_hours=Decimal("120"), by=personas["owner"],
    )
    refused = clients["owner"].post(
        reverse("workspaces:settings", args=[workspace.public_id]), {**settings_form(workspace, fte_hours="160"), "version": loaded}
    )
    assert refused.status_code == 409 and "hours per person per month" in refused.text
    workspace.refresh_from_db()
    assert workspace.fte_hours == Decimal("120")


def test_a_settings_save_without_the_hours_per_person_keeps_them(team, personas):
    """A caller that does not pass them (a command, an older form) leaves them as they are."""
    workspace, _ = team
    services.workspace_update(
        workspace=workspace, name=workspace.name, size=workspace.size, market=workspace.market,
        primary_framework=workspace.primary_framework, fte_hours=Decimal("120"), by=personas["owner"],
    )
    services.workspace_update(
        workspace=workspace, name="Renamed", size=workspace.size, market=workspace.market,
        primary_framework=workspace.primary_framework, by=personas["owner"],
    )
    workspace.refresh_from_db()
    assert (workspace.name, workspace.fte_hours) == ("Renamed", Decimal("120"))


# Assessments from the lens


def lens_url(workspace):
    return reverse("workspaces:lens", args=[workspace.public_id])


def set_url(workspace):
    return reverse("workspaces:assessment_set", args=[workspace.public_id])


def clear_url(workspace):
    return reverse("workspaces:assessment_clear", args=[workspace.public_id])


def assessment(workspace):
    return Assessment.objects.filter(workspace=workspace, element=pricing()).values_list("importance", "performance").first()


def test_an_editor_opens_an_element_on_the_lens_and_sees_its_form(team):
    workspace, clients = team
    page = clients["editor"].get(lens_url(workspace), {"framework": "read"})
    assert 'href="?framework=read&amp;assess=read%3Apricing#assessment"' in page.text
    opened = clients["editor"].get(lens_url(workspace), {"framework": "read", "assess": "read:pricing"})
    assert "Assess Pricing" in opened.text and 'name="importance"' in opened.text
    # With htmx only the form comes back, for the panel the link targets.
    part = clients["editor"].get(
        lens_url(workspace), {"framework": "read", "assess": "read:pricing"}, headers={**HTMX, "HX-Target": "assessment"}
    )
    assert part.text.lstrip().startswith('<section id="assessment"') and "lens-grid" not in part.text


def test_a_viewer_sees_assessments_on_the_lens_but_no_form(team, personas):
    workspace, clients = team
    services.assessment_set(workspace=workspace, element=pricing(), importance=4, performance=2, by=personas["editor"])
    page = clients["viewer"].get(lens_url(workspace), {"framework": "read", "assess": "read:pricing"})
    assert page.status_code == 200
    assert "importance 4 · performance 2" in page.text
    assert 'name="importance"' not in page.text and "assess-link" not in page.text


def test_an_editor_assesses_an_element_and_the_lens_shows_it(team):
    workspace, clients = team
    response = clients["editor"].post(
        set_url(workspace), {"element": "read:pricing", "importance": "4", "performance": "2", "version": version(workspace)}
    )
    assert response.status_code == 302 and response["Location"].endswith("?framework=read#readpricing")
    assert assessment(workspace) == (4, 2)
    page = clients["viewer"].get(lens_url(workspace), {"framework": "read"})
    assert re.search(r'id="assessed-readpricing" class="assessed">importance 4 · performance 2<', page.text)


def test_with_htmx_the_answer_is_the_form_and_the_elements_assessment(team):
    workspace, clients = team
    response = clients["editor"].post(
        set_url(workspace), {"element": "read:pricing", "importance": "5", "performance": "1", "version": version(workspace)},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Assessed Pricing." in response.text and "Now: importance 5, performance 1." in response.text
    assert re.search(r'id="assessed-readpricing" class="assessed" hx-swap-oob="true">importance 5 · performance 1<', response.text)


def test_clearing_an_assessment_removes_it_and_is_in_history(team, personas):
    workspace, clients = team
    services.assessment_set(workspace=workspace, element=pricing(), importance=4, performance=2, by=personas["owner"])
    response = clients["editor"].post(clear_url(workspace), {"element": "read:pricing", "version": version(workspace)})
    assert response.status_code == 302 and assessment(workspace) is None
    kinds = list(Change.objects.filter(workspace=workspace, kind="assessment").order_by("id").values_list("before", "after"))
    assert kinds == [("", "importance 4, performance 2"), ("importance 4, performance 2", "")]
    history = clients["viewer"].get(reverse("workspaces:history", args=[workspace.public_id]))
    assert "assessment of Pricing (" in history.text and "cleared (was importance 4, performance 2)" in history.text


def test_a_viewer_cannot_assess_or_clear(team, personas):
    workspace, clients = team
    services.assessment_set(workspace=workspace, element=pricing(), importance=4, performance=2, by=personas["owner"])
    before = version(workspace)
    assert clients["viewer"].post(set_url(workspace), {"element": "read:pricing", "importance": "1", "performance": "1"}).status_code == 403
    assert clients["viewer"].post(clear_url(workspace), {"element": "read:pricing"}).status_code == 403
    assert assessment(workspace) == (4, 2) and nothing_written(workspace, before)


@pytest.mark.parametrize(
    "fields",
    [
        {"importance": "6", "performance": "2"},
        {"importance": "0", "performance": "2"},
        {"importance": "3", "performance": "-1"},
        {"importance": "abc", "performance": "2"},
        {"importance": "1e309", "performance": "2"},
        {"importance": "", "performance": "2"},
        {"importance": "4", "performance": "2.5"},
        {"importance": "4", "performance": "2", "element": "read:no-such-element"},
        {"importance": "4", "performance": "2", "element": "nonsense"},
        {"importance": "4", "performance": "2", "element": ""},
    ],
)
def test_a_bad_assessment_gets_a_message_and_writes_nothing(team, fields):
    workspace, clients = team
    before = version(workspace)
    data = {"element": "read:pricing", "version": before, **fields}
    part = clients["editor"].post(set_url(workspace), data, headers=HTMX)
    assert part.status_code == 200 and 'class="alert"' in part.text
    page = clients["editor"].post(set_url(workspace), data, follow=True)
    assert page.status_code == 200 and 'class="error"' in page.text
    assert assessment(workspace) is None and nothing_written(workspace, before)


def test_a_nul_in_an_assessment_is_refused_with_a_message(team):
    workspace, clients = team
    before = version(workspace)
    response = clients["editor"].post(set_url(workspace), {"element": "read:pricing", "importance": "4\x00", "performance": "2"})
    assert response.status_code == 400 and "NUL character" in response.text
    assert assessment(workspace) is None and nothing_written(workspace, before)


def test_a_stale_assessment_is_refused_and_keeps_the_choice(team):
    workspace, clients = team
    loaded = version(workspace)
    clients["editor"].post(set_url(workspace), {"element": "read:pricing", "importance": "2", "performance": "2", "version": loaded})
    refused = clients["owner"].post(
        set_url(workspace), {"element": "read:pricing", "importance": "5", "performance": "1", "version": loaded}, headers=HTMX
    )
    assert "editor changed assessment of Pricing" in refused.text and "Nothing was saved" in refused.text
    assert re.search(r'value="5"[^>]*checked', refused.text)  # the owner's choice, to apply again
    assert assessment(workspace) == (2, 2)
    now = int(re.search(r'name="version" value="(\d+)"', refused.text).group(1))
    clients["owner"].post(set_url(workspace), {"element": "read:pricing", "importance": "5", "performance": "1", "version": now})
    assert assessment(workspace) == (5, 1)


def test_assessing_another_element_does_not_make_a_form_stale(team):
    workspace, clients = team
    loaded = version(workspace)
    clients["editor"].post(set_url(workspace), {"element": "read:launch", "importance": "2", "performance": "2", "version": loaded})
    clients["owner"].post(set_url(workspace), {"element": "read:pricing", "importance": "5", "performance": "1", "version": loaded})
    assert assessment(workspace) == (5, 1)


@pytest.mark.parametrize("importance", [0, 6, -1, "x"])
def test_the_service_refuses_a_point_off_the_scale_without_a_form(team, importance):
    workspace, _ = team
    before = version(workspace)
    with pytest.raises(services.ServiceError, match="Importance"):
        services.assessment_set(workspace=workspace, element=pricing(), importance=importance, performance=3, by=None)
    assert nothing_written(workspace, before)
