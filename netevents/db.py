"""The declarative base, shared column types and mixins."""

import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ColumnElement, CursorResult, DateTime, Executable, Insert, Integer, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from netevents.extensions import db

if TYPE_CHECKING:  # db.Model is built at run time from this class, so type checkers see it as it is
    from netevents.extensions import Base as Base
else:
    Base = db.Model


#: `__table_args__` of every table with a generated integer id: SQLite's AUTOINCREMENT, so the id of a deleted
#: row is never given to a new one (without it SQLite reuses the highest id). Emails' dedupe keys, calendar
#: UIDs and ledger actors are built from ids, and must never name two things. PostgreSQL never reuses them.
NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


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


#: The databases netevents runs on, by SQLAlchemy's dialect name.
DIALECTS = ("postgresql", "sqlite")


def in_dialect(build: Callable[[str], Executable]) -> dict[str, Executable]:
    """A statement built once for each database (`build(dialect name)`), for `execute_in_dialect`."""
    return {dialect: build(dialect) for dialect in DIALECTS}


def among_ids(column: ColumnElement[int], name: str, dialect: str) -> ColumnElement[bool]:
    """`column IN (the ids bound to name)`, written for one database. PostgreSQL takes the ids as one array
    (`= ANY(%(name)s)`): one parameter however many ids, so the statement is the same text for 3 people or 200, and
    is planned as quickly. SQLite has no arrays: the list is expanded into a parameter per id.

    Expanded, the relations of the 200 people of a summary took 6.2 ms on PostgreSQL (planning 800 parameters, and
    the driver parsing the statement anew for each length), as one array 2 to 3 ms."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))


def execute_in_dialect(statements: Mapping[str, Executable], parameters: Any) -> CursorResult:
    """Run the statement of the session's database, on the request's connection and in its transaction."""
    connection = db.session.connection()
    return connection.execute(statements[connection.dialect.name], parameters)
