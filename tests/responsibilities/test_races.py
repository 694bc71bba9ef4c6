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
from responsibilities.models import Activity, Assignment, Membership, Person, Role, Workspace
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.skipif(
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

CLEAN = {200, 302, 404, 409}  # done, done and redirected, gone, conflicting: never a 5xx


def cell(workspace, activity, role, letters="C"):
    return {"cell": f"{activity.public_id}:{role.public_id}:{letters}:"}


def edits_and_deletes(workspace):
    """(name, edit, delete, still there afterwards?) for each kind of thing that can be deleted."""
    w = workspace.public_id
    activity = workspace.activities.get(name="Activity 1")
    role = workspace.roles.get(name="Corp Marketing")
    person = workspace.people.get(name="Pat")
    element = Element.objects.get(framework__slug="read", code="positioning")
    return {
        "cell written while its role is deleted": (
            ("workspaces:cell", [w], cell(workspace, activity, role)),
            ("workspaces:role_delete", [w, role.public_id], {}),
            lambda: not Role.objects.filter(pk=role.pk).exists() and not Assignment.objects.filter(role=role.pk).exists(),
        ),
        "cell written while its activity is deleted": (
            ("workspaces:cell", [w], cell(workspace, activity, role)),
            ("workspaces:activity_delete", [w, activity.public_id], {}),
            lambda: not Activity.objects.filter(pk=activity.pk).exists(),
        ),
        "activity renamed while deleted": (
            ("workspaces:activity", [w, activity.public_id], {"name": "Renamed", "description": "Edited"}),
            ("workspaces:activity_delete", [w, activity.public_id], {}),
            lambda: not Activity.objects.filter(pk=activity.pk).exists(),
        ),
        "activity mapped while deleted": (
            ("workspaces:activity_mapping", [w, activity.public_id], {"element": [element.pk]}),
            ("workspaces:activity_delete", [w, activity.public_id], {}),
            lambda: not Activity.objects.filter(pk=activity.pk).exists(),
        ),
        "role renamed while deleted": (
            ("workspaces:role", [w, role.public_id], {"name": "Renamed", "archetype": "marcom"}),
            ("workspaces:role_delete", [w, role.public_id], {}),
            lambda: not Role.objects.filter(pk=role.pk).exists(),
        ),
        "person given a role while it is deleted": (
            ("workspaces:person", [w, person.public_id], {"name": "Pat", "roles": [str(role.public_id)]}),
            ("workspaces:role_delete", [w, role.public_id], {}),
            lambda: not Role.objects.filter(pk=role.pk).exists() and Person.objects.filter(pk=person.pk).exists(),
        ),
        "person edited while removed": (
            ("workspaces:person", [w, person.public_id], {"name": "Pat Renamed", "roles": [str(role.public_id)]}),
            ("workspaces:person", [w, person.public_id], {"delete": "1"}),
            lambda: not Person.objects.filter(pk=person.pk).exists(),
        ),
    }


SCENARIOS = [
    "cell written while its role is deleted",
    "cell written while its activity is deleted",
    "activity renamed while deleted",
    "activity mapped while deleted",
    "role renamed while deleted",
    "person given a role while it is deleted",
    "person edited while removed",
]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_editing_what_is_being_deleted_answers_cleanly(live_library, make_user, scenario):
    alice, bob = make_user("alice"), make_user("bob")
    editor, deleter = logged_in(alice), logged_in(bob)
    answers = []
    for trial in range(TRIALS // 3):
        workspace = build_workspace(f"Race {trial}", members={alice: "editor", bob: "editor"})
        Person.objects.create(workspace=workspace, name="Pat")
        (edit_url, edit_args, edit_data), (delete_url, delete_args, delete_data), gone = edits_and_deletes(workspace)[scenario]
        edit, delete = race(
            lambda: editor.post(reverse(edit_url, args=edit_args), edit_data, headers={"HX-Request": "true"} if edit_url == "workspaces:cell" else {}),
            lambda: deleter.post(reverse(delete_url, args=delete_args), delete_data),
        )
        answers.append((edit.status_code, delete.status_code))
        assert gone(), f"trial {trial}: the deleted thing came back ({answers[-1]})"
    assert all(e in CLEAN and d == 302 for e, d in answers), answers


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
