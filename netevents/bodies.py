"""Request bodies: the one JSON parser every request body goes through, with limits.

Flask reads a body with `request.get_json()`, which calls the app's JSON provider (`BodyJSONProvider`, set in
`create_app`: its `loads` is `parse_json`) and, on failure, `Request.on_json_loading_failed` (`ApiRequest`, the
app's request class, whose refusals are problem answers). The API's views get their bodies from
flask-smorest's `@blp.arguments`, whose webargs parser (`BodyParser`) asks `get_json()` too, after refusing an
empty body. So every body meets the same limits, and a refusal is a problem answer:

- not UTF-8, not JSON, NaN or Infinity: 400 `malformed_json`; a key twice in one object: 400 `duplicate_key`,
  naming it (Python's JSON would keep the last one, and another reader of the same body the first); nested deeper than `MAX_DEPTH`: 400
  `body_too_deep`; empty: 400 `empty_body`; another content type: 415; not an object: 422 `invalid_input`;
- larger than MAX_CONTENT_LENGTH (`NETEVENTS_MAX_BODY_BYTES`): 413, whether the client said its length or sent it
  in chunks (`ApiRequest.stream`; Werkzeug alone stops reading a chunked body at the limit and hands on what it
  read, a silently cut body);
- a number literal longer than `MAX_NUMBER_LENGTH` characters (Python refuses to read one of over 4300 digits),
  a number too large for a float, a NUL character or an unpaired UTF-16 surrogate (`"\\ud800"`) in any string
  or name: 422 `invalid_input`, naming the field. No database takes NUL, and a surrogate cannot be written as
  UTF-8, so neither may get further than this.

Query strings go through the same parser (`BodyParser.load_querystring`): a parameter sent twice (`?page=1&page=2`)
is 400 `duplicate_parameter`, naming it, unless the operation takes a list there (Flask would hand on the first
value, and a proxy or another reader the last).
"""

import json
import math
from typing import IO, Any

from flask import Flask, Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream

from netevents.errors import DomainError

#: Containers inside containers: the API's deepest body (a batch of scans) has 3 levels.
MAX_DEPTH = 32
#: Characters of one number literal; an id has 10 digits, a 64-bit integer 19.
MAX_NUMBER_LENGTH = 40


class BodyError(ValueError):
    """The parser refuses a body (a ValueError, as Flask expects of a JSON provider's `loads`)."""

    def __init__(self, status: int, reason: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.field = field

    def as_problem(self) -> DomainError:
        return DomainError(self.reason, self.message, status=self.status, field=self.field)


class _Refused:
    """A number the parser read but will not hand on; the walk that follows names its field."""

    def __init__(self, message: str):
        self.message = message


def _number(literal: str, read) -> Any:
    if len(literal) > MAX_NUMBER_LENGTH:
        return _Refused(f"Numbers have at most {MAX_NUMBER_LENGTH} characters; this one has {len(literal)}.")
    value = read(literal)
    if isinstance(value, float) and not math.isfinite(value):
        return _Refused("This number is too large.")
    return value


def _no_constant(name: str):
    raise BodyError(400, "malformed_json", f"The request body is not valid JSON: {name} is not a JSON number.")


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the body; one that names a key twice is refused (`json` would keep the last silently)."""
    value: dict[str, Any] = {}
    for key, inner in pairs:
        if key in value:
            name = ascii(key)[1:-1]  # as sent, even a key no field may hold (an unpaired surrogate)
            raise BodyError(
                400, "duplicate_key", f"The key '{name}' appears twice in one object; send each field once.", name
            )
        value[key] = inner
    return value


def parse_json(data: bytes | str) -> Any:
    """The body's value, or BodyError saying what is wrong with it (and where)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BodyError(
                400, "malformed_json", f"The request body is not UTF-8 text (byte {error.start} is not valid)."
            ) from None
    try:
        value = json.loads(
            data,
            parse_int=lambda literal: _number(literal, int),
            parse_float=lambda literal: _number(literal, float),
            parse_constant=_no_constant,
            object_pairs_hook=_object,
        )
    except RecursionError:  # deeper than Python recurses: far deeper than the limit
        raise BodyError(400, "body_too_deep", f"The JSON nests deeper than {MAX_DEPTH} levels.") from None
    except json.JSONDecodeError as error:
        raise BodyError(
            400,
            "malformed_json",
            f"The request body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno}).",
        ) from None
    _check(value)
    return value


def _check(value: Any) -> None:
    """Walk the parsed body without recursion: depth, refused numbers, and characters no field may hold."""
    todo: list[tuple[Any, str, int]] = [(value, "", 0)]
    while todo:
        item, path, depth = todo.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise BodyError(400, "body_too_deep", f"The JSON nests deeper than {MAX_DEPTH} levels.")
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, inner in pairs:
                if isinstance(key, str):
                    problem = _text_problem(key)
                    if problem:
                        raise BodyError(422, "invalid_input", f"A field name: {problem}", _join(path, ascii(key)[1:-1]))
                todo.append((inner, _join(path, str(key)), depth + 1))
        elif isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                raise BodyError(422, "invalid_input", problem, path or "body")
        elif isinstance(item, _Refused):
            raise BodyError(422, "invalid_input", item.message, path or "body")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "Contains a NUL character (\\u0000); remove it."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"Contains an unpaired UTF-16 surrogate (\\u{ord(text[error.start]):04x}) at character {error.start}; "
            "send valid Unicode text."
        )
    return None


class BodyJSONProvider(DefaultJSONProvider):
    """The app's JSON: Flask's for what it writes, `parse_json` for what it reads (request bodies; the app reads
    no other JSON)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)


class CappedStream(LimitedStream):
    """A body of unknown length (chunked) read up to `limit` bytes: a byte more is a 413, not the end."""

    def __init__(self, stream: IO[bytes], limit: int):
        # One byte past the limit tells a body of exactly `limit` bytes from a longer one.
        super().__init__(stream, limit + 1, is_max=True)
        self.max_bytes = limit

    def readinto(self, b) -> int | None:  # type: ignore[override]
        count = super().readinto(b)
        if self.tell() > self.max_bytes:
            raise RequestEntityTooLarge()
        return count


class ApiRequest(Request):
    """Flask's request, whose refused JSON bodies are problem answers and whose body is never cut short."""

    @cached_property
    def stream(self) -> IO[bytes]:
        limit = self.max_content_length
        if self.content_length is None and limit is not None and self.environ.get("wsgi.input_terminated"):
            return CappedStream(self.environ["wsgi.input"], limit)
        return super().stream

    @property
    def chunked(self) -> bool:
        return "chunked" in self.headers.get("Transfer-Encoding", "").lower()

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, BodyError):
            raise e.as_problem() from None
        if e is None:
            raise DomainError(
                "unsupported_media_type",
                f"Send the body as JSON with 'Content-Type: application/json' (not {self.mimetype or 'none'}).",
                status=415,
            )
        raise DomainError("malformed_json", "The request body is not valid JSON.", status=400)


def refuse_large_bodies() -> None:
    """Before any view: a body over the limit is 413 whatever the view would read (a declared length is checked
    at once; a chunked body is read, up to the limit, to find out)."""
    limit = request.max_content_length
    if limit is None:
        return
    if request.content_length is not None:
        if request.content_length > limit:
            raise RequestEntityTooLarge()
    elif isinstance(request, ApiRequest) and request.chunked:
        request.get_data(cache=True)


def init_bodies(app: Flask) -> None:
    app.before_request(refuse_large_bodies)


class BodyParser(FlaskParser):
    """webargs' Flask parser, whose JSON bodies are read by `request.get_json()` (so by `parse_json`) and must be
    there: a view that takes a body wants one, and `{}` is how to send nothing. A view whose body is optional
    (`@blp.arguments(..., required=False)`, see netevents.openapi.Blueprint) takes an empty one as `{}`."""

    def load_json(self, req, schema) -> Any:
        if not req.get_data(cache=True):
            view = current_app.view_functions.get(request.endpoint or "")
            if getattr(view, "body_optional", False):
                return {}
            raise DomainError("empty_body", "The request body is empty; send a JSON object (at least {}).", status=400)
        data = req.get_json()
        if not isinstance(data, dict):
            raise DomainError(
                "invalid_input", f"Send a JSON object ({{...}}) as the body, not {_json_type(data)}.", status=422
            )
        return data

    def load_querystring(self, req, schema) -> Any:
        parameters = super().load_querystring(req, schema)
        for name, values in req.args.lists():
            if len(values) > 1 and name not in parameters.multiple_keys:
                raise DomainError(
                    "duplicate_parameter",
                    f"The query parameter '{name}' appears twice; send it once.",
                    status=400,
                    field=name,
                )
        return parameters


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    return "a number"
