"""The facilitator's board at projector size: every lane in sight, drops that are never lost,
and a merge that keeps the note the facilitator chose."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from frameworks.models import Element, Framework
from responsibilities import services as workspace_services
from workshops import services
from workshops.models import Note
from tests.conftest import PASSWORD

NOTE = 'li.note:has(> p.note-text:text-is("%s"))'


def widest_framework() -> Framework:
    return max(Framework.objects.all(), key=lambda framework: framework.elements.filter(parent=None).count())


@pytest.fixture
def workshop(site):
    user = get_user_model().objects.create_user(username="facilitator", password=PASSWORD)
    workspace = workspace_services.workspace_create_from_starter(
        name="Offsite team", owner=user, size="scale-up", market="b2b",
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    return services.workshop_start(
        workspace=workspace, title="Who owns launch?", framework=widest_framework(),
        roles=list(workspace.roles.all()), by=user,
    )


def participant(workshop, name):
    person = services.join(code=workshop.code, name=name, ip="10.0.0.9")
    services.participant_set_role(participant=person, role=workshop.roles.order_by("position").first())
    person.refresh_from_db()
    return person


def open_board(page: Page, site, workshop):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("facilitator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    page.goto(site + workshop.get_absolute_url())


def test_every_lane_is_in_sight_and_a_drop_on_the_last_survives_a_poll(page: Page, site, workshop):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    dana = participant(workshop, "Dana")
    services.note_add(participant=dana, text="Partner programs", kind="self", role=None)
    open_board(page, site, workshop)
    page.evaluate("window.notReloaded = true")

    lanes = page.locator("section.lane")
    categories = list(workshop.framework.elements.filter(parent=None).order_by("position"))
    expect(lanes).to_have_count(len(categories) + 1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1440  # no sideways scrolling
    for box in (lanes.nth(i).bounding_box() for i in range(lanes.count())):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1440
    last = lanes.last
    page.locator(".lanes").evaluate("lanes => lanes.scrollIntoView()")
    last_box = last.bounding_box()
    assert last_box["y"] + last_box["height"] <= 900  # every lane in sight at once

    note = page.locator(NOTE % "Partner programs")
    start = note.bounding_box()
    page.mouse.move(start["x"] + 20, start["y"] + 10)
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] + 30, steps=5)
    # While the note is in the air, the board changes and the 2-second poll comes due.
    services.note_add(participant=dana, text="Arrived mid-drag", kind="self", role=None)
    page.wait_for_timeout(4500)
    target = last.locator("ol.notes").bounding_box()
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 15, steps=25)
    page.wait_for_timeout(300)  # a hand comes to rest over the lane before letting go
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 20, steps=2)
    page.wait_for_timeout(300)
    page.mouse.up()

    expect(page.locator("#board-status")).to_contain_text("Saved: “Partner programs” is in " + categories[-1].name)
    expect(last.locator(NOTE % "Partner programs")).to_be_visible()
    expect(page.locator("#board")).to_contain_text("Arrived mid-drag", timeout=8000)  # polling resumed
    assert Note.objects.get(text="Partner programs").category == categories[-1]
    assert page.evaluate("window.notReloaded") is True
    page.reload()
    expect(page.locator("section.lane").last.locator(NOTE % "Partner programs")).to_be_visible()
    assert errors == [], errors


def test_a_merge_keeps_the_chosen_note_in_its_lane(page: Page, site, workshop):
    dana, sam = participant(workshop, "Dana"), participant(workshop, "Sam")
    lane = workshop.framework.elements.filter(parent=None).order_by("position").first()
    sorted_note = services.note_add(participant=dana, text="Pricing decisions", kind="self", role=None)
    services.note_move(note=sorted_note, category=lane)
    services.note_add(participant=sam, text="Pricing calls", kind="self", role=None)
    open_board(page, site, workshop)

    # Page order puts Unsorted first: the unsorted duplicate is ticked first.
    page.locator(NOTE % "Pricing calls").get_by_label("select").check()
    page.locator(NOTE % "Pricing decisions").get_by_label("select").check()
    page.get_by_role("button", name="Merge the selected notes…").click()
    keep = page.get_by_role("radio", name=re.compile("^Pricing decisions"))
    expect(keep).to_be_checked()  # the sorted note is offered
    page.get_by_role("radio", name=re.compile("^Pricing calls")).check()
    keep.check()
    page.get_by_role("button", name="Merge into the chosen note").click()

    expect(page.get_by_text("Merged 2 notes into “Pricing decisions”")).to_be_visible()
    section = page.locator("section.lane").filter(has=page.get_by_role("heading", name=re.compile("^" + re.escape(lane.name))))
    expect(section.locator(NOTE % "Pricing decisions")).to_contain_text("Dana, Sam")
    expect(page.locator(NOTE % "Pricing calls")).to_have_count(0)
    assert Note.objects.get(text="Pricing decisions").category == lane


def test_a_refused_drop_goes_back_and_says_so(page: Page, site, workshop):
    dana = participant(workshop, "Dana")
    services.note_add(participant=dana, text="Partner programs", kind="self", role=None)
    open_board(page, site, workshop)
    page.route("**/move/", lambda route: route.abort())  # the connection drops
    target = page.locator("section.lane").nth(1).locator("ol.notes")
    page.locator(NOTE % "Partner programs").drag_to(target)
    expect(page.locator("#board-status")).to_contain_text("Not saved: “Partner programs” is back where it was.")
    expect(page.locator("ol.notes").first.locator(NOTE % "Partner programs")).to_be_visible()
    assert Note.objects.get(text="Partner programs").category is None


def test_the_presenter_view_follows_new_notes_and_a_new_code(page: Page, site, workshop):
    open_board(page, site, workshop)
    with page.expect_popup() as opened:
        page.get_by_role("link", name="Open the presenter view").click()  # a new tab for the projector
    projector = opened.value
    projector.set_viewport_size({"width": 1440, "height": 900})
    expect(projector.locator(".presenter-code")).to_have_text(workshop.code)
    assert projector.locator(".presenter-qr svg").bounding_box()["width"] >= 300
    assert projector.locator(".site-nav").count() == 0
    services.note_add(participant=participant(workshop, "Dana"), text="Launch plan", kind="self", role=None)
    expect(projector.locator(".presenter-counts")).to_have_text("1 participant · 1 note", timeout=8000)
    new = services.workshop_new_code(workshop=workshop)
    expect(projector.locator(".presenter-code")).to_have_text(new.code, timeout=8000)
