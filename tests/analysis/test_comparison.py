"""Two hand-built states of a workspace compared (issue 15): exactly the expected findings
resolved and new, cell changes, activities and roles added and removed, coverage deltas.
Plain data only: no database."""

from dataclasses import replace

from responsibilities.analysis import Coverage, ElementIn
from responsibilities.comparison import (
    CellChange,
    compare,
    finding_key,
    freeze,
    public_finding,
    with_framework,
)
from tests.analysis.builders import FRAMEWORK

Q2 = {
    "name": "Acme", "size": "scale-up", "market": "b2b", "framework": "fw",
    "roles": [
        {"name": "Product Manager", "archetype": "pm"},
        {"name": "Product Marketing", "archetype": "pmm"},
        {"name": "Corp Marketing", "archetype": "marcom"},
    ],
    "people": [{"name": "Dana", "roles": ["Product Manager", "Product Marketing"]}],
    "activities": [
        {"name": "Roadmap work", "elements": ["fw:roadmap"], "raci": {"Product Manager": "A/R"}},
        {"name": "Launch work", "elements": ["fw:launch"], "raci": {"Product Marketing": "R", "Corp Marketing": "R"}},
        {"name": "Brand work", "raci": {"Corp Marketing": "A/R"}},
        {"name": "Old newsletter", "elements": ["fw:brand"], "raci": {"Corp Marketing": "A/R"}},
        {"name": "Events", "elements": ["fw:brand"], "raci": {"Product Manager": "A", "Corp Marketing": "A/R"}},
    ],
}

# A quarter later: Corp Marketing became Field Marketing, Dana gave up product marketing to
# Eve, launches got an owner, pricing is done (by the wrong role, per the framework), the old
# newsletter stopped and webinars started without anyone doing the work.
Q3 = {
    "name": "Acme", "size": "scale-up", "market": "b2b", "framework": "fw",
    "roles": [
        {"name": "Product Manager", "archetype": "pm"},
        {"name": "product marketing", "archetype": "pmm"},  # names match ignoring case
        {"name": "Field Marketing", "archetype": "marcom"},
    ],
    "people": [{"name": "Dana", "roles": ["Product Manager"]}, {"name": "Eve", "roles": ["product marketing"]}],
    "activities": [
        {"name": "Roadmap work", "elements": ["fw:roadmap"], "raci": {"Product Manager": "A/R"}},
        {"name": "Launch work", "elements": ["fw:launch"], "raci": {"product marketing": "A/R", "Field Marketing": "R"}},
        {"name": "brand work", "elements": ["fw:brand"], "raci": {"Field Marketing": "A/R"}},
        {"name": "Events", "elements": ["fw:brand"], "raci": {"Product Manager": "A", "product marketing": "A", "Field Marketing": "A/R"}},
        {"name": "Pricing work", "elements": ["fw:pricing"], "raci": {"Product Manager": "R", "product marketing": "A"}},
        {"name": "Webinars", "raci": {"Field Marketing": "A"}},
    ],
}


def keys(findings):
    return sorted(finding_key(finding)[:4] for finding in findings)


def q2_to_q3():
    return compare(freeze(Q2, [FRAMEWORK]), freeze(Q3, [FRAMEWORK]), "fw")


def test_the_findings_resolved_are_exactly_those_gone():
    assert keys(q2_to_q3().resolved) == sorted([
        ("no_accountable", "launch work", "", ""),  # Product Marketing now holds A/R
        ("role_overload", "", "", "dana"),  # Dana holds PM only
        ("unmapped_activity", "brand work", "", ""),  # mapped to Brand now
        ("unowned_element", "", "fw:launch", ""),
        ("uncovered_element", "", "fw:pricing", ""),  # Pricing work covers it
    ])


def test_the_new_findings_are_exactly_those_that_appeared():
    assert keys(q2_to_q3().new) == sorted([
        ("split_mismatch", "pricing work", "fw:pricing", ""),  # the framework puts pricing with PM
        ("no_responsible", "webinars", "", ""),
        ("unmapped_activity", "webinars", "", ""),
    ])


def test_a_problem_still_there_in_other_words_is_neither_resolved_nor_new():
    # Events had two accountable owners and now has three: the same problem, not a new one.
    result = q2_to_q3()
    assert "multiple_accountable" not in {f["kind"] for f in result.resolved + result.new}


def test_findings_keep_the_dashboard_wording_and_the_analyze_json_form():
    result = q2_to_q3()
    webinars = next(f for f in result.new if f["kind"] == "no_responsible")
    assert webinars["message"] == "Nobody does the work of Webinars: mark who is responsible (R)."
    assert webinars["severity"] == "medium" and webinars["activity"] == "Webinars"
    assert list(public_finding(webinars)) == ["kind", "severity", "activity", "element", "element_name", "roles", "person", "message"]


def test_cell_changes_list_every_letter_that_moved_on_activities_in_both_states():
    assert q2_to_q3().changes == (
        CellChange("Launch work", "product marketing", "R", "A/R"),
        CellChange("Launch work", "Corp Marketing", "R", ""),
        CellChange("Launch work", "Field Marketing", "", "R"),
        CellChange("brand work", "Corp Marketing", "A/R", ""),
        CellChange("brand work", "Field Marketing", "", "A/R"),
        CellChange("Events", "product marketing", "", "A"),
        CellChange("Events", "Corp Marketing", "A/R", ""),
        CellChange("Events", "Field Marketing", "", "A/R"),
    )


def test_activities_and_roles_added_and_removed_are_matched_by_name_ignoring_case():
    result = q2_to_q3()
    assert result.activities_added == ("Pricing work", "Webinars")
    assert result.activities_removed == ("Old newsletter",)
    assert result.roles_added == ("Field Marketing",)
    assert result.roles_removed == ("Corp Marketing",)


def test_coverage_moves_overall_and_per_category():
    result = q2_to_q3()
    assert (result.coverage_before, result.coverage_after) == (Coverage(6, 5, 4), Coverage(6, 6, 6))
    assert result.delta == 17  # 83% -> 100%
    plan, market = result.categories
    assert (plan.name, plan.before, plan.after, plan.delta) == ("Plan", Coverage(3, 2, 2), Coverage(3, 3, 3), 33)
    assert (market.name, market.before.percent, market.after.percent, market.delta) == ("Market", 100, 100, 0)


def test_the_same_state_compared_with_itself_is_unchanged():
    state = freeze(Q2, [FRAMEWORK])
    assert compare(state, state, "fw").unchanged
    assert not q2_to_q3().unchanged


def test_a_renamed_element_reads_as_it_was_in_the_old_state():
    renamed = replace(
        FRAMEWORK,
        elements=tuple(replace(e, name="Go-to-market launch") if e.ref == "fw:launch" else e for e in FRAMEWORK.elements),
    )
    old, new = freeze(Q2, [FRAMEWORK]), freeze(Q3, [renamed])
    result = compare(old, new, "fw")
    unowned = next(f for f in result.resolved if f["kind"] == "unowned_element")
    assert unowned["element_name"] == "Launch" and unowned["message"].startswith("Launch is done")
    assert old["frameworks"]["fw"]["elements"]["fw:launch"] == "Launch"


def test_a_framework_added_later_is_read_from_the_old_document():
    later = replace(FRAMEWORK, slug="later", elements=(ElementIn("later:launch", "Launch"),), crosswalks=())
    old = freeze(Q2, [FRAMEWORK])
    assert "later" not in old["frameworks"]
    widened = with_framework(old, later)
    assert widened["frameworks"]["later"]["coverage"] == {"elements": 1, "covered": 0, "owned": 0}
    assert with_framework(widened, later) is widened
    result = compare(widened, freeze(Q3, [FRAMEWORK, later]), "later")
    assert result.coverage_after.elements == 1


def test_framework_independent_findings_are_kept_once():
    state = freeze(Q2, [FRAMEWORK, replace(FRAMEWORK, slug="copy")])
    kinds = [f["kind"] for f in state["findings"]]
    assert kinds.count("role_overload") == 1
    assert not any(f["kind"] == "role_overload" for fw in state["frameworks"].values() for f in fw["findings"])
