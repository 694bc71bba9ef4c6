"""The import parsers and exporters as plain functions: no database, every bad input named."""

import io
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responsibilities.formats import (
    MAX_UPLOAD_BYTES,
    ActivityData,
    ElementIndex,
    LibraryElement,
    PersonData,
    RoleData,
    WorkspaceData,
)
from responsibilities.formats import export
from responsibilities.formats.document import parse_document
from responsibilities.formats.roles import archetype_for_header
from responsibilities.formats.spreadsheet import parse_spreadsheet

ARCHETYPES = {"pm", "pmm", "marcom", "sales", "engineering", "cs", "design", "exec", "other"}
INDEX = ElementIndex(
    elements=[
        LibraryElement("read", "strategy", "Strategy"),
        LibraryElement("read", "launch", "Launch"),
        LibraryElement("five-categories", "competitive-intelligence", "Competitive intelligence"),
        LibraryElement("five-categories", "messaging-a", "Messaging"),
        LibraryElement("five-categories", "messaging-b", "Messaging"),
        LibraryElement("pragmatic", "positioning", "Positioning", "Planning"),
        LibraryElement("pragmatic", "programs", "Programs"),
        LibraryElement("pragmatic", "support", "Support"),
        LibraryElement("pragmatic", "support-programs", "Programs", "Support"),
    ],
    aliases={"kemp": "five-categories"},
)


def document(text: str):
    return parse_document(text.encode(), "w.yaml", INDEX, ARCHETYPES)


def sheet(text: str | bytes, name="w.csv"):
    return parse_spreadsheet(text.encode() if isinstance(text, str) else text, name, INDEX)


def where(errors):
    return [error.where for error in errors]


GOOD = """\
name: Acme
size: enterprise
market: b2c
framework: kemp
roles:
  - {name: PM, archetype: pm}
  - {name: Product Marketing, archetype: pmm}
people:
  - {name: Dana, roles: [pm, Product Marketing]}
activities:
  - name: Research
    description: Who buys
    elements: ["kemp:Competitive intelligence", "read:strategy", "read:Strategy"]
    raci: {Product Marketing: ar, PM: c}
  - name: Launch
"""


# Workspace document


def test_a_good_document_gives_canonical_data():
    data, errors = document(GOOD)
    assert errors == []
    assert data == WorkspaceData(
        name="Acme", size="enterprise", market="b2c", framework="five-categories",
        roles=(RoleData("PM", "pm"), RoleData("Product Marketing", "pmm")),
        people=(PersonData("Dana", ("PM", "Product Marketing")),),
        activities=(
            ActivityData(
                "Research", "Who buys", ("five-categories:competitive-intelligence", "read:strategy"),
                (("PM", "C"), ("Product Marketing", "A/R")),
            ),
            ActivityData("Launch"),
        ),
    )


def test_json_is_read_with_the_same_schema():
    data, errors = parse_document(export.to_json(document(GOOD)[0]).encode(), "w.json", INDEX, ARCHETYPES)
    assert errors == [] and data == document(GOOD)[0]


@pytest.mark.parametrize(
    "change, path",
    [
        (("raci: {Product Marketing: ar", "raci: {Product Marketing: X"), "activities[0].raci.Product Marketing"),
        (("raci: {Product Marketing: ar", "raci: {Founder: R, Product Marketing: ar"), "activities[0].raci.Founder"),
        (("read:strategy\"", "read:nope\""), "activities[0].elements[1]"),
        (("kemp:Competitive intelligence", "nope:x"), "activities[0].elements[0]"),
        (("- name: Launch", "- name: research"), "activities[1].name"),
        (("- name: Launch", "- name: ''"), "activities[1].name"),
        (("- name: Launch", "- name: Launch\n    owner: me"), "activities[1].owner"),
        (("archetype: pmm", "archetype: wizard"), "roles[1].archetype"),
        (("roles: [pm,", "roles: [ghost,"), "people[0].roles[0]"),
        (("size: enterprise", "size: huge"), "size"),
        (("market: b2c", "market: b2g"), "market"),
        (("framework: kemp", "framework: nope"), "framework"),
        (("name: Acme", "name: Acme\ncolour: red"), "colour"),
        (("- {name: PM, archetype: pm}", "- {name: PM, archetype: pm}\n  - {name: pm, archetype: pm}"), "roles[1].name"),
        (("description: Who buys", "description: [1, 2]"), "activities[0].description"),
    ],
)
def test_each_bad_document_names_its_path_and_gives_no_data(change, path):
    old, new = change
    assert old in GOOD
    data, errors = document(GOOD.replace(old, new))
    assert data is None
    assert path in where(errors), errors


def test_an_ambiguous_element_lists_the_candidates():
    data, errors = document(GOOD.replace("read:strategy\"", "five-categories:messaging\""))
    assert data is None
    assert "five-categories:messaging-a (Messaging, a category) or five-categories:messaging-b" in errors[0].message


@pytest.mark.parametrize("reference", ["pragmatic:Programs", "pragmatic:PROGRAMS", " Pragmatic : Programs  "])
def test_a_reference_naming_one_element_by_code_and_another_by_name_is_ambiguous(reference):
    canonical, problem = INDEX.resolve(reference)
    assert canonical is None
    assert problem == (
        f"{reference!r} is ambiguous: it could be pragmatic:programs (Programs, a category) or "
        "pragmatic:support-programs (Programs, in Support); write the code to choose"
    )


@pytest.mark.parametrize(
    "reference, canonical",
    [
        ("pragmatic:programs", "pragmatic:programs"),  # written exactly as the code: the code chooses
        ("pragmatic:support-programs", "pragmatic:support-programs"),
        ("pragmatic:Support-Programs", "pragmatic:support-programs"),  # one candidate, whatever the case
        ("pragmatic:positioning", "pragmatic:positioning"),  # code and name of one element
        ("pragmatic:POSITIONING", "pragmatic:positioning"),
        ("read:Launch", "read:launch"),
    ],
)
def test_a_reference_with_one_candidate_resolves(reference, canonical):
    assert INDEX.resolve(reference) == (canonical, "")


def test_an_ambiguous_reference_is_refused_in_a_document_and_a_sheet():
    data, errors = document(GOOD.replace("read:strategy\"", "pragmatic:Programs\""))
    assert data is None and where(errors) == ["activities[0].elements[1]"]
    assert "pragmatic:support-programs (Programs, in Support)" in errors[0].message
    data, errors = sheet(SHEET.replace("pragmatic:positioning", "pragmatic:Programs"))
    assert data is None and where(errors) == ["row 2, column C"]
    assert "write the code to choose" in errors[0].message


def test_every_error_is_listed_at_once():
    bad = GOOD.replace("ar, PM: c", "X, PM: Y").replace("size: enterprise", "size: huge")
    _, errors = document(bad)
    assert len(errors) == 3


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"name: caf\xe9\n", "not UTF-8"),
        (b"a: &x [1]\nb: *x\n", "aliases"),
        (b"- just\n- a list\n", "must be a mapping"),
        (b"name: [unclosed\n", "line"),
        (b"x" * (MAX_UPLOAD_BYTES + 1), "limit"),
        (b"name: a\x00b\n", "NUL"),
        (b"name: \"bell\\x07\"\nroles: []\n", "control characters"),
    ],
)
def test_unreadable_documents_are_refused_clearly(raw, message):
    data, errors = parse_document(raw, "w.yaml", INDEX, ARCHETYPES)
    assert data is None
    assert message in " ".join(str(e) for e in errors)


def test_hostile_text_is_data_and_round_trips_unchanged():
    hostile = "<script>alert(1)</script> =cmd|' /C calc'!A0"
    data, errors = document(GOOD.replace("- name: Launch", f"- name: \"{hostile}\""))
    assert errors == []
    assert data.activities[1].name == hostile
    again, _ = parse_document(export.to_yaml(data).encode(), "w.yaml", INDEX, ARCHETYPES)
    assert again == data


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_data_or_errors_never_an_exception(raw):
    data, errors = parse_document(raw, "w.yaml", INDEX, ARCHETYPES)
    assert (data is None) == bool(errors)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="nameroles[]{}-, \n\"'&*!|>AR/ci:", max_size=200))
def test_any_yaml_like_text_gives_data_or_errors(text):
    data, errors = document(text)
    assert (data is None) == bool(errors)


# RACI spreadsheet


SHEET = (
    "activity,description,elements,PM,Product Marketing,Corp Marketing,Founder\n"
    "Positioning,,pragmatic:positioning,C,A/R,I,\n"
    "Launch,Ship it,read:launch;kemp:competitive-intelligence,c,ar,R,ra\n"
    ",,,,,,\n"
    "Strategy,,,r/a,a/r,,i\n"
)


def test_a_good_sheet_gives_the_matrix_with_archetypes_from_headers():
    data, errors = sheet(SHEET)
    assert errors == []
    assert [(r.name, r.archetype) for r in data.roles] == [
        ("PM", "pm"), ("Product Marketing", "pmm"), ("Corp Marketing", "marcom"), ("Founder", "exec"),
    ]
    assert [a.name for a in data.activities] == ["Positioning", "Launch", "Strategy"]
    assert data.activities[1] == ActivityData(
        "Launch", "Ship it", ("read:launch", "five-categories:competitive-intelligence"),
        (("PM", "C"), ("Product Marketing", "A/R"), ("Corp Marketing", "R"), ("Founder", "A/R")),
    )


@pytest.mark.parametrize(
    "raw",
    [
        "activity;PM;PMM\nLaunch;A/R;C\n".encode(),
        "activity\tPM\tPMM\nLaunch\tA/R\tC\n".encode(),
        "activity,PM,PMM\r\nLaunch,A/R,C\r\n".encode("utf-8-sig"),
    ],
)
def test_semicolons_tabs_crlf_and_a_bom_are_fine(raw):
    data, errors = parse_spreadsheet(raw, "w.csv", INDEX)
    assert errors == []
    assert data.activities == (ActivityData("Launch", raci=(("PM", "A/R"), ("PMM", "C"))),)


@pytest.mark.parametrize(
    "text, place",
    [
        (SHEET + "Launch,,,R,,,\n", "row 6, column A"),
        (SHEET + ",desc,,R,,,\n", "row 6, column A"),
        (SHEET.replace("C,A/R,I", "C,X,I"), "row 2, column Product Marketing (E)"),
        (SHEET.replace("pragmatic:positioning", "pragmatic:nope"), "row 2, column C"),
        (SHEET.replace("Founder\n", "PM\n"), "row 1, column G"),
        ("name,PM\nx,R\n", "row 1, column A"),
        (SHEET.replace("Strategy,,,r/a,a/r,,i", "Strategy,,,r/a,a/r,,i,,oops"), "row 5, column I"),
    ],
)
def test_each_bad_row_is_named_and_no_data_is_given(text, place):
    data, errors = sheet(text)
    assert data is None
    assert place in where(errors), errors


def test_an_ambiguous_element_in_a_sheet_lists_candidates():
    _, errors = sheet(SHEET.replace("pragmatic:positioning", "kemp:Messaging"))
    assert (
        "could be five-categories:messaging-a (Messaging, a category) or five-categories:messaging-b (Messaging, a category)"
        in errors[0].message
    )


@pytest.mark.parametrize(
    "raw, name, message",
    [
        (b"activity,PM\ncaf\xe9,R\n", "w.csv", "not UTF-8"),
        (b"activity,PM\n" + b"x" * MAX_UPLOAD_BYTES, "w.csv", "limit"),
        (b"activity,PM\nLaunch,R\n", "w.xlsx", "not a real XLSX"),
        (b"", "w.csv", "empty"),
        (b"activity,PM\n\"unclosed,R\n", "w.csv", "CSV"),
    ],
)
def test_unreadable_sheets_are_refused_clearly(raw, name, message):
    data, errors = parse_spreadsheet(raw, name, INDEX)
    assert data is None
    assert message in " ".join(str(e) for e in errors)


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    _, errors = parse_spreadsheet(buffer.getvalue(), "w.xlsx", INDEX)
    assert "not a real XLSX" in errors[0].message


def test_a_zip_bomb_is_refused_before_it_is_expanded():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            block = b"\0" * 1_000_000
            for _ in range(60):
                entry.write(block)
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    data, errors = parse_spreadsheet(buffer.getvalue(), "w.xlsx", INDEX)
    assert data is None
    assert "refused" in errors[0].message


def test_a_real_xlsx_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.append(["activity", "PMM", "Sales"])
    workbook.active.append(["Launch", "A/R", "C"])
    workbook.active.append(["Pricing", 1, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data, errors = parse_spreadsheet(buffer.getvalue(), "w.xlsx", INDEX)
    assert data is None and "'1' is not a RACI letter" in errors[0].message
    workbook.active.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data, errors = parse_spreadsheet(buffer.getvalue(), "w.xlsx", INDEX)
    assert errors == []
    assert data.activities == (ActivityData("Launch", raci=(("PMM", "A/R"), ("Sales", "C"))),)


def test_header_names_map_to_archetypes():
    assert archetype_for_header("  product   Marketing ") == "pmm"
    assert archetype_for_header("Corp Marketing") == "marcom"
    assert archetype_for_header("Legal") == "other"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_as_a_sheet_give_data_or_errors(raw):
    for name in ("w.csv", "w.xlsx"):
        data, errors = parse_spreadsheet(raw, name, INDEX)
        assert (data is None) == bool(errors)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), max_size=6), max_size=8))
def test_any_csv_table_gives_data_or_errors(rows):
    buffer = io.StringIO()
    import csv

    csv.writer(buffer).writerows([["activity", "PM"], *rows])
    data, errors = sheet(buffer.getvalue())
    assert (data is None) == bool(errors)


# Export


HOSTILE = WorkspaceData(
    name="Acme | Co",
    roles=(RoleData("PM", "pm"), RoleData("@Growth", "other")),
    people=(PersonData("Dana", ("PM",)),),
    activities=(
        ActivityData('=HYPERLINK("http://x","y")', "+1 formula", ("read:launch",), (("PM", "A/R"),)),
        ActivityData("-2", "@SUM(A1)", (), (("@Growth", "C"),)),
        ActivityData("<script>alert(1)</script>", "Café ☕ | pipes", ("read:strategy", "pragmatic:positioning")),
    ),
)


def test_yaml_and_json_round_trip_exactly():
    for text, name in ((export.to_yaml(HOSTILE), "w.yaml"), (export.to_json(HOSTILE), "w.json")):
        data, errors = parse_document(text.encode(), name, INDEX, ARCHETYPES)
        assert errors == [] and data == HOSTILE


def test_csv_neutralises_formulas_and_reads_back_the_same_matrix():
    text = export.to_csv(HOSTILE)
    assert "\"'=HYPERLINK" in text and "'+1 formula" in text and "'-2" in text and "'@SUM(A1)" in text
    data, errors = sheet(text)
    assert errors == []
    assert data.activities == HOSTILE.activities
    assert [r.name for r in data.roles] == ["PM", "@Growth"]


def test_xlsx_has_no_formula_cells_and_reads_back_the_same_matrix():
    content = export.to_xlsx(HOSTILE)
    cells = [cell for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'=HYPERLINK(\"http://x\",\"y\")" in [cell.value for cell in cells]
    data, errors = parse_spreadsheet(content, "w.xlsx", INDEX)
    assert errors == [] and data.activities == HOSTILE.activities


def test_markdown_has_the_matrix_with_pipes_escaped():
    text = export.to_markdown(HOSTILE)
    assert text.startswith("# Acme \\| Co\n")
    assert "| Activity | PM | @Growth | Mapped to |" in text
    assert "| \\<script>alert(1)\\</script> |  |  | read:strategy; pragmatic:positioning |" in text
    assert "- Dana: PM" in text


def test_dashes_and_n_a_in_a_sheet_mean_not_involved():
    data, errors = sheet("activity,PM,PMM,Sales,CS\nLaunch,A/R,-,–,n/a\nPricing,—,N/A,na,R\n")
    assert errors == []
    assert data.activities == (
        ActivityData("Launch", raci=(("PM", "A/R"),)),
        ActivityData("Pricing", raci=(("CS", "R"),)),
    )


def test_an_x_in_a_sheet_is_refused_with_what_to_write_instead():
    data, errors = sheet("activity,PM,PMM\nLaunch,A/R,x\n")
    assert data is None
    assert where(errors) == ["row 2, column PMM (C)"]
    assert "involved but not how" in errors[0].message


# Groups (a phase or group column kept with each activity)


@pytest.mark.parametrize("header", ["group", "Phase", "STAGE", "category"])
def test_a_group_column_by_any_of_its_names_is_kept_with_each_activity(header):
    data, errors = sheet(f"activity,{header},PM\nBrief the team, Pre-launch ,A/R\nLaunch day,,R\n")
    assert errors == []
    assert [(a.name, a.group) for a in data.activities] == [("Brief the team", "Pre-launch"), ("Launch day", "")]
    assert [r.name for r in data.roles] == ["PM"]


def test_the_columns_before_the_roles_come_in_any_order():
    data, errors = sheet("Phase,Task,elements,description,PM\nLaunch,Press release,read:launch,Tell the press,A/R\n")
    assert errors == []
    assert data.activities == (
        ActivityData("Press release", "Tell the press", ("read:launch",), (("PM", "A/R"),), group="Launch"),
    )


def test_group_problems_are_named_by_row_and_column():
    _, errors = sheet("activity,phase,stage,PM\nx,a,b,R\n")
    assert where(errors) == ["row 1, column C"] and "a second group column" in errors[0].message
    _, errors = sheet("activity,phase,PM\nx," + "p" * 81 + ",R\n")
    assert where(errors) == ["row 2, column B"] and "limit is 80" in errors[0].message
    _, errors = sheet("Phase,PM\nLaunch,R\n")
    assert where(errors) == ["row 1, column A"] and '"activity"' in errors[0].message


def test_a_document_keeps_each_activity_group():
    data, errors = document(GOOD.replace("- name: Launch", "- name: Launch\n    group: '  Post-launch  '"))
    assert errors == [] and data.activities[1].group == "Post-launch"
    _, errors = document(GOOD.replace("- name: Launch", "- name: Launch\n    group: [1]"))
    assert where(errors) == ["activities[1].group"]


GROUPED = WorkspaceData(
    name="Grouped",
    roles=(RoleData("PM", "pm"), RoleData("PMM", "pmm")),
    activities=(
        ActivityData("Message house", raci=(("PMM", "A/R"),), group="Pre-launch"),
        ActivityData("Launch day", "", ("read:launch",), (("PM", "C"), ("PMM", "A")), group="-Launch"),
        ActivityData("Win/loss", raci=(("PM", "R"),)),
    ),
)


def test_every_export_carries_the_group_and_reads_it_back():
    assert export.to_csv(GROUPED).splitlines()[0] == "activity,group,description,elements,PM,PMM"
    for text, name in ((export.to_yaml(GROUPED), "w.yaml"), (export.to_json(GROUPED), "w.json")):
        assert parse_document(text.encode(), name, INDEX, ARCHETYPES) == (GROUPED, [])
    for content, name in ((export.to_csv(GROUPED).encode(), "w.csv"), (export.to_xlsx(GROUPED), "w.xlsx")):
        data, errors = parse_spreadsheet(content, name, INDEX)
        assert errors == [] and data.activities == GROUPED.activities
    assert "group: Pre-launch" in export.to_yaml(GROUPED)
