"""Who may do what in a workshop, and what the pages and polling answer."""

import pytest
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from workshops import services
from workshops.models import Note, Participant, Workshop

pytestmark = pytest.mark.django_db


def facilitator_urls(workshop, note):
    w, s = workshop.workspace.public_id, workshop.public_id
    launch = Element.objects.get(framework__slug="read", code="launch")
    return {
        "board": ("get", reverse("workshop:board", args=[w, s]), {}),
        "poll": ("get", reverse("workshop:board_poll", args=[w, s]), {"v": "0"}),
        "note_tools": ("get", reverse("workshop:note", args=[w, s, note.public_id]), {}),
        "move": ("post", reverse("workshop:note_move", args=[w, s, note.public_id]), {"lane": launch.pk}),
        "map": ("post", reverse("workshop:note_map", args=[w, s, note.public_id]), {"element": launch.pk}),
        "owners": ("post", reverse("workshop:note_owners", args=[w, s, note.public_id]), {}),
        "edit": ("post", reverse("workshop:note_edit", args=[w, s, note.public_id]), {"text": "Renamed"}),
        "merge": ("post", reverse("workshop:merge", args=[w, s]), {"notes": [str(note.public_id)]}),
        "close": ("post", reverse("workshop:close", args=[w, s]), {}),
        "new_code": ("post", reverse("workshop:new_code", args=[w, s]), {}),
        "commit_preview": ("get", reverse("workshop:commit", args=[w, s]), {}),
        "commit": ("post", reverse("workshop:commit", args=[w, s]), {}),
        "start": ("post", reverse("workshop:list", args=[w]), {"title": "Another", "framework": "read"}),
    }


READS = {
    "list": lambda workshop, note: ("get", reverse("workshop:list", args=[workshop.workspace.public_id]), {}),
    "results": lambda workshop, note: ("get", reverse("workshop:results", args=[workshop.workspace.public_id, workshop.public_id]), {}),
    "results_md": lambda workshop, note: ("get", reverse("workshop:results", args=[workshop.workspace.public_id, workshop.public_id]), {"format": "md"}),
    "present": lambda workshop, note: ("get", reverse("workshop:present", args=[workshop.workspace.public_id, workshop.public_id]), {}),
}


@pytest.fixture
def note(participant):
    return services.note_add(participant=participant, text="Launch messaging", kind="self", role=None)


def snapshot(workshop):
    fresh = Workshop.objects.get(pk=workshop.pk)
    return (
        fresh.status, fresh.version, fresh.secret, Workshop.objects.count(),
        sorted(Note.objects.values_list("text", "category_id")),
    )


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "viewer", "editor", "owner", "participant"])
@pytest.mark.parametrize(
    "name", ["board", "poll", "note_tools", "move", "map", "owners", "edit", "merge", "close", "new_code", "commit_preview", "commit", "start"]
)
def test_facilitator_controls_need_workspace_edit_rights(as_persona, client, workshop, note, persona, name, participant):
    method, url, data = facilitator_urls(workshop, note)[name]
    if persona == "participant":
        session = client.session
        session["workshop_participants"] = {str(workshop.public_id): str(participant.public_id)}
        session.save()
    else:
        as_persona(persona)
    before = snapshot(workshop)
    response = getattr(client, method)(url, data)
    if persona in ("anonymous", "participant"):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif persona == "outsider":
        assert response.status_code == 404
    elif persona == "viewer":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)
        return
    assert snapshot(workshop) == before


@pytest.mark.parametrize("persona, status", [("anonymous", 302), ("outsider", 404), ("viewer", 200), ("editor", 200)])
@pytest.mark.parametrize("name", list(READS))
def test_results_and_list_are_for_members(as_persona, workshop, note, persona, status, name):
    method, url, data = READS[name](workshop, note)
    assert as_persona(persona).get(url, data).status_code == status


def test_the_board_poll_answers_204_until_something_changes(as_persona, workshop, participant):
    client = as_persona("editor")
    url = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
    version = Workshop.objects.get(pk=workshop.pk).version
    assert client.get(url, {"v": version}).status_code == 204
    services.note_add(participant=participant, text="<script>alert(1)</script>", kind="self", role=None)
    response = client.get(url, {"v": version})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="board"')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text and "<script>alert" not in response.text


def test_a_participant_sees_only_their_own_workshop(workshop, participant):
    client = Client()
    session = client.session
    session["workshop_participants"] = {str(workshop.public_id): str(participant.public_id)}
    session.save()
    assert client.get(reverse("workshop:participant", args=[workshop.public_id])).status_code == 200
    another = Workshop.objects.create(
        workspace=workshop.workspace, title="Another", framework=workshop.framework, key="ZZZ", secret="ZZZZZ"
    )
    assert client.get(reverse("workshop:participant", args=[another.public_id])).status_code == 404
    assert client.get(reverse("workspaces:matrix", args=[workshop.workspace.public_id])).status_code == 302


def test_joining_through_the_page_remembers_the_participant(client, workshop):
    role = str(workshop.roles.get(name="Product Manager").public_id)
    response = client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Sam", "role": role})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You are Sam, Product Manager" in page.text
    client.post(response["Location"], {"kind": "self", "text": "Roadmap", "share": "own"})
    assert Note.objects.get().role.name == "Product Manager"


def test_a_wrong_code_on_the_page_says_so_and_the_limit_is_429(client, workshop):
    response = client.post(reverse("workshop:join"), {"code": "AAA-AAAAA", "name": "Eve"})
    assert response.status_code == 400 and "does not open a workshop" in response.text
    for _ in range(services.WRONG_CODES_PER_ADDRESS):
        client.post(reverse("workshop:join"), {"code": "AAA-AAAAA", "name": "Eve"})
    assert client.post(reverse("workshop:join"), {"code": workshop.code, "name": "Eve"}).status_code == 429
    assert not Participant.objects.filter(name="Eve").exists()


def test_a_closed_workshop_tells_participants(client, workshop, participant):
    session = client.session
    session["workshop_participants"] = {str(workshop.public_id): str(participant.public_id)}
    session.save()
    services.workshop_close(workshop=workshop)
    page = client.get(reverse("workshop:participant", args=[workshop.public_id]))
    assert "The workshop is closed. Thank you" in page.text
    response = client.post(reverse("workshop:participant", args=[workshop.public_id]), {"kind": "self", "text": "Late"})
    assert response.status_code == 400 and not Note.objects.exists()


def test_results_show_perception_gaps_and_export(as_persona, workshop, participant, note):
    pm = workshop.roles.get(name="Product Manager")
    services.note_add(participant=participant, text="Pricing", kind="other", role=pm)
    client = as_persona("viewer")
    url = reverse("workshop:results", args=[workshop.workspace.public_id, workshop.public_id])
    text = client.get(url).text
    assert "only the role sees it" in text and "only others see it" in text
    csv_text = client.get(url, {"format": "csv"}).content.decode()
    assert csv_text.splitlines()[0].startswith("note,lane,element,authors")
    assert "# Who owns launch?" in client.get(url, {"format": "md"}).content.decode()


def test_only_the_board_allows_style_attributes_and_nothing_allows_inline_script(as_persona, workshop):
    client = as_persona("editor")
    board = client.get(reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id]))
    matrix = client.get(reverse("workspaces:matrix", args=[workshop.workspace.public_id]))
    assert "style-src-attr 'unsafe-inline'" in board["Content-Security-Policy"]
    assert "style-src-attr" not in matrix["Content-Security-Policy"]
    for response in (board, matrix):
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_the_board_shows_the_code_lanes_and_live_flags(as_persona, workshop, participant):
    note = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    services.note_map(note=note, element=Element.objects.get(framework__slug="read", code="launch"))
    for name in ("Product Marketing", "Product Manager"):
        services.note_set_owner(note=note, role=workshop.roles.get(name=name), letters="A")
    text = as_persona("editor").get(reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id])).text
    assert workshop.code in text
    for lane in ("Unsorted", "Strategy", "Roadmap", "Positioning", "Launch"):
        assert f">{lane} <span" in text
    assert "Several A" in text


def test_board_query_count_does_not_grow_with_notes(as_persona, workshop, participant, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("editor")
    url = reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id])
    services.note_add(participant=participant, text="One", kind="self", role=None)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(25):
        other = services.join(code=workshop.code, name=f"P{n}", ip="10.9.0.1")
        services.participant_set_role(participant=other, role=workshop.roles.first())
        other.refresh_from_db()
        note = services.note_add(participant=other, text=f"Note {n}", kind="self", role=None)
        services.note_set_owner(note=note, role=workshop.roles.first(), letters="A/R")
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_selected_notes_merge_into_the_note_the_facilitator_keeps(as_persona, workshop, participant):
    first = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    second = services.note_add(participant=participant, text="launch planning", kind="self", role=None)
    client = as_persona("editor")
    url = reverse("workshop:merge", args=[workshop.workspace.public_id, workshop.public_id])
    both = [str(first.public_id), str(second.public_id)]
    choice = client.post(url, {"notes": both})
    assert choice.status_code == 200 and "Keep this one" in choice.text
    assert not Note.objects.exclude(merged_into=None).exists()  # asking writes nothing
    response = client.post(url, {"notes": both, "keep": str(second.public_id)}, follow=True)
    assert "Merged 2 notes" in response.text
    first.refresh_from_db()
    assert first.merged_into == second
    assert "Select two or more" in client.post(url, {"notes": [str(first.public_id)]}, follow=True).text
    assert client.post(url, {"notes": ["not-a-uuid"]}).status_code == 404


def test_a_notes_tools_open_as_a_page_without_javascript(as_persona, workshop, participant):
    note = services.note_add(participant=participant, text="Launch plan", kind="self", role=None)
    client = as_persona("editor")
    url = reverse("workshop:note", args=[workshop.workspace.public_id, workshop.public_id, note.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.text and "Move" in page.text
    partial = client.get(url, headers={"HX-Request": "true"})
    move = reverse("workshop:note_move", args=[workshop.workspace.public_id, workshop.public_id, note.public_id])
    assert "<html" not in partial.text and f'action="{move}"' in partial.text


def test_the_board_offers_the_join_link_as_a_qr_code(as_persona, workshop):
    text = as_persona("editor").get(reverse("workshop:board", args=[workshop.workspace.public_id, workshop.public_id])).text
    assert f"/join/?code={workshop.code}" in text
    assert '<svg width=' in text and 'class="segno"' in text


PARTICIPANT_URLS = {
    "participant": lambda workshop, note: ("get", reverse("workshop:participant", args=[workshop.public_id]), {}),
    "note_add": lambda workshop, note: (
        "post", reverse("workshop:participant", args=[workshop.public_id]), {"kind": "self", "text": "Sneaky"}
    ),
    "participant_poll": lambda workshop, note: ("get", reverse("workshop:participant_poll", args=[workshop.public_id]), {}),
    "participant_role": lambda workshop, note: (
        "post", reverse("workshop:participant_role", args=[workshop.public_id]), {"role": "none"}
    ),
    "participant_note": lambda workshop, note: (
        "get", reverse("workshop:participant_note", args=[workshop.public_id, note.public_id]), {}
    ),
    "participant_note_edit": lambda workshop, note: (
        "post", reverse("workshop:participant_note", args=[workshop.public_id, note.public_id]), {"text": "Sneaky"}
    ),
    "participant_note_withdraw": lambda workshop, note: (
        "post", reverse("workshop:participant_note_withdraw", args=[workshop.public_id, note.public_id]), {}
    ),
}


@pytest.mark.parametrize("persona", ["anonymous", "outsider", "viewer", "editor", "owner"])
@pytest.mark.parametrize("name", list(PARTICIPANT_URLS))
def test_participant_pages_need_a_participant_of_that_workshop(as_persona, workshop, note, persona, name):
    """Workspace membership is not enough: a participant page belongs to whoever joined."""
    method, url, data = PARTICIPANT_URLS[name](workshop, note)
    before = snapshot(workshop), sorted(Participant.objects.values_list("name", "role_id"))
    response = getattr(as_persona(persona), method)(url, data)
    assert response.status_code == 404
    assert (snapshot(workshop), sorted(Participant.objects.values_list("name", "role_id"))) == before


def test_an_unchanged_poll_with_the_boards_token_answers_with_one_query(client, as_persona, workshop, django_assert_num_queries):
    from workshops.views import poll_token

    url = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
    version = Workshop.objects.get(pk=workshop.pk).version
    with django_assert_num_queries(1):
        assert client.get(url, {"v": version, "t": poll_token(workshop)}).status_code == 204
    # The token says nothing about content: a changed board needs a login with edit rights.
    assert client.get(url, {"v": version - 1, "t": poll_token(workshop)}).status_code == 302
    other = Workshop.objects.create(
        workspace=workshop.workspace, title="Other", framework=workshop.framework, key="QQQ", secret="QQQQQ"
    )
    assert client.get(url, {"v": version, "t": poll_token(other)}).status_code == 302
    assert client.get(url, {"v": version, "t": "forged"}).status_code == 302


def test_a_note_reworded_meanwhile_is_not_overwritten_and_the_wording_comes_back(as_persona, workshop, note):
    url = reverse("workshop:note_edit", args=[workshop.workspace.public_id, workshop.public_id, note.public_id])
    editor = as_persona("editor")
    services.note_edit(note=note, text="Launch messaging and naming")  # someone else, a moment before
    refused = editor.post(url, {"text": "Launch copy", "original": "Launch messaging"})
    assert refused.status_code == 409
    assert "Launch messaging and naming" in refused.text and 'value="Launch copy"' in refused.text
    note.refresh_from_db()
    assert note.text == "Launch messaging and naming"
    htmx = editor.post(url, {"text": "Launch copy", "original": "Launch messaging"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 409
    saved = editor.post(url, {"text": "Launch copy", "original": "Launch messaging and naming"})
    assert saved.status_code == 302
    note.refresh_from_db()
    assert note.text == "Launch copy"
