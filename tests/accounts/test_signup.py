"""Sign-up: only ever sends people on to a checked path on this site; passwords of 12+
characters; a name that looks like a taken one is refused; a few accounts per address."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.urls import reverse

from accounts import services
from accounts.forms import SignupForm
from accounts.limits import SIGNUPS_PER_ADDRESS
from accounts.models import Signup, UsernameSkeleton
from accounts.signals import UsernameLooksTaken, refuse_look_alike_username
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def forms_alone(settings):
    """Without the site-wide refusal of NUL characters: the form must be sound by itself."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != "pmmhub.middleware.refuse_nul_characters"]

User = get_user_model()
SIGNUP = "/accounts/signup/"
GOOD_NEXT = "/w/0b7c6a54-3a0e-4a0e-9a64-2f3b5c1d9e10/matrix/?framework=read"
BAD_NEXTS = ["abc", "//evil.example", "https://evil.example/", "/\\evil.example", "/w/\nLocation: x", "javascript:alert(1)"]


def sign_up(client, username="dana", password=PASSWORD, next=None, **request):
    data = {"username": username, "password1": password, "password2": password}
    return client.post(SIGNUP, {**data, "next": next} if next is not None else data, **request)


def logged_in_as(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).username if user_id else None


@pytest.mark.parametrize("next_url", BAD_NEXTS)
def test_a_post_with_a_bad_next_creates_the_account_logs_in_and_goes_home(client, next_url):
    response = sign_up(client, next=next_url)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_as(client) == "dana"


def test_a_post_with_a_path_on_this_site_goes_there(client):
    response = sign_up(client, next=GOOD_NEXT)
    assert response.status_code == 302 and response["Location"] == GOOD_NEXT
    assert logged_in_as(client) == "dana"


@pytest.mark.parametrize("next_url", BAD_NEXTS)
def test_a_get_with_a_bad_next_shows_the_form_without_it(client, next_url):
    response = client.get(SIGNUP, {"next": next_url})
    assert response.status_code == 200
    assert response.context["next"] == ""


def test_a_get_with_a_good_next_carries_it_in_the_form(client):
    response = client.get(SIGNUP, {"next": GOOD_NEXT})
    assert response.context["next"] == GOOD_NEXT


@pytest.mark.parametrize("next_url", BAD_NEXTS)
def test_someone_logged_in_with_a_bad_next_goes_home(client, make_user, next_url):
    client.force_login(make_user("dana"))
    response = client.get(SIGNUP, {"next": next_url})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_someone_logged_in_with_a_good_next_goes_there(client, make_user):
    client.force_login(make_user("dana"))
    assert client.get(SIGNUP, {"next": GOOD_NEXT})["Location"] == GOOD_NEXT


@pytest.mark.parametrize(
    "password, message",
    [
        ("Tr0ub4dor&3", "at least 12 characters"),
        ("password1234", "too common"),
        ("marguerite-dana", "too similar"),
        ("739218463512", "entirely numeric"),
    ],
)
def test_a_weak_password_is_refused_at_signup(client, password, message):
    username = "marguerite-dana" if "similar" in message else "dana"
    response = sign_up(client, username=username, password=password)
    assert response.status_code == 200 and message in response.text
    assert not User.objects.exists()


def test_a_weak_password_is_refused_at_password_change(client, make_user):
    user = make_user("dana")
    client.force_login(user)
    url = reverse("password_change")
    data = {"old_password": PASSWORD, "new_password1": "Tr0ub4dor&3", "new_password2": "Tr0ub4dor&3"}
    response = client.post(url, data)
    assert response.status_code == 200 and "at least 12 characters" in response.text
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_password_change_works_and_logs_out_other_browsers(client, make_user):
    user = make_user("dana")
    other = client.__class__()
    other.force_login(user)
    client.force_login(user)
    new = "plum-orchard-lantern-41"
    response = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    assert logged_in_as(client) == "dana"
    assert other.get(reverse("workspaces:list")).status_code == 302
    assert "_auth_user_id" not in other.session


@pytest.mark.parametrize("look_alike", ["dаve", "ｄave", "𝐝𝐚𝐯𝐞", "DAVE", "Dave", "daѵe"])
def test_a_name_that_looks_like_a_taken_one_is_refused(client, make_user, look_alike):
    make_user("dave")
    response = sign_up(client, username=look_alike)
    assert response.status_code == 200
    assert "looks the same as an existing one" in response.text or "already exists" in response.text
    assert User.objects.count() == 1


def test_a_name_unlike_any_taken_one_is_accepted(client, make_user):
    make_user("dave")
    assert sign_up(client, username="david").status_code == 302


def test_names_made_outside_signup_are_held_to_the_rule_too(make_user):
    make_user("dave")
    assert UsernameSkeleton.objects.filter(user__username="dave").exists()
    with pytest.raises(UsernameLooksTaken):
        User.objects.create_superuser("dаve", password=PASSWORD)
    assert User.objects.count() == 1


def test_a_rename_updates_the_skeleton_and_frees_the_old_look(client, make_user):
    user = make_user("dave")
    user.username = "sam"
    user.save()
    assert sign_up(client, username="Dave").status_code == 302
    with pytest.raises(UsernameLooksTaken):
        User.objects.create_user("SAM")


def test_two_look_alike_signups_at_once_cannot_both_win(make_user):
    """Both pass the form's check; the unique index decides, and the loser is told."""
    form = SignupForm({"username": "dave", "password1": PASSWORD, "password2": PASSWORD})
    assert form.is_valid()
    pre_save.disconnect(refuse_look_alike_username, sender="auth.User")
    try:
        User.objects.create_user("dаve")  # the other sign-up, committed between check and save
        with pytest.raises(services.UsernameTaken):
            services.signup(form=form, ip="10.0.0.1")
    finally:
        pre_save.connect(refuse_look_alike_username, sender="auth.User")
    assert list(User.objects.values_list("username", flat=True)) == ["dаve"]
    assert not Signup.objects.exists()


def test_signups_are_limited_per_address(client):
    for n in range(SIGNUPS_PER_ADDRESS):
        assert sign_up(client, username=f"member{n}", REMOTE_ADDR="10.0.0.9").status_code == 302
        client.logout()
    response = client.post(
        SIGNUP, {"username": "onemore", "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429 and "Too many accounts" in response.text
    assert not User.objects.filter(username="onemore").exists()
    assert client.get(SIGNUP, REMOTE_ADDR="10.0.0.9").status_code == 429
    other = client.post(SIGNUP, {"username": "onemore", "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR="10.0.0.10")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "username, message",
    [("da\x00na", "Null characters are not allowed"), ("d" * 10_000, "at most 150 characters"), ("da\ufffdna", "Enter a valid username")],
)
def test_hostile_signup_input_gets_a_message_and_writes_nothing(forms_alone, client, username, message):
    response = sign_up(client, username=username)
    assert response.status_code == 200 and message in response.text
    assert not User.objects.exists() and not Signup.objects.exists()


def test_a_signup_body_that_is_not_utf8_gets_a_message(client):
    body = f"username=d%FF%FEana&password1={PASSWORD}&password2={PASSWORD}".encode()
    response = client.post(SIGNUP, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Enter a valid username" in response.text
    assert not User.objects.exists()


def test_accounts_that_looked_alike_before_the_rule_keep_working(client, make_user):
    """The data migration gives the older account the look; the younger keeps an empty one
    and can still log in, change its password and be saved."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0002_signups_and_username_skeletons")
    make_user("dave")
    younger = make_user("sam")
    UsernameSkeleton.objects.all().delete()
    User.objects.filter(pk=younger.pk).update(username="dаve")
    migration.record_existing_skeletons(apps, None)
    assert UsernameSkeleton.objects.get(user__username="dave").digest is not None
    assert UsernameSkeleton.objects.get(user__username="dаve").digest is None
    younger.refresh_from_db()
    younger.set_password("plum-orchard-lantern-41")
    younger.save()
    assert client.post(reverse("login"), {"username": "dаve", "password": "plum-orchard-lantern-41"}).status_code == 302
    assert sign_up(client.__class__(), username="DAVE").status_code == 200


def test_the_admin_says_so_when_a_name_looks_like_a_taken_one(client, make_user):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    dave = make_user("dave")
    add = client.post(reverse("admin:auth_user_add"), {"username": "dаve", "usable_password": "false"})
    assert add.status_code == 200 and "looks the same as an existing one" in add.text
    assert not User.objects.filter(username="dаve").exists()
    change = reverse("admin:auth_user_change", args=[dave.pk])
    form = {"username": "BOSS", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00", "is_active": "on"}
    renamed = client.post(change, form)
    assert renamed.status_code == 200 and "looks the same as an existing one" in renamed.text
    assert client.post(change, {**form, "username": "david"}).status_code == 302
