"""`staffing NAME [--framework SLUG] [--format text|json]`: the issue's JSON shape key by key,
the text, and exit status 2 for what does not exist."""

import io
import json

import pytest
from django.core.management import call_command

from responsibilities.models import Activity
from tests.responsibilities.test_staffing_page import staffed_workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(personas):
    return staffed_workspace(personas)


def staffing(*args):
    out = io.StringIO()
    call_command("staffing", *args, stdout=out)
    return out.getvalue()


def test_json_has_exactly_the_issues_shape(workspace):
    result = json.loads(staffing("staffed TEAM", "--format", "json"))
    assert list(result) == ["workspace", "fte_hours", "roles", "archetypes", "unassigned_hours", "priorities"]
    assert result["workspace"] == "Staffed team"
    assert result["fte_hours"] == 140
    assert result["roles"] == [
        {"role": "Product Manager", "archetype": "pm", "hours": 35, "fte_needed": 0.25, "people": 0.5, "gap": -0.25},
        {"role": "Product Marketing", "archetype": "pmm", "hours": 175, "fte_needed": 1.25, "people": 1.5, "gap": -0.25},
        {"role": "Corp Marketing", "archetype": "marcom", "hours": 28, "fte_needed": 0.2, "people": 0, "gap": 0.2},
    ]
    assert [list(role) for role in result["roles"]] == [["role", "archetype", "hours", "fte_needed", "people", "gap"]] * 3
    assert result["archetypes"] == [
        {"archetype": "pm", "hours": 35, "fte_needed": 0.25, "people": 0.5, "gap": -0.25},
        {"archetype": "pmm", "hours": 175, "fte_needed": 1.25, "people": 1.5, "gap": -0.25},
        {"archetype": "marcom", "hours": 28, "fte_needed": 0.2, "people": 0, "gap": 0.2},
    ]
    assert [list(a) for a in result["archetypes"]] == [["archetype", "hours", "fte_needed", "people", "gap"]] * 3
    assert result["unassigned_hours"] == 14
    assert result["priorities"] == [
        {"element": "read:pricing", "element_name": "Pricing", "importance": 5, "performance": 2, "hours": 70, "priority": 15},
        {"element": "read:launch", "element_name": "Launch", "importance": 4, "performance": 4, "hours": 98, "priority": 0},
    ]
    assert [list(p) for p in result["priorities"]] == [
        ["element", "element_name", "importance", "performance", "hours", "priority"]
    ] * 2


def test_json_numbers_are_numbers_and_fte_figures_have_two_decimals(workspace):
    Activity.objects.filter(workspace=workspace, name="Positioning").update(hours=100)  # PMM: 135 / 140 = 0.964…
    result = json.loads(staffing("Staffed team", "--format", "json"))
    marketing = result["roles"][1]
    assert marketing["hours"] == 135 and marketing["fte_needed"] == 0.96 and marketing["gap"] == -0.54
    for row in result["roles"] + result["archetypes"]:
        for key in ("hours", "fte_needed", "people", "gap"):
            assert isinstance(row[key], (int, float)) and round(row[key], 2) == row[key]
    assert all(isinstance(p["priority"], int) for p in result["priorities"])


def test_a_person_in_two_roles_counts_half_in_each(workspace):
    result = json.loads(staffing("Staffed team", "--format", "json"))
    assert [role["people"] for role in result["roles"]] == [0.5, 1.5, 0]  # Dana halves, Eli whole


def test_priorities_follow_the_framework_asked_for(workspace):
    result = json.loads(staffing("Staffed team", "--framework", "pragmatic", "--format", "json"))
    assert result["priorities"] == []
    assert result["roles"][0]["hours"] == 35  # the hours do not depend on the framework


def test_text_says_needed_present_and_the_verdict(workspace):
    out = staffing("Staffed team")
    assert out.splitlines()[0] == "Staffed team: staffing at 140 hours per person per month"
    assert "  Product Marketing: 175 h/month, needs 1.25, has 1.5, over by 0.25 people for the work listed" in out
    assert "  Corp Marketing: 28 h/month, needs 0.2, has 0, short by 0.2 people" in out
    assert "unassigned: 14 h/month\n  Win/loss\n" in out
    assert "priorities (read):" in out and "   15  Pricing (read:pricing): importance 5, performance 2, 70 h/month now" in out


def test_text_without_hours_says_there_is_nothing_to_staff(workspace):
    workspace.activities.update(hours=None)
    assert "No activity has hours yet: nothing to staff." in staffing("Staffed team")


@pytest.mark.parametrize("args", [("No such team",), ("Staffed team", "--framework", "nope"), ("Staffed\x00team",)])
def test_unknown_workspace_or_framework_exits_2_naming_what_is_known(workspace, capsys, args):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("staffing", *args, stdout=io.StringIO(), stderr=err)
    assert exit.value.code == 2
    assert "Known:" in err.getvalue()
