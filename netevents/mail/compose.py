"""An email's two bodies from one pair of templates: templates/mail/NAME.txt and templates/mail/NAME.html.

Both extend a base (mail/base.txt, mail/base.html) that carries the greeting-free frame: the product's
name, a footer saying why the person gets this email, and, for emails people can turn off, the
unsubscribe line. The HTML is escaped by Jinja (Flask autoescapes .html), the text is not.
"""

from flask import render_template


def render_email(name: str, **context) -> tuple[str, str]:
    """The plain-text and the HTML body of the email `name`, rendered with `context`."""
    return render_template(f"mail/{name}.txt", **context), render_template(f"mail/{name}.html", **context)
