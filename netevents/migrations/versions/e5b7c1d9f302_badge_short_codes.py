"""badge short codes: every registration gets 8 characters of Crockford base32 to type when a camera will not read
its QR code

Existing registrations get a random code each. On SQLite the registration table is rebuilt once (batch mode,
with its AUTOINCREMENT) to make the column NOT NULL; user_account is not touched.

Revision ID: e5b7c1d9f302
Revises: b7e1f0c3d5a2
Create Date: 2026-12-03 08:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "e5b7c1d9f302"
down_revision = "b7e1f0c3d5a2"
branch_labels = None
depends_on = None

#: As netevents/registrations/badge_codes.py had it when this was written.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _codes_for_existing_registrations() -> None:
    registration = sa.table("registration", sa.column("id", sa.Integer), sa.column("badge_code", sa.String))
    bind = op.get_bind()
    ids = bind.execute(sa.select(registration.c.id)).scalars().all()
    given: set[str] = set()
    while len(given) < len(ids):
        given.add("".join(secrets.choice(ALPHABET) for _ in range(8)))
    if ids:
        bind.execute(
            sa.update(registration).where(registration.c.id == sa.bindparam("row_id")),
            [{"row_id": row_id, "badge_code": code} for row_id, code in zip(ids, list(given), strict=True)],
        )


def upgrade():
    op.add_column("registration", sa.Column("badge_code", sa.String(length=8), nullable=True))
    _codes_for_existing_registrations()
    with op.batch_alter_table("registration", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.alter_column("badge_code", existing_type=sa.String(length=8), nullable=False)
        batch_op.create_index(batch_op.f("ix_registration_badge_code"), ["badge_code"], unique=True)


def downgrade():
    with op.batch_alter_table("registration", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_badge_code"))
        batch_op.drop_column("badge_code")
