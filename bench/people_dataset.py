"""Data for bench/directory_bench.py, built inside the app (run as a subprocess with DATABASE_URL and
NETEVENTS_INSTANCE_PATH set, after `flask db upgrade`).

    python bench/people_dataset.py seed N M OUT_DIR   one event happening now, N confirmed attendees, M connections
                                                     between them, a few hundred blocks, a person who met
                                                     SUMMARY_MET people there, a paired door station; writes
                                                     OUT_DIR/secrets.txt (every badge but the first attendee's);
                                                     prints JSON (the event's id, tokens of viewers, of the
                                                     station, of SCANNERS attendees who meet people and of the summary's person)

The organizer, event and one sample registration go through the app's own services; the other attendees
(accounts and registrations, copies of the sample's rows with profiles of their own), connections (both sides, 3%
of sides removed) and blocks are bulk-inserted, thousands per statement. The search index fills itself (triggers
on SQLite, a generated column on PostgreSQL). The summary's person meets their SUMMARY_MET people through the app's
own `record_exchange`, scanning most of them and scanned by the others, so that their summary has meetings to show;
the statements it takes are counted here, in-process (tests/summary asserts that the count does not grow).
"""

import json
import os
import random
import sys
import time
from pathlib import Path

from harness import columns_of, event_now, scanners  # also puts the project on the path
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, text, update

from netevents import create_app
from netevents.accounts.models import User, Visibility
from netevents.accounts.services import issue_access_token
from netevents.checkin.stations import create_station, pair_station
from netevents.db import new_secret, utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.people.directory import directory
from netevents.people.exchanges import record_exchange
from netevents.people.models import Block, Connection, ConnectionSide
from netevents.people.search import POSTGRES_INDEX, SQLITE_TABLE
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.models import Registration
from netevents.summary.services import event_summary

VIEWERS = 40
#: The summary's person met this many people at the event (scanned 3 in 4 of them, scanned by the others).
SUMMARY_MET = 200
BLOCKS = 300
#: Attendees who meet the people whose badges the door scanned, one per load connection.
#: The attendees who meet people in the exchange rounds: 8 to a load connection, taking turns (bench/loadgen.py).
#: One each, a connection that the server answers faster than the others (a worker holding fewer connections)
#: made 440 exchanges in three rounds, and at 550 a second some went past the 600 a person may make in an hour.
SCANNERS = 8 * int(os.environ.get("BENCH_SCAN_CONNECTIONS", "32"))
CHUNK = 5000

FIRST = [
    "Ada",
    "Grace",
    "Linus",
    "Margaret",
    "Alan",
    "Barbara",
    "Ken",
    "Dennis",
    "Frances",
    "Radia",
    "Guido",
    "Yukihiro",
    "Anders",
    "Bjarne",
    "Katherine",
    "Sophie",
    "Mateo",
    "Lucia",
    "Hugo",
    "Chloe",
    "Amara",
    "Kwame",
    "Priya",
    "Arjun",
    "Mei",
    "Wei",
    "Hana",
    "Yusuf",
    "Fatima",
    "Omar",
    "Lars",
    "Ingrid",
    "Nadia",
    "Tomas",
    "Elena",
    "Marco",
    "Julia",
    "Pedro",
    "Ana",
    "Sven",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Turing",
    "Liskov",
    "Thompson",
    "Ritchie",
    "Allen",
    "Perlman",
    "Rossum",
    "Matsumoto",
    "Hejlsberg",
    "Stroustrup",
    "Johnson",
    "Wilson",
    "Garcia",
    "Martinez",
    "Muller",
    "Dubois",
    "Okafor",
    "Mensah",
    "Sharma",
    "Patel",
    "Chen",
    "Zhang",
    "Tanaka",
    "Yilmaz",
    "Haddad",
    "Nakamura",
    "Larsen",
    "Berg",
    "Novak",
    "Horvat",
    "Rossi",
    "Ferrari",
    "Silva",
    "Santos",
    "Kowalski",
    "Nielsen",
]
COMPANIES = [
    "Analytical Engines",
    "Cloudburst",
    "Kubecorp",
    "Datawell",
    "Northwind",
    "Contoso",
    "Globex",
    "Initech",
    "Umbrella Labs",
    "Hooli",
    "Stark Industries",
    "Wayne Tech",
    "Acme",
    "Vandelay",
    "Pied Piper",
    "Aperture",
    "Cyberdyne",
    "Soylent",
    "Tyrell",
    "Gringotts",
    "Monzo",
    "Zalando",
    "Spotify",
    "Shopify",
    "Mozilla",
    "GitLab",
    "Elastic",
    "Grafana Labs",
    "Canonical",
    "Red Hat",
]
ROLES = [
    "Staff engineer",
    "Principal engineer",
    "Engineering manager",
    "SRE",
    "Platform engineer",
    "Data engineer",
    "Backend developer",
    "Frontend developer",
    "Security engineer",
    "ML engineer",
    "Developer advocate",
    "CTO",
    "Tech lead",
    "QA engineer",
    "Architect",
    "Product manager",
    "Mobile developer",
    "DevOps engineer",
    "Database administrator",
    "Student",
]
# Most popular first: drawn with weights 1/rank, as interest in topics is spread at meetups.
TOPICS = [
    "Kubernetes",
    "Python",
    "Go",
    "Platform engineering",
    "Observability",
    "Rust",
    "Tech leadership",
    "Security",
    "Data engineering",
    "Machine learning",
    "TypeScript",
    "Distributed systems",
    "PostgreSQL",
    "Career growth",
    "Public speaking",
    "Open source",
    "Cloud cost",
    "Testing",
    "Accessibility",
    "Frontend",
    "Developer experience",
    "Incident response",
    "API design",
    "Event sourcing",
    "Kafka",
    "Terraform",
    "eBPF",
    "WebAssembly",
    "Mobile",
    "Product management",
    "Hiring",
    "Mentoring",
    "Architecture",
    "Performance",
    "Site reliability",
    "Compilers",
    "Functional programming",
    "Elixir",
    "Java",
    "Kotlin",
    "Swift",
    "Networking",
    "Linux",
    "Embedded",
    "Privacy",
    "LLMs",
    "Green software",
    "Documentation",
    "Remote work",
    "Startups",
]
TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(TOPICS))]
MENTORING = TOPICS[:20]


def _topics(rng: random.Random, low: int, high: int, vocabulary=TOPICS, weights=TOPIC_WEIGHTS) -> list[str]:
    count = rng.randint(low, high)
    chosen: list[str] = []
    while len(chosen) < count:
        topic = rng.choices(vocabulary, weights[: len(vocabulary)])[0]
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def seed(attendees: int, connections: int, out_dir: Path) -> dict:

    started = time.perf_counter()
    rng = random.Random(20261202)
    organizer, event, sample = event_now("Platform Engineering Summit", hours=8)

    user_template = columns_of(sample.user, "id")
    registration_template = columns_of(sample, "id", "user_id", "badge_secret", "badge_code")
    sharing = [Visibility.everyone] * 16 + [Visibility.connections] * 3 + [Visibility.nobody]
    user_ids: list[int] = [sample.user_id]
    secrets: list[str] = []  # every badge but the sample's, whose person meets them in the exchange runs
    for offset in range(1, attendees, CHUNK):
        now = utcnow()
        users = []
        for n in range(offset, min(offset + CHUNK, attendees)):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            users.append(
                {
                    **user_template,
                    "email": f"attendee{n}@example.org",
                    "name": name,
                    "headline": rng.choice(ROLES),
                    "company": rng.choice(COMPANIES),
                    "topics": _topics(rng, 1, 5),
                    "mentoring_offered": _topics(rng, 0, 2, MENTORING) if rng.random() < 0.3 else [],
                    "mentoring_sought": _topics(rng, 0, 2, MENTORING) if rng.random() < 0.4 else [],
                    "directory_opt_in": rng.random() < 0.85,
                    "headline_visibility": rng.choice(sharing),
                    "company_visibility": rng.choice(sharing),
                    "email_visibility": rng.choice([Visibility.connections, Visibility.everyone, Visibility.nobody]),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users).all()
        chunk_secrets = [new_secret() for _ in users]
        db.session.execute(
            insert(Registration),
            [
                {
                    **registration_template,
                    "user_id": user_id,
                    "name": user["name"],
                    "email": user["email"],
                    "badge_secret": secret,
                    "badge_code": new_badge_code(),
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, user, secret in zip(ids, users, chunk_secrets, strict=True)
            ],
        )
        user_ids.extend(ids)
        secrets.extend(chunk_secrets)
    db.session.execute(
        update(Event).where(Event.id == event.id).values(confirmed_count=Event.confirmed_count + attendees - 1)
    )

    pairs: set[tuple[int, int]] = set()
    while len(pairs) < connections:
        one, other = rng.sample(user_ids, 2)
        pairs.add((min(one, other), max(one, other)))
    ordered = sorted(pairs)
    now = utcnow()
    first_id = (db.session.scalar(select(Connection.id).order_by(Connection.id.desc()).limit(1)) or 0) + 1
    for offset in range(0, len(ordered), CHUNK):
        chunk = list(enumerate(ordered[offset : offset + CHUNK], start=first_id + offset))
        db.session.execute(
            insert(Connection),
            [{"id": cid, "low_id": low, "high_id": high, "created_at": now} for cid, (low, high) in chunk],
        )
        sides = []
        for cid, (low, high) in chunk:
            for user_id, other_id in ((low, high), (high, low)):
                removed = now if rng.random() < 0.03 else None
                sides.append(
                    {
                        "connection_id": cid,
                        "user_id": user_id,
                        "other_id": other_id,
                        "tags": [],
                        "note": "",
                        "removed_at": removed,
                        "updated_at": now,
                    }
                )
        db.session.execute(insert(ConnectionSide), sides)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('connection', 'id'), max(id)) FROM connection"))
    blocks: set[tuple[int, int]] = set()
    while len(blocks) < BLOCKS:
        blocks.add(tuple(rng.sample(user_ids, 2)))  # type: ignore[arg-type]
    db.session.execute(insert(Block), [{"blocker_id": a, "blocked_id": b, "created_at": now} for a, b in blocks])
    db.session.commit()

    viewers = rng.sample(user_ids, VIEWERS)
    tokens = [issue_access_token(db.session.get(User, user_id)) for user_id in viewers]
    db.session.commit()
    summary_person, summary_statements = _summary_person(event.id, user_ids[1], secrets[1 : SUMMARY_MET + 1])
    station = create_station(event.id, organizer, "Door 1")
    db.session.commit()
    station_token = pair_station(station.pairing_code)[1]
    scanner_tokens = scanners(event, SCANNERS)
    secrets_file = out_dir / "secrets.txt"
    secrets_file.write_text("\n".join(secrets) + "\n")
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What a database that has been serving an event for a while looks like (and what pgbench does before its
        # runs): statistics gathered, and the bulk-inserted rows vacuumed. Otherwise autovacuum works through the
        # 300,000 new rows during the first requests measured.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    opted_in = db.session.scalar(select(text("count(*)")).select_from(User).where(User.directory_opt_in.is_(True)))
    return {
        "event_id": event.id,
        "tokens": tokens,
        "attendees": len(user_ids),
        "opted_in": opted_in,
        "connections": len(ordered),
        "search_plans": {q: _search_plan(event.id, user_ids[1], q) for q in ("garcia", "kub", "staff eng")},
        "summary_token": summary_person,
        "summary_statements": summary_statements,
        "station_token": station_token,
        "scanner_tokens": scanner_tokens,
        "secrets_file": str(secrets_file),
        "seconds": time.perf_counter() - started,
    }


def _summary_person(event_id: int, user_id: int, met: list[str]) -> tuple[str, int]:
    """The person whose summary is timed: they meet the people of these badges through `record_exchange`, scanning
    three in four of them and scanned by the others. Their token, and the SQL statements their summary takes."""
    person = db.session.get(User, user_id)
    ids_of = dict(
        db.session.execute(
            select(Registration.badge_secret, Registration.user_id).where(Registration.badge_secret.in_(met))
        ).all()
    )
    own_secret = db.session.scalar(select(Registration.badge_secret).where(Registration.user_id == user_id))
    for number, secret in enumerate(met):
        if number % 4:
            scanner, badge = person, secret
        else:
            scanner, badge = db.session.get(User, ids_of[secret]), own_secret
        record_exchange(scanner, {"qr": badge, "nonce": f"summary-{number}", "actions": ["introduced"]})
        db.session.commit()
    statements: list[str] = []

    def count(*_args) -> None:
        statements.append("")

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        summary = event_summary(event_id, db.session.get(User, user_id))
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    if len(summary.met) < len(met) * 0.9:  # a block between them leaves a few out
        raise RuntimeError(f"the summary shows {len(summary.met)} of the {len(met)} people met")
    token = issue_access_token(db.session.get(User, user_id))
    db.session.commit()
    return token, len(statements)


def _search_plan(event_id: int, viewer_id: int, q: str) -> dict:
    """How the database runs a directory search for `q`, asked of its planner (EXPLAIN) with the statements the
    directory sends: whether they read the full-text index (the FTS5 table, the GIN index), and the plans."""
    statements: list[tuple[str, object]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:
        if "MATCH" in statement or "@@" in statement:
            statements.append((statement, parameters))

    sa_event.listen(db.engine, "before_cursor_execute", keep)
    try:
        directory(db.session.get(User, viewer_id), event_id, page=1, per_page=20, q=q)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", keep)
    postgres = db.engine.dialect.name == "postgresql"
    plans = []
    for statement, parameters in statements:
        rows = db.session.connection().exec_driver_sql(
            f"{'EXPLAIN' if postgres else 'EXPLAIN QUERY PLAN'} {statement}", parameters
        )
        plans.append("\n".join(str(row[-1]) for row in rows))
    index = POSTGRES_INDEX if postgres else f"{SQLITE_TABLE} VIRTUAL TABLE INDEX"
    uses = [(POSTGRES_INDEX in plan) if postgres else ("VIRTUAL TABLE INDEX" in plan) for plan in plans]
    db.session.rollback()
    return {
        "statements": len(plans),
        "using_index": sum(uses),
        "index": index,
        "reading_every_person": sum(_reads_every_person(plan, postgres) for plan in plans),
        "plans": plans,
    }


def _reads_every_person(plan: str, postgres: bool) -> bool:
    """Whether a plan reads the table of people from end to end, in no index (PostgreSQL's sequential scan,
    SQLite's SCAN without USING). Walking the index of names in order to a page's first twenty, or to the count's
    cap, testing each person against the search, is not that: it stops there."""
    if postgres:
        return f"Seq Scan on {User.__tablename__}" in plan
    return any(line.strip() == f"SCAN {User.__tablename__}" for line in plan.splitlines())


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        result = seed(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(result))
