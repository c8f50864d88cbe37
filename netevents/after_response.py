"""Work done once the response has left: the answer cannot depend on it, nor take its time.

Sign-in and sign-up requests answer the same way for any address; if they did their work first (look the account
up, write a link, queue and deliver an email) a stranger could time the answer and tell which addresses have an
account. So the view validates, answers, and the work runs when the server closes the response (Werkzeug's
`call_on_close`), in an app context and transaction of its own, committed when it returns.
"""

import logging
from collections.abc import Callable

from flask import Response, after_this_request, current_app

from netevents.extensions import db

log = logging.getLogger(__name__)


def after_response(work: Callable[[], None]) -> None:
    """Run `work` after this request's response has been sent; a failure is logged, the answer stands."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app itself, not the proxy

    def run() -> None:
        with app.app_context():
            try:
                work()
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("work after the response failed: %s", getattr(work, "__qualname__", work))

    @after_this_request
    def when_closed(response: Response) -> Response:
        response.call_on_close(run)
        return response
