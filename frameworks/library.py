"""The framework library file format: parse and validate, fingerprint, and write back.

Plain Python over plain data (no database): a file becomes a FrameworkSpec or a list of
Problems, each `file: path.to.field: problem`. The services module puts specs into the
database; export turns the database back into a spec and then into YAML.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from frameworks import letters
from pmmhub.safeyaml import DocumentError, decode_text, dump_yaml, load_yaml

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 2  # category -> item
MAX_ALIASES = 40
MAX_ALIAS = 80

DEFAULT_ARCHETYPES = (  # slug, short label, name
    ("pm", "PM", "Product Management"),
    ("pmm", "PMM", "Product Marketing"),
    ("marcom", "Marcom", "Marketing / Marketing Communications / Corporate Marketing"),
    ("sales", "Sales", "Sales"),
    ("engineering", "Eng", "Engineering"),
    ("cs", "CS", "Customer Success"),
    ("design", "Design", "Design"),
    ("exec", "Exec", "Leadership"),
    ("other", "Other", "Other"),
)

ORIENTATIONS = ("inbound", "outbound", "both")
RELATIONS = ("equivalent", "part_of", "related")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_TOP_KEYS = {
    "slug", "title", "aliases", "version", "source", "summary", "notes", "elements", "crosswalks",
}
_SOURCE_KEYS = {"author", "title", "publisher", "date", "url", "also"}
_ELEMENT_KEYS = {
    "code", "name", "aliases", "description", "essential", "orientation", "excluded", "guidance", "children",
}
_CROSSWALK_KEYS = {"from", "to", "relation", "note"}


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self):
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class SourceSpec:
    author: str
    title: str
    publisher: str = ""
    date: str = ""  # as the source gives it: "2024-07-23", "2021-04-19"
    url: str = ""
    also: str = ""


@dataclass(frozen=True)
class ElementSpec:
    code: str
    name: str
    description: str = ""
    essential: bool = False
    orientation: str = "both"
    excluded: bool = False
    guidance: tuple[tuple[str, str], ...] = ()  # (archetype, letters), sorted by archetype
    children: tuple["ElementSpec", ...] = ()
    aliases: tuple[str, ...] = ()  # the words practitioners use for it, for mapping suggestions

    def fingerprint(self, parent_code: str | None) -> str:
        return fingerprint(
            [
                self.code, self.name, self.description, self.essential, self.orientation,
                self.excluded, parent_code, [list(pair) for pair in self.guidance], list(self.aliases),
            ]
        )


@dataclass(frozen=True)
class CrosswalkSpec:
    source: str  # element code in this framework
    target: str  # slug:code in another
    relation: str
    note: str = ""

    def fingerprint(self) -> str:
        return fingerprint([self.relation, self.note])


@dataclass(frozen=True)
class FrameworkSpec:
    slug: str
    title: str
    source: SourceSpec
    summary: str
    version: int = 1
    aliases: tuple[str, ...] = ()
    notes: str = ""
    elements: tuple[ElementSpec, ...] = ()
    crosswalks: tuple[CrosswalkSpec, ...] = field(default=())

    def header_fingerprint(self) -> str:
        return fingerprint(
            [self.title, list(self.aliases), self.summary, self.notes, list(vars(self.source).values())]
        )

    def walk(self):
        """(element, parent code or None) for every element, parents first."""
        stack = [(element, None) for element in reversed(self.elements)]
        while stack:
            element, parent_code = stack.pop()
            yield element, parent_code
            stack.extend((child, element.code) for child in reversed(element.children))


def fingerprint(content) -> str:
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


class _Reader:
    """Validates a decoded document, collecting every problem with its path."""

    def __init__(self, filename: str, archetypes: set[str]):
        self.filename = filename
        self.archetypes = archetypes
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str):
        self.problems.append(Problem(self.filename, path, message))

    def mapping(self, value, path: str, allowed: set[str], required: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, found {_kind(value)}")
            return None
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                self.problem(_join(path, str(key)), f"unknown key (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - value.keys()):
            self.problem(_join(path, key), "required")
        return value

    def text(self, data: dict, key: str, path: str, *, required=False, limit=10_000) -> str:
        value = data.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(_join(path, key), f"expected text, found {_kind(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.problem(_join(path, key), "must not be empty")
        if len(value) > limit:
            self.problem(_join(path, key), f"longer than {limit} characters")
        return value

    def flag(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(_join(path, key), f"expected true or false, found {_kind(value)}")
            return False
        return value

    def slug(self, value, path: str) -> str:
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 80:
            self.problem(path, "expected lowercase letters, digits and '-' (at most 80)")
            return ""
        return value

    def framework(self, document) -> FrameworkSpec | None:
        data = self.mapping(document, "", _TOP_KEYS, {"slug", "title", "source", "summary", "elements"})
        if data is None:
            return None
        slug = self.slug(data.get("slug"), "slug") if "slug" in data else ""
        title = self.text(data, "title", "", required=True, limit=200)
        summary = self.text(data, "summary", "", required=True)
        notes = self.text(data, "notes", "")
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.problem("version", "expected a whole number of 1 or more")
            version = 1
        aliases = data.get("aliases", []) or []
        if not isinstance(aliases, list):
            self.problem("aliases", f"expected a list, found {_kind(aliases)}")
            aliases = []
        aliases = tuple(self.slug(alias, f"aliases[{i}]") for i, alias in enumerate(aliases))
        if slug and slug in aliases:
            self.problem("aliases", "an alias cannot repeat the slug")
        source = self.source(data.get("source"))
        codes: set[str] = set()
        elements = self.elements(data.get("elements"), "elements", codes, depth=1)
        if "elements" in data and isinstance(data["elements"], list) and not data["elements"]:
            self.problem("elements", "a framework needs at least one element")
        crosswalks = self.crosswalks(data.get("crosswalks", []) or [], codes, slug)
        if self.problems:
            return None
        return FrameworkSpec(
            slug=slug, title=title, aliases=aliases, version=version, source=source,
            summary=summary, notes=notes, elements=elements, crosswalks=crosswalks,
        )

    def source(self, value) -> SourceSpec:
        data = self.mapping(value, "source", _SOURCE_KEYS, {"author", "title"})
        if data is None:
            return SourceSpec(author="", title="")
        url = self.text(data, "url", "source", limit=500)
        if url and not url.startswith(("https://", "http://")):
            self.problem("source.url", "expected a link starting with https:// or http://")
        return SourceSpec(
            author=self.text(data, "author", "source", required=True, limit=200),
            title=self.text(data, "title", "source", required=True, limit=300),
            publisher=self.text(data, "publisher", "source", limit=200),
            date=self.text(data, "date", "source", limit=40),
            url=url,
            also=self.text(data, "also", "source", limit=300),
        )

    def elements(self, value, path: str, codes: set[str], depth: int) -> tuple[ElementSpec, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, f"expected a list, found {_kind(value)}")
            return ()
        if depth > MAX_DEPTH:
            self.problem(path, f"elements nest at most {MAX_DEPTH} levels (category -> item)")
            return ()
        names: set[str] = set()
        result = []
        for index, item in enumerate(value):
            element = self.element(item, f"{path}[{index}]", codes, depth)
            if element is None:
                continue
            if element.name.casefold() in names:
                self.problem(f"{path}[{index}].name", f"{element.name!r} appears twice among its siblings")
            names.add(element.name.casefold())
            result.append(element)
        return tuple(result)

    def element(self, value, path: str, codes: set[str], depth: int) -> ElementSpec | None:
        data = self.mapping(value, path, _ELEMENT_KEYS, {"code", "name"})
        if data is None:
            return None
        code = self.slug(data.get("code"), f"{path}.code") if "code" in data else ""
        if code in codes:
            self.problem(f"{path}.code", f"{code!r} is used by another element of this framework")
        codes.add(code)
        orientation = data.get("orientation", "both")
        if orientation not in ORIENTATIONS:
            self.problem(f"{path}.orientation", f"expected one of {', '.join(ORIENTATIONS)}")
            orientation = "both"
        return ElementSpec(
            code=code,
            name=self.text(data, "name", path, required=True, limit=200),
            aliases=self.aliases(data.get("aliases"), f"{path}.aliases"),
            description=self.text(data, "description", path),
            essential=self.flag(data, "essential", path),
            orientation=orientation,
            excluded=self.flag(data, "excluded", path),
            guidance=self.guidance(data.get("guidance"), f"{path}.guidance"),
            children=self.elements(data.get("children"), f"{path}.children", codes, depth + 1),
        )

    def aliases(self, value, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, f"expected a list of words, found {_kind(value)}")
            return ()
        result = []
        for index, alias in enumerate(value):
            if not isinstance(alias, str) or not alias.strip() or len(alias) > MAX_ALIAS:
                self.problem(f"{path}[{index}]", f"expected a word or phrase of 1 to {MAX_ALIAS} characters")
                continue
            alias = " ".join(alias.split())
            if alias.casefold() in {existing.casefold() for existing in result}:
                self.problem(f"{path}[{index}]", f"{alias!r} is listed twice")
                continue
            result.append(alias)
        if len(result) > MAX_ALIASES:
            self.problem(path, f"at most {MAX_ALIASES} aliases")
        return tuple(result)

    def guidance(self, value, path: str) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping of archetype to letters, found {_kind(value)}")
            return ()
        pairs = []
        for archetype, raw in value.items():
            if archetype not in self.archetypes:
                self.problem(
                    _join(path, str(archetype)),
                    f"unknown archetype (known: {', '.join(sorted(self.archetypes))})",
                )
                continue
            parsed = letters.parse_letters(raw) if isinstance(raw, str) else None
            if not parsed:
                self.problem(_join(path, archetype), f"expected {letters.ACCEPTED_SPELLINGS}")
                continue
            pairs.append((archetype, parsed))
        accountable = sorted(archetype for archetype, held in pairs if letters.is_accountable(held))
        if len(accountable) > 1:
            self.problem(path, f"more than one accountable archetype ({', '.join(accountable)})")
        return tuple(sorted(pairs))

    def crosswalks(self, value, codes: set[str], slug: str) -> tuple[CrosswalkSpec, ...]:
        if not isinstance(value, list):
            self.problem("crosswalks", f"expected a list, found {_kind(value)}")
            return ()
        seen = set()
        result = []
        for index, item in enumerate(value):
            path = f"crosswalks[{index}]"
            data = self.mapping(item, path, _CROSSWALK_KEYS, {"from", "to", "relation"})
            if data is None:
                continue
            source = data.get("from")
            if not isinstance(source, str) or source not in codes:
                self.problem(f"{path}.from", f"{source!r} is not an element code of this framework")
            target = data.get("to")
            if not isinstance(target, str) or not re.match(r"^[a-z0-9-]+:[a-z0-9-]+$", target):
                target = repr(target)
                self.problem(f"{path}.to", "expected slug:code of another framework's element")
            elif target.split(":")[0] == slug:
                self.problem(f"{path}.to", "a crosswalk links two different frameworks")
            relation = data.get("relation")
            if relation not in RELATIONS:
                self.problem(f"{path}.relation", f"expected one of {', '.join(RELATIONS)}")
            source = str(source)
            if (source, target) in seen:
                self.problem(path, f"{source} -> {target} is listed twice")
            seen.add((source, target))
            result.append(
                CrosswalkSpec(
                    source=source, target=target, relation=str(relation),
                    note=self.text(data, "note", path, limit=300),
                )
            )
        return tuple(result)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def parse_framework(
    data: bytes, filename: str, archetypes: set[str] | None = None
) -> tuple[FrameworkSpec | None, list[Problem]]:
    """Read one library file; (spec, []) when valid, (None, problems) otherwise."""
    known = archetypes if archetypes is not None else {slug for slug, *_ in DEFAULT_ARCHETYPES}
    try:
        document = load_yaml(decode_text(data, limit=MAX_FILE_BYTES))
    except DocumentError as error:
        return None, [Problem(filename, "", str(error))]
    reader = _Reader(filename, known)
    spec = reader.framework(document)
    return spec, reader.problems


def library_files(directory: Path = LIBRARY_DIR) -> list[Path]:
    return sorted(path for path in directory.glob("*.yaml") if path.is_file())


def spec_to_document(spec: FrameworkSpec) -> dict:
    """The library file's content for `spec`, keys in the documented order."""
    document = {"slug": spec.slug, "title": spec.title}
    if spec.aliases:
        document["aliases"] = list(spec.aliases)
    document["version"] = spec.version
    document["source"] = {key: value for key, value in vars(spec.source).items() if value}
    document["summary"] = spec.summary
    if spec.notes:
        document["notes"] = spec.notes
    document["elements"] = [_element_document(element) for element in spec.elements]
    if spec.crosswalks:
        document["crosswalks"] = [
            {"from": c.source, "to": c.target, "relation": c.relation, **({"note": c.note} if c.note else {})}
            for c in spec.crosswalks
        ]
    return document


def _element_document(element: ElementSpec) -> dict:
    document = {"code": element.code, "name": element.name}
    if element.aliases:
        document["aliases"] = list(element.aliases)
    if element.description:
        document["description"] = element.description
    if element.essential:
        document["essential"] = True
    if element.orientation != "both":
        document["orientation"] = element.orientation
    if element.excluded:
        document["excluded"] = True
    if element.guidance:
        document["guidance"] = dict(element.guidance)
    if element.children:
        document["children"] = [_element_document(child) for child in element.children]
    return document


def dump_framework(spec: FrameworkSpec) -> str:
    return dump_yaml(spec_to_document(spec))
