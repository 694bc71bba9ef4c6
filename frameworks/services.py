"""Writes to the framework library: loading library files into the database.

Each row remembers the fingerprint of the file content it was last loaded from. On a
re-load a row is updated only if nobody changed it since; an admin's edit is kept and
reported (or replaced with force=True). A file with any problem loads nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from frameworks.library import (
    DEFAULT_ARCHETYPES,
    LIBRARY_DIR,
    CrosswalkSpec,
    ElementSpec,
    FrameworkSpec,
    Problem,
    SourceSpec,
    library_files,
    parse_framework,
)
from frameworks.models import Archetype, Crosswalk, Element, Framework, Guidance


@dataclass
class LoadReport:
    problems: list[Problem] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    loaded_files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def ensure_default_archetypes():
    for position, (slug, short_name, name) in enumerate(DEFAULT_ARCHETYPES):
        Archetype.objects.get_or_create(
            slug=slug, defaults={"short_name": short_name, "name": name, "position": position}
        )


def load_library(*, directory: Path = LIBRARY_DIR, force: bool = False, paths=None) -> LoadReport:
    report = LoadReport()
    ensure_default_archetypes()
    archetypes = {archetype.slug: archetype for archetype in Archetype.objects.all()}
    parsed: list[tuple[str, FrameworkSpec]] = []
    for path in paths if paths is not None else library_files(directory):
        spec, problems = parse_framework(path.read_bytes(), path.name, set(archetypes))
        if problems:
            report.problems.extend(problems)
        else:
            parsed.append((path.name, spec))
    parsed = _without_clashing_slugs(parsed, report)
    known = _known_references(parsed)
    for position, (filename, spec) in enumerate(parsed):
        problems = [
            Problem(filename, f"crosswalks[{index}].to", f"{crosswalk.target!r} is not a known element")
            for index, crosswalk in enumerate(spec.crosswalks)
            if crosswalk.target not in known
        ]
        if problems:
            report.problems.extend(problems)
            continue
        with transaction.atomic():
            _apply_framework(spec, position, archetypes, force, report)
        report.loaded_files.append(filename)
    with transaction.atomic():
        for filename, spec in parsed:
            if filename in report.loaded_files:
                _apply_crosswalks(spec, force, report)
    return report


def _without_clashing_slugs(parsed, report):
    seen: dict[str, str] = {}
    result = []
    for filename, spec in parsed:
        names = (spec.slug, *spec.aliases)
        clash = next((name for name in names if name in seen), None)
        if clash:
            report.problems.append(Problem(filename, "slug", f"{clash!r} is already used by {seen[clash]}"))
            continue
        seen.update(dict.fromkeys(names, filename))
        result.append((filename, spec))
    return result


def _known_references(parsed) -> set[str]:
    loading = {spec.slug for _, spec in parsed}
    known = {
        f"{slug}:{code}"
        for slug, code in Element.objects.exclude(framework__slug__in=loading).values_list(
            "framework__slug", "code"
        )
    }
    for _, spec in parsed:
        known.update(f"{spec.slug}:{element.code}" for element, _ in spec.walk())
    return known


def _decide(*, current: str, last_loaded: str, incoming: str, force: bool) -> str:
    """'same', 'apply', 'keep' (an admin edit, file unchanged) or 'conflict'."""
    if current == incoming:
        return "same"
    if current == last_loaded or force:
        return "apply"
    if last_loaded == incoming:
        return "keep"
    return "conflict"


def _apply_framework(spec: FrameworkSpec, position, archetypes, force, report):
    framework = Framework.objects.filter(slug=spec.slug).first()
    if framework is None:
        framework = Framework(slug=spec.slug)
        _set_header(framework, spec)
        report.created.append(spec.slug)
    else:
        incoming = spec.header_fingerprint()
        decision = _decide(
            current=framework_spec(framework, with_elements=False).header_fingerprint(),
            last_loaded=framework.library_fingerprint,
            incoming=incoming,
            force=force,
        )
        _note(decision, spec.slug, report)
        if decision == "apply":
            _set_header(framework, spec)
        elif decision == "same":
            framework.library_fingerprint = incoming
    framework.version = spec.version
    framework.position = position
    framework.save()

    existing = {element.code: element for element in framework.elements.prefetch_related("guidance__archetype")}
    in_file = set()
    for order, (element_spec, parent_code) in enumerate(spec.walk()):
        in_file.add(element_spec.code)
        element = existing.get(element_spec.code)
        label = f"{spec.slug}:{element_spec.code}"
        parent = existing[parent_code] if parent_code else None
        incoming = element_spec.fingerprint(parent_code)
        if element is None:
            element = Element(framework=framework, code=element_spec.code)
            _set_element(element, element_spec, parent, order, incoming, archetypes)
            existing[element.code] = element
            report.created.append(label)
            continue
        current = element_spec_from_row(element).fingerprint(element.parent.code if element.parent else None)
        decision = _decide(
            current=current, last_loaded=element.library_fingerprint, incoming=incoming, force=force
        )
        _note(decision, label, report)
        if decision == "apply":
            _set_element(element, element_spec, parent, order, incoming, archetypes)
        else:
            if decision == "same":
                element.library_fingerprint = incoming
            element.position = order
            element.save(update_fields=["position", "library_fingerprint"])

    for code, element in existing.items():
        if code in in_file:
            continue
        label = f"{spec.slug}:{code}"
        if not element.library_fingerprint:
            report.kept_edits.append(f"{label} (added by an admin, not in the file)")
            continue
        current = element_spec_from_row(element).fingerprint(element.parent.code if element.parent else None)
        if current != element.library_fingerprint and not force:
            report.conflicts.append(f"{label}: removed from the file but edited by an admin; kept")
            continue
        element.delete()
        report.removed.append(label)


def _note(decision: str, label: str, report: LoadReport):
    if decision == "apply":
        report.updated.append(label)
    elif decision == "keep":
        report.kept_edits.append(f"{label} (edited by an admin; the file has not changed)")
    elif decision == "conflict":
        report.conflicts.append(
            f"{label}: edited by an admin and changed in the file; kept the admin's version "
            "(load with --force to take the file's)"
        )


def _set_header(framework: Framework, spec: FrameworkSpec):
    framework.title = spec.title
    framework.aliases = list(spec.aliases)
    framework.summary = spec.summary
    framework.notes = spec.notes
    framework.source_author = spec.source.author
    framework.source_title = spec.source.title
    framework.source_publisher = spec.source.publisher
    framework.source_url = spec.source.url
    framework.source_date = spec.source.date
    framework.source_also = spec.source.also
    framework.library_fingerprint = spec.header_fingerprint()


def _set_element(element: Element, spec: ElementSpec, parent, order, fingerprint, archetypes):
    element.parent = parent
    element.name = spec.name
    element.aliases = list(spec.aliases)
    element.description = spec.description
    element.essential = spec.essential
    element.orientation = spec.orientation
    element.excluded = spec.excluded
    element.position = order
    element.library_fingerprint = fingerprint
    element.save()
    element.guidance.all().delete()
    Guidance.objects.bulk_create(
        Guidance(element=element, archetype=archetypes[slug], letters=held) for slug, held in spec.guidance
    )


def _apply_crosswalks(spec: FrameworkSpec, force: bool, report: LoadReport):
    elements = {
        f"{slug}:{code}": pk
        for pk, slug, code in Element.objects.values_list("pk", "framework__slug", "code")
    }
    existing = {
        (crosswalk.source.code, crosswalk.target.reference): crosswalk
        for crosswalk in Crosswalk.objects.filter(source__framework__slug=spec.slug).select_related(
            "source", "target__framework"
        )
    }
    in_file = set()
    for crosswalk_spec in spec.crosswalks:
        key = (crosswalk_spec.source, crosswalk_spec.target)
        in_file.add(key)
        label = f"{spec.slug}:{crosswalk_spec.source} -> {crosswalk_spec.target}"
        incoming = crosswalk_spec.fingerprint()
        crosswalk = existing.get(key)
        if crosswalk is None:
            Crosswalk.objects.create(
                source_id=elements[f"{spec.slug}:{crosswalk_spec.source}"],
                target_id=elements[crosswalk_spec.target],
                relation=crosswalk_spec.relation,
                note=crosswalk_spec.note,
                library_fingerprint=incoming,
            )
            report.created.append(label)
            continue
        current = CrosswalkSpec(
            source=crosswalk_spec.source, target=crosswalk_spec.target,
            relation=crosswalk.relation, note=crosswalk.note,
        ).fingerprint()
        decision = _decide(
            current=current, last_loaded=crosswalk.library_fingerprint, incoming=incoming, force=force
        )
        _note(decision, label, report)
        if decision in ("apply", "same"):
            crosswalk.relation = crosswalk_spec.relation
            crosswalk.note = crosswalk_spec.note
            crosswalk.library_fingerprint = incoming
            crosswalk.save()
    for key, crosswalk in existing.items():
        if key in in_file:
            continue
        label = f"{spec.slug}:{key[0]} -> {key[1]}"
        if crosswalk.library_fingerprint:
            crosswalk.delete()
            report.removed.append(label)
        else:
            report.kept_edits.append(f"{label} (added by an admin, not in the file)")


def element_spec_from_row(element: Element, children=()) -> ElementSpec:
    return ElementSpec(
        code=element.code,
        name=element.name,
        aliases=tuple(element.aliases),
        description=element.description,
        essential=element.essential,
        orientation=element.orientation,
        excluded=element.excluded,
        guidance=tuple(sorted((g.archetype.slug, g.letters) for g in element.guidance.all())),
        children=tuple(children),
    )


def framework_spec(framework: Framework, *, with_elements: bool = True) -> FrameworkSpec:
    """The spec of a framework as the database holds it (what export writes)."""
    elements = ()
    crosswalks = ()
    if with_elements:
        rows = list(framework.elements.prefetch_related("guidance__archetype").order_by("position", "id"))
        children: dict[int | None, list[Element]] = {}
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)

        def build(row):
            return element_spec_from_row(row, [build(child) for child in children.get(row.pk, [])])

        elements = tuple(build(row) for row in children.get(None, []))
        crosswalks = tuple(
            CrosswalkSpec(source=c.source.code, target=c.target.reference, relation=c.relation, note=c.note)
            for c in Crosswalk.objects.filter(source__framework=framework)
            .select_related("source", "target__framework")
            .order_by("id")
        )
    return FrameworkSpec(
        slug=framework.slug,
        title=framework.title,
        aliases=tuple(framework.aliases),
        version=framework.version,
        source=SourceSpec(
            author=framework.source_author,
            title=framework.source_title,
            publisher=framework.source_publisher,
            date=framework.source_date,
            url=framework.source_url,
            also=framework.source_also,
        ),
        summary=framework.summary,
        notes=framework.notes,
        elements=elements,
        crosswalks=crosswalks,
    )
