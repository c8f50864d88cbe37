"""The door's guessing budget, one declared limit: each device may scan a few unknown badges per minute.

Valid scans cost nothing, so a busy door is never slowed down; only QR texts that name no badge are
counted, which is what guessing secrets looks like. A request limit cannot count that (it is known only
once the scan is applied), so the budget is tested before a scan and spent after it, on flask-limiter's
own counters (memory, or Redis when RATELIMIT_STORAGE_URI says so, shared by all workers) through its
public `limiter.limiter` strategy.
"""

import logging
import math
import time

from flask import request
from limits import parse
from werkzeug.exceptions import TooManyRequests

from netevents.accounts.auth import bearer_token
from netevents.checkin.answers import ScanAnswer
from netevents.checkin.models import ScanReason
from netevents.extensions import limiter
from netevents.tokens import hash_token

log = logging.getLogger(__name__)

#: Guessing badge secrets means scanning unknown badges: each device gets a few per minute.
UNKNOWN_BADGE_LIMIT = parse("60 per minute")
_SCOPE = "unknown-badges"


def _device_key() -> str:
    """One budget per device (its token, hashed: counter keys must not hold secrets), else per address."""
    token = bearer_token()
    return hash_token(token)[:20] if token else (request.remote_addr or "unknown")


def check_budget() -> None:
    """Refuse the scan (429 with Retry-After) if this device has used up its unknown-badge budget."""
    if not limiter.enabled:
        return
    key = _device_key()
    try:
        if limiter.limiter.test(UNKNOWN_BADGE_LIMIT, key, _SCOPE):
            return
        reset_at = limiter.limiter.get_window_stats(UNKNOWN_BADGE_LIMIT, key, _SCOPE).reset_time
    except Exception:
        log.exception("rate limit storage unavailable; scan allowed")
        return
    retry_after = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(
        f"Too many unknown badges from this device; try again in {retry_after} s.",
        retry_after=retry_after,
    )


def spend_budget(answers: list[ScanAnswer]) -> None:
    """Count the unknown badges among these answers against the device's budget."""
    unknown = sum(1 for answer in answers if answer.reason == ScanReason.unknown_badge)
    if not unknown or not limiter.enabled:
        return
    try:
        limiter.limiter.hit(UNKNOWN_BADGE_LIMIT, _device_key(), _SCOPE, cost=unknown)
    except Exception:
        log.exception("rate limit storage unavailable; unknown badges not counted")
