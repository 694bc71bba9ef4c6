"""The library file format: every malformed input gives a precise `file: path: problem`."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks.library import (
    MAX_FILE_BYTES,
    dump_framework,
    library_files,
    parse_framework,
)

VALID = """
slug: tiny
title: A tiny framework
source: {author: Someone, title: An article}
summary: For tests.
elements:
  - code: cat
    name: Category
    essential: true
    guidance: {pmm: A/R, pm: c}
    children:
      - {code: item, name: Item, orientation: outbound}
crosswalks:
  - {from: item, to: read:launch, relation: related}
"""


def parse(text, filename="tiny.yaml"):
    return parse_framework(text.encode(), filename)


def messages(text):
    spec, problems = parse(text)
    assert spec is None
    return [str(problem) for problem in problems]


def test_a_valid_file_becomes_a_spec():
    spec, problems = parse(VALID)
    assert problems == []
    assert spec.slug == "tiny"
    category = spec.elements[0]
    assert category.essential is True
    assert category.guidance == (("pm", "C"), ("pmm", "A/R"))
    assert category.children[0].orientation == "outbound"
    assert spec.crosswalks[0].target == "read:launch"


def test_unknown_key_is_reported_with_its_path():
    text = VALID.replace("      - {code: item, name: Item, orientation: outbound}",
                         "      - {code: item, name: Item, colour: red}")
    assert "tiny.yaml: elements[0].children[0].colour: unknown key" in messages(text)[0]


def test_bad_letters_are_reported_with_their_path():
    text = VALID.replace("pm: c}", "pm: X}")
    assert messages(text) == ["tiny.yaml: elements[0].guidance.pm: expected R, A, C, I or A/R (also AR, RA, R/A)"]


def test_two_accountable_archetypes_are_refused():
    text = VALID.replace("pm: c}", "pm: A}")
    assert messages(text) == ["tiny.yaml: elements[0].guidance: more than one accountable archetype (pm, pmm)"]


def test_unknown_archetype_is_refused():
    text = VALID.replace("pm: c}", "ceo: C}")
    assert messages(text)[0].startswith("tiny.yaml: elements[0].guidance.ceo: unknown archetype")


def test_duplicate_codes_are_refused():
    text = VALID.replace("{code: item,", "{code: cat,")
    assert "tiny.yaml: elements[0].children[0].code: 'cat' is used by another element of this framework" in messages(text)


def test_missing_required_fields_are_each_listed():
    found = messages("slug: tiny\nelements: []\n")
    assert "tiny.yaml: title: required" in found
    assert "tiny.yaml: source: required" in found
    assert "tiny.yaml: summary: required" in found
    assert "tiny.yaml: elements: a framework needs at least one element" in found


def test_deeper_than_category_and_item_is_refused():
    text = VALID.replace(
        "      - {code: item, name: Item, orientation: outbound}",
        "      - {code: item, name: Item, children: [{code: deep, name: Deep}]}",
    )
    assert any("elements[0].children[0].children: elements nest at most 2 levels" in m for m in messages(text))


def test_crosswalk_from_an_unknown_code_is_refused():
    text = VALID.replace("from: item", "from: nowhere")
    assert "tiny.yaml: crosswalks[0].from: 'nowhere' is not an element code of this framework" in messages(text)


def test_crosswalk_to_its_own_framework_is_refused():
    text = VALID.replace("to: read:launch", "to: tiny:cat")
    assert "tiny.yaml: crosswalks[0].to: a crosswalk links two different frameworks" in messages(text)


def test_malformed_yaml_reports_line_and_column():
    found = messages("slug: tiny\ntitle: [unclosed\n")
    assert len(found) == 1 and found[0].startswith("tiny.yaml: line 3, column 1")


def test_non_utf8_is_refused_with_a_clear_message():
    spec, problems = parse_framework("title: caf\u00e9".encode("latin-1"), "latin.yaml")
    assert spec is None
    assert "latin.yaml: the file is not UTF-8 text" in str(problems[0])


def test_oversized_file_is_refused_before_parsing():
    spec, problems = parse_framework(b"#" * (MAX_FILE_BYTES + 1), "big.yaml")
    assert spec is None
    assert "the limit is 1,000,000" in str(problems[0])


def test_yaml_aliases_are_refused():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    assert "anchors and aliases" in messages(bomb)[0]


def test_python_object_tags_are_refused():
    found = messages("slug: !!python/object/apply:os.system ['echo hacked']\n")
    assert len(found) == 1 and "line 1" in found[0]


def test_a_document_that_is_not_a_mapping_is_refused():
    assert messages("- just\n- a list\n") == ["tiny.yaml: expected a mapping, found a list"]


def test_hostile_text_is_kept_as_text():
    text = VALID.replace("title: A tiny framework", 'title: "<script>alert(1)</script> =cmd|\' /C calc\'!A0"')
    spec, problems = parse(text)
    assert problems == []
    assert spec.title.startswith("<script>")


def test_dump_then_parse_gives_the_same_spec():
    spec, _ = parse(VALID)
    again, problems = parse_framework(dump_framework(spec).encode(), "again.yaml")
    assert problems == []
    assert again == spec


@pytest.mark.parametrize("path", library_files(), ids=lambda path: path.name)
def test_every_shipped_file_dumps_and_parses_back_unchanged(path):
    spec, problems = parse_framework(path.read_bytes(), path.name)
    assert problems == []
    again, problems = parse_framework(dump_framework(spec).encode(), path.name)
    assert problems == [] and again == spec


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_spec_or_problems_never_an_exception(data):
    spec, problems = parse_framework(data, "fuzz.yaml")
    assert (spec is None) == bool(problems)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["slug", "code", "name", "children", "guidance", "pm", "to", "from", "x"]), children, max_size=5),
    ),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["slug", "title", "source", "summary", "elements", "crosswalks", "aliases", "version"]), yaml_values))
def test_any_structure_gives_a_spec_or_problems_never_an_exception(document):
    import json

    spec, problems = parse_framework(json.dumps(document).encode(), "fuzz.json")
    assert (spec is None) == bool(problems)
