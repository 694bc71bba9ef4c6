"""The library cites publications as their text gives them, never a source file's name."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from frameworks.library import library_files
from frameworks.models import Element, Framework, Guidance

# "seed" as a word (the research notes' word for a source) or a research file's name (000_2ab4….txt)
UNCITABLE = re.compile(r"\bseeds?\b|\b\d{3}_[0-9a-f]{8,}\.txt\b", re.IGNORECASE)
PROGRAM_ITEMS = [
    "lead-generation-plans", "customer-retention-programs", "field-marketing-program-definition", "campaign-definition",
]


@pytest.mark.parametrize("path", library_files(), ids=lambda path: path.name)
def test_no_library_file_says_seed_or_names_a_source_file(path):
    """Comments included: a file is read by people who export and edit it."""
    assert not UNCITABLE.findall(path.read_text())


def test_sources_give_only_what_their_text_gives(db):
    sources = {
        framework.slug: (framework.source_author, framework.source_title, framework.source_publisher,
                         framework.source_date, framework.source_url)
        for framework in Framework.objects.all()
    }
    assert sources["read"] == ("Crispin Read", "What Is Product Marketing Exactly?", "PMM Hive", "", "")
    assert sources["pma"][1:] == (
        "What is Product Marketing and Why It Matters?", "", "2021-04-19",
        "https://sebagudelo.com/posts/what-is-product-marketing",
    )
    # The page header's date is not the post's, and the post names no site: no date, publisher, link.
    assert sources["five-categories"][:2] == ("April Dunford", "How Do CMOs Define Product Marketing?")
    assert sources["five-categories"][2:] == ("", "", "")
    # The article comparing Pragmatic and Blackblot names no author and no publisher.
    for slug in ("pragmatic", "blackblot"):
        assert sources[slug][2] == "", slug
        assert "Product Management vs. Product Marketing" in Framework.objects.get(slug=slug).source_also
    assert "Medium" not in json.dumps(sources)


def test_essential_only_where_a_source_says_so(db):
    """Crispin Read: "The essential product marketing activities are strategy, roadmap, positioning, and launch."
    No other source calls anything essential."""
    essential = set(Element.objects.filter(essential=True).values_list("framework__slug", "code"))
    assert essential == {("read", "strategy"), ("read", "roadmap"), ("read", "positioning"), ("read", "launch")}


@pytest.mark.parametrize("code", PROGRAM_ITEMS)
def test_five_categories_program_items_follow_the_note_on_larger_companies(db, code):
    """A separate group owns and executes programs; product marketing is involved in developing them."""
    letters = dict(
        Guidance.objects.filter(element__framework__slug="five-categories", element__code=code)
        .values_list("archetype__slug", "letters")
    )
    assert letters["marcom"] in ("A", "A/R") and letters["pmm"] == "R"
    assert "separate group" in Framework.objects.get(slug="five-categories").notes


def test_excluded_elements_keep_their_guidance(db):
    for element in Element.objects.filter(excluded=True).prefetch_related("guidance"):
        assert element.guidance.exists(), element


def test_framework_pages_cite_readably_and_never_say_seed(client, db):
    pages = [reverse("frameworks:list"), reverse("frameworks:crosswalk")]
    pages += [framework.get_absolute_url() for framework in Framework.objects.all()]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not UNCITABLE.findall(response.text), url
    pma = client.get(reverse("frameworks:detail", args=["pma"])).text
    assert "“What is Product Marketing and Why It Matters?”, 2021-04-19." in pma
    assert 'href="https://sebagudelo.com/posts/what-is-product-marketing"' in pma
    read = client.get(reverse("frameworks:detail", args=["read"])).text
    assert "Crispin Read, “What Is Product Marketing Exactly?”, PMM Hive." in read
    assert "Also called:" in read and "battlecards" in read


def test_blackblot_names_the_reading_after_the_article(db):
    reading = Element.objects.get(framework__slug="blackblot", code="article-reading")
    assert reading.name == "The article's reading"


def test_the_command_line_cites_the_whole_source(db):
    out = StringIO()
    call_command("frameworks", "pma", stdout=out)
    assert (
        "Source: Seb Agudelo, quoting the Product Marketing Alliance, “What is Product Marketing and Why It Matters?”, "
        "2021-04-19. https://sebagudelo.com/posts/what-is-product-marketing"
    ) in out.getvalue()
    for slug in Framework.objects.values_list("slug", flat=True):
        for command, options in [("frameworks", ["--format", "text"]), ("frameworks", ["--format", "json"]), ("export_framework", [])]:
            out = StringIO()
            call_command(command, slug, *options, stdout=out)
            assert not UNCITABLE.findall(out.getvalue()), (slug, command, options)
