"""Sound coverage through crosswalks: only the same work covers (SPEC amendment, issue 11).

The tiny framework `fw` is linked (read from fw's side) to:
- other:branding       equivalent to fw:brand
- other:press-releases part of fw:launch        ("contains" from fw's side)
- other:monetisation   a whole that fw:pricing is part of
- other:roadmap-input  related to fw:roadmap
"""

from responsibilities.analysis import CrosswalkIn, FrameworkIn, covering_links
from tests.analysis.builders import FRAMEWORK, activity, kinds, run


def state(analysis, ref):
    return analysis.elements[ref]


def test_an_equivalent_element_covers_and_says_through_a_crosswalk():
    analysis = run(activity("Brand book", "other:branding", mc="A/R"))
    brand = state(analysis, "fw:brand")
    assert brand.covered and brand.owned
    assert brand.via == (("brand-book", "other:branding"),) and brand.only_via_crosswalk


def test_equivalent_covers_in_either_direction():
    # The same link, stored on the other framework's side, reaches fw reversed as "equivalent".
    flipped = FrameworkIn(
        slug="fw", title="Tiny", source="s", elements=FRAMEWORK.elements,
        crosswalks=(CrosswalkIn("fw:brand", "other:branding", "equivalent"),),
    )
    assert covering_links(flipped) == {"other:branding": ["fw:brand"]}


def test_a_part_covers_its_whole():
    analysis = run(activity("Press release", "other:press-releases", pmm="A/R"))
    assert state(analysis, "fw:launch").covered
    assert state(analysis, "fw:market").covered  # and, through its item, the category


def test_a_whole_never_covers_its_parts():
    analysis = run(activity("Monetisation strategy", "other:monetisation", pm="A/R"))
    assert not state(analysis, "fw:pricing").covered
    assert "fw:pricing" in {f.element for f in kinds(analysis, "uncovered_element")}


def test_related_never_covers():
    analysis = run(activity("Roadmap input", "other:roadmap-input", pm="A/R"))
    assert not state(analysis, "fw:roadmap").covered
    assert analysis.coverage.covered == 0


def test_an_element_mapped_directly_is_not_only_through_a_crosswalk():
    analysis = run(
        activity("Brand book", "other:branding", mc="A/R"), activity("Brand refresh", "fw:brand", mc="A/R")
    )
    brand = state(analysis, "fw:brand")
    assert brand.via == (("brand-book", "other:branding"),) and not brand.only_via_crosswalk
    assert set(brand.activities) == {"brand-book", "brand-refresh"}


def test_unowned_and_shared_look_at_the_same_activities_as_coverage():
    analysis = run(
        activity("Press release", "other:press-releases", pmm="R"),  # a part of Launch, no A
    )
    assert [f.element for f in kinds(analysis, "unowned_element")] == ["fw:launch", "fw:market"]
    shared = run(
        activity("Brand book", "other:branding", mc="A/R"), activity("Brand story", "fw:brand", pmm="A/R"),
        size="enterprise",
    )
    assert [f.element for f in kinds(shared, "shared_element")] == ["fw:brand"]
    # A related link brings no owner into the element.
    related = run(activity("Roadmap input", "other:roadmap-input", pmm="A/R"), activity("Roadmap", "fw:roadmap", pm="A/R"))
    assert kinds(related, "shared_element") == []
