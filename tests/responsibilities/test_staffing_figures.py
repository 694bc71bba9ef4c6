"""Staffing rounded and worded for people (responsibilities.formats.staffing): no database."""

from responsibilities.formats.staffing import figure, rows, verdict
from responsibilities.staffing import Need


def need(fte_needed, people, hours=None, name="PMM"):
    return Need(name, "pmm", fte_needed * 140 if hours is None else hours, fte_needed, people)


def test_figures_have_at_most_two_decimals_and_no_trailing_zeros():
    assert [figure(v) for v in (2.0, 2.5, 1 / 3, 0.126, 175.0, 1e-9, -1e-9, -0.25)] == [
        "2", "2.5", "0.33", "0.13", "175", "0", "0", "-0.25",
    ]


def test_the_verdict_says_short_over_or_staffed_in_plain_words():
    assert verdict(need(1.25, 0)) == "short by 1.25 people"
    assert verdict(need(2, 1)) == "short by 1 person"
    assert verdict(need(1.25, 1.5)) == "over by 0.25 people for the work listed"
    assert verdict(need(0, 1, hours=0)) == "no hours of the listed work fall to this role"
    assert verdict(need(1.001, 1)) == "staffed as listed"  # below what two decimals show


def test_bars_share_one_scale_and_nothing_listed_draws_nothing():
    drawn = rows((need(1.25, 1.5), need(0.5, 0, name="PM")), {"pmm": "Product marketing"})
    assert [(row.needed_width, row.people_width) for row in drawn] == [(83.3, 100.0), (33.3, 0.0)]
    assert drawn[0].archetype == "Product marketing" and drawn[0].short is False and drawn[1].short is True
    empty = rows((need(0, 0, hours=0),), {})
    assert (empty[0].needed_width, empty[0].people_width) == (0.0, 0.0)


def test_archetype_rows_are_named_by_the_archetypes_name():
    archetype = Need("pmm", "pmm", 140, 1, 1)
    assert rows((archetype,), {"pmm": "Product marketing"}, by_archetype=True)[0].name == "Product marketing"
    role = Need("pmm", "pmm", 140, 1, 1)  # a role someone named like the slug keeps its name
    assert rows((role,), {"pmm": "Product marketing"})[0].name == "pmm"
