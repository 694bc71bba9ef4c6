"""Any file the import preview accepts confirms: the preview keeps the parsed workspace on the
server (PendingImport) and the confirm form carries its token. A pending import is the
previewing user's, lasts an hour and is imported once."""

import json
import random
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from responsibilities.formats import MAX_UPLOAD_BYTES
from responsibilities.models import Activity, Assignment, PendingImport, Workspace
from tests.responsibilities.test_races import race

pytestmark = pytest.mark.django_db

WORDS = "launch pricing positioning battlecards competitive messaging enablement webinar analyst research persona roadmap".split()


def large_document(activities=760, seed=13) -> str:
    """About 1.8 MB: many activities with long descriptions, within every bound."""
    rng = random.Random(seed)
    roles = [{"name": f"Role {i}", "archetype": "pmm" if i % 2 else "pm"} for i in range(12)]
    return json.dumps({
        "name": "Large team",
        "roles": roles,
        "activities": [
            {
                "name": f"Activity {i}",
                "group": f"Stage {i % 5}",
                "description": " ".join(rng.choice(WORDS) for _ in range(300))[:1990],
                "raci": {role["name"]: rng.choice(["R", "A", "C", "I", "A/R"]) for role in roles},
            }
            for i in range(activities)
        ],
    }, indent=2)


def logged_in(make_user, name) -> Client:
    client = Client()
    client.force_login(make_user(name))
    return client


def preview(client, name, content):
    return client.post(reverse("workspaces:import"), {"step": "upload", "file": SimpleUploadedFile(name, content.encode())})


def confirm(client, token, **fields):
    return client.post(reverse("workspaces:import"), {"step": "confirm", "token": token, "name": "Large team", **fields})


def test_a_two_megabyte_document_previews_and_confirms_from_the_web(make_user):
    client = logged_in(make_user, "lead")
    document = large_document()
    assert 1_700_000 < len(document.encode()) <= MAX_UPLOAD_BYTES
    response = preview(client, "large.json", document)
    assert "Preview: nothing is written until you confirm" in response.text
    assert not Workspace.objects.exists() and PendingImport.objects.count() == 1
    token = response.context["confirm"].initial["token"]
    # The confirm form is small: the document stayed on the server.
    form_html = response.text[response.text.index('id="import-confirm"'):]
    assert len(form_html) < 20_000 and "Activity 759" not in form_html

    response = confirm(client, token)
    workspace = Workspace.objects.get(name="Large team")
    assert response.status_code == 302 and response["Location"] == workspace.get_absolute_url()
    assert workspace.activities.count() == 760 and workspace.roles.count() == 12
    assert Assignment.objects.filter(activity__workspace=workspace).count() == 760 * 12
    assert len(workspace.activities.get(name="Activity 759").description) > 1500
    pending = PendingImport.objects.get()
    assert pending.workspace == workspace and pending.imported_at and pending.document is None


def test_another_users_token_is_404_and_writes_nothing(make_user):
    lead, other = logged_in(make_user, "lead"), logged_in(make_user, "other")
    token = preview(lead, "team.json", large_document(activities=3)).context["confirm"].initial["token"]
    assert confirm(other, token).status_code == 404
    assert confirm(other, "not-a-token").status_code == 404
    assert not Workspace.objects.exists()
    assert confirm(lead, token).status_code == 302  # still the lead's to confirm


def test_an_expired_preview_asks_to_upload_again_and_writes_nothing(make_user):
    client = logged_in(make_user, "lead")
    token = preview(client, "team.json", large_document(activities=3)).context["confirm"].initial["token"]
    PendingImport.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    response = confirm(client, token)
    assert response.status_code == 200
    assert "This preview is more than an hour old and has expired: upload the file again." in response.text
    assert not Workspace.objects.exists() and not Activity.objects.exists()


def test_a_confirm_sent_twice_imports_once_and_says_so(make_user):
    client = logged_in(make_user, "lead")
    token = preview(client, "team.json", large_document(activities=3)).context["confirm"].initial["token"]
    assert confirm(client, token).status_code == 302
    response = confirm(client, token, name="Another name")
    assert response.status_code == 200
    assert "This preview was imported already as “Large team”; nothing was imported again." in response.text
    workspace = Workspace.objects.get()
    assert workspace.activities.count() == 3 and workspace.get_absolute_url() in response.text


def test_old_pending_imports_are_purged_when_a_preview_is_made(make_user):
    client = logged_in(make_user, "lead")
    preview(client, "old.json", large_document(activities=2))
    PendingImport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    preview(client, "new.json", large_document(activities=2))
    assert list(PendingImport.objects.values_list("filename", flat=True)) == ["new.json"]


def test_a_user_keeps_at_most_ten_previews_waiting(make_user):
    client = logged_in(make_user, "lead")
    tokens = [preview(client, f"team{i}.json", large_document(activities=1)).context["confirm"].initial["token"] for i in range(12)]
    assert PendingImport.objects.count() == 10
    assert confirm(client, tokens[0]).status_code == 404  # the oldest made room
    assert confirm(client, tokens[-1]).status_code == 302


def test_a_refused_confirm_shows_the_preview_again_and_can_be_fixed(make_user):
    client = logged_in(make_user, "lead")
    Workspace.objects.create(name="Taken")
    token = preview(client, "team.json", large_document(activities=3)).context["confirm"].initial["token"]
    response = confirm(client, token, name="Taken")
    assert response.status_code == 200
    assert "Not imported yet:" in response.text and "exists already" in response.text
    assert "Preview: nothing is written until you confirm" in response.text
    assert response.context["confirm"]["name"].value() == "Taken"
    assert confirm(client, token, name="Free").status_code == 302
    assert Workspace.objects.get(name="Free").activities.count() == 3


def test_a_file_over_the_limit_gets_the_form_back_with_its_size(make_user):
    client = logged_in(make_user, "lead")
    response = preview(client, "team.csv", "activity,PM\n" + "x" * (3 * MAX_UPLOAD_BYTES))
    assert response.status_code == 200
    assert "The file is 6.01 MB; the limit is 2 MB." in response.text
    assert not PendingImport.objects.exists()


def test_a_paste_too_large_to_read_gets_the_import_page_with_why(make_user):
    client = logged_in(make_user, "lead")
    pasted = "| activity | PM |\n|---|---|\n" + "".join(f"| {i:05} {'é' * 20} | R |\n" for i in range(55_000))
    assert len(pasted) <= MAX_UPLOAD_BYTES < 2_700_000 < len(pasted.encode())  # the box takes it; UTF-8 is larger
    response = client.post(reverse("workspaces:import"), {"step": "upload", "table": pasted})
    assert response.status_code == 400
    text = " ".join(response.text.split())
    assert "Import a workspace" in text and "Nothing was imported: 1 problem" in text
    assert re.search(r"What was sent is 3\.\d\d MB; a form takes at most 2\.63 MB\. Upload the table as a file instead of pasting it\.", text)
    assert 'name="file"' in text  # the form, to try again


def test_a_request_too_large_elsewhere_says_why(make_user):
    client = logged_in(make_user, "lead")
    response = client.post(reverse("workspaces:list"), {"name": "x" * 3_000_000})
    assert response.status_code == 400
    assert "What was sent is 3.01 MB; a form takes at most 2.63 MB." in response.text
    # Refused while the body was read, still inside the middlewares that add the security headers.
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} <= set(response.headers)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (bin/test runs on it)")
def test_two_confirms_of_one_preview_at_once_import_once(live_library, make_user):
    user = make_user("lead")
    token = preview(logged_in_as(user), "team.json", large_document(activities=5)).context["confirm"].initial["token"]
    for _ in range(5):
        first, second = race(*[lambda name=name: confirm(logged_in_as(user), token, name=name) for name in ("One", "Two")])
        assert sorted([first.status_code, second.status_code]) == [200, 302]
        refused = first if first.status_code == 200 else second
        assert "imported already" in refused.text
        assert Workspace.objects.count() == 1 and Activity.objects.count() == 5
        Workspace.objects.all().delete()
        token = preview(logged_in_as(user), "team.json", large_document(activities=5)).context["confirm"].initial["token"]


def logged_in_as(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client
