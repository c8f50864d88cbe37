"""Health probes for a load balancer, an orchestrator or an operator (docs/deploy.md).

`/healthz`: the process answers; it touches nothing else, so a slow database never gets an app instance
restarted. `/readyz`: this instance can serve: the database answers, its schema is at the migrations' head (an
instance started before `flask db upgrade`, or after a rollback, is not ready), and Redis answers when the rate
limits are kept there. Not ready is a 503 problem with Retry-After and the failed checks under `checks`.

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


def _check_database() -> dict[str, str]:
    """The database answers and its schema is at head; what was found, in words, per check."""
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
    found = ", ".join(sorted(current)) or "none"
    return {"database": "ok", "migrations": f"at {found}, expected {', '.join(sorted(expected))}"}


def _check_redis() -> dict[str, str]:
    if not (limiter.enabled and uses_redis(current_app.config["RATELIMIT_STORAGE_URI"])):
        return {}
    return {"redis": "ok" if limiter.storage.check() else "unreachable"}


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
    """This instance can serve: database reachable, migrations at head, Redis reachable when configured."""
    checks = {**_check_database(), **_check_redis()}
    failed = sorted(name for name, outcome in checks.items() if outcome != "ok")
    if failed:
        return problem(
            503,
            "not_ready",
            f"This instance cannot serve yet: {', '.join(failed)}. Try again in a moment.",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            checks=checks,
        )
    response = jsonify(status="ok", checks=checks)
    response.headers["Cache-Control"] = "no-store"
    return response
