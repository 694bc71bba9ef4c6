"""A comparison of two states of a workspace (responsibilities.comparison.Comparison) as JSON,
Markdown, CSV and plain text: plain data, no Django.

Every form takes the comparison and three display strings: the workspace's name and the labels
of the two states (`after` is "now" for the workspace as it is).

- JSON: the `compare --format json` shape of issue 15, key by key; findings in `analyze
  --format json`'s form; coverage as whole percents; letters as the matrix writes them and
  "" for not involved.
- Markdown: for people; all text goes through the export's one escaper, so no name turns into
  markup, a link or HTML.
- CSV: one table, one row per fact, every cell neutralised (export.neutralise). Columns:
  section, activity, role, person, element, from, to, kind, severity, message; `section` says
  what the row is:
    coverage           the framework overall: element = its slug, from/to = covered percents,
                       message = which comparison this is
    category           one category: element = its reference, from/to = covered percents
                       ("" when the framework did not have it then), message = its name
    resolved, new      a finding: activity, role (its roles, "; "-joined), person, element,
                       kind, severity, message as the dashboard writes them
    change             a cell: activity, role, from/to letters ("" = not involved)
    activity added, activity removed, role added, role removed: the name in activity or role
- Text: what the `compare` command prints.
"""

import csv
import io

from responsibilities.analysis import LABELS
from responsibilities.comparison import Comparison, public_finding
from responsibilities.formats.export import markdown_row, markdown_text, neutralise

CSV_COLUMNS = ("section", "activity", "role", "person", "element", "from", "to", "kind", "severity", "message")
NOT_INVOLVED = "not involved"  # how the text and Markdown forms write a blank cell


def to_json(result: Comparison, *, workspace: str, before: str, after: str) -> dict:
    return {
        "workspace": workspace,
        "framework": result.framework,
        "from": before,
        "to": after,
        "coverage": {"from": result.coverage_before.percent, "to": result.coverage_after.percent},
        "findings": {
            "resolved": [public_finding(finding) for finding in result.resolved],
            "new": [public_finding(finding) for finding in result.new],
        },
        "changes": [
            {"activity": change.activity, "role": change.role, "from": change.before, "to": change.after}
            for change in result.changes
        ],
        "activities": {"added": list(result.activities_added), "removed": list(result.activities_removed)},
        "roles": {"added": list(result.roles_added), "removed": list(result.roles_removed)},
    }


def to_markdown(result: Comparison, *, workspace: str, before: str, after: str) -> str:
    lines = [
        f"# {markdown_text(workspace)}: {markdown_text(before)} → {markdown_text(after)}",
        "",
        f"Compared through {markdown_text(result.framework_title)} ({markdown_text(result.framework)}).",
        "",
    ]
    if result.unchanged:
        lines += ["No differences: the same letters, activities, roles, coverage and findings.", ""]
    lines += [
        "## Coverage",
        "",
        markdown_row(["", before, after, "Change"]),
        "|---|---:|---:|---:|",
        markdown_row(["Overall", _percent(result.coverage_before), _percent(result.coverage_after), _signed(result.delta)]),
        *(
            markdown_row([category.name, _percent(category.before), _percent(category.after), _signed(category.delta)])
            for category in result.categories
        ),
        "",
    ]
    lines += _markdown_findings("Findings resolved", result.resolved)
    lines += _markdown_findings("New findings", result.new)
    lines += [f"## Cell changes ({len(result.changes)})", ""]
    if result.changes:
        lines += [markdown_row(["Activity", "Role", "From", "To"]), "|---|---|---|---|"]
        lines += [
            markdown_row([change.activity, change.role, change.before or NOT_INVOLVED, change.after or NOT_INVOLVED])
            for change in result.changes
        ]
    else:
        lines.append("None.")
    lines.append("")
    for title, added, removed in (
        ("Activities", result.activities_added, result.activities_removed),
        ("Roles", result.roles_added, result.roles_removed),
    ):
        lines += [f"## {title} added and removed", ""]
        # Each name after the item's first word: a name starting with `#` or `1.` stays text.
        items = [f"- Added: {markdown_text(name)}" for name in added] + [f"- Removed: {markdown_text(name)}" for name in removed]
        lines += [*(items or ["None."]), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def to_csv(result: Comparison, *, workspace: str, before: str, after: str) -> str:
    rows = [
        _csv_row(
            "coverage", element=result.framework, before=str(result.coverage_before.percent),
            after=str(result.coverage_after.percent),
            message=f"{workspace}: {before} to {after}, through {result.framework_title}",
        ),
        *(
            _csv_row(
                "category", element=category.element, message=category.name,
                before=str(category.before.percent) if category.before else "",
                after=str(category.after.percent) if category.after else "",
            )
            for category in result.categories
        ),
        *(_csv_finding("resolved", finding) for finding in result.resolved),
        *(_csv_finding("new", finding) for finding in result.new),
        *(_csv_row("change", activity=c.activity, role=c.role, before=c.before, after=c.after) for c in result.changes),
        *(_csv_row("activity added", activity=name) for name in result.activities_added),
        *(_csv_row("activity removed", activity=name) for name in result.activities_removed),
        *(_csv_row("role added", role=name) for name in result.roles_added),
        *(_csv_row("role removed", role=name) for name in result.roles_removed),
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def to_text(result: Comparison, *, workspace: str, before: str, after: str) -> str:
    lines = [
        f"{workspace}: {before} → {after}, through {result.framework_title} ({result.framework})",
        f"coverage: {_percent(result.coverage_before)} → {_percent(result.coverage_after)} ({_signed(result.delta)})",
        *(
            f"  {category.name}: {_percent(category.before)} → {_percent(category.after)} ({_signed(category.delta)})"
            for category in result.categories
        ),
    ]
    if result.unchanged:
        lines.append("no differences")
    for title, findings in (("findings resolved", result.resolved), ("new findings", result.new)):
        if findings:
            lines.append(f"{title} ({len(findings)}):")
            lines += [f"  [{f['severity']}] {f['kind']}: {f['message']}" for f in findings]
    if result.changes:
        lines.append(f"cell changes ({len(result.changes)}):")
        lines += [
            f"  {c.activity} / {c.role}: {c.before or NOT_INVOLVED} → {c.after or NOT_INVOLVED}" for c in result.changes
        ]
    for title, names in (
        ("activities added", result.activities_added),
        ("activities removed", result.activities_removed),
        ("roles added", result.roles_added),
        ("roles removed", result.roles_removed),
    ):
        if names:
            lines.append(f"{title} ({len(names)}): " + ", ".join(names))
    return "\n".join(lines) + "\n"


def _percent(coverage) -> str:
    """`40% (4/10)`, or `—` for a category the framework did not have in that state."""
    return f"{coverage.percent}% ({coverage.covered}/{coverage.elements})" if coverage else "—"


def _signed(points: int | None) -> str:
    if points is None:
        return "not in the framework then"
    return f"{points:+d} pts" if points else "±0"


def _markdown_findings(title: str, findings: tuple[dict, ...]) -> list[str]:
    lines = [f"## {title} ({len(findings)})", ""]
    if findings:
        lines += [markdown_row(["Kind", "Severity", "Finding"]), "|---|---|---|"]
        lines += [markdown_row([LABELS[f["kind"]], f["severity"], f["message"]]) for f in findings]
    else:
        lines.append("None.")
    return [*lines, ""]


def _csv_finding(section: str, finding: dict) -> list[str]:
    return _csv_row(
        section, activity=finding.get("activity") or "", role="; ".join(finding.get("roles") or ()),
        person=finding.get("person") or "", element=finding.get("element") or "",
        kind=finding["kind"], severity=finding["severity"], message=finding["message"],
    )


def _csv_row(section: str, *, activity="", role="", person="", element="", before="", after="", kind="", severity="", message="") -> list[str]:
    return [section, activity, role, person, element, before, after, kind, severity, message]
