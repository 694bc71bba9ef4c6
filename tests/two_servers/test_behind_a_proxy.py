"""Behind a real reverse proxy, the limits count each client, not the proxy.

A real gunicorn trusts one proxy (TRUSTED_PROXIES=127.0.0.2); a real proxy process
(tests/two_servers/forwarding_proxy.py) connects to it from 127.0.0.2 and appends each
client's address to X-Forwarded-For. Clients connect from addresses of their own
(127.0.0.3, 127.0.0.4, …) and write whatever X-Forwarded-For they like.
"""

import re
import signal
import subprocess
import sys

import pytest
from django.db import connection

from frameworks.models import Framework
from workshops import services
from workshops.models import JoinAttempt, Participant
from tests.responsibilities.conftest import build_workspace
from tests.two_servers.http import Client, serving
from tests.two_servers.test_two_servers import ROOT, free_port, start_server

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (bin/test)"),
    pytest.mark.slow,
]

PROXY = "127.0.0.2"
CLIENT_A, CLIENT_B, CLIENT_C = "127.0.0.3", "127.0.0.4", "127.0.0.5"


def start_proxy(port: int, upstream_port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.two_servers.forwarding_proxy", str(port), str(upstream_port), PROXY],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    return serving(process, port, "/join/", "the proxy", seconds=15)


@pytest.fixture
def app_behind_proxy(live_library):
    app_port, proxy_port = free_port(), free_port()
    processes = [start_server(app_port, TRUSTED_PROXIES=PROXY)]
    processes.append(start_proxy(proxy_port, app_port))
    yield app_port, proxy_port
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)


def join(client: Client, code: str, name: str, claimed: str | None = None) -> int:
    """Join through the page as a browser would; `claimed`: an X-Forwarded-For the client writes."""
    page = client.get("/accounts/login/")  # any form's token: /join/ asks for the code by GET
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
    headers = {"X-Forwarded-For": claimed} if claimed else {}
    return client.post("/join/", {"code": code, "name": name, "csrfmiddlewaretoken": token}, **headers).status


def test_limits_count_each_client_behind_the_proxy_and_ignore_forged_headers(app_behind_proxy):
    app_port, proxy_port = app_behind_proxy
    workspace = build_workspace("Behind a proxy", activities=0)
    workshop = services.workshop_start(
        workspace=workspace, title="Roles", framework=Framework.objects.get(slug="read"),
        roles=list(workspace.roles.all()), by=None,
    )
    wrong = f"{workshop.key}-ZZZZZZ"

    # Client A guesses through the proxy, claiming a fresh address each time: every guess is A's.
    a = Client(proxy_port, source=CLIENT_A)
    for n in range(services.WRONG_CODES_PER_ADDRESS):
        assert join(a, wrong, "Eve", claimed=f"198.51.100.{n}") == 400
    assert join(a, workshop.code, "Eve", claimed="198.51.100.200") == 429
    assert set(JoinAttempt.objects.values_list("ip", flat=True)) == {CLIENT_A}

    # Client B, through the same proxy, still joins (even claiming to be A).
    assert join(Client(proxy_port, source=CLIENT_B), workshop.code, "Bea", claimed=CLIENT_A) == 302
    assert Participant.objects.get(name="Bea").address == CLIENT_B

    # Client C goes to gunicorn directly, forging B's address: its header is ignored.
    c = Client(app_port, source=CLIENT_C)
    for _ in range(services.WRONG_CODES_PER_ADDRESS):
        assert join(c, wrong, "Mallory", claimed=CLIENT_B) == 400
    assert JoinAttempt.objects.filter(ip=CLIENT_C).count() == services.WRONG_CODES_PER_ADDRESS
    assert join(c, workshop.code, "Mallory", claimed=CLIENT_B) == 429
    assert join(Client(proxy_port, source=CLIENT_B), workshop.code, "Ben") == 302
    assert sorted(Participant.objects.values_list("name", "address")) == [("Bea", CLIENT_B), ("Ben", CLIENT_B)]
