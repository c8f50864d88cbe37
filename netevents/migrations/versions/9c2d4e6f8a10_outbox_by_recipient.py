"""the outbox by recipient: the per-address email allowances count an address's emails of the last day

Revision ID: 9c2d4e6f8a10
Revises: 35f8ccf02b3a
Create Date: 2026-12-02 17:00:00
"""

from alembic import op

revision = "9c2d4e6f8a10"
down_revision = "35f8ccf02b3a"
branch_labels = None
depends_on = None


def upgrade():
    # An index only: no table is rebuilt on SQLite.
    op.create_index("ix_outgoing_email_to_created", "outgoing_email", ["to_address", "created_at"], unique=False)


def downgrade():
    op.drop_index("ix_outgoing_email_to_created", table_name="outgoing_email")
