"""Hours, hours per person (fte_hours) and the assessment through every import and export.

Hours go through every format: the documents (YAML, JSON), the spreadsheets (CSV, XLSX) and
the Markdown sheet. fte_hours and the assessment go through the documents only: a spreadsheet
or a Markdown table has no place for them, so an import of one leaves the workspace's own.
"""

import io
from decimal import Decimal

import openpyxl
import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from frameworks.models import Element, Framework
from responsibilities import services
from responsibilities.formats import (
    FTE_HOURS_RANGE,
    MAX_HOURS,
    ActivityData,
    AssessmentData,
    ElementIndex,
    LibraryElement,
    RoleData,
    WorkspaceData,
    export,
    hours_text,
    parse_hours,
)
from responsibilities.formats.document import parse_document
from responsibilities.formats.markdown import parse_markdown
from responsibilities.formats.spreadsheet import parse_spreadsheet
from responsibilities.models import Activity, Assessment, Change, Workspace
from responsibilities.selectors import read_workspace_file, staffing_for, workspace_data, workspace_export
from responsibilities.starters import STARTERS

ARCHETYPES = {"pm", "pmm", "marcom", "sales", "engineering", "cs", "design", "exec", "other"}
INDEX = ElementIndex(
    elements=[
        LibraryElement("read", "launch", "Launch"),
        LibraryElement("read", "positioning", "Positioning"),
        LibraryElement("five-categories", "competitive-intelligence", "Competitive intelligence"),
        LibraryElement("pragmatic", "programs", "Programs"),
        LibraryElement("pragmatic", "support-programs", "Programs", "Support"),
    ],
    aliases={"kemp": "five-categories"},
)


def document(text: str):
    return parse_document(text.encode(), "w.yaml", INDEX, ARCHETYPES)


def problems(errors) -> list[str]:
    return [str(error) for error in errors]


SIZED = WorkspaceData(
    name="Acme",
    roles=(RoleData("PM", "pm"), RoleData("PMM", "pmm")),
    activities=(
        ActivityData("Positioning", elements=("read:positioning",), raci=(("PMM", "A/R"),), hours=12.5),
        ActivityData("Launch", elements=("read:launch",), raci=(("PM", "C"), ("PMM", "A/R")), hours=0.0),
        ActivityData("Pricing", raci=(("PM", "A/R"),)),  # not sized
        ActivityData("Win/loss", raci=(("PMM", "R"),), hours=99999.99),
    ),
    fte_hours=120.5,
    assessment=(
        AssessmentData("read:positioning", importance=5, performance=2),
        AssessmentData("five-categories:competitive-intelligence", importance=3, performance=3),
    ),
)


# The hours of a cell or a document value


@pytest.mark.parametrize(
    "value, hours",
    [
        ("12", 12.0), ("1.5", 1.5), (" 1.50 ", 1.5), (".25", 0.25), ("0", 0.0), ("", None), ("   ", None),
        ("1,5", 1.5), ("2,25", 2.25), ("1,500.5", 1500.5), ("12h", 12.0), ("12 hours", 12.0), ("99999.99", 99999.99),
        (12, 12.0), (1.5, 1.5), (0, 0.0), (-0.0, 0.0),
    ],
)
def test_hours_are_read_from_what_people_write(value, hours):
    assert parse_hours(value) == (hours, "")


@pytest.mark.parametrize(
    "value, message",
    [
        ("-1", "'-1' is negative; hours are 0 or more"),
        (-3, "-3 is negative; hours are 0 or more"),
        ("=1+1", "'=1+1' looks like a formula; write the number of hours itself"),
        ("+5", "looks like a formula"),
        ("@SUM(A1)", "looks like a formula"),
        ("1e309", "'1e309' is not a number of hours (write it like 12 or 1.5)"),
        ("1e3", "is not a number of hours"),
        ("nan", "'nan' is not a number of hours"),
        ("inf", "'inf' is not a number of hours"),
        ("Infinity", "is not a number of hours"),
        (float("nan"), "nan is not a number of hours"),
        (float("inf"), "inf is not a number of hours"),
        (1e308, "a number this large is outside 0–99,999.99"),
        (10**400, "a number this large is outside 0–99,999.99"),
        ("100000", "100000 is outside 0–99,999.99"),
        ("1.505", "1.505 has more than two decimals; write at most two (like 1.25)"),
        (0.1 + 0.2, "has more than two decimals"),
        ("1,500", "'1,500' is ambiguous: write 1500 or 1.5"),
        ("twelve", "'twelve' is not a number of hours"),
        ("١٢", "is not a number of hours"),  # Arabic-Indic digits: not what any export writes
        ("1\x00", "is not a number of hours"),
        (True, "True is not a number of hours"),
        ([12], "must be a number of hours, not list"),
    ],
)
def test_odd_hours_are_refused_with_a_reason(value, message):
    hours, problem = parse_hours(value)
    assert hours is None and message in problem


def test_hours_per_person_keep_to_a_month():
    assert parse_hours("140", low=FTE_HOURS_RANGE[0], high=FTE_HOURS_RANGE[1]) == (140.0, "")
    assert parse_hours("0.5", low=FTE_HOURS_RANGE[0], high=FTE_HOURS_RANGE[1])[1] == "0.5 is outside 1–744"
    assert parse_hours(745, low=FTE_HOURS_RANGE[0], high=FTE_HOURS_RANGE[1])[1] == "745 is outside 1–744"


TWO_DECIMALS = st.decimals(min_value=0, max_value=MAX_HOURS, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=300)
@given(TWO_DECIMALS)
def test_any_hours_an_export_writes_read_back_the_same(number):
    hours = float(number)
    assert parse_hours(hours_text(hours)) == (hours, "")
    assert parse_hours(hours) == (hours, "")


@settings(max_examples=300)
@given(TWO_DECIMALS.filter(lambda number: number != number.to_integral_value()))
def test_a_decimal_comma_reads_as_a_decimal_point(number):
    assert parse_hours(hours_text(float(number)).replace(".", ",")) == (float(number), "")


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.none(), st.booleans()))
def test_any_value_gives_hours_in_range_or_a_reason(value):
    hours, problem = parse_hours(value)
    if hours is None:
        assert problem or value is None or (isinstance(value, str) and not value.strip())
    else:
        assert problem == "" and 0 <= hours <= float(MAX_HOURS)
        assert Decimal(repr(hours)) == Decimal(repr(hours)).quantize(Decimal("0.01"))


# Documents


def test_a_document_reads_hours_fte_hours_and_the_assessment_by_any_element_reference():
    data, errors = document(
        """\
name: Acme
fte_hours: 120.5
roles: [{name: PMM, archetype: pmm}]
activities:
  - {name: Positioning, hours: 12.5, raci: {PMM: A/R}}
  - {name: Launch, hours: "1,5"}
  - {name: Pricing}
assessment:
  - {element: "read:Positioning", importance: 5, performance: 2}
  - {element: "kemp:Competitive intelligence", importance: 3, performance: 3}
"""
    )
    assert errors == []
    assert [activity.hours for activity in data.activities] == [12.5, 1.5, None]
    assert data.fte_hours == 120.5
    assert data.assessment == (
        AssessmentData("read:positioning", 5, 2),
        AssessmentData("five-categories:competitive-intelligence", 3, 3),
    )


def test_a_document_that_leaves_them_out_says_nothing_about_them():
    data, errors = document("name: Acme\nactivities: [{name: Launch}]\n")
    assert errors == [] and data.fte_hours is None and data.assessment is None
    data, errors = document("name: Acme\nassessment: []\n")
    assert errors == [] and data.assessment == ()


def test_every_bad_hour_and_assessment_in_a_document_is_listed_with_its_place():
    data, errors = document(
        """\
name: Acme
fte_hours: 0
roles: [{name: PMM, archetype: pmm}]
activities:
  - {name: A, hours: -1}
  - {name: B, hours: .nan}
  - {name: C, hours: "=1+1"}
  - {name: D, hours: 1.005}
  - {name: E, hours: [3]}
assessment:
  - {element: "read:nope", importance: 3, performance: 3}
  - {element: "pragmatic:Programs", importance: 3, performance: 3}
  - {element: "read:launch", importance: 6, performance: 0}
  - {element: "read:Launch", importance: "3", performance: true}
  - {element: "read:positioning", importance: 2.5}
  - {element: "read:positioning", importance: 4, performance: 4, weight: 1}
  - "read:launch"
"""
    )
    assert data is None
    assert problems(errors) == [
        "activities[0].hours: -1 is negative; hours are 0 or more",
        "activities[1].hours: nan is not a number of hours",
        "activities[2].hours: '=1+1' looks like a formula; write the number of hours itself",
        "activities[3].hours: 1.005 has more than two decimals; write at most two (like 1.25)",
        "activities[4].hours: must be a number of hours, not list",
        "fte_hours: 0 is outside 1–744",
        "assessment[0].element: unknown element 'read:nope' in framework 'read'",
        "assessment[1].element: 'pragmatic:Programs' is ambiguous: it could be pragmatic:programs (Programs, a category)"
        " or pragmatic:support-programs (Programs, in Support); write the code to choose",
        "assessment[2].importance: must be a whole number from 1 to 5, not 6",
        "assessment[2].performance: must be a whole number from 1 to 5, not 0",
        "assessment[3].importance: must be a whole number from 1 to 5, not '3'",
        "assessment[3].performance: must be a whole number from 1 to 5, not True",
        "assessment[4].importance: must be a whole number from 1 to 5, not 2.5",
        "assessment[4].performance: is required: a whole number from 1 to 5",
        "assessment[5].weight: unknown key (expected: element, importance, performance)",
        "assessment[6]: must be a mapping with element, importance and performance",
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"name": "a", "activities": [{"name": "x", "hours": 1e999}]}', "activities[0].hours: '1e999' is not a number of hours"),
        ('{"name": "a", "activities": [{"name": "x", "hours": NaN}]}', "activities[0].hours: 'NaN' is not a number of hours"),
        ("name: a\nactivities: [{name: x, hours: .inf}]\n", "activities[0].hours: inf is not a number of hours"),
        ('{"name": "a", "fte_hours": true}', "fte_hours: True is not a number of hours"),
        ('{"name": "a", "fte_hours": 745}', "fte_hours: 745 is outside 1–744"),
        ('{"name": "a", "assessment": [{"element": 5, "importance": 1, "performance": 1}]}', "assessment[0].element: must be text"),
        (
            '{"name": "a", "assessment": [{"element": "read:launch", "importance": 99999999999999999999999, "performance": 1}]}',
            "assessment[0].importance: must be a whole number from 1 to 5",
        ),
    ],
)
def test_hostile_json_and_yaml_values_are_refused_with_their_place(text, problem):
    data, errors = parse_document(text.encode(), "w.json", INDEX, ARCHETYPES)
    assert data is None and len(errors) == 1 and str(errors[0]).startswith(problem)


def test_an_element_assessed_twice_is_refused():
    _, errors = document(
        "name: Acme\nassessment:\n"
        "  - {element: read:launch, importance: 3, performance: 3}\n"
        "  - {element: read:Launch, importance: 4, performance: 1}\n"
    )
    assert problems(errors) == ["assessment[1].element: read:launch is assessed twice (first at assessment[0])"]


@pytest.mark.parametrize("value, kind", [("1.5", "float"), ("{a: 1}", "a mapping"), ("not a list", "str"), ("null", None)])
def test_an_assessment_that_is_not_a_list_is_refused(value, kind):
    data, errors = document(f"name: Acme\nassessment: {value}\n")
    if kind is None:  # `assessment:` with nothing after it: the same as leaving it out
        assert errors == [] and data.assessment is None
    else:
        assert problems(errors) == [f"assessment: must be a list, not {kind}"]


@pytest.mark.parametrize("to_text", [export.to_yaml, export.to_json])
def test_documents_carry_hours_fte_hours_and_the_assessment_both_ways(to_text):
    data, errors = parse_document(to_text(SIZED).encode(), "w.json", INDEX, ARCHETYPES)
    assert errors == [] and data == SIZED


def test_a_document_writes_whole_hours_as_whole_numbers():
    written = yaml.safe_load(export.to_yaml(SIZED))
    assert written["fte_hours"] == 120.5
    assert [activity.get("hours") for activity in written["activities"]] == [12.5, 0, None, 99999.99]
    assert written["assessment"][0] == {"element": "read:positioning", "importance": 5, "performance": 2}


# Spreadsheets and Markdown: hours only


def spreadsheet_round_trip(data: WorkspaceData, fmt: str) -> WorkspaceData:
    if fmt == "csv":
        read, errors = parse_spreadsheet(export.to_csv(data).encode(), "w.csv", INDEX)
    elif fmt == "xlsx":
        read, errors = parse_spreadsheet(export.to_xlsx(data), "w.xlsx", INDEX)
    else:
        read, errors = parse_markdown(export.to_markdown(data).encode(), INDEX)
    assert errors == []
    return read


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md"])
def test_spreadsheets_and_markdown_carry_hours_both_ways_but_not_fte_or_assessment(fmt):
    read = spreadsheet_round_trip(SIZED, fmt)
    assert [(a.name, a.hours) for a in read.activities] == [(a.name, a.hours) for a in SIZED.activities]
    assert read.fte_hours is None and read.assessment is None  # an import keeps the workspace's own


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md"])
def test_the_hours_column_is_written_only_when_some_activity_has_hours(fmt):
    unsized = WorkspaceData(name="Acme", roles=SIZED.roles, activities=(ActivityData("Launch", raci=(("PMM", "R"),)),))
    assert "hours" not in export.to_csv(unsized).splitlines()[0]
    assert "Hours" not in export.to_markdown(unsized)
    assert export.to_csv(SIZED).splitlines()[0] == "activity,group,description,hours,elements,PM,PMM"
    assert spreadsheet_round_trip(unsized, fmt).activities[0].hours is None


def test_xlsx_hours_are_numbers_a_spreadsheet_can_add_up():
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(SIZED))).active
    assert [cell.value for cell in sheet["D"]] == ["hours", 12.5, 0, None, 99999.99]
    assert {cell.data_type for cell in sheet["D"][1:] if cell.value is not None} == {"n"}


@pytest.mark.parametrize("header", ["hours", "Hours", "hours/month", "Hours per month", "Effort (h)"])
def test_an_hours_column_is_known_by_the_headers_teams_give_it(header):
    data, errors = parse_spreadsheet(f"activity,{header},PMM\nLaunch,1.5,R\nPricing,,A\n".encode(), "w.csv", INDEX)
    assert errors == []
    assert [role.name for role in data.roles] == ["PMM"]
    assert [a.hours for a in data.activities] == [1.5, None]


def test_a_decimal_comma_in_a_semicolon_sheet_is_read():
    data, errors = parse_spreadsheet("activity;hours;PMM\nLaunch;1,5;R\n".encode(), "w.csv", INDEX)
    assert errors == [] and data.activities[0].hours == 1.5


def test_every_bad_hours_cell_is_listed_with_its_row_and_nothing_is_read():
    text = (
        "activity,hours,PMM\n"
        "A,-1,R\n"
        "B,'=1+1,R\n"
        "C,1e309,R\n"
        "D,nan,R\n"
        'E,"1,500",R\n'
        "F,100000,R\n"
        "G,12,R\n"
    )
    data, errors = parse_spreadsheet(text.encode(), "w.csv", INDEX)
    assert data is None
    assert problems(errors) == [
        "row 2, column B: '-1' is negative; hours are 0 or more",
        "row 3, column B: '=1+1' looks like a formula; write the number of hours itself",
        "row 4, column B: '1e309' is not a number of hours (write it like 12 or 1.5)",
        "row 5, column B: 'nan' is not a number of hours (write it like 12 or 1.5)",
        "row 6, column B: '1,500' is ambiguous: write 1500 or 1.5",
        "row 7, column B: 100000 is outside 0–99,999.99",
    ]


def test_a_markdown_sheet_places_a_bad_hours_cell_by_its_line():
    data, errors = parse_markdown(b"# RACI\n\n| Activity | Hours | PMM |\n|---|---|---|\n| Launch | lots | R |\n", INDEX)
    assert data is None
    assert problems(errors) == ["line 5, column B: 'lots' is not a number of hours (write it like 12 or 1.5)"]


# Through the database: import, export, replace, snapshots, starters

DOCUMENT = """\
name: Acme product org
framework: read
fte_hours: 120
roles:
  - {name: Product Manager, archetype: pm}
  - {name: Product Marketing, archetype: pmm}
people:
  - {name: Dana, roles: [Product Marketing]}
activities:
  - {name: Positioning, hours: 20, elements: ["read:positioning"], raci: {Product Marketing: A/R}}
  - {name: Launch plan, hours: 30.25, elements: ["read:launch"], raci: {Product Marketing: A, Product Manager: R}}
  - {name: Pricing, raci: {Product Manager: A/R}}
assessment:
  - {element: "read:Positioning", importance: 5, performance: 2}
  - {element: "read:launch", importance: 3, performance: 3}
"""


def import_text(text: str, filename="acme.yaml", *, name="Acme product org", owner=None, replace=False):
    data, errors = read_workspace_file(text.encode() if isinstance(text, str) else text, filename)
    assert errors == [], errors
    return services.workspace_import(data=data, name=name, owner=owner, replace=replace).workspace


@pytest.fixture
def acme(db):
    return import_text(DOCUMENT)


def test_an_imported_document_writes_hours_fte_hours_and_the_assessment(acme):
    assert dict(acme.activities.values_list("name", "hours")) == {
        "Positioning": Decimal("20.00"), "Launch plan": Decimal("30.25"), "Pricing": None,
    }
    acme.refresh_from_db()
    assert acme.fte_hours == Decimal("120.00")
    assert sorted(acme.assessments.values_list("element__code", "importance", "performance")) == [
        ("launch", 3, 3), ("positioning", 5, 2),
    ]
    # and the staffing page sees them: Launch plan's 30.25 hours go to its R, the PM
    needed = {role.name: role.hours for role in staffing_for(acme).roles}
    assert needed == {"Product Manager": 30.25, "Product Marketing": 20.0}


def test_a_document_without_fte_hours_leaves_the_default(db):
    workspace = import_text(DOCUMENT.replace("fte_hours: 120\n", ""))
    assert workspace.fte_hours == Decimal("140")


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx", "md"])
def test_every_export_reads_back_the_same_hours(acme, fmt):
    original = workspace_data(acme)
    written = workspace_export(acme, fmt).content
    copy = import_text(written, f"copy.{fmt}", name="Copy")
    read = workspace_data(copy)
    assert [(a.name, a.hours) for a in read.activities] == [(a.name, a.hours) for a in original.activities]
    if fmt in ("yaml", "json"):
        assert (read.fte_hours, read.assessment) == (120.0, original.assessment)
        assert original.assessment == (AssessmentData("read:positioning", 5, 2), AssessmentData("read:launch", 3, 3))
    else:  # a sheet has no place for them: the new workspace has the defaults
        assert (read.fte_hours, read.assessment) == (140.0, ())


def test_a_replace_import_changes_hours_fte_hours_and_the_assessment(acme):
    changed = (
        DOCUMENT.replace("hours: 20,", "hours: 25,").replace("fte_hours: 120", "fte_hours: 160")
        .replace("importance: 3, performance: 3", "importance: 4, performance: 1")
    )
    import_text(changed, replace=True)
    assert Activity.objects.get(name="Positioning").hours == Decimal("25")
    acme.refresh_from_db()
    assert acme.fte_hours == Decimal("160")
    assert acme.assessments.get(element__code="launch").performance == 1
    summary = Change.objects.filter(workspace=acme, subject="replace").latest("pk").after
    assert "hours per person per month 120 → 160" in summary
    assert "hours changed on 1 activity" in summary
    assert "1 assessment changed" in summary


def test_a_replace_by_a_sheet_sets_hours_and_keeps_fte_hours_and_the_assessment(acme):
    import_text("activity,hours,Product Marketing\nPositioning,8,A/R\nLaunch plan,,A/R\n", "acme.csv", replace=True)
    assert dict(acme.activities.values_list("name", "hours")) == {"Positioning": Decimal("8"), "Launch plan": None}
    acme.refresh_from_db()
    assert acme.fte_hours == Decimal("120") and acme.assessments.count() == 2


def test_a_replace_by_a_document_with_an_empty_assessment_clears_it(acme):
    import_text(DOCUMENT.split("assessment:")[0] + "assessment: []\n", replace=True)
    assert not acme.assessments.exists()


def test_undoing_a_replace_puts_back_hours_and_the_assessment(acme):
    import_text(DOCUMENT.replace("hours: 20,", "hours: 1,").split("assessment:")[0] + "assessment: []\n", replace=True)
    replace = Change.objects.filter(workspace=acme, subject="replace").latest("pk")
    services.import_undo(workspace=acme, change_id=replace.pk, by=None)
    assert Activity.objects.get(name="Positioning").hours == Decimal("20")
    assert acme.assessments.count() == 2


def test_an_assessment_of_an_element_the_library_lacks_is_an_import_error_not_a_500(client, make_user):
    client.force_login(make_user("lead"))
    bad = DOCUMENT.replace("read:launch\", importance", "read:no-such-element\", importance")
    response = client.post(
        reverse("workspaces:import"), {"step": "upload", "file": SimpleUploadedFile("acme.yaml", bad.encode())}
    )
    assert response.status_code == 200
    assert "assessment[1].element: unknown element &#x27;read:no-such-element&#x27; in framework &#x27;read&#x27;" in response.text
    assert not Workspace.objects.exists() and not Assessment.objects.exists()


def test_a_snapshot_keeps_and_restores_hours_fte_hours_and_the_assessment(acme, make_user):
    snapshot = services.snapshot_take(workspace=acme, by=None, label="Q2")
    document = snapshot.content["document"]
    assert document["fte_hours"] == 120 and len(document["assessment"]) == 2
    restored = services.snapshot_restore(snapshot=snapshot, name="Acme as in Q2", owner=make_user("lead")).workspace
    assert workspace_data(restored).activities == workspace_data(acme).activities
    assert (workspace_data(restored).fte_hours, workspace_data(restored).assessment) == (120.0, workspace_data(acme).assessment)


def test_a_snapshot_restore_leaves_out_the_assessment_of_an_element_the_library_lost(acme, make_user):
    snapshot = services.snapshot_take(workspace=acme, by=None, label="Q2")
    Element.objects.filter(framework__slug="read", code="launch").update(code="launch-renamed")
    restored = services.snapshot_restore(snapshot=snapshot, name="Restored", owner=make_user("lead"))
    assert "read:launch" in restored.dropped
    assert [a.element for a in workspace_data(restored.workspace).assessment] == ["read:positioning"]


@pytest.mark.parametrize("size", STARTERS)
def test_starters_size_every_activity_plausibly_and_assess_a_few_elements(make_user, size):
    workspace = services.workspace_create_from_starter(
        name=f"{size} team", owner=make_user("lead"), size=size, market="b2b",
        primary_framework=Framework.objects.get(slug="read"), use_starter=True,
    )
    assert not workspace.activities.filter(hours__isnull=True).exists()
    assert 3 <= workspace.assessments.count() <= 6
    result = staffing_for(workspace)
    assert result.unassigned_hours == 0
    product_marketing = next(need for need in result.archetypes if need.name == "pmm")
    # a startup's product marketing is about one person; a large company's a team, not a department
    low, high = {"startup": (0.5, 1.5), "scale-up": (1.5, 3.5), "enterprise": (4, 8)}[size]
    assert low <= product_marketing.fte_needed <= high
    assert all(need.fte_needed <= 10 for need in result.roles)
    assert result.priorities and all(priority.hours > 0 for priority in result.priorities[:2])


def test_the_formats_limits_are_what_the_models_hold():
    hours = Activity._meta.get_field("hours")
    assert MAX_HOURS == Decimal(10 ** (hours.max_digits - hours.decimal_places)) - Decimal(10) ** -hours.decimal_places
    fte = Workspace._meta.get_field("fte_hours")
    assert FTE_HOURS_RANGE == tuple(v.limit_value for v in fte.validators if hasattr(v, "limit_value"))
    assert Decimal("0.01") == Decimal(10) ** -fte.decimal_places


def test_the_web_import_previews_hours_and_writes_them_on_confirm(client, make_user):
    client.force_login(make_user("lead"))
    sheet = SimpleUploadedFile("team.csv", b"activity,hours/month,PMM\nLaunch plan,12.5,A/R\nPricing,,A/R\n")
    response = client.post(reverse("workspaces:import"), {"step": "upload", "file": sheet})
    assert "Launch plan <span class=\"small muted\">12.5 h/month</span>" in response.text and not Workspace.objects.exists()
    token = response.context["confirm"].initial["token"]
    client.post(reverse("workspaces:import"), {"step": "confirm", "token": token, "name": "Our RACI"})
    assert dict(Activity.objects.values_list("name", "hours")) == {"Launch plan": Decimal("12.5"), "Pricing": None}


def test_the_activity_list_download_has_the_hours_column(client, make_user):
    lead = make_user("lead")
    workspace = import_text(DOCUMENT, owner=lead)
    client.force_login(lead)
    response = client.get(reverse("workspaces:activities", args=[workspace.public_id]), {"export": "csv"})
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("activity,group,description,hours,elements")
    assert lines[1].startswith("Positioning,,,20,")
