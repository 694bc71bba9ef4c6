"""Role headers as teams write them get their archetype (no database)."""

import pytest

from responsibilities.formats.roles import ARCHETYPE_ALIASES, archetype_for_header


@pytest.mark.parametrize(
    "header, archetype",
    [
        # the and the brief's examples
        ("Mktg", "marcom"), ("Eng", "engineering"), ("Dir PMM", "pmm"), ("VP Product", "pm"),
        ("Head of Sales", "sales"), ("CPO", "exec"), ("PMM Lead", "pmm"), ("Product Marketing Manager", "pmm"),
        ("Demand Gen", "marcom"), ("SE", "sales"), ("Sales Eng", "sales"), ("CSM", "cs"), ("UX", "design"),
        ("CMO", "exec"), ("CEO", "exec"),
        # what the README always promised
        ("PM", "pm"), ("Product Manager", "pm"), ("Product Management", "pm"), ("PMM", "pmm"),
        ("Product Marketing", "pmm"), ("Product Marketer", "pmm"), ("Marcom", "marcom"), ("Marketing", "marcom"),
        ("Marketing Communications", "marcom"), ("Corporate Marketing", "marcom"), ("Corp Marketing", "marcom"),
        ("Sales", "sales"), ("Engineering", "engineering"), ("CS", "cs"), ("Customer Success", "cs"),
        ("Design", "design"), ("Exec", "exec"), ("Leadership", "exec"), ("Founder", "exec"),
        # titles, seniority and decoration around a function
        ("Sr. PM", "pm"), ("Senior PMM", "pmm"), ("Head of Product Marketing", "pmm"), ("Director, Product Management", "pm"),
        ("Head of Product", "pm"), ("VP Marketing", "marcom"), ("VP Sales", "sales"), ("VP Engineering", "engineering"),
        ("Eng Manager", "engineering"), ("Customer Success Lead", "cs"), ("Support", "cs"), ("UX Designer", "design"),
        ("Product Designer", "design"), ("Field Marketing (EMEA)", "marcom"), ("Corporate Marketing Team", "marcom"),
        ("Sales Engineering Manager", "sales"), ("Solutions Engineer", "sales"), ("Chief Marketing Officer", "exec"),
        ("Founder/CEO", "exec"), ("Product Owner", "pm"), ("Brand & Comms", "marcom"), ("  product   Marketing ", "pmm"),
        ("P.M.", "pm"), ("PMMs", "pmm"), ("PMM (Dana)", "pmm"), ("Growth Marketing Lead", "marcom"),
        ("Vice President, Sales", "sales"),
    ],
)
def test_a_header_gets_the_archetype_of_the_role_it_names(header, archetype):
    assert archetype_for_header(header) == archetype


@pytest.mark.parametrize("header", ["Legal", "Finance", "HR", "Dana", "Docs", "Partners", "Q3", "", "VP", "Head of", "<script>", "=cmd|' /C calc'!A0", "Ωμέγα"])
def test_a_header_naming_no_known_role_is_other(header):
    assert archetype_for_header(header) == "other"


def test_every_alias_names_its_own_archetype():
    for slug, aliases in ARCHETYPE_ALIASES.items():
        for alias in aliases:
            assert archetype_for_header(alias) == slug, alias
    assert set(ARCHETYPE_ALIASES) == {"pm", "pmm", "marcom", "sales", "engineering", "cs", "design", "exec"}


def test_an_alias_is_never_listed_for_two_archetypes():
    seen = {}
    for slug, aliases in ARCHETYPE_ALIASES.items():
        for alias in aliases:
            key = " ".join(alias.replace(".", " ").split()).casefold()
            assert seen.setdefault(key, slug) == slug, f"{alias!r}: {seen[key]} and {slug}"
