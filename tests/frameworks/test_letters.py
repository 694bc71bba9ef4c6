"""How RACI letters are written in real sheets: the one home for spellings (no database)."""

import pytest

from frameworks.letters import parse_letters, refusal


@pytest.mark.parametrize("text, canonical", [("r", "R"), (" a ", "A"), ("c", "C"), ("I", "I"), ("a/r", "A/R"), ("AR", "A/R"), ("ra", "A/R"), ("R / A", "A/R")])
def test_letters_in_any_case_and_spelling_are_canonical(text, canonical):
    assert parse_letters(text) == canonical


@pytest.mark.parametrize("text", ["", "  ", "-", "--", "–", "—", "−", "n/a", "N/A", "na", "NA", "N.A.", " - ", "\u00a0-\u00a0"])
def test_not_involved_as_real_sheets_write_it_is_blank(text):
    assert parse_letters(text) == ""


@pytest.mark.parametrize("text", ["x", "X", "✓", "yes", "y"])
def test_a_mark_that_says_involved_but_not_how_is_refused_with_a_reason(text):
    assert parse_letters(text) is None
    message = refusal(text)
    assert "involved but not how" in message and "R, A, C, I or A/R" in message


@pytest.mark.parametrize("text", ["Q", "RACI", "1", "AC", "<script>", "=cmd|' /C calc'!A0", "\x00"])
def test_anything_else_is_not_a_letter_and_the_message_lists_what_is(text):
    assert parse_letters(text) is None
    assert refusal(text) == f"{text!r} is not a RACI letter; use R, A, C, I or A/R (also AR, RA, R/A), or blank, - or n/a for not involved"


def test_a_value_that_is_not_text_is_refused_too():
    assert "None is not a RACI letter" in refusal(None)
