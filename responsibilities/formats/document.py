"""The workspace document (YAML or JSON, one schema): the full-fidelity form of a workspace.

Every problem is reported with its path (`activities[3].raci.PM`); a document with any
problem gives no data at all.
"""

import re

from frameworks.letters import parse_letters, refusal
from pmmhub.safeyaml import DocumentError, decode_text, load_yaml
from responsibilities.formats import (
    DEFAULT_FRAMEWORK,
    FTE_HOURS_RANGE,
    SCALE,
    AssessmentData,
    MARKETS,
    MAX_GROUP,
    MAX_UPLOAD_BYTES,
    MORE_PROBLEMS,
    SIZES,
    ActivityData,
    ElementIndex,
    FormatError,
    PersonData,
    Problems,
    RoleData,
    TooManyProblems,
    WorkspaceData,
    parse_hours,
)

# Far above any real workspace (a few hundred activities, a dozen roles), documented in the
# README's Formats; a longer list is refused as a whole, without reading its items.
MAX_ACTIVITIES = 5000
MAX_ROLES = 100
MAX_PEOPLE = 500
MAX_ELEMENTS = 100  # mappings of one activity
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_ASSESSMENTS = 1000  # one per element; the library has a few hundred

TOP_KEYS = ("name", "size", "market", "framework", "fte_hours", "roles", "people", "activities", "assessment")
ROLE_KEYS = ("name", "archetype")
PERSON_KEYS = ("name", "roles")
ACTIVITY_KEYS = ("name", "group", "description", "hours", "elements", "raci")
ASSESSMENT_KEYS = ("element", "importance", "performance")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_document(
    data: bytes, filename: str, index: ElementIndex, archetypes: set[str]
) -> tuple[WorkspaceData | None, list[FormatError]]:
    try:
        document = load_yaml(decode_text(data, limit=MAX_UPLOAD_BYTES))
    except DocumentError as error:
        return None, [FormatError("", str(error))]
    return read_document(document, index, archetypes)


def read_document(document, index: ElementIndex, archetypes: set[str]) -> tuple[WorkspaceData | None, list[FormatError]]:
    """A loaded document (plain lists, mappings and text) -> WorkspaceData, or its first
    MAX_PROBLEMS problems."""
    reader = _Reader(index, archetypes)
    try:
        workspace = reader.workspace(document)
    except TooManyProblems:
        return None, [*reader.errors, MORE_PROBLEMS]
    if reader.errors:
        return None, reader.errors
    return workspace, []


class _Reader:
    def __init__(self, index: ElementIndex, archetypes: set[str]):
        self.index = index
        self.archetypes = archetypes
        self.errors = Problems()

    def error(self, where: str, message: str):
        self.errors.add(where, message)

    def workspace(self, document) -> WorkspaceData | None:
        if not isinstance(document, dict):
            self.error("", "the document must be a mapping with name, roles and activities (see the README's Formats)")
            return None
        self.unknown_keys(document, TOP_KEYS, "")
        name = self.text(document, "name", "name", required=False, limit=120)
        size = self.choice(document, "size", SIZES, default="startup")
        market = self.choice(document, "market", MARKETS, default="b2b")
        framework = self.framework(document.get("framework"))
        roles = self.roles(document.get("roles"))
        role_names = {role.name.casefold(): role.name for role in roles}
        people = self.people(document.get("people"), role_names)
        activities = self.activities(document.get("activities"), roles, role_names)
        fte_hours = self.hours(document.get("fte_hours"), "fte_hours", *FTE_HOURS_RANGE)
        # Left out (or `assessment:` with nothing) says nothing; `assessment: []` says none.
        assessment = None if document.get("assessment") is None else self.assessment(document["assessment"])
        return WorkspaceData(
            name=name or None, size=size, market=market, framework=framework,
            roles=tuple(roles), people=tuple(people), activities=tuple(activities),
            fte_hours=fte_hours, assessment=assessment,
        )

    # Fields

    def unknown_keys(self, mapping: dict, allowed: tuple[str, ...], path: str):
        for key in mapping:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.error(where, f"unknown key (expected: {', '.join(allowed)})")

    def text(self, mapping: dict, key: str, path: str, *, required: bool, limit: int) -> str:
        value = mapping.get(key)
        if value is None or value == "":
            if required:
                self.error(path, "is required and must not be empty")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(path, f"must be text, not {_kind(value)}")
            return ""
        text = str(value).strip()
        if CONTROL_CHARACTERS.search(text):
            self.error(path, "contains control characters")
            return ""
        if key == "name":
            text = " ".join(text.split())
        if required and not text:
            self.error(path, "is required and must not be empty")
        if len(text) > limit:
            self.error(path, f"is {len(text)} characters long; the limit is {limit}")
            return ""
        return text

    def choice(self, mapping: dict, key: str, choices: tuple[str, ...], *, default: str) -> str:
        value = mapping.get(key)
        if value is None:
            return default
        if not isinstance(value, str) or value.strip().lower() not in choices:
            self.error(key, f"{value!r} is not one of {', '.join(choices)}")
            return default
        return value.strip().lower()

    def framework(self, value) -> str:
        if value is None:
            return DEFAULT_FRAMEWORK
        slug = self.index.aliases.get(str(value).strip().lower(), str(value).strip().lower())
        if not isinstance(value, str) or slug not in self.index.slugs:
            self.error("framework", f"unknown framework {value!r} (known: {', '.join(sorted(self.index.slugs))})")
            return DEFAULT_FRAMEWORK
        return slug

    def items(self, value, path: str, limit: int) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"must be a list, not {_kind(value)}")
            return []
        if len(value) > limit:
            self.error(path, f"has {len(value):,} entries; the limit is {limit:,}")
            return []
        return value

    # Sections

    def roles(self, value) -> list[RoleData]:
        roles, seen = [], {}
        for i, item in enumerate(self.items(value, "roles", MAX_ROLES)):
            path = f"roles[{i}]"
            if not isinstance(item, dict):
                self.error(path, "must be a mapping with name and archetype")
                continue
            self.unknown_keys(item, ROLE_KEYS, path)
            name = self.text(item, "name", f"{path}.name", required=True, limit=80)
            archetype = item.get("archetype", "other")
            if not isinstance(archetype, str) or archetype.strip().lower() not in self.archetypes:
                self.error(
                    f"{path}.archetype",
                    f"{archetype!r} is not a role archetype (known: {', '.join(sorted(self.archetypes))})",
                )
                continue
            if not name:
                continue
            if name.casefold() in seen:
                self.error(f"{path}.name", f"duplicate role {name!r} (first at roles[{seen[name.casefold()]}])")
                continue
            seen[name.casefold()] = i
            roles.append(RoleData(name=name, archetype=archetype.strip().lower()))
        return roles

    def role_reference(self, value, path: str, role_names: dict[str, str]) -> str | None:
        if not isinstance(value, str) or value.strip().casefold() not in role_names:
            known = ", ".join(role_names.values()) or "none declared"
            self.error(path, f"unknown role {value!r} (roles: {known})")
            return None
        return role_names[value.strip().casefold()]

    def people(self, value, role_names: dict[str, str]) -> list[PersonData]:
        people, seen = [], {}
        for i, item in enumerate(self.items(value, "people", MAX_PEOPLE)):
            path = f"people[{i}]"
            if not isinstance(item, dict):
                self.error(path, "must be a mapping with name and roles")
                continue
            self.unknown_keys(item, PERSON_KEYS, path)
            name = self.text(item, "name", f"{path}.name", required=True, limit=80)
            held = [
                self.role_reference(role, f"{path}.roles[{j}]", role_names)
                for j, role in enumerate(self.items(item.get("roles"), f"{path}.roles", MAX_ROLES))
            ]
            if not name:
                continue
            if name.casefold() in seen:
                self.error(f"{path}.name", f"duplicate person {name!r} (first at people[{seen[name.casefold()]}])")
                continue
            seen[name.casefold()] = i
            people.append(PersonData(name=name, roles=tuple(dict.fromkeys(r for r in held if r))))
        return people

    def activities(self, value, roles: list[RoleData], role_names: dict[str, str]) -> list[ActivityData]:
        activities, seen = [], {}
        order = {role.name: position for position, role in enumerate(roles)}
        for i, item in enumerate(self.items(value, "activities", MAX_ACTIVITIES)):
            path = f"activities[{i}]"
            if not isinstance(item, dict):
                self.error(path, "must be a mapping with a name")
                continue
            self.unknown_keys(item, ACTIVITY_KEYS, path)
            name = self.text(item, "name", f"{path}.name", required=True, limit=MAX_NAME)
            group = " ".join(self.text(item, "group", f"{path}.group", required=False, limit=MAX_GROUP).split())
            description = self.text(item, "description", f"{path}.description", required=False, limit=MAX_DESCRIPTION)
            hours = self.hours(item.get("hours"), f"{path}.hours")
            elements = self.elements(item.get("elements"), f"{path}.elements")
            raci = self.raci(item.get("raci"), f"{path}.raci", role_names)
            if not name:
                continue
            if name.casefold() in seen:
                self.error(f"{path}.name", f"duplicate activity {name!r} (first at activities[{seen[name.casefold()]}])")
                continue
            seen[name.casefold()] = i
            activities.append(
                ActivityData(
                    name=name, description=description, elements=elements,
                    raci=tuple(sorted(raci, key=lambda pair: order[pair[0]])), group=group, hours=hours,
                )
            )
        return activities

    def elements(self, value, path: str) -> tuple[str, ...]:
        resolved = (self.element(reference, f"{path}[{j}]") for j, reference in enumerate(self.items(value, path, MAX_ELEMENTS)))
        return tuple(dict.fromkeys(canonical for canonical in resolved if canonical))

    def element(self, reference, path: str) -> str | None:
        if not isinstance(reference, str):
            self.error(path, f"must be text like read:positioning, not {_kind(reference)}")
            return None
        canonical, problem = self.index.resolve(reference)
        if canonical is None:
            self.error(path, problem)
        return canonical

    def hours(self, value, path: str, low=None, high=None) -> float | None:
        """Hours (an activity's, or fte_hours between low and high); None when left out."""
        if value is None:
            return None
        if isinstance(value, str) and not value.strip():
            return None
        limits = {} if low is None else {"low": low, "high": high}
        hours, problem = parse_hours(value, **limits)
        if problem:
            self.error(path, problem)
        return hours

    def assessment(self, value) -> tuple[AssessmentData, ...]:
        assessed, seen = [], {}
        for i, item in enumerate(self.items(value, "assessment", MAX_ASSESSMENTS)):
            path = f"assessment[{i}]"
            if not isinstance(item, dict):
                self.error(path, "must be a mapping with element, importance and performance")
                continue
            self.unknown_keys(item, ASSESSMENT_KEYS, path)
            element = self.element(item.get("element"), f"{path}.element")
            importance = self.score(item.get("importance"), f"{path}.importance")
            performance = self.score(item.get("performance"), f"{path}.performance")
            if element in seen:
                self.error(f"{path}.element", f"{element} is assessed twice (first at assessment[{seen[element]}])")
                continue
            if element and importance and performance:
                seen[element] = i
                assessed.append(AssessmentData(element=element, importance=importance, performance=performance))
        return tuple(assessed)

    def score(self, value, path: str) -> int | None:
        if value is None:
            self.error(path, f"is required: a whole number from {SCALE.start} to {SCALE.stop - 1}")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            self.error(path, f"must be a whole number from {SCALE.start} to {SCALE.stop - 1}, not {value!r}"[:120])
            return None
        return value

    def raci(self, value, path: str, role_names: dict[str, str]) -> list[tuple[str, str]]:
        if value is None:
            return []
        if not isinstance(value, dict):
            self.error(path, f"must be a mapping of role name to letters, not {_kind(value)}")
            return []
        if len(value) > MAX_ROLES:
            self.error(path, f"has {len(value):,} roles; the limit is {MAX_ROLES}")
            return []
        cells = {}
        for role, letters in value.items():
            where = f"{path}.{role}"
            name = self.role_reference(role, where, role_names)
            held = parse_letters(letters) if isinstance(letters, str) else None
            if held is None:
                self.error(where, refusal(letters))
                continue
            if name is None or not held:
                continue
            if name in cells:
                self.error(where, f"the role {name!r} appears twice in this row")
                continue
            cells[name] = held
        return list(cells.items())


def _kind(value) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)
