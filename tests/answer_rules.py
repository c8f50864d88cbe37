"""What every answer of the API keeps to, checked on each answer the test client gets in the whole suite
(tests/conftest.py's RequestClient), so a new route or error path that breaks one fails where it is tested."""

from netevents.errors import PROBLEM_CONTENT_TYPE, title_for

#: Statuses that may say when to come back (RFC 9110 10.2.3): a refusal for now, not an answer.
RETRY_AFTER_STATUSES = (429, 503)


def answer_problems(response) -> list[str]:
    """What is wrong with `response`, in words (empty when it keeps to the rules)."""
    problems = []
    status, headers = response.status_code, response.headers
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if "Retry-After" in headers and status not in RETRY_AFTER_STATUSES:
        problems.append(f"Retry-After on a {status}")
    if status == 401 and not headers.get("WWW-Authenticate", "").startswith("Bearer "):
        problems.append("a 401 without WWW-Authenticate: Bearer")
    if status == 405 and not headers.get("Allow"):
        problems.append("a 405 without Allow")
    if status == 204 and ("Content-Type" in headers or "Content-Length" in headers or response.get_data()):
        problems.append("a 204 with a body or body headers")
    if response.mimetype == "text/html":
        policy = headers.get("Content-Security-Policy", "")
        if "frame-ancestors 'none'" not in policy or "default-src 'self'" not in policy:
            problems.append(f"an HTML page without the app's Content-Security-Policy: {policy!r}")
    if response.mimetype == PROBLEM_CONTENT_TYPE:
        body = response.get_json()
        reason, title = body.get("reason"), body.get("title")
        if not reason or title != title_for(reason):
            problems.append(f"title {title!r} for reason {reason!r}, which is spelled {title_for(reason or '')!r}")
        internal = [key for key in body.get("errors", {}) if any(part.startswith("_") for part in key.split("."))]
        if internal:
            problems.append(f"internal keys in errors: {internal}")
    return problems


def check_answer(response) -> None:
    problems = answer_problems(response)
    assert not problems, f"{response.request.method} {response.request.path} -> {response.status_code}: " + "; ".join(
        problems
    )
