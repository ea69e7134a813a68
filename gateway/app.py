"""The gateway's web app: the member's widget and chat, the advocate console, downloads and a
health check. It is the only process facing the web; Rasa and the action server stay on
loopback behind it (docs/gateway-api.md).

Download links carry their token in the path, so the access log writes the path without it:
a log must never hold what opens a member's file.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from appeal import db, downloads
from appeal.guidance import text
from appeal.handoff import HandoffSettings
from gateway import console, member
from gateway.config import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, GatewayConfig
from gateway.live import watch_cases
from gateway.state import GatewayState

_TOKEN_IN_PATH = re.compile(r"^/downloads/[^/]+")
EXPIRED_TEXT = (
    "This link has expired or is not valid. Links to your files work for a limited time to keep "
    "your information private. Ask the assistant again for a new one."
)
STATIC_DIR = console.STATIC_DIR
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


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
        },
    )


async def demo_page(_request: web.Request) -> web.StreamResponse:
    return console.page("demo.html")


async def widget_script(_request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        STATIC_DIR / "widget.js",
        headers={"Content-Type": "text/javascript", "Cache-Control": "no-cache"},
    )


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, X-Conversation",
        "Access-Control-Max-Age": "600",
        "Access-Control-Expose-Headers": "Retry-After",
        "Vary": "Origin",
    }


@web.middleware
async def widget_origins(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The widget's calls are answered only for allowed sites (CORS); others are refused."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    state: GatewayState = request.app["state"]
    origin = request.headers.get("Origin")
    allowed = origin is None or origin.lower() in state.config.allowed_origins
    if not allowed:
        return member.refuse(403, text("chat_origin"))
    if request.method == "OPTIONS":
        return web.Response(status=204, headers=_cors_headers(origin or ""))
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        limit = f"{MAX_MESSAGE_CHARS:,}"
        response = member.refuse(413, text("chat_too_long").format(limit=limit))
    except web.HTTPException as error:  # 404 and 405 as JSON too, for the widget to show
        response = member.refuse(error.status, text("chat_not_json"))
    if origin:
        response.headers.update(_cors_headers(origin))
    return response


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


class RedactingAccessLogger(AbstractAccessLogger):
    """One line per request, with any download token cut out of the path."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        path = _TOKEN_IN_PATH.sub("/downloads/[token]", request.path)
        self.logger.info("%s %s %s %.1fms", request.method, path, response.status, time * 1000)


async def _lifetime(app: web.Application) -> AsyncIterator[None]:
    """The shared HTTP client and the case watcher live as long as the app."""
    state = GatewayState.start(app["config"], HandoffSettings.from_environment())
    app["state"] = state
    watcher = asyncio.create_task(
        watch_cases(state.hub, state.client, state.handoff, state.config.public_url)
    )
    yield
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    await state.client.close()


def make_app(config: GatewayConfig | None = None) -> web.Application:
    app = web.Application(
        client_max_size=MAX_BODY_BYTES, middlewares=[security_headers, widget_origins]
    )
    app["config"] = config or GatewayConfig.from_environment()
    app.cleanup_ctx.append(_lifetime)
    app.router.add_get("/", demo_page)
    app.router.add_get("/widget.js", widget_script)
    app.router.add_get("/health", health)
    app.router.add_get("/downloads/{token}/{filename}", download)
    app.router.add_routes(member.routes)
    app.router.add_routes(console.routes)
    return app
