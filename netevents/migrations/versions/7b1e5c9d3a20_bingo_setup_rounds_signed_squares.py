"""bingo: each event's card setup, timed rounds, and the squares exchanges signed (unique per square, per person met, per exchange)

Revision ID: 7b1e5c9d3a20
Revises: ebb75190d70b
Create Date: 2026-12-02 11:25:22.597335
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


# revision identifiers, used by Alembic.
revision = "7b1e5c9d3a20"
down_revision = "ebb75190d70b"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bingo_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("started_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_early", sa.Boolean(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_bingo_round_event_id_event"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["user_account.id"],
            name=op.f("fk_bingo_round_started_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bingo_round")),
    )
    with op.batch_alter_table("bingo_round", schema=None) as batch_op:
        batch_op.create_index("ix_bingo_round_event_started", ["event_id", "started_at"], unique=False)

    op.create_table(
        "bingo_setup",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("round_minutes", sa.Integer(), nullable=False),
        sa.Column("updated_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_bingo_setup_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_bingo_setup")),
    )
    op.create_table(
        "bingo_square",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("exchange_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("owner_id <> signer_id", name=op.f("ck_bingo_square_not_self")),
        sa.ForeignKeyConstraint(
            ["exchange_id"], ["exchange.id"], name=op.f("fk_bingo_square_exchange_id_exchange"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_bingo_square_owner_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["bingo_round.id"], name=op.f("fk_bingo_square_round_id_bingo_round"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["user_account.id"], name=op.f("fk_bingo_square_signer_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bingo_square")),
        sa.UniqueConstraint("exchange_id", name=op.f("uq_bingo_square_exchange_id")),
        sa.UniqueConstraint(
            "round_id", "owner_id", "position", name=op.f("uq_bingo_square_round_id_owner_id_position")
        ),
        sa.UniqueConstraint(
            "round_id", "owner_id", "signer_id", name=op.f("uq_bingo_square_round_id_owner_id_signer_id")
        ),
    )
    with op.batch_alter_table("bingo_square", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bingo_square_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_bingo_square_signer_id"), ["signer_id"], unique=False)


def downgrade():
    with op.batch_alter_table("bingo_square", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bingo_square_signer_id"))
        batch_op.drop_index(batch_op.f("ix_bingo_square_owner_id"))

    op.drop_table("bingo_square")
    op.drop_table("bingo_setup")
    with op.batch_alter_table("bingo_round", schema=None) as batch_op:
        batch_op.drop_index("ix_bingo_round_event_started")

    op.drop_table("bingo_round")
