"""Hostile text in every user-entered field is shown as literal text on every page that shows
it, and no script runs in the browser: not on page loads, not after HTMX swaps.

The browser contexts bypass the Content-Security-Policy, which forbids inline script and
would otherwise hide an escaping bug: what is tested here is the escaping itself."""

import re

import pytest
from playwright.sync_api import expect

from frameworks.models import Element
from responsibilities import services
from responsibilities.models import Workspace
from workshops import services as workshop_services
from workshops.models import Note, Workshop
from tests.browser.test_workspace_matrix import cell, log_in, start_workspace

# Each payload sets window.__pwned if it ever runs.
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror="window.__pwned=2">'
SVG = '<svg onload="window.__pwned=3">'
TEMPLATE = "{{ 7*7 }}"
FORMULA = "=cmd|' /C calc'!A0"
EVERYTHING = f"{SCRIPT} {IMG} {SVG} {TEMPLATE} {FORMULA}"

WORKSPACE = f"WS {SCRIPT} {TEMPLATE}"
ROLE = f"Role {IMG}"
PERSON = f"P {SVG}"
ACTIVITY = f"Act {EVERYTHING}"
DESCRIPTION = f"{FORMULA} {SVG} {TEMPLATE}"
TITLE = f"WK {SCRIPT} {SVG} {TEMPLATE}"
PARTICIPANT = 'P"><img src=x onerror=window.__pwned=4>'  # a display name has at most 40 characters
NOTE_TEXT = f"Note {EVERYTHING}"


def watch(context, dialogs: list, errors: list):
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)


def assert_inert(page, *texts):
    """Nothing ran, no handler or script of ours is in the DOM, and the texts are shown literally."""
    # Looking for planted markup, not only for its effect, needs no waiting for an <img> to fail.
    state = page.evaluate(
        """() => ({
            ran: window.__pwned ?? null,
            planted: document.querySelectorAll("[onerror], [onload]").length
                + [...document.scripts].filter((script) => script.text.includes("__pwned")).length,
        })"""
    )
    assert state == {"ran": None, "planted": 0}, f"{page.url}: {state}"
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{page.url} does not show {text!r} as text"


@pytest.mark.browser_context_args(bypass_csp=True)
def test_hostile_text_is_shown_as_text_and_never_runs(page, new_context, site):
    dialogs, errors = [], []
    facilitator, participant = page, new_context().new_page()
    for context in (facilitator.context, participant.context):
        watch(context, dialogs, errors)

    # Typed as a person would: the workspace, an activity and its description, the workshop.
    log_in(facilitator, site, "facilitator")
    facilitator.get_by_role("textbox", name="Workspace name").fill(WORKSPACE)
    facilitator.get_by_role("button", name="Create workspace").click()
    expect(facilitator.locator("h1")).to_have_text(WORKSPACE)
    workspace = Workspace.objects.get(name=WORKSPACE)
    w = f"/w/{workspace.public_id}"
    role = workspace.roles.order_by("position").first()
    services.role_update(role=role, name=ROLE, archetype=role.archetype)
    services.person_save(workspace=workspace, name=PERSON, roles=[role])

    facilitator.get_by_label("New activity").fill(ACTIVITY)
    facilitator.get_by_role("button", name="Add activity").click()
    expect(facilitator).to_have_url(re.compile(r"#row-"))
    assert_inert(facilitator, WORKSPACE, ROLE, ACTIVITY)
    activity = workspace.activities.get(name=ACTIVITY)
    a = f"{w}/a/{activity.public_id}"
    facilitator.goto(f"{site}{a}/")
    facilitator.get_by_label("Description").fill(DESCRIPTION)
    facilitator.get_by_role("button", name="Save").click()
    expect(facilitator.get_by_text("Activity saved.")).to_be_visible()
    expect(facilitator.get_by_label("Description")).to_have_value(DESCRIPTION)
    assert_inert(facilitator, WORKSPACE, ACTIVITY, ROLE)

    facilitator.goto(f"{site}{w}/workshops/")
    facilitator.get_by_label("Title").fill(TITLE)
    facilitator.get_by_role("button", name="Start the workshop").click()
    code = facilitator.locator(".code-big").inner_text()

    # A participant joins with a hostile name, takes the hostile role and adds a hostile note;
    # the facilitator's board, left open, receives them through its HTMX poll.
    participant.goto(site + "/join/")
    participant.get_by_label("Code").fill(code)
    participant.get_by_role("button", name="Next").click()
    participant.get_by_label("Your name").fill(PARTICIPANT)
    participant.get_by_label("Your role").select_option(label=ROLE)
    participant.get_by_role("button", name="Join").click()
    expect(participant.get_by_text(f"You are {PARTICIPANT}, {ROLE}.")).to_be_visible()
    participant.get_by_label("What").fill(NOTE_TEXT)
    participant.get_by_role("button", name="Add the note").click()
    expect(participant.locator(".my-notes")).to_contain_text(NOTE_TEXT)
    assert_inert(participant, TITLE, PARTICIPANT, ROLE, NOTE_TEXT)
    expect(facilitator.locator("#board")).to_contain_text(NOTE_TEXT, timeout=8000)
    assert_inert(facilitator, WORKSPACE, TITLE, PARTICIPANT, ROLE, NOTE_TEXT)

    # Sorted onto a category, the note also reaches the results and the commit preview.
    launch = Element.objects.get(framework__slug="read", code="launch")
    workshop_services.note_map(note=Note.objects.get(), element=launch)
    s = f"{w}/workshops/{Workshop.objects.get().public_id}"
    shown = {
        "/workspaces/": [WORKSPACE],
        f"{w}/": [WORKSPACE, ROLE, ACTIVITY],
        f"{w}/dashboard/": [WORKSPACE, ROLE, ACTIVITY],
        f"{w}/lens/": [WORKSPACE, ROLE],
        f"{w}/roles-document/": [WORKSPACE, ROLE, PERSON],
        f"{w}/activities/": [WORKSPACE, ROLE, ACTIVITY],
        f"{a}/": [WORKSPACE, ROLE, ACTIVITY],
        f"{a}/map/?q=launch": [WORKSPACE, ACTIVITY],
        f"{w}/mapping/?show=all": [WORKSPACE, ACTIVITY],
        f"{w}/team/": [WORKSPACE, ROLE, PERSON],
        f"{w}/members/": [WORKSPACE],
        f"{w}/settings/": [WORKSPACE],
        f"{w}/workshops/": [WORKSPACE, TITLE],
        f"{s}/": [WORKSPACE, TITLE, ROLE, PARTICIPANT, NOTE_TEXT],
        f"{s}/results/": [WORKSPACE, TITLE, ROLE, NOTE_TEXT],
        f"{s}/commit/": [WORKSPACE, TITLE, NOTE_TEXT],
    }
    for path, texts in shown.items():
        facilitator.goto(site + path)
        for summary in facilitator.locator("details.finding-group > summary").all():
            summary.click()  # the dashboard's findings open on demand
        assert_inert(facilitator, *texts)
    participant.reload()
    assert_inert(participant, TITLE, PARTICIPANT, ROLE, NOTE_TEXT)

    # An HTMX swap on the matrix: the edited cell and the row's flags come from the server.
    facilitator.goto(f"{site}{w}/")
    target = cell(facilitator, ACTIVITY, ROLE)
    expect(target).to_have_text("")
    target.click()
    expect(cell(facilitator, ACTIVITY, ROLE)).to_have_text("R")
    assert_inert(facilitator, WORKSPACE, ROLE, ACTIVITY)

    assert dialogs == [], dialogs
    assert errors == [], errors


def test_a_refused_htmx_request_says_why_on_the_page(page, site):
    """htmx swaps no 400: the refusal's message comes in an event and shows with the page's messages."""
    start_workspace(page, site, "nul-tester", "Refusals")
    workspace = Workspace.objects.get(name="Refusals")
    activity = workspace.activities.first()
    page.goto(f"{site}/w/{workspace.public_id}/a/{activity.public_id}/map/")
    expect(page.locator("#element-search")).to_be_visible()
    # A NUL pasted from another program: typed into the search box, sent by htmx as you type.
    page.locator("#element-search").evaluate(
        """(box) => { box.value = "launch\\u0000"; box.dispatchEvent(new Event("input", {bubbles: true})); }"""
    )
    expect(page.locator("ul.messages")).to_contain_text("There is a NUL character (U+0000) in the “q” parameter")
