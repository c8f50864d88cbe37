"""The explicit list of blueprints; no discovery magic."""

from netevents.accounts.routes import blp as accounts
from netevents.badges.routes import blp as badges
from netevents.bingo.routes import blp as bingo
from netevents.checkin.join import bp as webinar_join
from netevents.checkin.routes import blp as checkin
from netevents.events.routes import blp as events
from netevents.follow_ups.pages import bp as email_links
from netevents.follow_ups.routes import blp as follow_ups
from netevents.health import bp as health
from netevents.mail.routes import blp as mail
from netevents.people.routes import blp as people
from netevents.registrations.pages import bp as registration_links
from netevents.registrations.routes import blp as registrations
from netevents.summary.routes import blp as summary
from netevents.web.routes import bp as web

API_BLUEPRINTS = (accounts, events, registrations, checkin, badges, people, bingo, summary, mail, follow_ups)
WEB_BLUEPRINTS = (health, webinar_join, email_links, registration_links, web)
