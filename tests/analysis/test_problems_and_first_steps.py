"""What a dashboard reads: one problem counted once, grouped by kind; mapping first while
many activities are unmapped (issue 11, parts 7 and 8)."""

from responsibilities.analysis import MANY_UNMAPPED
from tests.analysis.builders import activity, everything_owned, kinds, run


def test_an_unowned_element_and_its_activities_missing_a_are_one_problem():
    analysis = run(
        *everything_owned()[:2],
        activity("Launch plan", "fw:launch", pmm="R"),
        activity("Launch day", "fw:launch", mc="R"),
    )
    assert len(kinds(analysis, "no_accountable")) == 2  # the matrix rows still say it
    [problem] = [p for p in analysis.problems if p.finding.kind == "unowned_element"]
    assert problem.finding.element == "fw:launch"  # the item, not its category
    assert {f.kind for f in problem.explains} == {"no_accountable", "unowned_element"}
    assert len(problem.explains) == 3  # two rows' missing A and the category fw:market
    assert not [p for p in analysis.problems if p.finding.kind == "no_accountable"]
    assert analysis.counts()["high"] == sum(1 for p in analysis.problems if p.finding.severity == "high")


def test_a_row_with_no_a_outside_any_unowned_element_stays_its_own_problem():
    analysis = run(*everything_owned(), activity("Weekly sync", pmm="R"))
    assert [p.finding.activity for p in analysis.problems if p.finding.kind == "no_accountable"] == ["weekly-sync"]


def test_groups_by_kind_cite_each_source_once_most_severe_first():
    analysis = run(activity("Roadmap", "fw:roadmap", pmm="A/R"), activity("Pricing", "fw:pricing", pmm="A/R"))
    groups = {group.kind: group for group in analysis.groups}
    assert len(groups["split_mismatch"].problems) == 2
    assert groups["split_mismatch"].sources == ("Tiny Author, “Tiny source”",)
    ranks = [("high", "medium", "low", "info").index(group.severity) for group in analysis.groups]
    assert ranks == sorted(ranks)


def test_sales_and_leadership_columns_of_c_and_i_are_not_idle():
    from tests.analysis.builders import ROLES
    from responsibilities.analysis import RoleIn

    roles = ROLES + (RoleIn("sales", "Sales", "sales"),)
    analysis = run(activity("Launch", "fw:launch", pmm="A/R", sales="C", founder="I"), roles=roles)
    assert {f.roles for f in kinds(analysis, "idle_role")} == {("Product Manager",), ("Corp Marketing",)}


def test_while_many_activities_are_unmapped_mapping_is_the_first_step():
    mapped = activity("Launch planning", "fw:launch", pmm="A/R")
    unmapped = [activity(f"Work {n}", pmm="A/R") for n in range(3)]
    analysis = run(mapped, *unmapped)
    assert len(analysis.unmapped) / analysis.activity_count > MANY_UNMAPPED and analysis.needs_mapping
    first = analysis.roadmap[0]
    assert first.kind == "map" and "3 of 4 are not mapped to any framework" in first.title
    # Uncovered elements wait under that step: no "Decide who does…" while mapping is missing.
    assert not [step for step in analysis.roadmap if step.title.startswith("Decide who does")]
    assert {f.kind for f in first.findings} == {"unmapped_activity", "uncovered_element"}


def test_work_mapped_to_another_framework_only_is_not_unmapped():
    analysis = run(activity("Brand book", "other:elsewhere", mc="A/R"), activity("Press", "other:press", mc="A/R"))
    assert analysis.unmapped == () and not analysis.needs_mapping
    assert "Decide who does Plan" in [step.title for step in analysis.roadmap]


def test_once_mapped_uncovered_work_is_an_ownership_decision_again():
    analysis = run(*everything_owned()[:3])  # brand work missing, everything mapped
    assert not analysis.needs_mapping
    assert [step.title for step in analysis.roadmap if step.title.startswith("Decide")] == ["Decide who does Brand"]
    assert all(step.kind != "map" for step in analysis.roadmap)


def test_work_with_an_owner_never_asks_who_does_it():
    analysis = run(activity("Launch planning", "fw:launch", pmm="A/R"), activity("Roadmap review", "fw:roadmap", pm="A/R"))
    titles = [step.title for step in analysis.roadmap]
    assert "Decide who does Launch" not in titles and "Name one owner for Launch" not in titles
