"""Import and export through the command line and the web: all or nothing, and round trips."""

import io
import json

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from frameworks.models import Framework
from responsibilities import services
from responsibilities.formats import MAX_UPLOAD_BYTES
from responsibilities.models import Activity, Assignment, Change, Workspace
from responsibilities.selectors import import_mapping_choices, workspace_data
from responsibilities.starters import STARTERS

pytestmark = pytest.mark.django_db

DOCUMENT = """\
name: Acme product org
size: scale-up
market: b2b
framework: read
roles:
  - {name: Product Manager, archetype: pm}
  - {name: Product Marketing, archetype: pmm}
people:
  - {name: Dana, roles: [Product Manager, Product Marketing]}
activities:
  - name: Competitive research
    group: Pre-launch
    description: Track the alternatives buyers weigh
    elements: ["five-categories:Competitive intelligence", "read:Strategy"]
    raci: {Product Marketing: A/R, Product Manager: C}
  - name: "=HYPERLINK(\\"http://x\\")"
    raci: {Product Manager: a/r}
"""

SPREADSHEET = (
    "activity,description,elements,PM,Product Marketing,Corp Marketing\n"
    "Positioning,,read:positioning,C,A/R,I\n"
    "Launch,Ship it,read:launch;pragmatic:Launch,c,ar,R\n"
)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def import_file(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_workspace", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return Workspace.objects.count(), Activity.objects.count(), Assignment.objects.count()


# Command line


def test_import_a_document_with_an_owner(tmp_path, make_user):
    owner = make_user("lead")
    out, _ = import_file(write(tmp_path, "acme.yaml", DOCUMENT), "--owner", "lead")
    workspace = Workspace.objects.get(name="Acme product org")
    assert "Imported Acme product org: 2 activities, 2 roles, 1 people." in out
    assert workspace.memberships.get().user == owner
    assert workspace.size == "scale-up"
    research = workspace.activities.get(name="Competitive research")
    assert sorted(str(e) for e in research.elements.all()) == sorted(
        str(e) for e in research.elements.model.objects.filter(
            framework__slug__in=["five-categories", "read"], code__in=["competitive-intelligence", "strategy"]
        )
    )
    assert workspace.activities.get(name='=HYPERLINK("http://x")').assignments.get().letters == "A/R"
    assert workspace.people.get().roles.count() == 2


def test_import_a_spreadsheet_takes_the_file_stem_and_archetypes_from_headers(tmp_path):
    import_file(write(tmp_path, "Team RACI.csv", SPREADSHEET))
    workspace = Workspace.objects.get(name="Team RACI")
    assert dict(workspace.roles.values_list("name", "archetype__slug")) == {
        "PM": "pm", "Product Marketing": "pmm", "Corp Marketing": "marcom",
    }
    launch = workspace.activities.get(name="Launch")
    assert dict(launch.assignments.values_list("role__name", "letters")) == {
        "PM": "C", "Product Marketing": "A/R", "Corp Marketing": "R",
    }


def test_import_refuses_an_existing_name_unless_replace(tmp_path, make_user):
    make_user("lead")
    path = write(tmp_path, "acme.yaml", DOCUMENT)
    import_file(path, "--owner", "lead")
    before = counts()
    with pytest.raises(CommandError, match="exists already"):
        import_file(path)
    assert counts() == before
    import_file(path, "--replace")
    workspace = Workspace.objects.get(name="Acme product org")
    assert workspace.memberships.get().user.username == "lead", "replace keeps the members"


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("bad.yaml", DOCUMENT.replace("A/R, Product Manager: C", "X, Product Manager: C"), "activities[0].raci.Product Marketing"),
        ("bad.yaml", DOCUMENT.replace("read:Strategy", "read:Nope"), "activities[0].elements[1]"),
        ("bad.yaml", DOCUMENT.replace("Product Manager: a/r", "Founder: R"), "activities[1].raci.Founder"),
        ("bad.csv", SPREADSHEET + "Launch,,,R,,\n", "row 4"),
        ("bad.csv", SPREADSHEET + ",,,R,,\n", "row 4"),
        ("bad.csv", SPREADSHEET.replace("C,A/R,I", "C,Z,I"), "row 2"),
        ("bad.csv", "activity,PM\ncaf\xe9,R\n".encode("latin-1"), "UTF-8"),
        ("bad.xlsx", b"activity,PM\nLaunch,R\n", "XLSX"),
        ("big.csv", b"activity,PM\n" + b"x" * (MAX_UPLOAD_BYTES + 1), "limit"),
    ],
)
def test_import_errors_are_listed_and_nothing_is_written(tmp_path, filename, content, message):
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_workspace", str(write(tmp_path, filename, content)), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue() + str(refused.value)
    assert counts() == before


def test_import_reports_an_oversized_file_with_its_limit(tmp_path):
    path = write(tmp_path, "big.csv", b"activity,PM\n" + b"x" * (MAX_UPLOAD_BYTES + 1))
    with pytest.raises(CommandError, match="limit"):
        import_file(path)


def test_import_of_a_missing_file_or_unknown_owner_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        import_file(tmp_path / "nope.csv")
    with pytest.raises(CommandError, match="no user 'ghost'"):
        import_file(write(tmp_path, "a.csv", SPREADSHEET), "--owner", "ghost")


@pytest.fixture
def acme(tmp_path, make_user):
    make_user("lead")
    import_file(write(tmp_path, "acme.yaml", DOCUMENT), "--owner", "lead")
    return Workspace.objects.get(name="Acme product org")


def export(*args):
    out = io.StringIO()
    call_command("export_workspace", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_document_export_then_import_gives_back_the_same_workspace(acme, tmp_path, fmt):
    text = export("acme product org", "--format", fmt)
    document = yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    assert document["name"] == "Acme product org"
    path = write(tmp_path, f"copy.{fmt}", text)
    import_file(path, "--name", "Copy")
    copy = Workspace.objects.get(name="Copy")
    assert workspace_data(copy) == workspace_data(acme).__class__(**{**workspace_data(acme).__dict__, "name": "Copy"})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spreadsheet_export_then_import_gives_back_the_matrix(acme, tmp_path, fmt):
    path = tmp_path / f"copy.{fmt}"
    call_command("export_workspace", "Acme product org", "--format", fmt, "--output", str(path), stderr=io.StringIO())
    import_file(path, "--name", "Copy")
    original, copy = workspace_data(acme), workspace_data(Workspace.objects.get(name="Copy"))
    assert copy.activities == original.activities
    assert [r.name for r in copy.roles] == [r.name for r in original.roles]


def test_csv_and_xlsx_exports_neutralise_formulas(acme, tmp_path):
    text = export("Acme product org", "--format", "csv")
    assert "'=HYPERLINK" in text
    path = tmp_path / "acme.xlsx"
    call_command("export_workspace", "Acme product org", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    sheet = openpyxl.load_workbook(path).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=HYPERLINK") for cell in cells)


def test_markdown_export_has_the_matrix(acme):
    text = export("Acme product org", "--format", "md")
    assert "# Acme product org" in text
    assert "| Competitive research |" in text


def test_export_errors_are_clear(acme):
    with pytest.raises(CommandError, match="There is no workspace 'Nope'. Known: Acme product org"):
        export("Nope")
    with pytest.raises(CommandError, match="--output FILE is required for xlsx"):
        export("Acme product org", "--format", "xlsx")


# Starter templates


@pytest.mark.parametrize("size", list(STARTERS))
@pytest.mark.parametrize("market", ["b2b", "b2c"])
def test_every_starter_template_creates_a_workspace(make_user, size, market):
    workspace = services.workspace_create_from_starter(
        name=f"{size} {market}", owner=make_user("lead"), size=size, market=market,
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    assert workspace.roles.count() >= 5
    assert workspace.activities.count() >= 12
    assert not workspace.activities.filter(elements=None).exists(), "every starter activity is mapped"


def test_the_enterprise_starter_gives_programs_and_brand_to_corporate_marketing(make_user):
    workspace = services.workspace_create_from_starter(
        name="Big", owner=make_user("lead"), size="enterprise", market="b2b",
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    brand = workspace.activities.get(name__startswith="Brand").assignments.get(letters__in=["A", "A/R"])
    assert brand.role.archetype.slug == "marcom"
    positioning = workspace.activities.get(name__startswith="Positioning").assignments.get(letters__in=["A", "A/R"])
    assert positioning.role.archetype.slug == "pmm"


# Web


@pytest.fixture
def lead(client, make_user):
    user = make_user("lead")
    client.force_login(user)
    return user


def upload(client, name, content, **extra):
    return client.post(
        reverse("workspaces:import"),
        {"step": "upload", "file": SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode()), **extra},
    )


def test_web_import_previews_then_creates_on_confirm(client, lead):
    response = upload(client, "team.csv", SPREADSHEET)
    assert response.status_code == 200
    assert "Preview: nothing is written until you confirm" in response.text
    assert "Positioning" in response.text and "Corp Marketing" in response.text
    assert not Workspace.objects.exists()
    token = response.context["confirm"].initial["token"]
    response = client.post(reverse("workspaces:import"), {"step": "confirm", "token": token, "name": "Our RACI"})
    workspace = Workspace.objects.get(name="Our RACI")
    assert response.status_code == 302 and response["Location"] == workspace.get_absolute_url()
    assert workspace.memberships.get().user == lead
    assert workspace.activities.count() == 2


def test_web_import_lists_every_error_and_writes_nothing(client, lead):
    bad = SPREADSHEET.replace("C,A/R,I", "C,Z,I") + "Launch,,read:nope,R,,\n"
    response = upload(client, "team.csv", bad)
    assert "Nothing was imported: 3 problems" in response.text or "Nothing was imported" in response.text
    assert "row 2" in response.text and "row 4" in response.text
    assert not Workspace.objects.exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("team.txt", b"activity\n", "Upload a .csv, .xlsx, .md, .markdown, .yaml, .yml or .json file."),
        ("team.md", "| activity | PM |\n| caf\xe9 | R |\n".encode("latin-1"), "UTF-8"),
        ("team.markdown", b"# no table\n", "no Markdown table"),
        ("team.csv", "activity,PM\ncaf\xe9,R\n".encode("latin-1"), "UTF-8"),
        ("team.xlsx", b"not a zip", "XLSX"),
        ("team.yaml", b"a: *b\n", "alias"),
        ("team.csv", b"activity,PM\n" + b"x" * (MAX_UPLOAD_BYTES + 1), "limit is"),
    ],
)
def test_web_import_refuses_bad_files_clearly(client, lead, name, content, message):
    response = upload(client, name, content)
    assert response.status_code == 200
    assert message in response.text
    assert not Workspace.objects.exists()


MARKDOWN = """\
## Our RACI

| Phase | Activity | PM | **PMM** | Mktg |
|:--|:--|:-:|:-:|:-:|
| Pre-launch | **Positioning** | C | A/R | - |
| Launch | Launch plan \\| comms | – | A | R |
"""


def test_web_import_of_a_markdown_file_previews_then_creates(client, lead):
    response = upload(client, "team.md", MARKDOWN)
    assert "Preview: nothing is written until you confirm" in response.text
    assert "Launch plan | comms" in response.text
    response = client.post(reverse("workspaces:import"), {"step": "confirm", "token": response.context["confirm"].initial["token"], "name": "team"})
    workspace = Workspace.objects.get(name="team")
    assert [(a.name, a.group) for a in workspace.activities.order_by("position")] == [
        ("Positioning", "Pre-launch"), ("Launch plan | comms", "Launch"),
    ]


def test_web_import_of_a_pasted_table(client, lead):
    response = client.post(reverse("workspaces:import"), {"step": "upload", "table": MARKDOWN, "name": ""})
    assert response.context["confirm"].initial["name"] == "Pasted table"
    assert [a.name for a in response.context["preview"].activities] == ["Positioning", "Launch plan | comms"]
    assert not Workspace.objects.exists()


def test_web_import_of_cells_pasted_from_a_spreadsheet(client, lead):
    response = client.post(reverse("workspaces:import"), {"step": "upload", "table": "activity\tPM\tPMM\nLaunch\tA/R\t-\n"})
    assert [(a.name, a.raci) for a in response.context["preview"].activities] == [("Launch", (("PM", "A/R"),))]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a file, or paste a table."),
        ({"table": "   "}, "Choose a file, or paste a table."),
        ({"table": MARKDOWN, "file": SimpleUploadedFile("a.csv", SPREADSHEET.encode())}, "Choose a file or paste a table, not both."),
        ({"table": "| activity | PM |\n| Launch | maybe |\n"}, "line 2, column PM (B)"),
    ],
)
def test_web_import_refuses_a_bad_paste_clearly(client, lead, data, message):
    response = client.post(reverse("workspaces:import"), {"step": "upload", **data})
    assert response.status_code == 200
    assert message in response.text
    assert not Workspace.objects.exists()


def test_web_import_refuses_a_paste_with_a_nul_saying_where(client, lead):
    response = client.post(reverse("workspaces:import"), {"step": "upload", "table": "| activity | PM |\n| a\x00 | R |\n"})
    assert response.status_code == 400
    assert "NUL character (U+0000) in the “table” field" in response.text
    assert not Workspace.objects.exists()


def test_import_command_reads_a_markdown_table(tmp_path):
    out, _ = import_file(write(tmp_path, "launch.md", MARKDOWN))
    workspace = Workspace.objects.get(name="launch")
    assert "Imported launch: 2 activities, 3 roles" in out
    assert [(r.name, r.archetype.slug) for r in workspace.roles.order_by("position")][:2] == [("PM", "pm"), ("PMM", "pmm")]


def confirm_form(response, **changes):
    """The preview's confirm form as a browser would send it, with `changes`."""
    confirm = response.context["confirm"]
    data = {"step": "confirm", **{name: value for name, value in confirm.initial.items() if value is not False}}
    data.update({field.html_name: field.value() for field in confirm.archetype_fields()})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


HEADERS = "| Activity | Mktg | Dir PMM | VP Product | Head of Sales | CPO | Legal |\n|---|---|---|---|---|---|---|\n| Launch plan | R | A | C | I | I | - |\n"


def test_the_preview_shows_each_role_kind_in_a_select_that_the_confirm_applies(client, lead):
    response = upload(client, "team.md", HEADERS)
    selects = {field.label: field.value() for field in response.context["confirm"].archetype_fields()}
    assert selects == {
        "Kind of role for Mktg": "marcom", "Kind of role for Dir PMM": "pmm", "Kind of role for VP Product": "pm",
        "Kind of role for Head of Sales": "sales", "Kind of role for CPO": "exec", "Kind of role for Legal": "other",
    }
    text = " ".join(response.text.split())
    assert '<select name="archetype_5" form="import-confirm" aria-label="Kind of role for Legal"' in text
    assert '<option value="marcom" selected>' in text
    response = client.post(reverse("workspaces:import"), confirm_form(response, archetype_5="exec", archetype_4="pm"))
    workspace = Workspace.objects.get(name="team")
    assert response.status_code == 302
    assert list(workspace.roles.order_by("position").values_list("name", "archetype__slug")) == [
        ("Mktg", "marcom"), ("Dir PMM", "pmm"), ("VP Product", "pm"), ("Head of Sales", "sales"), ("CPO", "pm"), ("Legal", "exec"),
    ]


def test_a_tampered_role_kind_is_refused_and_nothing_is_written(client, lead):
    response = upload(client, "team.md", HEADERS)
    response = client.post(reverse("workspaces:import"), confirm_form(response, archetype_0="wizard"))
    assert response.status_code == 200
    assert "Kind of role for Mktg: Select a valid choice. wizard is not one of the available choices." in response.text
    assert not Workspace.objects.exists()


SUGGESTIBLE = """\
| Activity | PM | PMM |
|---|---|---|
| Competitive battlecards | C | A/R |
| Pricing and packaging | A | R |
| Launch plan | C | A/R |
| Office move | - | - |
"""


def test_map_with_suggestions_is_offered_with_a_count_and_maps_in_one_batch(client, lead):
    response = upload(client, "team.md", SUGGESTIBLE)
    confirm = response.context["confirm"]
    assert confirm.initial["map_suggestions"] is True
    assert response.context["suggested"] == 3
    assert sorted(import_mapping_choices(response.context["preview"])) == ["Competitive battlecards", "Launch plan", "Pricing and packaging"]
    text = " ".join(response.text.split())
    assert 'name="map_suggestions" id="id_map_suggestions" checked> Map with suggestions: 3 activities not yet mapped in “The essential product marketing activities” would be mapped' in text
    assert "suggested: Launch</span>" in text
    response = client.post(reverse("workspaces:import"), confirm_form(response))
    workspace = Workspace.objects.get(name="team")
    mapped = {a.name: [e.reference for e in a.elements.all()] for a in workspace.activities.all()}
    assert sum(1 for refs in mapped.values() if refs) == 3 and mapped["Office move"] == []
    changes = Change.objects.filter(activity__workspace=workspace, kind=Change.Kind.MAPPING)
    assert changes.count() == 3 and len(set(changes.values_list("batch", flat=True))) == 1
    assert changes.first().by == lead
    batch = changes.first().batch
    assert response["Location"] == reverse("workspaces:mapping", args=[workspace.public_id]) + f"?framework=read&batch={batch}"
    assert "Imported team: 4 activities, 3 mapped to their top suggestion." in client.get(response["Location"]).text


def test_without_map_with_suggestions_nothing_is_mapped(client, lead):
    response = upload(client, "team.md", SUGGESTIBLE)
    client.post(reverse("workspaces:import"), confirm_form(response, map_suggestions=None))
    workspace = Workspace.objects.get(name="team")
    assert not Activity.elements.through.objects.filter(activity__workspace=workspace).exists()
    assert not Change.objects.filter(activity__workspace=workspace).exists()


def test_a_sheet_that_maps_its_activities_is_not_offered_suggestions_by_default(client, lead):
    response = upload(client, "team.csv", SPREADSHEET)
    assert response.context["confirm"].initial["map_suggestions"] is False
    assert 'name="map_suggestions"' not in response.text
    assert "No activity would be mapped with suggestions" in response.text


def test_import_command_maps_with_suggestions_when_asked(tmp_path):
    out, _ = import_file(write(tmp_path, "launch.md", SUGGESTIBLE), "--map-suggestions")
    workspace = Workspace.objects.get(name="launch")
    assert "Mapped 3 of them to their top suggestion in" in out
    assert workspace.activities.filter(elements__isnull=False).distinct().count() == 3




def test_web_import_escapes_hostile_names_in_the_preview(client, lead):
    response = upload(client, "team.csv", "activity,PM\n<script>alert(1)</script>,A/R\n")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_web_import_suggests_a_free_name(client, lead):
    Workspace.objects.create(name="team")
    response = upload(client, "team.csv", SPREADSHEET)
    assert response.context["confirm"].initial["name"] == "team (2)"
    assert "exists already" in response.text


def test_web_import_needs_a_login(client):
    response = client.get(reverse("workspaces:import"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_web_export_downloads_each_format(client, acme):
    client.force_login(acme.memberships.get().user)
    for fmt, start in [("yaml", b"name: Acme"), ("json", b"{"), ("csv", b"activity"), ("xlsx", b"PK"), ("md", b"# Acme")]:
        response = client.get(reverse("workspaces:export", args=[acme.public_id, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(start), fmt
        assert f'filename="Acme product org.{fmt}"' in response["Content-Disposition"]
    assert client.get(reverse("workspaces:export", args=[acme.public_id, "exe"])).status_code == 404


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "yaml", "json", "md"])
def test_web_import_of_any_bytes_answers_clearly_and_writes_only_on_confirm(client, lead, suffix):
    """Hypothesis drives the upload view: never a 500, and an upload alone writes nothing."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
    def upload_anything(raw):
        response = upload(client, f"fuzz.{suffix}", raw)
        assert response.status_code == 200
        assert "Preview" in response.text or "Nothing was imported" in response.text or "errorlist" in response.text
        assert not Workspace.objects.exists()

    upload_anything()
