"""The web app's API types are generated from frontend/openapi.json, which must be the document the app serves.

`make api-types` writes both; this test fails when the API changed and they were not regenerated.
"""

import difflib
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMMITTED = PROJECT_ROOT / "frontend" / "openapi.json"
SCRIPT = PROJECT_ROOT / "scripts" / "openapi_json.py"


def test_committed_openapi_document_is_the_served_one():
    # The script itself, in a process of its own, exactly as `make api-types` runs it: it settles where the
    # time zones come from before netevents is imported, which this test process did long ago.
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    committed = COMMITTED.read_text(encoding="utf-8")
    if result.stdout != committed:
        diff = difflib.unified_diff(
            committed.splitlines(keepends=True),
            result.stdout.splitlines(keepends=True),
            "frontend/openapi.json (committed)",
            "served by the app",
        )
        pytest.fail(
            "frontend/openapi.json is not the document the app serves: run `make api-types` and commit "
            "frontend/openapi.json and frontend/src/lib/api-schema.ts.\n" + "".join(islice(diff, 60)),
            pytrace=False,
        )
