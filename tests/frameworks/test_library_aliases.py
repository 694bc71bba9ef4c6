"""Every element carries the words practitioners use for it, specific enough to suggest mappings."""

import re

from frameworks.library import library_files, parse_framework
from frameworks.models import Element

# Alone, these name half the work of a company (or another department's): they would pull
# unrelated activities ("Data retention policy", "Employee onboarding", "Code reviews", "CI pipeline").
TOO_GENERIC = {
    "plan", "plans", "planning", "content", "marketing", "program", "programs", "strategy", "sales",
    "product", "management", "reviews", "retention", "onboarding", "gtm", "ci", "se", "pmm", "pm",
    "templates", "creative", "layout", "workflows", "strengths", "expansion", "kpis", "reports",
}


def specs():
    for path in library_files():
        spec, problems = parse_framework(path.read_bytes(), path.name)
        assert not problems, problems
        yield path, spec


def normalized(text):
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def test_every_element_has_aliases_practitioners_use_and_none_repeats_its_name():
    for path, spec in specs():
        for element, _parent in spec.walk():
            label = f"{path.name}: {element.code}"
            # Most carry 3 to 12; a broad item of a small framework (Read's supporting content, its
            # enablement) carries the words of every kind of work it absorbs.
            assert 3 <= len(element.aliases) <= 24, label
            assert normalized(element.name) not in {normalized(alias) for alias in element.aliases}, label
            assert len({normalized(alias) for alias in element.aliases}) == len(element.aliases), label


def test_no_alias_is_a_generic_word_alone():
    for path, spec in specs():
        for element, _parent in spec.walk():
            generic = [alias for alias in element.aliases if normalized(alias) in TOO_GENERIC]
            assert not generic, f"{path.name}: {element.code}: {generic}"


def test_aliases_are_loaded_for_every_element(db):
    assert not Element.objects.filter(aliases=[]).exists()
    battlecards = Element.objects.filter(framework__slug="pragmatic", code="sales-tools").get()
    assert "battlecards" in battlecards.aliases
