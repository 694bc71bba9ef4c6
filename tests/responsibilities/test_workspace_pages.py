"""The activity list, mapping picker, roles and people, members and invitations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.models import Element
from responsibilities.models import Change, Invitation, Membership, Person
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, personas, workspace):
    client.force_login(personas["owner"])
    return client


def url(name, workspace, *args):
    return reverse(f"workspaces:{name}", args=[workspace.public_id, *args])


# Activity list


def test_activity_list_filters_by_role_and_letter(owner_client, workspace):
    role = workspace.roles.get(name="Product Marketing")
    response = owner_client.get(url("activities", workspace), {"role": role.public_id, "letters": "A/R"})
    assert response.status_code == 200
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["Activity 2"]


def test_activity_list_filters_by_element_and_name(owner_client, workspace):
    strategy = Element.objects.get(framework__slug="read", code="strategy")
    workspace.activities.get(name="Activity 3").elements.add(strategy)
    response = owner_client.get(url("activities", workspace), {"element": strategy.pk})
    assert [row.record.name for row in response.context["table"].page.object_list] == ["Activity 3"]
    response = owner_client.get(url("activities", workspace), {"q": "ivity 1"})
    assert [row.record.name for row in response.context["table"].page.object_list] == ["Activity 1"]


def test_activity_list_sorts_and_paginates(owner_client, personas):
    big = build_workspace("Big", members={personas["owner"]: "owner"}, activities=60)
    response = owner_client.get(url("activities", big), {"sort": "-name"})
    rows = response.context["table"].page.object_list
    assert len(rows) == 50
    assert rows[0].record.name == "Activity 9"
    assert "page=2" in response.text


def test_activity_list_ignores_bad_filters_with_a_message(owner_client, workspace):
    response = owner_client.get(url("activities", workspace), {"role": "not-a-uuid", "letters": "<script>", "page": "x"})
    assert response.status_code in (200, 404)
    assert "<script>" not in response.text


def test_activity_list_exports_the_filtered_rows_as_csv(owner_client, workspace):
    role = workspace.roles.get(name="Product Marketing")
    response = owner_client.get(url("activities", workspace), {"role": role.public_id, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("activity,group,description,elements,Product Manager,Product Marketing")
    assert len(lines) == 2 and lines[1].startswith("Activity 2")


def test_an_activity_group_shows_on_the_list_and_the_activity_page(owner_client, workspace):
    activity = workspace.activities.get(name="Activity 1")
    activity.group = "Pre-launch <b>"
    activity.save()
    listed = owner_client.get(url("activities", workspace)).text
    assert '<span class="tag" title="Group">Pre-launch &lt;b&gt;</span>' in listed
    page = owner_client.get(url("activity", workspace, activity.public_id)).text
    assert "Pre-launch &lt;b&gt;</span>" in page


def test_activity_list_query_count_does_not_grow(owner_client, personas, django_assert_num_queries):
    small = build_workspace("Small", members={personas["owner"]: "owner"}, activities=5)
    big = build_workspace("Large", members={personas["owner"]: "owner"}, activities=45, roles=[f"Role {i}" for i in range(8)])
    with CaptureQueriesContext(connection) as at_small:
        owner_client.get(url("activities", small))
    with django_assert_num_queries(len(at_small)):
        owner_client.get(url("activities", big))


# Mapping picker


def test_mapping_search_finds_elements_across_frameworks(owner_client, workspace):
    activity = workspace.activities.first()
    response = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": "competitive"})
    text = response.text
    assert "Competitive intelligence" in text and "Competitive Landscape" in text


def test_mapping_search_as_htmx_returns_only_the_results(owner_client, workspace):
    activity = workspace.activities.first()
    response = owner_client.get(
        url("activity_mapping", workspace, activity.public_id), {"q": "kemp segmentation", "panel": "results"},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith('<fieldset id="results"')
    assert "Segmentation" in response.text


@pytest.mark.parametrize("query", ["pragmatic:Programs", "Pragmatic: PROGRAMS"])
def test_an_ambiguous_reference_in_the_picker_shows_both_with_their_place_and_chooses_neither(owner_client, workspace, query):
    activity = workspace.activities.first()
    response = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": query})
    column = Element.objects.get(framework__slug="pragmatic", code="programs")
    box = Element.objects.get(framework__slug="pragmatic", code="support-programs")
    search = response.context["search"]
    assert search.results == search.ambiguous == [column, box]
    text = " ".join(response.text.split())
    assert "names 2 elements, one by its code and another by its name" in text
    assert "Programs <span class=\"muted\">(category)</span> (<code>pragmatic:programs</code>) or Support › Programs (<code>pragmatic:support-programs</code>)" in text
    assert 'value="%d" checked' % column.pk not in text and 'value="%d" checked' % box.pk not in text


def test_a_reference_written_as_the_code_finds_that_element_alone(owner_client, workspace):
    activity = workspace.activities.first()
    for query, code in (("pragmatic:programs", "programs"), ("pragmatic:support-programs", "support-programs"), ("kemp:Segmentation", "segmentation")):
        search = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": query}).context["search"]
        assert [e.code for e in search.results] == [code] and search.ambiguous == []


def test_an_ambiguous_reference_still_names_a_candidate_that_is_mapped_already(owner_client, workspace):
    activity = workspace.activities.first()
    box = Element.objects.get(framework__slug="pragmatic", code="support-programs")
    activity.elements.add(box)
    response = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": "pragmatic:Programs"})
    search = response.context["search"]
    assert [e.code for e in search.results] == ["programs"]
    assert [e.code for e in search.ambiguous] == ["programs", "support-programs"]


def test_a_framework_and_words_search_within_that_framework(owner_client, workspace):
    activity = workspace.activities.first()
    search = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": "pragmatic:buyer"}).context["search"]
    assert [e.code for e in search.results] == ["buyer-experience", "buyer-personas"]
    search = owner_client.get(url("activity_mapping", workspace, activity.public_id), {"q": "pragmatic:"}).context["search"]
    assert search.results == list(Element.objects.filter(framework__slug="pragmatic").order_by("position"))


def test_mapping_save_records_history(owner_client, workspace, personas):
    activity = workspace.activities.first()
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    response = owner_client.post(url("activity_mapping", workspace, activity.public_id), {"element": [pricing.pk]})
    assert response.status_code == 302
    assert list(activity.elements.all()) == [pricing]
    kinds = list(Change.objects.filter(activity=activity).values_list("before", "after", "by__username"))
    assert ("", "mapped", "owner") in kinds and ("mapped", "", "owner") in kinds
    history = owner_client.get(url("activity", workspace, activity.public_id)).text
    assert "mapped to" in history and "unmapped from" in history


def test_mapping_refuses_garbage_ids_and_keeps_the_mapping(owner_client, workspace):
    activity = workspace.activities.first()
    before = set(activity.elements.values_list("pk", flat=True))
    for garbage in (["x"], ["-1"], ["²"], ["9" * 40]):
        response = owner_client.post(url("activity_mapping", workspace, activity.public_id), {"element": garbage})
        assert response.status_code == 400
    assert set(activity.elements.values_list("pk", flat=True)) == before
    # An id that is a number but no element maps nothing (and unmaps what was there).
    owner_client.post(url("activity_mapping", workspace, activity.public_id), {"element": ["99999999"]})
    assert activity.elements.count() == 0


# Roles and people


def test_roles_can_be_renamed_reordered_and_deleted(owner_client, workspace):
    pm = workspace.roles.get(name="Product Manager")
    owner_client.post(url("role", workspace, pm.public_id), {"name": "Product", "archetype": "pm"})
    owner_client.post(url("role_move", workspace), {"move": f"{pm.public_id}:down"})
    assert list(workspace.roles.order_by("position").values_list("name", flat=True)) == [
        "Product Marketing", "Product", "Corp Marketing",
    ]
    owner_client.post(url("role_delete", workspace, pm.public_id))
    assert not workspace.roles.filter(name="Product").exists()


def test_a_duplicate_role_name_is_refused_with_a_message(owner_client, workspace):
    pm = workspace.roles.get(name="Product Manager")
    response = owner_client.post(url("role", workspace, pm.public_id), {"name": "product marketing", "archetype": "pm"}, follow=True)
    assert "There is a role called" in response.text
    assert workspace.roles.filter(name="Product Manager").exists()


def test_people_hold_roles_and_pm_plus_pmm_is_warned(owner_client, workspace):
    roles = [r.public_id for r in workspace.roles.filter(archetype__slug__in=["pm", "pmm"])]
    response = owner_client.post(url("person_add", workspace), {"name": "Dana", "roles": roles}, follow=True)
    assert "known cause of overload" in response.text
    dana = Person.objects.get(workspace=workspace, name="Dana")
    assert dana.roles.count() == 2
    page = owner_client.get(url("team", workspace)).text
    assert "Dana" in page


def test_a_role_of_another_workspace_cannot_be_given_to_a_person(owner_client, workspace, personas):
    other = build_workspace("Other", members={personas["outsider"]: "owner"})
    foreign = other.roles.first()
    owner_client.post(url("person_add", workspace), {"name": "Dana", "roles": [foreign.public_id]})
    assert not Person.objects.filter(workspace=workspace, roles=foreign).exists()


def test_team_page_query_count_does_not_grow(owner_client, personas, django_assert_num_queries):
    small = build_workspace("Small", members={personas["owner"]: "owner"}, roles=["A", "B"])
    big = build_workspace("Large", members={personas["owner"]: "owner"}, roles=[f"Role {i}" for i in range(10)])
    for workspace in (small, big):
        for i, role in enumerate(workspace.roles.all()):
            Person.objects.create(workspace=workspace, name=f"P{i}").roles.add(role)
    with CaptureQueriesContext(connection) as at_small:
        owner_client.get(url("team", small))
    with django_assert_num_queries(len(at_small)):
        owner_client.get(url("team", big))


# Members and invitations


def test_owner_adds_a_member_by_username(owner_client, workspace, make_user):
    make_user("newcomer")
    owner_client.post(url("members", workspace), {"action": "add", "username": "NEWCOMER", "level": "editor"})
    assert workspace.memberships.get(user__username="newcomer").level == "editor"


def test_adding_an_unknown_username_says_so(owner_client, workspace):
    response = owner_client.post(url("members", workspace), {"action": "add", "username": "ghost", "level": "editor"})
    assert "Nobody has that username" in response.text


def test_the_last_owner_cannot_leave(owner_client, workspace, personas):
    mine = workspace.memberships.get(user=personas["owner"])
    response = owner_client.post(url("members", workspace), {"action": "remove", "membership": mine.pk}, follow=True)
    assert "needs at least one owner" in response.text
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_an_invitation_link_works_once(owner_client, workspace, client, make_user):
    owner_client.post(url("members", workspace), {"action": "invite", "level": "viewer"})
    invitation = Invitation.objects.get(workspace=workspace)
    link = reverse("workspaces:invitation", args=[invitation.token])
    client.logout()
    guest = make_user("guest")
    client.force_login(guest)
    assert "Join " + workspace.name in client.get(link).text
    response = client.post(link)
    assert response.status_code == 302
    assert workspace.memberships.get(user=guest).level == "viewer"
    client.force_login(make_user("second"))
    assert "cannot be used" in client.get(link).text
    client.post(link)
    assert not workspace.memberships.filter(user__username="second").exists()


def test_a_forged_invitation_token_is_refused(client, make_user):
    client.force_login(make_user("guest"))
    assert "cannot be used" in client.get(reverse("workspaces:invitation", args=["forged"])).text
    response = client.post(reverse("workspaces:invitation", args=["forged"]), follow=True)
    assert "not valid or has expired" in response.text
