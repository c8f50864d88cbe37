"""Health probes for a load balancer, an orchestrator or an operator (docs/deploy.md).

`/healthz`: the process answers; it touches nothing else, so a slow database never gets an app instance
restarted. `/readyz`: this instance can serve. Not ready (503 problem with Retry-After and the checks under
`checks`) when the database does not answer, or its schema is behind this code's migrations (an instance started
before `flask db upgrade`). Ready, but "degraded" with the reason, when what it meets would be the same on every
instance, so that a load balancer taking them all out would only make things worse:
- the schema is ahead of this code (a newer release migrated; during a rolling upgrade the older instances keep
  serving, as the migrations are written for: add, backfill, and drop only in a later release);
- Redis, where the rate limits are kept, does not answer (each process counts them in its memory meanwhile).

Neither probe is rate-limited, and gunicorn's access log leaves out their successful answers
(netevents/redact.py's QUIET_PATHS).
"""

import logging
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from netevents import MIGRATIONS_DIR
from netevents.errors import problem
from netevents.extensions import db, limiter
from netevents.ratelimit_storage import uses_redis

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

#: Seconds a client waits before asking again when this instance is not ready.
RETRY_AFTER_SECONDS = 5


@cache
def migration_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migrations shipped with this code (read once per process)."""
    return frozenset(ScriptDirectory(directory).get_heads())


@cache
def known_revisions(directory: str) -> frozenset[str]:
    """Every revision this code's migrations know; a database at one it does not know was migrated by newer code."""
    return frozenset(script.revision for script in ScriptDirectory(directory).walk_revisions())


#: Outcomes of a check that leave the instance ready (said under `checks` and in `status: degraded`).
DEGRADED = ("ahead", "unreachable, limits counted per process")


def _check_database() -> dict[str, str]:
    """The database answers and its schema is at head (or ahead); what was found, in words, per check."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        log.warning("readyz: the database is unreachable: %s", str(getattr(error, "orig", error)).strip())
        return {"database": "unreachable", "migrations": "unknown"}
    expected = migration_heads(str(MIGRATIONS_DIR))
    if current == expected:
        return {"database": "ok", "migrations": "ok"}
    if current and not current <= known_revisions(str(MIGRATIONS_DIR)):
        return {"database": "ok", "migrations": "ahead"}
    found = ", ".join(sorted(current)) or "none"
    return {"database": "ok", "migrations": f"at {found}, expected {', '.join(sorted(expected))}"}


def _check_redis() -> dict[str, str]:
    if not (limiter.enabled and uses_redis(current_app.config["RATELIMIT_STORAGE_URI"])):
        return {}
    return {"redis": "ok" if limiter.storage.check() else "unreachable, limits counted per process"}


@bp.route("/healthz", methods=["GET"])
@limiter.exempt
def healthz():
    """The process answers (nothing else is checked)."""
    response = jsonify(status="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/readyz", methods=["GET"])
@limiter.exempt
def readyz():
    """This instance can serve: database reachable, migrations at head (or ahead), Redis checked when configured."""
    checks = {**_check_database(), **_check_redis()}
    failed = sorted(name for name, outcome in checks.items() if outcome not in ("ok", *DEGRADED))
    if failed:
        return problem(
            503,
            "not_ready",
            f"This instance cannot serve yet: {', '.join(failed)}. Try again in a moment.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            checks=checks,
        )
    degraded = any(outcome in DEGRADED for outcome in checks.values())
    response = jsonify(status="degraded" if degraded else "ok", checks=checks)
    response.headers["Cache-Control"] = "no-store"
    return response
