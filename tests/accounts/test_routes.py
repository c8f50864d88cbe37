import re
import threading
from datetime import timedelta

from sqlalchemy import select, update

from netevents import signals
from netevents.accounts.models import AccessToken, MagicLink, User
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.registrations.models import Registration, RegistrationStatus
from tests.mail.reading import recipient


def signup(client, email="grace@example.org", password="a long enough password", name="Grace Hopper"):
    return client.post("/api/v1/auth/signup", json={"email": email, "password": password, "name": name})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def finish_signup(client, outbox, email="grace@example.org"):
    """Open the link sign-up emailed: the answer has the new account's token."""
    [message] = [
        m for m in outbox() if recipient(m) == email and m["Subject"] == "Finish creating your netevents account"
    ]
    return client.post("/api/v1/auth/magic-link/redeem", json={"code": _code_from(message)})


def test_signup_emails_a_link_whose_redemption_signs_in_with_the_password_and_stores_only_hashes(client, outbox):
    response = signup(client)
    assert response.status_code == 202 and "Check your inbox" in response.json["message"]
    assert (
        client.post(
            "/api/v1/auth/token", json={"email": "grace@example.org", "password": "a long enough password"}
        ).json["reason"]
        == "invalid_credentials"
    )  # not before the link is opened
    finished = finish_signup(client, outbox)
    assert finished.status_code == 200
    token = finished.json["token"]
    assert finished.json["user"]["email"] == "grace@example.org" and finished.json["user"]["has_password"] is True
    me = client.get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.json["name"] == "Grace Hopper"
    user = db.session.scalar(select(User))
    assert user.password_hash.startswith("scrypt:")
    assert token not in db.session.scalar(select(AccessToken.token_hash))
    signed_in = client.post(
        "/api/v1/auth/token", json={"email": "grace@example.org", "password": "a long enough password"}
    )
    assert signed_in.status_code == 200


def test_signup_with_a_taken_email_answers_like_a_success_and_mails_the_owner(client, make, outbox):
    make.user(email="grace@example.org", name="Grace Hopper", password="her own password")
    new = signup(client, email="new.person@example.org")
    taken = signup(client, email="GRACE@example.org", password="an attacker's guess")
    assert new.status_code == taken.status_code == 202
    assert new.json == taken.json and new.content_type == taken.content_type
    assert db.session.scalar(select(db.func.count()).select_from(User).where(User.email == "grace@example.org")) == 1
    [notice] = [m for m in outbox() if recipient(m) == "grace@example.org"]
    assert notice["Subject"] == "Someone tried to sign up with your address"
    signed_in = client.post("/api/v1/auth/magic-link/redeem", json={"code": _code_from(notice)})
    assert signed_in.status_code == 200 and signed_in.json["user"]["email"] == "grace@example.org"
    # Her password is hers still: the attempt changed nothing.
    assert (
        client.post(
            "/api/v1/auth/token", json={"email": "grace@example.org", "password": "her own password"}
        ).status_code
        == 200
    )
    assert (
        client.post(
            "/api/v1/auth/token", json={"email": "grace@example.org", "password": "an attacker's guess"}
        ).status_code
        == 401
    )


def test_an_address_gets_a_few_sign_in_emails_an_hour_however_often_it_is_asked(client, make, outbox):
    make.user(email="ada@example.org")
    answers = {client.post("/api/v1/auth/magic-link", json={"email": "ada@example.org"}).status_code for _ in range(8)}
    answers |= {signup(client, email="ada@example.org").status_code}
    assert answers == {202}
    assert len([m for m in outbox() if recipient(m) == "ada@example.org"]) == 5


def test_short_password_is_rejected_with_the_rule(client):
    response = signup(client, password="short")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["errors"]["password"] == ["Use 10 to 128 characters."]


def test_sign_in_and_sign_out(client, make):
    make.user(email="grace@example.org", password="a long enough password")
    wrong = client.post("/api/v1/auth/token", json={"email": "grace@example.org", "password": "wrong password!"})
    assert wrong.status_code == 401 and wrong.json["reason"] == "invalid_credentials"
    unknown = client.post("/api/v1/auth/token", json={"email": "nobody@example.org", "password": "wrong password!"})
    assert unknown.status_code == 401 and unknown.json["detail"] == wrong.json["detail"]
    ok = client.post("/api/v1/auth/token", json={"email": "Grace@Example.org", "password": "a long enough password"})
    assert ok.status_code == 200
    token = ok.json["token"]
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    after = client.get("/api/v1/me", headers=bearer(token))
    assert after.status_code == 401 and after.json["reason"] == "unauthorized"


def test_expired_token_is_refused(client, make):
    headers = make.token(make.user())
    db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def _code_from(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"#code=([\w-]+)", body).group(1)


def test_magic_link_answers_the_same_for_unknown_emails_and_works_once(client, make, outbox):
    make.user(email="ada@example.org")
    known = client.post("/api/v1/auth/magic-link", json={"email": "ada@example.org"})
    unknown = client.post("/api/v1/auth/magic-link", json={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 202
    assert known.json == unknown.json
    mails = outbox()
    assert [recipient(m) for m in mails] == ["ada@example.org"]
    code = _code_from(mails[0])
    assert code not in str(db.session.scalar(select(MagicLink.token_hash)))
    first = client.post("/api/v1/auth/magic-link/redeem", json={"code": code})
    assert first.status_code == 200 and first.json["user"]["email"] == "ada@example.org"
    again = client.post("/api/v1/auth/magic-link/redeem", json={"code": code})
    assert again.status_code == 400 and again.json["reason"] == "invalid_magic_link"


def test_expired_magic_link_does_not_sign_in(client, make, outbox):
    make.user(email="ada@example.org")
    client.post("/api/v1/auth/magic-link", json={"email": "ada@example.org"})
    db.session.execute(update(MagicLink).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    response = client.post("/api/v1/auth/magic-link/redeem", json={"code": _code_from(outbox()[0])})
    assert response.status_code == 400


def test_concurrent_redemptions_of_one_link_sign_in_exactly_once(app, make, outbox):
    make.user(email="ada@example.org")
    app.test_client().post("/api/v1/auth/magic-link", json={"email": "ada@example.org"})
    code = _code_from(outbox()[0])
    statuses = []

    def redeem():
        with app.app_context():
            statuses.append(app.test_client().post("/api/v1/auth/magic-link/redeem", json={"code": code}).status_code)

    threads = [threading.Thread(target=redeem) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [400] * 5


def test_profile_update_validates_and_changes_nothing_on_error(client, make):
    user = make.user()
    headers = make.token(user)
    bad = client.patch("/api/v1/me", headers=headers, json={"topics": ["x" * 41], "headline": "Staff engineer"})
    assert bad.status_code == 422 and "topics.0" in bad.json["errors"]
    assert client.get("/api/v1/me", headers=headers).json["headline"] == ""
    good = client.patch(
        "/api/v1/me",
        headers=headers,
        json={
            "headline": "Staff engineer",
            "topics": ["platforms", "SRE"],
            "mentoring_offered": ["career growth"],
            "links": [{"label": "GitHub", "url": "https://github.com/ada"}],
            "contact_sharing": "public",
            "directory_opt_in": True,
        },
    )
    assert good.status_code == 200
    assert good.json["topics"] == ["platforms", "SRE"] and good.json["contact_sharing"] == "public"


def test_profile_lists_keep_a_topic_once_whatever_its_case(client, make):
    """Each of the three lists keeps the first spelling sent, in the order sent; the lists are separate."""
    headers = make.token(make.user())
    body = {
        "topics": ["rust", "RUST", " Rust ", "Go"],
        "mentoring_offered": ["Career growth", "career GROWTH"],
        "mentoring_sought": ["SRE", "sre", "rust"],
    }
    changed = client.patch("/api/v1/me", headers=headers, json=body)
    assert changed.status_code == 200, changed.json
    me = client.get("/api/v1/me", headers=headers).json
    assert (me["topics"], me["mentoring_offered"], me["mentoring_sought"]) == (
        ["rust", "Go"],
        ["Career growth"],
        ["SRE", "rust"],
    )


def test_changing_password_needs_the_current_one(client, make):
    user = make.user(password="the first password")
    headers = make.token(user)
    refused = client.patch("/api/v1/me", headers=headers, json={"password": "a brand new password"})
    assert refused.status_code == 403 and refused.json["reason"] == "wrong_password"
    ok = client.patch(
        "/api/v1/me",
        headers=headers,
        json={"password": "a brand new password", "current_password": "the first password"},
    )
    assert ok.status_code == 200
    sign_in = client.post("/api/v1/auth/token", json={"email": user.email, "password": "a brand new password"})
    assert sign_in.status_code == 200


def test_export_and_delete_my_data(client, make):
    event = make.event()
    registration = make.registration(event, email="leaving@example.org")
    headers = make.token(registration.user)
    export = client.get("/api/v1/me/export", headers=headers)
    assert export.status_code == 200
    assert export.json["profile"]["email"] == "leaving@example.org"
    assert [r["event_id"] for r in export.json["registrations"]] == [event.id]
    assert client.delete("/api/v1/me", headers=headers).status_code == 204
    assert db.session.scalar(select(User).where(User.email == "leaving@example.org")) is None
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_organizer_who_owns_events_cannot_delete_the_account_by_accident(client, make):
    event = make.event()
    response = client.delete("/api/v1/me", headers=make.token(event.owner))
    assert response.status_code == 409 and response.json["reason"] == "owns_events"


def test_deleting_an_account_releases_its_seats_with_it_and_announces_both_after_the_commit(client, make, heard):
    event = make.event(capacity=1)
    leaving = make.registration(event, email="leaving@example.org")
    make.registration(event, email="next@example.org")
    headers, user_id, registration_id = make.token(leaving.user), leaving.user_id, leaving.id
    with heard(signals.account_deleted) as deleted, heard(signals.registration_cancelled) as cancelled:
        assert client.delete("/api/v1/me", headers=headers).status_code == 204
    assert [payload for _sender, payload in deleted] == [{"user_id": user_id}]
    assert [payload for _sender, payload in cancelled] == [
        {"registration_id": registration_id, "event_id": event.id, "user_id": user_id, "freed_seat": True}
    ]


def test_an_owner_refused_keeps_their_seats_and_nothing_is_announced(client, make, heard):
    owned = make.event()
    elsewhere = make.event(capacity=1, title="Someone else's meetup")
    seat = make.registration(elsewhere, email=owned.owner.email)
    make.registration(elsewhere, email="waiting@example.org")
    headers, seat_id = make.token(owned.owner), seat.id
    with heard(signals.account_deleted) as deleted, heard(signals.registration_cancelled) as cancelled:
        response = client.delete("/api/v1/me", headers=headers)
    assert response.status_code == 409 and response.json["reason"] == "owns_events"
    assert deleted == [] and cancelled == []
    db.session.expire_all()
    assert db.session.get(Registration, seat_id).status == RegistrationStatus.confirmed
    assert db.session.get(Event, elsewhere.id).confirmed_count == 1


def test_a_link_that_is_not_an_object_says_what_a_link_is(client, make):
    user = make.user()
    response = client.patch("/api/v1/me", headers=make.token(user), json={"links": ["https://example.org"]})
    assert response.status_code == 422
    assert response.json["errors"]["links.0"] == [
        'Each link is an object with a label and a url, like {"label": "Blog", "url": "https://example.org"}.'
    ]
