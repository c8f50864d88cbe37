"""A recorded exchange is announced once, after the commit, with plain values; a replayed nonce is not."""

from netevents.signals import exchange_recorded


def test_a_recorded_exchange_is_announced_once_after_the_commit(room):
    ada, bob = room["ada"], room["bob"]
    heard = []

    def receiver(sender, **payload):
        heard.append(payload)

    exchange_recorded.connect(receiver)
    try:
        first = ada.exchange(bob.registration, nonce="met-1", actions=["introduced"]).json
        ada.exchange(bob.registration, nonce="met-1", actions=["introduced"])  # sent again: not announced again
        again = bob.exchange(ada.registration, actions=["offered_help"]).json
    finally:
        exchange_recorded.disconnect(receiver)
    assert first["result"] == again["result"] == "recorded"
    assert [(p["scanner_id"], p["scanned_id"], p["actions"], p["new_connection"]) for p in heard] == [
        (ada.user.id, bob.user.id, ("introduced",), True),
        (bob.user.id, ada.user.id, ("offered_help",), False),
    ]
    assert heard[0]["connection_id"] == heard[1]["connection_id"] == first["connection_id"]
    assert heard[0]["event_id"] == room["event"].id
