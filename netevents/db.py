"""The declarative base, shared column types and mixins."""

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import CursorResult, DateTime, Executable, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from netevents.extensions import db

if TYPE_CHECKING:  # db.Model is built at run time from this class, so type checkers see it as it is
    from netevents.extensions import Base as Base
else:
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


def table_of(model: Any) -> Table:
    """A model's table, for statements in plain SQL terms (a declarative `__table__` is typed as any FROM clause)."""
    return cast(Table, model.__table__)


def insert_unless_present(table: Table, *unique: str) -> dict[str, Insert]:
    """`INSERT ... ON CONFLICT (unique columns) DO NOTHING` (no columns: a conflict on any unique constraint), built
    once for each database netevents runs on (by dialect name); `execute_in_dialect` runs the session's one."""
    return {
        name: insert(table).on_conflict_do_nothing(index_elements=list(unique) or None)
        for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
    }


def execute_in_dialect(statements: Mapping[str, Executable], parameters: Any) -> CursorResult:
    """Run the statement of the session's database, on the request's connection and in its transaction."""
    connection = db.session.connection()
    return connection.execute(statements[connection.dialect.name], parameters)
