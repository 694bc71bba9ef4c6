"""The limits hold for requests sent at the same moment (PostgreSQL, one connection per thread):
each attempt is recorded before it is checked, so at most the limit get checked."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.limits import FAILURES_PER_USERNAME, SIGNUPS_PER_ADDRESS
from accounts.models import LoginFailure
from tests.responsibilities.test_races import race
from workshops import services as workshop_services
from workshops.models import JoinAttempt

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="bin/test runs on PostgreSQL"),
]


def test_wrong_passwords_sent_at_once_are_tried_at_most_the_limit(make_user):
    make_user("dave")

    def wrong_password():
        return Client().post(reverse("login"), {"username": "dave", "password": "not the password"}).content.decode()

    answers = race(*[wrong_password] * 20)
    tried = [answer for answer in answers if "Too many failed logins" not in answer]
    assert len(tried) <= FAILURES_PER_USERNAME
    assert LoginFailure.objects.filter(username="dave").count() == len(tried)


def test_signups_sent_at_once_make_at_most_the_limit_of_accounts(db):
    def sign_up(name):
        return lambda: Client().post(
            reverse("signup"), {"username": name, "password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}
        ).status_code

    answers = race(*[sign_up(f"newcomer{i}") for i in range(12)])
    assert get_user_model().objects.count() <= SIGNUPS_PER_ADDRESS
    assert answers.count(302) == get_user_model().objects.count()


def test_wrong_codes_sent_at_once_are_compared_at_most_the_limit(live_library, personas):
    from tests.responsibilities.conftest import build_workspace

    workspace = build_workspace(members={personas["owner"]: "owner"})
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="Race", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=personas["owner"],
    )
    wrong = f"{workshop.key}-{'222222' if workshop.secret != '222222' else '333333'}"

    def guess():
        try:
            workshop_services.workshop_for_code(code=wrong, ip="10.9.9.9")
        except workshop_services.RateLimited:
            return "limited"
        except workshop_services.ServiceError:
            return "compared"

    answers = race(*[guess] * 30)
    assert answers.count("compared") <= workshop_services.WRONG_CODES_PER_ADDRESS
    assert JoinAttempt.objects.filter(ip="10.9.9.9").count() == answers.count("compared")
    # The right code still opens it from another address.
    assert workshop_services.workshop_for_code(code=workshop.code, ip="10.9.9.10") == workshop
