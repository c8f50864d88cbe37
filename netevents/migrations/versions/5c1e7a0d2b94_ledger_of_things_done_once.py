"""the ledger of things done once: scans' nonces and answers move out of the scan log

Revision ID: 5c1e7a0d2b94
Revises: 89e11dc72f51
Create Date: 2026-12-02 05:00:00

Each scan's (actor, nonce, answer) becomes a ledger entry with the scan's own id: a scan's id is its
ledger entry's from now on. The stored answers gain their scan's id (the old code added it when replaying).
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


revision = "5c1e7a0d2b94"
down_revision = "89e11dc72f51"
branch_labels = None
depends_on = None


def upgrade():
    ledger = op.create_table(
        "ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("recorded_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
        sa.UniqueConstraint("actor", "nonce", name=op.f("uq_ledger_entry_actor_nonce")),
    )
    connection = op.get_bind()
    scans = sa.table(
        "scan",
        sa.column("id", sa.Integer()),
        sa.column("actor", sa.String()),
        sa.column("nonce", sa.String()),
        sa.column("answer", sa.JSON()),
        sa.column("received_at", netevents.db.UTCDateTime()),
    )
    rows = connection.execute(sa.select(scans.c.id, scans.c.actor, scans.c.nonce, scans.c.answer, scans.c.received_at))
    batch = []
    for scan_id, actor, nonce, answer, received_at in rows:
        batch.append(
            {
                "id": scan_id,
                "actor": actor,
                "nonce": nonce,
                "answer": {**answer, "id": scan_id},
                "recorded_at": received_at,
            }
        )
    if batch:
        connection.execute(ledger.insert(), batch)
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('ledger_entry', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                "FROM ledger_entry"
            )
        )

    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_scan_id_ledger_entry"), "ledger_entry", ["id"], ["id"], ondelete="CASCADE"
        )
        batch_op.drop_constraint(batch_op.f("uq_scan_actor_nonce"), type_="unique")
        batch_op.drop_column("answer")
        batch_op.drop_column("nonce")
        batch_op.drop_column("actor")
    if connection.dialect.name == "postgresql":
        # Ids come from the ledger now.
        op.alter_column("scan", "id", server_default=None)
        op.execute("DROP SEQUENCE IF EXISTS scan_id_seq")


def downgrade():
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("nonce", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("answer", sa.JSON(), nullable=True))
    op.execute(
        "UPDATE scan SET actor = (SELECT actor FROM ledger_entry WHERE ledger_entry.id = scan.id), "
        "nonce = (SELECT nonce FROM ledger_entry WHERE ledger_entry.id = scan.id), "
        "answer = (SELECT answer FROM ledger_entry WHERE ledger_entry.id = scan.id)"
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.alter_column("actor", existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column("nonce", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("answer", existing_type=sa.JSON(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_scan_actor_nonce"), ["actor", "nonce"])
        batch_op.drop_constraint(batch_op.f("fk_scan_id_ledger_entry"), type_="foreignkey")
    op.drop_table("ledger_entry")
