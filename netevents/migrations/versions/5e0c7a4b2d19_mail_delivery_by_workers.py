"""mail delivered by workers: each email's next attempt, the claim of the worker sending it and its lease

Revision ID: 5e0c7a4b2d19
Revises: a8c3e5f17b42
Create Date: 2026-12-02 15:20:00

Emails a process claimed under the old scheme (status 'sending', no lease) are queued again: the new workers
would never see them otherwise.
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


revision = "5e0c7a4b2d19"
down_revision = "a8c3e5f17b42"
branch_labels = None
depends_on = None


def upgrade():
    # Adding columns and indexes only: SQLite alters the table in place (no rebuild).
    with op.batch_alter_table("outgoing_email", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", netevents.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", netevents.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outgoing_email_claimed_by"), ["claimed_by"], unique=False)
        batch_op.create_index("ix_outgoing_email_event_created", ["event_id", "created_at"], unique=False)
    op.execute("UPDATE outgoing_email SET status = 'queued' WHERE status = 'sending'")


def downgrade():
    with op.batch_alter_table("outgoing_email", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_index("ix_outgoing_email_event_created")
        batch_op.drop_index(batch_op.f("ix_outgoing_email_claimed_by"))
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("next_attempt_at")
