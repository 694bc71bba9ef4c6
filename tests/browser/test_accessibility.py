"""axe-core (a test asset, tests/browser/assets) on the main pages: no serious or critical
violations. The context bypasses the CSP only to inject axe; the app's pages are unchanged."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from frameworks.models import Framework
from responsibilities import services
from workshops import services as workshop_services
from tests.conftest import PASSWORD

AXE = sorted(Path(__file__).with_name("assets").glob("axe-core-*.min.js"))[-1]


def violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def pages(site):
    user = get_user_model().objects.create_user(username="a11y", password=PASSWORD)
    workspace = services.workspace_create_from_starter(
        name="Accessible team", owner=user, size="scale-up", market="b2b",
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="A11y workshop", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=user,
    )
    activity = workspace.activities.first()
    w = f"/w/{workspace.public_id}"
    return {
        "public": ["/", "/frameworks/", "/frameworks/pragmatic/", "/frameworks/crosswalk/?left=read&right=pragmatic",
                   "/accounts/login/", "/accounts/signup/", f"/join/?code={workshop.code}"],
        "member": ["/workspaces/", f"{w}/", f"{w}/dashboard/", f"{w}/lens/?framework=pragmatic", f"{w}/roles-document/", f"{w}/staffing/",
                   f"{w}/activities/", f"{w}/a/{activity.public_id}/", f"{w}/a/{activity.public_id}/map/?q=launch",
                   f"{w}/mapping/?framework=pragmatic&show=all", f"{w}/mapping/accept-all/?framework=pragmatic",
                   f"{w}/team/", f"{w}/members/", f"{w}/settings/", "/workspaces/import/",
                   f"{w}/workshops/", f"{w}/workshops/{workshop.public_id}/",
                   f"{w}/workshops/{workshop.public_id}/present/",
                   f"{w}/lens/?framework=read&assess=read:pricing"],  # an element's assessment open
    }


def test_main_pages_have_no_serious_accessibility_violations(browser, site, pages):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in pages["public"]:
        page.goto(site + path)
        found[path] = violations(page)
    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill("a11y")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your workspaces")).to_be_visible()
    for path in pages["member"]:
        page.goto(site + path)
        found[path] = violations(page)
    context.close()
    bad = {path: issues for path, issues in found.items() if issues}
    assert not bad, json.dumps(bad, indent=1)[:4000]
