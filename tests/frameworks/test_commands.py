import io
import json

import pytest
from django.core.management import call_command

from frameworks.library import LIBRARY_DIR, parse_framework


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_frameworks_lists_every_framework(db):
    out = run("frameworks")
    for slug in ["read", "five-categories", "pragmatic", "blackblot", "pmm-vs-marcom", "pma"]:
        assert any(line.startswith(slug + " ") for line in out.splitlines()), slug
    assert "(also: kemp)" in out


def test_frameworks_json_lists_sources(db):
    data = json.loads(run("frameworks", "--format", "json"))
    read = next(item for item in data if item["slug"] == "read")
    assert read["source"]["author"] == "Crispin Read"
    assert "seed" not in json.dumps(data).casefold()
    assert read["categories"] == 5


def test_one_framework_as_json_has_the_documented_shape(db):
    data = json.loads(run("frameworks", "pragmatic", "--format", "json"))
    assert set(data) == {"slug", "title", "source", "elements"}
    assert [column["name"] for column in data["elements"]] == [
        "Market", "Focus", "Business", "Planning", "Programs", "Enablement", "Support",
    ]
    launch = next(box for box in data["elements"][4]["children"] if box["code"] == "launch")
    assert set(launch) >= {"code", "name", "essential", "orientation", "guidance", "children"}
    assert launch["guidance"]["pmm"] == "A/R"
    assert launch["children"] == []


def test_the_kemp_alias_opens_the_five_categories(db):
    data = json.loads(run("frameworks", "kemp", "--format", "json"))
    assert data["slug"] == "five-categories"


def test_text_tree_marks_essentials_and_guidance(db):
    out = run("frameworks", "read")
    assert "strategy: Strategy *" in out
    assert "pmm A" in out


def test_an_unknown_slug_exits_2_with_the_known_ones(db, capsys):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("frameworks", "nope", stderr=err)
    assert exit_info.value.code == 2
    assert "Unknown framework 'nope'. Known: " in err.getvalue()
    assert "pragmatic" in err.getvalue()


def test_export_framework_gives_back_the_library_file(db):
    for path in sorted(LIBRARY_DIR.glob("*.yaml")):
        original, _ = parse_framework(path.read_bytes(), path.name)
        exported, problems = parse_framework(run("export_framework", original.slug).encode(), "export.yaml")
        assert problems == []
        assert exported == original, path.name


def test_export_framework_carries_an_admins_edit(db):
    from frameworks.models import Element

    Element.objects.filter(framework__slug="read", code="launch").update(description="Edited in the admin.")
    out = run("export_framework", "read")
    spec, problems = parse_framework(out.encode(), "read.yaml")
    assert problems == []
    assert next(e for e in spec.elements if e.code == "launch").description == "Edited in the admin."


def test_export_framework_to_a_file(db, tmp_path):
    target = tmp_path / "pma.yaml"
    call_command("export_framework", "pma", output=str(target), stderr=io.StringIO())
    spec, problems = parse_framework(target.read_bytes(), "pma.yaml")
    assert problems == [] and spec.slug == "pma"


def test_export_of_an_unknown_slug_exits_2(db):
    with pytest.raises(SystemExit) as exit_info:
        call_command("export_framework", "nope", stderr=io.StringIO())
    assert exit_info.value.code == 2
