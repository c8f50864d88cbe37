"""Finding people by words, in each database's own full-text index, and matching topics in their JSON lists.

The index covers four columns of a person: `name`, `headline`, `company` and `interests` (the words of their
topics and of what they mentor in and look for a mentor in), so that a search can be limited to the columns a
viewer may see (people/directory.py asks people/visibility.py which).

- SQLite: `user_search`, an FTS5 table with external content (the view `user_search_source` over
  `user_account`), kept in sync by triggers on `user_account`; column filters limit a query to columns.
- PostgreSQL: `user_account.search_vector`, a generated tsvector column with a GIN index, each column under
  its own weight (name A, headline B, company C, interests D); weight labels limit a query to columns. Its text
  search configuration, `people_search`, is 'simple' with accents removed (unaccent).

Both are made by the migration 7d3f2a91c6e5, outside the models (`include_name` keeps them out of autogenerate).
"""

import re
from collections.abc import Collection, Iterable

from sqlalchemy import ColumnElement, column, exists, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSVECTOR

from netevents.accounts.models import User
from netevents.extensions import db

#: What a search can look in.
SEARCH_COLUMNS = ("name", "headline", "company", "interests")
#: At most this many words of a query are searched for (each must match).
MAX_TERMS = 8

SQLITE_TABLE = "user_search"
SQLITE_SOURCE = "user_search_source"
POSTGRES_COLUMN = "search_vector"
POSTGRES_INDEX = "ix_user_account_search_vector"
POSTGRES_CONFIG = "people_search"
POSTGRES_WEIGHTS = {"name": "A", "headline": "B", "company": "C", "interests": "D"}

# A word as both indexes split text: letters and digits (FTS5's unicode61 tokenizer treats "_" as a separator).
_WORD = re.compile(r"[^\W_]+")

_fts = table(SQLITE_TABLE, column("rowid"))
# The generated column, which the model does not map (it exists on PostgreSQL only).
_vector = literal_column(f"{User.__tablename__}.{POSTGRES_COLUMN}", TSVECTOR)
# The function that lists a JSON array's elements as rows of a column named "value".
_JSON_ELEMENTS = {"sqlite": func.json_each, "postgresql": func.json_array_elements_text}


def search_terms(query: str) -> list[str]:
    """The words of what a person typed, lower-cased, each once: the only part of it that reaches the index, so
    nothing typed is ever read as the index's query syntax (quotes, `*`, `NEAR(`, `OR`, `:`, `&`, `!`)."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(query)))[:MAX_TERMS]


def matches(terms: Iterable[str], columns: Collection[str]) -> ColumnElement[bool]:
    """Whether every term starts a word ("kub" finds "Kubernetes") in these columns of the person (`User`) of the
    row: on PostgreSQL a test of the row's own vector (the GIN index answers it across a table); on SQLite
    membership in what the FTS5 table finds (computed once per statement)."""
    terms, columns = list(terms), sorted(columns, key=SEARCH_COLUMNS.index)
    if not terms or not columns or not set(columns) <= set(SEARCH_COLUMNS):
        raise ValueError(f"search for {terms!r} in {columns!r}")
    if _dialect() == "postgresql":
        weights = "".join(POSTGRES_WEIGHTS[name] for name in columns)
        tsquery = " & ".join(f"'{term}':*{weights}" for term in terms)
        return _vector.bool_op("@@")(func.to_tsquery(literal_column(f"'{POSTGRES_CONFIG}'"), tsquery))
    filter_ = "{" + " ".join(columns) + "}"
    fts_query = " AND ".join(f'{filter_} : "{term}"*' for term in terms)
    return User.id.in_(select(_fts.c.rowid).where(literal_column(SQLITE_TABLE).bool_op("MATCH")(fts_query)))


def in_list(json_list: ColumnElement, topic: str) -> ColumnElement[bool]:
    """Whether a JSON list of topics has this one, whatever the case (of ASCII letters on SQLite)."""
    elements = _JSON_ELEMENTS[_dialect()](json_list).table_valued("value")
    return exists().select_from(elements).where(func.lower(elements.c.value) == func.lower(topic))


def count_in_list(json_list: ColumnElement, topics: Collection[str]) -> ColumnElement[int]:
    """How many of a JSON list's topics are among `topics`, whatever the case."""
    if not topics:
        return literal(0)
    elements = _JSON_ELEMENTS[_dialect()](json_list).table_valued("value")
    return (
        select(func.count())
        .select_from(elements)
        .where(func.lower(elements.c.value).in_([func.lower(topic) for topic in topics]))
        .scalar_subquery()
    )


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """For Alembic's comparisons: the search index is the migration's, not a model's."""
    if type_ == "table":
        return not (name or "").startswith(SQLITE_TABLE)
    return name not in (POSTGRES_COLUMN, POSTGRES_INDEX)


def _dialect() -> str:
    return db.session.get_bind().dialect.name
