"""A comparison as Markdown, CSV and JSON (responsibilities/formats/comparison.py) when names
are hostile: markup, formulas, pipes, links, line breaks. Plain data only: no database."""

import csv
import io
import re

from responsibilities.comparison import compare, freeze
from responsibilities.formats.comparison import CSV_COLUMNS, to_csv, to_json, to_markdown
from responsibilities.formats.export import DANGEROUS_STARTS
from responsibilities.formats.markdown import markdown_rows
from tests.analysis.builders import FRAMEWORK

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
PIPE = "Launch | PR"
BROKEN = "Line one\nline two"
LINK = "[Click me](https://evil.example)"
HEADING = "# Heading"
HYPERLINK_ROLE = '=HYPERLINK("https://evil.example","x")'
AT_ROLE = "@Ops | <b>bold</b>"
PLUS_ROLE = "+Field\nteam"

BEFORE = {
    "name": "Acme", "size": "scale-up", "market": "b2b", "framework": "fw",
    "roles": [
        {"name": "Product Marketing", "archetype": "pmm"},
        {"name": HYPERLINK_ROLE, "archetype": "marcom"},
        {"name": AT_ROLE, "archetype": "other"},
    ],
    "activities": [
        {"name": SCRIPT, "elements": ["fw:launch"], "raci": {"Product Marketing": "R"}},
        {"name": PIPE, "elements": ["fw:brand"], "raci": {HYPERLINK_ROLE: "A/R"}},
        {"name": BROKEN, "raci": {"Product Marketing": "A/R"}},
        {"name": FORMULA, "elements": ["fw:roadmap"], "raci": {"Product Marketing": "A/R"}},
        {"name": HEADING, "elements": ["fw:brand"], "raci": {AT_ROLE: "A/R"}},
    ],
}
AFTER = {
    **BEFORE,
    "roles": [
        {"name": "Product Marketing", "archetype": "pmm"},
        {"name": HYPERLINK_ROLE, "archetype": "marcom"},
        {"name": PLUS_ROLE, "archetype": "marcom"},
    ],
    "activities": [
        {"name": SCRIPT, "elements": ["fw:launch"], "raci": {"Product Marketing": "A/R"}},
        {"name": PIPE, "elements": ["fw:brand"], "raci": {HYPERLINK_ROLE: "A/R", PLUS_ROLE: "C"}},
        {"name": BROKEN, "raci": {"Product Marketing": "A/R", HYPERLINK_ROLE: "I"}},
        {"name": FORMULA, "elements": ["fw:roadmap"], "raci": {"Product Marketing": "A/R"}},
        {"name": LINK, "raci": {PLUS_ROLE: "A"}},
    ],
}
LABELS = {"workspace": "<img src=x onerror=alert(1)>", "before": "=Q2 | review", "after": "now"}

# Expected cell changes: (activity, role, from, to).
CHANGES = [
    (SCRIPT, "Product Marketing", "R", "A/R"),
    (PIPE, PLUS_ROLE, "", "C"),
    (BROKEN, HYPERLINK_ROLE, "", "I"),
]


def result():
    return compare(freeze(BEFORE, [FRAMEWORK]), freeze(AFTER, [FRAMEWORK]), "fw")


def one_line(text):
    return " ".join(text.split())


def test_the_hand_built_states_differ_as_the_tests_below_expect():
    compared = result()
    assert [(c.activity, c.role, c.before, c.after) for c in compared.changes] == CHANGES
    assert (compared.activities_added, compared.activities_removed) == ((LINK,), (HEADING,))
    assert (compared.roles_added, compared.roles_removed) == ((PLUS_ROLE,), (AT_ROLE,))
    assert [(f["kind"], f["activity"] or f["element"]) for f in compared.resolved] == [
        ("no_accountable", SCRIPT), ("unowned_element", "fw:launch"), ("split_mismatch", HEADING), ("shared_element", "fw:brand"),
    ]
    assert [(f["kind"], f["activity"]) for f in compared.new] == [("no_responsible", LINK), ("unmapped_activity", LINK)]


def test_markdown_reads_back_the_cell_changes_exactly_with_pipes_and_line_breaks_kept_in_their_cells():
    text = to_markdown(result(), **LABELS)
    rows = [cells for _, cells in markdown_rows(text)]  # the first table with an Activity column
    assert rows == [
        ["Activity", "Role", "From", "To"],
        *([one_line(a), one_line(r), f or "not involved", t or "not involved"] for a, r, f, t in CHANGES),
    ]


def test_markdown_has_no_html_link_or_heading_from_a_name():
    text = to_markdown(result(), **LABELS)
    assert re.search(r"(?<!\\)<", text) is None  # every < escaped: no name is HTML
    assert "\\<script>alert(1)\\</script>" in text and "@Ops \\| \\<b>bold\\</b>" in text
    assert re.search(r"(?<!\\)\[", text) is None  # every [ escaped: no name is a link
    assert "\\[Click me](https://evil.example)" in text
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# \\<img src=x onerror=alert(1)>: =Q2 \\| review → now",
        "## Coverage",
        "## Findings resolved (4)",
        "## New findings (2)",
        "## Cell changes (3)",
        "## Activities added and removed",
        "## Roles added and removed",
    ]
    assert "- Removed: \\# Heading" in text and "- Added: +Field team" in text
    assert "Line one line two" in text and "\nline two" not in text and "\nteam" not in text


def test_markdown_tables_keep_their_column_count_whatever_the_names():
    text = to_markdown(result(), **LABELS)
    table_lines = [line for line in text.splitlines() if line.startswith("|")]
    separators = [len(re.findall(r"(?<!\\)\|", line)) for line in table_lines]
    # Coverage (4 columns: 5 pipes), findings (3: 4), cell changes (4: 5).
    assert sorted(set(separators)) == [4, 5]
    for block in re.split(r"\n\n+", text):
        lines = [line for line in block.splitlines() if line.startswith("|")]
        assert len({len(re.findall(r"(?<!\\)\|", line)) for line in lines}) <= 1, block


def test_csv_neutralises_every_cell_and_keeps_one_row_per_fact():
    rows = list(csv.reader(io.StringIO(to_csv(result(), **LABELS))))
    assert rows[0] == list(CSV_COLUMNS)
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)
    assert not [cell for row in rows for cell in row if cell.startswith(DANGEROUS_STARTS)]
    assert [row[0] for row in rows[1:]] == [
        "coverage", "category", "category",
        "resolved", "resolved", "resolved", "resolved", "new", "new",
        "change", "change", "change",
        "activity added", "activity removed", "role added", "role removed",
    ]
    changes = [row[1:3] + row[5:7] for row in rows if row[0] == "change"]
    assert changes == [
        [SCRIPT, "Product Marketing", "R", "A/R"],
        [PIPE, "'" + PLUS_ROLE, "", "C"],  # the line break stays inside its quoted cell
        [BROKEN, "'" + HYPERLINK_ROLE, "", "I"],
    ]
    assert [row[1] or row[2] for row in rows if row[0].endswith(("added", "removed"))] == [
        LINK, HEADING, "'" + PLUS_ROLE, "'" + AT_ROLE,
    ]


def test_csv_neutralises_a_finding_message_that_starts_with_a_formula():
    before = {**BEFORE, "activities": [*BEFORE["activities"], {"name": "=1+1", "raci": {"Product Marketing": "R"}}]}
    rows = list(csv.reader(io.StringIO(to_csv(compare(freeze(before, [FRAMEWORK]), freeze(AFTER, [FRAMEWORK]), "fw"), **LABELS))))
    resolved = [row for row in rows if row[0] == "resolved" and row[1] == "'=1+1"]
    assert {row[7] for row in resolved} == {"no_accountable", "unmapped_activity"}
    unmapped = next(row for row in resolved if row[7] == "unmapped_activity")
    assert unmapped[9] == "'=1+1 is not mapped to any framework element, so it cannot be benchmarked against the standard."
    coverage = rows[1]
    assert coverage[0] == "coverage" and coverage[9] == "<img src=x onerror=alert(1)>: =Q2 | review to now, through Tiny framework"


def test_json_keeps_names_exactly_as_written():
    document = to_json(result(), **LABELS)
    assert document["workspace"] == LABELS["workspace"] and document["from"] == "=Q2 | review"
    assert [(c["activity"], c["role"], c["from"], c["to"]) for c in document["changes"]] == CHANGES
    assert document["activities"] == {"added": [LINK], "removed": [HEADING]}
    assert document["roles"] == {"added": [PLUS_ROLE], "removed": [AT_ROLE]}


def test_an_unchanged_comparison_says_so():
    state = freeze(BEFORE, [FRAMEWORK])
    text = to_markdown(compare(state, state, "fw"), workspace="Acme", before="Q2", after="Q2 again")
    assert "No differences" in text
    assert "## Cell changes (0)\n\nNone." in text
    assert "No differences" not in to_markdown(result(), **LABELS)
