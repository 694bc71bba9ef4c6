"""load_frameworks: idempotent, all-or-nothing per file, and never silently overwrites an admin."""

import io

import pytest
from django.core.management import CommandError, call_command

from frameworks.models import Crosswalk, Element, Framework
from frameworks.services import load_library

TINY = """
slug: tiny
title: A tiny framework
version: 1
source: {author: Someone, title: An article}
summary: For tests.
elements:
  - code: cat
    name: Category
    description: As the file says.
    guidance: {pmm: A/R}
    children:
      - {code: item, name: Item}
      - {code: other, name: Other item}
crosswalks:
  - {from: cat, to: "read:launch", relation: related}
"""


@pytest.fixture
def library_dir(tmp_path):
    def write(text=TINY, name="tiny.yaml"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return write


def load(directory, **kwargs):
    return load_library(directory=directory, **kwargs)


def test_loading_the_shipped_library_again_changes_nothing(db):
    report = load_library()
    assert report.problems == []
    assert not report.changed
    assert report.conflicts == []
    assert len(report.loaded_files) == 6


def test_a_new_file_creates_its_framework_elements_and_crosswalks(library_dir, db):
    report = load(library_dir())
    assert report.problems == []
    framework = Framework.objects.get(slug="tiny")
    assert [e.code for e in framework.elements.order_by("position")] == ["cat", "item", "other"]
    assert Element.objects.get(framework=framework, code="item").parent.code == "cat"
    assert Crosswalk.objects.filter(source__framework=framework, target__code="launch").exists()


def test_a_broken_file_loads_nothing_and_names_file_and_path(library_dir, db):
    directory = library_dir(TINY.replace("guidance: {pmm: A/R}", "guidance: {pmm: Z}"))
    report = load(directory)
    assert [str(p) for p in report.problems] == [
        "tiny.yaml: elements[0].guidance.pmm: expected R, A, C, I or A/R (also AR, RA, R/A)"
    ]
    assert not Framework.objects.filter(slug="tiny").exists()
    assert not Element.objects.filter(framework__slug="tiny").exists()


def test_a_crosswalk_to_an_unknown_element_loads_nothing_from_that_file(library_dir, db):
    report = load(library_dir(TINY.replace("read:launch", "read:nonsense")))
    assert [str(p) for p in report.problems] == ["tiny.yaml: crosswalks[0].to: 'read:nonsense' is not a known element"]
    assert not Framework.objects.filter(slug="tiny").exists()


def test_a_broken_update_leaves_the_loaded_version_untouched(library_dir, db):
    directory = library_dir()
    load(directory)
    library_dir(TINY.replace("version: 1", "version: 2").replace("name: Item}", "name: Renamed}").replace("pmm: A/R", "pmm: AA"))
    report = load(directory)
    assert report.problems
    assert Element.objects.get(framework__slug="tiny", code="item").name == "Item"
    assert Framework.objects.get(slug="tiny").version == 1


def test_a_version_bump_updates_elements_by_code_and_keeps_their_ids(library_dir, db):
    directory = library_dir()
    load(directory)
    before = {e.code: e.pk for e in Element.objects.filter(framework__slug="tiny")}
    library_dir(TINY.replace("version: 1", "version: 2").replace("name: Item}", "name: Renamed item}"))
    report = load(directory)
    assert report.updated == ["tiny:item"]
    after = {e.code: e.pk for e in Element.objects.filter(framework__slug="tiny")}
    assert after == before
    assert Element.objects.get(pk=before["item"]).name == "Renamed item"
    assert Framework.objects.get(slug="tiny").version == 2


def test_loading_twice_is_a_no_op(library_dir, db):
    directory = library_dir()
    load(directory)
    report = load(directory)
    assert not report.changed and report.conflicts == [] and report.kept_edits == []


def test_an_admin_edit_survives_a_reload_of_the_same_file(library_dir, db):
    directory = library_dir()
    load(directory)
    Element.objects.filter(framework__slug="tiny", code="cat").update(description="Our own words.")
    report = load(directory)
    assert Element.objects.get(framework__slug="tiny", code="cat").description == "Our own words."
    assert report.kept_edits == ["tiny:cat (edited by an admin; the file has not changed)"]
    assert report.conflicts == []


def test_an_admin_edit_and_a_file_change_conflict_and_the_admin_wins(library_dir, db):
    directory = library_dir()
    load(directory)
    Element.objects.filter(framework__slug="tiny", code="cat").update(description="Our own words.")
    library_dir(TINY.replace("As the file says.", "The file's new words."))
    report = load(directory)
    assert Element.objects.get(framework__slug="tiny", code="cat").description == "Our own words."
    assert report.conflicts == [
        "tiny:cat: edited by an admin and changed in the file; kept the admin's version "
        "(load with --force to take the file's)"
    ]


def test_force_takes_the_files_version(library_dir, db):
    directory = library_dir()
    load(directory)
    Element.objects.filter(framework__slug="tiny", code="cat").update(description="Our own words.")
    library_dir(TINY.replace("As the file says.", "The file's new words."))
    report = load(directory, force=True)
    assert Element.objects.get(framework__slug="tiny", code="cat").description == "The file's new words."
    assert report.conflicts == []


def test_an_admin_edit_to_guidance_counts_as_an_edit(library_dir, db):
    directory = library_dir()
    load(directory)
    Element.objects.get(framework__slug="tiny", code="cat").guidance.update(letters="R")
    report = load(directory)
    assert report.kept_edits == ["tiny:cat (edited by an admin; the file has not changed)"]
    assert Element.objects.get(framework__slug="tiny", code="cat").guidance.get().letters == "R"


def test_an_element_removed_from_the_file_is_removed(library_dir, db):
    directory = library_dir()
    load(directory)
    report = load(library_dir(TINY.replace("      - {code: other, name: Other item}\n", "")))
    assert report.removed == ["tiny:other"]
    assert not Element.objects.filter(framework__slug="tiny", code="other").exists()


def test_an_element_an_admin_added_is_kept(library_dir, db):
    directory = library_dir()
    load(directory)
    framework = Framework.objects.get(slug="tiny")
    Element.objects.create(framework=framework, code="ours", name="Our addition")
    report = load(directory)
    assert Element.objects.filter(framework=framework, code="ours").exists()
    assert report.kept_edits == ["tiny:ours (added by an admin, not in the file)"]


def test_two_files_claiming_one_slug_load_only_the_first(library_dir, db):
    library_dir()
    directory = library_dir(TINY.replace("title: A tiny framework", "title: Impostor"), name="zz-tiny.yaml")
    report = load(directory)
    assert [str(p) for p in report.problems] == ["zz-tiny.yaml: slug: 'tiny' is already used by tiny.yaml"]
    assert Framework.objects.get(slug="tiny").title == "A tiny framework"


def test_command_reports_counts(db):
    out = io.StringIO()
    call_command("load_frameworks", stdout=out)
    assert "6 framework file(s) loaded: 0 created, 0 updated, 0 removed" in out.getvalue()


def test_command_fails_with_every_problem_on_a_broken_library(library_dir, db):
    directory = library_dir(TINY.replace("slug: tiny", "slug: Not A Slug"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_frameworks", library=directory, stderr=err)
    assert "tiny.yaml: slug: expected lowercase letters, digits and '-'" in err.getvalue()
