"""venue posters for self check-in: a station's kind (door or poster), a poster's hashed secret, and the hashes of
replaced posters' secrets so an old print answers "replaced"

Revision ID: e6a1f3b8c925
Revises: 9c2d4e6f8a10
Create Date: 2026-12-03 08:00:00
"""

from alembic import op
import sqlalchemy as sa

import netevents.db


revision = "e6a1f3b8c925"
down_revision = "9c2d4e6f8a10"
branch_labels = None
depends_on = None


def upgrade():
    # Columns added in place (ALTER TABLE ... ADD COLUMN) and an index: the station table is not rebuilt on SQLite.
    op.add_column("station", sa.Column("kind", sa.String(length=10), server_default="door", nullable=False))
    op.add_column("station", sa.Column("poster_secret_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_station_poster_secret_hash"), "station", ["poster_secret_hash"], unique=True)
    op.create_table(
        "replaced_poster",
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("replaced_at", netevents.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_replaced_poster_station_id_station"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("secret_hash", name=op.f("pk_replaced_poster")),
    )
    op.create_index(op.f("ix_replaced_poster_station_id"), "replaced_poster", ["station_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_replaced_poster_station_id"), table_name="replaced_poster")
    op.drop_table("replaced_poster")
    op.drop_index(op.f("ix_station_poster_secret_hash"), table_name="station")
    with op.batch_alter_table("station", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("poster_secret_hash")
        batch_op.drop_column("kind")
