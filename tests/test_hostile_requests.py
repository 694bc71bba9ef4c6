"""Hostile requests get a clear 400, never a 500, and write nothing: NUL characters anywhere
in a request, numbers that are not ASCII digits or do not fit the database, and a Host
header the site does not serve."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from responsibilities.models import Change, Snapshot, Workspace
from workshops import services as workshop_services
from workshops.models import Note, Participant, Workshop
from workshops.views import SESSION_KEY
from tests.responsibilities import test_access as workspace_access
from tests.test_security import world  # noqa: F401  (the fixture every sweep shares)
from tests.workshop import test_views as workshop_access

pytestmark = pytest.mark.django_db

NUL = "\x00"


def everything(workspace):
    """What any refused request must leave as it was."""
    return (
        Workspace.objects.get(pk=workspace.pk).version,
        Change.objects.count(),
        Workshop.objects.count(),
        sorted(Workshop.objects.values_list("title", "version")),
        sorted(Note.objects.values_list("text", "category_id")),
        Participant.objects.count(),
        get_user_model().objects.count(),
    )


def refused_for_nul(response) -> bool:
    return response.status_code == 400 and "NUL character" in response.content.decode()


def with_nul(data: dict) -> dict:
    """The same form, with a NUL in every value (a field without one gets a NUL field)."""
    spoiled = {}
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        spoiled[name] = [f"{item}{NUL}x" for item in values]
    return spoiled or {"note": f"a{NUL}b"}


def sweep(world):
    workspace, workshop, note = world
    requests = list(workspace_access.urls(workspace).values())
    requests += list(workshop_access.facilitator_urls(workshop, note).values())
    requests += [make(workshop, note) for make in workshop_access.READS.values()]
    requests += [make(workshop, note) for make in workshop_access.PARTICIPANT_URLS.values()]
    return requests


def test_every_workspace_and_workshop_url_refuses_a_nul_in_the_query_string(world, personas):
    client = Client()
    client.force_login(personas["owner"])
    requests = sweep(world)  # building it writes: a batch to undo, a deleted activity to restore
    before = everything(world[0])
    for method, url, data in requests:
        response = client.get(url, {**data, "q": f"launch{NUL}"})
        assert refused_for_nul(response), (url, response.status_code)
    assert everything(world[0]) == before


def test_every_workspace_and_workshop_write_refuses_a_nul_in_any_field(world, personas):
    client = Client()
    client.force_login(personas["owner"])
    requests = sweep(world)
    before = everything(world[0])
    for method, url, data in requests:
        if method == "post":
            response = client.post(url, with_nul(data))
            assert refused_for_nul(response), (url, response.status_code)
    assert everything(world[0]) == before


@pytest.fixture
def participant_client(world):
    """A browser that joined the sweep's workshop."""
    workspace, workshop, note = world
    client = Client()
    response = client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Robin"})
    assert response.status_code == 302
    assert str(workshop.public_id) in client.session[SESSION_KEY]
    return client


def test_the_places_the_attack_run_found_refuse_a_nul(world, personas, participant_client):
    """The twelve requests that answered 500 on PostgreSQL (issue 13, item 5)."""
    workspace, workshop, note = world
    w, s = workspace.public_id, workshop.public_id
    activity = workspace.activities.first()
    owner = Client()
    owner.force_login(personas["owner"])
    anonymous = Client()
    before = everything(workspace)
    answers = {
        "login username": anonymous.post(reverse("login"), {"username": f"owner{NUL}", "password": "wrong"}),
        "join name": anonymous.post(reverse("workshop:join"), {"code": workshop.code, "name": f"Eve{NUL}"}),
        "participant note": participant_client.post(
            reverse("workshop:participant", args=[s]), {"action": "note", "kind": "self", "text": f"Pricing{NUL}"}
        ),
        "workshop title": owner.post(
            reverse("workshop:list", args=[w]),
            {"title": f"Title{NUL}", "framework": "read", "roles": [str(r.public_id) for r in workspace.roles.all()]},
        ),
        "note edit": owner.post(
            reverse("workshop:note_edit", args=[w, s, note.public_id]), {"text": f"Edited{NUL}"}
        ),
        "import confirm name": owner.post(
            reverse("workspaces:import"), {"step": "confirm", "name": f"Imported{NUL}", "document": "{}"}
        ),
        "mapping search": owner.get(reverse("workspaces:activity_mapping", args=[w, activity.public_id]), {"q": NUL}),
        "framework filter": owner.get(reverse("workspaces:mapping", args=[w]), {"framework": f"read{NUL}"}),
        "lens": owner.get(reverse("workspaces:matrix", args=[w]), {"lens": f"read{NUL}"}),
        "invitation page": owner.get(f"/invitations/abc{NUL}def/"),
        "invitation accept": owner.post(f"/invitations/abc{NUL}def/"),
        "signup username": anonymous.post(
            reverse("signup"), {"username": f"newcomer{NUL}", "password1": "x" * 20, "password2": "x" * 20}
        ),
    }
    assert {place: response.status_code for place, response in answers.items() if not refused_for_nul(response)} == {}
    assert everything(workspace) == before


def test_the_refusal_says_where_the_nul_was(personas):
    client = Client()
    response = client.post(reverse("login"), {"username": f"dave{NUL}", "password": "x"})
    assert "“username” field" in response.content.decode()


# Numbers: "²" passes str.isdigit() and fails int(); 5,000 digits pass int() and fail the database.

ODD_NUMBERS = ["²", "١٢", "9" * 5000, "99999999999999999999", "-1", "1_0"]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_a_note_move_or_mapping_with_an_odd_number_is_a_bad_request(world, personas, value):
    workspace, workshop, note = world
    def url(action):
        return reverse(f"workshop:note_{action}", args=[workspace.public_id, workshop.public_id, note.public_id])

    client = Client()
    client.force_login(personas["owner"])
    launch = Element.objects.get(framework__slug="read", code="launch")
    before = everything(workspace)
    assert client.post(url("move"), {"lane": value}).status_code == 400
    assert client.post(url("move"), {"lane": launch.pk, "position": value}).status_code == 400
    assert client.post(url("map"), {"element": value}).status_code == 400
    assert everything(workspace) == before


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_mapping_an_activity_to_an_odd_number_is_a_bad_request(world, personas, value):
    workspace = world[0]
    activity = workspace.activities.first()
    client = Client()
    client.force_login(personas["owner"])
    before = everything(workspace)
    url = reverse("workspaces:activity_mapping", args=[workspace.public_id, activity.public_id])
    refused = client.post(url, {"element": [value]})
    assert refused.status_code == 400 and "An element must be given by its number." in refused.text
    response = client.post(
        reverse("workspaces:mapping_accept", args=[workspace.public_id]),
        {"framework": "read", "choice": f"{activity.public_id}:{value}"},
    )
    assert response.status_code < 500  # the mapping page's own "no such element" message
    assert everything(workspace) == before


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_version_or_member_number_is_never_a_server_error(world, personas, value):
    workspace = world[0]
    client = Client()
    client.force_login(personas["owner"])
    role = workspace.roles.first()
    viewer = workspace.memberships.get(user__username="viewer")
    response = client.post(
        reverse("workspaces:role_delete", args=[workspace.public_id, role.public_id]), {"version": value}
    )
    assert response.status_code < 500
    response = client.post(
        reverse("workspaces:members", args=[workspace.public_id]),
        {"action": "level", "membership": value, "level": "editor", "version": viewer.workspace.version},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("value", [*ODD_NUMBERS, "1e309", "NaN", "-Infinity"])
def test_odd_hours_or_an_odd_point_on_a_scale_are_never_a_server_error(world, personas, value):
    workspace = world[0]
    activity = workspace.activities.first()
    client = Client()
    client.force_login(personas["owner"])
    before = everything(workspace)
    w = workspace.public_id
    writes = [
        (reverse("workspaces:activity_hours", args=[w, activity.public_id]), {"hours": value}),
        (reverse("workspaces:activity", args=[w, activity.public_id]), {"name": activity.name, "hours": value}),
        (reverse("workspaces:assessment_set", args=[w]), {"element": "read:pricing", "importance": value, "performance": "2"}),
        (reverse("workspaces:assessment_set", args=[w]), {"element": f"read:{value}", "importance": "2", "performance": "2"}),
        (
            reverse("workspaces:settings", args=[w]),
            {"name": workspace.name, "size": "startup", "market": "b2b", "primary_framework": "read", "fte_hours": value},
        ),
    ]
    for url, data in writes:
        for headers in ({}, {"HX-Request": "true"}):
            assert client.post(url, data, headers=headers).status_code < 500, (url, data, headers)
    if value.isascii() and "_" not in value:  # "١٢" and "1_0" are numbers to Python's Decimal: 12 and 10
        assert everything(workspace) == before
    activity.refresh_from_db()
    workspace.refresh_from_db()
    assert activity.hours is None or 0 <= activity.hours <= Decimal("99999.99")
    assert 1 <= workspace.fte_hours <= 744
    assert all(1 <= point <= 5 for pair in workspace.assessments.values_list("importance", "performance") for point in pair)


@pytest.mark.parametrize("value", [*ODD_NUMBERS, "not-a-uuid", "00000000-0000-0000-0000-000000000000", "<script>"])
def test_an_odd_snapshot_or_framework_in_a_comparison_is_a_bad_request(world, personas, value):
    workspace = world[0]
    kept = workspace_access.kept_snapshot(workspace)
    client = Client()
    client.force_login(personas["owner"])
    before = everything(workspace), Snapshot.objects.count(), Workspace.objects.count()
    for query in ({"from": value}, {"from": kept.public_id, "to": value}, {"from": kept.public_id, "framework": value}):
        for address in (
            reverse("workspaces:compare", args=[workspace.public_id]),
            reverse("workspaces:compare_download", args=[workspace.public_id, "md"]),
        ):
            response = client.get(address, query)
            assert response.status_code == 400, (address, query, response.status_code)
            assert "<script>" not in response.text
    assert (everything(workspace), Snapshot.objects.count(), Workspace.objects.count()) == before


@pytest.mark.parametrize("value", [*ODD_NUMBERS, NUL, "<script>", "read" + NUL, "x" * 5000])
def test_an_odd_framework_on_the_staffing_page_or_its_downloads_is_never_a_server_error(world, personas, value):
    workspace = world[0]
    client = Client()
    client.force_login(personas["viewer"])
    before = everything(workspace)
    for address in (
        reverse("workspaces:staffing", args=[workspace.public_id]),
        *(reverse("workspaces:staffing_download", args=[workspace.public_id, fmt]) for fmt in ("md", "csv")),
    ):
        response = client.get(address, {"framework": value})
        assert response.status_code in (200, 400), (address, response.status_code)
        assert "<script>" not in response.text
    assert everything(workspace) == before


# The Host header

SECURITY_HEADERS = {
    "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
}


@pytest.mark.parametrize("https_redirect", [False, True])
def test_an_unknown_host_gets_a_400_with_the_security_headers_of_every_page(settings, client, https_redirect):
    """Django refuses the host in whichever middleware asks first (the HTTPS redirect when on)."""
    settings.ALLOWED_HOSTS = ["pmmhub.example"]
    settings.SECURE_SSL_REDIRECT = https_redirect
    page = client.get("/", HTTP_HOST="pmmhub.example", secure=True)
    refused = client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 200 and refused.status_code == 400
    assert {header: refused.headers.get(header) for header in SECURITY_HEADERS} == {
        header: page.headers[header] for header in SECURITY_HEADERS
    }


def test_a_nul_in_the_session_cookie_is_an_anonymous_visitor(client):
    client.cookies["sessionid"] = f"abcdefgh{NUL}ijklmnop"
    assert client.get(reverse("home")).status_code == 200


def test_an_htmx_request_with_a_nul_is_told_why_in_an_event_the_page_shows(world, personas):
    workspace = world[0]
    client = Client()
    client.force_login(personas["owner"])
    response = client.post(
        reverse("workspaces:mapping_accept", args=[workspace.public_id]),
        {"framework": "read", "choice": NUL}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    event = json.loads(response["HX-Trigger"])["pmmhub:refused"]
    assert "NUL character" in event["message"] and "“choice” field" in event["message"]
