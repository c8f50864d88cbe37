"""netevents: check-in and networking for professional meetups, workshops and webinars."""

from pathlib import Path

import orjson
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from netevents.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def create_app(config: Config | None = None) -> Flask:
    """Build the app: config, then extensions, then blueprints."""
    from netevents import cli
    from netevents.bingo import receivers as bingo_receivers
    from netevents.blueprints import API_BLUEPRINTS, WEB_BLUEPRINTS
    from netevents.bodies import ApiRequest, BodyJSONProvider, init_bodies
    from netevents.checkin import receivers as checkin_receivers
    from netevents.errors import ProblemSchema, register_error_handlers
    from netevents.events import receivers as event_receivers
    from netevents.extensions import api, db, limiter, migrate
    from netevents.headers import init_headers
    from netevents.mail import receivers as mail_receivers
    from netevents.openapi import document_options
    from netevents.paths import CONVERTERS, init_paths
    from netevents.people import receivers as people_receivers
    from netevents.people.search import include_name
    from netevents.redact import redact_werkzeug_log
    from netevents.registrations import receivers as registration_receivers
    from netevents.signals import init_signals
    from netevents.sqlite import configure_sqlite, server_engine_options, sqlite_engine_options

    config = config or Config()
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_PATH),
        static_folder=str(config.FRONTEND_DIST),
        static_url_path="/static",
    )
    app.config.from_object(config)
    if config.TRUSTED_PROXY_HOPS:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.TRUSTED_PROXY_HOPS, x_proto=config.TRUSTED_PROXY_HOPS)  # type: ignore[method-assign]
    # Every body, path and JSON value a client sends meets the same limits (netevents/bodies.py, paths.py).
    app.request_class = ApiRequest
    app.json = BodyJSONProvider(app)
    init_bodies(app)
    app.url_map.converters.update(CONVERTERS)
    init_paths(app)
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        {
            # JSON columns (topics, links, tags, actions) read by orjson: a summary of 200 people reads 1,200 of
            # them, 1.3 ms with the standard library's decoder, 0.2 ms with orjson. Same values either way.
            "json_deserializer": orjson.loads,
            **(
                sqlite_engine_options(database_url)
                or server_engine_options(database_url, app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"])
            ),
        },
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_CHECKPOINT_SECONDS"])
    migrate.init_app(
        app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True, include_name=include_name
    )
    api.ERROR_SCHEMA = ProblemSchema
    api.init_app(app, spec_kwargs=document_options(config.BASE_URL))
    limiter.init_app(app)
    init_signals()
    # Who listens to whom (netevents/signals.py), in one place; connecting twice changes nothing.
    event_receivers.connect_signals()
    registration_receivers.connect_signals()
    checkin_receivers.connect_signals()
    people_receivers.connect_signals()
    mail_receivers.connect_signals()
    bingo_receivers.connect_signals()

    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint)
    for blueprint in WEB_BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)
    init_headers(app)
    redact_werkzeug_log()
    cli.register(app)
    return app
