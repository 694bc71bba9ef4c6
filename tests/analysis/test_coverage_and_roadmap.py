"""Coverage counts, the roadmap's order and grouping, and properties that hold for any input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from responsibilities.analysis import ActivityIn, WorkspaceIn, analyze
from tests.analysis.builders import FRAMEWORK, ROLES, activity, everything_owned, run


def test_coverage_counts_covered_and_owned_overall_and_per_category():
    analysis = run(activity("Roadmap work", "fw:roadmap", pm="A/R"), activity("Launch work", "fw:launch", pmm="R"))
    # Six elements count (the excluded category and its item do not).
    assert (analysis.coverage.elements, analysis.coverage.covered, analysis.coverage.owned) == (6, 4, 2)
    assert analysis.coverage.percent == 67
    plan, market = analysis.categories
    assert (plan.element.name, plan.coverage.covered, plan.coverage.owned) == ("Plan", 2, 2)
    assert (market.element.name, market.coverage.covered, market.coverage.owned) == ("Market", 2, 0)


def test_a_clean_workspace_is_fully_covered_and_owned():
    analysis = run(*everything_owned())
    assert analysis.coverage.percent == 100 and analysis.coverage.owned_percent == 100
    assert analysis.findings == ()
    assert analysis.roadmap == ()


def test_the_roadmap_puts_essential_high_findings_first_and_groups_one_decision():
    analysis = run(
        activity("Launch plan", "fw:launch", pmm="R"),
        activity("Launch day", "fw:launch", mc="R"),
        activity("Weekly sync", founder="A/R"),
        activity("Roadmap work", "fw:roadmap", pm="A/R"),
    )
    first = analysis.roadmap[0]
    assert first.title == "Name one owner for Launch"
    kinds = sorted(f.kind for f in first.findings)
    assert kinds == ["no_accountable", "no_accountable", "unowned_element", "unowned_element"]
    assert {f.element for f in first.findings if f.element} == {"fw:launch", "fw:market"}
    assert first.severity == "high" and first.element == "fw:launch"
    assert [step.number for step in analysis.roadmap] == list(range(1, len(analysis.roadmap) + 1))
    titles = [step.title for step in analysis.roadmap]
    assert "Decide who does Pricing" in titles
    assert titles.index("Decide who does Pricing") < titles.index("Map your activities onto Tiny framework")


def test_a_wholly_uncovered_category_is_one_decision():
    step = next(step for step in run().roadmap if step.element == "fw:plan")
    assert step.title == "Decide who does Plan"
    assert sorted(f.element for f in step.findings) == ["fw:plan", "fw:pricing", "fw:roadmap"]


def test_row_findings_are_indexed_by_activity():
    analysis = run(activity("Pricing", "fw:pricing", pmm="R"))
    assert [f.kind for f in analysis.row_findings["pricing"]] == ["no_accountable"]
    analysis = run(activity("Pricing", "fw:pricing", pmm="A/R"))
    assert [f.kind for f in analysis.row_findings["pricing"]] == ["split_mismatch"]


ELEMENTS = [e.ref for e in FRAMEWORK.elements] + ["other:branding", "elsewhere:x"]
LETTERS = ["R", "A", "A/R", "C", "I"]
activities = st.lists(
    st.builds(
        lambda n, els, raci: ActivityIn(key=f"a{n}", name=f"Activity {n}", elements=tuple(els), raci=tuple(raci.items())),
        st.integers(0, 10_000),
        st.lists(st.sampled_from(ELEMENTS), max_size=3, unique=True),
        st.dictionaries(st.sampled_from([r.key for r in ROLES]), st.sampled_from(LETTERS), max_size=4),
    ),
    max_size=12,
    unique_by=lambda a: a.key,
)


@settings(max_examples=200, deadline=None)
@given(activities, st.data())
def test_adding_an_a_to_a_row_never_creates_no_accountable(acts, data):
    if not acts:
        return
    target = data.draw(st.sampled_from(acts))
    role = data.draw(st.sampled_from([r.key for r in ROLES]))
    before = analyze(WorkspaceIn(roles=ROLES, activities=tuple(acts)), FRAMEWORK)
    changed = ActivityIn(
        key=target.key, name=target.name, elements=target.elements,
        raci=tuple((k, v) for k, v in target.raci if k != role) + ((role, "A"),),
    )
    after = analyze(
        WorkspaceIn(roles=ROLES, activities=tuple(changed if a.key == target.key else a for a in acts)), FRAMEWORK
    )
    assert not any(f.kind == "no_accountable" and f.activity == target.key for f in after.findings)
    assert sum(f.kind == "no_accountable" for f in after.findings) <= sum(f.kind == "no_accountable" for f in before.findings)


@settings(max_examples=200, deadline=None)
@given(activities)
def test_coverage_stays_within_bounds_and_every_finding_is_well_formed(acts):
    analysis = analyze(WorkspaceIn(roles=ROLES, activities=tuple(acts)), FRAMEWORK)
    coverage = analysis.coverage
    assert 0 <= coverage.owned <= coverage.covered <= coverage.elements == 6
    assert 0 <= coverage.percent <= 100
    for category in analysis.categories:
        assert 0 <= category.coverage.owned <= category.coverage.covered <= category.coverage.elements
    for finding in analysis.findings:
        assert finding.severity in ("high", "medium", "low", "info") and finding.message and finding.source
    assert sum(len(step.findings) for step in analysis.roadmap) == len(analysis.findings)
