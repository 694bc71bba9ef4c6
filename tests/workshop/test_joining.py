"""Joining a workshop: a right code always gets in, guessing is limited per address, joins are
limited per address, the facilitator can give the workshop a new code, and a closed workshop
keeps its participants' roles."""

import pytest
from django.utils import timezone

from workshops import services
from workshops.models import JoinAttempt, Participant, Workshop
from workshops.selectors import wrong_codes_worth_showing

pytestmark = pytest.mark.django_db


def version(workshop) -> int:
    return Workshop.objects.get(pk=workshop.pk).version


def guess(workshop, ip, secret="222222"):
    with pytest.raises(services.ServiceError, match="does not open a workshop"):
        services.join(code=f"{workshop.key}-{secret}", name="Eve", ip=ip)


def test_the_right_code_gets_in_after_many_wrong_codes_from_several_addresses(workshop):
    for n in range(40):
        guess(workshop, ip=f"10.1.{n // 9}.{n % 9}")
    assert services.join(code=workshop.code, name="Sam", ip="10.2.0.1").name == "Sam"


def test_many_wrong_codes_are_worth_showing_on_the_board_and_reach_it(workshop):
    for n in range(services.WRONG_CODES_WORTH_SHOWING - 1):
        guess(workshop, ip=f"10.1.0.{n}")
    assert wrong_codes_worth_showing(workshop) == 0
    before = version(workshop)
    guess(workshop, ip="10.1.1.1")
    assert wrong_codes_worth_showing(workshop) == services.WRONG_CODES_WORTH_SHOWING
    assert version(workshop) == before + 1  # the board's poll brings the count


def test_a_few_wrong_codes_do_not_disturb_the_board(workshop):
    before = version(workshop)
    guess(workshop, ip="10.1.0.1")
    assert version(workshop) == before and wrong_codes_worth_showing(workshop) == 0


def test_a_workshop_started_with_a_five_character_secret_still_opens(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(secret="K7Q4M")
    assert services.join(code=f"{workshop.key}-K7Q4M", name="Sam", ip="10.0.0.2")
    guess(workshop, ip="10.0.0.3", secret="K7Q4")
    guess(workshop, ip="10.0.0.3", secret="K7Q4MX")


@pytest.mark.parametrize("code", ["ÄÄÄ-ÉÉÉÉÉÉ", "K7Q-ÉÉÉÉÉÉ", "", "-", "ＫＫＫ-１２３４５６"])
def test_odd_codes_are_refused_with_the_usual_message(workshop, code):
    Workshop.objects.filter(pk=workshop.pk).update(key="K7Q")
    with pytest.raises(services.ServiceError, match="does not open a workshop"):
        services.join(code=code, name="Eve", ip="10.0.0.9")


def test_joins_are_limited_per_address_and_workshop(workshop):
    for n in range(services.JOINS_PER_ADDRESS):
        services.join(code=workshop.code, name=f"P{n}", ip="203.0.113.5")
    before = version(workshop)
    with pytest.raises(services.RateLimited, match="from this connection"):
        services.join(code=workshop.code, name="One too many", ip="203.0.113.5")
    assert not Participant.objects.filter(name="One too many").exists() and version(workshop) == before
    assert services.join(code=workshop.code, name="Next door", ip="203.0.113.6").address == "203.0.113.6"
    other = services.workshop_start(
        workspace=workshop.workspace, title="Another", framework=workshop.framework,
        roles=list(workshop.roles.all()), by=None,
    )
    assert services.join(code=other.code, name="Elsewhere", ip="203.0.113.5")


def test_a_new_code_replaces_the_old_one_and_keeps_everyone(workshop, participant):
    old_code, before = workshop.code, version(workshop)
    renewed = services.workshop_new_code(workshop=workshop)
    assert renewed.key == workshop.key and renewed.code != old_code
    assert len(renewed.secret) == 6 and version(workshop) == before + 1
    with pytest.raises(services.ServiceError, match="does not open a workshop"):
        services.join(code=old_code, name="Late", ip="10.0.0.7")
    assert services.join(code=renewed.code, name="On time", ip="10.0.0.7")
    assert list(Participant.objects.filter(workshop=workshop).values_list("name", flat=True)) == ["Dana", "On time"]
    assert JoinAttempt.objects.get().ip == "10.0.0.7"


def test_a_closed_workshop_gets_no_new_code(workshop):
    services.workshop_close(workshop=workshop)
    closed = Workshop.objects.get(pk=workshop.pk)
    with pytest.raises(services.ServiceError, match="closed"):
        services.workshop_new_code(workshop=closed)
    assert Workshop.objects.get(pk=workshop.pk).secret == workshop.secret


def test_a_role_cannot_change_after_the_workshop_closed(workshop, participant):
    services.workshop_close(workshop=workshop)
    before = version(workshop)
    with pytest.raises(services.ServiceError, match="closed"):
        services.participant_set_role(participant=participant, role=workshop.roles.get(name="Product Manager"))
    participant.refresh_from_db()
    assert participant.role.name == "Product Marketing" and version(workshop) == before


def test_wrong_codes_older_than_the_window_are_forgotten(workshop):
    guess(workshop, ip="10.0.0.9")
    JoinAttempt.objects.update(at=timezone.now() - services.ATTEMPT_WINDOW * 2)
    guess(workshop, ip="10.0.0.8")
    assert list(JoinAttempt.objects.values_list("ip", flat=True)) == ["10.0.0.8"]
