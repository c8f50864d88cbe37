"""people: topics as rows (user_topic, kept by triggers) and an index of names in directory order

Revision ID: a8c3e5f17b42
Revises: 7d3f2a91c6e5
Create Date: 2026-12-02 15:20:00

- `user_topic`: each topic of a person's three lists (topics, mentoring offered, mentoring sought), lower-cased,
  one row each, rewritten by triggers on `user_account` whenever a list changes (inserts included, so bulk
  inserts keep it too) and deleted with the person (foreign key). The directory's mentoring filters and the
  suggestions read it through its (kind, topic, user_id) index (netevents/people/search.py).
- `ix_user_account_lower_name`: lower(name), id, the directory's order, so a page of a large event is read in
  order from the index instead of sorting everyone who matches.

No table is rebuilt: `user_account` keeps its full-text triggers (migration 7d3f2a91c6e5).
"""

from alembic import op
import sqlalchemy as sa


revision = "a8c3e5f17b42"
down_revision = "7d3f2a91c6e5"
branch_labels = None
depends_on = None

#: kind in user_topic -> the list of user_account it comes from.
LISTS = {"topic": "topics", "offers": "mentoring_offered", "seeks": "mentoring_sought"}


def _sqlite_rows(row: str, source: str = "") -> str:
    """A SELECT of (user_id, kind, topic) for every topic of `row`'s lists (SQLite); `source`: the table `row` is
    read from, for all rows (none: a trigger's row)."""
    return " UNION ".join(
        f"SELECT {row}.id, '{kind}', lower(value) FROM {source}json_each({row}.{column})"
        for kind, column in LISTS.items()
    )


SQLITE_UP = [
    "CREATE TRIGGER user_topic_insert AFTER INSERT ON user_account BEGIN "
    f"INSERT OR IGNORE INTO user_topic (user_id, kind, topic) {_sqlite_rows('new')}; END",
    f"CREATE TRIGGER user_topic_update AFTER UPDATE OF {', '.join(LISTS.values())} ON user_account BEGIN "
    "DELETE FROM user_topic WHERE user_id = old.id; "
    f"INSERT OR IGNORE INTO user_topic (user_id, kind, topic) {_sqlite_rows('new')}; END",
    f"INSERT OR IGNORE INTO user_topic (user_id, kind, topic) {_sqlite_rows('user_account', 'user_account, ')}",
]
SQLITE_DOWN = ["DROP TRIGGER user_topic_update", "DROP TRIGGER user_topic_insert"]


def _postgres_rows(row: str, source: str = "") -> str:
    """The same for PostgreSQL (its JSON columns are json)."""
    lists = ", ".join(f"('{kind}', {row}.{column})" for kind, column in LISTS.items())
    return (
        f"SELECT {row}.id, lists.kind, lower(topics.value) FROM {source}(VALUES {lists}) AS lists (kind, items), "
        "json_array_elements_text(coalesce(lists.items, '[]'::json)) AS topics (value) ON CONFLICT DO NOTHING"
    )


POSTGRES_UP = [
    "CREATE FUNCTION user_topic_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM user_topic WHERE user_id = NEW.id; "
    f"INSERT INTO user_topic (user_id, kind, topic) {_postgres_rows('NEW')}; RETURN NULL; END $$",
    f"CREATE TRIGGER user_topic_sync AFTER INSERT OR UPDATE OF {', '.join(LISTS.values())} ON user_account "
    "FOR EACH ROW EXECUTE FUNCTION user_topic_sync()",
    f"INSERT INTO user_topic (user_id, kind, topic) {_postgres_rows('user_account', 'user_account CROSS JOIN LATERAL ')}",
]
POSTGRES_DOWN = ["DROP TRIGGER user_topic_sync ON user_account", "DROP FUNCTION user_topic_sync()"]


def upgrade():
    op.create_table(
        "user_topic",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_user_topic_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", "topic", name=op.f("pk_user_topic")),
    )
    op.create_index("ix_user_topic_kind_topic", "user_topic", ["kind", "topic", "user_id"], unique=False)
    op.create_index("ix_user_account_lower_name", "user_account", [sa.text("lower(name)"), "id"], unique=False)
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_UP if postgresql else SQLITE_UP:
        op.execute(statement)


def downgrade():
    for statement in POSTGRES_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
    op.drop_index("ix_user_account_lower_name", table_name="user_account")
    op.drop_index("ix_user_topic_kind_topic", table_name="user_topic")
    op.drop_table("user_topic")
