"""The gateway serves downloads behind their tokens and never logs a token."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from aiohttp.web import Response

from appeal import downloads
from gateway.app import RedactingAccessLogger, make_app

ICS = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    server = TestServer(make_app())
    async with TestClient(server) as test_client:
        yield test_client


async def test_health(client):
    response = await client.get("/health")
    assert response.status == 200
    assert (await response.json())["status"] == "ok"


async def test_a_download_is_served_as_an_attachment_and_never_cached(client):
    token = downloads.store(ICS, "appeal-deadlines.ics", "text/calendar; charset=utf-8")
    response = await client.get(f"/downloads/{token}/appeal-deadlines.ics")
    assert response.status == 200
    assert await response.read() == ICS
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert response.headers["Content-Disposition"] == 'attachment; filename="appeal-deadlines.ics"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/downloads/{token}/other.ics",
        "/downloads/not-a-token/appeal-deadlines.ics",
        "/downloads/" + "A" * 43 + "/appeal-deadlines.ics",
        "/downloads/%3Cscript%3E/appeal-deadlines.ics",
    ],
)
async def test_wrong_or_unknown_links_get_a_kind_404(client, path):
    token = downloads.store(ICS, "appeal-deadlines.ics", "text/calendar")
    response = await client.get(path.format(token=token))
    assert response.status == 404
    assert "expired or is not valid" in await response.text()


def test_the_access_log_never_holds_a_token(caplog):
    token = downloads.store(ICS, "appeal-deadlines.ics", "text/calendar")
    logger = RedactingAccessLogger(logging.getLogger("test.access"), "")
    mocked = make_mocked_request("GET", f"/downloads/{token}/appeal-deadlines.ics")
    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.log(mocked, Response(status=200), 0.01)
    assert token not in caplog.text
    assert "/downloads/[token]/appeal-deadlines.ics" in caplog.text
