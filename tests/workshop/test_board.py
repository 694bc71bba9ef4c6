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


def _cards(workshop):
    from workshops.selectors import board_for

    return [card.note.text for lane in board_for(workshop).lanes for card in lane.cards]


@pytest.mark.parametrize("second", ["crossed", "kept note merged"])
def test_crossing_merges_never_hide_both_notes(workshop, participant, others, second):
    """A into B, then (from a page loaded before) B into A: the second is refused, and every
    note is still a card or merged into one that is."""
    a = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    b = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    stale_a, stale_b = Note.objects.get(pk=a.pk), Note.objects.get(pk=b.pk)
    services.note_merge(target=b, others=[a])
    with pytest.raises(services.ServiceError, match="nothing was merged"):
        if second == "crossed":
            services.note_merge(target=stale_a, others=[stale_b])
        else:  # A, merged already, given as a note to fold into B again
            services.note_merge(target=stale_b, others=[stale_a])
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.merged_into is None and a.merged_into == b
    assert _cards(workshop) == ["Launch planning"]


def test_a_merge_refuses_a_note_reworded_meanwhile(workshop, participant, others):
    a = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    b = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    stale_b = Note.objects.get(pk=b.pk)
    services.note_edit(note=b, text="Pricing")
    with pytest.raises(services.ServiceError, match="reworded meanwhile"):
        services.note_merge(target=a, others=[stale_b])
    assert sorted(_cards(workshop)) == ["Launch plan", "Pricing"]


def test_the_merge_page_says_a_crossed_merge_was_refused(as_persona, workshop, participant, others):
    a = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    b = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    client = as_persona("editor")
    ticked = [str(a.public_id), str(b.public_id)]
    real_merge = services.note_merge

    def crossed(*, target, others):  # the other facilitator's merge lands between page and write
        real_merge(target=others[0], others=[target])
        return real_merge(target=target, others=others)

    import workshops.views

    workshops.views.services.note_merge = crossed
    try:
        response = client.post(merge_url(workshop), {"notes": ticked, "keep": str(a.public_id)}, follow=True)
    finally:
        workshops.views.services.note_merge = real_merge
    assert response.status_code == 200 and "nothing was merged" in response.text
    assert _cards(workshop) == ["Launch planning"]


@pytest.mark.parametrize("gone", ["merged", "withdrawn"])
@pytest.mark.parametrize("action", ["note_move", "note_map", "note_edit", "note_owners"])
def test_a_facilitator_write_to_a_note_merged_or_withdrawn_meanwhile_is_refused(
    as_persona, workshop, participant, others, lanes, gone, action
):
    a = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    b = services.note_add(participant=others, text="Launch planning", kind="self", role=None)
    stale = Note.objects.get(pk=a.pk)
    if gone == "merged":
        services.note_merge(target=b, others=[a])
    else:
        services.participant_note_withdraw(participant=participant, note=a)
    version = Workshop.objects.get(pk=workshop.pk).version
    role = workshop.roles.get(name="Product Manager")
    call = {
        "note_move": lambda: services.note_move(note=stale, category=lanes["launch"]),
        "note_map": lambda: services.note_map(note=stale, element=lanes["pricing"]),
        "note_edit": lambda: services.note_edit(note=stale, text="Something else", original="Launch plan"),
        "note_owners": lambda: services.note_set_owner(note=stale, role=role, letters="A"),
    }[action]
    with pytest.raises(services.Gone if gone == "withdrawn" else services.ServiceError):
        call()
    assert Workshop.objects.get(pk=workshop.pk).version == version
    assert not NoteOwner.objects.filter(note_id=a.pk, role=role).exists()
    if gone == "merged":
        a.refresh_from_db()
        assert a.text == "Launch plan" and a.category is None and a.merged_into == b
        # Through the page too: a refusal (400), never a server error.
        url = reverse(f"workshop:{action}", args=[workshop.workspace.public_id, workshop.public_id, a.public_id])
        data = {"lane": lanes["launch"].pk, "element": lanes["pricing"].pk, "text": "Something else", "original": "Launch plan",
                f"role-{role.pk}": "A"}
        response = as_persona("editor").post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 400 and "merged into another one meanwhile" in response.text
