"""The Markdown table reader (what teams paste from Confluence, Notion or a README): no database."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responsibilities.formats import MAX_UPLOAD_BYTES, ActivityData, RoleData, WorkspaceData, export
from responsibilities.formats.markdown import markdown_rows, parse_markdown
from responsibilities.formats.spreadsheet import MAX_ROWS
from tests.responsibilities.test_formats import INDEX


def table(text: str | bytes):
    return parse_markdown(text.encode() if isinstance(text, str) else text, INDEX)


def where(errors):
    return [error.where for error in errors]


NOTION = """\
# Launch RACI

Owners for the Q3 launch. **Bold** rows are the big ones.

| Phase | Activity | PM | PMM | Sales |
|:------|:---------|:--:|:---:|------:|
| Pre-launch | **Message house** | C | **A/R** | - |
| Pre-launch | __Pricing page__ | A | R | n/a |
| Launch | Sales kit \\| one-pager | - | A/R | C |

Last edited by Dana.
"""


def test_a_pasted_table_is_read_with_bold_pipes_and_alignment_row_handled():
    data, errors = table(NOTION)
    assert errors == []
    assert [(role.name, role.archetype) for role in data.roles] == [("PM", "pm"), ("PMM", "pmm"), ("Sales", "sales")]
    assert data.activities == (
        ActivityData("Message house", raci=(("PM", "C"), ("PMM", "A/R")), group="Pre-launch"),
        ActivityData("Pricing page", raci=(("PM", "A"), ("PMM", "R")), group="Pre-launch"),
        ActivityData("Sales kit | one-pager", raci=(("PMM", "A/R"), ("Sales", "C")), group="Launch"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "activity | PM | PMM\n--- | --- | ---\nLaunch | A/R | C\n",  # no outer pipes
        "| activity | PM | PMM |\n| Launch | A/R | C |\n",  # no alignment row
        "|activity|PM|PMM\n|-|-|-\n|Launch|A/R|C\n",  # leading pipes only, tight
        "  | activity | PM | PMM |  \r\n  |---|---|---|\r\n  | Launch | A/R | C |  \r\n",  # indented, CRLF
        "| **activity** | __PM__ | `PMM` |\n|---|---|---|\n| *Launch* | **A/R** | _C_ |\n",  # emphasis and code
        "\ufeff| activity | PM | PMM |\n|---|---|---|\n| Launch | A/R | C |",  # BOM, no final newline
    ],
)
def test_pipes_alignment_rows_and_emphasis_are_optional(text):
    data, errors = table(text)
    assert errors == []
    assert data.activities == (ActivityData("Launch", raci=(("PM", "A/R"), ("PMM", "C"))),)


@pytest.mark.parametrize(
    "cell, text",
    [
        ("a \\| b", "a | b"),
        ("a \\\\| b", None),  # an escaped backslash, then a real separator: two cells
        ("\\*\\*not bold\\*\\*", "**not bold**"),
        ("5 \\* 3", "5 * 3"),
        ("**Win/loss** and __churn__ review", "Win/loss and churn review"),
        ("***both***", "both"),
        ("line one<br>line two<BR/>three", "line one line two three"),
        ("\\<br> is text", "<br> is text"),
        ("C:\\path", "C:\\path"),  # a backslash before a letter stays
        ("=cmd|' /C calc'!A0", None),
    ],
)
def test_cells_lose_markup_but_keep_their_text(cell, text):
    rows = markdown_rows(f"| activity | PM |\n|---|---|\n| {cell} | R |\n")
    if text is None:
        assert len(rows[1][1]) == 3
    else:
        assert rows[1] == (3, [text, "R"])


def test_the_table_with_an_activity_column_is_read_and_errors_name_its_lines():
    text = "| Role | Kind |\n|---|---|\n| PM | pm |\n\nSome notes.\n\n| activity | PM |\n|---|---|\n| Launch | x |\n| Launch | R |\n"
    data, errors = table(text)
    assert data is None
    assert where(errors) == ["line 9, column PM (B)", "line 10, column A"]
    assert "involved but not how" in errors[0].message
    assert "duplicate activity 'Launch' (first in line 9)" in errors[1].message


@pytest.mark.parametrize(
    "text, place",
    [
        ("| activity | PM |\n|---|---|\n| Launch | Q |\n", "line 3, column PM (B)"),
        ("| activity | elements | PM |\n|---|---|---|\n| Launch | read:nope | R |\n", "line 3, column B"),
        ("| activity | elements | PM |\n|---|---|---|\n| Launch | pragmatic:Programs | R |\n", "line 3, column B"),
        ("| activity | PM |\n|---|---|\n| Launch | R | stray |\n", "line 3, column C"),
        ("| activity | PM |\n|---|---|\n|  | R |\n", "line 3, column A"),
        ("| task | PM | pm |\n|---|---|---|\n", "line 1, column C"),
        ("| phase | PM |\n| Launch | R |\n", "line 1, column A"),
    ],
)
def test_each_bad_row_is_named_by_line_and_column_like_csv(text, place):
    data, errors = table(text)
    assert data is None
    assert place in where(errors), errors


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"| activity | PM |\n| caf\xe9 | R |\n", "not UTF-8"),
        (b"| activity | PM |\n" + b"| x | R |\n" * (MAX_UPLOAD_BYTES // 10), "limit"),
        (b"| activity | PM |\n| a\x00 | R |\n", "NUL"),
        (b"# Just a heading\n\nNo table here.\n", "no Markdown table"),
        (b"", "no Markdown table"),
        (b"|" * 5000 + b"\n", "cells; the limit is"),
        ("| activity | PM |\n".encode() + "".join(f"| a{i} | R |\n" for i in range(MAX_ROWS + 1)).encode(), "more than"),
    ],
)
def test_hostile_or_oversized_text_is_refused_clearly(raw, message):
    data, errors = table(raw)
    assert data is None
    assert message in " ".join(str(error) for error in errors)


def test_hostile_text_is_kept_as_data():
    hostile = "<script>alert(1)</script> ﻿Lаunch =HYPERLINK(\"x\")"  # a BOM inside and a Cyrillic а
    data, errors = table(f"| activity | PM |\n|---|---|\n| {hostile} | R |\n")
    assert errors == [] and data.activities[0].name == " ".join(hostile.split())


def test_the_markdown_export_reads_back_as_the_same_matrix():
    data = WorkspaceData(
        name="Team | *one*",
        roles=(RoleData("PM", "pm"), RoleData("Sales_Eng", "other")),
        activities=(
            ActivityData("**Not bold** | <b>tag</b> `code` \\ back", raci=(("PM", "A/R"),), group="_Pre_"),
            ActivityData("Launch", "", ("read:launch", "pragmatic:support-programs"), (("PM", "C"), ("Sales_Eng", "A"))),
        ),
    )
    again, errors = table(export.to_markdown(data))
    assert errors == []
    assert again.activities == data.activities
    assert [role.name for role in again.roles] == ["PM", "Sales_Eng"]


CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"), max_size=30
).map(lambda text: " ".join(text.split()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELL | st.sampled_from(["<br>", "**b**", "\\", "|", "---", ":-:", "_x_", "`c`", "[a](b)"]), min_size=3, max_size=3), min_size=1, max_size=6))
def test_any_cell_text_written_as_markdown_reads_back_unchanged(rows):
    text = "\n".join(export.markdown_row(row) for row in [["activity", "PM", "PMM"], *rows])
    read = markdown_rows(text)
    # A row of alignment cells is a table's separator line, unless a cell starts with "-", which
    # is written escaped ("\\---") so as not to start a list.
    assert [cells for _, cells in read][1:] == [row for row in rows if not all(_is_alignment(c) and c.startswith(":") for c in row)]


def _is_alignment(cell: str) -> bool:
    return re.fullmatch(r":?-+:?", cell) is not None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_data_or_errors_never_an_exception(raw):
    data, errors = table(raw)
    assert (data is None) == bool(errors)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="|\\*_`-: \nAaRrCcIi/<br>x", max_size=200))
def test_any_table_like_text_gives_data_or_errors(text):
    data, errors = table("| activity | PM |\n" + text)
    assert (data is None) == bool(errors)


@pytest.mark.parametrize(("text", "written"), [
    ("+ x", "\\+ x"), ("- y", "\\- y"), ("1. z", "1\\. z"), ("12) q", "12\\) q"), ("> quote", "\\> quote"),
    ("---", "\\---"), ("-0.25", "-0.25"), ("0.2", "0.2"), ("+Field team", "+Field team"), ("Sprint #", "Sprint \\#"),
])
def test_a_text_never_starts_a_list_a_quote_or_a_rule_of_its_own(text, written):
    assert export.markdown_text(text) == written
    assert markdown_rows(f"| a |\n|---|\n| {written} |")[-1][1] == [text]
