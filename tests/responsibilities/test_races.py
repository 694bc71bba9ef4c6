"""Two people do conflicting things at the same moment: the database keeps the rules, and the
one who loses is told why (a 404, a 409 or a message), never a server error.

Each race runs the two requests in two threads, each with its own database connection, held
at a barrier so they reach the server together. PostgreSQL only (bin/test runs on it); the
SQLite races are in test_sqlite_races.py.
"""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from frameworks.models import Element
from responsibilities import services
from responsibilities.models import Membership, Person, Workspace
from tests.responsibilities.conftest import build_workspace

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (bin/test runs on it)"
)

TRIALS = 30


def race(*requests):
    """Run each callable in its own thread and connection, released together; their results in order."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)
    failures = []

    def run(index, request):
        try:
            barrier.wait()
            results[index] = request()
        except BaseException as error:  # reported in the test's thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return results


def logged_in(user) -> Client:
    # raise_request_exception=False: a server error is a 500 answer to count, as a browser sees it.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def next_page(client) -> str:
    """The messages on the page the user sees next, which their last request left."""
    page = client.get(reverse("workspaces:list")).text
    return " ".join(re.findall(r'<ul class="messages".*?</ul>', page, re.S))


# The last owner


@postgresql
@pytest.mark.parametrize("action", ["level", "remove"])
def test_two_owners_demoting_or_removing_each_other_at_once_leave_an_owner(live_library, make_user, action):
    alice, bob = make_user("alice"), make_user("bob")
    clients = {alice: logged_in(alice), bob: logged_in(bob)}
    ownerless = 0
    for trial in range(TRIALS):
        workspace = build_workspace(f"Owners {trial}", activities=0, members={alice: "owner", bob: "owner"})
        url = reverse("workspaces:members", args=[workspace.public_id])
        pk = dict(workspace.memberships.values_list("user_id", "pk"))

        def demote(user, other):
            return lambda: clients[user].post(url, {"action": action, "membership": pk[other.pk], "level": "editor"})

        answers = race(demote(alice, bob), demote(bob, alice))

        codes = sorted(answer.status_code for answer in answers)
        owners = workspace.memberships.filter(level=Membership.Level.OWNER).count()
        if owners == 0:
            ownerless += 1
            continue
        told = [next_page(clients[user]) for user in (alice, bob)]
        if codes == [302, 302]:  # both went in together: one was refused, and told why
            assert owners == 1
            assert sum("needs at least one owner" in page for page in told) == 1, told
        else:  # one came after the other had won: it is no longer an owner's request
            assert codes == [302, 404 if action == "remove" else 403], codes
    assert ownerless == 0, f"no owner left in {ownerless} of {TRIALS} trials"


# Delete versus edit

def writes_to_deleted(workspace, by):
    """What each write does when what it is about was deleted just before it got the lock."""
    activity = workspace.activities.get(name="Activity 1")
    role = workspace.roles.get(name="Corp Marketing")
    person = Person.objects.create(workspace=workspace, name="Pat")
    return {
        "activity renamed": (activity, lambda: services.activity_update(activity=activity, name="Renamed", description="")),
        "activity mapped": (activity, lambda: services.activity_map(activity=activity, elements=[], by=by)),
        "role renamed": (role, lambda: services.role_update(role=role, name="Renamed", archetype=role.archetype)),
        "person renamed": (person, lambda: services.person_save(workspace=workspace, name="Sam", roles=[], person=person)),
        "person given the role": (role, lambda: services.person_save(workspace=workspace, name="Pat", roles=[role], person=person)),
        "cell written in the role's column": (
            role, lambda: services.cell_set(workspace=workspace, activity_id=activity.public_id, role=role, letters="C", expected="", by=by)
        ),
    }


@pytest.mark.parametrize("write", ["activity renamed", "activity mapped", "role renamed", "person renamed", "person given the role", "cell written in the role's column"])
def test_a_write_to_something_just_deleted_is_refused_and_does_not_bring_it_back(workspace, personas, write):
    deleted, attempt = writes_to_deleted(workspace, personas["editor"])[write]
    type(deleted).objects.filter(pk=deleted.pk).delete()
    version = Workspace.objects.get(pk=workspace.pk).version

    with pytest.raises(services.Gone, match="was deleted a moment ago"):
        attempt()

    assert not type(deleted).objects.filter(pk=deleted.pk).exists()
    assert Workspace.objects.get(pk=workspace.pk).version == version


def edit_and_delete(workspace, scenario):
    """The two requests of a scenario, (url, data) each, and the thing the delete removes."""
    w = workspace.public_id
    activity = workspace.activities.get(name="Activity 1")
    role = workspace.roles.get(name="Corp Marketing")
    person = Person.objects.create(workspace=workspace, name="Pat")
    cell = {"cell": f"{activity.public_id}:{role.public_id}:C:"}
    delete_activity = (reverse("workspaces:activity_delete", args=[w, activity.public_id]), {})
    delete_role = (reverse("workspaces:role_delete", args=[w, role.public_id]), {})
    positioning = Element.objects.get(framework__slug="read", code="positioning")
    return {
        "cell written while its role is deleted": (
            (reverse("workspaces:cell", args=[w]), cell), delete_role, role,
        ),
        "cell written while its activity is deleted": (
            (reverse("workspaces:cell", args=[w]), cell), delete_activity, activity,
        ),
        "activity renamed while deleted": (
            (reverse("workspaces:activity", args=[w, activity.public_id]), {"name": "Renamed", "description": "New"}),
            delete_activity, activity,
        ),
        "activity mapped while deleted": (
            (reverse("workspaces:activity_mapping", args=[w, activity.public_id]), {"element": [positioning.pk]}),
            delete_activity, activity,
        ),
        "role renamed while deleted": (
            (reverse("workspaces:role", args=[w, role.public_id]), {"name": "Renamed", "archetype": "marcom"}),
            delete_role, role,
        ),
        "person given a role while it is deleted": (
            (reverse("workspaces:person", args=[w, person.public_id]), {"name": "Pat", "roles": [str(role.public_id)]}),
            delete_role, role,
        ),
        "person edited while removed": (
            (reverse("workspaces:person", args=[w, person.public_id]), {"name": "Sam", "roles": [str(role.public_id)]}),
            (reverse("workspaces:person", args=[w, person.public_id]), {"delete": "1"}), person,
        ),
    }[scenario]


SCENARIOS = [
    "cell written while its role is deleted",
    "cell written while its activity is deleted",
    "activity renamed while deleted",
    "activity mapped while deleted",
    "role renamed while deleted",
    "person given a role while it is deleted",
    "person edited while removed",
]


@postgresql
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_editing_what_is_being_deleted_answers_cleanly(live_library, make_user, scenario):
    alice, bob = make_user("alice"), make_user("bob")
    editor, deleter = logged_in(alice), logged_in(bob)
    htmx = {"HX-Request": "true"}  # the matrix's cell edits come from htmx; forms work either way
    answers = []
    for trial in range(TRIALS // 3):
        workspace = build_workspace(f"Race {trial}", members={alice: "editor", bob: "editor"})
        (edit_url, edit_data), (delete_url, delete_data), deleted = edit_and_delete(workspace, scenario)
        edit, delete = race(
            lambda: editor.post(edit_url, edit_data, headers=htmx),
            lambda: deleter.post(delete_url, delete_data),
        )
        answers.append((edit.status_code, delete.status_code))
        # Whichever came first, the deletion stands: an edit never brings the thing back.
        assert not type(deleted).objects.filter(pk=deleted.pk).exists(), f"trial {trial}: {answers[-1]}"
    # Edit: done (200, 302), or refused because it is gone (404, or 302 with a message). Never a 5xx.
    assert all(edit in {200, 302, 404} and delete == 302 for edit, delete in answers), answers


@postgresql
def test_a_workspace_deleted_twice_at_once_is_deleted_once_without_an_error(live_library, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    clients = [logged_in(alice), logged_in(bob)]
    for trial in range(TRIALS // 3):
        workspace = build_workspace(f"Doomed {trial}", activities=1, members={alice: "owner", bob: "owner"})
        url = reverse("workspaces:delete", args=[workspace.public_id])
        answers = race(*(lambda c=c: c.post(url, {"confirm_name": workspace.name}) for c in clients))
        # The second finds it gone, at the door or after waiting for the first: "not found".
        assert sorted(answer.status_code for answer in answers) == [302, 404], answers
        assert not Workspace.objects.filter(pk=workspace.pk).exists()


# The same name, twice at once

CREATIONS = {
    "workspace": ("workspaces:list", {"size": "startup", "market": "b2b", "primary_framework": "read"}),
    "role": ("workspaces:role_add", {"archetype": "pmm"}),
    "activity": ("workspaces:activity_add", {"description": ""}),
    "person": ("workspaces:person_add", {}),
}


def created(workspace, what, name):
    found = {
        "workspace": Workspace.objects.all(),
        "role": workspace.roles.all(),
        "activity": workspace.activities.all(),
        "person": workspace.people.all(),
    }[what]
    return found.filter(name__iexact=name).count()


@postgresql
@pytest.mark.parametrize("what", CREATIONS)
def test_the_same_name_created_twice_at_once_gives_one_and_a_clear_refusal(live_library, make_user, what):
    alice, bob = make_user("alice"), make_user("bob")
    clients = [logged_in(alice), logged_in(bob)]
    url_name, fields = CREATIONS[what]
    for trial in range(TRIALS // 3):
        workspace = build_workspace(f"Names {trial}", activities=0, members={alice: "editor", bob: "editor"})
        url = reverse(url_name) if what == "workspace" else reverse(url_name, args=[workspace.public_id])
        name = f"Launch {trial}"
        answers = race(*(lambda c=c, n=n: c.post(url, {**fields, "name": n}) for c, n in zip(clients, [name, name.upper()])))

        assert created(workspace, what, name) == 1, f"trial {trial}"
        if what == "workspace":  # the refused form comes back with the reason beside the name
            assert sorted(answer.status_code for answer in answers) == [200, 302]
            refusal = next(answer.text for answer in answers if answer.status_code == 200)
            assert "exists already" in refusal
        else:  # the team page and the matrix tell in a message
            assert [answer.status_code for answer in answers] == [302, 302]
            refusal = " ".join(next_page(client) for client in clients)
            assert re.search(rf"There is an? {what} called .* already", refusal), refusal


# A replace while an editor writes cells


@postgresql
def test_a_replace_during_cell_writes_keeps_every_acknowledged_write_or_records_what_replaced_it(live_library, make_user):
    """Issue 12: a replace used to give the workspace a new id and drop cell writes acknowledged
    during it. Now it updates in place under the workspace's lock: a write acknowledged after the
    replace is there at the end; one made before it was overwritten by a recorded import change
    with a higher version; nothing answers 500 and the workspace keeps its id."""
    from responsibilities.models import Assignment, Change
    from responsibilities.selectors import workspace_data

    owner, editor = make_user("owner"), make_user("editor")
    workspace = build_workspace("Replaced", activities=6, members={owner: "owner", editor: "editor"})
    document = workspace_data(workspace)
    # The document the owner imports: the same activities and roles, every cell A/R for its first role.
    first_role = document.roles[0].name
    document = document.__class__(**{
        **document.__dict__,
        "activities": tuple(a.__class__(**{**a.__dict__, "raci": ((first_role, "A/R"),)}) for a in document.activities),
    })
    client = logged_in(editor)
    url = reverse("workspaces:cell", args=[workspace.public_id])
    cells = [
        (activity.public_id, role.public_id)
        for activity in workspace.activities.all() for role in workspace.roles.all()[1:]
    ]
    acknowledged, statuses = [], []

    def write_cells():
        for n in range(60):
            activity_id, role_id = cells[n % len(cells)]
            response = client.post(url, {"cell": f"{activity_id}:{role_id}:next:"}, headers={"HX-Request": "true"})
            statuses.append(response.status_code)
            if response.status_code == 200:
                acknowledged.append((activity_id, role_id, n))

    def replace():
        services.workspace_import(data=document, name="Replaced", owner=owner, replace=True)

    race(write_cells, replace)
    assert 500 not in statuses and set(statuses) <= {200, 409}, statuses
    assert Workspace.objects.filter(pk=workspace.pk, name="Replaced").exists()
    replaced_at = Change.objects.get(workspace=workspace, kind="import", subject="replace").version
    for activity_id, role_id, _ in acknowledged:
        last = (
            Change.objects.filter(workspace=workspace, kind="assignment", activity_public_id=activity_id, role__public_id=role_id)
            .order_by("-version").first()
        )
        now = Assignment.objects.filter(activity__public_id=activity_id, role__public_id=role_id).values_list("letters", flat=True).first() or ""
        if last.version > replaced_at:
            assert now == last.after, "a write acknowledged after the replace is gone"
        else:
            assert last.version < replaced_at  # overwritten by the replace, which history records
