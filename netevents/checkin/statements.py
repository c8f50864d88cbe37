"""The door's hot statements: SQLAlchemy Core statements, compiled once per dialect and run on the DBAPI
cursor of the scan's connection; and the transaction they run in (`DoorTransaction`).

A scan is three short statements. SQLAlchemy's per-execution machinery (execution context, parameter
processing through the compiled cache, result metadata) costs more CPU than SQLite takes to run them,
so these few skip it. The SQL text, the bound types' processors (UTC datetimes, enums, JSON) and the
result types' processors are SQLAlchemy's own, computed once, so values go in and come out exactly as
through `Connection.execute`. Cursor events still fire, so echo and statement counting see them.
"""

from collections import namedtuple

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable

from netevents.extensions import db


class DoorTransaction:
    """Where scans are applied and committed (`services.run_idempotent` commits, or rolls back and retries).

    A station's scans, the door's hot path, run on a Core connection of their own: the ORM session's
    bookkeeping (its begin, commit and close) costs more CPU than a scan's three statements. Anything
    else runs in the request's session: an organizer, whom signing in has read through it, or a walk-in,
    whose registration it has just written. On SQLite a second transaction in the same request would wait
    for the first one's write lock forever, so one request never mixes the two.
    """

    def __init__(self, *, own_connection: bool):
        self._own = db.engine.connect() if own_connection else None

    def connection(self) -> Connection:
        """The connection, in a transaction (the door's statements bypass SQLAlchemy's autobegin)."""
        if self._own is None:
            return db.session.connection()
        if not self._own.in_transaction():
            self._own.begin()
        return self._own

    def reader(self) -> Connection:
        """The connection for a read before the transaction: on SQLite, outside it, so the read does not
        queue behind other workers' writes nor hold up theirs. What it read may be a moment old when the
        transaction starts, as with PostgreSQL's READ COMMITTED."""
        return self._own if self._own is not None else db.session.connection()

    def commit(self) -> None:
        if self._own is None:
            db.session.commit()
        else:
            self._own.commit()

    def rollback(self) -> None:
        if self._own is None:
            db.session.rollback()
        else:
            self._own.rollback()

    def __enter__(self) -> "DoorTransaction":
        return self

    def __exit__(self, *_exc) -> None:
        if self._own is not None:
            self._own.close()  # rolls back what was not committed


class DoorStatement:
    def __init__(self, statement: Executable, parameters: tuple[str, ...] | None = None):
        self.statement = statement
        #: For INSERTs: the columns given, so the others are not part of the statement.
        self.parameters = parameters
        self._compiled: dict[str, tuple] = {}

    def _compile(self, dialect) -> tuple:
        compiled = self.statement.compile(dialect=dialect, column_keys=self.parameters)
        escaped = getattr(compiled, "escaped_bind_names", None) or {}
        #: (name in the SQL, key in the values given, the statement's own value, the type's bind processor)
        binds = {escaped.get(name, name): (bind.key, bind.type._cached_bind_processor(dialect))
                 for bind, name in compiled.bind_names.items()}
        own_values = compiled.construct_params(_check=False)  # literals the statement carries (an enum, say)
        order = tuple(compiled.positiontup) if compiled.positional else tuple(binds)
        plan = tuple((name, binds[name][0], own_values.get(name), binds[name][1]) for name in order)
        columns = list(getattr(self.statement, "selected_columns", None) or self.statement._returning)
        results = [column.type._cached_result_processor(dialect, None) for column in columns]
        row = namedtuple("Row", [column.key for column in columns])._make
        entry = (compiled.string, plan, compiled.positional, results, row)
        self._compiled[dialect.name] = entry
        return entry

    def rows(self, connection: Connection, values: dict) -> list[tuple]:
        """Run it; the rows it returns (named tuples), with values as SQLAlchemy would give them."""
        dialect = connection.dialect
        sql, plan, positional, results, row = self._compiled.get(dialect.name) or self._compile(dialect)
        # What Compiled.construct_params and the bind processors would give, in one pass.
        given = [(name, processor(values.get(key, own)) if processor else values.get(key, own))
                 for name, key, own, processor in plan]
        parameters = tuple(value for _name, value in given) if positional else dict(given)
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            if connection._has_events or connection.engine._has_events:
                connection.dispatch.before_cursor_execute(connection, cursor, sql, parameters, None, False)
            cursor.execute(sql, parameters)
            rows = cursor.fetchall()  # every door statement returns rows (a SELECT, or RETURNING)
        except dialect.loaded_dbapi.Error as error:  # as Connection.execute raises it: IntegrityError, ...
            raise DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error, dialect=dialect) from error
        finally:
            cursor.close()
        return [row([processor(value) if processor else value for processor, value in zip(results, raw)])
                for raw in rows]

    def first(self, connection: Connection, values: dict):
        rows = self.rows(connection, values)
        return rows[0] if rows else None
