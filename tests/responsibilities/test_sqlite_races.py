"""On SQLite (bin/run's database) a second writer waits for the first instead of failing with
"database is locked": a losing concurrent cell write is a 409, never a 500."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_two_editors_writing_cells_at_once_on_sqlite_get_200_or_409(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "SECRET_KEY": "test-sqlite-race",
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.responsibilities.sqlite_cell_race"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout)

    codes = Counter(code for editor in answers.values() for code in editor)
    # Every cell was written by exactly one of the two; the other was told it was stale.
    cells = len(answers["alice"])
    assert codes == {200: cells, 409: cells}, codes
