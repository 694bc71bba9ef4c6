"""Reads of a workspace, each in a fixed number of queries whatever its size."""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Prefetch, Q, Value
from django.db.models.functions import Concat, Lower

from frameworks.models import Archetype, Crosswalk, Element, Framework, Guidance
from frameworks.selectors import framework_by_slug_or_alias
from responsibilities.analysis import (
    ACCOUNTABLE,
    ActivityIn,
    Analysis,
    Coverage,
    CrosswalkIn,
    ElementIn,
    ElementState,
    Finding,
    FrameworkIn,
    PersonIn,
    RoleIn,
    WorkspaceIn,
    activity_findings,
    analyze,
    covering_links,
    severity_counts,
)
from responsibilities.formats import (
    DOCUMENT_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SPREADSHEET_SUFFIXES,
    ActivityData,
    AssessmentData,
    ElementIndex,
    FormatError,
    LibraryElement,
    PersonData,
    RoleData,
    WorkspaceData,
    export,
)
from responsibilities.formats.document import parse_document, read_document
from responsibilities.formats.markdown import parse_markdown
from responsibilities.formats.spreadsheet import parse_spreadsheet
from responsibilities.matching import PROBABLY_RIGHT, Matcher, Target, words
from responsibilities import comparison, staffing
from responsibilities.models import Activity, Assessment, Assignment, Change, Membership, Person, Role, Snapshot, Workspace


def workspaces_for_user(user):
    return (
        Membership.objects.filter(user=user)
        .select_related("workspace__primary_framework")
        .annotate(
            activity_count=Count("workspace__activities", distinct=True),
            role_count=Count("workspace__roles", distinct=True),
        )
        .order_by("workspace__name")
    )


@dataclass
class MatrixRow:
    activity: Activity
    cells: list[tuple[Role, str]]  # (role, letters) in column order
    elements: list[Element]
    findings: list[Finding] = field(default_factory=list)
    # Elements of the lens this row covers only through a crosswalk (the same work elsewhere).
    via_crosswalk: list[Element] = field(default_factory=list)


@dataclass
class MatrixGroup:
    title: str
    element: Element | None
    rows: list[MatrixRow] = field(default_factory=list)


@dataclass
class Matrix:
    roles: list[Role]
    rows: list[MatrixRow]
    groups: list[MatrixGroup]
    lens: Framework | None

    @property
    def findings(self) -> list[Finding]:
        return [finding for row in self.rows for finding in row.findings]

    @property
    def severity_counts(self) -> dict[str, int]:
        return severity_counts(self.findings)


def matrix_for(workspace: Workspace, lens: Framework | None = None) -> Matrix:
    """Activities x roles with letters, grouped by the lens framework's categories.

    Queries: roles, activities, mapped elements, mappings, assignments (+2 for the lens's
    elements and crosswalks).
    """
    roles = list(workspace.roles.select_related("archetype"))
    activities = list(workspace.activities.all())
    # Mapped elements are few and shared between rows: load each once, then the pairs.
    elements = {
        element.pk: element
        for element in Element.objects.filter(activities__workspace=workspace)
        .select_related("framework", "parent")
        .distinct()
    }
    mapped: dict[int, list[Element]] = {}
    for activity_id, element_id in Activity.elements.through.objects.filter(
        activity__workspace=workspace
    ).order_by("id").values_list("activity_id", "element_id"):
        if element_id in elements:  # a mapping added between the two queries shows next time
            mapped.setdefault(activity_id, []).append(elements[element_id])
    letters = {
        (activity_id, role_id): held
        for activity_id, role_id, held in Assignment.objects.filter(activity__workspace=workspace).values_list(
            "activity_id", "role_id", "letters"
        )
    }
    rows = [
        MatrixRow(
            activity=activity,
            cells=[(role, letters.get((activity.pk, role.pk), "")) for role in roles],
            elements=mapped.get(activity.pk, []),
        )
        for activity in activities
    ]
    roles_in = role_inputs(roles)
    for row in rows:
        row.findings = activity_findings(_activity_in(row), roles_in)
    return Matrix(roles=roles, rows=rows, groups=_group_rows(rows, lens), lens=lens)


def _activity_in(row: MatrixRow) -> ActivityIn:
    return ActivityIn(
        key=str(row.activity.public_id),
        name=row.activity.name,
        elements=tuple(f"{e.framework.slug}:{e.code}" for e in row.elements),
        raci=tuple((str(role.pk), held) for role, held in row.cells if held),
    )


def matrix_row(
    workspace: Workspace, activity: Activity, roles: list[Role] | None = None, letters: dict[int, str] | None = None
) -> MatrixRow:
    """One row of the matrix (after a cell edit), in a fixed number of queries.

    `roles` and `letters` (role pk -> letters) save their queries when the caller has them.
    """
    if roles is None:
        roles = list(workspace.roles.select_related("archetype"))
    if letters is None:
        letters = dict(activity.assignments.values_list("role_id", "letters"))
    row = MatrixRow(
        activity=activity,
        cells=[(role, letters.get(role.pk, "")) for role in roles],
        elements=list(activity.elements.select_related("framework")),
    )
    roles_in = role_inputs(roles)
    row.findings = activity_findings(_activity_in(row), roles_in)
    return row


def _group_rows(rows: list[MatrixRow], lens: Framework | None) -> list[MatrixGroup]:
    """Rows under the lens's categories, by the same rule as coverage (analysis.covering_links):
    a row mapped to the lens directly goes under that element's category; one that reaches it
    only through a crosswalk saying it is the same work goes there too, marked via crosswalk."""
    if lens is None:
        return [MatrixGroup(title="All activities", element=None, rows=rows)]
    lens_elements = list(lens.elements.order_by("position"))
    by_ref = {f"{lens.slug}:{element.code}": element for element in lens_elements}
    links = covering_links(
        FrameworkIn(
            slug=lens.slug, title=lens.title, source="",
            elements=tuple(ElementIn(ref=ref, name=element.name) for ref, element in by_ref.items()),
            crosswalks=tuple(_crosswalks_touching([lens.pk])[lens.pk]),
        )
    )
    groups = {
        element.pk: MatrixGroup(title=element.name, element=element)
        for element in lens_elements if element.parent_id is None
    }
    unmapped = MatrixGroup(title=f"Not mapped to {lens.title}", element=None)
    for row in rows:
        direct = [element for element in row.elements if element.framework_id == lens.pk]
        row.via_crosswalk = [] if direct else [
            by_ref[ref] for element in row.elements for ref in links.get(f"{element.framework.slug}:{element.code}", ())
        ]
        first = (direct or row.via_crosswalk or [None])[0]
        target = groups.get(first.parent_id or first.pk) if first is not None else None
        (target or unmapped).rows.append(row)
    result = [group for group in groups.values() if group.rows]
    if unmapped.rows:
        result.append(unmapped)
    return result


def activity_history(activity: Activity, limit: int = 50):
    """The activity's changes, found by its public id so they survive its deletion and restore."""
    return list(
        Change.objects.filter(workspace_id=activity.workspace_id, activity_public_id=activity.public_id)
        .select_related("by")[:limit]
    )


def workspace_history(workspace: Workspace, *, kind: str = "", who: str = "", q: str = "", activity=None):
    """The workspace's changes, newest first, filtered (a lazy queryset for a paginator)."""
    changes = Change.objects.filter(workspace=workspace).select_related("by")
    if kind:
        changes = changes.filter(kind=kind)
    if who:
        changes = changes.filter(by__username__iexact=who)
    if q:
        changes = changes.filter(
            Q(subject__icontains=q) | Q(activity_name__icontains=q) | Q(before__icontains=q) | Q(after__icontains=q)
        )
    if activity:
        changes = changes.filter(activity_public_id=activity)
    return changes


@dataclass(frozen=True)
class MappingBatch:
    """Suggestions accepted together, and how many of their mappings are still in place."""

    id: uuid.UUID
    added: int
    present: int  # what undoing the batch would remove now


def mapping_batch(workspace: Workspace, batch: uuid.UUID) -> MappingBatch | None:
    """The batch's mappings as history recorded them, checked against the mappings now (2 queries).

    History names a mapped element by `str(element)`, so the check compares the same text.
    """
    added = set(
        Change.objects.filter(
            activity__workspace=workspace, batch=batch, kind=Change.Kind.MAPPING, after="mapped"
        ).values_list("activity_id", "subject")
    )
    if not added:
        return None
    now = {
        (mapping.activity_id, str(mapping.element))
        for mapping in Activity.elements.through.objects.filter(
            activity_id__in={activity_id for activity_id, _ in added}
        ).select_related("element__framework")
    }
    return MappingBatch(id=batch, added=len(added), present=len(added & now))


def people_for(workspace: Workspace):
    return list(workspace.people.prefetch_related(Prefetch("roles", queryset=Role.objects.order_by("position"))))


def element_index() -> ElementIndex:
    """The whole library as an ElementIndex for the import parsers (2 queries)."""
    elements = [
        LibraryElement(framework=slug, code=code, name=name, parent=parent or "")
        for slug, code, name, parent in Element.objects.values_list("framework__slug", "code", "name", "parent__name")
    ]
    aliases = {alias: f.slug for f in Framework.objects.all() for alias in f.aliases}
    return ElementIndex(elements=elements, aliases=aliases)


def workspace_data(workspace: Workspace) -> WorkspaceData:
    """The workspace as plain data, for export (a fixed number of queries)."""
    matrix = matrix_for(workspace)
    assessment = workspace.assessments.order_by("element__framework__position", "element__framework__title", "element__position")
    return WorkspaceData(
        name=workspace.name,
        size=workspace.size,
        market=workspace.market,
        framework=workspace.primary_framework.slug if workspace.primary_framework else "read",
        roles=tuple(RoleData(name=role.name, archetype=role.archetype.slug) for role in matrix.roles),
        people=tuple(
            PersonData(name=person.name, roles=tuple(role.name for role in person.roles.all()))
            for person in people_for(workspace)
        ),
        activities=tuple(
            ActivityData(
                name=row.activity.name,
                description=row.activity.description,
                elements=tuple(f"{e.framework.slug}:{e.code}" for e in row.elements),
                raci=tuple((role.name, held) for role, held in row.cells if held),
                group=row.activity.group,
                hours=None if row.activity.hours is None else float(row.activity.hours),
            )
            for row in matrix.rows
        ),
        fte_hours=float(workspace.fte_hours),
        assessment=tuple(
            AssessmentData(element=f"{slug}:{code}", importance=importance, performance=performance)
            for slug, code, importance, performance in assessment.values_list(
                "element__framework__slug", "element__code", "importance", "performance"
            )
        ),
    )


def read_workspace_file(data: bytes, filename: str) -> tuple[WorkspaceData | None, list[FormatError]]:
    """Parse an uploaded workspace document, RACI spreadsheet or Markdown table against the
    library (3 queries). The format follows the file's suffix; nothing is written.
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in DOCUMENT_SUFFIXES:
        archetypes = set(Archetype.objects.values_list("slug", flat=True))
        return parse_document(data, filename, element_index(), archetypes)
    if suffix in SPREADSHEET_SUFFIXES:
        return parse_spreadsheet(data, filename, element_index())
    if suffix in MARKDOWN_SUFFIXES:
        return parse_markdown(data, element_index())
    return None, [FormatError("", "Use a .csv, .xlsx, .md, .markdown, .yaml, .yml or .json file.")]


def read_workspace_document(document) -> tuple[WorkspaceData | None, list[FormatError]]:
    """Validate a workspace document already loaded (a kept import preview) against the
    library as it is now (3 queries)."""
    archetypes = set(Archetype.objects.values_list("slug", flat=True))
    return read_document(document, element_index(), archetypes)


def read_pasted_table(text: str) -> tuple[WorkspaceData | None, list[FormatError]]:
    """A table pasted into the import page: Markdown when it has a pipe, unless it is the
    tab-separated cells a spreadsheet copies (read as CSV, which finds the separator)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    markdown = "|" in text and "\t" not in first_line
    return read_workspace_file(text.encode(), "pasted.md" if markdown else "pasted.csv")


# The words of names and descriptions an import's suggestions read, at most: a real sheet of a
# few hundred activities has a third of that. Each new word costs the matcher a stem and a
# fuzzy search, so a document of thousands of activities in made-up words would otherwise keep
# a preview busy for half a minute; past the budget the rest are left for the mapping page.
IMPORT_SUGGESTION_WORDS = 15_000


def import_mapping_choices(data: WorkspaceData) -> dict[str, Element]:
    """Activity name -> its top suggestion in the data's primary framework, for the activities
    of an import not mapped in that framework yet, when the suggestion is probably right
    (score >= PROBABLY_RIGHT), as far as IMPORT_SUGGESTION_WORDS go. What the import preview
    counts and its confirm maps (2 queries).
    """
    framework = Framework.objects.filter(slug=data.framework).first()
    if framework is None:
        return {}
    matcher, by_ref = element_matcher(framework)
    choices = {}
    budget = IMPORT_SUGGESTION_WORDS
    for activity in data.activities:
        if any(reference.startswith(f"{framework.slug}:") for reference in activity.elements):
            continue
        budget -= len(words(activity.name)) + len(words(activity.description))
        if budget < 0:
            break
        ranked = matcher.rank(activity.name, description=activity.description, limit=1, min_score=PROBABLY_RIGHT)
        if ranked:
            choices[activity.name] = by_ref[ranked[0].ref]
    return choices


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    suffix: str


EXPORT_FORMATS = {
    "yaml": ("application/yaml; charset=utf-8", "yaml"),
    "json": ("application/json; charset=utf-8", "json"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "md": ("text/markdown; charset=utf-8", "md"),
}


def workspace_export(workspace: Workspace, fmt: str) -> ExportFile:
    data = workspace_data(workspace)
    writers = {
        "yaml": export.to_yaml,
        "json": export.to_json,
        "csv": export.to_csv,
        "xlsx": export.to_xlsx,
        "md": export.to_markdown,
    }
    content = writers[fmt](data)
    content_type, suffix = EXPORT_FORMATS[fmt]
    return ExportFile(content if isinstance(content, bytes) else content.encode(), content_type, suffix)


@dataclass(frozen=True)
class ElementSearch:
    results: list[Element]
    # When the query is a reference (`slug:code` or `slug:Element name`) naming more than one
    # element, every candidate, so the picker can say which is which (already mapped ones too).
    ambiguous: list[Element] = field(default_factory=list)


def element_search(query: str, *, exclude=(), limit: int = 30) -> ElementSearch:
    """Library elements for the mapping picker (1 query; 2 for a reference).

    A query written as a reference (`pragmatic:Programs`) is read as imports read it
    (ElementIndex): exactly one candidate is shown alone; several (one by code, another by
    name) are all shown, each with its category, and nothing is chosen for the user. Any other
    query finds the elements whose name, code, framework or category matches every word.
    """
    slug, sep, rest = query.partition(":")
    framework = framework_by_slug_or_alias(slug.strip().lower()) if sep and slug.strip() else None
    if framework is not None:
        return _reference_search(framework, rest, exclude=exclude)
    return ElementSearch(results=_word_search(Element.objects.all(), query.split()[:6], exclude=exclude, limit=limit))


def _reference_search(framework: Framework, text: str, *, exclude) -> ElementSearch:
    elements = {
        element.code: element
        for element in Element.objects.filter(framework=framework).select_related("framework", "parent")
    }
    index = ElementIndex(
        elements=[
            LibraryElement(framework.slug, e.code, e.name, e.parent.name if e.parent else "") for e in elements.values()
        ]
    )
    text = " ".join(text.split())
    candidates = [elements[match.code] for match in index.candidates(framework.slug, text)] if text else []
    excluded = {getattr(item, "pk", item) for item in exclude}
    if candidates:
        return ElementSearch(
            results=[element for element in candidates if element.pk not in excluded],
            ambiguous=candidates if len(candidates) > 1 else [],
        )
    # Not a whole name or code: the words within that framework (all of it, in its order,
    # for `slug:` alone; a framework has tens of elements, so no limit is needed).
    words = text.split()[:6]
    listed = sorted(elements.values(), key=lambda e: e.position)
    matches = [
        e for e in listed
        if e.pk not in excluded
        and all(word.casefold() in f"{e.name} {e.code} {e.parent.name if e.parent else ''}".casefold() for word in words)
    ]
    return ElementSearch(results=matches)


def _word_search(elements, words: list[str], *, exclude, limit: int) -> list[Element]:
    if not words:
        return []
    elements = elements.select_related("framework", "parent").exclude(pk__in=exclude)
    for word in words:
        elements = elements.filter(
            Q(name__icontains=word) | Q(code__icontains=word) | Q(framework__slug__icontains=word)
            | Q(framework__title__icontains=word) | Q(framework__aliases__icontains=word)
            | Q(parent__name__icontains=word)
        )
    return list(elements.order_by("framework__position", "framework__title", "position")[:limit])


def activity_rows(workspace: Workspace, *, q: str = "", element=None, role=None, letters: str = ""):
    """The workspace's activities for the activity list, filtered (a lazy queryset).

    `role` and `letters` together mean "this role holds these letters"; either alone means
    "involved at all" / "anyone holds these letters".
    """
    activities = workspace.activities.prefetch_related(
        Prefetch("elements", queryset=Element.objects.select_related("framework")),
        Prefetch("assignments", queryset=Assignment.objects.select_related("role")),
    ).annotate(element_count=Count("elements", distinct=True))
    if q:
        activities = activities.filter(name__icontains=q)
    if element is not None:
        activities = activities.filter(elements=element)
    held = {}
    if role is not None:
        held["assignments__role"] = role
    if letters:
        held["assignments__letters"] = letters
    if held:
        activities = activities.filter(**held)
    return activities.distinct()


def activities_csv(workspace: Workspace, activities) -> str:
    """The listed activities as a RACI spreadsheet (re-importable)."""
    roles = list(workspace.roles.select_related("archetype"))
    rows = []
    for activity in activities:
        held = {assignment.role_id: assignment.letters for assignment in activity.assignments.all()}
        rows.append(
            ActivityData(
                name=activity.name,
                description=activity.description,
                elements=tuple(f"{e.framework.slug}:{e.code}" for e in activity.elements.all()),
                raci=tuple((role.name, held[role.pk]) for role in roles if role.pk in held),
                group=activity.group,
                hours=None if activity.hours is None else float(activity.hours),
            )
        )
    return export.to_csv(
        WorkspaceData(
            name=workspace.name,
            roles=tuple(RoleData(name=role.name, archetype=role.archetype.slug) for role in roles),
            activities=tuple(rows),
        )
    )


# The findings engine's input


def framework_inputs(frameworks) -> list[FrameworkIn]:
    """Frameworks' element trees, guidance and crosswalks as engine input (3 queries for any number)."""
    frameworks = list(frameworks)
    ids = [framework.pk for framework in frameworks]
    elements = defaultdict(list)
    for element in Element.objects.filter(framework_id__in=ids).select_related("parent").order_by("position"):
        elements[element.framework_id].append(element)
    guidance = defaultdict(list)
    for element_id, archetype, held in Guidance.objects.filter(element__framework_id__in=ids).values_list(
        "element_id", "archetype__slug", "letters"
    ):
        guidance[element_id].append((archetype, held))
    links = _crosswalks_touching(ids)
    return [
        FrameworkIn(
            slug=framework.slug,
            title=framework.title,
            source=framework_citation(framework),
            elements=tuple(
                ElementIn(
                    ref=f"{framework.slug}:{element.code}",
                    name=element.name,
                    parent=f"{framework.slug}:{element.parent.code}" if element.parent else None,
                    essential=element.essential,
                    excluded=element.excluded,
                    accountable=next((a for a, held in guidance[element.pk] if held in ACCOUNTABLE), None),
                    guidance=tuple(sorted(guidance[element.pk])),
                )
                for element in elements[framework.pk]
            ),
            crosswalks=tuple(links[framework.pk]),
        )
        for framework in frameworks
    ]


def _crosswalks_touching(framework_ids) -> dict[int, list[CrosswalkIn]]:
    """Each framework's crosswalks, read from its own side (1 query)."""
    links = defaultdict(list)
    for source_ref, target_ref, relation, source_fw, target_fw in (
        Crosswalk.objects.filter(Q(source__framework_id__in=framework_ids) | Q(target__framework_id__in=framework_ids))
        .annotate(
            source_ref=Concat("source__framework__slug", Value(":"), "source__code", output_field=CharField()),
            target_ref=Concat("target__framework__slug", Value(":"), "target__code", output_field=CharField()),
        )
        .values_list("source_ref", "target_ref", "relation", "source__framework_id", "target__framework_id")
    ):
        links[source_fw].append(CrosswalkIn(element=source_ref, other=target_ref, relation=relation))
        links[target_fw].append(CrosswalkIn(element=target_ref, other=source_ref, relation=REVERSED.get(relation, relation)))
    return links


def framework_input(framework: Framework) -> FrameworkIn:
    return framework_inputs([framework])[0]


def framework_citation(framework: Framework) -> str:
    """Author, title, publisher, date and link, as far as the source gives them."""
    parts = [framework.source_author, f"“{framework.source_title}”", framework.source_publisher, framework.source_date]
    citation = ", ".join(part for part in parts if part)
    return f"{citation} ({framework.source_url})" if framework.source_url else citation


REVERSED = {"part_of": "contains"}


def role_inputs(roles) -> dict[str, RoleIn]:
    """Role rows (archetype selected) as engine input, keyed as activities' letters name them."""
    return {str(role.pk): RoleIn(key=str(role.pk), name=role.name, archetype=role.archetype.slug) for role in roles}


def workspace_input(workspace: Workspace) -> WorkspaceIn:
    """Roles, people, activities, mappings and letters as engine input (6 queries)."""
    roles = list(workspace.roles.select_related("archetype"))
    mapped = defaultdict(list)
    for activity_id, ref in (
        Activity.elements.through.objects.filter(activity__workspace=workspace)
        .order_by("id")
        .annotate(ref=Concat("element__framework__slug", Value(":"), "element__code", output_field=CharField()))
        .values_list("activity_id", "ref")
    ):
        mapped[activity_id].append(ref)
    letters = defaultdict(list)
    for activity_id, role_id, held in Assignment.objects.filter(activity__workspace=workspace).values_list(
        "activity_id", "role_id", "letters"
    ):
        letters[activity_id].append((str(role_id), held))
    held_by = defaultdict(list)
    for person_id, role_id in Person.roles.through.objects.filter(person__workspace=workspace).values_list(
        "person_id", "role_id"
    ):
        held_by[person_id].append(str(role_id))
    return WorkspaceIn(
        size=workspace.size,
        roles=tuple(role_inputs(roles).values()),
        people=tuple(
            PersonIn(key=str(person.pk), name=person.name, roles=tuple(held_by[person.pk]))
            for person in workspace.people.all()
        ),
        activities=tuple(
            ActivityIn(
                key=str(public_id), name=name, elements=tuple(mapped[pk]), raci=tuple(letters[pk])
            )
            for pk, public_id, name in workspace.activities.values_list("pk", "public_id", "name")
        ),
    )


def analysis_for(workspace: Workspace, framework: Framework | None = None) -> Analysis:
    """The findings, coverage and roadmap of a workspace read through one framework."""
    framework = framework or workspace.primary_framework or Framework.objects.get(slug="read")
    return analyze(workspace_input(workspace), framework_input(framework))


def coverage_overview(workspace: Workspace) -> list[Analysis]:
    """The workspace read through every framework in the library (a fixed number of queries)."""
    workspace_in = workspace_input(workspace)
    return [
        analyze(workspace_in, framework_in)
        for framework_in in framework_inputs(Framework.objects.order_by("position", "title"))
    ]


@dataclass(frozen=True)
class LensColumn:
    category: ElementState
    items: list[ElementState]


def lens_columns(analysis: Analysis) -> list[LensColumn]:
    """The framework's own layout: one column per category, its items below."""
    columns = {}
    for ref, state in analysis.elements.items():
        if state.element.parent is None:
            columns[ref] = LensColumn(category=state, items=[])
    for state in analysis.elements.values():
        if state.element.parent in columns:
            columns[state.element.parent].items.append(state)
    return list(columns.values())


# Mapping suggestions


@dataclass(frozen=True)
class Suggestion:
    element: Element
    score: float  # 0..1; PROBABLY_RIGHT and above: probably right
    why: tuple[str, ...]  # the words / phrases that matched


@dataclass
class ActivitySuggestions:
    activity: Activity
    mapped: list[Element]  # its mappings in the framework in view
    candidates: list[Suggestion]  # best first, never an element it is mapped to already


def element_matcher(framework: Framework) -> tuple[Matcher, dict[str, Element]]:
    """A matcher over the framework's elements (items carry their category's name), in one query.

    Built per request: a framework's 20 to 50 elements take a few milliseconds, so there is
    nothing to gain from keeping it, and an admin's edit to an alias counts at once.
    """
    elements = list(Element.objects.filter(framework=framework).select_related("framework", "parent"))
    by_ref = {element.reference: element for element in elements}
    matcher = Matcher(
        (
            Target(
                ref=element.reference, name=element.name, aliases=tuple(element.aliases or ()),
                description=element.description, context=element.parent.name if element.parent else "",
            )
            for element in elements
        ),
        # A team's activities include work that is not product marketing at all.
        expect_unrelated_text=True,
    )
    return matcher, by_ref


def mapping_suggestions(
    workspace: Workspace, framework: Framework, *, include_mapped: bool = False, limit: int = 3
) -> list[ActivitySuggestions]:
    """Ranked candidate elements of `framework` for each activity, in three queries.

    Without `include_mapped`, only the activities with no mapping in that framework.
    """
    matcher, by_ref = element_matcher(framework)
    by_pk = {element.pk: element for element in by_ref.values()}
    activities = list(workspace.activities.all())
    Mapping = Activity.elements.through
    mapped: dict[int, list[Element]] = defaultdict(list)
    for activity_id, element_id in Mapping.objects.filter(
        activity__workspace=workspace, element__framework=framework
    ).values_list("activity_id", "element_id"):
        mapped[activity_id].append(by_pk[element_id])
    result = []
    for activity in activities:
        held = sorted(mapped.get(activity.pk, []), key=lambda element: element.position)
        if held and not include_mapped:
            continue
        held_refs = {element.reference for element in held}
        ranked = matcher.rank(activity.name, description=activity.description, limit=limit + len(held_refs))
        candidates = [
            Suggestion(element=by_ref[c.ref], score=c.score, why=c.why) for c in ranked if c.ref not in held_refs
        ][:limit]
        result.append(ActivitySuggestions(activity=activity, mapped=held, candidates=candidates))
    return result


# Snapshots


def snapshot_content(workspace: Workspace, data: WorkspaceData | None = None) -> dict:
    """The workspace now as a snapshot keeps it: its document and its reading through every
    framework of the library (a fixed number of queries)."""
    data = data or workspace_data(workspace)
    return comparison.freeze(export.to_document(data), framework_inputs(Framework.objects.order_by("position", "title")))


def snapshots_labelled(workspace: Workspace, label: str):
    """The workspace's snapshot labelled `label` (0 or 1), ignoring case as the label's unique
    index does (lower()): `iexact` folds with upper() and Python's casefold() differently
    again, and they disagree on letters like the Kelvin sign or the final sigma."""
    return workspace.snapshots.annotate(folded=Lower("label")).filter(folded=Lower(Value(label)))


def snapshots_for(workspace: Workspace) -> list[Snapshot]:
    """The workspace's snapshots, oldest first, without their content (1 query)."""
    return list(workspace.snapshots.defer("content").select_related("taken_by"))


@dataclass(frozen=True)
class CoveragePoint:
    """One point of the coverage-over-time chart: a snapshot, or now (snapshot None)."""

    label: str
    percent: int | None  # None: the framework was not in the library when it was taken
    snapshot: Snapshot | None = None


def coverage_series(snapshots: list[Snapshot], framework: Framework, now_percent: int) -> list[CoveragePoint]:
    return [
        *(CoveragePoint(s.label, s.coverage.get(framework.slug), s) for s in snapshots),
        CoveragePoint("Now", now_percent),
    ]


@dataclass(frozen=True)
class SnapshotComparison:
    """Two states of a workspace compared through one framework; `after` None is now."""

    framework: Framework
    before: Snapshot
    after: Snapshot | None
    comparison: comparison.Comparison
    # Labels of the states whose reading through this framework was worked out from their
    # document with today's library (the framework was added after they were taken).
    read_today: tuple[str, ...] = ()

    @property
    def before_label(self) -> str:
        return self.before.label

    @property
    def after_label(self) -> str:
        return self.after.label if self.after else "now"


def snapshot_comparison(workspace: Workspace, before: Snapshot, after: Snapshot | None, framework: Framework) -> SnapshotComparison:
    """`before` against `after` (or the workspace now) through `framework`."""
    framework_in = framework_input(framework)
    if after is None:
        after_content = comparison.freeze(export.to_document(workspace_data(workspace)), [framework_in])
    else:
        after_content = after.content
    read_today = tuple(
        snapshot.label for snapshot in (before, after) if snapshot is not None and framework.slug not in snapshot.content["frameworks"]
    )
    result = comparison.compare(
        comparison.with_framework(before.content, framework_in),
        comparison.with_framework(after_content, framework_in),
        framework.slug,
    )
    return SnapshotComparison(framework, before, after, result, read_today)


@dataclass(frozen=True)
class HeldActivity:
    name: str
    group: str
    letters: tuple[str, ...]  # one per role of the snapshot, "" for not involved
    elements: tuple[str, ...]  # the names the mapped elements had then


@dataclass(frozen=True)
class HeldReading:
    slug: str
    title: str  # as it was then
    coverage: Coverage
    findings: int


@dataclass(frozen=True)
class SnapshotHolding:
    roles: tuple[dict, ...]  # {"name", "archetype"}
    people: tuple[dict, ...]  # {"name", "roles"}
    activities: tuple[HeldActivity, ...]
    readings: tuple[HeldReading, ...]


def snapshot_holding(snapshot: Snapshot) -> SnapshotHolding:
    """What a snapshot holds, read from its content alone (no query): the roles, people and
    matrix as they were, and the reading through each framework the library had then."""
    content = snapshot.content
    document = content["document"]
    roles = tuple(document.get("roles", ()))
    names = {ref: name for reading in content["frameworks"].values() for ref, name in reading["elements"].items()}
    return SnapshotHolding(
        roles=roles,
        people=tuple(document.get("people", ())),
        activities=tuple(
            HeldActivity(
                name=activity["name"],
                group=activity.get("group", ""),
                letters=tuple(activity.get("raci", {}).get(role["name"], "") for role in roles),
                elements=tuple(names.get(ref, ref) for ref in activity.get("elements", ())),
            )
            for activity in document.get("activities", ())
        ),
        readings=tuple(
            HeldReading(slug, reading["title"], Coverage(**reading["coverage"]), len(content["findings"]) + len(reading["findings"]))
            for slug, reading in content["frameworks"].items()
        ),
    )


# Staffing


def staffing_for(
    workspace: Workspace, framework: Framework | None = None, workspace_in: WorkspaceIn | None = None
) -> staffing.Staffing:
    """Needed against present per role and archetype, and the priorities among the assessed
    elements of `framework` (the primary one by default), in a fixed number of queries."""
    framework = framework or workspace.primary_framework or Framework.objects.get(slug="read")
    workspace_in = workspace_in or workspace_input(workspace)  # a caller that has it already passes it
    hours = {str(key): value for key, value in workspace.activities.values_list("public_id", "hours")}
    children = defaultdict(list)
    for ref, parent in Element.objects.filter(framework=framework, parent__isnull=False).annotate(
        ref=Concat("framework__slug", Value(":"), "code", output_field=CharField()),
        parent_ref=Concat("framework__slug", Value(":"), "parent__code", output_field=CharField()),
    ).values_list("ref", "parent_ref"):
        children[parent].append(ref)
    assessments = [
        staffing.Assessment(
            element=f"{framework.slug}:{code}", element_name=name, importance=importance, performance=performance,
            children=tuple(children[f"{framework.slug}:{code}"]),
        )
        for code, name, importance, performance in workspace.assessments.filter(element__framework=framework)
        .order_by("element__position")
        .values_list("element__code", "element__name", "importance", "performance")
    ]
    return staffing.staffing(
        [staffing.StaffRole(role.key, role.name, role.archetype) for role in workspace_in.roles],
        [
            staffing.StaffActivity(
                # .get: an activity deleted between the two reads has no hours to count.
                activity.name, None if hours.get(activity.key) is None else float(hours[activity.key]),
                activity.raci, activity.elements,
            )
            for activity in workspace_in.activities
        ],
        [staffing.StaffPerson(person.name, person.roles) for person in workspace_in.people],
        fte_hours=float(workspace.fte_hours),
        assessments=assessments,
    )


@dataclass(frozen=True)
class UnassignedActivity:
    name: str
    public_id: uuid.UUID
    hours: float


@dataclass(frozen=True)
class StaffingReport:
    """Staffing with what a page or a download shows beside it."""

    staffing: staffing.Staffing
    archetype_names: dict[str, str]  # slug -> the name people read
    unassigned: tuple[UnassignedActivity, ...]  # activities with hours nobody holds R or A on, in order

    @property
    def hours_of(self) -> dict[str, float]:
        return {activity.name: activity.hours for activity in self.unassigned}


def staffing_report_for(workspace: Workspace, framework: Framework, workspace_in: WorkspaceIn | None = None) -> StaffingReport:
    """staffing_for, the archetypes' names and the unassigned activities' ids and hours (at most
    two queries more)."""
    result = staffing_for(workspace, framework, workspace_in)
    found = {
        name: (public_id, hours)
        for name, public_id, hours in workspace.activities.filter(name__in=result.unassigned_activities)
        .values_list("name", "public_id", "hours")
    }
    return StaffingReport(
        staffing=result,
        archetype_names=dict(Archetype.objects.values_list("slug", "name")),
        unassigned=tuple(
            UnassignedActivity(name, public_id=found[name][0], hours=float(found[name][1] or 0))
            for name in result.unassigned_activities if name in found
        ),
    )


def assessments_for(workspace: Workspace, framework: Framework) -> dict[str, Assessment]:
    """The workspace's assessments of `framework`'s elements, by element reference ("slug:code"), in one query."""
    return {
        f"{framework.slug}:{assessment.element.code}": assessment
        for assessment in workspace.assessments.filter(element__framework=framework).select_related("element")
    }
