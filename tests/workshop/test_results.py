"""The results page and downloads compare views per activity, every column headed."""

import csv
import io
import re

import pytest
from django.urls import reverse

from frameworks.models import Element
from responsibilities.models import Activity
from workshops import services
from workshops.models import Participant
from workshops.selectors import results_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm(workshop):
    return workshop.roles.get(name="Product Manager")


@pytest.fixture
def sam(workshop, pm):
    return Participant.objects.create(workshop=workshop, name="Sam", role=pm)


def results_url(workshop):
    return reverse("workshop:results", args=[workshop.workspace.public_id, workshop.public_id])


def rows(workshop):
    return [(r.role, r.activity, r.category, r.self_notes, r.other_notes, r.verdict) for r in results_for(workshop).activities]


def test_an_unsorted_note_that_agrees_with_a_sorted_one_is_no_gap(workshop, participant, sam, pm):
    sorted_note = services.note_add(participant=participant, text="Pricing decisions", kind="other", role=pm)
    services.note_map(note=sorted_note, element=Element.objects.get(framework__slug="read", code="pricing"))
    services.note_add(participant=sam, text="Pricing  decisions", kind="self", role=None)  # still unsorted
    assert rows(workshop) == [("Product Manager", "Pricing decisions", "Launch", 1, 1, "seen alike")]
    [tally] = results_for(workshop).tallies
    assert (tally.role, tally.agreed, tally.disagreed) == ("Product Manager", 1, 0)


def test_merged_notes_count_as_their_survivors_activity(workshop, participant, sam, pm):
    survivor = services.note_add(participant=participant, text="Roadmap reviews", kind="other", role=pm)
    duplicate = services.note_add(participant=sam, text="Reviewing the roadmap", kind="self", role=None)
    services.note_merge(target=survivor, others=[duplicate])
    assert rows(workshop) == [("Product Manager", "Roadmap reviews", "Unsorted", 1, 1, "seen alike")]


def test_a_committed_note_counts_as_the_activity_it_went_into(workshop, participant, sam, pm, personas):
    pricing = Activity.objects.create(workspace=workshop.workspace, name="Pricing and packaging")
    note = services.note_add(participant=participant, text="Pricing decisions", kind="other", role=pm)
    services.note_map(note=note, element=Element.objects.get(framework__slug="read", code="pricing"))
    services.note_add(participant=sam, text="pricing and packaging", kind="self", role=None)
    services.note_add(participant=sam, text="Pricing decisions", kind="self", role=None)  # unsorted: left out of the commit
    services.note_add(participant=sam, text="Release notes", kind="self", role=None)
    services.workshop_commit(workshop=workshop, by=personas["editor"], choices={str(note.public_id): str(pricing.pk)})
    assert rows(workshop) == [
        ("Product Manager", "Pricing and packaging", "Launch", 2, 1, "seen alike"),
        ("Product Manager", "Release notes", "Unsorted", 1, 0, "only the role sees it"),
    ]


def test_results_take_three_queries(workshop, participant, sam, pm, django_assert_num_queries):
    for i in range(5):
        services.note_add(participant=sam, text=f"Note {i}", kind="self", role=None)
        services.note_add(participant=participant, text=f"Note {i}", kind="other", role=pm)
    with django_assert_num_queries(3):
        results_for(workshop)


def test_every_column_is_headed_on_the_page_and_in_the_downloads(as_persona, workshop, participant, sam, pm):
    note = services.note_add(participant=participant, text="Pricing decisions", kind="other", role=pm)
    services.note_add(participant=sam, text="Win/loss | interviews", kind="self", role=None)
    client = as_persona("viewer")
    page = client.get(results_url(workshop)).text
    assert "Pricing decisions" in page and "<th scope=\"col\"></th>" not in page
    for head in re.findall(r"<thead>(.*?)</thead>", page, re.S):
        assert all(cell.strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head))
    markdown = client.get(results_url(workshop), {"format": "md"}).content.decode()
    assert "| Role | Activity | Category | Says it does | Others say it does | Verdict |" in markdown
    assert "| Product Manager | Win/loss \\| interviews | Unsorted | 1 | 0 | only the role sees it |" in markdown
    assert not re.search(r"\|[ \t]*\|", markdown.replace("\\|", ""))  # no empty header or cell
    table = list(csv.reader(io.StringIO(client.get(results_url(workshop), {"format": "csv"}).content.decode())))
    assert table[0][:4] == ["note", "lane", "element", "authors"] and table[0][-1] == "activity"
    assert all(header for header in table[0]) and {row[0] for row in table[1:]} == {note.text, "Win/loss | interviews"}


def test_agreed_and_still_open_say_so_when_empty(as_persona, workshop, participant, pm):
    client = as_persona("viewer")
    note = services.note_add(participant=participant, text="Pricing decisions", kind="self", role=None)
    page = client.get(results_url(workshop)).content.decode()
    assert "No note has owners yet" in page and "Nothing: every note has owners." not in page
    services.note_set_owner(note=note, role=pm, letters="A")
    page = client.get(results_url(workshop)).content.decode()
    assert "Nothing: every note has owners." in page and "No note has owners yet" not in page
