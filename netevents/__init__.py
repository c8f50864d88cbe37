"""netevents: check-in and networking for professional meetups, workshops and webinars."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

from flask import Flask, request

from netevents.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: Config | None = None) -> Flask:
    """Build the app: config, then extensions, then blueprints."""
    from netevents import cli
    from netevents.blueprints import API_BLUEPRINTS, WEB_BLUEPRINTS
    from netevents.checkin.routes import DOOR_SCANS
    from netevents.db import configure_sqlite, sqlite_engine_options
    from netevents.errors import ProblemSchema, register_error_handlers
    from netevents.extensions import api, db, limiter, migrate
    from netevents.mail.services import init_mail

    config = config or Config()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_PATH),
        static_folder=str(config.FRONTEND_DIST),
        static_url_path="/static",
    )
    app.config.from_object(config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", sqlite_engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_CHECKPOINT_SECONDS"])
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    api.ERROR_SCHEMA = ProblemSchema
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    with _hooks_pass_over(app, DOOR_SCANS):
        # flask-limiter looks at every request in app-wide hooks; the door's scans count their own budget.
        limiter.init_app(app)
    init_mail(app)

    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    for blueprint in WEB_BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    cli.register(app)
    return app


_HOOK_LISTS = ("before_request_funcs", "after_request_funcs", "teardown_request_funcs")


@contextmanager
def _hooks_pass_over(app: Flask, endpoints: frozenset[str]) -> Iterator[None]:
    """App-wide request hooks registered inside this block do nothing for requests to `endpoints`."""
    registered = {name: list(getattr(app, name).get(None, ())) for name in _HOOK_LISTS}
    yield

    def passing_over(hook):
        @wraps(hook)
        def unless_passed_over(*args):
            if request.endpoint in endpoints:
                return args[0] if args else None  # an after_request hook hands the response on
            return hook(*args)

        return unless_passed_over

    for name in _HOOK_LISTS:
        hooks = getattr(app, name).get(None, [])
        hooks[:] = [hook if hook in registered[name] else passing_over(hook) for hook in hooks]
