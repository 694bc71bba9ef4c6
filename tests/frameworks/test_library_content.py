"""The shipped library says what its sources say: categories, items, names, essentials, guidance."""

import pytest

from frameworks.models import Crosswalk, Element, Framework, Guidance

pytestmark = pytest.mark.django_db


def tree(slug):
    """{category name: [item names]} in order."""
    elements = Element.objects.filter(framework__slug=slug).order_by("position")
    categories = {e.pk: e.name for e in elements if e.parent_id is None}
    result = {name: [] for name in categories.values()}
    for element in elements:
        if element.parent_id is not None:
            result[categories[element.parent_id]].append(element.name)
    return result


def accountable(slug, code):
    for held in Guidance.objects.filter(element__framework__slug=slug, element__code=code):
        if held.letters in ("A", "A/R"):
            return held.archetype.slug
    return None


def test_all_six_frameworks_cite_their_publication():
    authors = dict(Framework.objects.values_list("slug", "source_author"))
    assert authors["read"] == "Crispin Read"
    assert authors["five-categories"] == "April Dunford"
    assert dict(Framework.objects.values_list("slug", "source_title"))["read"] == "What Is Product Marketing Exactly?"
    assert not Element.objects.filter(description="").exists()


def test_read_has_four_essentials_and_what_product_marketing_excludes():
    categories = Element.objects.filter(framework__slug="read", parent=None).order_by("position")
    assert [(c.code, c.essential, c.excluded) for c in categories] == [
        ("strategy", True, False),
        ("roadmap", True, False),
        ("positioning", True, False),
        ("launch", True, False),
        ("excluded", False, True),
    ]
    launch = tree("read")["Launch"]
    assert launch == [
        "Product messaging", "Pricing", "Supporting content",
        "Enablement for sales and services teams", "Engagement with key influencers",
    ]
    assert tree("read")["What product marketing excludes"] == [
        "Detailed definition of features and requirements", "Release management",
        "Day-to-day engagement with engineering",
    ]
    assert accountable("read", "feature-definition") == "pm"


def test_five_categories_hold_every_item_the_article_lists():
    assert tree("five-categories") == {
        "Market Knowledge": [
            "Segmentation", "User Personas", "Buyer groups", "Purchase motivators",
            "Competitive intelligence", "Use case scenarios", "Customer problems",
        ],
        "Business Strategy": [
            "Go to Market strategy", "Sales strategy", "Channel strategy", "Sales pipeline definition",
            "Market strategy definition",
        ],
        "Tactics": [
            "Lead generation plans", "Customer retention programs", "Branding", "Awareness",
            "Field marketing program definition", "Campaign definition", "Analyst relations", "Media relations",
        ],
        "Content": [
            "Sales support materials", "Whitepapers", "Brochures and data sheets", "Presentations", "Demos",
            "Web site content", "ROI calculators", "Blog posts", "Forum content", "Case studies",
            "Press releases", "FAQ’s", "Other special purpose content", "Video",
        ],
        "Optimization and Market Learning": [
            "ROI tracking", "Pipeline tracking", "Website metrics tracking", "Customer advisory boards",
            "Customer focus groups", "User groups",
        ],
    }
    framework = Framework.objects.get(slug="five-categories")
    assert "kemp" in framework.aliases
    assert "separate group" in framework.notes  # the article's note on company size


def test_pragmatic_has_37_boxes_in_7_columns():
    columns = tree("pragmatic")
    assert list(columns) == ["Market", "Focus", "Business", "Planning", "Programs", "Enablement", "Support"]
    assert [len(boxes) for boxes in columns.values()] == [5, 4, 5, 7, 8, 4, 4]
    assert sum(len(boxes) for boxes in columns.values()) == 37
    assert columns["Business"] == [
        "Business Plan", "Pricing", "Buy Build or Partner", "Product Profitability", "Innovation",
    ]
    assert columns["Support"] == ["Programs", "Operations", "Events", "Channels"]


def test_pragmatic_splits_inbound_pm_from_outbound_pmm():
    boxes = Element.objects.filter(framework__slug="pragmatic", parent__isnull=False).select_related("parent")
    for box in boxes:
        column = box.parent.code
        if column in ("market", "focus", "business"):
            assert (box.orientation, accountable("pragmatic", box.code)) == ("inbound", "pm"), box.name
        if column in ("programs", "enablement", "support"):
            assert (box.orientation, accountable("pragmatic", box.code)) == ("outbound", "pmm"), box.name
    launch = dict(
        Guidance.objects.filter(element__framework__slug="pragmatic", element__code="launch")
        .values_list("archetype__slug", "letters")
    )
    assert launch["pmm"] == "A/R" and launch["marcom"] == "R"
    assert accountable("pragmatic", "requirements") == "pm"
    assert accountable("pragmatic", "positioning") == "pmm"


def test_blackblot_encodes_both_readings():
    codes = list(
        Element.objects.filter(framework__slug="blackblot", parent=None).order_by("position").values_list("code", flat=True)
    )
    assert "article-reading" in codes and "product-planning" in codes and "product-marketing" in codes
    prd = Element.objects.get(framework__slug="blackblot", code="product-requirements")
    assert prd.excluded or prd.parent.excluded
    assert "reading" in Framework.objects.get(slug="blackblot").notes.lower()


def test_pmm_vs_marcom_and_pma_follow_their_sources():
    assert accountable("pmm-vs-marcom", "buyer-profiles") == "pmm"
    assert accountable("pmm-vs-marcom", "programs") == "marcom"
    pma = list(Element.objects.filter(framework__slug="pma", parent=None).values_list("code", flat=True))
    assert {"voice-of-customer", "value", "adoption", "ownership"} <= set(pma)
    assert accountable("pma", "the-problem") == "pm"
    assert accountable("pma", "the-market") == "pmm"


@pytest.mark.parametrize(
    "source, target",
    [
        ("read:positioning", "pragmatic:positioning"),
        ("read:launch", "pragmatic:launch"),
        ("read:roadmap", "pragmatic:product-roadmap"),
        ("five-categories:competitive-intelligence", "read:competitive-offerings"),
        ("five-categories:go-to-market-strategy", "read:go-to-market-strategy"),
    ],
)
def test_crosswalks_relate_the_frameworks(source, target):
    (a_slug, a_code), (b_slug, b_code) = source.split(":"), target.split(":")
    linked = Crosswalk.objects.filter(
        source__framework__slug=a_slug, source__code=a_code, target__framework__slug=b_slug, target__code=b_code
    ) | Crosswalk.objects.filter(
        source__framework__slug=b_slug, source__code=b_code, target__framework__slug=a_slug, target__code=a_code
    )
    assert linked.exists()


def test_every_element_names_at_most_one_accountable_archetype():
    for element in Element.objects.prefetch_related("guidance"):
        assert sum(g.letters in ("A", "A/R") for g in element.guidance.all()) <= 1, element
