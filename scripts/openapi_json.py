"""Print the API's OpenAPI document as the app serves it, in a stable form the web app's types are generated from.

    .venv/bin/python scripts/openapi_json.py                        # to stdout
    .venv/bin/python scripts/openapi_json.py frontend/openapi.json  # to a file (written whole or not at all)

`make api-types` writes frontend/openapi.json with it, then frontend/src/lib/api-schema.ts from that;
tests/api/test_web_types.py checks the committed document is still what the app serves.

The app is built with the default settings in a throwaway instance folder (no database or mail folder of
yours is touched, no deployment variable leaks into the document) and the document is fetched from
/api/v1/openapi.json. It is made stable in two ways that do not change its meaning:
- keys are sorted, and so is every `enum` (a set in JSON Schema), so a list built from a Python set
  reads the same on every start;
- time zones come from the pinned `tzdata` package only, not from the machine's own zoneinfo folder,
  so every machine lists the same zones.
"""

import json
import os
import sys
import tempfile
import zoneinfo
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OPENAPI_PATH = "/api/v1/openapi.json"

# Before netevents is imported: the event schemas list the zones when they are defined.
zoneinfo.reset_tzpath(to=())
sys.path.insert(0, str(PROJECT_ROOT))

from netevents import create_app  # noqa: E402
from netevents.config import Config  # noqa: E402
from netevents.extensions import db  # noqa: E402

# Read by Config: none of a deployment's settings belong in the document.
DEPLOYMENT_VARIABLES = ("DATABASE_URL", "RATELIMIT_STORAGE_URI")


def canonical(value):
    """The same document with every `enum` sorted (null last); dict keys are sorted when dumped."""
    if isinstance(value, dict):
        return {
            key: sorted(item, key=lambda v: (v is None, str(v)))
            if key == "enum" and isinstance(item, list)
            else canonical(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def served_document() -> dict:
    for name in list(os.environ):
        if name.startswith("NETEVENTS_") or name in DEPLOYMENT_VARIABLES:
            del os.environ[name]
    with tempfile.TemporaryDirectory(prefix="netevents-openapi-") as instance:
        os.environ["NETEVENTS_INSTANCE_PATH"] = instance
        os.environ["NETEVENTS_SQLITE_CHECKPOINT_SECONDS"] = "0"  # no background thread for one request
        app = create_app(Config())
        try:
            response = app.test_client().get(OPENAPI_PATH)
            if response.status_code != 200:
                raise SystemExit(f"{OPENAPI_PATH} answered {response.status_code}: {response.get_data(as_text=True)}")
            return response.get_json()
        finally:
            with app.app_context():
                db.engine.dispose()


def document_text() -> str:
    return json.dumps(canonical(served_document()), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    text = document_text()
    if not argv:
        sys.stdout.write(text)
        return 0
    target = Path(argv[0])
    partial = target.with_name(target.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
