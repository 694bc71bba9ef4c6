"""The RACI sheet as a Markdown table: what a team pastes from Confluence, Notion or a README.

    | Phase      | Activity          | PM | PMM   | Sales |
    |:-----------|:------------------|:--:|:-----:|:-----:|
    | Pre-launch | **Message house** | C  | A/R   | -     |

The table is read into rows of cells and then exactly like a CSV sheet (same columns, letters
and errors), with each problem placed by its line in the text. Text around the table
(headings, notes) is ignored. In a text with several tables, the first one with an
`activity` column is read (a pmmhub Markdown export has a roles table first).

Cells: leading and trailing pipes are optional; `\\|` is a pipe inside a cell and any other
backslash-escaped punctuation is that character; `**bold**` and `__bold__` are plain text, as
is a cell wrapped whole in `*…*`, `_…_` or backticks; `<br>` is a space. The alignment row
(`|:---|---:|`) is skipped wherever it is.
"""

import re

from pmmhub.safeyaml import DocumentError, decode_text
from responsibilities.formats import MAX_UPLOAD_BYTES, ElementIndex, FormatError, WorkspaceData
from responsibilities.formats.spreadsheet import MAX_COLUMNS, MAX_ROWS, Sheet, column_for_header

_ALIGNMENT_CELL = re.compile(r"^\s*:?-+:?\s*$")
_BOLD = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=\S)(?<!\\)\1")
_WRAPPED = re.compile(r"^(?:(?<!\\)\*(?!\*)(.+)(?<!\\)\*|(?<!\\)_(?!_)(.+)(?<!\\)_|`(.+)`)$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation (CommonMark)
_LINE_BREAK = re.compile(r"(?<!\\)<br\s*/?>", re.IGNORECASE)
_LINES = re.compile(r"\r\n|\r|\n")  # numbered as an editor numbers them


def parse_markdown(data: bytes, index: ElementIndex) -> tuple[WorkspaceData | None, list[FormatError]]:
    try:
        text = decode_text(data, limit=MAX_UPLOAD_BYTES)
        numbered = markdown_rows(text)
    except DocumentError as error:
        return None, [FormatError("", str(error))]
    return Sheet(index, row_label="line").read(numbered)


def markdown_rows(text: str) -> list[tuple[int, list[str]]]:
    """The cells of the table to read, each row with its line number; DocumentError if none."""
    if "\x00" in text:
        raise DocumentError("the text contains a NUL byte; it is not a Markdown table")
    tables = _tables(text)
    if not tables:
        raise DocumentError(
            "no Markdown table found: write one row per line with cells between pipes, "
            "e.g. | activity | PM | PMM |"
        )
    return next((table for table in tables if _has_activity_column(table)), tables[0])


def _tables(text: str) -> list[list[tuple[int, list[str]]]]:
    """Runs of consecutive lines with a cell separator, as rows of cells (alignment rows dropped)."""
    tables, current = [], []
    for number, line in enumerate(_LINES.split(text), start=1):
        cells = _split(line)
        if cells is None:
            if current:
                tables.append(current)
                current = []
            continue
        if len(cells) > MAX_COLUMNS + 1:
            raise DocumentError(f"line {number} has {len(cells):,} cells; the limit is {MAX_COLUMNS}")
        if all(_ALIGNMENT_CELL.match(cell) for cell in cells):
            continue
        current.append((number, [_plain(cell) for cell in cells]))
        if len(current) > MAX_ROWS:
            raise DocumentError(f"the table has more than {MAX_ROWS - 1:,} activities")
    if current:
        tables.append(current)
    return tables


def _split(line: str) -> list[str] | None:
    """The raw cells of a table line (escapes kept), or None for a line that is not one."""
    line = line.strip()
    cells, cell, escaped, pipes = [], [], False, 0
    for character in line:
        if escaped:
            cell.append(character)
            escaped = False
        elif character == "\\":
            cell.append(character)
            escaped = True
        elif character == "|":
            cells.append("".join(cell))
            cell = []
            pipes += 1
        else:
            cell.append(character)
    cells.append("".join(cell))
    if not pipes:
        return None
    if line.startswith("|"):
        cells = cells[1:]
    if len(cells) > 1 and not cells[-1]:  # the line ends with a separator: a trailing pipe
        cells = cells[:-1]
    return cells


def _plain(cell: str) -> str:
    """A cell's text without Markdown: bold, whole-cell emphasis or code, escapes, line breaks."""
    text = _LINE_BREAK.sub(" ", cell).strip()
    previous = None
    while previous != text:  # **__nested__** too
        previous, text = text, _BOLD.sub(r"\2", text)
    wrapped = _WRAPPED.match(text)
    if wrapped:
        text = next(group for group in wrapped.groups() if group is not None)
    return _ESCAPE.sub(r"\1", text).strip()


def _has_activity_column(table: list[tuple[int, list[str]]]) -> bool:
    return any(column_for_header(cell) == "activity" for cell in table[0][1])
