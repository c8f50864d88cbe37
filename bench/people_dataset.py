"""Data for bench/directory_bench.py, built inside the app (run as a subprocess with DATABASE_URL and
NETEVENTS_INSTANCE_PATH set, after `flask db upgrade`).

    python bench/people_dataset.py seed N M OUT_DIR   one event happening now, N confirmed attendees, M connections
                                                     between them, a few hundred blocks; prints JSON (the event's
                                                     id, tokens of viewers)

The organizer, event and one sample registration go through the app's own services; the other attendees
(accounts and registrations, copies of the sample's rows with profiles of their own), connections (both sides, 3%
of sides removed) and blocks are bulk-inserted, thousands per statement. The search index fills itself (triggers
on SQLite, a generated column on PostgreSQL).
"""

import json
import random
import sys
import time
from pathlib import Path

from harness import columns_of, event_now  # also puts the project on the path
from sqlalchemy import insert, select, text, update

from netevents import create_app
from netevents.accounts.models import User, Visibility
from netevents.accounts.services import issue_access_token
from netevents.db import new_secret, utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.people.models import Block, Connection, ConnectionSide
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.models import Registration

VIEWERS = 40
BLOCKS = 300
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
    _organizer, event, sample = event_now("Platform Engineering Summit", hours=8)

    user_template = columns_of(sample.user, "id")
    registration_template = columns_of(sample, "id", "user_id", "badge_secret", "badge_code")
    sharing = [Visibility.everyone] * 16 + [Visibility.connections] * 3 + [Visibility.nobody]
    user_ids: list[int] = [sample.user_id]
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
        db.session.execute(
            insert(Registration),
            [
                {
                    **registration_template,
                    "user_id": user_id,
                    "name": user["name"],
                    "email": user["email"],
                    "badge_secret": new_secret(),
                    "badge_code": new_badge_code(),
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, user in zip(ids, users, strict=True)
            ],
        )
        user_ids.extend(ids)
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
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    opted_in = db.session.scalar(select(text("count(*)")).select_from(User).where(User.directory_opt_in.is_(True)))
    return {
        "event_id": event.id,
        "tokens": tokens,
        "attendees": len(user_ids),
        "opted_in": opted_in,
        "connections": len(ordered),
        "seconds": time.perf_counter() - started,
    }


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        result = seed(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(result))
