"""Reading the emails tests receive (parsed with email.policy.default)."""

from email.message import EmailMessage


def recipient(message: EmailMessage) -> str:
    """The one address an email is to, without the person's name."""
    (address,) = message["To"].addresses
    return address.addr_spec


def plain_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def inline_image(message: EmailMessage) -> EmailMessage:
    """The one image the HTML part shows from inside the message (its multipart/related)."""
    (image,) = [part for part in message.walk() if part.get_content_maintype() == "image"]
    assert image.get_content_disposition() == "inline"
    return image
