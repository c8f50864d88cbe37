"""people: connections (one per pair), each side's record, exchanges (meetings), blocks, event exchange actions

Revision ID: ebb75190d70b
Revises: 3a7d2e9c41f8
Create Date: 2026-12-02 04:48:10.324449
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


# revision identifiers, used by Alembic.
revision = "ebb75190d70b"
down_revision = "3a7d2e9c41f8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("blocker_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("blocker_id <> blocked_id", name=op.f("ck_block_not_self")),
        sa.ForeignKeyConstraint(
            ["blocked_id"], ["user_account.id"], name=op.f("fk_block_blocked_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["blocker_id"], ["user_account.id"], name=op.f("fk_block_blocker_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_block")),
        sa.UniqueConstraint("blocker_id", "blocked_id", name=op.f("uq_block_blocker_id_blocked_id")),
    )
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_block_blocked_id"), ["blocked_id"], unique=False)

    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("low_id", sa.Integer(), nullable=False),
        sa.Column("high_id", sa.Integer(), nullable=False),
        sa.Column("created_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("low_id < high_id", name=op.f("ck_connection_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["high_id"], ["user_account.id"], name=op.f("fk_connection_high_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["low_id"], ["user_account.id"], name=op.f("fk_connection_low_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("low_id", "high_id", name=op.f("uq_connection_low_id_high_id")),
    )
    with op.batch_alter_table("connection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connection_high_id"), ["high_id"], unique=False)

    op.create_table(
        "event_exchange_actions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("custom", sa.JSON(), nullable=False),
        sa.Column("updated_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_event_exchange_actions_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_exchange_actions")),
    )
    op.create_table(
        "connection_side",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("followed_up_at", netevents.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("removed_at", netevents.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_connection_side_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["user_account.id"], name=op.f("fk_connection_side_other_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_connection_side_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection_side")),
        sa.UniqueConstraint("connection_id", "user_id", name=op.f("uq_connection_side_connection_id_user_id")),
    )
    with op.batch_alter_table("connection_side", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_connection_side_other_id"), ["other_id"], unique=False)
        batch_op.create_index("ix_connection_side_user_other", ["user_id", "other_id"], unique=False)

    op.create_table(
        "exchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("scanner_id", sa.Integer(), nullable=False),
        sa.Column("scanned_id", sa.Integer(), nullable=False),
        sa.Column("ledger_entry_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("scanned_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"], ["connection.id"], name=op.f("fk_exchange_connection_id_connection"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_exchange_event_id_event"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["ledger_entry_id"],
            ["ledger_entry.id"],
            name=op.f("fk_exchange_ledger_entry_id_ledger_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scanned_id"], ["user_account.id"], name=op.f("fk_exchange_scanned_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["scanner_id"], ["user_account.id"], name=op.f("fk_exchange_scanner_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange")),
        sa.UniqueConstraint("ledger_entry_id", name=op.f("uq_exchange_ledger_entry_id")),
    )
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_connection_id"), ["connection_id"], unique=False)
        batch_op.create_index("ix_exchange_event_scanned", ["event_id", "scanned_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_scanned_id"), ["scanned_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exchange_scanner_id"), ["scanner_id"], unique=False)


def downgrade():
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_scanner_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_scanned_id"))
        batch_op.drop_index("ix_exchange_event_scanned")
        batch_op.drop_index(batch_op.f("ix_exchange_connection_id"))

    op.drop_table("exchange")
    with op.batch_alter_table("connection_side", schema=None) as batch_op:
        batch_op.drop_index("ix_connection_side_user_other")
        batch_op.drop_index(batch_op.f("ix_connection_side_other_id"))

    op.drop_table("connection_side")
    op.drop_table("event_exchange_actions")
    with op.batch_alter_table("connection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_connection_high_id"))

    op.drop_table("connection")
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_block_blocked_id"))

    op.drop_table("block")
