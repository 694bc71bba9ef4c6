"""The role-definition document: for each role, what it owns, does, is consulted and informed on.

Seb Agudelo, "What is Product Marketing and Why It Matters?": "writing up a doc in Confluence
defining Product Marketing … and then taking that message to internal teams". Activities are
grouped by the chosen framework's categories (through a crosswalk where the team mapped them
elsewhere); each role lists the open findings that concern it. A staffing section closes it:
the people each role needs for the hours listed, against the people holding it.
"""

from dataclasses import dataclass, field

from responsibilities.analysis import Analysis, Finding, WorkspaceIn, analyze
from responsibilities.formats import staffing as staffing_formats
from responsibilities.formats.export import markdown_text
from responsibilities.selectors import framework_input, staffing_report_for, workspace_input

LETTER_SECTIONS = (
    ("A", "Accountable for", {"A", "A/R"}),
    ("R", "Responsible for", {"R", "A/R"}),
    ("C", "Consulted on", {"C"}),
    ("I", "Informed of", {"I"}),
)


@dataclass
class Section:
    letter: str
    title: str
    groups: list[tuple[str, list[str]]] = field(default_factory=list)  # (category name, activity names)

    @property
    def count(self) -> int:
        """Distinct activities: one may fall under two categories."""
        return len({name for _, names in self.groups for name in names})


@dataclass
class RoleDefinition:
    name: str
    archetype: str
    people: list[str]
    sections: list[Section]
    findings: list[Finding]

    @property
    def involved(self) -> bool:
        return any(section.count for section in self.sections)


@dataclass
class RoleDocument:
    workspace: str
    framework_title: str
    framework_source: str
    roles: list[RoleDefinition]
    coverage_percent: int
    owned_percent: int
    staffing: staffing_formats.Figures


def role_definitions(workspace, framework) -> RoleDocument:
    workspace_in = workspace_input(workspace)
    analysis = analyze(workspace_in, framework_input(framework))
    found = staffing_report_for(workspace, framework, workspace_in)
    return build_document(workspace.name, workspace_in, analysis, staffing_formats.figures(found.staffing, found.archetype_names))


def build_document(name: str, workspace_in: WorkspaceIn, analysis: Analysis, staffing: staffing_formats.Figures) -> RoleDocument:
    category_of = _activity_categories(analysis)
    order = [state.element.name for state in analysis.elements.values() if state.element.parent is None]
    unmapped = f"Not mapped to {analysis.framework.title}"
    roles = []
    for role in workspace_in.roles:
        sections = []
        for letter, title, letters in LETTER_SECTIONS:
            grouped: dict[str, list[str]] = {}
            for activity in workspace_in.activities:
                held = dict(activity.raci).get(role.key, "")
                if held in letters:
                    for category in category_of.get(activity.key) or [unmapped]:
                        grouped.setdefault(category, []).append(activity.name)
            sections.append(
                Section(
                    letter=letter, title=title,
                    groups=sorted(grouped.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)),
                )
            )
        accountable_on = {
            activity.key for activity in workspace_in.activities
            if dict(activity.raci).get(role.key) in ("A", "A/R")
        }
        findings = [
            finding for finding in analysis.findings
            if role.name in finding.roles or (finding.activity in accountable_on and finding.kind != "unmapped_activity")
        ]
        roles.append(
            RoleDefinition(
                name=role.name,
                archetype=role.archetype,
                people=[person.name for person in workspace_in.people if role.key in person.roles],
                sections=sections,
                findings=findings,
            )
        )
    return RoleDocument(
        workspace=name,
        framework_title=analysis.framework.title,
        framework_source=analysis.framework.source,
        roles=roles,
        coverage_percent=analysis.coverage.percent,
        owned_percent=analysis.coverage.owned_percent,
        staffing=staffing,
    )


def _activity_categories(analysis: Analysis) -> dict[str, list[str]]:
    """Activity key -> names of the categories it falls under in the framework in view."""
    names = {ref: state.element.name for ref, state in analysis.elements.items() if state.element.parent is None}
    result: dict[str, list[str]] = {}
    for ref, state in analysis.elements.items():
        top = state.element.parent or ref
        if top not in names:
            continue
        for key in state.activities:
            categories = result.setdefault(key, [])
            if names[top] not in categories:
                categories.append(names[top])
    return result


def role_document_markdown(document: RoleDocument) -> str:
    lines = [
        f"# Roles in {markdown_text(document.workspace)}",
        "",
        f"Grouped by {markdown_text(document.framework_title)} ({markdown_text(document.framework_source)}). "
        f"Coverage {document.coverage_percent}%, owned {document.owned_percent}%.",
        "",
    ]
    for role in document.roles:
        lines += [f"## {markdown_text(role.name)} ({role.archetype})", ""]
        if role.people:
            lines += [f"Held by {markdown_text(', '.join(role.people))}.", ""]
        for section in role.sections:
            if not section.count:
                continue
            lines += [f"### {section.title} ({section.count})", ""]
            for category, names in section.groups:
                lines.append(f"- **{markdown_text(category)}**: {markdown_text(', '.join(names))}")
            lines.append("")
        if role.findings:
            lines += ["### Open findings", ""]
            lines += [f"- [{finding.severity}] {markdown_text(finding.message)}" for finding in role.findings]
            lines.append("")
    lines += staffing_formats.markdown_section(document.staffing)
    return "\n".join(lines).rstrip() + "\n"

