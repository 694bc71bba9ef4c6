"""Snapshots of a workspace and what changed between two of them: plain data, no Django.

A snapshot's content is what `freeze` returns, kept as JSON: the workspace document (roles,
people, activities with their mappings and letters, as the export writes it) and, for each
framework of the library at that moment, its title, element names, coverage (overall and per
category) and findings in `analyze`'s JSON form. Findings that do not depend on the framework
(analysis.WORKSPACE_KINDS: a row with no A, an idle role…) are kept once, not per framework.
Everything a comparison shows is read from there, so an element renamed or a framework
edited later still reads as it did in an old comparison.

`compare` reads two contents through one framework. Decisions where the issue leaves room:
- Activities and roles are matched by name, ignoring case as the database does (`lower()`:
  names are unique that way in a workspace, so "Strasse" and "Straße" stay two): a renamed
  activity is one removed and one added.
- Cell changes are the letters that differ on the activities present in both states, for
  every role of either state: a role removed shows its letters going to "" (not involved),
  which is how "who took over what" reads when work moves to a renamed or new role.
- A finding is the same problem in both states when its kind and subject match: the
  activity (by name), the element (by reference: codes are stable across library versions),
  the person, and for an idle role the role. Its wording may differ (the number of
  activities, who shares it); the newer wording is shown.
"""

from dataclasses import dataclass

from responsibilities.analysis import (
    WORKSPACE_KINDS,
    ActivityIn,
    Analysis,
    Coverage,
    FrameworkIn,
    PersonIn,
    RoleIn,
    WorkspaceIn,
    analyze,
)

CONTENT_FORMAT = 1


# Freezing a state


def workspace_in(document: dict) -> WorkspaceIn:
    """The findings engine's input from a workspace document (keys are names, folded)."""
    roles = [
        RoleIn(key=role["name"].lower(), name=role["name"], archetype=role["archetype"])
        for role in document.get("roles", ())
    ]
    return WorkspaceIn(
        size=document.get("size", "startup"),
        roles=tuple(roles),
        people=tuple(
            PersonIn(key=person["name"].lower(), name=person["name"], roles=tuple(r.lower() for r in person.get("roles", ())))
            for person in document.get("people", ())
        ),
        activities=tuple(
            ActivityIn(
                key=activity["name"].lower(),
                name=activity["name"],
                elements=tuple(activity.get("elements", ())),
                raci=tuple((role.lower(), held) for role, held in activity.get("raci", {}).items()),
            )
            for activity in document.get("activities", ())
        ),
    )


def finding_json(finding) -> dict:
    """A finding as `analyze --format json` writes it, with the source it cites."""
    return {
        "kind": finding.kind,
        "severity": finding.severity,
        "activity": finding.activity_name if finding.activity else None,
        "element": finding.element,
        "element_name": finding.element_name,
        "roles": list(finding.roles),
        "person": finding.person,
        "message": finding.message,
        "source": finding.source,
    }


# `analyze --format json`'s keys, in its order: a kept finding read back from PostgreSQL's
# jsonb has its keys in another order.
PUBLIC_FINDING_KEYS = ("kind", "severity", "activity", "element", "element_name", "roles", "person", "message")


def public_finding(finding: dict) -> dict:
    """A kept finding in exactly `analyze --format json`'s form (without the source)."""
    return {key: finding[key] for key in PUBLIC_FINDING_KEYS}


def _coverage_json(coverage: Coverage) -> dict:
    return {"elements": coverage.elements, "covered": coverage.covered, "owned": coverage.owned}


def framework_state(analysis: Analysis) -> dict:
    """What a snapshot keeps of one framework's reading."""
    framework = analysis.framework
    return {
        "title": framework.title,
        "elements": {element.ref: element.name for element in framework.elements},
        "coverage": _coverage_json(analysis.coverage),
        "categories": [
            {"element": category.element.ref, "name": category.element.name, **_coverage_json(category.coverage)}
            for category in analysis.categories
        ],
        "findings": [finding_json(f) for f in analysis.findings if f.kind not in WORKSPACE_KINDS],
    }


def freeze(document: dict, frameworks: list[FrameworkIn]) -> dict:
    """A snapshot's content: `document` and its reading through each of `frameworks`."""
    workspace = workspace_in(document)
    analyses = [analyze(workspace, framework) for framework in frameworks]
    common = analyses[0].findings if analyses else analyze(workspace, FrameworkIn(slug="", title="", source="")).findings
    return {
        "format": CONTENT_FORMAT,
        "document": document,
        "findings": [finding_json(f) for f in common if f.kind in WORKSPACE_KINDS],
        "frameworks": {analysis.framework.slug: framework_state(analysis) for analysis in analyses},
    }


def with_framework(content: dict, framework: FrameworkIn) -> dict:
    """`content` with a reading through `framework` added, worked out from its document with the
    library of today: for a framework added to the library after the snapshot was taken."""
    if framework.slug in content["frameworks"]:
        return content
    analysis = analyze(workspace_in(content["document"]), framework)
    return {**content, "frameworks": {**content["frameworks"], framework.slug: framework_state(analysis)}}


def coverage_percent(content: dict, slug: str) -> int | None:
    state = content["frameworks"].get(slug)
    return _coverage(state["coverage"]).percent if state else None


# Comparing two states


@dataclass(frozen=True)
class CategoryDelta:
    element: str  # "slug:code"
    name: str
    before: Coverage | None  # None: the category was not in the framework then
    after: Coverage | None

    @property
    def delta(self) -> int | None:
        """Covered percentage points gained; None when the framework did not have the category
        in one of the two states (that is no gain or loss of the team's)."""
        if self.before is None or self.after is None:
            return None
        return self.after.percent - self.before.percent


@dataclass(frozen=True)
class CellChange:
    activity: str
    role: str
    before: str  # letters as the matrix writes them, "" for not involved
    after: str


@dataclass(frozen=True)
class Comparison:
    framework: str  # slug
    framework_title: str
    coverage_before: Coverage
    coverage_after: Coverage
    categories: tuple[CategoryDelta, ...]
    resolved: tuple[dict, ...]  # findings in `finding_json` form
    new: tuple[dict, ...]
    changes: tuple[CellChange, ...]
    activities_added: tuple[str, ...]
    activities_removed: tuple[str, ...]
    roles_added: tuple[str, ...]
    roles_removed: tuple[str, ...]

    @property
    def delta(self) -> int:
        """Covered percentage points gained (negative: lost)."""
        return self.coverage_after.percent - self.coverage_before.percent

    @property
    def unchanged(self) -> bool:
        return not (
            self.delta or self.resolved or self.new or self.changes or self.activities_added
            or self.activities_removed or self.roles_added or self.roles_removed
            or any(category.delta for category in self.categories if category.delta is not None)
        )


def compare(before: dict, after: dict, slug: str) -> Comparison:
    """What changed from the content `before` to `after`, read through the framework `slug`
    (which both must hold: see `with_framework`)."""
    old, new = before["frameworks"][slug], after["frameworks"][slug]
    old_findings = before["findings"] + old["findings"]
    new_findings = after["findings"] + new["findings"]
    old_keys = {finding_key(f) for f in old_findings}
    new_keys = {finding_key(f) for f in new_findings}
    old_activities, new_activities = _by_name(before["document"].get("activities", ())), _by_name(after["document"].get("activities", ()))
    old_roles, new_roles = _by_name(before["document"].get("roles", ())), _by_name(after["document"].get("roles", ()))
    return Comparison(
        framework=slug,
        framework_title=new["title"],
        coverage_before=_coverage(old["coverage"]),
        coverage_after=_coverage(new["coverage"]),
        categories=_categories(old["categories"], new["categories"]),
        resolved=tuple(f for f in old_findings if finding_key(f) not in new_keys),
        new=tuple(f for f in new_findings if finding_key(f) not in old_keys),
        changes=_cell_changes(old_activities, new_activities, old_roles, new_roles),
        activities_added=tuple(a["name"] for key, a in new_activities.items() if key not in old_activities),
        activities_removed=tuple(a["name"] for key, a in old_activities.items() if key not in new_activities),
        roles_added=tuple(r["name"] for key, r in new_roles.items() if key not in old_roles),
        roles_removed=tuple(r["name"] for key, r in old_roles.items() if key not in new_roles),
    )


def finding_key(finding: dict) -> tuple:
    """What a finding is about: the same key in two states is the same problem."""
    roles = tuple(_fold(role) for role in finding.get("roles") or ()) if finding["kind"] == "idle_role" else ()
    return (finding["kind"], _fold(finding.get("activity")), finding.get("element") or "", _fold(finding.get("person")), roles)


def _fold(text: str | None) -> str:
    return text.lower() if text else ""


def _coverage(figures: dict) -> Coverage:
    return Coverage(elements=figures["elements"], covered=figures["covered"], owned=figures["owned"])


def _by_name(items) -> dict[str, dict]:
    return {item["name"].lower(): item for item in items}


def _categories(before: list[dict], after: list[dict]) -> tuple[CategoryDelta, ...]:
    old = {category["element"]: category for category in before}
    new = {category["element"]: category for category in after}
    refs = list(new) + [ref for ref in old if ref not in new]
    return tuple(
        CategoryDelta(
            element=ref,
            name=(new.get(ref) or old[ref])["name"],
            before=_coverage(old[ref]) if ref in old else None,
            after=_coverage(new[ref]) if ref in new else None,
        )
        for ref in refs
    )


def _cell_changes(old_activities: dict, new_activities: dict, old_roles: dict, new_roles: dict) -> tuple[CellChange, ...]:
    roles = {**old_roles, **new_roles}  # the newer spelling of a role's name
    changes = []
    for key, activity in new_activities.items():
        if key not in old_activities:
            continue
        was = {role.lower(): held for role, held in old_activities[key].get("raci", {}).items()}
        now = {role.lower(): held for role, held in activity.get("raci", {}).items()}
        for role_key, role in roles.items():
            if was.get(role_key, "") != now.get(role_key, ""):
                changes.append(CellChange(activity["name"], role["name"], was.get(role_key, ""), now.get(role_key, "")))
    return tuple(changes)
