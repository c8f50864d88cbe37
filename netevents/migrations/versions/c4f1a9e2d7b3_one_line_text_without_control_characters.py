"""one-line text stored before input was checked loses its control characters

Revision ID: c4f1a9e2d7b3
Revises: 4d9a6c2e8b17
Create Date: 2026-12-02 12:15:00

Titles, names, headlines, companies, venues and station names are one line of text: the API refuses control
characters in them now (netevents/schemas.py). Those stored before keep no line break, tab or other control
character: each run of them becomes one space (a title with a line break made every email that quoted it fail).
Data only; the downgrade has nothing to put back.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "c4f1a9e2d7b3"
down_revision = "4d9a6c2e8b17"
branch_labels = None
depends_on = None

ONE_LINE = {
    "event": ("title", "venue"),
    "user_account": ("name", "headline", "company"),
    "registration": ("name", "headline", "company", "checked_in_station"),
    "station": ("name",),
}
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def upgrade():
    connection = op.get_bind()
    for table_name, columns in ONE_LINE.items():
        table = sa.table(table_name, sa.column("id"), *(sa.column(name) for name in columns))
        for row in connection.execute(sa.select(table)).mappings().all():
            cleaned = {
                name: CONTROL.sub(" ", row[name]).strip()
                for name in columns
                if row[name] is not None and CONTROL.search(row[name])
            }
            if cleaned:
                connection.execute(sa.update(table).where(table.c.id == row["id"]).values(**cleaned))


def downgrade():
    pass
