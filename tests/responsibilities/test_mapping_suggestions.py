"""Mapping suggestions through the database: the selector, accepting and undoing a batch, and `suggest_mappings`."""

import io
import json
import uuid

import pytest
from django.core.management import call_command

from frameworks.models import Element, Framework
from responsibilities.matching import PROBABLY_RIGHT
from responsibilities.models import Activity, Change, Workspace
from responsibilities.selectors import mapping_suggestions
from responsibilities.services import ServiceError, mapping_batch_undo, mappings_accept

pytestmark = pytest.mark.django_db

SHEET = [
    ("Battlecards refresh", ""),
    ("Pricing & packaging", "Editions and price points for next year"),
    ("Analyst briefings", ""),
    ("Payroll processing", ""),
    ("Launch tiering", ""),
]


def element(reference: str) -> Element:
    slug, code = reference.split(":")
    return Element.objects.select_related("framework").get(framework__slug=slug, code=code)


@pytest.fixture
def sheet_workspace():
    workspace = Workspace.objects.create(name="Sheet team", primary_framework=Framework.objects.get(slug="read"))
    for position, (name, description) in enumerate(SHEET):
        Activity.objects.create(workspace=workspace, name=name, description=description, position=position)
    return workspace


def activity(workspace, name) -> Activity:
    return workspace.activities.get(name=name)


def version(workspace) -> int:
    return Workspace.objects.values_list("version", flat=True).get(pk=workspace.pk)


# The selector


def test_each_unmapped_activity_gets_ranked_candidates_that_say_why(sheet_workspace):
    read = Framework.objects.get(slug="read")
    suggestions = {item.activity.name: item for item in mapping_suggestions(sheet_workspace, read)}
    assert list(suggestions) == [name for name, _ in SHEET]
    battlecards = suggestions["Battlecards refresh"]
    assert battlecards.mapped == []
    best = battlecards.candidates[0]
    assert best.element.reference == "read:sales-and-services-enablement"
    assert best.score >= PROBABLY_RIGHT and "battlecards" in best.why
    assert suggestions["Pricing & packaging"].candidates[0].element.reference == "read:pricing"
    assert suggestions["Launch tiering"].candidates[0].element.reference == "read:launch"
    assert all(c.score < PROBABLY_RIGHT for c in suggestions["Payroll processing"].candidates)
    for item in suggestions.values():
        assert len(item.candidates) <= 3
        assert [c.score for c in item.candidates] == sorted((c.score for c in item.candidates), reverse=True)


def test_mapped_activities_are_left_out_unless_asked_and_never_offered_what_they_have(sheet_workspace):
    read = Framework.objects.get(slug="read")
    battlecards = activity(sheet_workspace, "Battlecards refresh")
    battlecards.elements.add(element("read:sales-and-services-enablement"))
    names = [item.activity.name for item in mapping_suggestions(sheet_workspace, read)]
    assert "Battlecards refresh" not in names and len(names) == len(SHEET) - 1
    # A mapping in another framework does not count as mapped in this one.
    pricing = activity(sheet_workspace, "Pricing & packaging")
    pricing.elements.add(element("pragmatic:pricing"))
    assert "Pricing & packaging" in [item.activity.name for item in mapping_suggestions(sheet_workspace, read)]

    everything = {item.activity.name: item for item in mapping_suggestions(sheet_workspace, read, include_mapped=True, limit=5)}
    assert len(everything) == len(SHEET)
    held = everything["Battlecards refresh"]
    assert [e.reference for e in held.mapped] == ["read:sales-and-services-enablement"]
    assert "read:sales-and-services-enablement" not in [c.element.reference for c in held.candidates]
    assert len(held.candidates) <= 5


def test_suggestions_take_a_fixed_number_of_queries(sheet_workspace, django_assert_num_queries):
    read = Framework.objects.get(slug="read")
    for i in range(40):
        Activity.objects.create(workspace=sheet_workspace, name=f"Competitor teardown {i}", position=100 + i)
    activity(sheet_workspace, "Launch tiering").elements.add(element("read:launch"))
    with django_assert_num_queries(3):
        result = mapping_suggestions(sheet_workspace, read, include_mapped=True)
    assert len(result) == len(SHEET) + 40


# Accepting and undoing


def test_accepting_adds_mappings_as_one_batch_with_history_and_one_bump(sheet_workspace):
    before = version(sheet_workspace)
    battlecards, pricing = activity(sheet_workspace, "Battlecards refresh"), activity(sheet_workspace, "Pricing & packaging")
    pricing.elements.add(element("read:pricing"))
    batch = mappings_accept(
        workspace=sheet_workspace,
        choices=[
            (battlecards, element("read:sales-and-services-enablement")),
            (battlecards, element("read:sales-and-services-enablement")),  # repeated: once
            (pricing, element("read:pricing")),  # already mapped: skipped
            (pricing, element("pragmatic:pricing")),
        ],
        by=None,
    )
    assert isinstance(batch, uuid.UUID)
    assert version(sheet_workspace) == before + 1
    assert [e.reference for e in battlecards.elements.all()] == ["read:sales-and-services-enablement"]
    assert sorted(e.reference for e in pricing.elements.all()) == ["pragmatic:pricing", "read:pricing"]
    changes = Change.objects.filter(batch=batch)
    assert sorted(c.subject for c in changes) == [
        "pragmatic:pricing Pricing", "read:sales-and-services-enablement Enablement for sales and services teams",
    ]
    assert all(c.kind == Change.Kind.MAPPING and c.after == "mapped" and c.before == "" for c in changes)


def test_accepting_and_undoing_take_as_many_queries_for_2_choices_as_for_40(sheet_workspace, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(40):
        Activity.objects.create(workspace=sheet_workspace, name=f"Competitor teardown {i}", position=100 + i)
    activities = list(sheet_workspace.activities.filter(name__startswith="Competitor teardown"))
    first, second = element("read:competitive-offerings"), element("read:strategy")
    with CaptureQueriesContext(connection) as few:
        few_batch = mappings_accept(workspace=sheet_workspace, choices=[(a, first) for a in activities[:2]], by=None)
    with django_assert_num_queries(len(few)):
        many_batch = mappings_accept(workspace=sheet_workspace, choices=[(a, second) for a in activities], by=None)
    with CaptureQueriesContext(connection) as few_undo:
        assert mapping_batch_undo(workspace=sheet_workspace, batch=few_batch, by=None) == 2
    with django_assert_num_queries(len(few_undo)):
        assert mapping_batch_undo(workspace=sheet_workspace, batch=many_batch, by=None) == 40


def test_accepting_nothing_new_writes_nothing(sheet_workspace):
    before = version(sheet_workspace)
    pricing = activity(sheet_workspace, "Pricing & packaging")
    pricing.elements.add(element("read:pricing"))
    assert mappings_accept(workspace=sheet_workspace, choices=[], by=None) is None
    assert mappings_accept(workspace=sheet_workspace, choices=[(pricing, element("read:pricing"))], by=None) is None
    assert version(sheet_workspace) == before and not Change.objects.exists()


def test_accepting_for_another_workspace_is_refused(sheet_workspace):
    other = Workspace.objects.create(name="Other team")
    stranger = Activity.objects.create(workspace=other, name="Battlecards")
    with pytest.raises(ServiceError):
        mappings_accept(workspace=sheet_workspace, choices=[(stranger, element("read:launch"))], by=None)
    assert not stranger.elements.exists() and not Change.objects.exists()


def test_undo_removes_what_the_batch_added_and_still_holds(sheet_workspace, make_user):
    user = make_user("dana")
    battlecards, launch = activity(sheet_workspace, "Battlecards refresh"), activity(sheet_workspace, "Launch tiering")
    launch.elements.add(element("read:positioning"))  # there before the batch: stays
    batch = mappings_accept(
        workspace=sheet_workspace,
        choices=[(battlecards, element("read:sales-and-services-enablement")), (launch, element("read:launch"))],
        by=user,
    )
    launch.elements.remove(element("read:launch"))  # someone removed one since
    before = version(sheet_workspace)
    assert mapping_batch_undo(workspace=sheet_workspace, batch=batch, by=user) == 1
    assert version(sheet_workspace) == before + 1
    assert not battlecards.elements.exists()
    assert [e.reference for e in launch.elements.all()] == ["read:positioning"]
    [removal] = Change.objects.filter(before="mapped")
    assert removal.activity == battlecards and removal.by == user and removal.after == ""
    assert removal.subject == "read:sales-and-services-enablement Enablement for sales and services teams"
    # Undoing again, or a batch that is not this workspace's, changes nothing.
    assert mapping_batch_undo(workspace=sheet_workspace, batch=batch, by=user) == 0
    other = Workspace.objects.create(name="Other team")
    assert mapping_batch_undo(workspace=other, batch=batch, by=user) == 0
    assert mapping_batch_undo(workspace=sheet_workspace, batch=uuid.uuid4(), by=user) == 0
    assert version(sheet_workspace) == before + 1


# suggest_mappings


def suggest(*args) -> str:
    out = io.StringIO()
    call_command("suggest_mappings", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_documented_shape(sheet_workspace):
    data = json.loads(suggest("sheet TEAM", "--format", "json"))
    assert set(data) == {"workspace", "framework", "suggestions"}
    assert data["workspace"] == "Sheet team" and data["framework"] == "read"
    assert [s["activity"] for s in data["suggestions"]] == [name for name, _ in SHEET]
    for item in data["suggestions"]:
        assert set(item) == {"activity", "candidates"}
        assert len(item["candidates"]) <= 3
        scores = [c["score"] for c in item["candidates"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
        for candidate in item["candidates"]:
            assert set(candidate) == {"reference", "element_name", "score", "why"}
            assert candidate["reference"].startswith("read:") and isinstance(candidate["why"], list)
    first = data["suggestions"][0]["candidates"][0]
    assert first["reference"] == "read:sales-and-services-enablement"
    assert first["element_name"] == "Enablement for sales and services teams"


def test_framework_alias_limit_and_all(sheet_workspace):
    activity(sheet_workspace, "Analyst briefings").elements.add(element("five-categories:analyst-relations"))
    data = json.loads(suggest("Sheet team", "--framework", "kemp", "--limit", "1", "--format", "json"))
    assert data["framework"] == "five-categories"
    assert "Analyst briefings" not in [s["activity"] for s in data["suggestions"]]
    assert all(len(s["candidates"]) <= 1 for s in data["suggestions"])
    everything = json.loads(suggest("Sheet team", "--framework", "five-categories", "--all", "--format", "json"))
    assert [s["activity"] for s in everything["suggestions"]] == [name for name, _ in SHEET]


def test_text_lists_each_activity_with_its_candidates(sheet_workspace):
    text = suggest("Sheet team")
    assert "Sheet team through" in text and "(read)" in text
    assert "Battlecards refresh" in text and "read:sales-and-services-enablement" in text and "battlecards" in text
    assert "Payroll processing" in text


def test_apply_maps_top_candidates_at_the_minimum_score_as_one_batch(sheet_workspace):
    before = version(sheet_workspace)
    text = suggest("Sheet team", "--apply")
    assert "Mapped" in text and "Battlecards refresh -> read:sales-and-services-enablement" in text
    assert version(sheet_workspace) == before + 1
    batches = set(Change.objects.values_list("batch", flat=True))
    assert len(batches) == 1 and None not in batches
    mapped = {a.name: [e.reference for e in a.elements.all()] for a in sheet_workspace.activities.all()}
    assert mapped["Battlecards refresh"] == ["read:sales-and-services-enablement"]
    assert mapped["Pricing & packaging"] == ["read:pricing"]
    assert mapped["Launch tiering"] == ["read:launch"]
    assert mapped["Payroll processing"] == []  # nothing probably right
    assert Change.objects.count() == sum(len(refs) for refs in mapped.values())
    # Run again: every mapped activity is left out, nothing more is probably right.
    again = suggest("Sheet team", "--apply")
    assert "Applied nothing" in again and version(sheet_workspace) == before + 1


def test_apply_with_json_reports_what_it_did(sheet_workspace):
    data = json.loads(suggest("Sheet team", "--apply", "--format", "json"))
    assert {"workspace", "framework", "suggestions", "applied", "batch"} == set(data)
    applied = {item["activity"]: item for item in data["applied"]}
    assert applied["Battlecards refresh"]["reference"] == "read:sales-and-services-enablement"
    assert "Payroll processing" not in applied
    assert all(set(item) == {"activity", "reference", "score"} and item["score"] >= 0.5 for item in applied.values())
    assert set(Change.objects.values_list("batch", flat=True)) == {uuid.UUID(data["batch"])}
    assert Change.objects.count() == len(applied)


def test_a_high_minimum_score_applies_less(sheet_workspace):
    data = json.loads(suggest("Sheet team", "--apply", "--min-score", "1", "--format", "json"))
    assert all(item["score"] == 1 for item in data["applied"])
    assert Change.objects.count() == len(data["applied"]) < len(SHEET) - 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["Nope"], "There is no workspace 'Nope'"),
        (["Sheet team", "--framework", "nope"], "Unknown framework 'nope'"),
        (["Sheet team", "--limit", "0"], "--limit must be a whole number from 1 to 50"),
        (["Sheet team", "--limit", "lots"], "--limit must be a whole number"),
        (["Sheet team", "--limit", "2.5"], "--limit must be a whole number"),
        (["Sheet team", "--min-score", "1.5"], "--min-score must be a number from 0.0 to 1.0"),
        (["Sheet team", "--min-score", "-0.1"], "--min-score must be a number"),
        (["Sheet team", "--min-score", "nan"], "--min-score must be a number"),
        (["Sheet team", "--min-score", "high", "--apply"], "--min-score must be a number"),
        (["Sheet\x00team", "--apply"], "There is no workspace"),
        (["<script>alert(1)</script>"], "There is no workspace '<script>alert(1)</script>'"),
        (["Sheet team", "--framework", "read\x00", "--apply"], "Unknown framework"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message_and_write_nothing(sheet_workspace, args, message):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("suggest_mappings", *args, stderr=err, stdout=io.StringIO())
    assert exit_info.value.code == 2
    assert message in err.getvalue()
    assert not Change.objects.exists()
