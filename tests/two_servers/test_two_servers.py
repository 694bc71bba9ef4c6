"""Two gunicorn processes on two ports against one PostgreSQL behave as one app.

Runs under bin/test (PostgreSQL); skipped on SQLite. The servers use the test database, so
the test works on committed data (a transactional test).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from responsibilities.models import Assignment, Change
from workshops import services as workshop_services
from tests.conftest import PASSWORD
from tests.responsibilities.conftest import build_workspace
from tests.two_servers.http import Client, Session, serving

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (bin/test)")

ROOT = Path(__file__).resolve().parents[2]
SOAK_REQUESTS = int(os.environ.get("PMMHUB_SOAK_REQUESTS", "10000"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"] or "localhost", safe="")
    return f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_server(port: int, **settings: str) -> subprocess.Popen:
    """gunicorn on the test database; `settings`: further environment variables (TRUSTED_PROXIES=…)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        **settings,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pmmhub.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return serving(process, port, "/frameworks/", "gunicorn", seconds=30)


@pytest.fixture
def real_passwords(settings):
    """The servers check passwords with the production hashers, not the tests' fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.fixture
def servers(live_library, real_passwords):
    ports = [free_port(), free_port()]
    processes = [start_server(port) for port in ports]
    yield ports, processes
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


def cell_value(activity, role, letters, expected):
    return {"cell": f"{activity.public_id}:{role.public_id}:{letters}:{expected}"}


def test_two_servers_behave_as_one(servers, make_user):
    (port_a, port_b), (process_a, process_b) = servers
    lead = make_user("lead")
    workspace = build_workspace("Shared", members={lead: "owner"}, activities=12)
    matrix = reverse("workspaces:matrix", args=[workspace.public_id])
    cell = reverse("workspaces:cell", args=[workspace.public_id])

    # A login on one server works on the other.
    a = Client(port_a)
    assert a.log_in("lead", PASSWORD).status == 302
    b = Client(port_b, session=a.session)
    assert b.get(matrix).status == 200

    # A change through one is seen through the other.
    activity = workspace.activities.get(name="Activity 1")
    role = workspace.roles.get(name="Corp Marketing")
    assert a.post(cell, cell_value(activity, role, "C", ""), **{"HX-Request": "true"}).status == 200
    assert 'aria-label="Corp Marketing: C"' in b.get(matrix).body

    # Two edits from the same stale version, one per server: one succeeds, one is told.
    barrier = threading.Barrier(2)
    answers = {}

    def edit(client, letters):
        barrier.wait()
        answers[letters] = client.post(cell, cell_value(activity, role, letters, "C"), **{"HX-Request": "true"})

    threads = [threading.Thread(target=edit, args=(Client(port, session=a.session), letters))
               for port, letters in ((port_a, "A"), (port_b, "I"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answer.status for answer in answers.values()) == [200, 409]
    assert "changed by lead" in next(answer.body for answer in answers.values() if answer.status == 409)

    # Wrong join codes spread over both servers hit the limit at the combined count.
    workshop = workshop_services.workshop_start(
        workspace=workspace, title="Limits", framework=workspace.primary_framework,
        roles=list(workspace.roles.all()), by=lead,
    )
    statuses = []
    for attempt in range(workshop_services.WRONG_CODES_PER_ADDRESS + 1):
        client = Client(port_a if attempt % 2 else port_b)
        page = client.get("/accounts/login/")  # any form's token: /join/ asks for the code by GET
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        wrong = f"{workshop.key}-{'22222' if workshop.secret != '22222' else '33333'}"
        statuses.append(client.post("/join/", {"code": wrong, "name": "Eve", "csrfmiddlewaretoken": token}).status)
    assert statuses == [400] * workshop_services.WRONG_CODES_PER_ADDRESS + [429]

    # Stopping one server leaves the other serving.
    process_a.send_signal(signal.SIGTERM)
    process_a.wait(timeout=20)
    assert Client(port_b, session=a.session).get(matrix).status == 200


def test_a_soak_across_both_servers_loses_nothing(servers, make_user):
    """Cell writes, form edits (each with the version it was loaded at), additions and
    deletions, spread over both servers: no 5xx, and every acknowledged write is there."""
    (port_a, port_b), _ = servers
    lead = make_user("lead")
    workspace = build_workspace("Soak", members={lead: "owner"}, activities=16)
    login = Client(port_a)
    login.log_in("lead", PASSWORD)
    matrix = reverse("workspaces:matrix", args=[workspace.public_id])
    dashboard = reverse("workspaces:dashboard", args=[workspace.public_id])
    cell = reverse("workspaces:cell", args=[workspace.public_id])
    add = reverse("workspaces:activity_add", args=[workspace.public_id])
    activities = list(workspace.activities.order_by("position"))
    role = workspace.roles.get(name="Product Marketing")
    cycle = ["R", "A", "A/R", "C", "I"]
    workers = 8
    per_worker = SOAK_REQUESTS // workers

    def run(worker: int):
        client = Client(port_a if worker % 2 else port_b, session=Session(dict(login.session.cookies)))
        mine = activities[worker]  # each worker owns a row: conflicts are tested elsewhere
        page = reverse("workspaces:activity", args=[workspace.public_id, mine.public_id])
        held = Assignment.objects.filter(activity=mine, role=role).values_list("letters", flat=True).first() or ""
        errors, acknowledged, described, deleted, version, scratch = 0, 0, mine.description, [], None, None
        for n in range(per_worker):
            if n % 4 == 0:
                wanted = cycle[(cycle.index(held) + 1) % len(cycle)] if held in cycle else "R"
                answer = client.post(cell, cell_value(mine, role, wanted, held), **{"HX-Request": "true"})
                if answer.status == 200:
                    held, acknowledged = wanted, acknowledged + 1
            elif n % 16 == 1:  # open the activity's form...
                answer = client.get(page)
                version = re.search(r'name="version" value="(\d+)"', answer.body).group(1)
            elif n % 16 == 2:  # ...and save it: nobody else edits this activity's text, so never stale
                text = f"worker {worker}, request {n}"
                answer = client.post(page, {"name": mine.name, "description": text, "version": version})
                assert answer.status == 302, answer.status
                described = text
            elif n % 16 == 5:  # add a scratch activity...
                answer = client.post(add, {"name": f"Scratch {worker}-{n}"})
                scratch = re.search(r"#row-([0-9a-f-]{36})", answer.headers.get("Location", ""))
            elif n % 16 == 6 and scratch:  # ...and delete it again
                answer = client.post(reverse("workspaces:activity_delete", args=[workspace.public_id, scratch.group(1)]), {})
                if answer.status == 302:
                    deleted.append(scratch.group(1))
            else:
                answer = client.get(matrix if n % 4 != 3 else dashboard)
            errors += answer.status >= 500
        client.close()
        connection.close()  # this thread's own database connection
        return mine, held, errors, acknowledged, described, deleted

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(run, range(workers)))
    elapsed = time.monotonic() - started
    print(f"soak: {workers * per_worker} requests over two servers in {elapsed:.1f} s, "
          f"{sum(r[3] for r in results)} acknowledged cell writes, {sum(len(r[5]) for r in results)} deletions, "
          f"{sum(r[2] for r in results)} 5xx")
    assert sum(r[2] for r in results) == 0
    for activity, held, _, acknowledged, described, deleted in results:
        assert Assignment.objects.get(activity=activity, role=role).letters == held
        assert Change.objects.filter(activity=activity, subject=role.name).count() >= acknowledged
        activity.refresh_from_db()
        assert activity.description == described
        assert not workspace.activities.filter(public_id__in=deleted).exists()
        assert Change.objects.filter(workspace=workspace, activity_public_id__in=deleted, after="deleted").count() == len(deleted)
    total = sum(r[3] for r in results)
    assert total == workers * (per_worker // 4 + (per_worker % 4 > 0))
