"""people search: a full-text index over name, headline, company and interests (FTS5 / tsvector + GIN)

Revision ID: 7d3f2a91c6e5
Revises: c4f1a9e2d7b3
Create Date: 2026-12-02 11:40:00

The directory searches people in the database's own full-text index (netevents/people/search.py reads it):
- SQLite: `user_search`, an FTS5 table whose external content is the view `user_search_source` (interests: the
  words of topics, mentoring offered and sought), kept in sync by three triggers on `user_account`.
- PostgreSQL: a generated tsvector column `user_account.search_vector` (name A, headline B, company C,
  interests D) with a GIN index, in the text search configuration `people_search` ('simple', and unaccent when
  the server has it: "jose" finds José as on SQLite).

On SQLite, a later migration that makes Alembic recreate `user_account` (a batch operation other than adding a
column) drops the triggers with the old table: it must create them again (tests/people/test_search.py fails
otherwise).
"""

from alembic import op


revision = "7d3f2a91c6e5"
down_revision = "c4f1a9e2d7b3"
branch_labels = None
depends_on = None

LISTS = ("topics", "mentoring_offered", "mentoring_sought")
COLUMNS = "name, headline, company, interests"


def _interests(row: str) -> str:
    """The words of a person's topic lists as one text (SQLite)."""
    parts = [f"coalesce((SELECT group_concat(value, ' ') FROM json_each({row}.{name})), '')" for name in LISTS]
    return "trim(" + " || ' ' || ".join(parts) + ")"


def _values(row: str) -> str:
    return f"{row}.id, {row}.name, {row}.headline, {row}.company, {_interests(row)}"


SQLITE_UP = [
    f"CREATE VIEW user_search_source ({COLUMNS.replace('name', 'id, name', 1)}) AS "
    f"SELECT {_values('user_account')} FROM user_account",
    "CREATE VIRTUAL TABLE user_search USING fts5("
    f"{COLUMNS}, content='user_search_source', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER user_search_insert AFTER INSERT ON user_account BEGIN "
    f"INSERT INTO user_search (rowid, {COLUMNS}) VALUES ({_values('new')}); END",
    "CREATE TRIGGER user_search_delete AFTER DELETE ON user_account BEGIN "
    f"INSERT INTO user_search (user_search, rowid, {COLUMNS}) VALUES ('delete', {_values('old')}); END",
    "CREATE TRIGGER user_search_update AFTER UPDATE OF name, headline, company, "
    f"{', '.join(LISTS)} ON user_account BEGIN "
    f"INSERT INTO user_search (user_search, rowid, {COLUMNS}) VALUES ('delete', {_values('old')}); "
    f"INSERT INTO user_search (rowid, {COLUMNS}) VALUES ({_values('new')}); END",
    # Not 'rebuild': FTS5 refuses to read a content view that calls json_each while it writes itself.
    f"INSERT INTO user_search (rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM user_search_source",
]
SQLITE_DOWN = [
    "DROP TRIGGER user_search_update",
    "DROP TRIGGER user_search_delete",
    "DROP TRIGGER user_search_insert",
    "DROP TABLE user_search",
    "DROP VIEW user_search_source",
]


#: PostgreSQL's text search configuration for people: 'simple' (no stemming, no stop words: names are not
#: English), with accents removed first when the unaccent extension is available (it is trusted since PostgreSQL 13).
CONFIG = "people_search"
ACCENTED_TOKENS = "word, hword, hword_part, numword, numhword, hword_numpart"


def _vector(name: str, weight: str, *, json: bool = False) -> str:
    words = f"json_to_tsvector('{CONFIG}', {name}, '[\"string\"]')" if json else f"to_tsvector('{CONFIG}', {name})"
    return f"setweight({words}, '{weight}')"


POSTGRES_VECTOR = " || ".join(
    [_vector("name", "A"), _vector("headline", "B"), _vector("company", "C")]
    + [_vector(name, "D", json=True) for name in LISTS]
)
POSTGRES_UP = [
    f"ALTER TABLE user_account ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED",
    "CREATE INDEX ix_user_account_search_vector ON user_account USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_user_account_search_vector",
    "ALTER TABLE user_account DROP COLUMN search_vector",
    f"DROP TEXT SEARCH CONFIGURATION {CONFIG}",
]


def _postgres_config() -> None:
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    available = op.get_bind().exec_driver_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    if available.first() is not None:
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR {ACCENTED_TOKENS} WITH unaccent, simple"
        )


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        _postgres_config()
    for statement in POSTGRES_UP if postgresql else SQLITE_UP:
        op.execute(statement)


def downgrade():
    for statement in POSTGRES_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
