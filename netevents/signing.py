"""Signed links that act without signing in (unsubscribe, "followed up"): itsdangerous, one salt per purpose.

The key is NETEVENTS_SECRET_KEY. Without it, one is made once and kept in the instance folder (readable by its
owner only), which is enough for one host; several hosts must share NETEVENTS_SECRET_KEY, or each one's links
fail on the others. Changing the key ends every link already sent.
"""

import os
import secrets
from pathlib import Path

from flask import current_app
from itsdangerous import URLSafeSerializer, URLSafeTimedSerializer

_KEY_FILE = "signing-key"


def _key() -> str:
    configured = current_app.config.get("SECRET_KEY")
    if configured:
        return configured
    path = Path(current_app.instance_path) / _KEY_FILE
    try:
        # O_EXCL: of two processes making it at once, one writes it and the other reads that one.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it, or set NETEVENTS_SECRET_KEY") from None
    key = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
    return key


def signer(salt: str) -> URLSafeSerializer:
    """Signs values that never expire (an unsubscribe link must work in an old email)."""
    return URLSafeSerializer(_key(), salt=salt)


def timed_signer(salt: str) -> URLSafeTimedSerializer:
    """Signs values whose signature carries its time: read them with `loads(..., max_age=seconds)`."""
    return URLSafeTimedSerializer(_key(), salt=salt)
