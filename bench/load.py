"""Throughput under gunicorn (2 workers) against PostgreSQL, as ratios to a static file.

Run through bench/run, which starts the throwaway PostgreSQL. Builds workspaces of 10 / 100
/ 1000 activities x 12 roles and a workshop, writes a static file of a fixed 131,072 bytes (the
baseline: the same server doing no work of ours; fixed, not sized to a page, so that a
lighter page shows as a gain), starts gunicorn on 127.0.0.1, and drives bounded load from
client processes (keep-alive connections, each request waiting for the last) at every
endpoint in turn. Prints the uncompressed size of the 100-activity matrix page
(`bytes matrix-100 N`), p50/p95 latency and requests/s per endpoint, then one
`ratio NAME VALUE` line per endpoint: its requests/s over the static file's, measured in
the same run, and one `target ...` line per target of issue 17 saying met or missed.
"""

import http.client
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmmhub.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from workshops.views import poll_token  # noqa: E402
from responsibilities.models import Assignment  # noqa: E402
from server_time import build, build_workshop  # noqa: E402

SIZES = (10, 100, 1000)
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
CSRF_SECRET = "b" * 32  # a valid unmasked CSRF secret: cookie and header carry the same value
BASELINE_BYTES = 131_072
# Issue 17's targets: (endpoint, minimum ratio, the endpoint it is relative to). Pages are
# judged against the floor every logged-in request pays (poll-checked), measured in the same
# run, so that they show what the page costs above that floor.
TARGETS = [
    ("poll-checked", 0.20, "static"),
    ("poll", 0.60, "static"),
    ("matrix-100", 0.70, "poll-checked"),
    ("cell-update-100", 0.60, "poll-checked"),
]


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}; csrftoken={CSRF_SECRET}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def drive(args):
    """One client: requests back to back until the deadline; returns latencies in ms."""
    port, cookie, requests, deadline = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, statuses, n = [], {}, 0
    while time.monotonic() < deadline:
        method, path, body = requests[n % len(requests)]
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers.update({
                "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF_SECRET, "HX-Request": "true",
            })
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            statuses["error"] = statuses.get("error", 0) + 1
            continue
        latencies.append((time.perf_counter() - start) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        n += 1
    conn.close()
    return latencies, statuses


def cell_cycle(activity, role) -> list:
    """Requests that step one cell through the letters, each naming the value it replaces."""
    letters = ["R", "A", "A/R", "C", "I", ""]
    requests = []
    for i, wanted in enumerate(letters):
        expected = letters[i - 1]
        body = f"cell={activity.public_id}%3A{role.public_id}%3A{wanted.replace('/', '%2F')}%3A{expected.replace('/', '%2F')}"
        requests.append(("POST", "{cell}", body))
    return requests


def measure(pool, port, cookie, name, per_client_requests):
    deadline = time.monotonic() + SECONDS
    results = pool.map(drive, [(port, cookie, requests, deadline) for requests in per_client_requests])
    latencies = sorted(ms for result, _ in results for ms in result)
    statuses = {}
    for _, counts in results:
        for status, count in counts.items():
            statuses[status] = statuses.get(status, 0) + count
    rate = len(latencies) / SECONDS
    p50 = statistics.median(latencies) if latencies else float("nan")
    p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
    print(f"{name:<18} {rate:8.1f} req/s   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   statuses {dict(sorted(statuses.items(), key=str))}")
    return rate


def ratio_of(rates, name, reference) -> float:
    return rates[name] / rates[reference] if rates[reference] else 0.0


def main():
    user, _ = get_user_model().objects.get_or_create(username="bench-load")
    workspaces = {size: build(size, user) for size in SIZES}
    workshop = build_workshop(workspaces[100], user)
    cookie = session_cookie(user)

    client = Client()
    client.force_login(user)
    page = client.get(reverse("workspaces:matrix", args=[workspaces[100].public_id])).content
    static_root = Path(settings.STATIC_ROOT)
    (static_root / "bench-baseline.html").write_bytes(b"x" * BASELINE_BYTES)
    connection.close()

    port = free_port()
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pmmhub.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn 2 workers on 127.0.0.1:{port}, {CLIENTS} clients, {SECONDS:.0f} s per endpoint, "
              f"baseline static file of {BASELINE_BYTES:,} bytes")
        print(f"bytes matrix-100 {len(page)}")
        rates = {}
        with multiprocessing.Pool(CLIENTS) as pool:
            rates["static"] = measure(pool, port, cookie, "static", [[("GET", "/static/bench-baseline.html", None)]] * CLIENTS)
            for size in SIZES:
                w = workspaces[size]
                matrix = reverse("workspaces:matrix", args=[w.public_id])
                dashboard = reverse("workspaces:dashboard", args=[w.public_id])
                cell = reverse("workspaces:cell", args=[w.public_id])
                rates[f"matrix-{size}"] = measure(pool, port, cookie, f"matrix-{size}", [[("GET", matrix, None)]] * CLIENTS)
                rates[f"dashboard-{size}"] = measure(
                    pool, port, cookie, f"dashboard-{size}", [[("GET", dashboard, None)]] * CLIENTS
                )
                activities = list(w.activities.order_by("position")[:CLIENTS])
                role = w.roles.order_by("position").first()
                Assignment.objects.filter(activity__in=activities, role=role).delete()
                per_client = [
                    [(m, cell, body) for m, _, body in cell_cycle(activity, role)] for activity in activities
                ]
                rates[f"cell-update-{size}"] = measure(pool, port, cookie, f"cell-update-{size}", per_client)
                connection.close()
            workshop.refresh_from_db()
            poll = reverse("workshop:board_poll", args=[workshop.workspace.public_id, workshop.public_id])
            rates["poll"] = measure(pool, port, cookie, "poll", [[("GET", f"{poll}?v={workshop.version}&t={poll_token(workshop)}", None)]] * CLIENTS)
            # The same poll without its token goes through the session, the user and the
            # membership and answers 204: the floor of any logged-in request, for reference.
            rates["poll-checked"] = measure(pool, port, cookie, "poll-checked", [[("GET", f"{poll}?v={workshop.version}", None)]] * CLIENTS)
        for name, rate in rates.items():
            if name != "static":
                print(f"ratio {name} {ratio_of(rates, name, 'static'):.2f}")
        for name, minimum, reference in TARGETS:
            ratio = ratio_of(rates, name, reference)
            print(f"target {name} {ratio:.2f} of {reference} (>= {minimum:.2f}): {'met' if ratio >= minimum else 'MISSED'}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        (Path(settings.STATIC_ROOT) / "bench-baseline.html").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
