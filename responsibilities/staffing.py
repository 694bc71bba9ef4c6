"""Staffing: how many people the matrix says each role needs, against the people it has.

Plain data in, plain data out; no Django import (tested in tests/analysis/test_staffing.py).
The rules (issue 16):
- An activity's monthly hours are split equally among the roles holding R (A/R counts as
  R); if none does, among the roles holding A; if none does either, they are unassigned.
  An activity without hours adds nothing.
- A role needs its hours ÷ `fte_hours` people; an archetype needs the sum of its roles.
- A person counts as one, split equally over the roles they hold (someone holding PM and
  PMM counts 0.5 in each). A person holding no role counts nowhere.
- Gap = needed − people: above 0 is a shortfall, below 0 more people than the work listed.
- Priorities: each assessed element scores (importance − performance) × importance, highest
  first, with the hours that flow to it now (activities mapped to it or to one of its
  children; an activity mapped to two such elements counts once).
"""

from collections import defaultdict
from dataclasses import dataclass

RESPONSIBLE = frozenset({"R", "A/R"})
ACCOUNTABLE = frozenset({"A", "A/R"})
DEFAULT_FTE_HOURS = 140.0


@dataclass(frozen=True)
class StaffRole:
    key: str
    name: str
    archetype: str


@dataclass(frozen=True)
class StaffActivity:
    name: str
    hours: float | None
    raci: tuple[tuple[str, str], ...] = ()  # (role key, letters)
    elements: tuple[str, ...] = ()  # "slug:code"


@dataclass(frozen=True)
class StaffPerson:
    name: str
    roles: tuple[str, ...] = ()  # role keys


@dataclass(frozen=True)
class Assessment:
    element: str  # "slug:code"
    element_name: str
    importance: int  # 1–5
    performance: int  # 1–5
    children: tuple[str, ...] = ()  # refs of the element's children, whose activities count too


@dataclass(frozen=True)
class Need:
    """Needed against present for a role or an archetype."""

    name: str
    archetype: str
    hours: float
    fte_needed: float
    people: float

    @property
    def gap(self) -> float:
        return self.fte_needed - self.people


@dataclass(frozen=True)
class Priority:
    element: str
    element_name: str
    importance: int
    performance: int
    hours: float

    @property
    def priority(self) -> int:
        return (self.importance - self.performance) * self.importance


@dataclass(frozen=True)
class Staffing:
    fte_hours: float
    roles: tuple[Need, ...]
    archetypes: tuple[Need, ...]
    unassigned_hours: float
    unassigned_activities: tuple[str, ...]  # names of activities with hours nobody holds R or A on
    priorities: tuple[Priority, ...]


def holders(raci: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The role keys an activity's hours go to: its R's (A/R included), else its A's."""
    responsible = tuple(role for role, letters in raci if letters in RESPONSIBLE)
    return responsible or tuple(role for role, letters in raci if letters in ACCOUNTABLE)


def staffing(
    roles: list[StaffRole], activities: list[StaffActivity], people: list[StaffPerson],
    *, fte_hours: float = DEFAULT_FTE_HOURS, assessments: list[Assessment] = (),
) -> Staffing:
    if fte_hours <= 0:
        raise ValueError("fte_hours must be above 0")
    known = {role.key for role in roles}
    hours = defaultdict(float)
    unassigned, unassigned_names = 0.0, []
    for activity in activities:
        if not activity.hours:
            continue
        takers = [key for key in holders(activity.raci) if key in known]
        if not takers:
            unassigned += activity.hours
            unassigned_names.append(activity.name)
            continue
        for key in takers:
            hours[key] += activity.hours / len(takers)
    present = defaultdict(float)
    for person in people:
        held = [key for key in dict.fromkeys(person.roles) if key in known]
        for key in held:
            present[key] += 1 / len(held)
    role_needs = tuple(
        Need(role.name, role.archetype, hours[role.key], hours[role.key] / fte_hours, present[role.key])
        for role in roles
    )
    by_archetype: dict[str, list[Need]] = {}
    for need in role_needs:
        by_archetype.setdefault(need.archetype, []).append(need)
    archetype_needs = tuple(
        Need(
            archetype, archetype, sum(n.hours for n in needs), sum(n.fte_needed for n in needs), sum(n.people for n in needs)
        )
        for archetype, needs in by_archetype.items()
    )
    return Staffing(
        fte_hours=fte_hours,
        roles=role_needs,
        archetypes=archetype_needs,
        unassigned_hours=unassigned,
        unassigned_activities=tuple(unassigned_names),
        priorities=_priorities(assessments, activities),
    )


def _priorities(assessments, activities: list[StaffActivity]) -> tuple[Priority, ...]:
    found = []
    for assessment in assessments:
        refs = {assessment.element, *assessment.children}
        flowing = sum(a.hours or 0 for a in activities if refs.intersection(a.elements))
        found.append(Priority(assessment.element, assessment.element_name, assessment.importance, assessment.performance, flowing))
    return tuple(sorted(found, key=lambda p: (-p.priority, -p.importance, p.element)))
