"""Merging a note's letters into an existing activity's row, on plain data (no database)."""

from workshops.commit_rules import ACCOUNTABLE_KEY, KEEP_MATRIX, TAKE_WORKSHOP, letters_key, merge_letters

NAMES = {"pm": "Product Manager", "pmm": "Product Marketing", "cm": "Corp Marketing"}


def test_a_role_with_no_letter_takes_the_notes():
    merge = merge_letters({"pm": "C"}, {"pmm": "A/R"})
    assert merge.writes == {"pmm": "A/R"} and merge.row == {"pm": "C", "pmm": "A/R"} and not merge.conflicts


def test_the_same_letter_writes_nothing():
    merge = merge_letters({"pmm": "R", "pm": "A"}, {"pmm": "R", "pm": "A"})
    assert merge.writes == {} and not merge.conflicts


def test_a_changed_letter_is_a_conflict_and_the_matrix_keeps_it_until_decided():
    merge = merge_letters({"cm": "C"}, {"cm": "R"}, names=NAMES)
    [conflict] = merge.conflicts
    assert (conflict.key, conflict.matrix, conflict.workshop, conflict.decision) == (
        letters_key("cm"), "Corp Marketing C", "Corp Marketing R", None,
    )
    assert merge.undecided == (conflict,) and merge.writes == {}
    assert merge_letters({"cm": "C"}, {"cm": "R"}, {letters_key("cm"): KEEP_MATRIX}).writes == {}
    taken = merge_letters({"cm": "C"}, {"cm": "R"}, {letters_key("cm"): TAKE_WORKSHOP})
    assert taken.writes == {"cm": "R"} and not taken.undecided


def test_a_second_accountable_is_a_conflict():
    merge = merge_letters({"pm": "A"}, {"pmm": "A/R"}, names=NAMES)
    [conflict] = merge.conflicts
    assert (conflict.key, conflict.matrix, conflict.workshop) == (ACCOUNTABLE_KEY, "Product Manager A", "Product Marketing A/R")
    assert merge.writes == {"pmm": "R"}  # undecided: the matrix's accountable stands, the R is new and safe


def test_keeping_the_matrixs_accountable_gives_the_room_only_its_r():
    merge = merge_letters({"pm": "A"}, {"pmm": "A/R"}, {ACCOUNTABLE_KEY: KEEP_MATRIX})
    assert merge.row == {"pm": "A", "pmm": "R"} and not merge.undecided


def test_taking_the_workshops_accountable_takes_the_a_from_the_matrixs():
    merge = merge_letters({"pm": "A/R", "cm": "A"}, {"pmm": "A"}, {ACCOUNTABLE_KEY: TAKE_WORKSHOP})
    assert merge.row == {"pm": "R", "pmm": "A"} and merge.writes == {"cm": "", "pm": "R", "pmm": "A"}


def test_the_same_accountable_is_no_conflict():
    assert not merge_letters({"pm": "A", "cm": "A"}, {"pm": "A"}).conflicts


def test_merging_the_result_again_writes_nothing():
    cases = [
        ({"pm": "A", "cm": "C"}, {"pmm": "A/R", "cm": "R"}, {ACCOUNTABLE_KEY: KEEP_MATRIX, letters_key("cm"): KEEP_MATRIX}),
        ({"pm": "A", "cm": "C"}, {"pmm": "A/R", "cm": "R"}, {ACCOUNTABLE_KEY: TAKE_WORKSHOP, letters_key("cm"): TAKE_WORKSHOP}),
        ({"pm": "A/R"}, {"pm": "C", "pmm": "A"}, {ACCOUNTABLE_KEY: TAKE_WORKSHOP, letters_key("pm"): TAKE_WORKSHOP}),
        ({}, {"pmm": "A", "pm": "A"}, {}),
    ]
    for current, proposed, decisions in cases:
        first = merge_letters(current, proposed, decisions)
        again = merge_letters(first.row, proposed, decisions)
        assert again.writes == {} and not again.undecided, (current, proposed, decisions)


def test_a_forged_decision_counts_as_undecided():
    merge = merge_letters({"pm": "A"}, {"pmm": "A"}, {ACCOUNTABLE_KEY: "both"})
    assert merge.undecided and merge.writes == {}


def test_a_new_accountables_a_is_one_decision_and_the_rest_of_its_letters_another():
    only_the_a = merge_letters({"pm": "A", "pmm": "R"}, {"pmm": "A/R"}, {ACCOUNTABLE_KEY: TAKE_WORKSHOP})
    assert [c.key for c in only_the_a.conflicts] == [ACCOUNTABLE_KEY] and only_the_a.row == {"pmm": "A/R"}
    both = merge_letters({"pm": "A", "pmm": "C"}, {"pmm": "A/R"})
    assert [c.key for c in both.conflicts] == [ACCOUNTABLE_KEY, letters_key("pmm")] and both.writes == {}
