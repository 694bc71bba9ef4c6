import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_home_explains_pmmhub_to_a_visitor(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Decide who owns what" in response.text
    assert reverse("signup") in response.text


def test_signup_creates_an_account_and_logs_in(client):
    response = client.post(
        reverse("signup"), {"username": "dana", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="dana").exists()
    assert client.get(reverse("frameworks:list")).context["user"].username == "dana"


def test_signup_with_mismatched_passwords_says_so_and_writes_nothing(client):
    response = client.post(
        reverse("signup"), {"username": "dana", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert "didn’t match" in response.text or "didn't match" in response.text
    assert not get_user_model().objects.filter(username="dana").exists()


def test_signup_escapes_a_hostile_username(client):
    response = client.post(
        reverse("signup"), {"username": "<script>x</script>", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200
    assert "<script>x</script>" not in response.text
    assert not get_user_model().objects.exists()


def test_signup_does_not_redirect_off_site(client):
    response = client.post(
        reverse("signup"),
        {"username": "dana", "password1": PASSWORD, "password2": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_login_and_logout(client, make_user):
    make_user("dana")
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("frameworks:list")).context["user"].is_authenticated
    assert client.post(reverse("logout")).status_code == 302
    assert not client.get(reverse("frameworks:list")).context["user"].is_authenticated


def test_wrong_password_is_refused_with_a_message(client, make_user):
    make_user("dana")
    response = client.post(reverse("login"), {"username": "dana", "password": "wrong"})
    assert response.status_code == 200
    assert "correct username and password" in response.text


def test_logout_by_get_is_refused(client, make_user):
    make_user("dana")
    client.login(username="dana", password=PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("frameworks:list")).context["user"].is_authenticated


def test_pages_send_a_content_security_policy_without_inline_script(client):
    response = client.get(reverse("frameworks:list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.text


def test_failed_logins_are_limited_per_username(client, make_user):
    from accounts.limits import FAILURES_PER_USERNAME

    make_user("dana")
    for _ in range(FAILURES_PER_USERNAME):
        response = client.post(reverse("login"), {"username": "dana", "password": "wrong"})
        assert "Please enter a correct username and password" in response.text
    response = client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    assert "Too many failed logins" in response.text
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_limited_per_address_across_usernames(client, make_user):
    from accounts.limits import FAILURES_PER_ADDRESS

    make_user("sam")
    for n in range(FAILURES_PER_ADDRESS):
        client.post(reverse("login"), {"username": f"guess{n}", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD})
    assert "Too many failed logins" in response.text


def test_a_good_login_is_not_counted(client, make_user):
    from accounts.models import LoginFailure

    make_user("lee")
    client.post(reverse("login"), {"username": "lee", "password": PASSWORD})
    assert "_auth_user_id" in client.session and not LoginFailure.objects.exists()
