"""The site's icon: /favicon.ico exists (no 404 in the console on a first visit) and every page links it."""

import re

import pytest


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_favicon_ico_is_served_without_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert body(response)[:4] == b"\x00\x00\x01\x00"  # the ICO header: reserved 0, type 1 (icon)


@pytest.mark.django_db
def test_every_page_links_icons_that_exist(client):
    page = client.get("/accounts/login/").content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert len(links) == 2 and links[0] == "/favicon.ico" and links[1].endswith(".svg")
    svg = client.get(links[1])
    assert svg.status_code == 200
    assert body(svg).startswith(b"<svg")
