"""follow-up failures and chunks: a person whose email could not be written is recorded, and the run goes on;
workers share a run a chunk at a time

Revision ID: b7e1f0c3d5a2
Revises: e6a1f3b8c925
Create Date: 2026-12-03 08:15:00

- `follow_up_run.failed`: how many people's emails could not be written ("finished with N failures").
- `follow_up_failure`: who (their registration) and why, for the organizer (netevents/follow_ups/models.py).
- `follow_up_chunk`: a range of a run's registrations claimed by one worker (with a lease) at a time.
"""

from alembic import op
import sqlalchemy as sa

import netevents.db

revision = "b7e1f0c3d5a2"
down_revision = "e6a1f3b8c925"
branch_labels = None
depends_on = None


def upgrade():
    # A column with a default: ALTER TABLE ... ADD COLUMN on SQLite too, no table rebuilt.
    op.add_column("follow_up_run", sa.Column("failed", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "follow_up_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("failed_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["follow_up_run.id"], name=op.f("fk_follow_up_failure_run_id_follow_up_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_follow_up_failure_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_failure")),
        sa.UniqueConstraint("run_id", "registration_id", name=op.f("uq_follow_up_failure_run_id_registration_id")),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "follow_up_chunk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("after_id", sa.Integer(), nullable=False),
        sa.Column("through_id", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", netevents.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["follow_up_run.id"], name=op.f("fk_follow_up_chunk_run_id_follow_up_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_chunk")),
        sa.UniqueConstraint("run_id", "after_id", name=op.f("uq_follow_up_chunk_run_id_after_id")),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("follow_up_chunk")
    op.drop_table("follow_up_failure")
    with op.batch_alter_table("follow_up_run") as batch:
        batch.drop_column("failed")
