"""SQLite: ids of deleted rows are never given again (AUTOINCREMENT on every table with a generated id)

Without AUTOINCREMENT SQLite gives a new row the highest id + 1, so deleting the newest event let the next one
take its id, and keys built from ids (emails' dedupe keys, calendar UIDs, ledger actors) named both. Each table
is rebuilt in batch mode with its AUTOINCREMENT; the rows keep their ids. PostgreSQL's sequences never go
back: nothing to do there.

SQLite's reflection does not carry AUTOINCREMENT: a later batch migration that rebuilds one of these tables
must pass `table_kwargs={"sqlite_autoincrement": True}` (tests/events/test_ids_never_repeat.py checks the
migrated schema).

Revision ID: 7f3c9a1d5e20
Revises: ebb75190d70b
Create Date: 2026-12-02 11:40:00.000000
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7f3c9a1d5e20"
down_revision = "ebb75190d70b"
branch_labels = None
depends_on = None

#: Every table whose primary key is a generated integer (scan shares its ledger entry's id).
TABLES = (
    "user_account",
    "access_token",
    "magic_link",
    "event",
    "event_organizer",
    "registration",
    "station",
    "outgoing_email",
    "ledger_entry",
    "connection",
    "connection_side",
    "exchange",
    "block",
)


def _rebuild(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ) as batch_op:
            batch_op.alter_column("id", autoincrement=True)


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
