"""Staffing (responsibilities.staffing.Staffing) for people and programs: the page's rows, JSON,
Markdown, CSV and plain text. Plain data, no Django.

The rules leave every figure unrounded; here they are rounded once, for presentation: FTE
figures (needed, people, gap) and hours to two decimals. `archetype_names` maps an archetype's
slug to the name people read ("Product marketing"); JSON keeps the slug, as documents do.

- JSON: the `staffing --format json` shape of issue 16, key by key.
- Markdown: all text through the export's one escaper (export.markdown_text / markdown_row).
- CSV: one table, one row per fact. Columns: section, name, element, archetype, hours,
  fte_needed, people, gap, importance, performance, priority; `section` says what the row is:
    role, archetype    needed against present (name = the role's or the archetype's name)
    unassigned         hours of work nobody holds R or A on (name empty: the total)
    unassigned activity  one such activity (its name and hours)
    priority           an assessed element (element = "slug:code", name = its name)
  Text cells go through export.neutralise; numbers stay numbers, so a negative gap sums in a
  spreadsheet instead of reading as text.
"""

import csv
import io
from dataclasses import dataclass

from responsibilities.formats import figure
from responsibilities.formats.export import markdown_row, markdown_text, neutralise
from responsibilities.staffing import Need, Staffing

# Below this a gap is rounding noise: a role is "staffed as listed".
CLOSE_ENOUGH = 0.005
CSV_COLUMNS = (
    "section", "name", "element", "archetype", "hours", "fte_needed", "people", "gap",
    "importance", "performance", "priority",
)


def people_count(value: float) -> str:
    return f"{figure(value)} {'person' if figure(value) == '1' else 'people'}"


def verdict(need: Need) -> str:
    """The gap in plain words."""
    if need.gap > CLOSE_ENOUGH:
        return f"short by {people_count(need.gap)}"
    if need.gap < -CLOSE_ENOUGH:
        if not need.hours:
            # Sales, leadership and others mostly work outside this matrix: not "overstaffed".
            return "no hours of the listed work fall to this role"
        return f"over by {people_count(-need.gap)} for the work listed"
    return "staffed as listed"


@dataclass(frozen=True)
class Row:
    """One line of needed against present, ready to show: `needed_width` and `people_width` are
    the bars' lengths as percents of the widest figure among the rows drawn together."""

    name: str
    archetype: str  # the archetype's name
    hours: str
    needed: str
    people: str
    gap: str
    verdict: str
    short: bool
    needed_width: float
    people_width: float


def rows(needs: tuple[Need, ...], archetype_names: dict[str, str], *, by_archetype: bool = False) -> list[Row]:
    """Rows for roles, or with `by_archetype` for archetypes (whose name is their slug)."""
    widest = max((max(need.fte_needed, need.people) for need in needs), default=0) or 1
    return [
        Row(
            name=archetype_names.get(need.name, need.name) if by_archetype else need.name,
            archetype=archetype_names.get(need.archetype, need.archetype),
            hours=figure(need.hours),
            needed=figure(need.fte_needed),
            people=figure(need.people),
            gap=figure(need.gap),
            verdict=verdict(need),
            short=need.gap > CLOSE_ENOUGH,
            needed_width=round(100 * need.fte_needed / widest, 1),
            people_width=round(100 * need.people / widest, 1),
        )
        for need in needs
    ]


def sized(result: Staffing) -> bool:
    """Whether any activity has hours: without them there is nothing to staff."""
    return bool(result.unassigned_hours or any(need.hours for need in result.roles))


def _rounded(value: float) -> float:
    """FTE figures and hours in JSON: numbers, to two decimals (never -0.0)."""
    return round(value, 2) + 0.0


def _gap(need: Need) -> float:
    """The gap as the two figures written beside it subtract (0.67 − 0.33 is 0.34)."""
    return _rounded(_rounded(need.fte_needed) - _rounded(need.people))


def to_json(result: Staffing, *, workspace: str) -> dict:
    return {
        "workspace": workspace,
        "fte_hours": _rounded(result.fte_hours),
        "roles": [
            {
                "role": need.name, "archetype": need.archetype, "hours": _rounded(need.hours),
                "fte_needed": _rounded(need.fte_needed), "people": _rounded(need.people), "gap": _gap(need),
            }
            for need in result.roles
        ],
        "archetypes": [
            {
                "archetype": need.archetype, "hours": _rounded(need.hours),
                "fte_needed": _rounded(need.fte_needed), "people": _rounded(need.people), "gap": _gap(need),
            }
            for need in result.archetypes
        ],
        "unassigned_hours": _rounded(result.unassigned_hours),
        "priorities": [
            {
                "element": priority.element, "element_name": priority.element_name,
                "importance": priority.importance, "performance": priority.performance,
                "hours": _rounded(priority.hours), "priority": priority.priority,
            }
            for priority in result.priorities
        ],
    }


def to_text(result: Staffing, *, workspace: str, framework: str, archetype_names: dict[str, str]) -> list[str]:
    """What the `staffing` command prints, line by line."""
    lines = [f"{workspace}: staffing at {figure(result.fte_hours)} hours per person per month"]
    if not sized(result):
        lines.append("No activity has hours yet: nothing to staff.")
    for title, needs, by_archetype in (("roles", result.roles, False), ("archetypes", result.archetypes, True)):
        lines.append(f"{title}:")
        for row in rows(needs, archetype_names, by_archetype=by_archetype):
            lines.append(f"  {row.name}: {row.hours} h/month, needs {row.needed}, has {row.people}, {row.verdict}")
    lines.append(f"unassigned: {figure(result.unassigned_hours)} h/month")
    lines += [f"  {name}" for name in result.unassigned_activities]
    if result.priorities:
        lines.append(f"priorities ({framework}):")
        for priority in result.priorities:
            lines.append(
                f"  {priority.priority:>3}  {priority.element_name} ({priority.element}): importance {priority.importance}, "
                f"performance {priority.performance}, {figure(priority.hours)} h/month now"
            )
    else:
        lines.append(f"priorities ({framework}): nothing assessed")
    return lines


def _markdown_table(first: str, found: list[Row]) -> list[str]:
    return [
        markdown_row([first, "Hours/month", "Needed", "People", "Gap", "Verdict"]),
        "|---|---:|---:|---:|---:|---|",
        *(markdown_row([row.name, row.hours, row.needed, row.people, row.gap, row.verdict]) for row in found),
        "",
    ]


def to_markdown(
    result: Staffing, *, workspace: str, framework_title: str, archetype_names: dict[str, str],
    hours_of: dict[str, float] | None = None,
) -> str:
    """`hours_of` gives each unassigned activity's hours, by name, when known."""
    hours_of = hours_of or {}
    lines = [
        f"# Staffing of {markdown_text(workspace)}",
        "",
        f"One person gives {figure(result.fte_hours)} hours a month. A role needs its hours ÷ "
        f"{figure(result.fte_hours)} people; gap = needed − people (above 0: short).",
        "",
    ]
    if not sized(result):
        lines += ["No activity has hours yet: nothing to staff.", ""]
    lines += ["## By role", "", *_markdown_table("Role", rows(result.roles, archetype_names))]
    lines += ["## By archetype", "", *_markdown_table("Archetype", rows(result.archetypes, archetype_names, by_archetype=True))]
    lines += [f"## Unassigned: {figure(result.unassigned_hours)} hours a month", ""]
    if result.unassigned_activities:
        lines += ["Activities with hours but nobody holding R or A:", ""]
        lines += [
            f"- {markdown_text(name)}" + (f" ({figure(hours_of[name])} h/month)" if name in hours_of else "")
            for name in result.unassigned_activities
        ]
    else:
        lines.append("None: every activity with hours has someone holding R or A.")
    lines += ["", f"## Priorities ({markdown_text(framework_title)})", ""]
    if result.priorities:
        lines += [
            "Priority = (importance − performance) × importance, highest first.",
            "",
            markdown_row(["Element", "Importance", "Performance", "Priority", "Hours/month now"]),
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            markdown_row([p.element_name, str(p.importance), str(p.performance), str(p.priority), figure(p.hours)])
            for p in result.priorities
        ]
    else:
        lines.append("Nothing assessed yet.")
    return "\n".join(lines).rstrip("\n") + "\n"


def _csv_row(section: str, *, name: str = "", element: str = "", archetype: str = "", numbers: dict | None = None) -> list:
    cells = dict.fromkeys(CSV_COLUMNS, "")
    cells.update(section=section, name=neutralise(name), element=neutralise(element), archetype=neutralise(archetype))
    cells.update(numbers or {})
    return list(cells.values())


def _need_numbers(need: Need) -> dict:
    return {
        "hours": figure(need.hours), "fte_needed": figure(need.fte_needed),
        "people": figure(need.people), "gap": figure(need.gap),
    }


def to_csv(result: Staffing, *, archetype_names: dict[str, str], hours_of: dict[str, float] | None = None) -> str:
    """`hours_of` gives each unassigned activity's hours, by name, when known. The archetype
    column holds the slug, as documents write it; an archetype row's name is the one people read."""
    hours_of = hours_of or {}
    table = [list(CSV_COLUMNS)]
    table += [
        _csv_row("role", name=need.name, archetype=need.archetype, numbers=_need_numbers(need))
        for need in result.roles
    ]
    table += [
        _csv_row(
            "archetype", name=archetype_names.get(need.archetype, need.archetype), archetype=need.archetype,
            numbers=_need_numbers(need),
        )
        for need in result.archetypes
    ]
    table.append(_csv_row("unassigned", numbers={"hours": figure(result.unassigned_hours)}))
    table += [
        _csv_row("unassigned activity", name=name, numbers={"hours": figure(hours_of[name]) if name in hours_of else ""})
        for name in result.unassigned_activities
    ]
    table += [
        _csv_row(
            "priority", name=p.element_name, element=p.element,
            numbers={"hours": figure(p.hours), "importance": p.importance, "performance": p.performance, "priority": p.priority},
        )
        for p in result.priorities
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    return buffer.getvalue()


@dataclass(frozen=True)
class PriorityRow:
    element: str
    element_name: str
    importance: int
    performance: int
    priority: int
    hours: str


def priority_rows(result: Staffing) -> list[PriorityRow]:
    return [
        PriorityRow(p.element, p.element_name, p.importance, p.performance, p.priority, figure(p.hours))
        for p in result.priorities
    ]


@dataclass(frozen=True)
class Figures:
    """Staffing rounded and worded for a page: the staffing page and the role-definition
    document's section."""

    fte_hours: str
    sized: bool
    roles: list[Row]
    archetypes: list[Row]
    unassigned_hours: str
    unassigned: list[tuple[object, str]]  # (an unassigned activity as given, its hours)
    priorities: list[PriorityRow]


def figures(result: Staffing, archetype_names: dict[str, str], unassigned=()) -> Figures:
    """`unassigned`: the unassigned activities, each with an `hours` (selectors.UnassignedActivity)."""
    return Figures(
        fte_hours=figure(result.fte_hours),
        sized=sized(result),
        roles=rows(result.roles, archetype_names),
        archetypes=rows(result.archetypes, archetype_names, by_archetype=True),
        unassigned_hours=figure(result.unassigned_hours),
        unassigned=[(activity, figure(activity.hours)) for activity in unassigned],
        priorities=priority_rows(result),
    )


def markdown_section(found: Figures) -> list[str]:
    """The role-definition document's staffing section."""
    lines = ["## Staffing", ""]
    if not found.sized:
        return [*lines, "No activity has hours yet: add hours per month to see the people each role needs.", ""]
    lines += [
        f"From the hours per month of each activity, at {found.fte_hours} hours per person; "
        f"{found.unassigned_hours} hours a month have nobody holding R or A.",
        "",
    ]
    return [*lines, *_markdown_table("Role", found.roles)]
