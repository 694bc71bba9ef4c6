"""The Snapshots tab: the list with its chart, one snapshot, restore, delete, compare and the
downloads; who may do what; bad input answered clearly with nothing written; query counts."""

import uuid

import pytest
from django.urls import reverse

from responsibilities import services
from responsibilities.models import Assignment, Change, Membership, Snapshot, Workspace
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.django_db


def url(name, workspace, *args):
    return reverse(f"workspaces:{name}", args=[workspace.public_id, *args])


@pytest.fixture
def taken(workspace, personas):
    """A snapshot of the fixture workspace as built: Activity 1..3, each A/R for one role."""
    return services.snapshot_take(workspace=workspace, by=personas["owner"], label="Q2 review")


@pytest.fixture
def owner(client, personas):
    client.force_login(personas["owner"])
    return client


def set_cell(workspace, activity, role, letters):
    role = workspace.roles.get(name=role)
    activity = workspace.activities.get(name=activity)
    held = Assignment.objects.filter(activity=activity, role=role).values_list("letters", flat=True).first() or ""
    services.cell_set(workspace=workspace, activity_id=activity.public_id, role=role, letters=letters, expected=held, by=None)


def state(workspace):
    """What a refused request must leave as it was."""
    return (
        Workspace.objects.get(pk=workspace.pk).version,
        sorted(Snapshot.objects.values_list("workspace_id", "label")),
        sorted(Workspace.objects.values_list("name", flat=True)),
        Change.objects.count(),
    )


# Who may do what


PERSONAS = ["anonymous", "outsider", "viewer", "editor", "owner"]
# What each persona gets: "login" (sent to log in), a status, or "done" (the action happened).
EXPECTED = {
    "snapshots": {"outsider": 404, "viewer": 200, "editor": 200, "owner": 200},
    "snapshot": {"outsider": 404, "viewer": 200, "editor": 200, "owner": 200},
    "compare": {"outsider": 404, "viewer": 200, "editor": 200, "owner": 200},
    "compare_md": {"outsider": 404, "viewer": 200, "editor": 200, "owner": 200},
    "compare_csv": {"outsider": 404, "viewer": 200, "editor": 200, "owner": 200},
    "snapshot_take": {"outsider": 404, "viewer": 403, "editor": "done", "owner": "done"},
    "snapshot_restore": {"outsider": 404, "viewer": "done", "editor": "done", "owner": "done"},
    "snapshot_delete": {"outsider": 404, "viewer": 403, "editor": 403, "owner": "done"},
}


def request_for(name, workspace, snapshot):
    s = snapshot.public_id
    return {
        "snapshots": ("get", url("snapshots", workspace), {}),
        "snapshot": ("get", url("snapshot", workspace, s), {}),
        "compare": ("get", url("compare", workspace), {"from": s}),
        "compare_md": ("get", url("compare_download", workspace, "md"), {"from": s}),
        "compare_csv": ("get", url("compare_download", workspace, "csv"), {"from": s}),
        "snapshot_take": ("post", url("snapshot_take", workspace), {"label": "By hand"}),
        "snapshot_restore": ("post", url("snapshot_restore", workspace, s), {"name": "Restored copy"}),
        "snapshot_delete": ("post", url("snapshot_delete", workspace, s), {"confirm": "on"}),
    }[name]


def happened(name, workspace, persona) -> bool:
    if name == "snapshot_take":
        return workspace.snapshots.filter(label="By hand").exists()
    if name == "snapshot_restore":
        return Membership.objects.filter(workspace__name="Restored copy", user__username=persona, level="owner").exists()
    return not workspace.snapshots.filter(label="Q2 review").exists()  # snapshot_delete


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_persona_gets_exactly_what_it_should(as_persona, workspace, taken, persona, name):
    method, address, data = request_for(name, workspace, taken)
    before = state(workspace)
    response = getattr(as_persona(persona), method)(address, data)
    expected = "login" if persona == "anonymous" else EXPECTED[name][persona]
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif expected == "done":
        assert response.status_code == 302
        assert happened(name, workspace, persona)
    else:
        assert response.status_code == expected
    if expected != "done":
        assert state(workspace) == before


def test_a_snapshot_of_another_workspace_is_not_found_through_this_one(owner, workspace, personas, taken):
    other = build_workspace("Other team", members={personas["outsider"]: "owner"})
    foreign = services.snapshot_take(workspace=other, by=None, label="Theirs")
    before = state(workspace)
    assert owner.get(url("snapshot", workspace, foreign.public_id)).status_code == 404
    assert owner.post(url("snapshot_restore", workspace, foreign.public_id), {"name": "Stolen"}).status_code == 404
    assert owner.post(url("snapshot_delete", workspace, foreign.public_id), {"confirm": "on"}).status_code == 404
    compared = owner.get(url("compare", workspace), {"from": foreign.public_id})
    assert compared.status_code == 400 and "There is no such snapshot in this workspace" in compared.text
    assert "Theirs" not in compared.text
    assert state(workspace) == before


def test_the_tab_leads_to_the_snapshots_page_from_every_workspace_page(owner, workspace):
    page = owner.get(url("matrix", workspace))
    assert f'<a href="{url("snapshots", workspace)}">Snapshots</a>' in page.text
    here = owner.get(url("snapshots", workspace))
    assert f'<a href="{url("snapshots", workspace)}" aria-current="page">Snapshots</a>' in here.text


# The list and its chart


def test_no_snapshots_yet_says_what_they_are_for(owner, workspace):
    page = owner.get(url("snapshots", workspace))
    assert "No snapshots yet." in page.text
    assert "<svg class=\"chart\"" not in page.text
    assert "Take snapshot" in page.text


def test_a_viewer_sees_the_list_without_the_take_form(as_persona, workspace, taken):
    page = as_persona("viewer").get(url("snapshots", workspace))
    assert "Q2 review" in page.text
    assert url("snapshot_take", workspace) not in page.text


def test_the_list_shows_each_snapshot_and_a_chart_of_coverage_up_to_now(owner, workspace, personas, taken):
    # Map Activity 1 to Read's Strategy as well: one more element covered now than then.
    from frameworks.models import Element

    activity = workspace.activities.get(name="Activity 1")
    services.activity_map(activity=activity, elements=[*activity.elements.all(), Element.objects.get(framework__slug="read", code="strategy")], by=None)
    page = owner.get(url("snapshots", workspace)).text
    then, now = taken.coverage["read"], services.snapshot_content(workspace)["frameworks"]["read"]["coverage"]
    assert then == 6 and round(100 * now["covered"] / now["elements"]) == 11  # read: 18 elements
    row = page[page.index(f'{taken.public_id}/">Q2 review</a>'):]
    assert "Taken by hand" in row and "by owner" in row and '<td data-label="Activities" class="num">3</td>' in row
    assert "6%" in row[: row.index("</tr>")]
    assert 'role="img" aria-labelledby="chart-heading chart-figures"' in page
    assert "Q2 review: 6% covered; Now: 11% covered." in page
    assert f'?from={taken.public_id}&amp;to=now&amp;framework=read">Compare with now</a>' in page


def test_the_framework_in_view_changes_the_coverage_shown(owner, workspace, taken):
    page = owner.get(url("snapshots", workspace), {"framework": "kemp"}).text  # an alias
    assert "What product marketers do: the five categories: coverage over time" in page
    assert f"Q2 review: {taken.coverage['five-categories']}% covered" in page


def test_an_unknown_framework_in_view_says_so_and_shows_the_primary(owner, workspace, taken):
    page = owner.get(url("snapshots", workspace), {"framework": "<nosuch>"}, follow=True)
    assert page.status_code == 200
    assert "There is no framework &#x27;&lt;nosuch&gt;&#x27;. Showing The essential product marketing activities." in page.text
    assert "<nosuch>" not in page.text


def test_a_framework_the_library_did_not_have_then_is_shown_as_such(owner, workspace, taken):
    Snapshot.objects.filter(pk=taken.pk).update(coverage={"read": taken.coverage["read"]})  # as if taken before Pragmatic
    page = owner.get(url("snapshots", workspace), {"framework": "pragmatic"}).text
    assert "Q2 review: not read then; Now:" in page
    assert "not in the library then" in page


def test_a_label_with_markup_is_shown_as_text_everywhere(owner, workspace):
    label = '<img src=x alt="">&amp;'
    snapshot = services.snapshot_take(workspace=workspace, by=None, label=label)
    pages = [
        owner.get(url("snapshots", workspace)).text,
        owner.get(url("snapshot", workspace, snapshot.public_id)).text,
        owner.get(url("compare", workspace), {"from": snapshot.public_id}).text,
    ]
    for page in pages:
        assert "<img src=x" not in page
        assert "&lt;img src=x alt=&quot;&quot;&gt;&amp;amp;" in page


# Taking a snapshot


def test_an_editor_takes_a_snapshot_with_a_label(as_persona, workspace):
    response = as_persona("editor").post(url("snapshot_take", workspace), {"label": "  Before   the reorg "}, follow=True)
    assert "Took the snapshot “Before the reorg”" in response.text
    snapshot = workspace.snapshots.get()
    assert (snapshot.label, snapshot.taken_by.username, snapshot.reason) == ("Before the reorg", "editor", "manual")
    assert Change.objects.filter(workspace=workspace, kind="snapshot", subject="Before the reorg").exists()


def test_an_empty_label_is_the_date_and_time(owner, workspace):
    owner.post(url("snapshot_take", workspace), {"label": ""})
    label = workspace.snapshots.get().label
    assert label[:4].isdigit() and label[4] == "-" and len(label) == len("2026-11-25 19:30")


@pytest.mark.parametrize("label", ["q2 REVIEW", "x" * 81])
def test_a_used_or_too_long_label_is_refused_with_the_typed_text_kept(owner, workspace, taken, label):
    before = state(workspace)
    response = owner.post(url("snapshot_take", workspace), {"label": label})
    assert response.status_code == 200
    assert state(workspace) == before
    assert f'value="{label}"' in response.text
    assert "Nothing was taken." in response.text
    problem = "already has a snapshot labelled &#x27;q2 REVIEW&#x27;" if label.startswith("q2") else "at most 80 characters"
    assert problem in response.text


# One snapshot


def test_a_snapshot_shows_what_it_holds_as_it_was(owner, workspace, taken):
    set_cell(workspace, "Activity 1", "Product Marketing", "C")
    workspace.roles.filter(name="Corp Marketing").update(name="Brand")
    page = owner.get(url("snapshot", workspace, taken.public_id)).text
    assert "Snapshot “Q2 review”" in page and "3 activities, 3 roles, 0 people" in page
    assert "Corp Marketing" in page and "Brand" not in page
    assert "The essential product marketing activities" in page and "1/18" in page  # Launch covered then
    held = page[page.index('<table class="matrix held">'):]
    first_row = held[held.index("Activity 1"): held.index("</tr>", held.index("Activity 1"))]
    assert first_row.count("<td") == 3 and ">A/R</td>" in first_row and ">C</td>" not in first_row
    assert "Launch" in first_row  # the element it was mapped to, by the name it had then


def test_only_an_owner_sees_the_delete_form(as_persona, workspace, taken):
    delete = url("snapshot_delete", workspace, taken.public_id)
    assert delete not in as_persona("editor").get(url("snapshot", workspace, taken.public_id)).text
    assert delete in as_persona("owner").get(url("snapshot", workspace, taken.public_id)).text


def test_unknown_or_malformed_snapshot_ids_are_not_found(owner, workspace, taken):
    before = state(workspace)
    assert owner.get(url("snapshot", workspace, uuid.uuid4())).status_code == 404
    assert owner.post(url("snapshot_delete", workspace, uuid.uuid4()), {"confirm": "on"}).status_code == 404
    assert owner.get(f"{url('snapshots', workspace)}not-a-uuid/").status_code == 404
    assert owner.post(f"{url('snapshots', workspace)}12345/restore/", {"name": "X"}).status_code == 404
    assert state(workspace) == before


# Restore


def test_a_viewer_restores_a_snapshot_as_a_new_workspace_of_their_own(as_persona, workspace, personas, taken):
    set_cell(workspace, "Activity 1", "Product Marketing", "C")
    version = Workspace.objects.get(pk=workspace.pk).version
    response = as_persona("viewer").post(url("snapshot_restore", workspace, taken.public_id), {"name": "Acme as of Q2"}, follow=True)
    restored = Workspace.objects.get(name="Acme as of Q2")
    assert response.redirect_chain[-1][0] == restored.get_absolute_url()
    assert "Restored “Q2 review” as this new workspace; Acme product org is unchanged." in response.text
    assert list(restored.memberships.values_list("user__username", "level")) == [("viewer", "owner")]
    assert sorted(Assignment.objects.filter(activity__workspace=restored).values_list("activity__name", "role__name", "letters")) == [
        ("Activity 1", "Product Manager", "A/R"), ("Activity 2", "Product Marketing", "A/R"), ("Activity 3", "Corp Marketing", "A/R"),
    ]
    assert Workspace.objects.get(pk=workspace.pk).version == version  # the original untouched


def test_the_restore_form_suggests_a_free_name(owner, workspace, taken):
    page = owner.get(url("snapshot", workspace, taken.public_id)).text
    assert 'value="Acme product org as of Q2 review"' in page


@pytest.mark.parametrize("name", ["ACME PRODUCT ORG", "n" * 121, "   "])
def test_a_taken_too_long_or_empty_name_is_refused_with_the_typed_text_kept(owner, workspace, taken, name):
    before = state(workspace)
    response = owner.post(url("snapshot_restore", workspace, taken.public_id), {"name": name})
    assert response.status_code == 200
    assert state(workspace) == before
    assert 'class="errorlist' in response.text
    if name.strip():
        assert f'value="{name}"' in response.text
    if name.startswith("ACME"):
        assert "A workspace called &#x27;ACME PRODUCT ORG&#x27; exists already" in response.text


# Delete


def test_an_owner_deletes_a_snapshot_after_confirming(owner, workspace, taken):
    refused = owner.post(url("snapshot_delete", workspace, taken.public_id), {}, follow=True)
    assert "Tick “Yes, delete this snapshot” to delete it; nothing was deleted." in refused.text
    assert workspace.snapshots.exists()
    response = owner.post(url("snapshot_delete", workspace, taken.public_id), {"confirm": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == url("snapshots", workspace)
    assert "Deleted the snapshot “Q2 review”." in response.text
    assert not workspace.snapshots.exists()
    assert Change.objects.filter(workspace=workspace, kind="snapshot", after="deleted").exists()
    history = owner.get(reverse("workspaces:history", args=[workspace.public_id])).text
    assert "deleted the snapshot “Q2 review”" in history
    assert "snapshot “Q2 review” taken" in history


# Compare


def test_comparing_with_now_shows_the_changes_through_the_primary_framework(owner, workspace, taken):
    set_cell(workspace, "Activity 1", "Product Manager", "R")  # Activity 1 loses its A
    set_cell(workspace, "Activity 2", "Product Manager", "A")  # Activity 2 gets a second A
    services.activity_add(workspace=workspace, name="Win/loss interviews")
    services.role_add(workspace=workspace, name="Sales", archetype=workspace.roles.first().archetype.__class__.objects.get(slug="sales"))
    page = owner.get(url("compare", workspace)).text  # from: the latest snapshot; to: now
    assert "From <strong>“Q2 review”</strong> to <strong>now</strong>, through The essential product marketing activities." in page
    changes = page[page.index('<table class="cell-changes">'):page.index("</table>", page.index('<table class="cell-changes">'))]
    assert '<th scope="row">Activity 1</th><td>Product Manager</td><td class="held letters-AR">A/R</td><td class="held letters-R">R</td>' in changes
    assert '<th scope="row">Activity 2</th><td>Product Manager</td><td class="held letters-">—</td><td class="held letters-A">A</td>' in changes
    new = page[page.index('id="new-heading"'):page.index('id="changes-heading"')]
    assert '<span class="flag high">No A</span>' in new and '<span class="flag high">Several A</span>' in new
    assert "Nobody is accountable for Activity 1" in new
    added = page[page.index('id="activities-heading"'):]
    assert "Win/loss interviews" in added and "Sales" in added
    assert f'{url("compare_download", workspace, "md")}?from={taken.public_id}&amp;to=now&amp;framework=read' in page


def test_a_finding_resolved_since_the_snapshot_is_listed(owner, workspace, personas):
    set_cell(workspace, "Activity 1", "Product Manager", "R")  # no A
    before = services.snapshot_take(workspace=workspace, by=None, label="Gap")
    set_cell(workspace, "Activity 1", "Product Manager", "A/R")
    page = owner.get(url("compare", workspace), {"from": before.public_id, "to": "now"}).text
    resolved = page[page.index('id="resolved-heading"'):page.index('id="new-heading"')]
    assert '<span class="flag high">No A</span> <span class="muted small">high</span> Nobody is accountable for Activity 1' in resolved


def test_two_snapshots_compare_through_another_framework(owner, workspace, taken):
    set_cell(workspace, "Activity 3", "Product Manager", "C")
    later = services.snapshot_take(workspace=workspace, by=None, label="Q3 review")
    set_cell(workspace, "Activity 3", "Product Manager", "I")  # after Q3: not part of the comparison
    page = owner.get(url("compare", workspace), {"from": taken.public_id, "to": later.public_id, "framework": "pragmatic"}).text
    assert "to <strong>“Q3 review”</strong>, through The Pragmatic Framework." in page
    assert '<td class="held letters-">—</td><td class="held letters-C">C</td>' in page
    assert "letters-I" not in page


def test_nothing_changed_says_so(owner, workspace, taken):
    page = owner.get(url("compare", workspace), {"from": taken.public_id}).text
    assert "No differences</strong> through The essential product marketing activities" in page
    assert "cell-changes" not in page


def test_without_snapshots_the_compare_page_explains_how_to_get_one(as_persona, workspace):
    page = as_persona("viewer").get(url("compare", workspace))
    assert page.status_code == 200
    assert "Nothing to compare yet." in page.text and "An editor can take one" in page.text


@pytest.mark.parametrize(
    "query, problem",
    [
        ({"from": "not-a-uuid"}, "From: There is no such snapshot in this workspace"),
        ({"from": str(uuid.uuid4())}, "From: There is no such snapshot in this workspace"),
        ({"to": "yesterday"}, "To: There is no such snapshot in this workspace"),
        ({"framework": "x" * 500}, "Framework: There is no framework"),
        ({"from": ["a", "b"], "to": "9" * 5000}, "There is no such snapshot"),
    ],
)
def test_a_bad_comparison_is_a_clear_400_and_writes_nothing(owner, workspace, taken, query, problem):
    before = state(workspace)
    page = owner.get(url("compare", workspace), query)
    assert page.status_code == 400 and problem in page.text
    download = owner.get(url("compare_download", workspace, "csv"), query)
    assert download.status_code == 400
    assert state(workspace) == before


def test_the_downloads_are_attachments_named_after_the_two_states(owner, workspace, taken):
    set_cell(workspace, "Activity 1", "Product Manager", "R")
    query = {"from": taken.public_id, "to": "now"}
    markdown = owner.get(url("compare_download", workspace, "md"), query)
    assert markdown["Content-Type"] == "text/markdown; charset=utf-8"
    assert markdown["Content-Disposition"] == 'attachment; filename="Acme product org Q2 review to now.md"'
    assert "Activity 1" in markdown.text and "Product Manager" in markdown.text
    sheet = owner.get(url("compare_download", workspace, "csv"), query)
    assert sheet["Content-Type"] == "text/csv; charset=utf-8"
    assert "Activity 1" in sheet.text and "A/R" in sheet.text
    assert owner.get(url("compare_download", workspace, "xlsx"), query).status_code == 404


# Queries: a fixed number whatever the number of snapshots


@pytest.mark.parametrize("count", [1, 8])
def test_the_list_takes_a_fixed_number_of_queries(owner, workspace, django_assert_num_queries, count):
    for n in range(count):
        services.snapshot_take(workspace=workspace, by=None, label=f"S{n}")
    # session, user, membership, frameworks, snapshots, the framework's input (3), the workspace's (6)
    with django_assert_num_queries(14):
        assert owner.get(url("snapshots", workspace)).status_code == 200


@pytest.mark.parametrize("count", [2, 8])
def test_comparing_takes_a_fixed_number_of_queries(owner, workspace, django_assert_num_queries, count):
    kept = [services.snapshot_take(workspace=workspace, by=None, label=f"S{n}") for n in range(count)]
    # session, user, membership, snapshots, frameworks, the framework's input (3), the two contents (1)
    with django_assert_num_queries(9):
        assert owner.get(url("compare", workspace), {"from": kept[0].public_id, "to": kept[-1].public_id}).status_code == 200
    # with now: the workspace as it is (7: with its assessment) too
    with django_assert_num_queries(16):
        assert owner.get(url("compare", workspace), {"from": kept[0].public_id}).status_code == 200
