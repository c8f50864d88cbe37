"""exchange action labels: an event's own actions keep the words its organizer typed ("Talked AI")

`event_exchange_actions.labels` maps a slug of `custom` to its words. Existing rows get {} (their screens keep
spelling the slug out). ADD COLUMN with a default on SQLite too: no table is rebuilt on the way up; the way down
rebuilds only this small table and forgets the words.

Revision ID: f2a6d8c3b951
Revises: 4d2f8a6c1e57
Create Date: 2026-12-03 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2a6d8c3b951"
down_revision = "4d2f8a6c1e57"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("event_exchange_actions", sa.Column("labels", sa.JSON(), server_default="{}", nullable=False))


def downgrade():
    with op.batch_alter_table("event_exchange_actions", schema=None) as batch_op:
        batch_op.drop_column("labels")
