"""The chat page's HTTP guard (used by `ui.launch`): an ASGI middleware around Gradio's app.

It answers only the allowed Host names (against DNS rebinding), adds security headers (a CSP
that runs only the page's own inline scripts) to every response, refuses request bodies over
MAX_BODY_BYTES without reading them and closes Gradio's upload routes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Awaitable, Callable, Collection, Iterable
from typing import Any

MAX_BODY_BYTES = 1024 * 1024  # any request body; a question (10,000 characters) and its chat history fit well
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")  # Host names always answered
ALLOW_HOSTS_ENV = "TRANSCRIPT_QA_ALLOW_HOSTS"  # more Host names, comma-separated (like --allow-host)

# The routes Gradio offers for files sent to the server; the page sends none, so they are closed.
UPLOAD_ROUTES = ("/gradio_api/upload", "/gradio_api/upload_progress", "/gradio_api/process_recording")
BAD_HOST = "This server does not answer for that host name; start it with --allow-host NAME to allow it."
TOO_LARGE = f"The request is over {MAX_BODY_BYTES // (1024 * 1024)} MB, the most this page accepts."
NO_UPLOADS = "Not found: this page takes no uploads."
FIXED_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
# What the page needs, and nothing from other sites: Gradio's scripts, styles, fonts and API on this
# origin; its inline styles; its inline scripts by their hashes (added per page), so an injected
# `<script>` or `onerror=` does not run; no framing, no plugins. 'unsafe-eval' because Gradio 6's
# gr.HTML (the sources panel) compiles its template with Handlebars and `Function`; our template
# is fixed ("${value}") and the HTML is passed to it as a value, never compiled.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-eval'{scripts}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
       "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9._-]+))(?::[0-9]{1,5})?", re.I)
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*(?<![\w-])src\s*=)[^>]*>(.*?)</script\s*>", re.S | re.I)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


def host_name(header: str) -> str | None:
    """The host name of a `Host` header ("LocalHost:7860" -> "localhost", "[::1]:80" -> "::1"),
    None when it is not a plain name, an IPv4 address or a bracketed IPv6 address, with an optional port."""
    match = _HOST.fullmatch(header.strip())
    if match is None:
        return None
    return (match["ip6"] or match["name"]).lower().removesuffix(".")


def allowed_hosts(host: str = "127.0.0.1", extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names the page answers: the loopback names, the address it listens on (unless
    that is every address), the names given with --allow-host and those in $TRANSCRIPT_QA_ALLOW_HOSTS.

    Raises:
        ValueError: a name that is not a host name.
    """
    names = set(LOOPBACK_HOSTS)
    if host not in ("0.0.0.0", "::", ""):  # "every address" is not a name a browser sends
        names.add(host)
    names.update(extra)
    names.update(part for part in re.split(r"[,\s]+", os.environ.get(ALLOW_HOSTS_ENV, "")) if part)
    checked = set()
    for name in names:
        bracketed = f"[{name}]" if name.count(":") > 1 and not name.startswith("[") else name  # a bare IPv6 address
        if (normal := host_name(bracketed)) is None:
            raise ValueError(f"{name!r} is not a host name; give a name or address such as qa.example.org")
        checked.add(normal)
    return frozenset(checked)


def inline_script_hashes(page: bytes) -> list[str]:
    """The CSP sources ('sha256-...') of a page's inline scripts: those run, no others."""
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in _INLINE_SCRIPT.findall(page)]


def security_headers(script_hashes: Iterable[str] = ()) -> list[tuple[bytes, bytes]]:
    scripts = "".join(" " + source for source in script_hashes)
    headers = {**FIXED_HEADERS, "content-security-policy": CSP.format(scripts=scripts)}
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class Guard:
    """ASGI middleware around Gradio's app: it answers only the allowed Host names (DNS
    rebinding), adds the security headers to every response, refuses request bodies over
    `max_body` bytes without reading them (413) and closes the upload routes (404)."""

    def __init__(self, app: Callable, hosts: Callable[[], Collection[str]], max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if scope["type"] == "websocket":  # Gradio 6 uses none; still, only for the allowed names
            if host_name(headers.get("host", "")) in self.hosts():
                await self.app(scope, receive, send)
            else:
                await send({"type": "websocket.close", "code": 1008})
            return
        send = with_security_headers(send)
        if host_name(headers.get("host", "")) not in self.hosts():
            await refuse(send, 400, BAD_HOST)
            return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:  # (the server checked its form)
            await refuse(send, 413, TOO_LARGE)  # before any byte of the body is read
            return
        if scope["path"].rstrip("/").endswith(UPLOAD_ROUTES) or \
                headers.get("content-type", "").lower().startswith("multipart/form-data"):
            await refuse(send, 404, NO_UPLOADS)
            return
        if length is None and "chunked" in headers.get("transfer-encoding", "").lower():
            body = await read_at_most(receive, self.max_body)  # no length given: count the bytes as they come
            if body is None:
                await refuse(send, 413, TOO_LARGE)
                return
            receive = replay(body, receive)
        await self.app(scope, receive, send)


async def refuse(send: Send, status: int, message: str) -> None:
    """A one-line plain-text answer; the connection is closed after it, so an unread body is dropped."""
    body = (message + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def read_at_most(receive: Receive, limit: int) -> list[dict[str, Any]] | None:
    """The request body's messages, None as soon as they pass `limit` bytes (the rest stays unread)."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if not message.get("more_body", False):
            return messages


def replay(messages: list[dict[str, Any]], receive: Receive) -> Receive:
    """A `receive` that gives the messages already read, then the client's own."""
    pending = list(messages)

    async def replayed() -> dict[str, Any]:
        return pending.pop(0) if pending else await receive()
    return replayed


def with_security_headers(send: Send) -> Send:
    """A `send` that adds the security headers to the response; for an HTML page it first reads
    the page (Gradio's own, small) to allow exactly its inline scripts."""
    held: dict[str, Any] | None = None
    chunks: list[bytes] = []

    async def secured(message: dict[str, Any]) -> None:
        nonlocal held
        if message["type"] == "http.response.start":
            headers = [(name, value) for name, value in message.get("headers", [])
                       if name.decode("latin-1").lower() not in (*FIXED_HEADERS, "content-security-policy")]
            message = {**message, "headers": headers}
            content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
            if content_type.lower().startswith(b"text/html"):
                held = message  # sent with the page, once its scripts are known
                return
            message["headers"] = headers + security_headers()
        elif message["type"] == "http.response.body" and held is not None:
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(chunks)
            await send({**held, "headers": held["headers"] + security_headers(inline_script_hashes(page))})
            held = None
            message = {"type": "http.response.body", "body": page}
        await send(message)
    return secured
