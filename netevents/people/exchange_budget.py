"""Recording exchanges is limited per person: 600 new exchanges an hour and 2000 a day, refused or recorded.

Every exchange under a new nonce leaves a row: the ledger keeps its answer (a refused one too, so the phone
that resends it gets the same answer and the nonce cannot be spent on another badge), and a recorded one a
meeting. A refused exchange leaves nothing else: no meeting, no connection, and no log for anyone to read (the
door's refused scans are logged for the organizer; a refused exchange concerns nobody but the scanner). So the
rows one account can add are bounded by this budget, whatever it scans.

Only nonces new to the ledger are counted, when they are claimed and before any is applied: a phone resending
its offline queue (after a lost answer, say) costs nothing, and a request refused for the budget is refused
whole (429 with Retry-After; its transaction rolls back, so it leaves no row and its nonces stay unused for the
phone to send again later). An hour allows three full batches of an offline queue (`MAX_EXCHANGE_BATCH`, 200)
on top of a person scanning someone every few seconds; nobody meets 600 people in an hour.

The counters are flask-limiter's (memory, a file every worker shares, or Redis), like the door's budget.
"""

import logging
import math
import time

from limits import parse

from netevents.accounts.models import User
from netevents.errors import DomainError
from netevents.extensions import limiter

log = logging.getLogger(__name__)

LIMITS = (parse("600 per hour"), parse("2000 per day"))
_SCOPE = "exchanges"

#: As the exchange operations document it.
DESCRIPTION = (
    "exchanges under new nonces, refused ones included: 600 an hour and 2000 a day per person. A request that "
    "would go past that is refused whole with 429 too_many_exchanges and Retry-After, and records nothing; "
    "resending exchanges already answered is not counted"
)


def _key(user: User) -> str:
    return f"person:{user.id}"


def spend(user: User, count: int) -> None:
    """Count `count` new exchanges of the person, or refuse them all (429) if that is more than they have left."""
    if count == 0 or not limiter.enabled:
        return
    key = _key(user)
    try:
        short = [limit for limit in LIMITS if not limiter.limiter.test(limit, key, _SCOPE, cost=count)]
        if not short:
            for limit in LIMITS:
                limiter.limiter.hit(limit, key, _SCOPE, cost=count)
            return
        reset_at = max(limiter.limiter.get_window_stats(limit, key, _SCOPE).reset_time for limit in short)
    except Exception:
        log.exception("rate limit storage unavailable; exchanges not counted")
        return
    retry_after = max(1, math.ceil(reset_at - time.time()))
    minutes = max(1, round(retry_after / 60))
    raise DomainError(
        "too_many_exchanges",
        f"Too many exchanges from your account: {LIMITS[0].amount} an hour and {LIMITS[1].amount} a day. "
        f"Nothing of this request was recorded; send it again in {minutes} minute{'s' if minutes != 1 else ''}.",
        status=429,
        headers={"Retry-After": str(retry_after)},
    )
