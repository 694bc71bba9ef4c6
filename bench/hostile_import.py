"""Time to answer hostile 2 MB workspace documents: the web import preview (in process, through
Django's test client) and `manage.py import_workspace` (a real command, Python's start-up
included). Target: each answered in under 3 s, refused with a clear message and nothing written.

Run through bench/run, which starts a throwaway PostgreSQL; `--quick` times each once.
"""

import html
import os
import random
import re
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmmhub.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from responsibilities.formats import MAX_UPLOAD_BYTES  # noqa: E402
from responsibilities.formats.document import MAX_ACTIVITIES  # noqa: E402
from responsibilities.models import PendingImport, Workspace  # noqa: E402

LIMIT_S = 3.0
DESCRIPTION = " ".join(["competitive battlecards webinar persona analyst briefing pricing"] * 4)


def filled(head: str, item: str, tail: str = "") -> str:
    """head + as many items as fit in MAX_UPLOAD_BYTES + tail."""
    return head + item * ((MAX_UPLOAD_BYTES - len(head) - len(tail)) // len(item)) + tail


def numbered(head: str, item: str, tail: str) -> str:
    parts, size = [head], len(head) + len(tail)
    for i in range(MAX_UPLOAD_BYTES):
        part = item.format(i)
        if size + len(part) > MAX_UPLOAD_BYTES:
            break
        parts.append(part)
        size += len(part)
    return "".join(parts) + tail


def documents() -> dict[str, str]:
    rng = random.Random(13)
    roles = "roles:\n" + "".join(f"  - {{name: Role {i}, archetype: pmm}}\n" for i in range(12))
    return {
        # The document: a YAML list of ~480,000 tiny items.
        "list.yaml": filled("activities:\n", "- a\n"),
        "array.json": filled('{"activities": [', "1,", "1]}"),
        "keys.json": numbered("{", '"k{}":1,', '"z":1}'),
        # Explicit tags skip the value count while parsing: the most nodes a 2 MB file can make.
        "tags.yaml": filled("[", "!a ,", "!a ]"),
        # Within every bound, a problem in every row: the first 50 are listed.
        "problems.yaml": roles + "activities:\n" + "".join(
            f"  - {{name: {i} {'x' * 150}, description: {'y' * 150}, raci: {{Role 1: Z, Nobody: R}}}}\n"
            for i in range(MAX_ACTIVITIES)
        ),
        # Valid: 5,000 activities (the most a document may have), 12 roles, long descriptions.
        "valid-5000.yaml": roles + "activities:\n" + "".join(
            f"  - name: Activity {i} launch pricing\n    description: {i} {DESCRIPTION}\n"
            f"    raci: {{Role {i % 12}: A/R, Role {(i + 1) % 12}: C, Role {(i + 2) % 12}: I}}\n"
            for i in range(MAX_ACTIVITIES)
        ),
        # Valid, in words no one uses: each new word costs the mapping suggestions a stem and a
        # fuzzy search, until their word budget runs out.
        "made-up-words.yaml": roles + "activities:\n" + "".join(
            f"  - name: {made_up(rng, 8)}\n    description: {made_up(rng, 38)}\n" for _ in range(MAX_ACTIVITIES)
        ),
    }


def made_up(rng: random.Random, count: int) -> str:
    return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(count))


def main():
    repeat = 1 if "--quick" in sys.argv else 3
    user, _ = get_user_model().objects.get_or_create(username="bench-import")
    client = Client()
    client.force_login(user)
    url = reverse("workspaces:import")
    print(f"hostile imports, best of {repeat}; target under {LIMIT_S:.0f} s each")
    with tempfile.TemporaryDirectory() as folder:
        for name, text in documents().items():
            data = text.encode()
            assert len(data) <= MAX_UPLOAD_BYTES, (name, len(data))
            path = Path(folder) / name
            path.write_bytes(data)

            def preview():
                response = client.post(url, {"step": "upload", "file": SimpleUploadedFile(name, data)})
                assert response.status_code == 200, response.status_code
                return response

            def command():
                return subprocess.run(
                    [sys.executable, str(ROOT / "manage.py"), "import_workspace", str(path), "--name", f"Hostile {name}"],
                    capture_output=True, text=True, cwd=ROOT,
                )

            seconds, response = best_of(repeat, preview)
            valid = "Preview: nothing is written until you confirm" in response.text
            answer = "previewed" if valid else first_problem(response.text)
            report("import-preview", name, len(data), seconds, answer)
            if not valid:  # a valid document would be imported: the command is timed on refusals only
                seconds, result = best_of(repeat, command)
                report("import-command", name, len(data), seconds, result.stderr.strip().splitlines()[0][:70])
    assert not Workspace.objects.filter(name__startswith="Hostile ").exists(), "a refused document wrote a workspace"
    PendingImport.objects.filter(user=user).delete()


def best_of(repeat, call):
    best, result = None, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def first_problem(page: str) -> str:
    """`refused: more than 50 problems: activities[0]...`, from the page's list of problems."""
    heading = re.search(r"Nothing was imported: ([^<]+)</h2>", page)
    first = re.search(r'<ul class="errors"><li>([^<]*)</li>', page)
    if not heading or not first:
        return "NO PROBLEM LISTED"
    return f"refused, {heading.group(1)}: {html.unescape(first.group(1))[:60]}"


def report(kind: str, name: str, size: int, seconds: float, answer: str):
    verdict = "ok" if seconds < LIMIT_S else f"OVER {LIMIT_S:.0f} s"
    print(f"{kind:<15} {name:<19} {size / 1e6:4.2f} MB {seconds:6.2f} s {verdict:<9} {answer}")


if __name__ == "__main__":
    main()
