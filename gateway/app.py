"""The gateway's web app. For now it serves downloads (calendar files) and a health check.

Download links carry their token in the path, so the access log writes the path without it:
a log must never hold what opens a member's file.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from appeal import db, downloads

_TOKEN_IN_PATH = re.compile(r"^/downloads/[^/]+")
EXPIRED_TEXT = (
    "This link has expired or is not valid. Links to your files work for a limited time to keep "
    "your information private. Ask the assistant again for a new one."
)


async def health(_request: web.Request) -> web.Response:
    ready = await asyncio.to_thread(db.engine)
    return web.json_response({"status": "ok", "database": ready.dialect.name})


async def download(request: web.Request) -> web.StreamResponse:
    token = request.match_info["token"]
    found = await asyncio.to_thread(downloads.fetch, token)
    if found is None or found.filename != request.match_info["filename"]:
        return web.Response(status=404, text=EXPIRED_TEXT, headers={"Cache-Control": "no-store"})
    return web.Response(
        body=found.content,
        headers={
            "Content-Type": found.media_type,
            "Content-Disposition": f'attachment; filename="{found.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


class RedactingAccessLogger(AbstractAccessLogger):
    """One line per request, with any download token cut out of the path."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        path = _TOKEN_IN_PATH.sub("/downloads/[token]", request.path)
        self.logger.info("%s %s %s %.1fms", request.method, path, response.status, time * 1000)


def make_app() -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app.router.add_get("/health", health)
    app.router.add_get("/downloads/{token}/{filename}", download)
    return app
