"""A login that ended (idle too long) while the matrix was open: the next cell click takes the
whole page to the login form and back to the matrix, not a login form inside the cell."""

import re

from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from playwright.sync_api import Page, expect

from accounts import lifetimes
from tests.browser.test_workspace_matrix import cell, start_workspace
from tests.conftest import PASSWORD


def test_a_click_after_the_session_ended_goes_to_log_in_and_back(page: Page, site, settings):
    start_workspace(page, site, "lead", "Acme product org")
    matrix_url = page.url
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key)
    session[lifetimes.SEEN] -= settings.SESSION_IDLE_MINUTES * 60
    session.save()
    caches["session-checks"].clear()  # the live server runs in this process

    cell(page, "Brand, look and feel", "Sales").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_text("your session ended")).to_be_visible()
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(matrix_url)
    expect(cell(page, "Brand, look and feel", "Sales")).to_have_text("")
