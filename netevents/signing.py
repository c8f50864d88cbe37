"""Signed links that act without signing in (unsubscribe, "followed up"): itsdangerous, one salt per purpose.

The key is NETEVENTS_SECRET_KEY. Without it, one is made once and kept in the instance folder (readable by its
owner only), which is enough for one host; several hosts must share NETEVENTS_SECRET_KEY, or each one's links
fail on the others. Changing the key ends every link already sent.
"""

import functools
import os
import secrets
import tempfile
from pathlib import Path

from flask import current_app
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

_KEY_FILE = "signing-key"


def _key() -> str:
    configured = current_app.config.get("SECRET_KEY")
    if configured:
        return configured
    path = Path(current_app.instance_path) / _KEY_FILE
    if path.exists():
        return _read(path)
    # Written whole beside it, then linked into place: of two threads or processes making it at once, one link wins
    # and the other reads that key, and nobody ever reads a file still being written.
    key = secrets.token_urlsafe(32)
    descriptor, written = tempfile.mkstemp(dir=path.parent, prefix=f".{_KEY_FILE}-")  # readable by its owner only
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key)
        os.link(written, path)
    except FileExistsError:
        return _read(path)
    finally:
        os.unlink(written)
    return key


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, or set NETEVENTS_SECRET_KEY")
    return key


# One serializer per key and salt, made once: a follow-up run signs a link or two in each of thousands of emails.


def signer(salt: str) -> URLSafeSerializer:
    """Signs values that never expire (an unsubscribe link must work in an old email)."""
    return _signer(_key(), salt)


def timed_signer(salt: str) -> URLSafeTimedSerializer:
    """Signs values whose signature carries its time: read them with `loads(..., max_age=seconds)`."""
    return _timed_signer(_key(), salt)


@functools.lru_cache(maxsize=16)
def _signer(key: str, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(key, salt=salt)


@functools.lru_cache(maxsize=16)
def _timed_signer(key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt=salt)
