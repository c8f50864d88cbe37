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

    python bench/directory_bench.py   the benchmark (prints a table, exits 1 on a missed target); its data is
                                      made by bench/people_dataset.py

Knobs (environment): BENCH_ATTENDEES (10000), BENCH_CONNECTIONS (100000), BENCH_DIRECTORY_REQUESTS (600),
BENCH_SUGGESTION_REQUESTS (300), BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL (see
bench/checkin_bench.py).
"""

import http.client
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from harness import (
    BENCH,
    PYTHON,
    Gunicorn,
    log,
    machine_cpu,
    migrated,
    on_each_database,
    run_json,
    tree_cpu,
)

ATTENDEES = int(os.environ.get("BENCH_ATTENDEES", "10000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "100000"))
DIRECTORY_REQUESTS = int(os.environ.get("BENCH_DIRECTORY_REQUESTS", "600"))
SUGGESTION_REQUESTS = int(os.environ.get("BENCH_SUGGESTION_REQUESTS", "300"))
WARMUP_REQUESTS = 30
TARGET_MS = {"directory": 30.0, "suggestions": 100.0}

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
            server_before, (busy_before, all_before) = tree_cpu(server.process.pid), machine_cpu()
        latencies.append(elapsed)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status == 200:
            answer = json.loads(body)
            found.append(answer.get("total", len(answer["items"])))
    connection.close()
    server_cpu = tree_cpu(server.process.pid) - (server_before or 0.0)
    busy_after, all_after = machine_cpu()
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
    database = migrated(kind, workdir)
    try:
        log(f"{database.label}: seeding {ATTENDEES:,} attendees and {CONNECTIONS:,} connections")
        seeded = run_json(
            [
                PYTHON,
                str(BENCH / "people_dataset.py"),
                "seed",
                str(ATTENDEES),
                str(CONNECTIONS),
                str(database.instance),
            ],
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
    return 0 if report(on_each_database(bench_database, "netevents-directory-bench-")) else 1


if __name__ == "__main__":
    sys.exit(main())
