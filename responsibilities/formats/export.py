"""WorkspaceData -> YAML, JSON, CSV, XLSX and Markdown.

The document forms (YAML, JSON) carry everything and read back to equal data. The
spreadsheet forms carry the matrix only (activities, groups, descriptions, hours, mappings,
letters, role names; not fte_hours, people or assessment); a role whose name implies no
archetype reads back as `other`. The hours column is written only when some activity has hours. Spreadsheet cells
that a spreadsheet program would run as a formula are written with a leading quote. The
Markdown form is for people; its RACI table reads back as a Markdown sheet (without
descriptions), its cells escaped so that no text turns into markup or HTML.
"""

import csv
import io
import json
import re

from pmmhub.safeyaml import dump_yaml
from responsibilities.formats import WorkspaceData, hours_number, hours_text
from responsibilities.formats.spreadsheet import FORMULA_PREFIXES

DANGEROUS_STARTS = (*FORMULA_PREFIXES, "\t", "\r")


def to_document(data: WorkspaceData) -> dict:
    document = {"name": data.name, "size": data.size, "market": data.market, "framework": data.framework}
    if data.fte_hours is not None:
        document["fte_hours"] = hours_number(data.fte_hours)
    document["roles"] = [{"name": role.name, "archetype": role.archetype} for role in data.roles]
    if data.people:
        document["people"] = [{"name": person.name, "roles": list(person.roles)} for person in data.people]
    activities = []
    for activity in data.activities:
        item = {"name": activity.name}
        if activity.group:
            item["group"] = activity.group
        if activity.description:
            item["description"] = activity.description
        if activity.hours is not None:
            item["hours"] = hours_number(activity.hours)
        if activity.elements:
            item["elements"] = list(activity.elements)
        if activity.raci:
            item["raci"] = dict(activity.raci)
        activities.append(item)
    document["activities"] = activities
    if data.assessment is not None:  # an empty list too: it says "nothing assessed"
        document["assessment"] = [
            {"element": a.element, "importance": a.importance, "performance": a.performance} for a in data.assessment
        ]
    return document


def to_yaml(data: WorkspaceData) -> str:
    return dump_yaml(to_document(data))


def to_json(data: WorkspaceData) -> str:
    return json.dumps(to_document(data), indent=2, ensure_ascii=False) + "\n"


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text instead of running it (`=cmd|...` becomes `'=cmd|...`)."""
    return "'" + text if text.startswith(DANGEROUS_STARTS) else text


def sized(data: WorkspaceData) -> bool:
    """Whether some activity has hours: the spreadsheet and Markdown forms then have a column."""
    return any(activity.hours is not None for activity in data.activities)


def _hours_cell(hours: float | None) -> str:
    return "" if hours is None else hours_text(hours)


def _table(data: WorkspaceData) -> list[list[str]]:
    hours = sized(data)
    header = ["activity", "group", "description", *(["hours"] if hours else []), "elements", *(role.name for role in data.roles)]
    rows = [header]
    for activity in data.activities:
        held = dict(activity.raci)
        rows.append(
            [
                activity.name,
                activity.group,
                activity.description,
                *([_hours_cell(activity.hours)] if hours else []),
                ";".join(activity.elements),
                *(held.get(role.name, "") for role in data.roles),
            ]
        )
    return [[neutralise(cell) for cell in row] for row in rows]


def to_csv(data: WorkspaceData) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(_table(data))
    return buffer.getvalue()


def to_xlsx(data: WorkspaceData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "RACI"
    for row in _table(data):
        sheet.append(row)
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = TYPE_STRING  # never a formula, whatever the text
    if sized(data):  # hours as numbers, so that the sheet can add them up
        for cell, activity in zip(sheet["D"][1:], data.activities):
            cell.value = activity.hours
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    widths = {"A": 40, "B": 16, "C": 40, "D": 10 if sized(data) else 30, "E": 30 if sized(data) else None}
    for column in sheet.iter_cols(min_row=1, max_row=1):
        letter = column[0].column_letter
        sheet.column_dimensions[letter].width = widths.get(letter) or max(8, min(24, len(str(column[0].value)) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# `[` too: a name such as `[Click](https://…)` would otherwise be a link in the reader's tool.
# Backslash-escaped ASCII punctuation shows as itself (CommonMark) and the Markdown sheet reader
# unescapes it: `#` would close a heading, `&` start an entity, `~~` strike through.
_MD_ESCAPES = str.maketrans({character: "\\" + character for character in "\\|*_`<[#&~"})


# What at the start of a text would make it a block of its own: a quote (`>`), a list marker
# followed by a space (`- x`, `+ x`, `1. x`, `2) x`) or a rule (`---`). `-0.25` stays as it is.
_BLOCK_START = re.compile(r"^(?:>|[-+](?=\s|$)|-(?=-+$)|[0-9]{1,9}[.)](?=\s|$))")


def markdown_text(text: str) -> str:
    """Text as inline Markdown (a table cell, a heading, a list item) that shows it as written,
    on one line, and reads back unchanged (markdown.py)."""
    text = " ".join(text.translate(_MD_ESCAPES).split())
    return _BLOCK_START.sub(lambda start: f"{start.group()[:-1]}\\{start.group()[-1]}", text)


def markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(markdown_text(cell) for cell in cells) + " |"


def to_markdown(data: WorkspaceData) -> str:
    grouped = any(activity.group for activity in data.activities)
    hours = sized(data)
    lines = [
        f"# {markdown_text(data.name or 'Workspace')}",
        "",
        f"Size: {data.size} · market: {data.market.upper()} · primary framework: {data.framework}",
        "",
        "## Roles",
        "",
        "| Role | Archetype |",
        "|---|---|",
        *(f"| {markdown_text(role.name)} | {role.archetype} |" for role in data.roles),
        "",
        "## RACI matrix",
        "",
        "R = responsible, A = accountable, C = consulted, I = informed.",
        "",
        markdown_row(
            ["Activity", *(["Group"] if grouped else []), *(["Hours"] if hours else []), *(role.name for role in data.roles), "Mapped to"]
        ),
        "|" + "---|" * (len(data.roles) + 2 + grouped + hours),
    ]
    for activity in data.activities:
        held = dict(activity.raci)
        lines.append(
            markdown_row(
                [
                    activity.name,
                    *([activity.group] if grouped else []),
                    *([_hours_cell(activity.hours)] if hours else []),
                    *(held.get(role.name, "") for role in data.roles),
                    "; ".join(activity.elements),
                ]
            )
        )
    if data.people:
        lines += ["", "## People", ""]
        lines += [f"- {markdown_text(person.name)}: {markdown_text(', '.join(person.roles)) or 'no role'}" for person in data.people]
    return "\n".join(lines) + "\n"
