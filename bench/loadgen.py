"""The load client of `make bench`, run as its own process: N keep-alive HTTP/1.1 connections, closed loop.

Pure asyncio over raw streams (no HTTP library on the hot path), so one client process can drive
far more requests per second than a 2-core server answers. Every request carries the next badge
secret from a file and a fresh nonce, so no two requests scan the same badge.

Reads a JSON job on stdin:
    {"host", "port", "path", "headers": {...}, "secrets_file", "qr_prefix", "connections",
     "warmup": seconds, "duration": seconds, "rate": requests per second (optional)}
and prints one JSON line with the counts and latencies (ms) of the requests started after the warm-up.

Without "rate" each connection sends its next request as soon as the last is answered (closed loop:
the most the server can do). With "rate" the connections together send that many requests per
second on a fixed schedule, as doors do, and a request's latency counts from when it was due, so a
server that falls behind is charged for the wait (no coordinated omission).

For the drills (bench/drills.py), optionally:
    "connection_headers": [{...}, ...]   connection i sends these headers (i modulo their count): a station each;
                                         given more than one per connection, connection i takes turns with
                                         i, i + connections, i + 2 x connections... (people meeting others, several
                                         to a phone, so that none goes past the exchanges a person may make)
    "retry": true                        on a connection error, 502, 503 or 504 the same request (same nonce, same
                                         scan time) is sent again, as a door retries; its latency counts from the
                                         first try; every answer and error is still counted in "statuses"/"errors"
    "answers_file": path                 one JSON line per scan's final answer: secret, nonce, status, body, at
"""

import asyncio
import json
import sys
import time
from collections import Counter
from datetime import UTC, datetime


class Job:
    def __init__(self, spec: dict):
        self.host = spec["host"]
        self.port = spec["port"]
        self.path = spec["path"]
        self.extra_headers = "".join(f"{name}: {value}\r\n" for name, value in spec.get("headers", {}).items())
        self.connection_headers = [
            "".join(f"{name}: {value}\r\n" for name, value in headers.items())
            for headers in spec.get("connection_headers", [])
        ]
        self.retry = bool(spec.get("retry"))
        self.answers_file = spec.get("answers_file")
        self.answers: list[dict] = []
        self.failure_times: list[float] = []  # wall-clock times of errors and 5xx answers
        with open(spec["secrets_file"]) as handle:
            self.secrets = [line.strip() for line in handle if line.strip()]
        self.qr_prefix = spec.get("qr_prefix", "")
        self.connections = spec["connections"]
        self.warmup = spec["warmup"]
        self.duration = spec["duration"]
        self.rate = spec.get("rate")
        self.next_index = 0
        self.turns: Counter = Counter()  # requests made so far by each connection
        self.exhausted = False
        # Results of the measured window.
        self.latencies: list[float] = []
        self.started = 0
        self.statuses: Counter = Counter()
        self.results: Counter = Counter()
        self.errors: Counter = Counter()
        self.warmup_requests = 0
        self.last_done = 0.0

    def next_request(self, number: int = 0) -> tuple[bytes, dict] | None:
        """The next scan's request for connection `number`, and what it scanned (for the answers file)."""
        if self.next_index >= len(self.secrets):
            self.exhausted = True
            return None
        secret = self.secrets[self.next_index]
        self.next_index += 1
        scan = {
            "qr": f"{self.qr_prefix}{secret}",
            "nonce": f"bench-{self.next_index}-{secret[:8]}",
            "scanned_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        body = json.dumps(scan).encode()
        turn = self.turns[number]
        self.turns[number] += 1
        headers = (
            self.connection_headers[(number + turn * self.connections) % len(self.connection_headers)]
            if len(self.connection_headers) > self.connections
            else self.connection_headers[number % len(self.connection_headers)]
            if self.connection_headers
            else self.extra_headers
        )
        request = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        return request, {"secret": secret, "connection": number, **scan}


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, close, chunked = 0, False, False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            body += await reader.readexactly(size + 2)
            if size == 0:
                break
        return status, body, close
    return status, await reader.readexactly(length), close


RETRIED_STATUSES = (502, 503, 504)


async def connection(
    job: Job, measure_from: float, stop_at: float, first_due: float | None = None, number: int = 0
) -> None:
    reader = writer = None
    interval = job.connections / job.rate if job.rate else 0.0
    due = first_due
    pending = None  # with "retry": the request to send again, and when it was first sent
    while True:
        if due is not None and pending is None:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if pending is not None:
            (request, scan), started = pending
        else:
            next_one = job.next_request(number)
            if next_one is None or time.perf_counter() >= stop_at:
                break
            request, scan = next_one
            started = due if due is not None else time.perf_counter()
            if due is not None:
                due += interval
        if time.perf_counter() >= stop_at:
            break
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(job.host, job.port)
            writer.write(request)
            status, body, close = await read_response(reader)
            done = time.perf_counter()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
            if time.perf_counter() >= measure_from:
                job.errors[type(error).__name__] += 1
                job.failure_times.append(time.time())
            if writer is not None:
                writer.close()
            reader = writer = None
            pending = ((request, scan), started) if job.retry else None
            await asyncio.sleep(0.05 if job.retry else 0.01)
            continue
        if job.retry and status in RETRIED_STATUSES:
            job.statuses[status] += 1
            job.failure_times.append(time.time())
            pending = ((request, scan), started)
            if close:
                writer.close()
                reader = writer = None
            await asyncio.sleep(0.5 if status == 503 else 0.05)  # 503 says Retry-After; a door waits a little
            continue
        pending = None
        if status >= 500:
            job.failure_times.append(time.time())
        if job.answers_file is not None:
            job.answers.append({**scan, "status": status, "body": body.decode(errors="replace"), "at": time.time()})
        if started < measure_from:
            job.warmup_requests += 1
        else:
            job.started += 1
            job.latencies.append((done - started) * 1000)
            job.statuses[status] += 1
            job.last_done = max(job.last_done, done)
            try:
                answer = json.loads(body)
                job.results[answer.get("reason") or answer.get("result") or "?"] += 1
            except ValueError:
                job.results["not JSON"] += 1
        if close:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def main(spec: dict) -> dict:
    job = Job(spec)
    begin = time.perf_counter()
    measure_from = begin + job.warmup
    stop_at = measure_from + job.duration
    # With a rate, the connections' schedules interleave: one request every 1/rate s in all.
    dues = [begin + i / job.rate for i in range(job.connections)] if job.rate else [None] * job.connections
    await asyncio.gather(*(connection(job, measure_from, stop_at, due, number) for number, due in enumerate(dues)))
    if job.answers_file is not None:
        with open(job.answers_file, "w") as handle:
            handle.writelines(json.dumps(answer) + "\n" for answer in job.answers)
    ordered = sorted(job.latencies)
    elapsed = (job.last_done - measure_from) if job.started else float("nan")
    return {
        "requests": job.started,
        "seconds": elapsed,
        "rps": job.started / elapsed if job.started else 0.0,
        "p50": percentile(ordered, 0.50),
        "p90": percentile(ordered, 0.90),
        "p95": percentile(ordered, 0.95),
        "p99": percentile(ordered, 0.99),
        "max": ordered[-1] if ordered else float("nan"),
        "statuses": {str(code): count for code, count in job.statuses.items()},
        "non_2xx": sum(count for code, count in job.statuses.items() if not 200 <= code < 300),
        "errors": dict(job.errors),
        "results": dict(job.results),
        "warmup_requests": job.warmup_requests,
        "badges_used": job.next_index,
        "exhausted": job.exhausted,
        "failures": len(job.failure_times),
        "first_failure_at": min(job.failure_times, default=None),
        "last_failure_at": max(job.failure_times, default=None),
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(json.load(sys.stdin)))), flush=True)
