"""A facilitator and three participants run a workshop from sticky notes to the matrix."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.test_workspace_matrix import log_in


NOTE = 'li.note:has(> p.note-text:text-is("%s"))'


def start_workshop(page: Page, site: str, title: str) -> str:
    """A facilitator's new workspace and a workshop in it, from the pages; its join code."""
    log_in(page, site, "facilitator")
    page.get_by_role("textbox", name="Workspace name").fill("Offsite team")
    page.get_by_role("button", name="Create workspace").click()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Workshops").click()
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Start the workshop").click()
    return page.locator(".code-big").inner_text()


def join(browser, site, code, name, role, notes):
    context = browser.new_context(viewport={"width": 390, "height": 800})  # a phone
    page = context.new_page()
    page.goto(site + "/join/")
    page.get_by_label("Code").fill(code.lower())
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your role").select_option(label=role)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text(f"You are {name}, {role}")).to_be_visible()
    for text in notes:
        page.get_by_label("What").fill(text)
        page.get_by_role("button", name="Add the note").click()
        expect(page.locator(".my-notes")).to_contain_text(text)
    return context


def test_a_workshop_from_notes_to_the_matrix(page: Page, browser, site):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, site, "facilitator")
    page.get_by_role("textbox", name="Workspace name").fill("Offsite team")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.get_by_role("heading", name="Offsite team")).to_be_visible()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Workshops").click()
    page.get_by_label("Title").fill("Who owns launch?")
    page.get_by_role("button", name="Start the workshop").click()
    code = page.locator(".code-big").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{6}", code)
    page.evaluate("window.notReloaded = true")

    contexts = [
        join(browser, site, code, "Dana", "Product Marketing", ["Launch messaging"]),
        join(browser, site, code, "Sam", "Product Manager", ["Roadmap reviews"]),
        join(browser, site, code, "Lee", "Designer", ["Launch assets"]),
    ]
    board = page.locator("#board")
    for text in ["Launch messaging", "Roadmap reviews", "Launch assets"]:
        expect(board).to_contain_text(text, timeout=8000)  # arrives by polling, no reload
    expect(board).to_contain_text("3 participants")

    unsorted = page.locator("ol.notes").first
    launch_lane = page.locator("section.lane").filter(has=page.get_by_role("heading", name=re.compile("^Launch"))).locator("ol.notes")
    unsorted.locator(NOTE % "Launch messaging").drag_to(launch_lane)
    expect(launch_lane).to_contain_text("Launch messaging")

    note = launch_lane.locator(NOTE % "Launch messaging")
    note.get_by_role("link", name="Edit").click()
    note.get_by_label("Product Marketing on Launch messaging").select_option("A/R")
    note.get_by_label("Designer on Launch messaging").select_option("R")
    note.get_by_role("button", name="Set owners").click()
    expect(page.locator(NOTE % "Launch messaging")).to_contain_text("Product Marketing A/R")
    assert page.evaluate("window.notReloaded") is None  # the owners form is a plain form: a page load

    page.get_by_role("link", name="Review and commit to the matrix").click()
    expect(page.locator(".commit-note").filter(has_text="Launch messaging")).to_contain_text("Product Marketing A/R")
    page.get_by_role("radio", name="new activity “Launch messaging”").check()
    page.get_by_role("button", name="Commit 1 note").click()
    expect(page.get_by_text("Committed 1 note to the matrix")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Launch messaging", exact=True))
    expect(row.get_by_role("button", name=re.compile("^Product Marketing: "))).to_have_text("A/R")
    expect(row.get_by_role("button", name=re.compile("^Designer: "))).to_have_text("R")

    for context in contexts:
        context.close()
    assert get_user_model().objects.count() == 1
    assert errors == [], errors


def test_a_new_code_reaches_the_projector_without_a_reload(page: Page, browser, site):
    old_code = start_workshop(page, site, "Who owns launch?")
    projector = page.context.new_page()
    projector.goto(page.url)
    projector.evaluate("window.notReloaded = true")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="New code").click()
    expect(page.get_by_text("The code is now")).to_be_visible()
    new_code = page.locator(".code-big").inner_text()
    assert new_code != old_code and new_code[:3] == old_code[:3]
    expect(projector.locator(".code-big")).to_have_text(new_code, timeout=8000)
    assert projector.evaluate("window.notReloaded") is True

    phone_context = browser.new_context(viewport={"width": 390, "height": 800})
    phone = phone_context.new_page()
    phone.goto(site + "/join/")
    phone.get_by_label("Code").fill(old_code)
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("alert")).to_contain_text("does not open a workshop")
    join(browser, site, new_code, "Dana", "Product Marketing", ["Launch messaging"]).close()
    expect(projector.locator("#board")).to_contain_text("Launch messaging", timeout=8000)
    phone_context.close()
    projector.close()


def test_a_note_committed_into_an_existing_activity(page: Page, site):
    """The preview pairs "Pricing decisions" with "Pricing and packaging"; added to it, its
    letters join that row (the second accountable decided, not overwritten): no near-duplicate."""
    from frameworks.models import Element
    from responsibilities.models import Workspace
    from workshops.models import Note, NoteOwner, Participant

    start_workshop(page, site, "Who owns pricing?")
    workshop = Workspace.objects.get(name="Offsite team").workshops.get()
    roles = {role.name: role for role in workshop.roles.all()}
    dana = Participant.objects.create(workshop=workshop, name="Dana", role=roles["Product Marketing"])
    pricing = Element.objects.get(framework=workshop.framework, code="pricing")
    note = Note.objects.create(
        workshop=workshop, author=dana, text="Pricing decisions", role=roles["Product Marketing"],
        category=pricing.parent, element=pricing,
    )
    NoteOwner.objects.create(note=note, role=roles["Product Marketing"], letters="A/R")
    NoteOwner.objects.create(note=note, role=roles["Designer"], letters="C")

    page.reload()
    page.get_by_role("link", name="Review and commit to the matrix").click()
    card = page.locator(".commit-note").filter(has_text="Pricing decisions")
    expect(card.get_by_role("radio", name=re.compile("^new activity"))).to_be_checked()
    add_to = card.get_by_role("radio", name=re.compile("^add to Pricing and packaging"))
    add_to.check()
    page.get_by_role("button", name="Commit 1 note").click()

    expect(page.get_by_role("alert")).to_contain_text("decide each conflict")
    conflict = page.get_by_role("group", name=re.compile("^Who is accountable for Pricing and packaging"))
    expect(conflict).to_contain_text("the matrix says Founder A, the workshop says Product Marketing A/R")
    conflict.get_by_role("radio", name=re.compile("^keep the matrix's")).check()
    page.get_by_role("button", name="Commit 1 note").click()

    expect(page.get_by_text("Committed 1 note to the matrix: 0 new activities, 1 added to existing ones.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Pricing and packaging", exact=True))
    expect(row.get_by_role("button", name=re.compile("^Founder: "))).to_have_text("A")
    expect(row.get_by_role("button", name=re.compile("^Product Marketing: "))).to_have_text("R")
    expect(row.get_by_role("button", name=re.compile("^Designer: "))).to_have_text("C")
    expect(page.get_by_role("link", name="Pricing decisions")).to_have_count(0)
