"""CPU of one summary, in-process: GET /api/v1/events/{id}/summary of the person who met 200 (bench/people_dataset.py
seeds them), timed through the test client, with its parts timed apart and an optional cProfile.

    DATABASE_URL=... python bench/summary_profile.py EVENT_ID USER_ID [ROUNDS] [--profile [tottime]] [--gc]

Prints CPU ms (time.process_time) per request and per part: the connections, the suggestions, the JSON answer.
--gc: the garbage collector's passes over 100 requests, then again once the app's start-up objects are frozen
(`gc.freeze()`, as wsgi.py does in each gunicorn worker).
"""

import cProfile
import gc
import pstats
import sys
import time

import harness  # noqa: F401  (puts the project on the path)

from netevents import create_app
from netevents.accounts.models import User
from netevents.accounts.services import issue_access_token
from netevents.extensions import db
from netevents.people.connections import my_connections
from netevents.people.suggestions import suggestions
from netevents.summary.schemas import PeopleYouMetSchema
from netevents.summary.services import SUGGESTED, event_summary


def cpu_ms(run, rounds: int) -> float:
    started = time.process_time()
    for _ in range(rounds):
        run()
    return (time.process_time() - started) * 1000 / rounds


def collections_during(request, requests: int = 100) -> str:
    """The garbage collector's passes of each generation during `requests` requests: how many, and their time."""
    passes: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def timed(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        else:
            passes[info["generation"]].append(1000 * (time.perf_counter() - started.pop()))

    gc.callbacks.append(timed)
    try:
        for _ in range(requests):
            request()
    finally:
        gc.callbacks.remove(timed)
    return ", ".join(
        f"generation {generation}: {len(times)} passes, {max(times, default=0):.1f} ms the longest"
        for generation, times in passes.items()
    )


def main() -> None:
    event_id, user_id = int(sys.argv[1]), int(sys.argv[2])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 30
    app = create_app()
    with app.app_context():
        token = issue_access_token(db.session.get(User, user_id))
        db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def request() -> None:
        response = client.get(f"/api/v1/events/{event_id}/summary", headers=headers)
        assert response.status_code == 200, response.json

    request()
    figures = {"request": cpu_ms(request, rounds)}
    with app.app_context():
        user = db.session.get(User, user_id)

        def fresh(part):
            def run():
                db.session.expire_all()
                part()

            return run

        figures["my_connections"] = cpu_ms(fresh(lambda: my_connections(user, event_id=event_id)), rounds)
        figures["suggestions"] = cpu_ms(fresh(lambda: suggestions(user, event_id, limit=SUGGESTED)), rounds)
        summary = event_summary(event_id, user)
        schema = PeopleYouMetSchema()  # once, as the route's decorator makes it
        figures["dump"] = cpu_ms(lambda: schema.dump(summary), rounds)
        print(f"met {len(summary.met)}, suggested {len(summary.suggested)}")
    print(", ".join(f"{name} {ms:.1f} ms" for name, ms in figures.items()), f"(CPU per call, {rounds} rounds)")
    if "--gc" in sys.argv:
        print(f"{len(gc.get_objects()):,} objects tracked; {collections_during(request)}")
        gc.freeze()
        print(f"frozen ({gc.get_freeze_count():,} objects); {collections_during(request)}")
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.runcall(lambda: [request() for _ in range(10)])
        pstats.Stats(profile).sort_stats(
            sys.argv[-1] if sys.argv[-1] in ("tottime", "cumulative") else "cumulative"
        ).print_stats(45)


if __name__ == "__main__":
    main()
