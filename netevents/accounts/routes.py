from functools import partial

from flask import request

from netevents.accounts import services
from netevents.accounts.auth import current_access_token, require_user
from netevents.accounts.schemas import (
    AcceptedSchema,
    ExportSchema,
    MagicLinkRedeemSchema,
    MagicLinkRequestSchema,
    ProfileSchema,
    ProfileUpdateSchema,
    SignInSchema,
    SignUpSchema,
    TokenSchema,
)
from netevents.after_response import after_response
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, problems, rate_limit

blp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts, sign-in and your profile")

# Sign-in endpoints are where passwords and links get guessed; keep them slow for one address.
AUTH_LIMIT = "20 per minute;200 per hour"
#: Password attempts for one account, whatever addresses they come from (guessing from many addresses).
ACCOUNT_SIGN_IN_LIMIT = "10 per minute;60 per hour"


def account_signing_in() -> str:
    """The account a password sign-in names, for its own limit (the body is read by the app's JSON parser)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"account:{services.normalise_email(email)}" if isinstance(email, str) else "account:?"


#: What sign-up answers, whether or not the address has an account.
SIGN_UP_ANSWER = (
    "Check your inbox: we sent a link to finish creating your account (or, if this address already has one, "
    "to sign in). It works once, for a limited time."
)


@blp.route("/auth/signup", methods=["POST"])
@access(Token.public)
@rate_limit(AUTH_LIMIT, "Too many sign-ups from this address")
@blp.arguments(
    SignUpSchema, example={"email": "ada@example.org", "password": "correct horse battery", "name": "Ada Lovelace"}
)
@blp.response(202, AcceptedSchema)
def signup(data):
    """Create an organizer account: the emailed link finishes it (the answer is the same for an address that has one)"""
    after_response(partial(services.request_sign_up, data["email"], data["password"], data["name"]))
    return {"message": SIGN_UP_ANSWER}


@blp.route("/auth/token", methods=["POST"])
@access(Token.public)
@rate_limit(AUTH_LIMIT, "Too many sign-in attempts from this address")
@rate_limit(
    ACCOUNT_SIGN_IN_LIMIT,
    "Too many sign-in attempts for this account (ask for a sign-in link by email instead)",
    per=account_signing_in,
)
@problems(401)
@blp.arguments(SignInSchema, example={"email": "ada@example.org", "password": "correct horse battery"})
@blp.response(200, TokenSchema)
def sign_in(data):
    """Sign in with email and password"""
    user, token = services.sign_in(**data)
    db.session.commit()
    return {"token": token, "user": user}


@blp.route("/auth/token", methods=["DELETE"])
@access(Token.attendee)
@blp.response(204)
def sign_out():
    """Sign out: the token stops working at once"""
    require_user()
    services.sign_out(current_access_token())
    db.session.commit()


@blp.route("/auth/magic-link", methods=["POST"])
@access(Token.public)
@rate_limit(AUTH_LIMIT, "Too many sign-in links asked for from this address")
@blp.arguments(MagicLinkRequestSchema, example={"email": "ada@example.org", "next": "/me"})
@blp.response(202, AcceptedSchema)
def request_magic_link(data):
    """Email a one-time sign-in link (the answer is the same whether or not the email has an account)"""
    after_response(partial(services.request_magic_link, data["email"], data["next"]))
    return {"message": "If an account exists for this email, a sign-in link is on its way."}


@blp.route("/auth/magic-link/redeem", methods=["POST"])
@access(Token.public)
@rate_limit(AUTH_LIMIT, "Too many sign-in link codes tried from this address")
@blp.arguments(MagicLinkRedeemSchema, example={"code": "ml_the-code-from-the-sign-in-link"})
@blp.response(200, TokenSchema)
def redeem_magic_link(data):
    """Exchange a sign-in link's code for a token (each code works once)"""
    user, token = services.redeem_magic_link(data["code"])
    db.session.commit()
    return {"token": token, "user": user}


@blp.route("/me", methods=["GET"])
@access(Token.attendee)
@blp.response(200, ProfileSchema)
def get_me():
    """Your profile and sharing choices"""
    return require_user()


@blp.route("/me", methods=["PATCH"])
@access(Token.attendee)
@problems(403)
@blp.arguments(
    ProfileUpdateSchema,
    example={
        "headline": "Staff engineer",
        "topics": ["platforms", "mentoring"],
        "contact_sharing": "connections",
        "directory_opt_in": True,
    },
)
@blp.response(200, ProfileSchema)
def update_me(data):
    """Change your profile, sharing choices or password (a new password signs out your other sessions)"""
    user = services.update_profile(require_user(), data, session=current_access_token())
    db.session.commit()
    return user


@blp.route("/me", methods=["DELETE"])
@access(Token.attendee)
@blp.response(204)
def delete_me():
    """Delete your account and all your data"""
    services.delete_account(require_user())
    db.session.commit()


@blp.route("/me/export", methods=["GET"])
@access(Token.attendee)
@blp.response(200, ExportSchema)
def export_me():
    """Download everything netevents holds about you (JSON)"""
    return services.export_personal_data(require_user())
