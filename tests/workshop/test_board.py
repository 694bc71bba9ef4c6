"""The board's merge (the facilitator chooses the survivor) and the presenter view."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from workshops import services
from workshops.models import Note, NoteOwner, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def lanes():
    return {code: Element.objects.get(framework__slug="read", code=code) for code in ("launch", "pricing")}


@pytest.fixture
def others(workshop):
    sam = services.join(code=workshop.code, name="Sam", ip="10.0.0.2")
    services.participant_set_role(participant=sam, role=workshop.roles.get(name="Product Manager"))
    sam.refresh_from_db()
    return sam


def merge_url(workshop):
    return reverse("workshop:merge", args=[workshop.workspace.public_id, workshop.public_id])


def owners(note):
    return dict(NoteOwner.objects.filter(note=note).values_list("role__name", "letters"))


def test_the_chosen_note_survives_in_its_lane_with_its_mapping(as_persona, workshop, participant, others, lanes):
    sorted_note = services.note_add(participant=participant, text="Pricing decisions", kind="self", role=None)
    element = lanes["pricing"]
    services.note_map(note=sorted_note, element=element)
    unsorted = services.note_add(participant=others, text="pricing decisions", kind="self", role=None)
    client = as_persona("editor")
    ticked = [str(unsorted.public_id), str(sorted_note.public_id)]  # page order: Unsorted first
    choice = client.post(merge_url(workshop), {"notes": ticked})
    # The sorted note is offered, whatever the page order.
    assert f'value="{sorted_note.public_id}" checked' in choice.text
    client.post(merge_url(workshop), {"notes": ticked, "keep": str(sorted_note.public_id)})
    sorted_note.refresh_from_db()
    unsorted.refresh_from_db()
    assert sorted_note.merged_into is None and unsorted.merged_into == sorted_note
    assert sorted_note.category == lanes["launch"] and sorted_note.element == element
    board = client.get(workshop.get_absolute_url()).text
    assert "Dana, Sam" in board  # every author stays


def test_every_owner_statement_joins_the_survivor(workshop, participant, others):
    roles = {role.name: role for role in workshop.roles.all()}
    kept = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    merged = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    third = services.note_add(participant=others, text="Plan the launch", kind="self", role=None)
    services.note_set_owner(note=kept, role=roles["Product Marketing"], letters="R")
    services.note_set_owner(note=kept, role=roles["Product Manager"], letters="C")
    services.note_set_owner(note=merged, role=roles["Product Marketing"], letters="A")
    services.note_set_owner(note=merged, role=roles["Corp Marketing"], letters="I")
    services.note_set_owner(note=third, role=roles["Product Manager"], letters="R")
    differing = services.note_merge(target=kept, others=[merged, third])
    assert owners(kept) == {"Product Marketing": "A/R", "Product Manager": "C", "Corp Marketing": "I"}
    assert differing == ["Product Manager"]  # C kept, the R is named for the facilitator
    assert owners(third) == {"Product Manager": "R"}  # the merged note's own statement is not lost


def test_a_merge_refuses_a_survivor_outside_the_selection(as_persona, workshop, participant, others):
    first = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    second = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    outside = services.note_add(participant=others, text="Roadmap", kind="self", role=None)
    client = as_persona("editor")
    version = Workshop.objects.get(pk=workshop.pk).version
    for keep in [str(outside.public_id), str(uuid.uuid4()), "not-a-uuid", "1", ""]:
        response = client.post(merge_url(workshop), {"notes": [str(first.public_id), str(second.public_id)], "keep": keep})
        assert response.status_code == 400
    assert Workshop.objects.get(pk=workshop.pk).version == version
    assert not Note.objects.exclude(merged_into=None).exists()


def test_a_merge_ignores_notes_of_another_workshop_and_unknown_ids(as_persona, workshop, participant, team, personas):
    mine = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    other_workshop = services.workshop_start(
        workspace=team, title="Other", framework=workshop.framework, roles=list(team.roles.all()), by=personas["editor"]
    )
    stranger = services.join(code=other_workshop.code, name="Kim", ip="10.0.0.3")
    services.participant_set_role(participant=stranger, role=team.roles.first())
    foreign = services.note_add(participant=stranger, text="Launch plan", kind="self", role=None)
    client = as_persona("editor")
    ticked = [str(mine.public_id), str(foreign.public_id), str(uuid.uuid4())]
    response = client.post(merge_url(workshop), {"notes": ticked, "keep": str(mine.public_id)}, follow=True)
    assert "Select two or more" in response.text
    assert client.post(merge_url(workshop), {"notes": ticked, "keep": str(foreign.public_id)}).status_code == 302
    foreign.refresh_from_db()
    mine.refresh_from_db()
    assert foreign.merged_into is None and mine.merged_into is None


def test_a_note_with_a_nul_or_odd_number_merges_nothing(as_persona, workshop, participant, others):
    first = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    second = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    client = as_persona("editor")
    both = [str(first.public_id), str(second.public_id)]
    assert client.post(merge_url(workshop), {"notes": both, "keep": f"{first.public_id}\x00"}).status_code == 400
    assert client.post(merge_url(workshop), {"notes": [*both, "²"], "keep": str(first.public_id)}).status_code == 404
    assert client.post(merge_url(workshop), {"notes": both, "keep": "9" * 5000}).status_code == 400
    assert not Note.objects.exclude(merged_into=None).exists()


# Presenter view


def present_url(workshop):
    return reverse("workshop:present", args=[workshop.workspace.public_id, workshop.public_id])


def test_the_presenter_view_shows_how_to_join_in_large_type_without_site_navigation(as_persona, workshop, participant):
    text = as_persona("viewer").get(present_url(workshop)).text
    assert workshop.code in text and f"/join/?code={workshop.code}" in text
    assert 'class="segno"' in text and "viewBox" in text  # scalable: CSS makes it fill the screen
    assert "site-nav" not in text and 'aria-label="Workspace"' not in text
    assert "<strong>1</strong> participant" in text and "<strong>0</strong> notes" in text


def test_the_presenter_view_polls_like_the_board(as_persona, workshop, participant, django_assert_num_queries):
    from workshops.views import poll_token

    client = Client()  # the projector's poll, before any session is looked at
    viewer = as_persona("viewer")
    version = Workshop.objects.get(pk=workshop.pk).version
    with django_assert_num_queries(1):
        assert client.get(present_url(workshop), {"v": version, "t": poll_token(workshop)}).status_code == 204
    assert viewer.get(present_url(workshop), {"v": version}).status_code == 204
    services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    fresh = viewer.get(present_url(workshop), {"v": version}, headers={"HX-Request": "true"})
    assert fresh.status_code == 200 and fresh.text.lstrip().startswith('<div id="live"')
    assert "<strong>1</strong> note" in fresh.text
    # The token tells only "no change": content needs a member's login.
    assert client.get(present_url(workshop), {"v": version, "t": poll_token(workshop)}).status_code == 302
    new = services.workshop_new_code(workshop=workshop)
    assert new.code in viewer.get(present_url(workshop), {"v": version}, headers={"HX-Request": "true"}).text


@pytest.mark.parametrize("persona, status", [("anonymous", 302), ("outsider", 404), ("viewer", 200), ("editor", 200), ("owner", 200)])
def test_the_presenter_view_is_for_members(as_persona, workshop, persona, status):
    assert as_persona(persona).get(present_url(workshop)).status_code == status


def test_a_closed_workshop_shows_no_code_on_the_projector(as_persona, workshop):
    services.workshop_close(workshop=workshop)
    text = as_persona("viewer").get(present_url(workshop)).text
    assert "closed" in text and workshop.code not in text


def test_the_board_links_the_presenter_view_and_explains_note_kinds(as_persona, workshop):
    text = as_persona("editor").get(workshop.get_absolute_url()).text
    assert present_url(workshop) in text and "Open the presenter view" in text
    assert "Yellow:" in text and "Blue:" in text
