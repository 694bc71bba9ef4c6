"""The mapping page: suggestions accepted one by one or all at once (after a preview), undone
as a batch; bad input is a clear message and changes nothing."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.models import Element, Framework
from responsibilities import services
from responsibilities.models import Activity, Change, Membership, Workspace
from responsibilities.analysis import MANY_UNMAPPED
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db

TEAM_ACTIVITIES = ["Competitive battlecards", "Launch planning", "Pricing and packaging", "Analyst briefings"]


def team_workspace(personas, name="Team", activities=TEAM_ACTIVITIES, group=""):
    workspace = build_workspace(
        name, activities=0,
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"},
    )
    for position, activity in enumerate(activities):
        Activity.objects.create(workspace=workspace, name=activity, position=position, group=group)
    return workspace


@pytest.fixture
def team(personas):
    return team_workspace(personas)


def page_url(workspace, name="mapping"):
    return reverse(f"workspaces:{name}", args=[workspace.public_id])


def element(code, framework="read"):
    return Element.objects.get(framework__slug=framework, code=code)


def activity(workspace, name):
    return workspace.activities.get(name=name)


def state(workspace):
    """Everything a refused request must leave alone."""
    workspace = Workspace.objects.get(pk=workspace.pk)
    return (
        workspace.version,
        sorted(Activity.elements.through.objects.filter(activity__workspace=workspace).values_list("activity_id", "element_id")),
        Change.objects.filter(activity__workspace=workspace).count(),
    )


def choice(activity_obj, element_obj) -> str:
    return f"{activity_obj.public_id}:{element_obj.pk}"


def accept(client, workspace, activity_name, element_obj, framework="read", **extra):
    return client.post(
        page_url(workspace, "mapping_accept"),
        {"choice": choice(activity(workspace, activity_name), element_obj), "framework": framework},
        **extra,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# The page


def test_every_unmapped_activity_is_listed_with_its_suggestions_and_why(as_persona, team):
    response = as_persona("editor").get(page_url(team), {"framework": "read"})
    assert response.status_code == 200
    html = response.text
    for name in TEAM_ACTIVITIES:
        assert name in html
    assert "matched:" in html
    assert "probably right" in html or "strong match" in html
    # A one-click choice is a real button of a plain form that works without JavaScript.
    assert f'<form id="accept-form" method="post" action="{page_url(team, "mapping_accept")}">' in html
    assert '<button form="accept-form" name="choice"' in html
    assert "Map Launch planning to " in html


def test_a_viewer_sees_the_suggestions_but_no_buttons(as_persona, team):
    html = as_persona("viewer").get(page_url(team), {"framework": "read"}).text
    assert "matched:" in html
    assert page_url(team, "mapping_accept") not in html
    assert page_url(team, "mapping_remove") not in html
    assert "Accept all at" not in html
    assert "<button" not in html.split('id="mapping-body"')[1]


def test_the_activity_group_is_shown_beside_its_name(as_persona, personas):
    workspace = team_workspace(personas, "Grouped", ["Launch planning"], group="Phase 2: Launch")
    html = as_persona("owner").get(page_url(workspace)).text
    assert "Phase 2: Launch" in html


def test_the_framework_switcher_changes_the_suggested_elements(as_persona, team):
    client = as_persona("editor")
    pragmatic = client.get(page_url(team), {"framework": "pragmatic"})
    assert pragmatic.context["framework"].slug == "pragmatic"
    assert all(
        suggestion.element.framework.slug == "pragmatic"
        for row in pragmatic.context["page"].rows for suggestion in row.candidates
    )
    assert client.get(page_url(team), {"framework": "kemp"}).context["framework"].slug == "five-categories"
    unknown = client.get(page_url(team), {"framework": "<script>nope"})
    assert unknown.status_code == 200
    assert unknown.context["framework"].slug == "read"
    assert "There is no framework" in " ".join(messages_of(unknown))


def test_only_unmapped_activities_are_listed_while_many_are_unmapped(as_persona, team):
    client = as_persona("editor")
    page = client.get(page_url(team)).context["page"]
    assert page.show == "unmapped" and len(page.rows) == len(TEAM_ACTIVITIES)
    launch_planning = activity(team, "Launch planning")
    launch_planning.elements.add(element("launch"))
    page = client.get(page_url(team)).context["page"]
    assert page.show == "unmapped"
    assert [row.activity.name for row in page.rows] == [n for n in TEAM_ACTIVITIES if n != "Launch planning"]
    # Asked for, all are listed, mapped or not.
    page = client.get(page_url(team), {"show": "all"}).context["page"]
    assert len(page.rows) == len(TEAM_ACTIVITIES)


def test_all_activities_are_listed_when_few_are_unmapped(as_persona, team):
    for name in TEAM_ACTIVITIES[:-1]:
        activity(team, name).elements.add(element("launch"))
    assert 1 / len(TEAM_ACTIVITIES) <= MANY_UNMAPPED
    page = as_persona("editor").get(page_url(team)).context["page"]
    assert page.show == "all" and len(page.rows) == len(TEAM_ACTIVITIES)


def test_changing_the_filter_with_htmx_answers_the_part_below_the_controls(as_persona, team):
    response = as_persona("editor").get(
        page_url(team), {"framework": "pragmatic", "show": "all"}, headers={"HX-Request": "true", "HX-Target": "mapping-body"}
    )
    assert response.text.lstrip().startswith('<div id="mapping-body">')
    assert "<nav" not in response.text
    assert "HX-Request" in response["Vary"]


# Empty states


def test_no_activities(as_persona, personas):
    workspace = team_workspace(personas, "Empty", [])
    html = as_persona("owner").get(page_url(workspace)).text
    assert "No activities yet" in html
    assert reverse("workspaces:import") in html


def test_everything_mapped(as_persona, team):
    for name in TEAM_ACTIVITIES:
        activity(team, name).elements.add(element("launch"))
    html = as_persona("owner").get(page_url(team), {"show": "unmapped"}).text
    assert "Every activity is mapped to" in html
    assert "Accept all at" not in html


def test_no_suggestion_at_one_half_or_above(as_persona, personas):
    workspace = team_workspace(personas, "Back office", ["Payroll run", "Office move", "Server patching"])
    client = as_persona("owner")
    html = client.get(page_url(workspace)).text
    assert "No unmapped activity has a suggestion at 0.5 or above" in html
    preview = client.get(page_url(workspace, "mapping_accept_all"))
    assert "No suggestion at 0.5 or above" in preview.text
    assert page_url(workspace, "mapping_accept_all_apply") not in preview.text


# Accepting one suggestion, removing one mapping


def test_accepting_one_suggestion_maps_it_records_history_and_returns_to_the_same_place(as_persona, team, personas):
    launch = element("launch")
    before = Workspace.objects.get(pk=team.pk).version
    response = accept(as_persona("editor"), team, "Launch planning", launch, show="all")
    planning = activity(team, "Launch planning")
    assert list(planning.elements.all()) == [launch]
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(team)}?framework=read#activity-{planning.public_id}"
    change = Change.objects.get(activity=planning)
    assert (change.kind, change.after, change.by) == (Change.Kind.MAPPING, "mapped", personas["editor"])
    assert Workspace.objects.get(pk=team.pk).version == before + 1


def test_the_same_place_keeps_the_filter(as_persona, team):
    client = as_persona("editor")
    planning = activity(team, "Launch planning")
    response = client.post(
        page_url(team, "mapping_accept"),
        {"choice": choice(planning, element("launch")), "framework": "read", "show": "all"},
    )
    assert response["Location"] == f"{page_url(team)}?framework=read&show=all#activity-{planning.public_id}"


def test_accepting_with_htmx_swaps_the_row_and_keeps_focus_in_it(as_persona, team):
    launch = element("launch")
    response = accept(as_persona("editor"), team, "Launch planning", launch, headers={"HX-Request": "true"})
    planning = activity(team, "Launch planning")
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith(f'<tr id="activity-{planning.public_id}"')
    # The new mapping's remove button takes the focus; the status line says what happened.
    assert f'value="{choice(planning, launch)}" hx-post="{page_url(team, "mapping_remove")}" class="chip-remove" autofocus' in html
    assert 'id="mapping-status"' in html and 'hx-swap-oob="true"' in html
    assert "Mapped Launch planning to Launch." in html


def test_a_duplicate_accept_is_harmless(as_persona, team):
    client = as_persona("editor")
    launch = element("launch")
    accept(client, team, "Launch planning", launch)
    before = state(team)
    response = accept(client, team, "Launch planning", launch, follow=True)
    assert response.status_code == 200
    assert "was already mapped to Launch; nothing changed" in " ".join(messages_of(response))
    assert state(team) == before


def test_removing_a_mapping_records_it_and_offers_the_suggestions_again(as_persona, team, personas):
    client = as_persona("editor")
    launch, pricing = element("launch"), element("pricing")
    planning = activity(team, "Launch planning")
    planning.elements.add(launch, element("market-problems", "pragmatic"))
    response = client.post(
        page_url(team, "mapping_remove"),
        {"choice": choice(planning, launch), "framework": "read"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    # Only that mapping goes; one in another framework stays.
    assert [e.code for e in planning.elements.all()] == ["market-problems"]
    change = Change.objects.get(activity=planning)
    assert (change.before, change.after, change.by) == ("mapped", "", personas["editor"])
    assert "Removed the mapping of Launch planning to Launch." in response.text
    # Launch is offered again, marked probably right, and takes the focus.
    assert re.search(r'<li class="choice probable">\s*<button [^>]*value="' + choice(planning, launch) + '"[^>]*autofocus', response.text)
    # Removing what is not mapped says so and changes nothing.
    before = state(team)
    again = client.post(
        page_url(team, "mapping_remove"), {"choice": choice(planning, pricing), "framework": "read"}, follow=True
    )
    assert "was not mapped to Pricing; nothing changed" in " ".join(messages_of(again))
    assert state(team) == before


# Bad input: a clear message, nothing written, never a server error


def bad_choices(workspace, other):
    planning = activity(workspace, "Launch planning")
    launch = element("launch")
    return {
        "unknown element": {"choice": f"{planning.public_id}:99999999", "framework": "read"},
        "element of another framework": {"choice": choice(planning, element("launch", "pragmatic")), "framework": "read"},
        "activity of another workspace": {"choice": choice(other.activities.first(), launch), "framework": "read"},
        "unknown activity": {"choice": f"{uuid.uuid4()}:{launch.pk}", "framework": "read"},
        "garbage activity": {"choice": f"not-a-uuid:{launch.pk}", "framework": "read"},
        "garbage element": {"choice": f"{planning.public_id}:1; DROP TABLE", "framework": "read"},
        "huge element id": {"choice": f"{planning.public_id}:{'9' * 40}", "framework": "read"},
        "no separator": {"choice": str(planning.public_id), "framework": "read"},
        "hostile framework": {"choice": choice(planning, launch), "framework": "<script>alert(1)</script>"},
        "formula": {"choice": "=cmd|' /C calc'!A0", "framework": "read"},
        "confusable digits": {"choice": f"{planning.public_id}:１２", "framework": "read"},
        "oversized": {"choice": "9" * 100_000, "framework": "read"},
        "nothing": {},
    }


@pytest.mark.parametrize("action", ["mapping_accept", "mapping_remove"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_choices_are_refused_with_a_clear_message(as_persona, team, personas, action, htmx):
    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    activity(team, "Launch planning").elements.add(element("launch"))
    client = as_persona("editor")
    for case, data in bad_choices(team, other).items():
        before, other_before = state(team), state(other)
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.post(page_url(team, action), data, headers=headers)
        assert state(team) == before and state(other) == other_before, case
        if htmx:
            assert response.status_code == 200, case
            assert response["HX-Retarget"] == "#mapping-status", case
            assert 'class="alert"' in response.text and "<script>" not in response.text, case
        else:
            assert response.status_code == 302, case
            shown = " ".join(messages_of(client.get(response["Location"])))
            assert shown, case


def test_the_messages_say_what_is_wrong(as_persona, team, personas):
    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    client = as_persona("editor")
    cases = bad_choices(team, other)
    said = {
        case: " ".join(messages_of(client.post(page_url(team, "mapping_accept"), cases[case], follow=True)))
        for case in ("unknown element", "element of another framework", "activity of another workspace")
    }
    assert "There is no such element." in said["unknown element"]
    assert "Launch is not part of The essential product marketing activities." in said["element of another framework"]
    assert "That activity is not in this workspace" in said["activity of another workspace"]


# Accept all at 0.5 or above: preview, then one batch; undo


def test_the_preview_lists_what_would_be_mapped_and_writes_nothing(as_persona, team):
    before = state(team)
    response = as_persona("editor").get(page_url(team, "mapping_accept_all"), {"framework": "read"})
    assert response.status_code == 200
    probable = response.context["page"].probable
    assert probable and all(candidate.score >= 0.5 for _, candidate in probable)
    html = response.text
    assert f"Accept {len(probable)} suggestion" in html
    for activity_obj, candidate in probable:
        assert f'value="{activity_obj.public_id}:{candidate.element.pk}" checked' in html
    assert state(team) == before


def test_applying_maps_the_ticked_suggestions_in_one_batch(as_persona, team, personas):
    client = as_persona("editor")
    probable = client.get(page_url(team, "mapping_accept_all")).context["page"].probable
    version = Workspace.objects.get(pk=team.pk).version
    choices = [f"{a.public_id}:{s.element.pk}" for a, s in probable]
    response = client.post(page_url(team, "mapping_accept_all_apply"), {"framework": "read", "choice": choices})
    mapped = set(Activity.elements.through.objects.filter(activity__workspace=team).values_list("activity_id", "element_id"))
    assert mapped == {(a.pk, s.element.pk) for a, s in probable}
    changes = Change.objects.filter(activity__workspace=team)
    batches = set(changes.values_list("batch", flat=True))
    assert len(batches) == 1 and None not in batches
    assert changes.count() == len(probable)
    assert {change.by for change in changes} == {personas["editor"]}
    assert Workspace.objects.get(pk=team.pk).version == version + 1
    batch = batches.pop()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(team)}?framework=read&batch={batch}#batch"

    # The undo survives a reload: the batch travels in the address.
    page = client.get(response["Location"])
    assert page.context["batch"].present == len(probable)
    assert "Undo this batch" in page.text


def test_unticked_suggestions_are_left_alone(as_persona, team):
    client = as_persona("editor")
    probable = client.get(page_url(team, "mapping_accept_all")).context["page"].probable
    assert len(probable) >= 2
    (kept_activity, kept), *_ = probable
    client.post(
        page_url(team, "mapping_accept_all_apply"), {"framework": "read", "choice": [f"{kept_activity.public_id}:{kept.element.pk}"]}
    )
    assert list(Activity.elements.through.objects.filter(activity__workspace=team).values_list("activity_id", "element_id")) == [
        (kept_activity.pk, kept.element.pk)
    ]


def test_tampered_or_stale_choices_write_nothing(as_persona, team, personas):
    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    client = as_persona("editor")
    planning = activity(team, "Launch planning")
    good = f"{planning.public_id}:{element('launch').pk}"
    cases = {
        "none ticked": [],
        "malformed": [good, "garbage"],
        "huge element id": [good, f"{planning.public_id}:{'9' * 40}"],
        "foreign activity": [good, f"{other.activities.first().public_id}:{element('launch').pk}"],
        "element of another framework": [good, f"{planning.public_id}:{element('launch', 'pragmatic').pk}"],
    }
    for case, choices in cases.items():
        before = state(team), state(other)
        response = client.post(page_url(team, "mapping_accept_all_apply"), {"framework": "read", "choice": choices})
        assert response.status_code == 302, case
        assert response["Location"].startswith(page_url(team, "mapping_accept_all")), case
        assert messages_of(client.get(response["Location"])), case
        assert (state(team), state(other)) == before, case
    # A framework that does not exist is refused too.
    before = state(team)
    client.post(page_url(team, "mapping_accept_all_apply"), {"framework": "nope", "choice": [good]})
    assert state(team) == before


def test_applying_what_is_already_mapped_is_harmless(as_persona, team):
    client = as_persona("editor")
    planning = activity(team, "Launch planning")
    planning.elements.add(element("launch"))
    before = state(team)
    response = client.post(
        page_url(team, "mapping_accept_all_apply"), {"framework": "read", "choice": [f"{planning.public_id}:{element('launch').pk}"]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nothing to map" in " ".join(messages_of(response))
    assert state(team) == before


def test_undo_removes_the_batch_and_only_the_batch(as_persona, team, personas):
    client = as_persona("editor")
    handmade = activity(team, "Analyst briefings")
    handmade.elements.add(element("influencer-engagement"))
    planning, pricing = activity(team, "Launch planning"), activity(team, "Pricing and packaging")
    batch = services.mappings_accept(
        workspace=team, choices=[(planning, element("launch")), (pricing, element("pricing"))], by=personas["editor"]
    )
    response = client.post(page_url(team, "mapping_undo"), {"batch": batch, "framework": "read", "show": "all"}, follow=True)
    assert "Undid the batch: removed 2 mappings." in " ".join(messages_of(response))
    assert list(planning.elements.all()) == [] and list(pricing.elements.all()) == []
    assert [e.code for e in handmade.elements.all()] == ["influencer-engagement"]
    removals = Change.objects.filter(activity__workspace=team, before="mapped")
    assert removals.count() == 2 and {change.by for change in removals} == {personas["editor"]}

    # Undone, the page says so and offers no second undo; a second click is harmless.
    page = client.get(page_url(team), {"framework": "read", "batch": batch})
    assert "This batch has been undone" in page.text and "Undo this batch" not in page.text
    before = state(team)
    again = client.post(page_url(team, "mapping_undo"), {"batch": batch, "framework": "read"}, follow=True)
    assert "Nothing to undo" in " ".join(messages_of(again))
    assert state(team) == before


def test_an_undo_of_a_batch_that_is_not_this_workspaces_is_refused(as_persona, team, personas):
    other = team_workspace(personas, "Other team")
    foreign = services.mappings_accept(
        workspace=other, choices=[(activity(other, "Launch planning"), element("launch"))], by=personas["owner"]
    )
    client = as_persona("editor")
    # (A NUL anywhere is refused before any view: tests/test_hostile_requests.py.)
    for batch in (foreign, uuid.uuid4(), "not-a-batch", ""):
        before, other_before = state(team), state(other)
        response = client.post(page_url(team, "mapping_undo"), {"batch": batch, "framework": "read"}, follow=True)
        assert response.status_code == 200
        assert messages_of(response)
        assert (state(team), state(other)) == (before, other_before)
    # A batch id in the address that is not this workspace's shows nothing.
    page = client.get(page_url(team), {"batch": foreign})
    assert page.context["batch"] is None
    assert client.get(page_url(team), {"batch": "garbage"}).status_code == 200


# Queries


def test_the_page_and_its_actions_take_the_same_number_of_queries_whatever_the_number_of_activities(
    as_persona, personas
):
    client = as_persona("owner")
    small = team_workspace(personas, "Small", [f"Launch planning {i}" for i in range(3)])
    large = team_workspace(personas, "Large", [f"Competitive battlecards {i}" for i in range(40)])
    for workspace in (small, large):
        workspace.activities.first().elements.add(element("launch"))
    client.get(page_url(small), {"show": "all"})  # warm up caches (session, content types)

    def queries(send) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert send().status_code == 200
        return len(captured)

    counts, pricing = {}, element("pricing")
    for workspace in (small, large):
        last = workspace.activities.last()
        counts[workspace.name] = (
            queries(lambda: client.get(page_url(workspace), {"show": "all"})),
            queries(lambda: client.get(page_url(workspace, "mapping_accept_all"))),
            queries(lambda: client.post(
                page_url(workspace, "mapping_accept"), {"choice": choice(last, pricing), "framework": "read"},
                headers={"HX-Request": "true"},
            )),
        )
    assert counts["Small"] == counts["Large"], counts
    page, preview, accept_one = counts["Small"]
    # The accept takes the workspace lock first (one write path), then writes and answers the row.
    assert page <= 7 and preview <= 7 and accept_one <= 18, counts


def test_a_membership_level_change_takes_effect_at_once(as_persona, team, personas):
    Membership.objects.filter(workspace=team, user=personas["editor"]).update(level="viewer")
    response = accept(as_persona("editor"), team, "Launch planning", element("launch"))
    assert response.status_code == 403
    assert not activity(team, "Launch planning").elements.exists()


def test_frameworks_are_all_offered_in_the_switcher(as_persona, team):
    html = as_persona("viewer").get(page_url(team)).text
    for framework in Framework.objects.all():
        assert f'<option value="{framework.slug}"' in html
