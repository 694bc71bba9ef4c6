"""The app's login and the admin's spend and honour one failure budget, counted on the
normalised, case-folded name; hostile input gets the form's message, never a 500."""

import pytest
from django.urls import reverse

from accounts.limits import FAILURES_PER_USERNAME
from accounts.models import LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms_alone(settings):
    """Without the site-wide refusal of NUL characters: the form must be sound by itself."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "pmmhub.middleware.refuse_nul_characters"]

APP_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
THROTTLED = "Too many failed logins"


def log_in(client, url, username, password):
    return client.post(url, {"username": username, "password": password, "next": "/admin/"})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def boss(make_user):
    return make_user("boss", is_staff=True, is_superuser=True)


def test_sixty_wrong_admin_passwords_then_the_right_one_is_refused(client, boss):
    for _ in range(60):
        log_in(client, ADMIN_LOGIN, "boss", "wrong")
    response = log_in(client, ADMIN_LOGIN, "boss", PASSWORD)
    assert response.status_code == 200 and THROTTLED in response.text
    assert not logged_in(client)
    assert LoginFailure.objects.filter(username="boss").count() == FAILURES_PER_USERNAME


def test_a_right_admin_password_still_works_before_the_limit(client, boss):
    log_in(client, ADMIN_LOGIN, "boss", "wrong")
    response = log_in(client, ADMIN_LOGIN, "boss", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.parametrize("locked_at, tried_at", [(APP_LOGIN, ADMIN_LOGIN), (ADMIN_LOGIN, APP_LOGIN)])
def test_a_lock_earned_at_one_login_holds_at_the_other(client, boss, locked_at, tried_at):
    for _ in range(FAILURES_PER_USERNAME):
        log_in(client, locked_at, "boss", "wrong")
    response = log_in(client, tried_at, "boss", PASSWORD)
    assert THROTTLED in response.text and not logged_in(client)


@pytest.mark.parametrize("look_alike", ["ｄave", "𝐝𝐚𝐯𝐞", "DAVE", "Dave"])
def test_a_look_alike_spelling_does_not_get_a_fresh_budget(client, make_user, look_alike):
    make_user("dave")
    for _ in range(FAILURES_PER_USERNAME):
        log_in(client, APP_LOGIN, "dave", "wrong")
    response = log_in(client, APP_LOGIN, look_alike, PASSWORD)
    assert THROTTLED in response.text and not logged_in(client)
    response = log_in(client, ADMIN_LOGIN, look_alike, PASSWORD)
    assert THROTTLED in response.text and not logged_in(client)


def test_failures_typed_in_look_alike_spellings_add_up(client, make_user):
    make_user("dave")
    for spelling in ["ｄave", "𝐝𝐚𝐯𝐞", "DAVE", "Dave", "dAve"][:FAILURES_PER_USERNAME]:
        log_in(client, APP_LOGIN, spelling, "wrong")
    assert THROTTLED in log_in(client, APP_LOGIN, "dave", PASSWORD).text


def test_the_normalised_spelling_logs_in_when_nothing_is_locked(client, make_user):
    """Django's login normalises the name (NFKC) itself; the limit only had to follow it."""
    make_user("dave")
    assert log_in(client, APP_LOGIN, "ｄave", PASSWORD).status_code == 302 and logged_in(client)


@pytest.mark.parametrize("url", [APP_LOGIN, ADMIN_LOGIN])
@pytest.mark.parametrize(
    "username, password, message",
    [
        ("da\x00ve", PASSWORD, "Null characters are not allowed"),
        ("dave", "pass\x00word", "Null characters are not allowed"),
    ],
)
def test_hostile_login_input_gets_the_forms_message_and_spends_nothing(forms_alone, client, make_user, url, username, password, message):
    make_user("dave")
    response = log_in(client, url, username, password)
    assert response.status_code == 200 and message in response.text
    assert not LoginFailure.objects.exists() and not logged_in(client)


@pytest.mark.parametrize("url", [APP_LOGIN, ADMIN_LOGIN])
def test_an_oversized_username_is_a_failed_login(client, make_user, url):
    make_user("dave")
    response = log_in(client, url, "d" * 10_000, PASSWORD)
    assert response.status_code == 200 and "correct username and password" in response.text
    assert LoginFailure.objects.get().username == "d" * 150


@pytest.mark.parametrize("url", [APP_LOGIN, ADMIN_LOGIN])
def test_a_form_body_that_is_not_utf8_is_answered_with_a_message(client, make_user, url):
    make_user("dave")
    response = client.post(
        url, b"username=d%FF%FEave&password=wrong", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not logged_in(client)


def test_the_login_page_says_how_to_get_a_forgotten_password_reset(client):
    assert "changepassword" in client.get(reverse("login")).text


@pytest.mark.parametrize(
    "url", ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/set-password/", "/accounts/reset/done/"]
)
def test_password_reset_is_not_offered(client, url):
    """Accounts have no email address: a reset could reach no one."""
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "dave@example.com"}).status_code == 404
