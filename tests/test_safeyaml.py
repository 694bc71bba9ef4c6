"""Untrusted YAML and JSON: every protection of pmmhub.safeyaml holds with each loader that is
importable (libyaml's C loader and PyYAML's pure one), and the C loader is the one used.
No database."""

import time

import pytest
import yaml

from pmmhub import safeyaml
from pmmhub.safeyaml import DocumentError, load_yaml

each_loader = pytest.mark.parametrize("loader", safeyaml.LOADERS, ids=lambda loader: loader.__name__)


def test_the_installed_pyyaml_has_libyaml_and_it_is_the_loader_used():
    assert yaml.__with_libyaml__
    assert safeyaml.Loader is safeyaml.LibyamlLoader
    assert set(safeyaml.LOADERS) == {safeyaml.LibyamlLoader, safeyaml.PurePythonLoader}


@each_loader
def test_a_plain_document_reads_the_same_with_each_loader(loader):
    text = 'name: Acme\nroles:\n  - {name: PM, archetype: pm}\nactivities:\n  - name: "Launch"\n    raci: {PM: A/R}\n'
    assert load_yaml(text, loader=loader) == {
        "name": "Acme", "roles": [{"name": "PM", "archetype": "pm"}],
        "activities": [{"name": "Launch", "raci": {"PM": "A/R"}}],
    }
    assert load_yaml('{"name": "Acme", "activities": [1, 2.5, "x", null, true]}', loader=loader) == {
        "name": "Acme", "activities": [1, 2.5, "x", None, True],
    }


@each_loader
def test_an_alias_is_refused(loader):
    with pytest.raises(DocumentError, match=r"line 1, column 4: anchors and aliases \(\*name\) are not allowed"):
        load_yaml("a: &x [1, 2]\nb: *x\n", loader=loader)


@each_loader
def test_a_billion_laughs_is_refused_at_once(loader):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    start = time.perf_counter()
    with pytest.raises(DocumentError, match="aliases"):
        load_yaml("\n".join(lines), loader=loader)
    assert time.perf_counter() - start < 5  # a guard against expanding it, not a speed test


@each_loader
def test_a_recursive_alias_is_refused(loader):
    with pytest.raises(DocumentError, match="aliases"):
        load_yaml("a: &x [*x]\n", loader=loader)


@each_loader
@pytest.mark.parametrize(
    "text, where",
    [
        ("name: A\nroles: []\nname: B\n", "line 3, column 1"),
        ('{"activities": [{"name": "x", "raci": {"PM": "A", "PM": "R"}}]}', "line 1, column 51"),
        ("a:\n  b: 1\n  'b': 2\n", "line 3, column 3"),
    ],
)
def test_a_key_given_twice_in_one_mapping_is_refused(loader, text, where):
    with pytest.raises(DocumentError, match=f"{where}: the key '.+' appears twice in this mapping"):
        load_yaml(text, loader=loader)


@each_loader
def test_the_same_key_in_two_mappings_is_fine(loader):
    assert load_yaml("- {name: a}\n- {name: b}\n", loader=loader) == [{"name": "a"}, {"name": "b"}]


@each_loader
@pytest.mark.parametrize("text", ["[" * 21 + "]" * 21, '{"a": ' * 21 + "1" + "}" * 21, "- " * 21 + "x"])
def test_nesting_deeper_than_the_limit_is_refused(loader, text):
    with pytest.raises(DocumentError, match="nested more than 20 levels deep"):
        load_yaml(text, loader=loader)
    assert load_yaml("[" * 20 + "]" * 20, loader=loader)


@each_loader
@pytest.mark.parametrize("text", ["[" * 100_000, "- " * 100_000 + "x", '{"a":' * 100_000])
def test_nesting_that_would_overflow_a_stack_is_a_clear_error(loader, text):
    with pytest.raises(DocumentError):
        load_yaml(text, loader=loader)


@each_loader
def test_more_values_than_the_limit_are_refused_while_parsing(loader, monkeypatch):
    monkeypatch.setattr(safeyaml, "MAX_VALUES", 100)
    assert len(load_yaml("- a\n" * 99, loader=loader)) == 99  # 99 texts and their list
    for text in ["- a\n" * 100, "[" + "1," * 100 + "1]", "{" + ",".join(f'"k{i}": 1' for i in range(60)) + "}"]:
        with pytest.raises(DocumentError, match="the document holds more than 100 values; refused"):
            load_yaml(text, loader=loader)


@each_loader
def test_a_nul_byte_is_refused(loader):
    with pytest.raises(DocumentError, match="NUL byte"):
        load_yaml("name: a\x00b\n", loader=loader)


@each_loader
@pytest.mark.parametrize(
    "text, problem",
    [
        ("a: [1, 2\n", "line 2, column 1"),
        ("a: !!python/object:os.system {}\n", "could not determine a constructor"),
        ("a: !custom 1\n", "could not determine a constructor"),
        ("a: " + "9" * 5000 + "\n", "not a readable YAML document"),
    ],
)
def test_unreadable_or_unsafe_documents_are_clear_errors(loader, text, problem):
    with pytest.raises(DocumentError, match=problem):
        load_yaml(text, loader=loader)


@each_loader
def test_numbers_booleans_and_dates_are_read_as_yaml_1_2_writes_them(loader):
    """YAML 1.1 would read 1:30 as 90, 010 as 8, 0x10 as 16, 1_0 as 10, No as false and a date
    as a date: silently another value than the one written."""
    read = load_yaml("a: [1:30, 010, 0x10, 1_0, 1e3, 1.5, -2, .5, No, yes, y, true, False, ~, 2026-11-25]", loader=loader)
    assert read == {"a": ["1:30", 10, "0x10", "1_0", "1e3", 1.5, -2, 0.5, "No", "yes", "y", True, False, None, "2026-11-25"]}


@each_loader
def test_texts_that_look_like_numbers_in_either_yaml_read_back_as_written(loader):
    texts = ["089", "010", "1:30", "No", "y", "2026-11-25", "1.5", "true", "0x10", "1_0", ".5", "12"]
    assert load_yaml(safeyaml.dump_yaml({"names": texts}), loader=loader) == {"names": texts}
