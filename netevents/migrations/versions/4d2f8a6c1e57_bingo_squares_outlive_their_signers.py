"""bingo squares outlive their signers: a square signed by someone who deletes their account stays signed

signer_id and exchange_id become nullable and are set to NULL (no longer CASCADE) when the signer's account, or
the meeting, is deleted: the square is the card owner's achievement. On SQLite bingo_square is rebuilt once (batch
mode, with its AUTOINCREMENT and its check); user_account is not touched.

Revision ID: 4d2f8a6c1e57
Revises: e5b7c1d9f302
Create Date: 2026-12-03 14:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "4d2f8a6c1e57"
down_revision = "e5b7c1d9f302"
branch_labels = None
depends_on = None


def _refer(nullable: bool, ondelete: str) -> None:
    with op.batch_alter_table("bingo_square", schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_bingo_square_signer_id_user_account"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_bingo_square_exchange_id_exchange"), type_="foreignkey")
        batch_op.alter_column("signer_id", existing_type=sa.Integer(), nullable=nullable)
        batch_op.alter_column("exchange_id", existing_type=sa.Integer(), nullable=nullable)
        batch_op.create_foreign_key(
            batch_op.f("fk_bingo_square_signer_id_user_account"),
            "user_account",
            ["signer_id"],
            ["id"],
            ondelete=ondelete,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_bingo_square_exchange_id_exchange"), "exchange", ["exchange_id"], ["id"], ondelete=ondelete
        )


def upgrade():
    _refer(True, "SET NULL")


def downgrade():
    # Squares whose signer or meeting is gone cannot be kept under NOT NULL: they go, as they did before.
    square = sa.table("bingo_square", sa.column("signer_id", sa.Integer), sa.column("exchange_id", sa.Integer))
    op.execute(sa.delete(square).where(sa.or_(square.c.signer_id.is_(None), square.c.exchange_id.is_(None))))
    _refer(False, "CASCADE")
