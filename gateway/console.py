"""The advocate console: sign-in, the queue of cases, and the live chat with a member.

Sessions are random tokens in an HttpOnly, SameSite=Strict cookie, stored only as hashes. Every
state-changing call needs the session's CSRF token (an HMAC of the session under a key of its
own) and must come from the gateway's own origin. Case data goes only to a signed-in advocate.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web

from appeal import handoff_store
from appeal.clock import today
from appeal.guidance import text
from appeal.handoff import CLOSED, HANDED_BACK, HELD
from appeal.sealing import derived_key
from gateway.config import LONG_POLL_SECONDS
from gateway.member import refuse
from gateway.state import GatewayState

COOKIE = "hmo_advocate"
MAX_REPLY_CHARS = 5_000
STATIC_DIR = Path(__file__).resolve().parent / "static"
CONSOLE_FILES = {
    "console.js": "text/javascript",
    "console.css": "text/css",
    "sign-in.js": "text/javascript",
}

# Pages run only the gateway's own scripts and talk only to the gateway.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}

routes = web.RouteTableDef()
Handler = Callable[[web.Request, handoff_store.Advocate], Awaitable[web.StreamResponse]]


def csrf_token(session_token: str) -> str:
    return hmac.new(derived_key("console-csrf"), session_token.encode(), hashlib.sha256).hexdigest()


def _same_origin(request: web.Request) -> bool:
    """A browser names the page's origin on a POST; it must be the console's own."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # not a browser's cross-site request; the CSRF token still guards it
    own = f"{request.scheme}://{request.host}".lower()
    state: GatewayState = request.app["state"]
    return origin.lower() in (own, state.config.public_url.lower())


def signed_in(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Only for a valid session; a POST also needs its CSRF token and the console's origin."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        token = request.cookies.get(COOKIE, "")
        advocate = await asyncio.to_thread(handoff_store.session_advocate, token)
        if advocate is None:
            return refuse(401, "Please sign in.")
        if request.method == "POST":
            sent = request.headers.get("X-CSRF-Token", "")
            if not _same_origin(request) or not hmac.compare_digest(sent, csrf_token(token)):
                return refuse(403, "This request was refused. Reload the console and try again.")
        return await handler(request, advocate)

    return guarded


def page(name: str) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / name, headers=PAGE_HEADERS)


@routes.get("/console")
async def console_page(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(COOKIE, "")
    if await asyncio.to_thread(handoff_store.session_advocate, token) is None:
        raise web.HTTPSeeOther("/console/sign-in")
    return page("console.html")


@routes.get("/console/sign-in")
async def sign_in_page(_request: web.Request) -> web.StreamResponse:
    return page("sign-in.html")


@routes.get("/console/static/{name}")
async def console_static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    if name not in CONSOLE_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(
        STATIC_DIR / name,
        headers={"Content-Type": CONSOLE_FILES[name], "Cache-Control": "no-cache"},
    )


@routes.post("/console/api/sign-in")
async def sign_in(request: web.Request) -> web.Response:
    state: GatewayState = request.app["state"]
    if not _same_origin(request) or request.content_type != "application/json":
        return refuse(403, "Sign in from the console's own page.")
    wait = state.sign_in_limit.retry_after(request.remote or "unknown")
    if wait:
        return refuse(429, "Too many tries. Wait a minute, then try again.",
                      **{"Retry-After": str(int(wait) + 1)})  # fmt: skip
    try:
        body = await request.json()
        username, password = str(body["username"]), str(body["password"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return refuse(400, "Enter your username and password.")
    advocate = await asyncio.to_thread(handoff_store.check_sign_in, username, password[:300])
    if advocate is None:
        return refuse(401, "That username and password don't match. Try again.")
    token = await asyncio.to_thread(handoff_store.start_session, advocate)
    response = web.json_response({"name": advocate.name, "csrf": csrf_token(token)})
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        path="/console",
        secure=state.config.secure_cookies,
        max_age=handoff_store.SESSION_HOURS * 3600,
    )
    return response


@routes.post("/console/api/sign-out")
@signed_in
async def sign_out(request: web.Request, _advocate: handoff_store.Advocate) -> web.Response:
    await asyncio.to_thread(handoff_store.end_session, request.cookies.get(COOKIE, ""))
    response = web.json_response({})
    response.del_cookie(COOKIE, path="/console")
    return response


@routes.get("/console/api/session")
@signed_in
async def session_info(request: web.Request, advocate: handoff_store.Advocate) -> web.Response:
    return web.json_response(
        {
            "name": advocate.name,
            "username": advocate.username,
            "csrf": csrf_token(request.cookies.get(COOKIE, "")),
        }
    )


def _days_left(deadline: date | None) -> int | None:
    return (deadline - today()).days if deadline else None


def case_row(case: handoff_store.Case) -> dict[str, Any]:
    summary = case.summary
    return {
        "id": case.id,
        "status": case.status,
        "urgent": case.urgent,
        "nearest_deadline": case.nearest_deadline.isoformat() if case.nearest_deadline else None,
        "days_left": _days_left(case.nearest_deadline),
        "created_at": case.created_at.isoformat(),
        "state": summary.get("state"),
        "plan": summary.get("plan"),
        "service": summary.get("service"),
        "reason": summary.get("reason"),
        "advocate": case.advocate_name,
        "callback": case.callback,
    }


def _line(line: handoff_store.Line) -> dict[str, Any]:
    return {"id": line.id, "from": line.speaker, "text": line.text, "name": line.name,
            "at": line.at.isoformat()}  # fmt: skip


@routes.get("/console/api/cases")
@signed_in
async def cases(request: web.Request, _advocate: handoff_store.Advocate) -> web.Response:
    state: GatewayState = request.app["state"]
    try:
        seen = int(request.query.get("version", "0"))
    except ValueError:
        seen = 0
    version = state.hub.console_version
    if seen == version:
        version = await state.hub.wait_console(seen, LONG_POLL_SECONDS)
    queue = await asyncio.to_thread(handoff_store.queue)
    return web.json_response({"version": version, "cases": [case_row(case) for case in queue]})


async def _found(request: web.Request) -> handoff_store.Case:
    try:
        case_id = int(request.match_info["case_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    case = await asyncio.to_thread(handoff_store.get_case, case_id)
    if case is None:
        raise web.HTTPNotFound()
    return case


@routes.get("/console/api/cases/{case_id}")
@signed_in
async def case_detail(request: web.Request, _advocate: handoff_store.Advocate) -> web.Response:
    case = await _found(request)
    lines = await asyncio.to_thread(handoff_store.case_lines, case.id)
    transcript = [
        {"id": None, "from": item.get("from"), "text": item.get("text"), "name": None,
         "at": item.get("at")}
        for item in case.transcript
    ]  # fmt: skip
    return web.json_response(
        {
            "case": case_row(case),
            "summary": case.summary,
            "transcript": transcript,
            "messages": [_line(line) for line in lines],
        }
    )


async def _changed(request: web.Request, case_id: int) -> web.Response:
    state: GatewayState = request.app["state"]
    case = await asyncio.to_thread(handoff_store.get_case, case_id)
    if case is None:
        raise web.HTTPNotFound()
    await state.hub.changed(case.sender_id)
    return web.json_response({"case": case_row(case)})


@routes.post("/console/api/cases/{case_id}/take")
@signed_in
async def take(request: web.Request, advocate: handoff_store.Advocate) -> web.Response:
    case = await _found(request)
    if case.status == HELD and case.advocate_id == advocate.id:
        return web.json_response({"case": case_row(case)})
    if not await asyncio.to_thread(handoff_store.take_case, case.id, advocate.id):
        return refuse(409, "Another advocate has taken this case.")
    joined = text("handoff_joined").format(name=advocate.name)
    await asyncio.to_thread(handoff_store.add_line, case, "system", joined, advocate.name)
    return await _changed(request, case.id)


@routes.post("/console/api/cases/{case_id}/messages")
@signed_in
async def reply(request: web.Request, advocate: handoff_store.Advocate) -> web.Response:
    case = await _found(request)
    if case.status != HELD or case.advocate_id != advocate.id:
        return refuse(409, "Take this case before writing to the member.")
    try:
        said = (await request.json())["text"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return refuse(400, "Write a message first.")
    if not isinstance(said, str) or not said.strip():
        return refuse(400, "Write a message first.")
    if len(said) > MAX_REPLY_CHARS:
        return refuse(413, f"Please keep a message under {MAX_REPLY_CHARS:,} characters.")
    line = await asyncio.to_thread(
        handoff_store.add_line, case, "advocate", said.strip(), advocate.name
    )
    state: GatewayState = request.app["state"]
    await state.hub.changed(case.sender_id)
    return web.json_response({"message": _line(line)})


async def _end(request: web.Request, advocate: handoff_store.Advocate, status: str) -> web.Response:
    case = await _found(request)
    if not await asyncio.to_thread(handoff_store.end_case, case.id, advocate.id, status):
        return refuse(409, "Only the advocate holding this case can do that.")
    notice = "handoff_handed_back" if status == HANDED_BACK else "handoff_closed"
    said = text(notice).format(name=advocate.name)
    await asyncio.to_thread(handoff_store.add_line, case, "system", said, advocate.name)
    return await _changed(request, case.id)


@routes.post("/console/api/cases/{case_id}/hand-back")
@signed_in
async def hand_back(request: web.Request, advocate: handoff_store.Advocate) -> web.Response:
    return await _end(request, advocate, HANDED_BACK)


@routes.post("/console/api/cases/{case_id}/close")
@signed_in
async def close(request: web.Request, advocate: handoff_store.Advocate) -> web.Response:
    return await _end(request, advocate, CLOSED)
