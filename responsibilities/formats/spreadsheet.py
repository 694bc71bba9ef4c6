"""The RACI spreadsheet (CSV or XLSX): what teams already keep.

First row: `activity`, the optional `group` (or `phase`, `stage`, `category`), `description`,
`hours` (or `hours/month`, `hours per month`, `effort (h)`; empty = not sized) and `elements`
columns, wherever they are, and one column per role (every other header).
Every problem is reported as `row N, column X: ...`; a sheet with any problem gives no data.
Nothing here evaluates a formula: XLSX is read for its stored values, and a cell that export
wrote as text with a leading quote (`'=SUM(A1)`) is read back without the quote.
"""

import csv
import io
import zipfile

from frameworks.letters import parse_letters, refusal
from pmmhub.safeyaml import DocumentError, decode_text
from responsibilities.formats import (
    DEFAULT_FRAMEWORK,
    MAX_GROUP,
    MAX_UPLOAD_BYTES,
    MORE_PROBLEMS,
    ActivityData,
    ElementIndex,
    FormatError,
    Problems,
    RoleData,
    TooManyProblems,
    WorkspaceData,
    parse_hours,
)
from responsibilities.formats.document import MAX_ACTIVITIES, MAX_DESCRIPTION, MAX_NAME, MAX_ROLES
from responsibilities.formats.roles import archetype_for_header

MAX_ROWS = MAX_ACTIVITIES + 1
MAX_COLUMNS = MAX_ROLES + 5  # activity, group, description, hours, elements
# An XLSX is a zip: refuse one that would expand to far more than any RACI sheet needs
# before a parser inflates it (a "zip bomb").
MAX_XLSX_EXPANDED = 50_000_000
MAX_XLSX_ENTRIES = 1000
MAX_XLSX_RATIO = 100

FORMULA_PREFIXES = ("=", "+", "-", "@")

# The columns that are not roles, by the headers teams give them, wherever they are.
COLUMN_HEADERS = {
    "activity": "activity", "activities": "activity", "task": "activity", "tasks": "activity",
    "group": "group", "phase": "group", "stage": "group", "category": "group",
    "description": "description",
    "hours": "hours", "hours/month": "hours", "hours / month": "hours", "hours per month": "hours",
    "hours a month": "hours", "effort (h)": "hours", "effort (hours)": "hours",
    "elements": "elements", "mapped to": "elements",
}


def column_for_header(header: str) -> str | None:
    return COLUMN_HEADERS.get(" ".join(header.split()).casefold())


def parse_spreadsheet(data: bytes, filename: str, index: ElementIndex) -> tuple[WorkspaceData | None, list[FormatError]]:
    if len(data) > MAX_UPLOAD_BYTES:
        return None, [FormatError("", f"the file is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}")]
    is_xlsx = filename.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04")
    try:
        rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    except DocumentError as error:
        return None, [FormatError("", str(error))]
    return Sheet(index).read(list(enumerate(rows, start=1)))


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data, limit=MAX_UPLOAD_BYTES)
    if "\x00" in text:
        raise DocumentError("the file contains a NUL byte; it is not a CSV text file")
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count) if first_line else ","
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise DocumentError(f"the sheet has more than {MAX_ROWS - 1:,} activities")
        return rows
    except csv.Error as error:
        raise DocumentError(f"not a readable CSV file ({error})") from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    _refuse_unsafe_zip(data)
    import openpyxl  # imported here: only XLSX uploads need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean the same to a user
        raise DocumentError(f"not a real XLSX file: it cannot be opened ({error.__class__.__name__})") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise DocumentError("the XLSX file has no sheet")
        rows = []
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS:
                raise DocumentError(f"the sheet has more than {MAX_ROWS - 1:,} activities")
        return rows
    except DocumentError:
        raise
    except Exception as error:
        raise DocumentError(f"not a real XLSX file: it cannot be read ({error.__class__.__name__})") from None
    finally:
        workbook.close()


def _refuse_unsafe_zip(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise DocumentError("not a real XLSX file (it is not a zip archive); save it from your spreadsheet as .xlsx") from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise DocumentError("not a real XLSX file (it has no workbook); save it from your spreadsheet as .xlsx")
    if len(entries) > MAX_XLSX_ENTRIES:
        raise DocumentError(f"the XLSX has {len(entries):,} parts; refused")
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_XLSX_EXPANDED:
        raise DocumentError(f"the XLSX expands to {expanded:,} bytes (limit {MAX_XLSX_EXPANDED:,}); refused")
    for entry in entries:
        if entry.file_size > 1_000_000 and entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
            raise DocumentError(f"the XLSX part {entry.filename} expands {entry.file_size // max(entry.compress_size, 1)}-fold; refused")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unquote(text: str) -> str:
    """Undo export's formula neutralisation: `'=x` was written for `=x`."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _trim(row: list[str]) -> list[str]:
    while row and not row[-1]:
        row.pop()
    return row


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Sheet:
    """Rows of cells (from CSV, XLSX or a Markdown table) -> WorkspaceData, or every problem.

    `numbered` pairs each row with the number a user finds it by: its row in a spreadsheet
    (`row_label="row"`), its line in a Markdown text (`row_label="line"`).
    """

    def __init__(self, index: ElementIndex, row_label: str = "row"):
        self.index = index
        self.row_label = row_label
        self.errors = Problems()

    def error(self, row: int, column: str, message: str):
        place = f"{self.row_label} {row}"
        self.errors.add(f"{place}, column {column}" if column else place, message)

    def read(self, numbered: list[tuple[int, list[str]]]) -> tuple[WorkspaceData | None, list[FormatError]]:
        try:
            return self._read(numbered)
        except TooManyProblems:
            return None, [*self.errors, MORE_PROBLEMS]

    def _read(self, numbered: list[tuple[int, list[str]]]) -> tuple[WorkspaceData | None, list[FormatError]]:
        numbered = [(n, _trim([cell.strip() for cell in row])) for n, row in numbered]
        numbered = [(n, row) for n, row in numbered if any(row)]
        if not numbered:
            return None, [FormatError("", "the sheet is empty: the first row must name the columns (activity, then roles)")]
        header_row, header = numbered[0]
        layout = self.header(header_row, header)
        if layout is None:
            return None, self.errors
        columns, roles = layout
        activities = []
        seen = {}
        for row_number, row in numbered[1:]:
            activity = self.activity(row_number, row, columns, roles, seen)
            if activity is not None:
                activities.append(activity)
        if self.errors:
            return None, self.errors
        slugs = {reference.split(":", 1)[0] for activity in activities for reference in activity.elements}
        return (
            WorkspaceData(
                name=None,
                framework=slugs.pop() if len(slugs) == 1 else DEFAULT_FRAMEWORK,
                roles=tuple(RoleData(name=name, archetype=archetype_for_header(name)) for _, name in roles),
                activities=tuple(activities),
            ),
            [],
        )

    def header(self, row_number: int, header: list[str]):
        if len(header) > MAX_COLUMNS:
            self.error(row_number, "", f"{len(header)} columns; the limit is {MAX_COLUMNS} (activity, group, description, hours, elements and {MAX_ROLES} roles)")
            return None
        columns = {}  # activity / group / description / elements -> position
        roles, seen = [], {}
        for i, text in enumerate(header):
            name = " ".join(_unquote(text).split())
            column = column_for_header(name)
            if column in columns:
                self.error(row_number, _column_letter(i), f"a second {column} column (the first is column {_column_letter(columns[column])})")
            elif column is not None:
                columns[column] = i
            elif not name:
                continue  # a blank header is a column nobody uses; values under it are reported per row
            elif len(name) > 80:
                self.error(row_number, _column_letter(i), "the role name is longer than 80 characters")
            elif name.casefold() in seen:
                self.error(row_number, _column_letter(i), f"the role {name!r} appears twice (also column {seen[name.casefold()]})")
            else:
                seen[name.casefold()] = _column_letter(i)
                roles.append((i, name))
        if "activity" not in columns:
            self.error(row_number, "A", 'no "activity" column: the first row names the columns (activity, optional group or phase, description, hours, elements), then one column per role')
        if self.errors:
            return None
        return columns, roles

    def activity(self, row_number, row, columns, roles, seen) -> ActivityData | None:
        def cell(position: int) -> str:
            return _unquote(row[position]) if position < len(row) else ""

        def text(column: str) -> str:
            return cell(columns[column]) if column in columns else ""

        errors_before = len(self.errors)
        name_column = _column_letter(columns["activity"])
        name = " ".join(text("activity").split())
        if not name:
            self.error(row_number, name_column, "the activity name is empty")
        elif len(name) > MAX_NAME:
            self.error(row_number, name_column, f"the activity name is {len(name)} characters long; the limit is {MAX_NAME}")
        elif name.casefold() in seen:
            self.error(row_number, name_column, f"duplicate activity {name!r} (first in {self.row_label} {seen[name.casefold()]})")
        else:
            seen[name.casefold()] = row_number
        group = " ".join(text("group").split())
        if len(group) > MAX_GROUP:
            self.error(row_number, _column_letter(columns["group"]), f"the group is {len(group)} characters long; the limit is {MAX_GROUP}")
        description = text("description")
        if len(description) > MAX_DESCRIPTION:
            self.error(row_number, _column_letter(columns["description"]), f"the description is longer than {MAX_DESCRIPTION} characters")
        hours = None
        if "hours" in columns:
            hours, problem = parse_hours(text("hours"))
            if problem:
                self.error(row_number, _column_letter(columns["hours"]), problem)
        elements = []
        if "elements" in columns:
            column = _column_letter(columns["elements"])
            for reference in text("elements").split(";"):
                if not reference.strip():
                    continue
                canonical, problem = self.index.resolve(reference)
                if canonical is None:
                    self.error(row_number, column, problem)
                else:
                    elements.append(canonical)
        raci = []
        for position, role in roles:
            value = cell(position)
            held = parse_letters(value)
            if held is None:
                self.error(row_number, f"{role} ({_column_letter(position)})", refusal(value))
            elif held:
                raci.append((role, held))
        used = {*columns.values(), *(position for position, _ in roles)}
        for position, value in enumerate(row):
            if value and position not in used:
                self.error(row_number, _column_letter(position), f"{value[:40]!r} is in a column with no header")
        if len(self.errors) > errors_before:
            return None
        return ActivityData(
            name=name, description=description, elements=tuple(dict.fromkeys(elements)), raci=tuple(raci), group=group,
            hours=hours,
        )
