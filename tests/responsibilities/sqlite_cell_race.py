"""Two editors write the same matrix cells at once on a SQLite file; prints the status codes.

Run by test_sqlite_races.py in a process of its own (`python -m tests.responsibilities.sqlite_cell_race`),
because the test suite runs on PostgreSQL: DATABASE_URL points at a fresh SQLite file, the
settings are the app's own, and each thread has its own connection, as two requests to a
threaded server would.
"""

import json
import os
import sys
import threading

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmmhub.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402 (after django.setup())
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from frameworks.models import Archetype  # noqa: E402
from responsibilities.models import Activity, Membership, Role, Workspace  # noqa: E402

ROWS, COLUMNS = 20, 3


def main() -> dict:
    call_command("migrate", verbosity=0)
    editors = [get_user_model().objects.create_user(username) for username in ("alice", "bob")]
    workspace = Workspace.objects.create(name="Race")
    for editor in editors:
        Membership.objects.create(workspace=workspace, user=editor, level=Membership.Level.EDITOR)
    other = Archetype.objects.get(slug="other")
    roles = [Role.objects.create(workspace=workspace, name=f"Role {i}", archetype=other, position=i) for i in range(COLUMNS)]
    activities = [Activity.objects.create(workspace=workspace, name=f"Activity {i}", position=i) for i in range(ROWS)]
    url = reverse("workspaces:cell", args=[workspace.public_id])
    barrier = threading.Barrier(len(editors))
    answers = {editor.username: [] for editor in editors}

    def edit(editor, letters):
        client = Client(raise_request_exception=False)
        client.force_login(editor)
        barrier.wait()
        try:
            # Both write every cell believing it empty: for each cell one of them is first,
            # and the other's write is stale.
            for activity in activities:
                for role in roles:
                    cell = f"{activity.public_id}:{role.public_id}:{letters}:"
                    response = client.post(url, {"cell": cell}, headers={"HX-Request": "true"})
                    answers[editor.username].append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=pair) for pair in zip(editors, ["R", "C"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
