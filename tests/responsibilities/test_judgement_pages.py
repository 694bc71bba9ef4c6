"""Dashboard, lens, role-definition document and `analyze`: content, access and query counts."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frameworks.models import Element
from responsibilities.models import Assignment, Person
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db


def url(name, workspace):
    return reverse(f"workspaces:{name}", args=[workspace.public_id])


@pytest.fixture
def owner_client(client, personas):
    client.force_login(personas["owner"])
    return client


def test_dashboard_shows_coverage_for_every_framework_findings_and_roadmap(owner_client, workspace):
    response = owner_client.get(url("dashboard", workspace))
    assert response.status_code == 200
    text = response.text
    for title in ["The Pragmatic Framework", "What product marketers do: the five categories", "Blackblot"]:
        assert title in text
    assert "Improvement roadmap" in text
    assert 'role="img" aria-label="' in text  # the bars are SVG, no inline style
    assert "style=" not in text
    # build_workspace maps every activity to Read's Launch: Strategy etc. are uncovered.
    assert "No activity covers Strategy" in text
    assert f'{url("lens", workspace)}?framework=read#readstrategy' in text


def test_dashboard_filters_findings_by_severity_and_kind(owner_client, workspace):
    text = owner_client.get(url("dashboard", workspace), {"severity": "info"}).text
    findings_part = text.split('id="findings-heading"')[1]
    assert "No activity covers Strategy" not in findings_part
    text = owner_client.get(url("dashboard", workspace), {"kind": "uncovered_element", "framework": "kemp"}).text
    assert "No activity covers Segmentation" in text


def test_dashboard_with_an_unknown_framework_falls_back_with_a_message(owner_client, workspace):
    response = owner_client.get(url("dashboard", workspace), {"framework": "<script>"}, follow=True)
    assert response.status_code == 200
    assert "There is no framework" in response.text and "<script>" not in response.text


def test_lens_colours_elements_and_names_owners(owner_client, workspace):
    text = owner_client.get(url("lens", workspace), {"framework": "read"}).text
    assert 'id="readlaunch" class="lens-box state owned"' in text
    assert 'class="lens-box state uncovered"' in text
    assert "A: Product Manager, Product Marketing, Corp Marketing" in text


def test_lens_says_when_coverage_comes_through_a_crosswalk(owner_client, workspace):
    competitive = Element.objects.get(framework__slug="five-categories", code="competitive-intelligence")
    activity = workspace.activities.first()
    activity.elements.set([competitive])
    text = owner_client.get(url("lens", workspace), {"framework": "read"}).text
    strategy = text.split('id="readstrategy"')[1].split("</h2>")[0]
    assert "through a crosswalk" in strategy


def test_role_document_groups_each_roles_work_and_downloads_as_markdown(owner_client, workspace):
    person = Person.objects.create(workspace=workspace, name="Dana")
    person.roles.set(workspace.roles.filter(archetype__slug__in=["pm", "pmm"]))
    text = owner_client.get(url("roles_document", workspace)).text
    assert "Accountable for (1)" in text and "Held by Dana." in text
    assert "holds both" in text  # role_overload in the open findings
    response = owner_client.get(url("roles_document", workspace), {"format": "md"})
    assert response["Content-Type"].startswith("text/markdown")
    body = response.content.decode()
    assert body.startswith("# Roles in Acme product org")
    assert "## Product Manager (pm)" in body and "- **Launch**: Activity 1" in body


@pytest.mark.parametrize("name", ["dashboard", "lens", "roles_document"])
def test_judgement_pages_query_counts_do_not_grow(owner_client, personas, django_assert_num_queries, name):
    small = build_workspace("Small", members={personas["owner"]: "owner"}, activities=4)
    big = build_workspace("Large", members={personas["owner"]: "owner"}, activities=60, roles=[f"R{i}" for i in range(9)])
    with CaptureQueriesContext(connection) as at_small:
        owner_client.get(url(name, small))
    with django_assert_num_queries(len(at_small)):
        owner_client.get(url(name, big))


def test_matrix_summary_counts_the_findings_of_the_framework_in_view(owner_client, workspace):
    response = owner_client.get(url("matrix", workspace), {"panel": "summary", "lens": "pragmatic"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="summary"')
    assert "findings through The Pragmatic Framework" in response.text
    assert "lens=pragmatic" in response.text


# analyze


def analyze(*args):
    out = io.StringIO()
    call_command("analyze", *args, stdout=out)
    return out.getvalue()


def test_analyze_json_has_the_documented_shape(workspace):
    data = json.loads(analyze("acme product org", "--format", "json"))
    assert set(data) == {"workspace", "framework", "coverage", "findings"}
    assert data["workspace"] == "Acme product org" and data["framework"] == "read"
    assert set(data["coverage"]) == {"elements", "covered", "owned", "percent"}
    for finding in data["findings"]:
        assert set(finding) == {"kind", "severity", "activity", "element", "element_name", "roles", "person", "message"}
    uncovered = next(f for f in data["findings"] if f["kind"] == "uncovered_element")
    assert uncovered["element"].startswith("read:") and uncovered["activity"] is None and uncovered["roles"] == []


def test_analyze_names_activities_and_follows_the_framework_option(workspace):
    Assignment.objects.filter(activity__name="Activity 1").delete()
    data = json.loads(analyze("Acme product org", "--framework", "kemp", "--format", "json"))
    assert data["framework"] == "five-categories"
    assert {"kind": "no_accountable", "activity": "Activity 1"}.items() <= next(
        f for f in data["findings"] if f["kind"] == "no_accountable"
    ).items()
    text = analyze("Acme product org")
    assert "coverage:" in text and "roadmap:" in text


@pytest.mark.parametrize("args, message", [(["Nope"], "There is no workspace 'Nope'"), (["Acme product org", "--framework", "nope"], "Unknown framework 'nope'")])
def test_analyze_exits_2_on_a_bad_name_or_slug(workspace, capsys, args, message):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("analyze", *args, stderr=err, stdout=io.StringIO())
    assert exit_info.value.code == 2
    assert message in err.getvalue()
