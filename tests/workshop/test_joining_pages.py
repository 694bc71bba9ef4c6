"""The join page and the board's join code: limits answered clearly, a new code on every board."""

import pytest
from django.test import Client
from django.urls import reverse

from workshops import services
from workshops.models import Participant, Workshop

pytestmark = pytest.mark.django_db

JOIN = reverse("workshop:join")


def join_from(address, code, name="Eve"):
    return Client(REMOTE_ADDR=address).post(JOIN, {"code": code, "name": name})


def board_url(workshop):
    return reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id])


def test_a_participant_with_the_right_code_gets_in_whatever_others_guessed(workshop):
    for n in range(35):
        assert join_from(f"198.51.100.{n // 9}", f"{workshop.key}-ZZZZZZ").status_code in (400, 429)
    response = join_from("203.0.113.50", workshop.code, name="Sam")
    assert response.status_code == 302
    assert Participant.objects.filter(name="Sam").exists()


def test_the_board_tells_the_facilitator_of_many_wrong_codes(as_persona, workshop):
    client = as_persona("editor")
    assert "wrong codes in the last 10 minutes" not in client.get(board_url(workshop)).text
    for n in range(12):
        join_from(f"198.51.100.{n}", f"{workshop.key}-ZZZZZZ")
    assert "12 wrong codes in the last 10 minutes" in client.get(board_url(workshop)).text


def test_a_new_code_from_the_board_works_without_javascript(as_persona, workshop, participant):
    old_code = workshop.code
    client = as_persona("editor")
    url = reverse("workshop:new_code", args=[workshop.workspace.public_id, workshop.public_id])
    assert 'action="%s"' % url in client.get(board_url(workshop)).text
    page = client.post(url, follow=True)
    new_code = Workshop.objects.get(pk=workshop.pk).code
    assert new_code != old_code and f"The code is now {new_code}" in page.text
    assert f'<strong class="code-big" aria-label="Join code">{new_code}</strong>' in page.text
    assert join_from("10.0.0.8", old_code).status_code == 400
    assert join_from("10.0.0.8", new_code, name="Sam").status_code == 302
    assert Participant.objects.filter(workshop=workshop).count() == 2


def test_a_board_polling_elsewhere_shows_the_new_code(as_persona, workshop):
    client = as_persona("editor")
    poll = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
    seen = Workshop.objects.get(pk=workshop.pk).version
    assert client.get(poll, {"v": seen}).status_code == 204
    renewed = services.workshop_new_code(workshop=workshop)
    update = client.get(poll, {"v": seen}, headers={"HX-Request": "true"})
    assert update.status_code == 200 and update.text.lstrip().startswith('<div id="board"')
    assert '<div id="join-code" class="join-code" hx-swap-oob="true">' in update.text and renewed.code in update.text


def test_a_closed_workshop_refuses_a_new_code_with_a_message(as_persona, workshop):
    services.workshop_close(workshop=workshop)
    url = reverse("workshop:new_code", args=[workshop.workspace.public_id, workshop.public_id])
    page = as_persona("editor").post(url, follow=True)
    assert "its code no longer works" in page.text
    assert Workshop.objects.get(pk=workshop.pk).secret == workshop.secret


def test_one_address_cannot_fill_a_workshop(workshop):
    for n in range(services.JOINS_PER_ADDRESS):
        assert join_from("203.0.113.5", workshop.code, name=f"P{n}").status_code == 302
    refused = join_from("203.0.113.5", workshop.code, name="One too many")
    assert refused.status_code == 429 and "from this connection" in refused.text
    assert join_from("203.0.113.6", workshop.code, name="Next door").status_code == 302
    assert Participant.objects.filter(workshop=workshop).count() == services.JOINS_PER_ADDRESS + 1


def test_a_participant_cannot_change_role_after_the_workshop_closed(workshop, participant):
    client = Client()
    session = client.session
    session["workshop_participants"] = {str(workshop.public_id): str(participant.public_id)}
    session.save()
    services.workshop_close(workshop=workshop)
    before = Workshop.objects.get(pk=workshop.pk).version
    url = reverse("workshop:participant_role", args=[workshop.public_id])
    response = client.post(url, {"role": str(workshop.roles.get(name="Product Manager").public_id)})
    assert response.status_code == 400 and "roles can no longer change" in response.text
    participant.refresh_from_db()
    assert participant.role.name == "Product Marketing"
    assert Workshop.objects.get(pk=workshop.pk).version == before
