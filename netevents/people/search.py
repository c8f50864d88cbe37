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

Topics are matched in `user_topic` (people/models.py), the rows that triggers keep of each person's three lists, by
its (kind, topic) index. The directory's order, lower(name) then id, has an index of its own (migration a8c3e5f17b42)
so that a page of thousands of matches is read in order rather than sorted.
"""

import re
from collections.abc import Collection, Iterable

from sqlalchemy import ColumnElement, Select, column, func, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSVECTOR

from netevents.accounts.models import User
from netevents.extensions import db
from netevents.people.models import UserTopic

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
#: The index of names in the directory's order (made by migration a8c3e5f17b42, outside the models).
NAME_ORDER_INDEX = "ix_user_account_lower_name"
#: user_topic's kinds: which of a person's lists a topic is in.
TOPICS, MENTORS_IN, SEEKS_MENTOR_IN = "topic", "offers", "seeks"

# A word as both indexes split text: letters and digits (FTS5's unicode61 tokenizer treats "_" as a separator).
_WORD = re.compile(r"[^\W_]+")

_fts = table(SQLITE_TABLE, column("rowid"))
# The generated column, which the model does not map (it exists on PostgreSQL only).
_vector = literal_column(f"{User.__tablename__}.{POSTGRES_COLUMN}", TSVECTOR)


def search_terms(query: str) -> list[str]:
    """The words of what a person typed, lower-cased, each once: the only part of it that reaches the index, so
    nothing typed is ever read as the index's query syntax (quotes, `*`, `NEAR(`, `OR`, `:`, `&`, `!`)."""
    return list(dict.fromkeys(word.lower() for word in _WORD.findall(query)))[:MAX_TERMS]


def matches(terms: Iterable[str], columns: Collection[str], *, lead: bool = True) -> ColumnElement[bool]:
    """Whether every term starts a word ("kub" finds "Kubernetes") in these columns of the person (`User`) of the
    row: on PostgreSQL a test of the row's own vector (the GIN index answers it across a table); on SQLite
    membership in what the FTS5 table finds (computed once per statement).

    `lead=False` (SQLite): the people found are a test of each row, never where the database starts. Starting from
    the thousands of ids a broad term finds, it would look each one up and sort them all, when a page in name order
    is twenty people along the index of names. (PostgreSQL's planner weighs that itself, with its statistics.)"""
    terms, columns = list(terms), _ordered(columns)
    if not terms:
        raise ValueError(f"search for {terms!r} in {columns!r}")
    if _dialect() == "postgresql":
        return _vector_matches(" & ".join(_postgres_term(term, columns) for term in terms))
    return _in_fts(" AND ".join(_sqlite_term(term, columns) for term in terms), lead=lead)


def found_only_in(term: str, columns: Collection[str], others: Collection[str]) -> ColumnElement[bool]:
    """Whether the term starts a word in these columns of the person and in none of the `others` (the few people
    whom a search finds only in details that some viewers may not see)."""
    columns, others = _ordered(columns), _ordered(others)
    if _dialect() == "postgresql":
        return _vector_matches(f"{_postgres_term(term, columns)} & !{_postgres_term(term, others)}")
    return _in_fts(f"{_sqlite_term(term, columns)} NOT {_sqlite_term(term, others)}", lead=False)


def with_topic(kind: str, topic: str) -> Select:
    """The ids of the people whose list `kind` (TOPICS, MENTORS_IN, SEEKS_MENTOR_IN) has this topic, whatever the
    case (of ASCII letters on SQLite)."""
    return select(UserTopic.user_id).where(UserTopic.kind == kind, UserTopic.topic == func.lower(topic))


def _ordered(columns: Collection[str]) -> list[str]:
    if not columns or not set(columns) <= set(SEARCH_COLUMNS):
        raise ValueError(f"search in {columns!r}")
    return sorted(columns, key=SEARCH_COLUMNS.index)


def _postgres_term(term: str, columns: list[str]) -> str:
    return f"'{term}':*{''.join(POSTGRES_WEIGHTS[name] for name in columns)}"


def _vector_matches(tsquery: str) -> ColumnElement[bool]:
    return _vector.bool_op("@@")(func.to_tsquery(literal_column(f"'{POSTGRES_CONFIG}'"), tsquery))


def _sqlite_term(term: str, columns: list[str]) -> str:
    return "{" + " ".join(columns) + "}" + f' : "{term}"*'


def _in_fts(fts_query: str, *, lead: bool) -> ColumnElement[bool]:
    found = select(_fts.c.rowid).where(literal_column(SQLITE_TABLE).bool_op("MATCH")(fts_query))
    # `id + 0` is no column an index has: SQLite cannot start from the ids found, only test each row against them.
    return (User.id if lead else User.id + 0).in_(found)


def include_name(name: str | None, type_: str, _parent_names: dict) -> bool:
    """For Alembic's comparisons: the search index is the migration's, not a model's."""
    if type_ == "table":
        return not (name or "").startswith(SQLITE_TABLE)
    return name not in (POSTGRES_COLUMN, POSTGRES_INDEX, NAME_ORDER_INDEX)


def _dialect() -> str:
    return db.session.get_bind().dialect.name
