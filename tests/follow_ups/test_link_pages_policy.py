"""The pages email links open carry an inline <style>; the Content-Security-Policy allows exactly it by hash, so
they are styled (not bare text with a policy violation in the console)."""

import base64
import hashlib
import re

import pytest


@pytest.mark.parametrize("link", ["/unsubscribe/no-such-link", "/followed-up/no.such-link"])
def test_the_style_of_an_email_links_page_is_allowed_by_its_hash(client, link):
    response = client.get(link)
    assert response.mimetype == "text/html"
    [style] = re.findall(r"<style>(.*?)</style>", response.get_data(as_text=True), flags=re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]
