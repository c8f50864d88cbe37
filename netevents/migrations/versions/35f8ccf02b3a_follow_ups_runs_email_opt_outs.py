"""follow-ups: runs, email opt-outs

Revision ID: 35f8ccf02b3a
Revises: 5e0c7a4b2d19
Create Date: 2026-12-02 15:11:10.709751

- `follow_up_run`: one row per event and kind of follow-up (after the event, stay connected), the claim that makes
  each email go out once whoever runs the job (netevents/follow_ups/models.py).
- `email_opt_out`: the categories of email a person turned off (a table of its own: `user_account` is not rebuilt).
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


# revision identifiers, used by Alembic.
revision = "35f8ccf02b3a"
down_revision = "5e0c7a4b2d19"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "email_opt_out",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum("follow_up", "stay_connected", name="emailcategory", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("created_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_email_opt_out_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_opt_out")),
        sa.UniqueConstraint("user_id", "category", name=op.f("uq_email_opt_out_user_id_category")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "follow_up_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("after_event", "stay_connected", name="followupkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("claim", sa.String(length=32), nullable=False),
        sa.Column("claimed_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_through", sa.Integer(), nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("started_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", netevents.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_follow_up_run_event_id_event"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_run")),
        sa.UniqueConstraint("event_id", "kind", name=op.f("uq_follow_up_run_event_id_kind")),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("follow_up_run")
    op.drop_table("email_opt_out")
