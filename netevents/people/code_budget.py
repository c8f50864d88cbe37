"""Typing badge codes is limited per person: 20 unknown codes an hour, 50 a day.

A badge's short code (registrations/badge_codes.py) has 40 random bits, far fewer than its QR secret, so typing
codes that name no badge is what guessing looks like. Codes that name a badge are never counted; an unknown one
spends one unit of the person's budget (single exchanges and batches alike; a repeated nonce is answered from
the ledger and costs nothing). Past it, every typed code is refused with `too_many_unknown_codes`, a real badge's
too (were real ones let through, the answers would tell a guesser which guess was right): a single exchange is
answered 429 with Retry-After, a batch exchange by exchange. The counters are the door's (checkin/budget.py).
"""

from limits import parse

from netevents.accounts.models import User
from netevents.checkin.budget import UnknownBadgeBudget, seconds_until_budget
from netevents.errors import DomainError

LIMITS = (parse("20 per hour"), parse("50 per day"))
_SCOPE = "unknown-badge-codes"

#: As the exchange operations document it.
DESCRIPTION = (
    "Typed badge codes that name no badge: 20 an hour and 50 a day per person. Past that every typed code is "
    "refused, a real badge's too, with reason too_many_unknown_codes: a single exchange is answered 429 with "
    "Retry-After, a batch exchange by exchange. Codes of real badges are not counted, and scanned QR codes are "
    "never limited by it."
)


def _key(user: User) -> str:
    return f"person:{user.id}"


def code_budget(user: User) -> UnknownBadgeBudget:
    """The person's budget of unknown typed codes, for one request."""
    return UnknownBadgeBudget(_key(user), LIMITS, _SCOPE)


def refuse_while_spent(user: User) -> None:
    """429 with Retry-After while the person has typed too many unknown codes; nothing otherwise."""
    retry_after = seconds_until_budget(_key(user), LIMITS, _SCOPE)
    if retry_after is None:
        return
    minutes = max(1, round(retry_after / 60))
    raise DomainError(
        "too_many_unknown_codes",
        f"Too many badge codes that name no badge: {LIMITS[0].amount} an hour and {LIMITS[1].amount} a day. "
        f"Try a code again in {minutes} minute{'s' if minutes != 1 else ''}, or scan the badge's QR code.",
        status=429,
        headers={"Retry-After": str(retry_after)},
    )
