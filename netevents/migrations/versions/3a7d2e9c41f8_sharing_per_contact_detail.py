"""sharing chosen per contact detail, and a phone number

Revision ID: 3a7d2e9c41f8
Revises: 5c1e7a0d2b94
Create Date: 2026-12-02 04:40:00

A person's one `contact_sharing` choice (for email and links) becomes a visibility per contact detail:
email and links keep what it said ("public" is now "everyone"), the new phone is shared with connections,
company and headline (printed on the badge) with everyone. The downgrade takes contact_sharing back from
the email's visibility.
"""

from alembic import op
import sqlalchemy as sa


revision = "3a7d2e9c41f8"
down_revision = "5c1e7a0d2b94"
branch_labels = None
depends_on = None

DETAILS = ("email", "phone", "links", "company", "headline")
VISIBILITY = sa.Enum("everyone", "connections", "nobody", name="visibility", native_enum=False, length=20)
CONTACT_SHARING = sa.Enum("public", "connections", "nobody", name="contactsharing", native_enum=False, length=20)


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(length=40), nullable=True))
        for detail in DETAILS:
            batch_op.add_column(sa.Column(f"{detail}_visibility", VISIBILITY, nullable=True))
    op.execute(
        "UPDATE user_account SET phone = '', "
        "email_visibility = CASE contact_sharing WHEN 'public' THEN 'everyone' ELSE contact_sharing END, "
        "links_visibility = CASE contact_sharing WHEN 'public' THEN 'everyone' ELSE contact_sharing END, "
        "phone_visibility = 'connections', company_visibility = 'everyone', headline_visibility = 'everyone'"
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("phone", existing_type=sa.String(length=40), nullable=False)
        for detail in DETAILS:
            batch_op.alter_column(f"{detail}_visibility", existing_type=VISIBILITY, nullable=False)
        batch_op.drop_column("contact_sharing")


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_sharing", CONTACT_SHARING, nullable=True))
    op.execute(
        "UPDATE user_account SET contact_sharing = "
        "CASE email_visibility WHEN 'everyone' THEN 'public' ELSE email_visibility END"
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.alter_column("contact_sharing", existing_type=CONTACT_SHARING, nullable=False)
        for detail in reversed(DETAILS):
            batch_op.drop_column(f"{detail}_visibility")
        batch_op.drop_column("phone")
