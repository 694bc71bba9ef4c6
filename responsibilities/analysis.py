"""Findings, coverage and the improvement roadmap: plain data in, plain data out.

No Django import and no database: a selector builds the input (responsibilities.selectors
.analysis_input) and this module judges it. The rules are SPEC "Findings"; each message
says what is wrong in a PMM lead's words and cites the publication it rests on.

Reading of the rules where SPEC leaves room:
- An element is *covered* by an activity mapped to it, to one of its children, or to an
  element of another framework that a crosswalk says is the same work: `equivalent` (either
  direction), or the activity's element is `part_of` it (a part covers its whole, as a child
  covers its parent). Mapping a whole never covers its parts, and `related` never covers.
  One hop: a crosswalk from an item of the other framework covers only what it names.
  Coverage through a crosswalk is reported as such ("through a crosswalk").
- *unowned_element* looks at the same activities as coverage (children included).
- *shared_element* looks at the activities covering the element itself (mapped to it, or
  through a covering crosswalk), not its children's: a category whose items have different
  owners is not "shared".
- Elements a framework marks `excluded` (not product marketing) are never counted in
  coverage and raise no uncovered / unowned / shared findings; their guidance says who owns
  them, so *split_mismatch* does apply to them.
- *split_mismatch* looks at direct mappings only. In a startup it does not fire where the
  guidance says Marcom and product marketing holds the A: April Dunford's article says that
  in small companies "Product Marketing is Marketing – all of it".
- *idle_role* is not raised for roles whose usual part is to be consulted and informed
  (sales, leadership): a column of C and I is their normal pattern, not idleness.
- While more than MANY_UNMAPPED of the activities are mapped to no framework at all (an
  imported sheet, say), coverage cannot be judged: the roadmap's first step is to map them,
  and uncovered elements are listed under that step instead of as ownership decisions. An
  activity mapped to another framework only is not "unmapped": it is work outside this one.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

ACCOUNTABLE = {"A", "A/R"}
RESPONSIBLE = {"R", "A/R"}

SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}

LABELS = {
    "no_accountable": "No A",
    "multiple_accountable": "Several A",
    "no_responsible": "No R",
    "unmapped_activity": "Unmapped",
    "uncovered_element": "Uncovered",
    "unowned_element": "Unowned",
    "shared_element": "Shared",
    "split_mismatch": "Split differs",
    "role_overload": "PM + PMM",
    "idle_role": "Idle role",
}
KINDS = tuple(LABELS)
# Findings about a row, a person or a role on their own: the same through every framework.
WORKSPACE_KINDS = frozenset({"no_accountable", "multiple_accountable", "no_responsible", "unmapped_activity", "role_overload", "idle_role"})
KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}

RACI_SOURCE = "RACI practice: every activity needs exactly one accountable owner"
READ_SOURCE = "Crispin Read, “What Is Product Marketing Exactly?”"
OVERLOAD_SOURCE = "April Dunford, “How Do CMOs Define Product Marketing?”; “Product Management vs. Product Marketing”"
SHARED_SOURCE = f"{READ_SOURCE}: “Areas of shared ownership are acceptable and may lead to better results.”"

# Crosswalk relations, read from the element in view, under which the other element's
# activities cover it: the same work, or the other is a part of it ("part_of" read backwards).
COVERING_RELATIONS = frozenset({"equivalent", "contains"})
# Archetypes whose usual part is C and I: a column without A or R is normal for them.
CONSULTED_BY_NATURE = frozenset({"sales", "exec"})
# Above this share of activities mapped nowhere, coverage is not judged yet.
MANY_UNMAPPED = 0.3


# Input


@dataclass(frozen=True)
class RoleIn:
    key: str
    name: str
    archetype: str


@dataclass(frozen=True)
class PersonIn:
    key: str
    name: str
    roles: tuple[str, ...] = ()  # role keys


@dataclass(frozen=True)
class ActivityIn:
    key: str
    name: str
    elements: tuple[str, ...] = ()  # "slug:code", any framework
    raci: tuple[tuple[str, str], ...] = ()  # (role key, letters)


@dataclass(frozen=True)
class ElementIn:
    ref: str  # "slug:code"
    name: str
    parent: str | None = None  # the category's ref, for an item
    essential: bool = False
    excluded: bool = False
    accountable: str | None = None  # the archetype the source says owns it
    guidance: tuple[tuple[str, str], ...] = ()  # (archetype, letters)


@dataclass(frozen=True)
class CrosswalkIn:
    element: str  # ref in the framework in view
    other: str  # ref in another framework
    relation: str  # equivalent | part_of | related (read from `element`'s side)


@dataclass(frozen=True)
class FrameworkIn:
    slug: str
    title: str
    source: str  # how findings cite it
    elements: tuple[ElementIn, ...] = ()  # categories and items, in the framework's order
    crosswalks: tuple[CrosswalkIn, ...] = ()


@dataclass(frozen=True)
class WorkspaceIn:
    roles: tuple[RoleIn, ...] = ()
    activities: tuple[ActivityIn, ...] = ()
    people: tuple[PersonIn, ...] = ()
    size: str = "startup"


# Output


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to build, and there are thousands
class Finding:
    kind: str
    severity: str
    message: str
    source: str
    activity: str | None = None  # activity key
    activity_name: str | None = None
    element: str | None = None  # "slug:code"
    element_name: str | None = None
    roles: tuple[str, ...] = ()  # role names
    person: str | None = None
    essential: bool = False

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind.replace("_", " "))


@dataclass(frozen=True)
class Coverage:
    elements: int
    covered: int
    owned: int

    @property
    def percent(self) -> int:
        """Covered elements as a whole percentage (0 when there is nothing to cover)."""
        return round(100 * self.covered / self.elements) if self.elements else 0

    @property
    def owned_percent(self) -> int:
        return round(100 * self.owned / self.elements) if self.elements else 0


@dataclass(frozen=True)
class ElementState:
    element: ElementIn
    activities: tuple[str, ...]  # keys of the activities that cover it, children included
    via: tuple[tuple[str, str], ...]  # (activity key, other framework's ref) covering it through a crosswalk
    accountable: tuple[str, ...]  # role names holding A on its activities
    responsible: tuple[str, ...]  # role names holding R
    own_accountable: tuple[str, ...] = ()  # role names holding A on activities mapped to it, not to its children

    @property
    def covered(self) -> bool:
        return bool(self.activities)

    @property
    def owned(self) -> bool:
        return bool(self.accountable)

    @property
    def only_via_crosswalk(self) -> bool:
        return self.covered and {key for key, _ in self.via} >= set(self.activities)

    @property
    def status(self) -> str:
        if self.element.excluded:
            return "excluded"
        return "owned" if self.owned else "covered" if self.covered else "uncovered"


@dataclass(frozen=True)
class CategoryCoverage:
    element: ElementIn
    coverage: Coverage


@dataclass(slots=True)
class Step:
    number: int
    title: str
    severity: str
    findings: tuple[Finding, ...]
    activity: str | None = None  # where the step is fixed: an activity key...
    element: str | None = None  # ...or an element ref
    kind: str = ""  # "map" for the step fixed on the mapping page


@dataclass(frozen=True)
class Problem:
    """One thing to fix: a finding, with the findings it explains (an unowned element's
    activities with no A are one problem, not several)."""

    finding: Finding
    explains: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class FindingGroup:
    """The problems of one kind, for a dashboard people read: counted once, cited once."""

    kind: str
    label: str
    severity: str  # the most severe among them
    sources: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Analysis:
    framework: FrameworkIn
    findings: tuple[Finding, ...]
    coverage: Coverage
    categories: tuple[CategoryCoverage, ...]
    elements: dict[str, ElementState]
    row_findings: dict[str, tuple[Finding, ...]] = field(default_factory=dict)  # activity key -> its findings
    activity_count: int = 0
    unmapped: tuple[str, ...] = ()  # keys of activities mapped to no framework at all

    @property
    def needs_mapping(self) -> bool:
        """Too many activities outside this framework for its coverage to mean much yet."""
        return bool(self.activity_count) and len(self.unmapped) > MANY_UNMAPPED * self.activity_count

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        return problems(self.findings, self.elements)

    def counts(self) -> dict[str, int]:
        """Problems by severity: an unowned element and its activities with no A count once."""
        return severity_counts(problem.finding for problem in self.problems)

    @cached_property
    def groups(self) -> tuple[FindingGroup, ...]:
        return finding_groups(self.problems)

    @cached_property
    def roadmap(self) -> tuple["Step", ...]:
        """Worked out when first read: the matrix's summary strip never needs it."""
        return roadmap(
            list(self.findings), self.elements, self.framework,
            unmapped=len(self.unmapped) if self.needs_mapping else 0, total=self.activity_count,
        )


# The engine


def analyze(workspace: WorkspaceIn, framework: FrameworkIn) -> Analysis:
    roles = {role.key: role for role in workspace.roles}
    holders = {activity.key: _holders_of(activity, roles) for activity in workspace.activities}
    findings: list[Finding] = []
    for activity in workspace.activities:
        findings += _row_findings(activity, *holders[activity.key])
    elements = element_states(workspace, framework, roles, holders)
    findings += _element_findings(elements, framework, roles)
    findings += _split_mismatches(workspace, framework, holders)
    findings += _role_findings(workspace, roles, holders)
    findings.sort(key=_finding_order)
    coverage, categories = _coverage(framework, elements)
    unmapped = tuple(activity.key for activity in workspace.activities if not activity.elements)
    by_activity = defaultdict(list)
    for finding in findings:
        if finding.activity:
            by_activity[finding.activity].append(finding)
    return Analysis(
        framework=framework,
        findings=tuple(findings),
        coverage=coverage,
        categories=categories,
        elements=elements,
        row_findings={key: tuple(value) for key, value in by_activity.items()},
        activity_count=len(workspace.activities),
        unmapped=unmapped,
    )


def _holders_of(activity: ActivityIn, roles: dict[str, RoleIn]) -> tuple[list[RoleIn], list[RoleIn]]:
    """(roles holding A, roles holding R) on one activity; A/R counts for both."""
    accountable, responsible = [], []
    for key, held in activity.raci:
        role = roles.get(key)
        if role is None:
            continue
        if held in ACCOUNTABLE:
            accountable.append(role)
        if held in RESPONSIBLE:
            responsible.append(role)
    return accountable, responsible


def activity_findings(activity: ActivityIn, roles: dict[str, RoleIn]) -> list[Finding]:
    """The rules that concern one matrix row on its own."""
    return _row_findings(activity, *_holders_of(activity, roles))


def _row_findings(activity: ActivityIn, accountable_roles: list[RoleIn], responsible: list[RoleIn]) -> list[Finding]:
    accountable = [role.name for role in accountable_roles]
    about = {"activity": activity.key, "activity_name": activity.name}
    findings = []
    if not accountable:
        findings.append(
            Finding(
                kind="no_accountable", severity="high", source=RACI_SOURCE,
                message=f"Nobody is accountable for {activity.name}: name one A, or it will slip between teams.",
                **about,
            )
        )
    elif len(accountable) > 1:
        findings.append(
            Finding(
                kind="multiple_accountable", severity="high", source=RACI_SOURCE,
                message=(
                    f"{activity.name} has {_count_word(len(accountable))} accountable owners "
                    f"({', '.join(accountable)}): a RACI row needs exactly one A."
                ),
                roles=tuple(accountable), **about,
            )
        )
    if not responsible:
        findings.append(
            Finding(
                kind="no_responsible", severity="medium", source=RACI_SOURCE,
                message=f"Nobody does the work of {activity.name}: mark who is responsible (R).",
                **about,
            )
        )
    if not activity.elements:
        findings.append(
            Finding(
                kind="unmapped_activity", severity="low", source=READ_SOURCE,
                message=(
                    f"{activity.name} is not mapped to any framework element, so it cannot be "
                    "benchmarked against the standard."
                ),
                **about,
            )
        )
    return findings


def covering_links(framework: FrameworkIn) -> dict[str, list[str]]:
    """Another framework's ref -> the refs in view that an activity mapped to it covers.

    Only crosswalks that say the same work (`equivalent`) or that the other element is a part
    of the one in view; a whole never covers its parts and `related` never covers.
    """
    in_view = {element.ref for element in framework.elements}
    links = defaultdict(list)
    for link in framework.crosswalks:
        if link.element in in_view and link.relation in COVERING_RELATIONS and link.element not in links[link.other]:
            links[link.other].append(link.element)
    return links


def element_states(
    workspace: WorkspaceIn, framework: FrameworkIn, roles: dict[str, RoleIn], holders: dict | None = None
) -> dict[str, ElementState]:
    if holders is None:
        holders = {activity.key: _holders_of(activity, roles) for activity in workspace.activities}
    in_view = {element.ref: element for element in framework.elements}
    links = covering_links(framework)
    mapped = defaultdict(list)  # ref in view -> keys of activities mapped to it
    linked = defaultdict(list)  # ref in view -> (activity key, other ref) covering it through a crosswalk
    for activity in workspace.activities:
        for ref in activity.elements:
            if ref in in_view:
                mapped[ref].append(activity.key)
            for target in links.get(ref, ()):
                linked[target].append((activity.key, ref))
    accountable_in = {key: {role.name for role in held[0]} for key, held in holders.items()}
    responsible_in = {key: {role.name for role in held[1]} for key, held in holders.items()}
    role_order = [role.name for role in workspace.roles]
    children = defaultdict(list)
    for element in framework.elements:
        if element.parent:
            children[element.parent].append(element.ref)
    states = {}
    for element in framework.elements:
        # Its own activities (mapped to it, or through a covering crosswalk), then its children's.
        plain, through = list(mapped[element.ref]), list(linked[element.ref])
        own_keys = dict.fromkeys(plain + [key for key, _ in through])
        for child in children[element.ref]:
            plain += mapped[child]
            through += linked[child]
        plain_keys = set(plain)
        # A crosswalk is named as the way in only where no direct mapping covers the element.
        through = [pair for pair in dict.fromkeys(through) if pair[0] not in plain_keys]
        keys = tuple(dict.fromkeys(plain + [key for key, _ in through]))
        states[element.ref] = ElementState(
            element=element,
            activities=keys,
            via=tuple(through),
            accountable=_holders(keys, accountable_in, role_order),
            responsible=_holders(keys, responsible_in, role_order),
            own_accountable=_holders(own_keys, accountable_in, role_order),
        )
    return states


def _holders(keys, held_by: dict[str, set[str]], role_order: list[str]) -> tuple[str, ...]:
    """Names of the roles holding the letters on any of those activities, in column order."""
    names: set[str] = set()
    for key in keys:
        names.update(held_by[key])
    return tuple(name for name in role_order if name in names) if names else ()


def _element_findings(states: dict[str, ElementState], framework: FrameworkIn, roles: dict[str, RoleIn]) -> list[Finding]:
    findings = []
    role_by_name = {role.name: role for role in roles.values()}
    for state in states.values():
        element = state.element
        if element.excluded:
            continue
        about = {
            "element": element.ref, "element_name": element.name, "essential": element.essential,
            "source": framework.source,
        }
        severity = "high" if element.essential else "medium"
        essential = " — an essential activity" if element.essential else ""
        if not state.covered:
            findings.append(
                Finding(
                    kind="uncovered_element", severity=severity, **about,
                    message=(
                        f"No activity covers {element.name} ({framework.title}){essential}: "
                        "decide whether the team does it, and who owns it."
                    ),
                )
            )
            continue
        if not state.owned:
            findings.append(
                Finding(
                    kind="unowned_element", severity=severity, **about,
                    message=(
                        f"{element.name} is done ({_count(len(state.activities), 'activity')}) but nobody is "
                        f"accountable for it{essential}: name one owner for {element.name}."
                    ),
                )
            )
        own = state.own_accountable
        archetypes = {role_by_name[name].archetype for name in own if name in role_by_name}
        if len(archetypes) > 1:
            findings.append(
                Finding(
                    kind="shared_element", severity="info", roles=tuple(own),
                    message=(
                        f"{element.name} is owned by {_and(own)}, roles of different kinds. Shared "
                        "ownership is acceptable and may lead to better results, but agree how it is shared."
                    ),
                    **{**about, "source": SHARED_SOURCE},
                )
            )
    return findings


def _split_mismatches(workspace: WorkspaceIn, framework: FrameworkIn, holders: dict) -> list[Finding]:
    guided = {element.ref: element for element in framework.elements if element.accountable}
    findings = []
    for activity in workspace.activities:
        refs = [ref for ref in activity.elements if ref in guided]
        if not refs:
            continue
        accountable = holders[activity.key][0]
        if not accountable:
            continue
        archetypes = {role.archetype for role in accountable}
        for ref in refs:
            element = guided[ref]
            if element.accountable in archetypes:
                continue
            if workspace.size == "startup" and element.accountable == "marcom" and "pmm" in archetypes:
                continue
            held_by = _and([f"{role.name} ({role.archetype})" for role in accountable])
            if element.excluded:
                message = (
                    f"{framework.title} says {element.name} is not product marketing: it sits with "
                    f"{element.accountable.upper()} (accountable), but {activity.name} is held by {held_by}. "
                    "Fine if deliberate; otherwise move the A."
                )
            else:
                message = (
                    f"{framework.title} puts {element.name} with {element.accountable.upper()} "
                    f"(accountable), but {activity.name} is held by {held_by}. Fine if deliberate; "
                    "otherwise move the A."
                )
            findings.append(
                Finding(
                    kind="split_mismatch", severity="low", source=framework.source,
                    activity=activity.key, activity_name=activity.name,
                    element=element.ref, element_name=element.name, essential=element.essential,
                    roles=tuple(role.name for role in accountable), message=message,
                )
            )
    return findings


def _role_findings(workspace: WorkspaceIn, roles: dict[str, RoleIn], holders: dict) -> list[Finding]:
    findings = []
    for person in workspace.people:
        held = [roles[key] for key in person.roles if key in roles]
        pm = [role.name for role in held if role.archetype == "pm"]
        pmm = [role.name for role in held if role.archetype == "pmm"]
        if pm and pmm:
            findings.append(
                Finding(
                    kind="role_overload", severity="medium", source=OVERLOAD_SOURCE, person=person.name,
                    roles=tuple(pm + pmm),
                    message=(
                        f"{person.name} holds both {_and(pm)} and {_and(pmm)}. A product manager doubling as "
                        "the product marketer is a known cause of overload, burnout and turnover; it is "
                        "impossible to expect one person to accomplish all that is defined by “Product”."
                    ),
                )
            )
    working = {role.key for accountable, responsible in holders.values() for role in accountable + responsible}
    for role in workspace.roles:
        if role.key not in working and role.archetype not in CONSULTED_BY_NATURE:
            findings.append(
                Finding(
                    kind="idle_role", severity="info", source=RACI_SOURCE, roles=(role.name,),
                    message=(
                        f"{role.name} is neither accountable nor responsible for anything: give it clear "
                        "work or drop the column."
                    ),
                )
            )
    return findings


def _coverage(framework: FrameworkIn, states: dict[str, ElementState]) -> tuple[Coverage, tuple[CategoryCoverage, ...]]:
    counted = [state for state in states.values() if not state.element.excluded]
    overall = Coverage(
        elements=len(counted),
        covered=sum(state.covered for state in counted),
        owned=sum(state.owned for state in counted),
    )
    categories = []
    for element in framework.elements:
        if element.parent is not None or element.excluded:
            continue
        members = [state for state in counted if state.element.ref == element.ref or state.element.parent == element.ref]
        categories.append(
            CategoryCoverage(
                element=element,
                coverage=Coverage(
                    elements=len(members),
                    covered=sum(state.covered for state in members),
                    owned=sum(state.owned for state in members),
                ),
            )
        )
    return overall, tuple(categories)


# What to fix: problems, groups of them, and the improvement roadmap


def _unowned_by_activity(states: dict[str, ElementState]) -> tuple[dict[str, ElementIn], dict[str, ElementIn]]:
    """(activity key -> the unowned element it is done under, category ref -> its first unowned item).

    An activity with no A inside an unowned element is fixed by naming the element's owner;
    the most specific element (an item before its category) names the decision.
    """
    unowned = [
        state for state in states.values() if state.covered and not state.owned and not state.element.excluded
    ]
    unowned.sort(key=lambda state: state.element.parent is None)
    by_activity: dict[str, ElementIn] = {}
    for state in unowned:
        for key in state.activities:
            by_activity.setdefault(key, state.element)
    first_child: dict[str, ElementIn] = {}
    for state in unowned:
        if state.element.parent:
            first_child.setdefault(state.element.parent, state.element)
    return by_activity, first_child


def problems(findings, states: dict[str, ElementState]) -> tuple[Problem, ...]:
    """Findings as problems to fix, each counted once.

    One decision fixes an unowned element, its unowned category (when the item is why the
    category counts as done) and the missing A of the activities done under it: they are one
    problem, led by the most specific element's finding.
    """
    by_activity, first_child = _unowned_by_activity(states)

    def decision(finding: Finding) -> str | None:
        if finding.kind == "unowned_element":
            element = first_child.get(finding.element)
            return element.ref if element else finding.element
        if finding.kind == "no_accountable" and finding.activity in by_activity:
            return by_activity[finding.activity].ref
        return None

    leads: dict[str, Finding] = {}
    explained: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        ref = decision(finding)
        if ref is not None and finding.kind == "unowned_element" and finding.element == ref:
            leads[ref] = finding
    result = []
    for finding in findings:
        ref = decision(finding)
        if ref is None or ref not in leads:
            result.append(Problem(finding))
        elif finding is leads[ref]:
            result.append(ref)  # placeholder, filled once everything it explains is known
        else:
            explained[ref].append(finding)
    return tuple(
        Problem(leads[item], tuple(explained[item])) if isinstance(item, str) else item for item in result
    )


def finding_groups(problems_: tuple[Problem, ...]) -> tuple[FindingGroup, ...]:
    """Problems grouped by kind, the most severe kinds first, each source cited once."""
    by_kind: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems_:
        by_kind[problem.finding.kind].append(problem)
    groups = []
    for kind, members in by_kind.items():
        groups.append(
            FindingGroup(
                kind=kind,
                label=LABELS.get(kind, kind),
                severity=min((p.finding.severity for p in members), key=SEVERITY_RANK.__getitem__),
                sources=tuple(dict.fromkeys(p.finding.source for p in members)),
                problems=tuple(members),
            )
        )
    groups.sort(key=lambda group: (SEVERITY_RANK[group.severity], KIND_RANK[group.kind]))
    return tuple(groups)


class _Steps:
    """Findings gathered into steps, each keyed by the one decision that fixes it."""

    def __init__(self):
        self.findings: dict[tuple, list[Finding]] = {}
        self.titles: dict[tuple, str] = {}
        self.places: dict[tuple, tuple[str | None, str | None]] = {}
        self.ranks: dict[tuple, list] = {}  # key -> [best severity rank, has an essential finding]

    def add(self, key, title, finding, activity=None, element=None):
        if key not in self.findings:
            self.findings[key], self.titles[key], self.places[key] = [], title, (activity, element)
            self.ranks[key] = [SEVERITY_RANK[finding.severity], finding.essential]
        self.findings[key].append(finding)
        rank = self.ranks[key]
        rank[0] = min(rank[0], SEVERITY_RANK[finding.severity])
        rank[1] = rank[1] or finding.essential

    def ordered(self, first=()) -> tuple[Step, ...]:
        def order(key):
            return (key not in first, self.ranks[key][0], not self.ranks[key][1], -len(self.findings[key]), self.titles[key].casefold())

        steps = []
        for number, key in enumerate(sorted(self.findings, key=order), start=1):
            activity, element = self.places[key]
            steps.append(
                Step(
                    number=number, title=self.titles[key], findings=tuple(self.findings[key]),
                    severity=SEVERITIES[self.ranks[key][0]], activity=activity, element=element,
                    kind="map" if key[0] == "map" else "",
                )
            )
        return tuple(steps)


def roadmap(
    findings: list[Finding], states: dict[str, ElementState], framework: FrameworkIn, *, unmapped: int = 0, total: int = 0
) -> tuple[Step, ...]:
    """Findings grouped by the one decision that fixes them, most severe and essential first.

    Crispin Read: benchmark against the standard, then deliver a roadmap for gradual improvement.
    `unmapped` > 0 means too many of the `total` activities are outside this framework for its
    coverage to be judged: mapping them comes first, and uncovered elements wait under that
    step instead of asking who does work the team may well do already.
    """
    steps = _Steps()
    parents = {ref: state.element.parent for ref, state in states.items()}
    unowned_by_activity, first_unowned_child = _unowned_by_activity(states)
    map_key = ("map",)
    map_title = (
        f"Map your activities first: {unmapped} of {total} are not mapped to any framework"
        if unmapped else f"Map your activities onto {framework.title}"
    )
    for finding in findings:
        kind = finding.kind
        if kind == "uncovered_element" and unmapped:
            steps.add(map_key, map_title, finding)
        elif kind == "uncovered_element":
            top = parents.get(finding.element) or finding.element
            top_state = states[top]
            if not top_state.covered:
                steps.add(("cover", top), f"Decide who does {top_state.element.name}", finding, element=top)
            else:
                steps.add(("cover", finding.element), f"Decide who does {finding.element_name}", finding, element=finding.element)
        elif kind == "unowned_element":
            element = first_unowned_child.get(finding.element) or states[finding.element].element
            steps.add(("own", element.ref), f"Name one owner for {element.name}", finding, element=element.ref)
        elif kind == "no_accountable" and finding.activity in unowned_by_activity:
            element = unowned_by_activity[finding.activity]
            steps.add(("own", element.ref), f"Name one owner for {element.name}", finding, element=element.ref)
        elif kind in ("no_accountable", "multiple_accountable"):
            steps.add(("row", finding.activity), f"Name one owner for {finding.activity_name}", finding, activity=finding.activity)
        elif kind == "no_responsible":
            steps.add(("doer", finding.activity), f"Say who does {finding.activity_name}", finding, activity=finding.activity)
        elif kind == "split_mismatch":
            steps.add(("split", finding.activity), f"Check who should own {finding.activity_name}", finding, activity=finding.activity)
        elif kind == "unmapped_activity":
            steps.add(map_key, map_title, finding)
        elif kind == "role_overload":
            steps.add(("person", finding.person), f"Separate {finding.person}'s PM and PMM work", finding)
        elif kind == "shared_element":
            steps.add(("shared", finding.element), f"Agree how {finding.element_name} is shared", finding, element=finding.element)
        elif kind == "idle_role":
            steps.add(("idle",), "Give idle roles clear work, or drop them", finding)
    return steps.ordered(first={map_key} if unmapped else ())


# Helpers


def severity_counts(findings) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def _finding_order(finding: Finding):
    return (SEVERITY_RANK[finding.severity], not finding.essential, KIND_RANK[finding.kind])


def _count_word(n: int) -> str:
    return {2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _and(names: list[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
