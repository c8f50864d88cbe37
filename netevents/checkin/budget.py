"""The door's guessing budget, one declared limit: each device may scan a few unknown badges per minute.

Only QR codes that name no badge are counted, which is what guessing secrets looks like (and what a phone
pointed at a poster does). The budget slows those down and nothing else: a badge we know, a person found by
name and an offline batch are always answered, so a door is never stopped by it.

- Every scan is applied: its QR is looked up first. One that names no badge spends one unit of the scanning
  device's budget (single scans and batches alike; a repeated nonce is answered from the ledger and costs
  nothing). Once the budget is spent, such a scan is refused with `too_many_unknown_badges` instead of
  `unknown_badge`, in the scan log like every refusal.
- A single scan refused so is answered 429 with Retry-After (what was limited, and when to retry, in words);
  its refusal is recorded under its nonce, and that nonce sent again is answered 429 while the budget is
  spent and with the recorded refusal (200) afterwards. A batch is always answered 200, scan by scan.

The counters are flask-limiter's own (memory, or Redis when RATELIMIT_STORAGE_URI says so, shared by all
workers), through its public `limiter.limiter` strategy, one per device: its station, or the organizer.
"""

import logging
import math
import time
from collections.abc import Sequence

from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from netevents.extensions import limiter

log = logging.getLogger(__name__)

#: Guessing badge secrets means scanning unknown badges: each device gets a few per minute.
UNKNOWN_BADGE_LIMIT = parse("60 per minute")
_SCOPE = "unknown-badges"


class UnknownBadgeBudget:
    """One request's view of a guesser's budget: `spend` once per code that named no badge. The door's is one
    limit per device; others (typed badge codes, people/code_budget.py) pass their own limits and scope."""

    def __init__(self, device: str, limits: Sequence[RateLimitItem] = (UNKNOWN_BADGE_LIMIT,), scope: str = _SCOPE):
        self.device = device
        self.limits = tuple(limits)
        self.scope = scope
        #: Once a scan of this request found the budget spent, the rest of it are refused without asking again.
        self.exhausted = False

    def has_room(self) -> bool:
        """Whether one more unknown badge would still be allowed (nothing is counted)."""
        if self.exhausted or not limiter.enabled:
            return not self.exhausted
        try:
            self.exhausted = not all(limiter.limiter.test(limit, self.device, self.scope) for limit in self.limits)
        except Exception:
            log.exception("rate limit storage unavailable; budget not read")
            return True
        return not self.exhausted

    def spend(self) -> bool:
        """Count one unknown badge; False if the device had none left (under any of its limits)."""
        if self.exhausted or not limiter.enabled:
            return not self.exhausted
        try:
            allowed = all(limiter.limiter.hit(limit, self.device, self.scope) for limit in self.limits)
        except Exception:
            log.exception("rate limit storage unavailable; unknown badge not counted")
            return True
        self.exhausted = not allowed
        return allowed


def seconds_until_budget(device: str, limits: Sequence[RateLimitItem], scope: str) -> int | None:
    """None if `device` has some of its budget left; else how many seconds until it has again."""
    if not limiter.enabled:
        return None
    try:
        spent = [limit for limit in limits if not limiter.limiter.test(limit, device, scope)]
        if not spent:
            return None
        reset_at = max(limiter.limiter.get_window_stats(limit, device, scope).reset_time for limit in spent)
    except Exception:
        log.exception("rate limit storage unavailable; answered")
        return None
    return max(1, math.ceil(reset_at - time.time()))


def refuse_while_spent(device: str) -> None:
    """429 with Retry-After if `device` has no unknown badges left in this minute; nothing otherwise."""
    retry_after = seconds_until_budget(device, (UNKNOWN_BADGE_LIMIT,), _SCOPE)
    if retry_after is None:
        return
    raise TooManyRequests(
        f"Too many unknown badges from this device: {UNKNOWN_BADGE_LIMIT.amount} QR codes that are no badge "
        f"within a minute. This scan was refused and logged; scan unknown codes again in {retry_after} s "
        "(badges we know are answered meanwhile).",
        retry_after=retry_after,
    )
