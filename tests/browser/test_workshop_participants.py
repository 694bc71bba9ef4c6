"""Three participants, one on a phone, from joining with a role to the workshop's results."""

import re

from playwright.sync_api import Page, expect

from tests.browser.test_workshop import start_workshop

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def add_note(page: Page, text: str, about: str | None = None):
    if about:
        page.get_by_label("Another role does this").check()
        page.get_by_label("Which role does it").select_option(label=about)
    else:
        page.get_by_label(re.compile("I do this")).check()
    page.get_by_label("What").fill(text)
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".my-notes")).to_contain_text(text)


def my_note(page: Page, text: str):
    return page.locator(".my-notes li").filter(has=page.get_by_text(text, exact=True))


def test_three_participants_from_join_to_results(page: Page, browser, site):
    errors = []
    code = start_workshop(page, site, "Who owns launch?")

    # Dana, on a phone, opens the QR code's link: name and role at once, no site navigation.
    dana_context = browser.new_context(viewport=PHONE)
    dana = dana_context.new_page()
    dana.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    dana.goto(f"{site}/join/?code={code}")
    expect(dana.locator(".site-nav")).to_have_count(0)
    dana.get_by_label("Your name").fill("Dana")
    dana.get_by_label("Your role").select_option(label="Product Marketing")
    dana.get_by_role("button", name="Join").click()
    expect(dana.get_by_text("You are Dana, Product Marketing")).to_be_visible()
    expect(dana.locator(".site-nav")).to_have_count(0)
    # Only the field for the chosen kind shows (CSS, no script needed).
    expect(dana.get_by_label("How much of it is yours")).to_be_visible()
    expect(dana.get_by_label("Which role does it")).to_be_hidden()
    add_note(dana, "Launch messaging")
    dana.get_by_label("Another role does this").check()
    expect(dana.get_by_label("How much of it is yours")).to_be_hidden()
    expect(dana.get_by_label("Which role does it")).to_be_visible()
    add_note(dana, "Pricing decisions", about="Product Manager")
    assert dana.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    dana.screenshot(path="/tmp/participant-phone.png", full_page=True)

    # Sam types the code: two steps. He rewords a note.
    sam_context = browser.new_context(viewport=DESKTOP)
    sam = sam_context.new_page()
    sam.goto(site + "/join/")
    sam.get_by_label("Code").fill(code.lower())
    sam.get_by_role("button", name="Next").click()
    sam.get_by_label("Your name").fill("Sam")
    sam.get_by_label("Your role").select_option(label="Product Manager")
    sam.get_by_role("button", name="Join").click()
    add_note(sam, "Roadmap reviews")
    my_note(sam, "Roadmap reviews").get_by_role("link", name=re.compile("^Edit")).click()
    sam.get_by_label("What").fill("Roadmap reviews and planning")
    sam.get_by_role("button", name="Save the note").click()
    expect(sam.get_by_text("Your note is changed.")).to_be_visible()
    expect(my_note(sam, "Roadmap reviews and planning")).to_be_visible()

    # Lee forgets which role, keeps the typed text, and withdraws a note sent by mistake.
    lee_context = browser.new_context(viewport=DESKTOP)
    lee = lee_context.new_page()
    lee.goto(f"{site}/join/?code={code}")
    lee.get_by_label("Your name").fill("Lee")
    lee.get_by_label("Your role").select_option(label="Designer")
    lee.get_by_role("button", name="Join").click()
    lee.get_by_label("Another role does this").check()
    lee.get_by_label("What").fill("Competitive battlecards")
    lee.get_by_role("button", name="Add the note").click()
    expect(lee.get_by_role("alert")).to_contain_text("Choose which role you think does it")
    expect(lee.get_by_label("What")).to_have_value("Competitive battlecards")
    lee.get_by_label("Which role does it").select_option(label="Product Marketing")
    lee.get_by_role("button", name="Add the note").click()
    expect(my_note(lee, "Competitive battlecards")).to_be_visible()
    add_note(lee, "Launch asets")
    my_note(lee, "Launch asets").get_by_role("button", name=re.compile("^Withdraw")).click()
    expect(lee.get_by_text("Your note “Launch asets” is withdrawn.")).to_be_visible()
    expect(my_note(lee, "Launch asets")).to_have_count(0)
    lee.screenshot(path="/tmp/participant-desktop.png", full_page=True)

    # The facilitator sees the notes arrive, then closes the workshop.
    board = page.locator("#board")
    for text in ["Launch messaging", "Pricing decisions", "Roadmap reviews and planning", "Competitive battlecards"]:
        expect(board).to_contain_text(text, timeout=8000)
    expect(board).not_to_contain_text("Launch asets")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close the workshop").click()
    expect(page.get_by_text("closed").first).to_be_visible()

    # Every participant's page turns into the end state by itself: the notes, no form.
    for participant, texts in [
        (dana, ["Launch messaging", "Pricing decisions"]),
        (sam, ["Roadmap reviews and planning"]),
        (lee, ["Competitive battlecards"]),
    ]:
        expect(participant.get_by_text("The workshop is closed. Thank you — the facilitator will share the results.")).to_be_visible(timeout=8000)
        expect(participant.get_by_role("button", name="Add the note")).to_have_count(0)
        expect(participant.locator("#content form")).to_have_count(0)
        for text in texts:
            expect(my_note(participant, text)).to_be_visible()
    dana.screenshot(path="/tmp/participant-phone-closed.png", full_page=True)

    page.get_by_role("link", name="results").click()
    results = page.locator("#content")
    for text in ["Launch messaging", "Pricing decisions", "Roadmap reviews and planning", "Competitive battlecards"]:
        expect(results).to_contain_text(text)
    expect(results).not_to_contain_text("Launch asets")

    for context in (dana_context, sam_context, lee_context):
        context.close()
    assert errors == [], errors


def test_participant_pages_have_no_serious_accessibility_violations(browser, site, page: Page):
    from tests.browser.test_accessibility import violations

    code = start_workshop(page, site, "Who owns launch?")
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # only to inject axe
    phone = context.new_page()
    found = {}
    phone.goto(site + "/join/")
    found["join"] = violations(phone)
    phone.goto(f"{site}/join/?code={code}")
    found["join with code"] = violations(phone)
    phone.get_by_label("Your name").fill("Dana")
    phone.get_by_label("Your role").select_option(label="Product Marketing")
    phone.get_by_role("button", name="Join").click()
    add_note(phone, "Launch messaging")
    found["participant"] = violations(phone)
    my_note(phone, "Launch messaging").get_by_role("link", name=re.compile("^Edit")).click()
    found["note"] = violations(phone)
    context.close()
    assert not {name: issues for name, issues in found.items() if issues}, found
