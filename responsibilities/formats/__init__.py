"""Workspace import and export formats, as plain data (no database, no Django).

Every parser takes bytes and an ElementIndex and returns (WorkspaceData, []) or
(None, [FormatError, ...]) listing every problem; nothing here writes anything. The
services module turns a WorkspaceData into rows, and a selector builds one from rows.

- document.py    the workspace document, YAML or JSON (SPEC "Formats")
- spreadsheet.py the RACI spreadsheet, CSV or XLSX
- export.py      WorkspaceData -> YAML, JSON, CSV, XLSX, Markdown
"""

from dataclasses import dataclass, field

MAX_UPLOAD_BYTES = 2_000_000  # documented in the README; a RACI sheet is a few KB

SIZES = ("startup", "scale-up", "enterprise")
MARKETS = ("b2b", "b2c")
DEFAULT_FRAMEWORK = "read"


@dataclass(frozen=True)
class FormatError:
    where: str  # "row 3, column PM", "activities[3].raci.PM", or "" for the whole file
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class RoleData:
    name: str
    archetype: str  # an archetype slug: pm, pmm, marcom, sales, engineering, cs, design, exec, other


@dataclass(frozen=True)
class PersonData:
    name: str
    roles: tuple[str, ...] = ()  # role names


@dataclass(frozen=True)
class ActivityData:
    name: str
    description: str = ""
    elements: tuple[str, ...] = ()  # canonical "slug:code" references
    raci: tuple[tuple[str, str], ...] = ()  # (role name, canonical letters R/A/C/I/A/R), in role order


@dataclass(frozen=True)
class WorkspaceData:
    name: str | None
    size: str = "startup"
    market: str = "b2b"
    framework: str = DEFAULT_FRAMEWORK
    roles: tuple[RoleData, ...] = ()
    people: tuple[PersonData, ...] = ()
    activities: tuple[ActivityData, ...] = ()


@dataclass(frozen=True)
class LibraryElement:
    framework: str  # slug
    code: str
    name: str


@dataclass
class ElementIndex:
    """Resolves `slug:code` or `slug:Element name` (case-insensitive) against the library."""

    elements: list[LibraryElement]
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> slug
    _by_code: dict = field(init=False, repr=False)
    _by_name: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_code = {(e.framework, e.code): e for e in self.elements}
        self._by_name = {}
        for element in self.elements:
            self._by_name.setdefault((element.framework, element.name.casefold()), []).append(element)

    @property
    def slugs(self) -> set[str]:
        return {element.framework for element in self.elements}

    def resolve(self, reference: str) -> tuple[str | None, str]:
        """("slug:code", "") or (None, a message naming the problem and any candidates)."""
        slug, sep, rest = reference.strip().partition(":")
        slug = self.aliases.get(slug.strip().lower(), slug.strip().lower())
        rest = rest.strip()
        if not sep or not slug or not rest:
            return None, f"{reference!r} is not an element reference (write framework:code or framework:Element name)"
        if slug not in self.slugs:
            return None, f"unknown framework {slug!r} in {reference!r} (known: {', '.join(sorted(self.slugs))})"
        element = self._by_code.get((slug, rest.lower()))
        if element is not None:
            return f"{slug}:{element.code}", ""
        matches = self._by_name.get((slug, rest.casefold()), [])
        if len(matches) == 1:
            return f"{slug}:{matches[0].code}", ""
        if len(matches) > 1:
            candidates = ", ".join(f"{slug}:{m.code}" for m in matches)
            return None, f"{reference!r} is ambiguous: it could be {candidates}"
        return None, f"unknown element {reference!r} in framework {slug!r}"
