"""The staffing page, its Markdown and CSV downloads, and the staffing section of the
role-definition document: the numbers on a hand-built workspace, empty states, access."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from frameworks.models import Archetype, Element, Framework
from responsibilities.models import Activity, Assessment, Assignment, Membership, Person, Role, Workspace

pytestmark = pytest.mark.django_db


def staffed_workspace(personas, name="Staffed team"):
    """By hand, at 140 hours per person per month:
    - Positioning, 140 h: R Product Marketing                       -> PMM 140
    - Pricing, 70 h: A/R Product Manager, R Product Marketing      -> PM 35, PMM 35
    - Launch plan, 28 h: A Corp Marketing only (no R)               -> Corp 28
    - Win/loss, 14 h: C Product Manager only                        -> unassigned 14
    - Offsite: no hours                                              -> nothing
    Dana holds PM and PMM (0.5 each), Eli holds PMM (1).
    PM needs 35/140 = 0.25 and has 0.5; PMM needs 175/140 = 1.25 and has 1.5; Corp needs
    28/140 = 0.2 and has 0. Read's Pricing is assessed 5/2 (priority 15), Launch 4/4 (0); Pricing is one of Launch's items.
    """
    workspace = Workspace.objects.create(name=name, primary_framework=Framework.objects.get(slug="read"))
    for persona, level in (("owner", "owner"), ("editor", "editor"), ("viewer", "viewer")):
        Membership.objects.create(workspace=workspace, user=personas[persona], level=level)
    pm, pmm, corp = (
        Role.objects.create(workspace=workspace, name=role, position=i, archetype=Archetype.objects.get(slug=slug))
        for i, (role, slug) in enumerate((("Product Manager", "pm"), ("Product Marketing", "pmm"), ("Corp Marketing", "marcom")))
    )
    read = {code: Element.objects.get(framework__slug="read", code=code) for code in ("positioning", "pricing", "launch")}
    for position, (activity, hours, letters, element) in enumerate(
        (
            ("Positioning", "140", {pmm: "R"}, "positioning"),
            ("Pricing", "70", {pm: "A/R", pmm: "R"}, "pricing"),
            ("Launch plan", "28", {corp: "A"}, "launch"),
            ("Win/loss", "14", {pm: "C"}, None),
            ("Offsite", None, {pmm: "R"}, None),
        )
    ):
        row = Activity.objects.create(workspace=workspace, name=activity, position=position, hours=hours and Decimal(hours))
        for role, held in letters.items():
            Assignment.objects.create(activity=row, role=role, letters=held)
        if element:
            row.elements.add(read[element])
    Person.objects.create(workspace=workspace, name="Dana").roles.set([pm, pmm])
    Person.objects.create(workspace=workspace, name="Eli").roles.set([pmm])
    Assessment.objects.create(workspace=workspace, element=read["pricing"], importance=5, performance=2)
    Assessment.objects.create(workspace=workspace, element=read["launch"], importance=4, performance=4)
    return workspace


@pytest.fixture
def workspace(personas):
    return staffed_workspace(personas)


@pytest.fixture
def owner_client(client, personas):
    client.force_login(personas["owner"])
    return client


def page(workspace, **query):
    return reverse("workspaces:staffing", args=[workspace.public_id]), query


def download(client, workspace, fmt, **query):
    return client.get(reverse("workspaces:staffing_download", args=[workspace.public_id, fmt]), query)


def row_of(text, name):
    """The table row whose header is `name`, from the first table that has one."""
    return text.split(f'<th scope="row">{name}')[1].split("</tr>")[0]


def test_each_role_shows_the_people_it_needs_against_the_people_it_has(owner_client, workspace):
    text = owner_client.get(*page(workspace)).text
    marketing = row_of(text, "Product Marketing")
    assert ">175<" in marketing and 'aria-label="needs 1.25 people, has 1.5"' in marketing
    assert "over by 0.25 people for the work listed" in marketing
    manager = row_of(text, "Product Manager")
    assert ">35<" in manager and "needs 0.25, has 0.5" in manager
    corp = row_of(text, "Corp Marketing")
    assert ">28<" in corp and "short by 0.2 people" in corp and "verdict short" in corp


def test_the_bars_are_drawn_to_one_scale_the_widest_figure_filling_the_track(owner_client, workspace):
    marketing = row_of(owner_client.get(*page(workspace)).text, "Product Marketing")
    assert 'class="bar-fill bar-present" y="10" width="100.0"' in marketing
    assert 'class="bar-fill bar-needed" y="2" width="83.3"' in marketing  # 1.25 of 1.5


def test_archetypes_sum_their_roles_under_the_archetypes_own_name(owner_client, personas, workspace):
    Role.objects.create(workspace=workspace, name="Field PMM", position=9, archetype=Archetype.objects.get(slug="pmm"))
    text = owner_client.get(*page(workspace)).text
    archetypes = text.split('id="archetypes-heading"')[1]
    assert Archetype.objects.get(slug="pmm").name in archetypes
    assert 'aria-label="needs 1.25 people, has 1.5"' in row_of(archetypes, Archetype.objects.get(slug="pmm").name)


def test_unassigned_hours_link_to_the_activities_nobody_holds(owner_client, workspace):
    text = owner_client.get(*page(workspace)).text
    unassigned = text.split('id="unassigned-heading"')[1].split("</section>")[0]
    assert "Unassigned: 14 hours a month" in unassigned
    win_loss = workspace.activities.get(name="Win/loss")
    assert reverse("workspaces:activity", args=[workspace.public_id, win_loss.public_id]) in unassigned
    assert "Offsite" not in unassigned and "Launch plan" not in unassigned  # no hours; an A takes them


def cells(row_html):
    """(column, value) of a table row's cells, from their data-label."""
    row_html = row_html.split("</tr>")[0]
    return re.findall(r'data-label="([^"]+)">(?:<strong>)?([^<]*)', row_html)


def test_priorities_rank_the_assessed_elements_with_the_hours_that_reach_them(owner_client, workspace):
    text = owner_client.get(*page(workspace)).text
    table = text.split('class="priorities-table"')[1]
    assert table.index("Pricing") < table.index("Launch")
    assert cells(table.split("Pricing</a>")[1]) == [
        ("Importance", "5"), ("Performance", "2"), ("Priority", "15"), ("Hours/month now", "70"),
    ]
    # Pricing is one of Launch's items: its 70 hours reach Launch too.
    assert cells(table.split("Launch</a>")[1]) == [
        ("Importance", "4"), ("Performance", "4"), ("Priority", "0"), ("Hours/month now", "98"),
    ]


def test_priorities_follow_the_framework_in_view(owner_client, workspace):
    text = owner_client.get(*page(workspace, framework="pragmatic")).text
    assert "Nothing in The Pragmatic Framework is assessed yet" in text
    assert f'{reverse("workspaces:lens", args=[workspace.public_id])}?framework=pragmatic' in text


def test_without_hours_the_page_says_how_to_add_them(owner_client, workspace):
    workspace.activities.update(hours=None)
    text = owner_client.get(*page(workspace)).text
    assert "No activity has hours yet" in text
    assert reverse("workspaces:activities", args=[workspace.public_id]) in text
    assert "<code>hours</code> column" in text
    assert "staffing-bars" not in text
    assert "priorities-table" in text  # the assessments still rank


def test_nothing_assessed_points_to_the_lens(owner_client, workspace):
    Assessment.objects.filter(workspace=workspace).delete()
    text = owner_client.get(*page(workspace)).text
    assert "Nothing in The essential product marketing activities is assessed yet" in text
    assert f'{reverse("workspaces:lens", args=[workspace.public_id])}?framework=read' in text


def test_a_different_hours_per_person_changes_the_people_needed(owner_client, workspace):
    workspace.fte_hours = Decimal("87.5")
    workspace.save()
    text = owner_client.get(*page(workspace)).text
    assert "One person gives 87.5 hours a month" in text
    assert "needs 2, has 1.5" in row_of(text, "Product Marketing")  # 175 / 87.5


@pytest.mark.parametrize("persona, status", [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)])
def test_members_read_the_page_and_its_downloads_others_get_404(as_persona, workspace, persona, status):
    client = as_persona(persona)
    assert client.get(*page(workspace)).status_code == status
    for fmt in ("md", "csv"):
        assert download(client, workspace, fmt).status_code == status


def test_only_owners_see_the_link_to_change_the_hours_per_person(as_persona, workspace):
    settings = reverse("workspaces:settings", args=[workspace.public_id])
    assert settings in as_persona("owner").get(*page(workspace)).text
    assert "change in Settings" not in as_persona("viewer").get(*page(workspace)).text


def test_anonymous_is_sent_to_log_in(client, workspace):
    response = client.get(*page(workspace))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_workspace_tabs_lead_to_the_staffing_page(owner_client, workspace):
    text = owner_client.get(reverse("workspaces:matrix", args=[workspace.public_id])).text
    assert f'<a href="{reverse("workspaces:staffing", args=[workspace.public_id])}">Staffing</a>' in text
    text = owner_client.get(*page(workspace)).text
    assert 'aria-current="page">Staffing</a>' in text


def test_an_unknown_format_is_404_and_an_unknown_framework_falls_back_to_the_primary(owner_client, workspace):
    assert download(owner_client, workspace, "xlsx").status_code == 404
    assert owner_client.get(*page(workspace, framework="read\x00")).status_code == 400
    response = owner_client.get(*page(workspace, framework="nope<b>"))
    assert response.status_code == 200
    assert "There is no framework" in response.text and "<b>" not in response.text
    assert "Where to invest: The essential product marketing activities" in response.text


def test_the_markdown_download_has_the_page_in_tables(owner_client, workspace):
    response = download(owner_client, workspace, "md")
    assert response["Content-Type"].startswith("text/markdown")
    assert 'filename="Staffed team staffing.md"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("# Staffing of Staffed team\n")
    assert "| Product Marketing | 175 | 1.25 | 1.5 | -0.25 | over by 0.25 people for the work listed |" in body
    assert "| Corp Marketing | 28 | 0.2 | 0 | 0.2 | short by 0.2 people |" in body
    assert "## Unassigned: 14 hours a month" in body and "- Win/loss (14 h/month)" in body
    assert "| Pricing | 5 | 2 | 15 | 70 |" in body


def test_the_csv_download_has_one_row_per_fact_with_numbers_as_numbers(owner_client, workspace):
    response = download(owner_client, workspace, "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by = {(row["section"], row["name"]): row for row in rows}
    marketing = by[("role", "Product Marketing")]
    assert (marketing["archetype"], marketing["hours"], marketing["fte_needed"], marketing["people"], marketing["gap"]) == (
        "pmm", "175", "1.25", "1.5", "-0.25"
    )
    assert by[("archetype", Archetype.objects.get(slug="marcom").name)]["gap"] == "0.2"
    assert by[("unassigned", "")]["hours"] == "14"
    assert by[("unassigned activity", "Win/loss")]["hours"] == "14"
    pricing = by[("priority", "Pricing")]
    assert (pricing["element"], pricing["importance"], pricing["performance"], pricing["priority"], pricing["hours"]) == (
        "read:pricing", "5", "2", "15", "70"
    )


def test_hostile_names_are_neutralised_in_csv_and_escaped_in_markdown(owner_client, workspace):
    workspace.roles.filter(name="Corp Marketing").update(name="=HYPERLINK(\"http://x\")|*bold*")
    workspace.activities.filter(name="Win/loss").update(name="@SUM(1)|[link](http://x)")
    csv_body = download(owner_client, workspace, "csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert {row["name"] for row in rows if row["section"] in ("role", "unassigned activity")} >= {
        "'=HYPERLINK(\"http://x\")|*bold*", "'@SUM(1)|[link](http://x)",
    }
    md = download(owner_client, workspace, "md").content.decode()
    assert "| =HYPERLINK(\"http://x\")\\|\\*bold\\* | 28 |" in md
    assert "- @SUM(1)\\|\\[link](http://x)" in md


def test_the_page_reads_in_a_fixed_number_of_queries(owner_client, workspace, django_assert_num_queries):
    """Session and user (2), membership (1), staffing_for (9), unassigned activities (1),
    archetype names (1), frameworks for the menu (1)."""
    with django_assert_num_queries(15):
        owner_client.get(*page(workspace))
    for i in range(20):
        Activity.objects.create(workspace=workspace, name=f"More {i}", position=20 + i, hours=Decimal("3"))
    with django_assert_num_queries(15):
        owner_client.get(*page(workspace))


def test_the_role_document_ends_with_staffing(owner_client, workspace):
    url = reverse("workspaces:roles_document", args=[workspace.public_id])
    text = owner_client.get(url).text
    staffing = text.split('id="staffing-heading"')[1].split("</section>")[0]
    assert "14 hours a month have nobody holding R or A" in staffing
    corp = row_of(staffing, "Corp Marketing")
    assert ">0.2<" in corp and "short by 0.2 people" in corp
    body = owner_client.get(url, {"format": "md"}).content.decode()
    staffing_md = body.split("## Staffing\n")[1]
    assert "| Product Manager | 35 | 0.25 | 0.5 | -0.25 | over by 0.25 people for the work listed |" in staffing_md


def test_the_role_document_without_hours_says_so(owner_client, workspace):
    workspace.activities.update(hours=None)
    url = reverse("workspaces:roles_document", args=[workspace.public_id])
    assert "No activity has hours yet" in owner_client.get(url).text
    body = owner_client.get(url, {"format": "md"}).content.decode()
    assert body.split("## Staffing\n")[1].strip().startswith("No activity has hours yet")
