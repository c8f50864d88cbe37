"""Who is calling: resolve the bearer token once per request."""

from flask import request
from sqlalchemy import bindparam, select

from netevents.accounts.models import AccessToken, User
from netevents.db import utcnow
from netevents.errors import Unauthorized
from netevents.extensions import db
from netevents.tokens import hash_token

_TOKEN_KEY = "netevents.bearer_token"


def bearer_token() -> str | None:
    """The request's bearer token, if any (read once per request: a scan asks for it three times)."""
    environ = request.environ
    if _TOKEN_KEY not in environ:
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        environ[_TOKEN_KEY] = token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return environ[_TOKEN_KEY]


_CACHE_KEY = "netevents.access_token"
_BY_HASH = select(AccessToken).where(AccessToken.token_hash == bindparam("token_hash"))


def current_access_token() -> AccessToken | None:
    """The caller's session, looked up once per request (cached in the request's environ)."""
    if _CACHE_KEY not in request.environ:
        token = bearer_token()
        found = None
        if token and len(token) <= 200:
            row = db.session.scalar(_BY_HASH, {"token_hash": hash_token(token)})
            if row is not None and row.expires_at > utcnow():
                found = row
        request.environ[_CACHE_KEY] = found
    return request.environ[_CACHE_KEY]


def current_user() -> User | None:
    token = current_access_token()
    return token.user if token else None


def require_user() -> User:
    user = current_user()
    if user is None:
        if bearer_token():
            raise Unauthorized("Your sign-in has expired or was revoked; sign in again.")
        raise Unauthorized()
    return user
