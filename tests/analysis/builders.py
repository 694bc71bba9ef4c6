"""Tiny plain-data worlds for the findings engine: no database anywhere in tests/analysis."""

from responsibilities.analysis import (
    ActivityIn,
    CrosswalkIn,
    ElementIn,
    FrameworkIn,
    PersonIn,
    RoleIn,
    WorkspaceIn,
    analyze,
)

ROLES = (
    RoleIn("pm", "Product Manager", "pm"),
    RoleIn("pmm", "Product Marketing", "pmm"),
    RoleIn("mc", "Corp Marketing", "marcom"),
    RoleIn("founder", "Founder", "exec"),
)

# A small framework: two categories, one essential item, one excluded category.
FRAMEWORK = FrameworkIn(
    slug="fw",
    title="Tiny framework",
    source="Tiny Author, “Tiny source”",
    elements=(
        ElementIn("fw:plan", "Plan", essential=True, accountable="pm"),
        ElementIn("fw:roadmap", "Roadmap", parent="fw:plan", essential=True, accountable="pm"),
        ElementIn("fw:pricing", "Pricing", parent="fw:plan", accountable="pm"),
        ElementIn("fw:market", "Market"),
        ElementIn("fw:launch", "Launch", parent="fw:market", essential=True, accountable="pmm"),
        ElementIn("fw:brand", "Brand", parent="fw:market", accountable="marcom"),
        ElementIn("fw:not-pmm", "Not product marketing", excluded=True, accountable="pm"),
        ElementIn("fw:release", "Release management", parent="fw:not-pmm", excluded=True, accountable="pm"),
    ),
    # Read from fw's side, as the selector hands them over ("contains": the other is part of it).
    crosswalks=(
        CrosswalkIn("fw:brand", "other:branding", "equivalent"),
        CrosswalkIn("fw:launch", "other:press-releases", "contains"),
        CrosswalkIn("fw:pricing", "other:monetisation", "part_of"),
        CrosswalkIn("fw:roadmap", "other:roadmap-input", "related"),
    ),
)


def activity(name, *elements, **raci):
    return ActivityIn(key=name.lower().replace(" ", "-"), name=name, elements=tuple(elements), raci=tuple(raci.items()))


def run(*activities, people=(), roles=ROLES, size="scale-up", framework=FRAMEWORK):
    return analyze(WorkspaceIn(roles=tuple(roles), activities=tuple(activities), people=tuple(people), size=size), framework)


def kinds(analysis, kind):
    return [finding for finding in analysis.findings if finding.kind == kind]


def person(name, *role_keys):
    return PersonIn(key=name.lower(), name=name, roles=tuple(role_keys))


def everything_owned(**extra):
    """A workspace that covers and owns every element: a clean baseline."""
    return [
        activity("Roadmap work", "fw:roadmap", pm="A/R", pmm="C"),
        activity("Pricing work", "fw:pricing", pm="A/R"),
        activity("Launch work", "fw:launch", pmm="A/R", mc="R"),
        activity("Brand work", "fw:brand", mc="A/R", pmm="C", founder="R"),
    ]
