"""Hostile text in every field a user can fill, rendered everywhere it appears: escaped."""

import re

import pytest
from django.urls import reverse

from frameworks.models import Element
from responsibilities.models import Activity, Person, Role
from workshops import services as workshop_services
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
TEMPLATE = "{{ request.user }}{% debug %}"
FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def hostile(personas):
    workspace = build_workspace(f"WS {SCRIPT}", members={personas["owner"]: "owner"}, activities=1)
    role = Role.objects.filter(workspace=workspace).first()
    Role.objects.filter(pk=role.pk).update(name=f"Role {IMG}")
    activity = Activity.objects.get(workspace=workspace)
    Activity.objects.filter(pk=activity.pk).update(name=f"Act {SCRIPT}", description=f"{TEMPLATE} {FORMULA}", hours=10)
    person = Person.objects.create(workspace=workspace, name=f"P {IMG}")
    person.roles.add(role)
    workshop = workshop_services.workshop_start(
        workspace=workspace, title=f"WK {SCRIPT}", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=personas["owner"],
    )
    participant = workshop_services.join(code=workshop.code, name=f"N {IMG}"[:40], ip="10.0.0.1")
    workshop_services.participant_set_role(participant=participant, role=role)
    participant.refresh_from_db()
    note = workshop_services.note_add(participant=participant, text=f"Note {SCRIPT} {TEMPLATE}", kind="self", role=None)
    workshop_services.note_map(note=note, element=Element.objects.get(framework__slug="read", code="launch"))
    return workspace, workshop, activity, participant


def pages(workspace, workshop, activity):
    w, s = workspace.public_id, workshop.public_id
    return [
        reverse("workspaces:list"),
        reverse("workspaces:matrix", args=[w]),
        reverse("workspaces:dashboard", args=[w]),
        reverse("workspaces:lens", args=[w]),
        reverse("workspaces:roles_document", args=[w]),
        reverse("workspaces:staffing", args=[w]),
        reverse("workspaces:activities", args=[w]),
        reverse("workspaces:activity", args=[w, activity.public_id]),
        reverse("workspaces:activity_mapping", args=[w, activity.public_id]) + "?q=act",
        reverse("workspaces:mapping", args=[w]) + "?show=all",
        reverse("workspaces:mapping_accept_all", args=[w]),
        reverse("workspaces:team", args=[w]),
        reverse("workspaces:members", args=[w]),
        reverse("workspaces:settings", args=[w]),
        reverse("workshop:list", args=[w]),
        reverse("workshop:board", args=[w, s]),
        reverse("workshop:results", args=[w, s]),
        reverse("workshop:commit", args=[w, s]),
    ]


def test_every_page_escapes_hostile_text(client, personas, hostile):
    workspace, workshop, activity, participant = hostile
    client.force_login(personas["owner"])
    for url in pages(workspace, workshop, activity):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.text
        assert SCRIPT not in text and "<img src=x" not in text, url
        assert "{&#x27;" not in text and "{'csrf_token'" not in text, url  # no template was evaluated
    activity_page = client.get(reverse("workspaces:activity", args=[workspace.public_id, activity.public_id])).text
    assert "{{ request.user }}{% debug %} =cmd|&#x27; /C calc&#x27;!A0" in activity_page


def test_the_participant_page_escapes_hostile_text(client, hostile):
    workspace, workshop, activity, participant = hostile
    session = client.session
    session["workshop_participants"] = {str(workshop.public_id): str(participant.public_id)}
    session.save()
    text = client.get(reverse("workshop:participant", args=[workshop.public_id])).text
    assert SCRIPT not in text and "<img src=x" not in text
    assert "Note &lt;script&gt;alert(1)&lt;/script&gt; {{ request.user }}{% debug %}" in text


def test_markdown_downloads_escape_hostile_names(client, personas, hostile):
    """The role document, the workshop results and staffing use the one Markdown escaper: no HTML tag,
    link or table cell comes out of a name."""
    workspace, workshop, activity, participant = hostile
    Role.objects.filter(pk=workspace.roles.first().pk).update(name="Role [x](javascript:alert(1)) | <b>")
    client.force_login(personas["owner"])
    downloads = [
        reverse("workspaces:roles_document", args=[workspace.public_id]) + "?format=md",
        reverse("workshop:results", args=[workspace.public_id, workshop.public_id]) + "?format=md",
        reverse("workspaces:staffing_download", args=[workspace.public_id, "md"]),
    ]
    for url in downloads:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/markdown"), url
        text = response.content.decode()
        assert not re.search(r"(?<!\\)<", text), url  # every < escaped: no HTML tag
        assert not re.search(r"(?<!\\)\[[^\]]*\]\(", text), url  # no link
    document = client.get(downloads[0]).content.decode()
    assert "## Role \\[x](javascript:alert(1)) \\| \\<b>" in document
    staffing = client.get(downloads[2]).content.decode()
    assert "| Role \\[x](javascript:alert(1)) \\| \\<b> | 10 |" in staffing
