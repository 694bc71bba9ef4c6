"""Staffing rules on hand-computed cases (issue 16). Plain data: no database."""

import pytest

from responsibilities.staffing import Assessment, StaffActivity, StaffPerson, StaffRole, staffing

PM, PMM, MC = StaffRole("pm", "Product Manager", "pm"), StaffRole("pmm", "Product Marketing", "pmm"), StaffRole("mc", "Corp Marketing", "marcom")
FIELD = StaffRole("field", "Field Marketing", "marcom")


def by_name(needs):
    return {need.name: need for need in needs}


def test_hours_are_split_equally_among_the_roles_holding_r_and_a_r_counts_as_r():
    result = staffing([PM, PMM, MC], [StaffActivity("Launch", 90, (("pm", "A"), ("pmm", "A/R"), ("mc", "R")))], [], fte_hours=100)
    roles = by_name(result.roles)
    assert (roles["Product Manager"].hours, roles["Product Marketing"].hours, roles["Corp Marketing"].hours) == (0, 45, 45)
    assert roles["Product Marketing"].fte_needed == pytest.approx(0.45)


def test_without_an_r_the_hours_go_to_the_a_and_without_either_they_are_unassigned():
    result = staffing(
        [PM, PMM],
        [
            StaffActivity("Pricing", 28, (("pm", "A"), ("pmm", "C"))),
            StaffActivity("Webinars", 12, (("pmm", "C"), ("pm", "I"))),
            StaffActivity("Unsized", None, (("pm", "R"),)),
        ],
        [],
    )
    assert by_name(result.roles)["Product Manager"].hours == 28
    assert by_name(result.roles)["Product Marketing"].hours == 0
    assert (result.unassigned_hours, result.unassigned_activities) == (12, ("Webinars",))


def test_a_person_in_two_roles_counts_half_in_each_and_the_gap_is_needed_minus_people():
    result = staffing(
        [PM, PMM],
        [StaffActivity("Roadmap", 210, (("pm", "A/R"),)), StaffActivity("Launch", 70, (("pmm", "A/R"),))],
        [StaffPerson("Dana", ("pm", "pmm")), StaffPerson("Eve", ("pm",)), StaffPerson("Nobody", ())],
        fte_hours=140,
    )
    pm, pmm = result.roles
    assert (pm.fte_needed, pm.people, pm.gap) == (1.5, 1.5, 0)
    assert (pmm.fte_needed, pmm.people, pmm.gap) == (0.5, 0.5, 0)


def test_an_archetype_needs_the_sum_of_its_roles():
    result = staffing(
        [PMM, MC, FIELD],
        [StaffActivity("Brand", 140, (("mc", "A/R"),)), StaffActivity("Events", 70, (("field", "R"), ("mc", "A")))],
        [StaffPerson("Fay", ("field",))],
        fte_hours=140,
    )
    marcom = by_name(result.archetypes)["marcom"]
    assert (marcom.hours, marcom.fte_needed, marcom.people, marcom.gap) == (210, 1.5, 1, 0.5)


def test_priorities_score_importance_minus_performance_times_importance_with_the_hours_flowing_there():
    activities = [
        StaffActivity("Pricing", 20, (("pm", "A/R"),), ("read:pricing",)),
        StaffActivity("Launch", 50, (("pmm", "A/R"),), ("read:launch", "read:go-to-market")),
        StaffActivity("Positioning", 10, (("pmm", "A/R"),), ("read:positioning",)),
    ]
    result = staffing(
        [PM, PMM], activities, [],
        assessments=[
            Assessment("read:pricing", "Pricing", importance=3, performance=3),
            Assessment("read:go-to-market", "Go to market", importance=5, performance=2, children=("read:launch", "read:positioning")),
            Assessment("read:launch", "Launch", importance=4, performance=1),
        ],
    )
    assert [(p.element, p.priority, p.hours) for p in result.priorities] == [
        ("read:go-to-market", 15, 60), ("read:launch", 12, 50), ("read:pricing", 0, 20),
    ]
