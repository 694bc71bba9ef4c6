"""The participant's side: joining with a role, one note form per kind, typed text kept on
every refusal, own notes changed or withdrawn until the facilitator sorts them, the end state."""

import pytest
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from workshops import services
from workshops.models import NOTE_LIMIT, JoinAttempt, Note, Participant, Workshop
from workshops.views import SESSION_KEY

pytestmark = pytest.mark.django_db

JOIN = reverse("workshop:join")


def as_participant(workshop, participant) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(workshop.public_id): str(participant.public_id)}
    session.save()
    return client


def page_url(workshop):
    return reverse("workshop:participant", args=[workshop.public_id])


def edit_url(workshop, note):
    return reverse("workshop:participant_note", args=[workshop.public_id, note.public_id])


def withdraw_url(workshop, note):
    return reverse("workshop:participant_note_withdraw", args=[workshop.public_id, note.public_id])


def version(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).version


@pytest.fixture
def note(participant):
    return services.note_add(participant=participant, text="Launch messaging", kind="self", role=None)


@pytest.fixture
def sam(workshop):
    return services.join(code=workshop.code, name="Sam", ip="10.0.0.2", role=workshop.roles.get(name="Product Manager"))


# Joining


def test_the_qr_link_asks_for_name_and_the_workshops_roles_at_once(workshop):
    page = Client().get(JOIN, {"code": workshop.code.lower()})
    assert page.status_code == 200
    assert 'name="name"' in page.text and 'name="role"' in page.text and 'name="code"' in page.text
    for role in workshop.roles.all():
        assert f'<option value="{role.public_id}">{role.name}</option>' in page.text
    assert "None of these / I'd rather not say" in page.text


def test_a_typed_code_comes_first_and_a_wrong_one_counts_like_a_wrong_join(workshop):
    first = Client().get(JOIN)
    assert 'name="code"' in first.text and 'name="role"' not in first.text
    wrong = Client(REMOTE_ADDR="198.51.100.7").get(JOIN, {"code": f"{workshop.key}-ZZZZZZ"})
    assert wrong.status_code == 400 and "does not open a workshop" in wrong.text and 'name="role"' not in wrong.text
    assert JoinAttempt.objects.filter(ip="198.51.100.7").count() == 1
    for _ in range(services.WRONG_CODES_PER_ADDRESS):
        Client(REMOTE_ADDR="198.51.100.7").get(JOIN, {"code": f"{workshop.key}-ZZZZZZ"})
    assert Client(REMOTE_ADDR="198.51.100.7").get(JOIN, {"code": workshop.code}).status_code == 429


def test_joining_with_a_role_holds_it_and_none_of_these_holds_none(workshop):
    pm = workshop.roles.get(name="Product Manager")
    assert Client().post(JOIN, {"code": workshop.code, "name": "Sam", "role": str(pm.public_id)}).status_code == 302
    assert Client().post(JOIN, {"code": workshop.code, "name": "Lee", "role": "none"}).status_code == 302
    assert Participant.objects.get(name="Sam").role == pm
    assert Participant.objects.get(name="Lee").role is None


def test_a_refused_join_keeps_the_name_and_role_typed(workshop, team):
    pm = workshop.roles.get(name="Product Manager")
    stranger = team.roles.create(name="Not in this workshop", position=99, archetype=pm.archetype)
    refused = Client().post(JOIN, {"code": workshop.code, "name": "Sam", "role": str(stranger.public_id)})
    assert refused.status_code == 400 and "not taking part" in refused.text and 'value="Sam"' in refused.text
    nameless = Client().post(JOIN, {"code": workshop.code, "name": "  ", "role": str(pm.public_id)})
    assert nameless.status_code == 400 and f'<option value="{pm.public_id}" selected>' in nameless.text
    assert not Participant.objects.exists()


def test_a_closed_workshop_cannot_be_joined(workshop):
    services.workshop_close(workshop=workshop)
    page = Client().get(JOIN, {"code": workshop.code})
    assert page.status_code == 400 and "This workshop is closed" in page.text and 'name="name"' not in page.text
    assert Client().post(JOIN, {"code": workshop.code, "name": "Sam", "role": "none"}).status_code == 400
    assert not Participant.objects.exists()


def test_participant_pages_show_no_site_navigation(workshop, participant):
    for page in (Client().get(JOIN, {"code": workshop.code}), as_participant(workshop, participant).get(page_url(workshop))):
        assert 'class="site-nav"' not in page.text and "Log in" not in page.text


# The note form


def test_the_note_form_offers_each_kind_with_its_own_field(workshop, participant):
    text = as_participant(workshop, participant).get(page_url(workshop)).text
    assert 'value="self" checked' in text and 'class="field for-self"' in text and 'class="field for-other"' in text


def test_without_a_role_only_notes_about_other_roles_are_offered(workshop):
    lee = services.join(code=workshop.code, name="Lee", ip="10.0.0.3")
    text = as_participant(workshop, lee).get(page_url(workshop)).text
    assert 'value="self"' not in text and 'value="other" checked' in text and "for-self" not in text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "other", "about": "", "text": "Pricing decisions"}, "Choose which role you think does it"),
        ({"kind": "other", "about": "00000000-0000-0000-0000-000000000000", "text": "Pricing decisions"}, "not taking part"),
        ({"kind": "self", "text": "Pricing decisions " + "x" * NOTE_LIMIT}, f"Keep a note to {NOTE_LIMIT} characters"),
    ],
)
def test_a_refused_note_comes_back_as_typed(workshop, participant, data, message):
    response = as_participant(workshop, participant).post(page_url(workshop), data)
    assert response.status_code == 400 and message in response.text
    assert f'value="{data["text"]}"' in response.text and f'value="{data["kind"]}" checked' in response.text
    assert not Note.objects.exists()


def test_a_note_over_the_count_limit_comes_back_as_typed(workshop, participant, monkeypatch):
    monkeypatch.setattr(services, "NOTES_PER_PARTICIPANT", 1)
    client = as_participant(workshop, participant)
    client.post(page_url(workshop), {"kind": "self", "text": "First", "share": "own"})
    pm = workshop.roles.get(name="Product Manager")
    refused = client.post(page_url(workshop), {"kind": "other", "about": str(pm.public_id), "text": "Second"})
    assert refused.status_code == 400 and 'value="Second"' in refused.text
    assert f'<option value="{pm.public_id}" selected>' in refused.text
    assert list(Note.objects.values_list("text", flat=True)) == ["First"]


def test_a_note_sent_after_close_is_refused_and_its_text_shown(workshop, participant):
    client = as_participant(workshop, participant)
    services.workshop_close(workshop=workshop)
    response = client.post(page_url(workshop), {"kind": "self", "text": "Late thought"})
    assert response.status_code == 400 and "You wrote: “Late thought”" in response.text
    assert not Note.objects.exists()


def test_the_role_changes_until_close(workshop, participant):
    client = as_participant(workshop, participant)
    url = reverse("workshop:participant_role", args=[workshop.public_id])
    assert client.post(url, {"role": "none"}).status_code == 302
    participant.refresh_from_db()
    assert participant.role is None
    services.workshop_close(workshop=workshop)
    refused = client.post(url, {"role": str(workshop.roles.first().public_id)})
    assert refused.status_code == 400 and "roles can no longer change" in refused.text


# Own notes


def test_an_author_rewords_an_unsorted_note(workshop, participant, note):
    client = as_participant(workshop, participant)
    assert f'href="{edit_url(workshop, note)}"' in client.get(page_url(workshop)).text
    before = version(workshop)
    assert client.post(edit_url(workshop, note), {"text": "  Launch   copy "}).status_code == 302
    note.refresh_from_db()
    assert note.text == "Launch copy" and version(workshop) == before + 1


def test_an_author_withdraws_an_unsorted_note(workshop, participant, note):
    before = version(workshop)
    page = as_participant(workshop, participant).post(withdraw_url(workshop, note), follow=True)
    assert "Your note “Launch messaging” is withdrawn." in page.text
    assert not Note.objects.exists() and version(workshop) == before + 1


def sort_in_every_way(workshop, participant, note, sam):
    """Each way the facilitator takes a note in hand, one note each."""
    pricing = Element.objects.get(framework__slug="read", code="pricing")
    launch = Element.objects.get(framework__slug="read", code="launch")
    moved = note
    services.note_move(note=moved, category=launch)
    mapped = services.note_add(participant=participant, text="Mapped", kind="self", role=None)
    services.note_map(note=mapped, element=pricing)
    merged = services.note_add(participant=participant, text="Merged away", kind="self", role=None)
    survivor = services.note_add(participant=participant, text="Survivor", kind="self", role=None)
    services.note_merge(target=survivor, others=[merged])
    owned = services.note_add(participant=participant, text="Owned", kind="self", role=None)
    services.note_set_owner(note=owned, role=workshop.roles.first(), letters="A")
    return [moved, mapped, merged, survivor, owned]


def test_a_sorted_note_is_read_only_for_its_author(workshop, participant, note, sam):
    sorted_notes = sort_in_every_way(workshop, participant, note, sam)
    client = as_participant(workshop, participant)
    page = client.get(page_url(workshop)).text
    assert page.count("Sorted by the facilitator") == len(sorted_notes) and ">Edit</a>" not in page
    before = version(workshop), sorted(Note.objects.values_list("text", flat=True))
    for sorted_note in sorted_notes:
        edit = client.post(edit_url(workshop, sorted_note), {"text": "Changed"})
        assert edit.status_code == 400 and "The facilitator has sorted this note" in edit.text
        assert "You wrote: “Changed”" in edit.text  # the typed text is kept
        withdraw = client.post(withdraw_url(workshop, sorted_note))
        assert withdraw.status_code == 400 and "The facilitator has sorted this note" in withdraw.text
        assert "Sorted by the facilitator" in client.get(edit_url(workshop, sorted_note)).text
    assert (version(workshop), sorted(Note.objects.values_list("text", flat=True))) == before


def test_notes_cannot_change_after_close(workshop, participant, note):
    client = as_participant(workshop, participant)
    services.workshop_close(workshop=workshop)
    edit = client.post(edit_url(workshop, note), {"text": "Changed"})
    assert edit.status_code == 400 and "This workshop is closed" in edit.text and "You wrote: “Changed”" in edit.text
    assert client.post(withdraw_url(workshop, note)).status_code == 400
    note.refresh_from_db()
    assert note.text == "Launch messaging"


def test_another_participants_note_is_not_found(workshop, participant, note, sam):
    client = as_participant(workshop, sam)
    before = version(workshop)
    assert client.get(edit_url(workshop, note)).status_code == 404
    assert client.post(edit_url(workshop, note), {"text": "Mine now"}).status_code == 404
    assert client.post(withdraw_url(workshop, note)).status_code == 404
    note.refresh_from_db()
    assert note.text == "Launch messaging" and version(workshop) == before
    with pytest.raises(services.ServiceError):
        services.participant_note_withdraw(participant=sam, note=note)


@pytest.mark.parametrize("text, message", [("   ", "Write what the note says"), ("x" * (NOTE_LIMIT + 1), "Keep a note to")])
def test_an_edit_to_empty_or_oversized_text_is_refused_and_kept(workshop, participant, note, text, message):
    response = as_participant(workshop, participant).post(edit_url(workshop, note), {"text": text})
    assert response.status_code == 400 and message in response.text and f'value="{text}"' in response.text
    note.refresh_from_db()
    assert note.text == "Launch messaging"


def test_an_edit_with_a_nul_is_refused(workshop, participant, note):
    response = as_participant(workshop, participant).post(edit_url(workshop, note), {"text": "Launch\x00"})
    assert response.status_code == 400
    note.refresh_from_db()
    assert note.text == "Launch messaging"


# The end state


def test_after_close_the_page_is_the_end_state_with_the_notes_read_only(workshop, participant, note):
    services.workshop_close(workshop=workshop)
    text = as_participant(workshop, participant).get(page_url(workshop)).text
    assert "The workshop is closed. Thank you — the facilitator will share the results." in text
    assert "Launch messaging" in text
    assert "<form" not in text.split('id="content"')[1] and "hx-trigger" not in text


def test_a_polling_page_reloads_into_the_end_state_when_the_workshop_closes(workshop, participant):
    client = as_participant(workshop, participant)
    seen = version(workshop)
    poll = reverse("workshop:participant_poll", args=[workshop.public_id])
    assert client.get(poll, {"v": seen}, headers={"HX-Request": "true"}).status_code == 204
    services.workshop_close(workshop=workshop)
    response = client.get(poll, {"v": seen}, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
