"""Who sent an email to someone else, and for which event (their daily allowance); a sign-up's password on its link

Revision ID: 2b8e4d6f9a13
Revises: 7f3c9a1d5e20
Create Date: 2026-12-02 11:28:32.614652

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "2b8e4d6f9a13"
down_revision = "7f3c9a1d5e20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("magic_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))

    # SQLite rebuilds the table for the foreign keys, from its reflection, which does not carry AUTOINCREMENT.
    with op.batch_alter_table("outgoing_email", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column("sender_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("allowance", sa.String(length=20), nullable=True))
        batch_op.create_index("ix_outgoing_email_sender_created", ["sender_id", "created_at"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outgoing_email_sender_id_user_account"),
            "user_account",
            ["sender_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outgoing_email_event_id_event"), "event", ["event_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    # SQLite rebuilds the table for the foreign keys, from its reflection, which does not carry AUTOINCREMENT.
    with op.batch_alter_table("outgoing_email", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outgoing_email_event_id_event"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_outgoing_email_sender_id_user_account"), type_="foreignkey")
        batch_op.drop_index("ix_outgoing_email_sender_created")
        batch_op.drop_column("allowance")
        batch_op.drop_column("event_id")
        batch_op.drop_column("sender_id")

    with op.batch_alter_table("magic_link", schema=None) as batch_op:
        batch_op.drop_column("password_hash")
