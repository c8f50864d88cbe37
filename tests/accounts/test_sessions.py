"""A password change ends every other session of the account; the one that changed it goes on."""

from sqlalchemy import func, select

from netevents.accounts.models import AccessToken
from netevents.extensions import db


def test_a_password_change_signs_out_the_other_sessions_and_keeps_this_one(client, make):
    user = make.user(password="the first password")
    laptop, phone, stolen = make.token(user), make.token(user), make.token(user)
    someone_else = make.token(make.user())
    changed = client.patch(
        "/api/v1/me",
        headers=laptop,
        json={"password": "a brand new password", "current_password": "the first password"},
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/me", headers=laptop).status_code == 200
    for ended in (phone, stolen):
        refused = client.get("/api/v1/me", headers=ended)
        assert refused.status_code == 401 and "sign in again" in refused.json["detail"]
    assert client.get("/api/v1/me", headers=someone_else).status_code == 200
    sessions = db.session.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.user_id == user.id))
    assert sessions == 1


def test_a_refused_password_change_ends_nothing(client, make):
    user = make.user(password="the first password")
    laptop, phone = make.token(user), make.token(user)
    refused = client.patch(
        "/api/v1/me", headers=laptop, json={"password": "a brand new password", "current_password": "a guess"}
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/me", headers=phone).status_code == 200


def test_other_profile_changes_end_no_session(client, make):
    user = make.user()
    laptop, phone = make.token(user), make.token(user)
    assert client.patch("/api/v1/me", headers=laptop, json={"headline": "Staff engineer"}).status_code == 200
    assert client.get("/api/v1/me", headers=phone).status_code == 200
