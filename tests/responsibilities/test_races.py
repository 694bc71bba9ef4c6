"""Two people do conflicting things at the same moment: the database keeps the rules, and the
one who loses is told why (a 404, a 409 or a message), never a server error.

Each race runs the two requests in two threads, each with its own database connection, held
at a barrier so they reach the server together. PostgreSQL only (bin/test runs on it); the
SQLite races are in test_sqlite_races.py.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from responsibilities.models import Membership
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
    """The page the user sees next, with the messages their last request left."""
    return client.get(reverse("workspaces:list")).text


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
