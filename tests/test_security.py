"""The security sweep: every workspace and workshop URL has an access test; CSRF is enforced
on every write; a GET never changes anything."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import get_resolver, resolve

from workshops import services as workshop_services
from tests.responsibilities import test_access as workspace_access
from tests.responsibilities.conftest import build_workspace
from tests.workshop import test_views as workshop_access

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAMESPACES = ("workspaces", "workshop")
# Pages that belong to no workspace: the workspace list, import and invitations need only a
# login (tests/responsibilities), and joining a workshop needs nothing but its code.
NOT_SCOPED = {"workspaces:list", "workspaces:import", "workspaces:invitation", "workshop:join"}


def url_names() -> set[str]:
    names = set()
    for namespace in NAMESPACES:
        _, resolver = get_resolver().namespace_dict[namespace]
        names |= {f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str)}
    return names


@pytest.fixture
def world(personas):
    workspace = build_workspace(
        members={personas["owner"]: "owner", personas["editor"]: "editor", personas["viewer"]: "viewer"}
    )
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="Sweep", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=personas["owner"],
    )
    participant = workshop_services.join(code=workshop.code, name="Dana", ip="10.0.0.1")
    workshop_services.participant_set_role(participant=participant, role=workspace.roles.first())
    participant.refresh_from_db()
    note = workshop_services.note_add(participant=participant, text="Launch", kind="self", role=None)
    return workspace, workshop, note


def covered(world) -> set[str]:
    workspace, workshop, note = world
    urls = [url for _, url, _ in workspace_access.urls(workspace).values()]
    urls += [url for _, url, _ in workshop_access.facilitator_urls(workshop, note).values()]
    urls += [make(workshop, note)[1] for make in workshop_access.READS.values()]
    urls += [make(workshop, note)[1] for make in workshop_access.PARTICIPANT_URLS.values()]
    return {resolve(url).view_name for url in urls}


def test_every_workspace_and_workshop_url_has_a_persona_access_test(world):
    missing = url_names() - NOT_SCOPED - covered(world)
    assert not missing, f"no access test for: {sorted(missing)}"


def test_the_not_scoped_list_names_real_urls():
    assert NOT_SCOPED <= url_names()


def test_every_write_refuses_a_request_without_a_csrf_token(world, personas):
    workspace, workshop, note = world
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["owner"])
    writes = [(url, data) for method, url, data in workspace_access.urls(workspace).values() if method == "post"]
    writes += [(url, data) for method, url, data in workshop_access.facilitator_urls(workshop, note).values() if method == "post"]
    before = workspace_access.snapshot(workspace), workshop_access.snapshot(workshop)
    for url, data in writes:
        assert client.post(url, data).status_code == 403, url
    assert (workspace_access.snapshot(workspace), workshop_access.snapshot(workshop)) == before


def test_no_get_changes_anything(world, personas):
    workspace, workshop, note = world
    client = Client()
    client.force_login(personas["owner"])
    reads = [(url, data) for method, url, data in workspace_access.urls(workspace).values() if method == "get"]
    reads += [(url, data) for method, url, data in workshop_access.facilitator_urls(workshop, note).values() if method == "get"]
    before = workspace_access.snapshot(workspace), workshop_access.snapshot(workshop)
    for url, data in reads:
        assert client.get(url, data).status_code in (200, 204, 302), url
    assert (workspace_access.snapshot(workspace), workshop_access.snapshot(workshop)) == before


def inline_script_allowed(policy: str) -> bool:
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    script = directives.get("script-src", directives.get("default-src"))
    if script is None:
        return True
    loose = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:"}
    return bool(loose & set(script.split()))


def test_the_policy_check_knows_a_loose_policy():
    assert inline_script_allowed("img-src 'self'")
    assert inline_script_allowed("default-src 'self'; script-src 'self' 'unsafe-inline'")
    assert inline_script_allowed("default-src https:")
    assert not inline_script_allowed("default-src 'self'")
    assert not inline_script_allowed("default-src 'self'; script-src 'self'; style-src 'unsafe-inline'")


def test_every_page_sends_a_policy_that_forbids_inline_script(world, personas, client):
    workspace, workshop, note = world
    pages = ["/", "/frameworks/", "/frameworks/read/", "/accounts/login/", "/join/", "/no-such-page/"]
    for persona_urls in (workspace_access.urls(workspace), workshop_access.facilitator_urls(workshop, note)):
        pages += [url for method, url, _ in persona_urls.values() if method == "get"]
    for url in pages[:6]:
        response = client.get(url)
        assert not inline_script_allowed(response["Content-Security-Policy"]), url
    client.force_login(personas["owner"])
    for url in pages:
        response = client.get(url)
        policy = response.get("Content-Security-Policy")
        assert policy and not inline_script_allowed(policy), (url, policy)
        # An address that rendered empty (a mistyped name in a template) links to nowhere.
        if response["Content-Type"].startswith("text/html"):
            assert not re.search(r'\s(href|action|src|hx-get|hx-post)=""', response.text), url


def test_no_template_has_inline_script_or_event_handler_attributes():
    """The policy would block them in the browser; here they fail before anyone sees a broken page."""
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for line_number, line in enumerate(text.splitlines(), 1):
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", line) or re.search(r"\son[a-z]+\s*=", line, re.IGNORECASE):
                offenders.append(f"{template.relative_to(TEMPLATES)}:{line_number}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)
