"""What a path may hold. Every `<int:...>` in the app's rules is an id, and every `<name>` a token or a secret:
the converters wired in `create_app` refuse anything else with a 404, the same on SQLite and PostgreSQL (an id
past 64 bits used to overflow SQLite; a NUL reached PostgreSQL, which refuses it)."""

from flask import Flask, request
from werkzeug.exceptions import RequestURITooLarge
from werkzeug.routing import IntegerConverter, UnicodeConverter

from netevents.schemas import MAX_ID

#: Characters of a request's path and query string, as sent (percent-encoded). The longest the app makes is far
#: shorter (a directory search with every filter); gunicorn reads request lines up to its own maximum, 8190
#: bytes (deploy/gunicorn.conf.py), so everything between answers as a problem, not as gunicorn's HTML page.
MAX_URL_LENGTH = 4096


def refuse_long_urls() -> None:
    """Before any view (and before routing's 404/405): a URL over MAX_URL_LENGTH is 414."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    length = len(raw) if raw else len(request.full_path)
    if length > MAX_URL_LENGTH:
        raise RequestURITooLarge()


def init_paths(app: Flask) -> None:
    app.before_request(refuse_long_urls)


def up_to(maximum: int) -> str:
    """A regular expression for the numbers 1 to `maximum`, in digits without leading zeros."""
    digits = str(maximum)
    shorter = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    same_length = []
    for i, digit in enumerate(digits):
        lowest = 1 if i == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - i - 1
            same_length.append(f"{digits[:i]}[{lowest}-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "(?:" + "|".join([*shorter, *same_length, digits]) + ")"


class IdConverter(IntegerConverter):
    """An id: 1 to MAX_ID (documented as the path parameter's minimum and maximum).

    The bound is in the pattern, not only in `to_python`: Werkzeug picks a rule for the method before it
    converts, so a path whose number a converter refused would answer 405 to some methods instead of 404.
    """

    regex = up_to(MAX_ID)

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """A path segment without control characters (NUL, CR, LF, ...)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]")


CONVERTERS = {"int": IdConverter, "default": TextConverter, "string": TextConverter}
