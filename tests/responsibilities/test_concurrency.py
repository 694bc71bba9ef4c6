"""Two editors change the same cell at the same moment: one wins, the other is told, nothing is lost."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from responsibilities.models import Assignment, Change
from tests.responsibilities.conftest import build_workspace

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (bin/test runs on it)"
)


def test_two_stale_writes_to_one_cell_give_one_success_and_one_conflict(live_library, make_user):
    alice, bob = make_user("alice"), make_user("bob")
    workspace = build_workspace(members={alice: "editor", bob: "editor"})
    activity = workspace.activities.get(name="Activity 1")
    role = workspace.roles.get(name="Corp Marketing")
    url = reverse("workspaces:cell", args=[workspace.public_id])
    barrier = threading.Barrier(2)
    statuses = {}

    def edit(user, letters):
        client = Client()
        client.force_login(user)
        barrier.wait()
        response = client.post(
            url, {"cell": f"{activity.public_id}:{role.public_id}:{letters}:"}, headers={"HX-Request": "true"}
        )
        statuses[user.username] = (response.status_code, response.text)
        connection.close()

    threads = [threading.Thread(target=edit, args=(alice, "A")), threading.Thread(target=edit, args=(bob, "C"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(code for code, _ in statuses.values())
    assert codes == [200, 409], statuses
    winner = next(name for name, (code, _) in statuses.items() if code == 200)
    loser_text = next(text for code, text in statuses.values() if code == 409)
    assert f"changed by {winner}" in loser_text
    held = Assignment.objects.get(activity=activity, role=role).letters
    assert held == {"alice": "A", "bob": "C"}[winner]
    assert list(Change.objects.filter(activity=activity).values_list("by__username", "after")) == [(winner, held)]
