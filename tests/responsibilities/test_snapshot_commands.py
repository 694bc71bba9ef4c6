"""The snapshot, snapshots and compare commands (issue 15): the compare JSON shape key by key
on a hand-built change, the text forms, and every refusal (exit status 2, a message naming
what is known, nothing written)."""

import io
import json
import re

import pytest
from django.core.management import call_command

from frameworks.models import Archetype, Element
from responsibilities.models import Activity, Assignment, Change, Role, Snapshot
from tests.responsibilities.conftest import build_workspace

FINDING_KEYS = ["kind", "severity", "activity", "element", "element_name", "roles", "person", "message"]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args) -> str:
    """What the command wrote on stderr when it stopped with exit status 2."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    return err.getvalue()


@pytest.fixture
def acme(db):
    """Acme with a "Q2 review" snapshot and then a quarter's changes:
    - Activity 1 moved from the Product Manager (A/R) to Product Marketing (A), with nobody
      doing the work now;
    - Activity 2, unmapped at Q2, is now mapped to Read's Strategy;
    - Activity 3 and the Corp Marketing role are gone; Field Marketing runs new Webinars,
      mapped nowhere yet.
    """
    workspace = build_workspace("Acme product org", activities=3)
    activity_1, activity_2, activity_3 = workspace.activities.order_by("position")
    activity_2.elements.clear()
    run("snapshot", "acme PRODUCT org", "--label", "Q2 review")

    pm, pmm, corp = workspace.roles.order_by("position")
    Assignment.objects.filter(activity=activity_1, role=pm).delete()
    Assignment.objects.create(activity=activity_1, role=pmm, letters="A")
    activity_2.elements.add(Element.objects.get(framework__slug="read", code="strategy"))
    activity_3.delete()
    corp.delete()
    field = Role.objects.create(workspace=workspace, name="Field Marketing", position=3, archetype=Archetype.objects.get(slug="marcom"))
    webinars = Activity.objects.create(workspace=workspace, name="Webinars", position=3)
    Assignment.objects.create(activity=webinars, role=field, letters="A/R")
    return workspace


def compared(*args) -> dict:
    return json.loads(run("compare", "Acme product org", *args, "--format", "json"))


def test_compare_json_has_the_issue_shape_key_by_key(acme):
    data = compared("--from", "q2 REVIEW")
    assert list(data) == ["workspace", "framework", "from", "to", "coverage", "findings", "changes", "activities", "roles"]
    assert data["workspace"] == "Acme product org"
    assert data["framework"] == "read"  # the primary framework
    assert (data["from"], data["to"]) == ("Q2 review", "now")  # the label as it was written
    assert list(data["coverage"]) == ["from", "to"]
    assert data["coverage"] == {"from": 6, "to": 11}  # of Read's 18 elements: Launch, then Strategy too
    assert list(data["findings"]) == ["resolved", "new"]
    for finding in data["findings"]["resolved"] + data["findings"]["new"]:
        assert list(finding) == FINDING_KEYS
    assert data["changes"] == [
        {"activity": "Activity 1", "role": "Product Manager", "from": "A/R", "to": ""},
        {"activity": "Activity 1", "role": "Product Marketing", "from": "", "to": "A"},
    ]
    assert data["activities"] == {"added": ["Webinars"], "removed": ["Activity 3"]}
    assert data["roles"] == {"added": ["Field Marketing"], "removed": ["Corp Marketing"]}


def test_compare_json_lists_exactly_the_findings_resolved_and_new(acme):
    findings = compared("--from", "Q2 review")["findings"]
    def about(finding):
        return finding["kind"], finding["activity"] or finding["element"] or ", ".join(finding["roles"])

    assert sorted(map(about, findings["resolved"])) == [
        ("shared_element", "read:launch"),  # the PM, PMM and Corp Marketing no longer all own Launch
        ("split_mismatch", "Activity 1"),  # Read puts Launch with product marketing, as it is now
        ("split_mismatch", "Activity 3"),
        ("uncovered_element", "read:strategy"),
        ("unmapped_activity", "Activity 2"),
    ]
    assert sorted(map(about, findings["new"])) == [
        ("idle_role", "Product Manager"),  # it holds nothing now
        ("no_responsible", "Activity 1"),
        ("unmapped_activity", "Webinars"),
    ]
    no_responsible = next(f for f in findings["new"] if f["kind"] == "no_responsible")
    assert no_responsible["message"] == "Nobody does the work of Activity 1: mark who is responsible (R)."
    assert no_responsible["severity"] == "medium"


def test_compare_to_a_later_snapshot_reads_as_compare_to_now_did_then(acme):
    to_now = compared("--from", "Q2 review")
    run("snapshot", "Acme product org", "--label", "Q3 review")
    Assignment.objects.filter(activity__name="Activity 1").update(letters="A/R")
    to_q3 = compared("--from", "Q2 review", "--to", "q3 review")
    assert to_q3["to"] == "Q3 review"
    assert {**to_q3, "to": "now"} == to_now
    assert compared("--from", "Q3 review")["changes"] == [
        {"activity": "Activity 1", "role": "Product Marketing", "from": "A", "to": "A/R"}
    ]


def test_compare_reads_through_a_framework_named_by_its_alias(acme):
    data = compared("--from", "Q2 review", "--framework", "kemp")
    assert data["framework"] == "five-categories"
    assert data["changes"] == compared("--from", "Q2 review")["changes"]  # letters do not depend on the framework


def test_compare_text_names_every_kind_of_change(acme):
    text = run("compare", "acme product org", "--from", "Q2 review")
    lines = text.splitlines()
    assert lines[0] == "Acme product org: Q2 review → now, through The essential product marketing activities (read)"
    assert lines[1] == "coverage: 6% (1/18) → 11% (2/18) (+5 pts)"
    assert "findings resolved (5):" in lines and "new findings (3):" in lines
    assert "  [medium] no_responsible: Nobody does the work of Activity 1: mark who is responsible (R)." in lines
    assert "cell changes (2):" in lines
    assert "  Activity 1 / Product Manager: A/R → not involved" in lines
    assert "  Activity 1 / Product Marketing: not involved → A" in lines
    assert "activities added (1): Webinars" in lines and "activities removed (1): Activity 3" in lines
    assert "roles added (1): Field Marketing" in lines and "roles removed (1): Corp Marketing" in lines
    assert "no differences" not in text


def test_compare_with_nothing_changed_says_so(db):
    build_workspace("Acme product org")
    run("snapshot", "Acme product org", "--label", "Q2 review")
    assert "no differences" in run("compare", "Acme product org", "--from", "Q2 review").splitlines()


def test_compare_notes_a_framework_read_with_todays_library(acme):
    snapshot = Snapshot.objects.get(label="Q2 review")
    content = snapshot.content
    del content["frameworks"]["pragmatic"]  # as if Pragmatic joined the library after Q2
    Snapshot.objects.filter(pk=snapshot.pk).update(content=content)
    text = run("compare", "Acme product org", "--from", "Q2 review", "--framework", "pragmatic")
    assert text.splitlines()[-1].startswith("note: Q2 review read with today's ")


def test_snapshot_takes_a_labelled_copy_and_says_what_it_holds(acme):
    text = run("snapshot", "Acme product org", "--label", "  Q3   review ")
    snapshot = acme.snapshots.get(label="Q3 review")
    assert (snapshot.reason, snapshot.taken_by, snapshot.activity_count, snapshot.role_count) == ("manual", None, 3, 3)
    assert text == (
        "Took snapshot 'Q3 review' of Acme product org: 3 activities, 3 roles, "
        "11% of The essential product marketing activities covered.\n"
    )


def test_snapshot_without_a_label_is_labelled_with_the_date_and_time(db):
    workspace = build_workspace("Acme product org")
    run("snapshot", "Acme product org")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", workspace.snapshots.get().label)


@pytest.mark.parametrize("label", ["Q2 review", "q2  REVIEW"])
def test_a_label_already_used_is_refused_and_nothing_is_written(acme, label):
    changes = Change.objects.count()
    message = refused("snapshot", "Acme product org", "--label", label)
    assert "already has a snapshot labelled" in message
    assert list(acme.snapshots.values_list("label", flat=True)) == ["Q2 review"]
    assert Change.objects.count() == changes


@pytest.mark.parametrize("label, message", [("x" * 81, "the limit is 80"), ("Q3\x00", "NUL")])
def test_a_label_too_long_or_with_a_nul_is_refused(acme, label, message):
    assert message in refused("snapshot", "Acme product org", "--label", label)
    assert acme.snapshots.count() == 1


def test_snapshots_lists_them_oldest_first(acme):
    run("snapshot", "Acme product org", "--label", "Q3 review")
    lines = run("snapshots", "ACME product org").splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["label", "taken at", "reason", "activities", "roles", "read coverage"]
    rows = [re.split(r"\s{2,}", line) for line in lines[1:]]
    assert [(row[0], row[2], row[3], row[4], row[5]) for row in rows] == [
        ("Q2 review", "Taken by hand", "3", "3", "6%"),
        ("Q3 review", "Taken by hand", "3", "3", "11%"),
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[1]) for row in rows)


def test_snapshots_of_a_workspace_without_any_says_how_to_take_one(db):
    build_workspace("Acme product org")
    assert run("snapshots", "Acme product org") == "Acme product org has no snapshots yet: take one with the snapshot command.\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["snapshot", "Nope"], "There is no workspace 'Nope'. Known: Acme product org"),
        (["snapshots", "Nope"], "There is no workspace 'Nope'. Known: Acme product org"),
        (["compare", "Nope", "--from", "Q2 review"], "There is no workspace 'Nope'. Known: Acme product org"),
        (["compare", "Acme\x00", "--from", "Q2 review"], "There is no workspace 'Acme\\x00'"),
        (["compare", "Acme product org", "--from", "Q1"], "Acme product org has no snapshot 'Q1'. Known, newest first: Q2 review"),
        (["compare", "Acme product org", "--from", "Q2 review", "--to", "Q4"], "has no snapshot 'Q4'. Known, newest first: Q2 review"),
        (["compare", "Acme product org", "--from", "Q2\x00"], "has no snapshot 'Q2\\x00'"),
        (["compare", "Acme product org", "--from", " "], "has no snapshot ' '"),
        (
            ["compare", "Acme product org", "--from", "Q2 review", "--framework", "nope"],
            "Unknown framework 'nope'. Known: blackblot, five-categories, pma, pmm-vs-marcom, pragmatic, read",
        ),
    ],
)
def test_unknown_workspace_label_or_framework_exits_2_naming_what_is_known(acme, args, message):
    snapshots = Snapshot.objects.count()
    assert message in refused(*args)
    assert Snapshot.objects.count() == snapshots


def test_an_unknown_label_in_a_workspace_without_snapshots_says_it_has_none(db):
    build_workspace("Acme product org")
    assert "it has none yet" in refused("compare", "Acme product org", "--from", "Q2")
