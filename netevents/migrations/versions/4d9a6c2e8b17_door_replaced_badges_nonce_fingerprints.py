"""door: replaced badge secrets (hashed) so the door can say "replaced", and a fingerprint per ledger entry so a
nonce reused for another request is refused

Revision ID: 4d9a6c2e8b17
Revises: 7b1e5c9d3a20
Create Date: 2026-12-03 09:00:00
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


revision = "4d9a6c2e8b17"
down_revision = "7b1e5c9d3a20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "replaced_badge",
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("replaced_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_replaced_badge_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("secret_hash", name=op.f("pk_replaced_badge")),
    )
    with op.batch_alter_table("replaced_badge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_replaced_badge_registration_id"), ["registration_id"], unique=False)
    # Existing entries keep no fingerprint: they match any request, as before.
    with op.batch_alter_table("ledger_entry", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table("ledger_entry", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("fingerprint")
    with op.batch_alter_table("replaced_badge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_replaced_badge_registration_id"))
    op.drop_table("replaced_badge")
