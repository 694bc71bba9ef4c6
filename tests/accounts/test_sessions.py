"""A login ends after 30 minutes without a request or 12 hours after it began; any request
counts, written at most once a minute; pages for a session are never stored by caches."""

import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import accounts.middleware
from workshops.views import poll_token
from tests.responsibilities.conftest import workspace  # noqa: F401 (fixtures)
from tests.workshop.conftest import team, workshop  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


class Clock:
    """The time the session rules see; the memo of sessions checked this minute is cleared
    when the clock moves, as the real minute passing would."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, minutes):
        self.now += minutes * 60
        caches["session-checks"].clear()


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(accounts.middleware, "time", SimpleNamespace(time=clock.time))
    monkeypatch.setattr("accounts.signals.time", SimpleNamespace(time=clock.time))
    return clock


@pytest.fixture
def dana(client, make_user, clock):
    client.force_login(make_user("dana"))
    return client


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


PAGE = "/workspaces/"


def test_a_login_survives_29_idle_minutes(dana, clock, settings):
    clock.advance(settings.SESSION_IDLE_MINUTES - 1)
    assert dana.get(PAGE).status_code == 200


def test_a_login_idle_for_30_minutes_is_sent_to_log_in_again(dana, clock, settings):
    dana.get(PAGE)
    clock.advance(settings.SESSION_IDLE_MINUTES)
    response = dana.get(PAGE, {"tab": "x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/workspaces/%3Ftab%3Dx"
    assert not logged_in(dana)
    assert "session ended" in dana.get(response["Location"]).text


def test_an_expired_login_asking_for_the_login_page_gets_it(dana, clock, settings):
    clock.advance(settings.SESSION_IDLE_MINUTES)
    response = dana.get(reverse("login"))
    assert response.status_code == 200 and "session ended" in response.text and not logged_in(dana)


def test_an_expired_login_on_a_public_page_is_logged_out_too(dana, clock, settings):
    clock.advance(settings.SESSION_IDLE_MINUTES + 1)
    assert dana.get("/frameworks/").status_code == 302
    assert dana.get("/frameworks/").status_code == 200 and not logged_in(dana)


def test_an_htmx_request_after_expiry_gets_a_full_page_redirect_back_to_its_page(dana, clock, settings):
    clock.advance(settings.SESSION_IDLE_MINUTES)
    response = dana.get(PAGE, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/w/abc/matrix/"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=/w/abc/matrix/"
    assert not logged_in(dana)


def test_an_htmx_request_that_needs_a_login_gets_a_full_page_redirect(client):
    response = client.get(PAGE, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/w/abc/"})
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("login") + "?next=/w/abc/"
    offsite = client.get(PAGE, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"})
    assert offsite["HX-Redirect"] == reverse("login") + "?next=/"


def test_any_request_keeps_a_login_alive_until_its_twelve_hours_are_up(dana, clock, settings):
    for _ in range(settings.SESSION_MAX_HOURS * 60 // 20 - 1):
        clock.advance(20)
        assert dana.get(PAGE).status_code == 200
    clock.advance(20)
    assert dana.get(PAGE).status_code == 302 and not logged_in(dana)


def test_a_fresh_login_starts_a_fresh_twelve_hours(client, make_user, clock, settings):
    from tests.conftest import PASSWORD

    make_user("dana")
    client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    for _ in range(settings.SESSION_MAX_HOURS * 60 // 20 - 1):
        clock.advance(20)
        client.get(PAGE)
    client.post(reverse("login"), {"username": "dana", "password": PASSWORD})
    clock.advance(25)
    assert client.get(PAGE).status_code == 200


def test_the_board_polling_with_its_token_keeps_the_login_alive(dana, clock, workshop, personas, settings):  # noqa: F811
    dana.force_login(personas["editor"])
    url = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
    poll = {"v": workshop.version, "t": poll_token(workshop)}
    for _ in range(2 * settings.SESSION_IDLE_MINUTES):
        clock.advance(1)
        assert dana.get(url, poll).status_code == 204
    assert dana.get(reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id])).status_code == 200


def test_the_boards_unchanged_poll_stays_one_query_within_the_minute(dana, clock, workshop, personas, django_assert_num_queries):  # noqa: F811
    dana.force_login(personas["editor"])
    url = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
    poll = {"v": workshop.version, "t": poll_token(workshop)}
    dana.get(url, poll)
    with django_assert_num_queries(1):
        assert dana.get(url, poll).status_code == 204


def test_the_last_seen_time_is_written_at_most_once_a_minute(dana, clock):
    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert dana.get(PAGE).status_code == 200
        return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"])

    dana.get(PAGE)
    clock.advance(0.5)
    assert session_writes() == 0
    clock.advance(0.6)
    assert session_writes() == 1
    assert session_writes() == 0


def test_a_workshop_participant_has_no_idle_limit(client, workshop, clock, settings):  # noqa: F811
    client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Dana"})
    page = reverse("workshop:participant", args=[workshop.public_id])
    assert client.get(page).status_code == 200
    clock.advance(3 * settings.SESSION_IDLE_MINUTES)
    assert client.get(page).status_code == 200


def test_logout_still_ends_the_session(dana):
    assert dana.post(reverse("logout")).status_code == 302
    assert dana.get(PAGE).status_code == 302 and not logged_in(dana)


def test_the_lifetimes_come_from_settings(dana, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    clock.advance(6)
    assert dana.get(PAGE).status_code == 302


# Cache-Control: no-store

def stored_nowhere(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_for_a_logged_in_user_are_not_stored(dana):
    for url in [PAGE, "/frameworks/", "/"]:
        assert stored_nowhere(dana.get(url)), url


def test_downloads_are_not_stored(as_persona, workspace):
    client = as_persona("viewer")
    for fmt in ["yaml", "json", "csv", "xlsx", "md"]:
        response = client.get(reverse("workspaces:export", args=[workspace.public_id, fmt]))
        assert response.status_code == 200 and stored_nowhere(response), fmt
    csv = client.get(reverse("workspaces:activities", args=[workspace.public_id]), {"export": "csv"})
    assert stored_nowhere(csv)


def test_a_workshop_participants_pages_and_results_are_not_stored(client, workshop):  # noqa: F811
    client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Dana"})
    assert stored_nowhere(client.get(reverse("workshop:participant", args=[workshop.public_id])))


def test_public_pages_for_a_stranger_and_static_files_stay_cacheable(client, dana):
    assert not stored_nowhere(client.__class__().get("/frameworks/"))
    static = dana.get("/static/favicon.svg")
    assert static.status_code == 200 and not stored_nowhere(static)
