"""Joining, notes, sorting, merging and committing a workshop."""

import re

import pytest

from frameworks.models import Element
from responsibilities.models import Activity, Assignment
from workshops import services
from workshops.models import JoinAttempt, Note, Workshop

pytestmark = pytest.mark.django_db


def test_a_code_is_short_to_type_and_unambiguous(workshop):
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{3}-[A-HJ-NP-Z2-9]{6}", workshop.code)


def test_joining_accepts_sloppy_typing_of_the_code(workshop):
    sloppy = workshop.code.lower().replace("-", " ")
    assert services.join(code=sloppy, name="  Sam  ", ip="10.0.0.2").name == "Sam"


def test_a_wrong_code_is_refused_and_counted(workshop):
    with pytest.raises(services.ServiceError, match="does not open a workshop"):
        services.join(code=workshop.key + "-ZZZZZZ", name="Eve", ip="10.0.0.9")
    attempt = JoinAttempt.objects.get()
    assert (attempt.ip, attempt.workshop) == ("10.0.0.9", workshop)


def test_wrong_codes_are_limited_per_address(workshop):
    for _ in range(services.WRONG_CODES_PER_ADDRESS):
        with pytest.raises(services.ServiceError):
            services.join(code="AAA-AAAAA", name="Eve", ip="10.0.0.9")
    with pytest.raises(services.RateLimited):
        services.join(code=workshop.code, name="Eve", ip="10.0.0.9")  # even the right code, for a while
    assert services.join(code=workshop.code, name="Sam", ip="10.0.0.10")


def test_a_closed_workshop_refuses_joins_and_notes(workshop, participant):
    services.workshop_close(workshop=workshop)
    with pytest.raises(services.ServiceError, match="closed"):
        services.join(code=workshop.code, name="Late", ip="10.0.0.3")
    with pytest.raises(services.ServiceError, match="closed"):
        services.note_add(participant=participant, text="Pricing", kind="self", role=None)


@pytest.mark.parametrize("text, message", [("", "Write what"), ("x" * 201, "200 characters")])
def test_note_text_is_required_and_length_limited(participant, text, message):
    with pytest.raises(services.ServiceError, match=message):
        services.note_add(participant=participant, text=text, kind="self", role=None)
    assert not Note.objects.exists()


def test_notes_bump_the_version_polling_compares(workshop, participant):
    before = Workshop.objects.get(pk=workshop.pk).version
    note = services.note_add(participant=participant, text="Write the launch messaging", kind="self", role=None)
    assert Workshop.objects.get(pk=workshop.pk).version > before
    assert (note.role.name, note.share, note.category) == ("Product Marketing", "own", None)


def test_an_other_note_names_a_role_of_the_workshop(workshop, participant, team):
    pm = workshop.roles.get(name="Product Manager")
    note = services.note_add(participant=participant, text="Pricing", kind="other", role=pm)
    assert (note.role, note.share) == (pm, "")
    with pytest.raises(services.ServiceError, match="which role"):
        services.note_add(participant=participant, text="Pricing", kind="other", role=None)


def test_merging_keeps_every_author(workshop, participant):
    from workshops.selectors import board_for

    sam = services.join(code=workshop.code, name="Sam", ip="10.0.0.4")
    services.participant_set_role(participant=sam, role=workshop.roles.get(name="Product Manager"))
    sam.refresh_from_db()
    first = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    second = services.note_add(participant=sam, text="launch plan", kind="self", role=None)
    services.note_merge(target=first, others=[second])
    [card] = board_for(Workshop.objects.get(pk=workshop.pk)).lanes[0].cards
    assert card.note == first and card.authors == ["Dana", "Sam"]


def sorted_note(workshop, participant, text, code, owners):
    note = services.note_add(participant=participant, text=text, kind="self", role=None)
    services.note_map(note=note, element=Element.objects.get(framework__slug="read", code=code))
    for role_name, letters in owners.items():
        services.note_set_owner(note=note, role=workshop.roles.get(name=role_name), letters=letters)
    return note


def test_commit_creates_activities_mappings_and_letters_once(workshop, participant, personas):
    sorted_note(workshop, participant, "Launch messaging", "product-messaging", {"Product Marketing": "A/R", "Corp Marketing": "C"})
    services.note_add(participant=participant, text="Still unsorted", kind="self", role=None)
    plan = services.workshop_commit(workshop=workshop, by=personas["editor"])
    assert [item.name for item in plan] == ["Launch messaging"]
    activity = Activity.objects.get(workspace=workshop.workspace, name="Launch messaging")
    assert [e.code for e in activity.elements.all()] == ["product-messaging"]
    assert dict(activity.assignments.values_list("role__name", "letters")) == {"Product Marketing": "A/R", "Corp Marketing": "C"}
    assert not Activity.objects.filter(name="Still unsorted").exists()
    assert Workshop.objects.get(pk=workshop.pk).status == "closed"
    counts = (Activity.objects.count(), Assignment.objects.count(), activity.changes.count())
    services.workshop_commit(workshop=workshop, by=personas["editor"])
    assert (Activity.objects.count(), Assignment.objects.count(), activity.changes.count()) == counts


def test_commit_is_all_or_nothing(workshop, participant, personas, monkeypatch):
    sorted_note(workshop, participant, "First", "pricing", {"Product Marketing": "A"})
    sorted_note(workshop, participant, "Second", "product-messaging", {"Product Marketing": "A"})
    calls = []
    real = services.workspace_services.assignment_set

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services.workspace_services, "assignment_set", failing)
    with pytest.raises(RuntimeError):
        services.workshop_commit(workshop=workshop, by=personas["editor"])
    assert not Activity.objects.filter(workspace=workshop.workspace).exists()
    assert Workshop.objects.get(pk=workshop.pk).status == "open"


def test_moving_a_note_to_another_lane_drops_a_mapping_of_the_old_lane(workshop, participant):
    note = sorted_note(workshop, participant, "Pricing", "pricing", {})
    roadmap = Element.objects.get(framework__slug="read", code="roadmap")
    services.note_move(note=note, category=roadmap, position=0)
    note.refresh_from_db()
    assert (note.category, note.element) == (roadmap, None)
    with pytest.raises(services.ServiceError, match="not a category"):
        services.note_move(note=note, category=Element.objects.get(framework__slug="pragmatic", code="market"))
