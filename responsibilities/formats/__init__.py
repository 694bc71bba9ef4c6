"""Workspace import and export formats, as plain data (no database, no Django).

Every parser takes bytes and an ElementIndex and returns (WorkspaceData, []) or
(None, [FormatError, ...]) listing every problem; nothing here writes anything. The
services module turns a WorkspaceData into rows, and a selector builds one from rows.

- document.py    the workspace document, YAML or JSON (SPEC "Formats")
- spreadsheet.py the RACI spreadsheet, CSV or XLSX
- markdown.py    the RACI sheet as a Markdown table (read like a spreadsheet)
- export.py      WorkspaceData -> YAML, JSON, CSV, XLSX, Markdown
"""

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

MAX_UPLOAD_BYTES = 2_000_000  # documented in the README; a RACI sheet is a few KB
MAX_GROUP = 80  # Activity.group
# A reader stops at the first MAX_PROBLEMS problems: enough to fix a file by, and a hostile
# file with a problem in every cell costs no more than that to answer.
MAX_PROBLEMS = 50


def megabytes(size: int) -> str:
    """`2 MB`, `2.01 MB`: rounded up, so a file just over a limit never reads as equal to it."""
    return f"{math.ceil(size / 10_000) / 100:g} MB"


# File suffixes each reader takes.
DOCUMENT_SUFFIXES = {"yaml", "yml", "json"}
SPREADSHEET_SUFFIXES = {"csv", "xlsx"}
MARKDOWN_SUFFIXES = {"md", "markdown"}
IMPORT_SUFFIXES = DOCUMENT_SUFFIXES | SPREADSHEET_SUFFIXES | MARKDOWN_SUFFIXES

SIZES = ("startup", "scale-up", "enterprise")
MARKETS = ("b2b", "b2c")
DEFAULT_FRAMEWORK = "read"


@dataclass(frozen=True)
class FormatError:
    where: str  # "row 3, column PM", "activities[3].raci.PM", or "" for the whole file
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


MORE_PROBLEMS = FormatError("", f"…and more; showing the first {MAX_PROBLEMS}")


class TooManyProblems(Exception):
    """Raised by Problems.add past MAX_PROBLEMS: the reader stops there."""


class Problems(list):
    """The problems a reader has found, in order. Adding one past MAX_PROBLEMS raises
    TooManyProblems; the reader then answers `[*problems, MORE_PROBLEMS]`."""

    def add(self, where: str, message: str):
        if len(self) >= MAX_PROBLEMS:
            raise TooManyProblems
        self.append(FormatError(where, message))


def problem_count(errors: list) -> str:
    """`3 problems`, or `more than 50 problems` for a list a reader cut short."""
    if errors and errors[-1] == MORE_PROBLEMS:
        return f"more than {MAX_PROBLEMS} problems"
    return f"{len(errors)} problem{'' if len(errors) == 1 else 's'}"


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
    group: str = ""  # the team's own grouping from its sheet ("Pre-launch"), kept as given
    hours: float | None = None  # per month, all roles together; None: not sized


@dataclass(frozen=True)
class AssessmentData:
    element: str  # canonical "slug:code"
    importance: int  # 1–5
    performance: int  # 1–5


@dataclass(frozen=True)
class WorkspaceData:
    """A workspace as plain data. `fte_hours` and `assessment` are None when the source does not
    say (a spreadsheet never does; a document may leave them out): an import then keeps the
    workspace's own, where an empty `assessment` clears it."""

    name: str | None
    size: str = "startup"
    market: str = "b2b"
    framework: str = DEFAULT_FRAMEWORK
    roles: tuple[RoleData, ...] = ()
    people: tuple[PersonData, ...] = ()
    activities: tuple[ActivityData, ...] = ()
    fte_hours: float | None = None
    assessment: tuple[AssessmentData, ...] | None = None


# Hours: what Activity.hours and Workspace.fte_hours hold (two decimals; tests check the
# models agree). Read here from text or numbers, with the same words for every format.
MAX_HOURS = Decimal("99999.99")
FTE_HOURS_RANGE = (Decimal("1"), Decimal("744"))  # a month has at most 744 hours
SCALE = range(1, 6)  # importance and performance
_CENT = Decimal("0.01")
_PLAIN = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}", re.ASCII)
_HOUR_UNIT = re.compile(r"\s*(?:h|hrs?|hours?)\.?$", re.IGNORECASE)


def figure(value) -> str:
    """A number as people write it (float or Decimal): at most two decimals, no trailing
    zeros (`12`, `1.5`, `0.33`); "" for None. Hours everywhere, and staffing's figures."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


hours_text = figure  # hours read as hours where they are written: forms, history, exports


def hours_number(value: float) -> int | float:
    """Hours for a document: a whole number as one (`12`, not `12.0`)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def parse_hours(value, *, low: Decimal = Decimal("0"), high: Decimal = MAX_HOURS) -> tuple[float | None, str]:
    """(hours, "") or (None, why not), from a number or the text of a cell.

    Text: digits with an optional decimal point (`12`, `1.5`), a decimal comma when it cannot
    be a thousands separator (`1,5`, `2,25`; `1,500` is refused as ambiguous), thousands
    separators when they cannot be a decimal comma (`1,500.5`, `1,500,000`), an optional
    unit (`12h`, `12 hours`).
    Refused with a reason: a negative number, a formula, an exponent, `nan`, `inf`, more than
    two decimals, anything outside low–high. Empty text is (None, ""): not sized.
    """
    if isinstance(value, bool):
        return None, f"{value!r} is not a number of hours"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None, f"{value!r} is not a number of hours"
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    elif isinstance(value, str):
        number, problem = _hours_in_text(value)
        if number is None:
            return None, problem
    else:
        return None, f"must be a number of hours, not {type(value).__name__}"
    if number < 0:
        return None, f"{_shown(number)} is negative; hours are 0 or more"
    if not low <= number <= high:
        return None, f"{_shown(number)} is outside {low:,}–{high:,}"
    if number != number.quantize(_CENT):
        return None, f"{_shown(number)} has more than two decimals; write at most two (like 1.25)"
    return float(abs(number)), ""  # abs: -0 is 0


def _shown(number: Decimal) -> str:
    """A number as the message shows it: a huge one is not spelled out in full."""
    return f"{number:f}" if abs(number) < 10**12 and len(str(number)) <= 20 else "a number this large"


def _hours_in_text(raw: str) -> tuple[Decimal | None, str]:
    text = " ".join(raw.split())
    shown = repr(raw[:20])
    if not text:
        return None, ""
    if text[0] in "=+@":
        return None, f"{shown} looks like a formula; write the number of hours itself"
    if text.startswith("-"):
        return None, f"{shown} is negative; hours are 0 or more"
    text = _HOUR_UNIT.sub("", text)
    if _PLAIN.fullmatch(text):
        plain = text
    elif _DECIMAL_COMMA.fullmatch(text):
        plain = text.replace(",", ".")
    elif _THOUSANDS.fullmatch(text) and ("." in text or text.count(",") > 1):
        plain = text.replace(",", "")
    elif _THOUSANDS.fullmatch(text):  # 1,500: a thousand and a half, or one and a half?
        whole, decimal = text.replace(",", ""), Decimal(text.replace(",", ".")).normalize()
        return None, f"{shown} is ambiguous: write {whole} or {decimal:f}"
    else:
        return None, f"{shown} is not a number of hours (write it like 12 or 1.5)"
    try:
        return Decimal(plain), ""
    except InvalidOperation:
        return None, f"{shown} is not a number of hours (write it like 12 or 1.5)"


@dataclass(frozen=True)
class LibraryElement:
    framework: str  # slug
    code: str
    name: str
    parent: str = ""  # the parent element's name; "" for a category (a top-level element)

    def described(self) -> str:
        """`slug:code (Name, in Parent)`: enough to tell two elements of one name apart."""
        place = f"in {self.parent}" if self.parent else "a category"
        return f"{self.framework}:{self.code} ({self.name}, {place})"


@dataclass
class ElementIndex:
    """Resolves `slug:code` or `slug:Element name` (case-insensitive) against the library.

    A reference written exactly as an element's code (codes are lower-case, as exports write
    them) is that element. Otherwise every element whose code or name matches, ignoring case,
    is a candidate, and more than one candidate is ambiguous: `pragmatic:Programs` could be
    the Programs column (code `programs`) or the Support box named Programs (code
    `support-programs`), so it is refused with both listed rather than read as either.
    """

    elements: list[LibraryElement]
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> slug
    _by_code: dict = field(init=False, repr=False)
    _by_name: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_code = {}
        self._by_name = {}
        for element in self.elements:
            self._by_code.setdefault((element.framework, element.code.casefold()), []).append(element)
            self._by_name.setdefault((element.framework, element.name.casefold()), []).append(element)

    @property
    def slugs(self) -> set[str]:
        return {element.framework for element in self.elements}

    def candidates(self, slug: str, text: str) -> list[LibraryElement]:
        """The elements of framework `slug` that `text` names by code or by name."""
        exact = [e for e in self._by_code.get((slug, text.casefold()), []) if e.code == text]
        if exact:
            return exact
        matches = [*self._by_code.get((slug, text.casefold()), []), *self._by_name.get((slug, text.casefold()), [])]
        return list(dict.fromkeys(matches))

    def resolve(self, reference: str) -> tuple[str | None, str]:
        """("slug:code", "") or (None, a message naming the problem and any candidates)."""
        slug, sep, rest = reference.strip().partition(":")
        slug = self.aliases.get(slug.strip().lower(), slug.strip().lower())
        rest = " ".join(rest.split())
        if not sep or not slug or not rest:
            return None, f"{reference!r} is not an element reference (write framework:code or framework:Element name)"
        if slug not in self.slugs:
            return None, f"unknown framework {slug!r} in {reference!r} (known: {', '.join(sorted(self.slugs))})"
        matches = self.candidates(slug, rest)
        if len(matches) == 1:
            return f"{slug}:{matches[0].code}", ""
        if len(matches) > 1:
            candidates = " or ".join(m.described() for m in matches)
            return None, f"{reference!r} is ambiguous: it could be {candidates}; write the code to choose"
        return None, f"unknown element {reference!r} in framework {slug!r}"
