"""`make bench`: the directory's search and the suggestions of a 10,000-person event, on SQLite and PostgreSQL.

For each database: migrate, seed one event happening now with BENCH_ATTENDEES confirmed attendees (most opted in
to the directory, topics and mentoring drawn from a realistic vocabulary, popular topics more often, sharing
choices mixed) and BENCH_CONNECTIONS connections between them (each with both sides, a few removed) and a few
hundred blocks, all in bulk with Core inserts (the search index fills itself: triggers on SQLite, a generated
column on PostgreSQL); start gunicorn exactly as `make run` does; then, one request at a time over a keep-alive
connection, as a person browsing would, time GET /api/v1/events/{id}/directory with a mix of searches (a
name, a topic, a company, two words, one letter, a mentoring filter, a far page) and
GET /api/v1/events/{id}/suggestions, each for viewers with their own connections and blocks.

Targets (2-core machine): directory p95 < 30 ms, suggestions p95 < 100 ms, on each database; every answer a
200, the searches finding people. Latency is the client's, request sent to answer read.

    python bench/directory_bench.py              the benchmark (prints a table, exits 1 on a missed target)
    python bench/directory_bench.py seed N M DIR inside the app (DATABASE_URL set, migrated): seed, print JSON

Knobs (environment): BENCH_ATTENDEES (10000), BENCH_CONNECTIONS (100000), BENCH_DIRECTORY_REQUESTS (600),
BENCH_SUGGESTION_REQUESTS (300), BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL (see
bench/checkin_bench.py).
"""

import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from checkin_bench import (  # noqa: E402
    DATABASES,
    PYTHON,
    Database,
    Gunicorn,
    _machine_cpu,
    _tree_cpu,
    log,
    postgres_reachable,
    run_json,
)

ATTENDEES = int(os.environ.get("BENCH_ATTENDEES", "10000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "100000"))
DIRECTORY_REQUESTS = int(os.environ.get("BENCH_DIRECTORY_REQUESTS", "600"))
SUGGESTION_REQUESTS = int(os.environ.get("BENCH_SUGGESTION_REQUESTS", "300"))
WARMUP_REQUESTS = 30
VIEWERS = 40
BLOCKS = 300
TARGET_MS = {"directory": 30.0, "suggestions": 100.0}
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

# What people type into the directory's search box, and its filters.
DIRECTORY_QUERIES = [
    {},
    {"page": 12},
    {"q": "kub"},
    {"q": "python"},
    {"q": "mar"},
    {"q": "garcia"},
    {"q": "staff eng"},
    {"q": "data platform"},
    {"q": "grafana"},
    {"q": "o"},
    {"q": "ada love"},
    {"mentors_in": "Kubernetes"},
    {"seeks_mentor_in": "Tech leadership"},
    {"q": "go", "mentors_in": "Go"},
    {"q": '"NEAR( kub*'},
]


# --- seeding, inside the app ------------------------------------------------------------------------


def _topics(rng: random.Random, low: int, high: int, vocabulary=TOPICS, weights=TOPIC_WEIGHTS) -> list[str]:
    count = rng.randint(low, high)
    chosen: list[str] = []
    while len(chosen) < count:
        topic = rng.choices(vocabulary, weights[: len(vocabulary)])[0]
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def seed(attendees: int, connections: int, out_dir: Path) -> dict:
    from sqlalchemy import insert, inspect, select, text, update

    from netevents.accounts.models import User, Visibility
    from netevents.accounts.services import issue_access_token, sign_up
    from netevents.db import new_secret, utcnow
    from netevents.events.models import Event, EventKind, EventStatus
    from netevents.events.services import create_event
    from netevents.extensions import db
    from netevents.people.models import Block, Connection, ConnectionSide
    from netevents.registrations.models import Registration
    from netevents.registrations.services import register

    started = time.perf_counter()
    rng = random.Random(20261202)
    organizer, _ = sign_up("bench-organizer@example.org", new_secret(12), "Bench Organizer")
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    event = create_event(
        organizer,
        {
            "kind": EventKind.meetup,
            "title": "Platform Engineering Summit",
            "starts_at": start,
            "ends_at": start + timedelta(hours=8),
            "timezone": "Europe/Berlin",
            "venue": "Hall A",
            "status": EventStatus.published,
        },
    )
    db.session.commit()
    sample = register(
        event.id, {"name": "Sample Attendee", "email": "sample@example.org"}, signed_in=None, notify=False
    )
    db.session.commit()

    def columns(row) -> dict:
        return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs}

    user_template = {k: v for k, v in columns(sample.user).items() if k != "id"}
    registration_template = {k: v for k, v in columns(sample).items() if k not in ("id", "user_id", "badge_secret")}
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


# --- timing, from outside -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_requests(server: Gunicorn, requests: list[tuple[str, str]]) -> dict:
    """Send (path, token) requests one at a time over one keep-alive connection; latencies in ms, and the CPU the
    app's processes used per request (what the machine's other load does not change much), and the machine's."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    server_before, (busy_before, all_before) = None, (0.0, 0.0)
    latencies, statuses, found = [], {}, []
    for number, (path, token) in enumerate(requests):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        body = response.read()
        elapsed = 1000 * (time.perf_counter() - started)
        if number < WARMUP_REQUESTS:
            continue
        if server_before is None:
            server_before, (busy_before, all_before) = _tree_cpu(server.process.pid), _machine_cpu()
        latencies.append(elapsed)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status == 200:
            answer = json.loads(body)
            found.append(answer.get("total", len(answer["items"])))
    connection.close()
    server_cpu = _tree_cpu(server.process.pid) - (server_before or 0.0)
    busy_after, all_after = _machine_cpu()
    return {
        "server_cpu_ms": 1000 * server_cpu / max(len(latencies), 1),
        "machine_busy": (busy_after - busy_before) / max(all_after - all_before, 1e-9),
        "requests": len(latencies),
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "statuses": statuses,
        "found": sum(found) / max(len(found), 1),
        "empty": sum(1 for count in found if count == 0),
    }


def bench_database(kind: str, workdir: Path) -> dict:
    database = Database(kind, workdir)
    try:
        log(f"{database.label}: migrating")
        migrated = subprocess.run(
            [str(Path(PYTHON).parent / "flask"), "db", "upgrade"],
            cwd=ROOT,
            env=database.env(),
            capture_output=True,
            text=True,
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"flask db upgrade failed:\n{migrated.stderr[-3000:]}")
        log(f"{database.label}: seeding {ATTENDEES:,} attendees and {CONNECTIONS:,} connections")
        seeded = run_json(
            [PYTHON, str(Path(__file__)), "seed", str(ATTENDEES), str(CONNECTIONS), str(database.instance)],
            database.env(),
        )
        log(
            f"{database.label}: seeded in {seeded['seconds']:.1f} s ({seeded['attendees']:,} attendees, "
            f"{seeded['opted_in']:,} in the directory, {seeded['connections']:,} connections)"
        )
        event_id, tokens = seeded["event_id"], seeded["tokens"]
        directory = [
            (
                f"/api/v1/events/{event_id}/directory?{urlencode(DIRECTORY_QUERIES[i % len(DIRECTORY_QUERIES)])}",
                tokens[i % len(tokens)],
            )
            for i in range(WARMUP_REQUESTS + DIRECTORY_REQUESTS)
        ]
        suggestions = [
            (f"/api/v1/events/{event_id}/suggestions", tokens[i % len(tokens)])
            for i in range(WARMUP_REQUESTS + SUGGESTION_REQUESTS)
        ]
        server = Gunicorn(
            "wsgi:app",
            database.env(NETEVENTS_ACCESS_LOG=str(database.instance / "access.log")),
            database.instance / "gunicorn.log",
            "/api/v1/events",
        )
        try:
            server.wait_ready()
            log(f"{database.label}: {DIRECTORY_REQUESTS} directory requests, one at a time ({server.settings()})")
            directory_figures = time_requests(server, directory)
            log(f"{database.label}: {SUGGESTION_REQUESTS} suggestion requests, one at a time")
            suggestion_figures = time_requests(server, suggestions)
        finally:
            server.stop()
        server_log = (database.instance / "gunicorn.log").read_text()
        return {
            "label": database.label,
            "seed_seconds": seeded["seconds"],
            "directory": directory_figures,
            "suggestions": suggestion_figures,
            "tracebacks": server_log.count("Traceback"),
            "settings": server.settings(),
        }
    finally:
        database.drop()


def report(runs: list[dict]) -> bool:
    all_ok = True
    line = "-" * 117
    print()
    print(
        f"netevents directory benchmark: {os.cpu_count()} CPUs, one event of {ATTENDEES:,} attendees and "
        f"{CONNECTIONS:,} connections, gunicorn -c deploy/gunicorn.conf.py, one request at a time"
    )
    print(line)
    print(
        f"{'database':<11} {'endpoint':<34} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
        f"{'target':>8} {'app CPU ms':>10} {'busy':>5} {'found/req':>9} {'verdict':>7}"
    )
    print(line)
    for run in runs:
        for name, endpoint in (("directory", "GET .../directory (search mix)"), ("suggestions", "GET .../suggestions")):
            figures = run[name]
            ok = (
                figures["p95"] < TARGET_MS[name]
                and set(figures["statuses"]) == {200}
                and figures["found"] > 0
                and run["tracebacks"] == 0
            )
            all_ok &= ok
            print(
                f"{run['label']:<11} {endpoint:<34} {figures['requests']:>8} {figures['p50']:>7.1f} "
                f"{figures['p95']:>7.1f} {figures['max']:>7.1f} {'< ' + format(TARGET_MS[name], 'g'):>8} "
                f"{figures['server_cpu_ms']:>10.1f} {figures['machine_busy']:>5.0%} "
                f"{figures['found']:>9.1f} {'PASS' if ok else 'FAIL':>7}"
            )
    print(line)
    for run in runs:
        print(
            f"{run['label']}: seeded in {run['seed_seconds']:.1f} s; answers {run['directory']['statuses']} and "
            f"{run['suggestions']['statuses']}; searches that found nobody: {run['directory']['empty']}; "
            f"tracebacks {run['tracebacks']}; {run['settings']}"
        )
    print(
        "app CPU ms: CPU seconds of gunicorn's processes per request (PostgreSQL's own not included); busy: how busy "
        f"the machine's {os.cpu_count()} CPUs were meanwhile, this benchmark and anything else running. Load average "
        f"at the end: {os.getloadavg()[0]:.1f}."
    )
    print(f"Overall: {'PASS' if all_ok else 'FAIL'}")
    return all_ok


def main() -> int:
    runs = []
    workdir = Path(tempfile.mkdtemp(prefix="netevents-directory-bench-"))
    try:
        for kind in DATABASES:
            if kind == "postgresql" and not postgres_reachable():
                continue
            runs.append(bench_database(kind, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(runs) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "seed":
        from netevents import create_app
        from netevents.extensions import db

        app = create_app()
        with app.app_context():
            result = seed(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
            db.session.remove()
            db.engine.dispose()
        print(json.dumps(result))
    else:
        sys.exit(main())
