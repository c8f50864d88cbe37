"""The declarative base, shared column types and mixins, and the SQLite write discipline."""

import secrets
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from netevents.extensions import db

Base = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_secret(nbytes: int = 24) -> str:
    """A random URL-safe secret: 24 bytes = 192 bits, never derived from ids."""
    return secrets.token_urlsafe(nbytes)


class UTCDateTime(TypeDecorator):
    """An aware datetime, stored as UTC on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


#: Views that write although their method is safe (GET), e.g. the webinar join link.
WRITING_VIEW_ATTRIBUTE = "_netevents_writes"


def writes(view):
    """Mark a GET view that writes, so on SQLite its transaction takes the write lock up front."""
    setattr(view, WRITING_VIEW_ATTRIBUTE, True)
    return view


def _transaction_may_write() -> bool:
    if not has_request_context():
        return True  # CLI commands, workers and tests
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view and getattr(view, WRITING_VIEW_ATTRIBUTE, False))


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE for transactions that may write.

    A deferred SQLite transaction that reads and then writes fails at once with "database is
    locked" when another connection wrote in between (no busy wait can help it). Taking the write
    lock at BEGIN makes writers queue on the busy timeout instead, so several gunicorn workers
    never see that error; readers stay concurrent thanks to WAL.
    """

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _transaction_may_write() else "BEGIN")
