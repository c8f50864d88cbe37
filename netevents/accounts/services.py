"""Sign-up, sign-in (password or magic link), sessions and the profile."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from netevents import signals
from netevents.accounts.models import AccessToken, MagicLink, User
from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.extensions import db
from netevents.mail.allowance import Allowance, address_takes
from netevents.mail.compose import render_email
from netevents.mail.preferences import set_email_preferences
from netevents.mail.services import send_email
from netevents.tokens import hash_token, new_token

# Compared against when the email is unknown, so a wrong email and a wrong password take equally long.
_DUMMY_HASH = generate_password_hash("not-a-real-password")

PROFILE_FIELDS = (
    "name",
    "headline",
    "company",
    "topics",
    "mentoring_offered",
    "mentoring_sought",
    "links",
    "contact_sharing",
    "directory_opt_in",
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def get_or_create_attendee(email: str, **profile) -> tuple[User, bool]:
    """The account for an email, created (without a password) on first registration.

    An existing account's profile is never changed here: anyone can type anyone's email into a
    registration form, so only the signed-in owner may edit a profile.
    """
    user = find_user_by_email(email)
    if user is not None:
        return user, False
    user = User(email=normalise_email(email), **{k: v for k, v in profile.items() if k in PROFILE_FIELDS})
    db.session.add(user)
    db.session.flush()
    return user, True


def request_sign_up(email: str, password: str, name: str, next_path: str = "/organize") -> None:
    """Sign-up, answered the same whether or not the address has an account (done after the answer is sent).

    A new address gets an account without a password and a link that finishes it: the password chosen here is on
    the link, and becomes the account's when the link is redeemed, so nobody sets a password on an address whose
    mail they cannot read. An address with an account is told that someone tried, with a link to sign in.
    """
    address = normalise_email(email)
    if not address_takes(Allowance.sign_in, address):
        return
    minutes = current_app.config["MAGIC_LINK_TTL_MINUTES"]
    user = find_user_by_email(address)
    if user is None:
        user = User(email=address, name=name)
        db.session.add(user)
        db.session.flush()
        link = create_magic_link(user, next_path, password_hash=generate_password_hash(password))
        # The name was typed by whoever signed up, who may not own the address: not shown until the link is opened.
        _send_account_email(
            user,
            "Finish creating your netevents account",
            "sign_up",
            why="someone signed up with this address",
            link=link,
            minutes=minutes,
            named=False,
        )
        return
    link = create_magic_link(user, next_path)
    _send_account_email(
        user,
        "Someone tried to sign up with your address",
        "sign_up_existing",
        why="someone signed up with this address",
        link=link,
        minutes=minutes,
    )


def sign_up(email: str, password: str, name: str) -> tuple[User, str]:
    """An account with a password, at once (demo data, benchmarks, tests); people sign up with request_sign_up."""
    if find_user_by_email(email) is not None:
        raise DomainError(
            "email_taken",
            "An account with this email already exists. Sign in, or ask for a sign-in link by email "
            "and set a password on your profile.",
            field="email",
        )
    user = User(email=normalise_email(email), name=name, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.flush()
    return user, issue_access_token(user)


def sign_in(email: str, password: str) -> tuple[User, str]:
    user = find_user_by_email(email)
    hashed = user.password_hash if user and user.password_hash else _DUMMY_HASH
    if not check_password_hash(hashed, password) or user is None or user.password_hash is None:
        raise DomainError(
            "invalid_credentials",
            "Email or password is wrong. No password yet? Ask for a sign-in link by email.",
            status=401,
        )
    return user, issue_access_token(user)


def issue_access_token(user: User) -> str:
    token = new_token("ne")
    ttl = timedelta(days=current_app.config["SESSION_TTL_DAYS"])
    db.session.add(AccessToken(user_id=user.id, token_hash=hash_token(token), expires_at=utcnow() + ttl))
    db.session.flush()
    return token


def sign_out(access_token: AccessToken) -> None:
    db.session.delete(access_token)
    db.session.flush()


def create_magic_link(user: User, next_path: str = "/me", password_hash: str | None = None) -> str:
    """A one-time sign-in URL. The code travels in the fragment, so it never reaches server logs.

    `password_hash`: a sign-up's password, which becomes the account's when the link is redeemed.
    """
    code = new_token("ml")
    ttl = timedelta(minutes=current_app.config["MAGIC_LINK_TTL_MINUTES"])
    db.session.add(
        MagicLink(user_id=user.id, token_hash=hash_token(code), expires_at=utcnow() + ttl, password_hash=password_hash)
    )
    db.session.flush()
    return f"{current_app.config['BASE_URL']}/signin#code={code}&next={next_path}"


def request_magic_link(email: str, next_path: str = "/me") -> None:
    """Email a sign-in link if the account exists. The caller answers the same either way."""
    user = find_user_by_email(email)
    if user is None or not address_takes(Allowance.sign_in, user.email):
        return
    link = create_magic_link(user, next_path)
    minutes = current_app.config["MAGIC_LINK_TTL_MINUTES"]
    _send_account_email(
        user,
        "Your netevents sign-in link",
        "magic_link",
        why="someone asked for a sign-in link",
        link=link,
        minutes=minutes,
    )


def _send_account_email(
    user: User, subject: str, template: str, *, why: str, named: bool = True, **context: object
) -> None:
    """An email about the account itself, from netevents, to `user` (by name unless not `named`); `why` someone
    asked for it, said in the footer with the site it was asked on."""
    name = user.name if named else ""
    host = urlsplit(current_app.config["BASE_URL"]).netloc
    text, html = render_email(template, subject=subject, why=f"{why} on {host}.", name=name, **context)
    send_email(user.email, subject, text, html=html, to_name=name, allowance=Allowance.sign_in)


def redeem_magic_link(code: str) -> tuple[User, str]:
    now = utcnow()
    # Conditional update: of two concurrent redemptions exactly one sees rowcount 1.
    claimed = db.session.execute(
        update(MagicLink)
        .where(MagicLink.token_hash == hash_token(code), MagicLink.used_at.is_(None), MagicLink.expires_at > now)
        .values(used_at=now)
        .returning(MagicLink.user_id, MagicLink.password_hash)
    ).first()
    if claimed is None:
        raise DomainError(
            "invalid_magic_link",
            "This sign-in link was already used or has expired. Ask for a new one.",
            status=400,
            field="code",
        )
    user_id, password_hash = claimed
    user = db.session.get_one(User, user_id)
    if password_hash is not None:  # the link that finishes a sign-up
        user.password_hash = password_hash
    return user, issue_access_token(user)


def update_profile(user: User, changes: dict, session: AccessToken | None = None) -> User:
    """Change a profile; a new password ends every session of the account but `session` (the one changing it)."""
    password = changes.pop("password", None)
    current_password = changes.pop("current_password", None)
    email_preferences = changes.pop("email_preferences", None)
    if password is not None:
        if user.password_hash and not (current_password and check_password_hash(user.password_hash, current_password)):
            raise DomainError(
                "wrong_password",
                "To change your password, also send your current one in 'current_password'.",
                status=403,
                field="current_password",
            )
        user.password_hash = generate_password_hash(password)
        others = delete(AccessToken).where(AccessToken.user_id == user.id)
        if session is not None:
            others = others.where(AccessToken.id != session.id)
        db.session.execute(others)
    for name, value in changes.items():
        setattr(user, name, value)
    if email_preferences:
        set_email_preferences(user, email_preferences)
    db.session.flush()
    return user


def delete_account(user: User) -> None:
    """Delete a person and everything that is theirs; their seats go to the waitlist."""
    user_id = user.id
    # The domains above let go of the person in this transaction: events refuses while they own events,
    # registrations gives their seats to the waitlist.
    signals.account_deleting.send(__name__, user_id=user_id)
    db.session.execute(delete(AccessToken).where(AccessToken.user_id == user_id))
    db.session.delete(user)
    db.session.flush()
    signals.announce(signals.account_deleted, __name__, user_id=user_id)


def export_personal_data(user: User) -> dict:
    """Everything netevents holds about a person, as one JSON document."""
    # Each domain that holds something of theirs adds its section (registrations: "registrations").
    sections = dict(section for _receiver, section in signals.personal_data_exporting.send(__name__, user_id=user.id))
    return {"exported_at": utcnow(), "profile": user, **sections}
