"""The explicit list of blueprints; no discovery magic."""

from netevents.accounts.routes import blp as accounts
from netevents.events.routes import blp as events
from netevents.registrations.routes import blp as registrations
from netevents.web.routes import bp as web

API_BLUEPRINTS = (accounts, events, registrations)
WEB_BLUEPRINTS = (web,)
