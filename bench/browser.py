"""What a person waits for in the browser: large matrices opening, and one arrow key in one.

Run through bench/run, which starts the throwaway PostgreSQL. Builds workspaces of 300 and
1000 activities x 12 roles, starts gunicorn (2 workers) on 127.0.0.1 and drives headless
Chromium (/usr/bin/chromium) through Playwright, logged in by a session cookie. Prints:

- `browser matrix-300-ready MS` and `browser matrix-1000-ready MS`: navigation start to
  DOMContentLoaded (the Navigation Timing entry), median of a few fresh loads;
- `browser arrow-1000 MS`: one ArrowDown in the 1,000-activity matrix grid, from the key
  event to the next frame (a requestAnimationFrame callback, then a task after it, so the
  frame's style and layout work is counted), median of a few presses;

then one `target ...` line per figure saying met or missed (issue 17).
"""

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

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from load import free_port, session_cookie  # noqa: E402
from server_time import build  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]
QUICK = "--quick" in sys.argv
LOADS = 1 if QUICK else 5
PRESSES = 3 if QUICK else 15
TARGETS_MS = {"matrix-300-ready": 300, "matrix-1000-ready": 1000, "arrow-1000": 16}

# Installed before any page script: on each trusted ArrowDown, the time from the event to
# the first task after the next animation frame lands in window.benchArrowMs.
ARROW_PROBE = """
window.addEventListener("keydown", function (event) {
  if (event.key !== "ArrowDown") return;
  var pressed = event.timeStamp;
  requestAnimationFrame(function () {
    setTimeout(function () { window.benchArrowMs = performance.now() - pressed; }, 0);
  });
}, true);
"""


def start_gunicorn(port):
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pmmhub.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def ready_ms(page, url) -> float:
    response = page.goto(url, wait_until="domcontentloaded")
    assert response.status == 200, response.status
    return page.evaluate(
        "() => { var n = performance.getEntriesByType('navigation')[0]; return n.domContentLoadedEventEnd - n.startTime; }"
    )


def arrow_ms(page, url) -> list[float]:
    page.goto(url, wait_until="load")
    # The grid's one tab stop (matrix.js gives it tabindex 0) is where keyboard use starts.
    page.locator('table [tabindex="0"]').first.focus()
    samples = []
    for _ in range(PRESSES):
        page.evaluate("() => { window.benchArrowMs = null; window.benchFocusBefore = document.activeElement; }")
        page.keyboard.press("ArrowDown")
        page.wait_for_function("() => window.benchArrowMs !== null")
        moved = page.evaluate("() => document.activeElement !== window.benchFocusBefore")
        assert moved, "ArrowDown did not move the focus in the matrix"
        samples.append(page.evaluate("() => window.benchArrowMs"))
    return samples


def main():
    user, _ = get_user_model().objects.get_or_create(username="bench-browser")
    urls = {size: reverse("workspaces:matrix", args=[build(size, user).public_id]) for size in (300, 1000)}
    session = dict(part.split("=", 1) for part in session_cookie(user).split("; "))["sessionid"]
    connection.close()

    port = free_port()
    server = start_gunicorn(port)
    site = f"http://127.0.0.1:{port}"
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": session, "url": site}])
            context.add_init_script(ARROW_PROBE)
            page = context.new_page()
            for size in (300, 1000):
                page.goto(site + urls[size], wait_until="load")  # warm the server's caches and the static files
                figures[f"matrix-{size}-ready"] = statistics.median(ready_ms(page, site + urls[size]) for _ in range(LOADS))
            figures["arrow-1000"] = statistics.median(arrow_ms(page, site + urls[1000]))
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"browser: headless Chromium, median of {LOADS} loads and {PRESSES} arrow presses")
    for name, ms in figures.items():
        print(f"browser {name} {ms:.0f}")
    for name, ms in figures.items():
        limit = TARGETS_MS[name]
        print(f"target browser-{name} {ms:.0f} ms (<= {limit} ms): {'met' if ms <= limit else 'MISSED'}")


if __name__ == "__main__":
    main()
