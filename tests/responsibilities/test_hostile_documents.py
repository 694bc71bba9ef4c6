"""Hostile documents through the command line and the web preview: refused with a clear
message, nothing written, at most 50 problems listed, the schema's bounds held (README
Formats). How fast they are answered is measured by bench/run, not here."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pmmhub.safeyaml import MAX_VALUES
from responsibilities.formats import MAX_PROBLEMS, MAX_UPLOAD_BYTES
from responsibilities.formats.document import MAX_ACTIVITIES, MAX_ROLES
from responsibilities.models import Activity, PendingImport, Workspace
from responsibilities.selectors import read_workspace_file

pytestmark = pytest.mark.django_db

MORE = f"…and more; showing the first {MAX_PROBLEMS}"


def nothing_written():
    return not Workspace.objects.exists() and not Activity.objects.exists() and not PendingImport.objects.exists()


@pytest.fixture
def lead(client, make_user):
    user = make_user("lead")
    client.force_login(user)
    return user


def preview(client, name, content):
    return client.post(
        reverse("workspaces:import"), {"step": "upload", "file": SimpleUploadedFile(name, content.encode())}
    )


def run_import(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_workspace", str(path), stdout=io.StringIO(), stderr=err)
    return str(refused.value), err.getvalue()


# The documents: 2 MB of tiny values.

HOSTILE = {
    "list.yaml": "activities:\n" + "- a\n" * 480_000,
    "array.json": '{"activities": [' + "1," * 950_000 + "1]}",
    "keys.json": "{" + ",".join(f'"k{i}":1' for i in range(170_000)) + "}",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_two_megabytes_of_tiny_values_are_refused_on_the_command_line(tmp_path, name):
    assert len(HOSTILE[name]) <= MAX_UPLOAD_BYTES
    summary, listed = run_import(tmp_path, name, HOSTILE[name])
    assert f"the document holds more than {MAX_VALUES:,} values; refused" in listed
    assert summary == "1 problem; nothing was imported."
    assert nothing_written()


@pytest.mark.parametrize("name", HOSTILE)
def test_two_megabytes_of_tiny_values_are_refused_by_the_web_preview(client, lead, name):
    response = preview(client, name, HOSTILE[name])
    assert response.status_code == 200
    assert f"the document holds more than {MAX_VALUES:,} values; refused" in response.text
    assert nothing_written()


# At most 50 problems, then "…and more".

def bad_activities(count):
    return json.dumps({
        "roles": [{"name": "PM", "archetype": "pm"}],
        "activities": [{"name": f"A{i}", "colour": "red", "raci": {"PM": "Z"}} for i in range(count)],
    })


def test_a_document_with_thousands_of_problems_lists_the_first_fifty(client, lead, tmp_path):
    document = bad_activities(3000)
    _, errors = read_workspace_file(document.encode(), "team.json")
    assert len(errors) == MAX_PROBLEMS + 1 and str(errors[-1]) == MORE
    assert str(errors[0]) == "activities[0].colour: unknown key (expected: name, group, description, hours, elements, raci)"

    response = preview(client, "team.json", document)
    text = " ".join(response.text.split())
    assert f"Nothing was imported: more than {MAX_PROBLEMS} problems" in text
    assert text.count("<li>activities[") == MAX_PROBLEMS and MORE in text

    summary, listed = run_import(tmp_path, "team.json", document)
    assert summary == f"more than {MAX_PROBLEMS} problems; nothing was imported."
    assert len(listed.splitlines()) == MAX_PROBLEMS + 1 and listed.splitlines()[-1] == f"team.json: {MORE}"
    assert nothing_written()


def test_fifty_problems_exactly_are_all_listed_without_more():
    _, errors = read_workspace_file(bad_activities(25).encode(), "team.json")
    assert len(errors) == MAX_PROBLEMS and MORE not in map(str, errors)


@pytest.mark.parametrize("suffix", ["csv", "md"])
def test_a_sheet_with_a_problem_in_every_cell_lists_the_first_fifty(client, lead, suffix):
    roles = [f"Role {i}" for i in range(20)]
    if suffix == "csv":
        sheet = ",".join(["activity", *roles]) + "\n" + "".join(f"A{i}," + ",".join(["Z"] * 20) + "\n" for i in range(2000))
    else:
        sheet = "| activity | " + " | ".join(roles) + " |\n|---|" + "---|" * 20 + "\n"
        sheet += "".join(f"| A{i} | " + " | ".join(["Z"] * 20) + " |\n" for i in range(2000))
    _, errors = read_workspace_file(sheet.encode(), f"team.{suffix}")
    assert len(errors) == MAX_PROBLEMS + 1 and str(errors[-1]) == MORE
    response = preview(client, f"team.{suffix}", sheet)
    assert f"Nothing was imported: more than {MAX_PROBLEMS} problems" in " ".join(response.text.split())
    assert nothing_written()


# The schema's bounds (README Formats), the same for YAML and JSON.

def test_more_activities_than_any_workspace_has_are_refused_without_reading_them():
    document = {"activities": [{"name": f"A{i}", "colour": "red"} for i in range(MAX_ACTIVITIES + 1)]}
    for name, text in [("team.json", json.dumps(document)), ("team.yaml", "activities:\n" + "- {name: x}\n" * (MAX_ACTIVITIES + 1))]:
        _, errors = read_workspace_file(text.encode(), name)
        assert [str(error) for error in errors] == [f"activities: has {MAX_ACTIVITIES + 1:,} entries; the limit is {MAX_ACTIVITIES:,}"]


def test_a_row_naming_more_roles_than_the_limit_is_refused():
    raci = {f"R{i}": "R" for i in range(MAX_ROLES + 1)}
    _, errors = read_workspace_file(json.dumps({"activities": [{"name": "x", "raci": raci}]}).encode(), "team.json")
    assert [str(error) for error in errors] == [f"activities[0].raci: has {MAX_ROLES + 1} roles; the limit is {MAX_ROLES}"]


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("deep.json", '{"name": ' + "[" * 5000 + "]" * 5000 + "}", "line 1"),
        ("deep.yaml", "name:\n" + "".join("  " * i + "- \n" for i in range(1, 30)), "nested more than 20 levels deep"),
        ("twice.json", '{"name": "A", "name": "B"}', "line 1, column 15: the key 'name' appears twice in this mapping"),
        ("alias.yaml", "roles: &r []\nactivities: *r\n", "anchors and aliases"),
    ],
)
def test_deep_repeated_or_aliased_documents_are_refused(client, lead, name, text, problem):
    _, errors = read_workspace_file(text.encode(), name)
    assert len(errors) == 1 and problem in str(errors[0])
    response = preview(client, name, text)
    assert response.status_code == 200 and "Nothing was imported: 1 problem" in " ".join(response.text.split())
    assert nothing_written()


def test_suggestions_for_an_import_read_a_bounded_number_of_words(monkeypatch):
    from responsibilities import selectors
    from responsibilities.formats import ActivityData, WorkspaceData

    data = WorkspaceData(name="x", framework="read", activities=(
        ActivityData(name="Competitive battlecards"), ActivityData(name="Pricing and packaging"), ActivityData(name="Launch plan"),
    ))
    assert len(selectors.import_mapping_choices(data)) == 3
    monkeypatch.setattr(selectors, "IMPORT_SUGGESTION_WORDS", 5)  # the first two names: 2 + 3 words
    assert list(selectors.import_mapping_choices(data)) == ["Competitive battlecards", "Pricing and packaging"]
