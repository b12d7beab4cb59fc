"""The app behind gunicorn's asyncio worker: each request is read whole on the event loop, and only then does one
of a few threads run the Flask app on it.

Why: with a thread per connection (gthread), a client that sends its headers a byte a second holds a thread for
as long as it likes, and eight such clients took every thread of the default deployment. Here an unfinished
request costs a coroutine and a buffer; the threads only ever run complete requests. Reading the body here also
bounds it whatever its framing: a chunked body over the limit is refused with the app's own 413 instead of being
cut where the limit falls and parsed as if whole.
"""

from __future__ import annotations

import asyncio
import io
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote_to_bytes

from flask import Flask

from .app import create_app

Response = tuple[str, list[tuple[str, str]], bytes]


class BufferedFront:
    """An ASGI application over a WSGI one: requests are buffered to their end, the WSGI app runs in `threads`
    threads of each worker process (made in the worker, after gunicorn forks it)."""

    def __init__(self, wsgi_app: Callable, *, threads: int, max_body_bytes: int):
        self.wsgi_app, self.threads, self.max_body_bytes = wsgi_app, threads, max_body_bytes
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    def pool(self) -> ThreadPoolExecutor:
        if self._pool is None or self._pool_pid != os.getpid():  # threads do not survive a fork
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="reader-context")
            self._pool_pid = os.getpid()
        return self._pool

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return  # no WebSocket routes: the worker refuses the handshake when the app sends nothing
        body, too_large = await self._read_body(receive)
        if body is None:
            return  # the client left, or stopped sending, before the end of its body: there is no request to run
        environ = wsgi_environ(scope, body)
        if too_large:
            # The app answers, so the refusal is the same JSON and log line as for a declared Content-Length:
            # it sees a length over its limit and refuses before reading anything.
            environ["CONTENT_LENGTH"] = str(too_large)
            environ["wsgi.input"] = io.BytesIO()
        loop = asyncio.get_running_loop()
        status, headers, content = await loop.run_in_executor(self.pool(), run_wsgi, self.wsgi_app, environ)
        code = int(status.split(" ", 1)[0])
        if too_large:
            headers.append(("Connection", "close"))  # the rest of that body is never read
        await send({"type": "http.response.start", "status": code,
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]})
        await send({"type": "http.response.body", "body": content})

    async def _read_body(self, receive: Callable) -> tuple[bytes | None, int]:
        """The body and 0; b"" and its length so far once that passes the limit; None if it never ended."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None, 0
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return b"", size
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        return b"".join(chunks), 0


async def _lifespan(receive: Callable, send: Callable) -> None:
    # The app is loaded before gunicorn forks; there is nothing to start or stop per worker.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def wsgi_environ(scope: dict, body: bytes) -> dict:
    """PEP 3333's environ for an ASGI HTTP scope whose body has been read whole."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    server = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": unquote_to_bytes(raw.split(b"?", 1)[0]).decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]), "SERVER_PORT": str(server[1] or 80),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0), "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = str(scope["client"][0]), str(scope["client"][1])
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").upper().replace("-", "_")
        if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
            continue  # the body has been read and de-chunked: its length is known, whatever the client framed
        if key != "CONTENT_TYPE":
            key = "HTTP_" + key
        text = value.decode("latin-1")
        environ[key] = f"{environ[key]},{text}" if key in environ else text
    return environ


def run_wsgi(app: Callable, environ: dict) -> Response:
    """Call the WSGI app in this thread and collect its whole answer (the API's answers are small)."""
    started: list = []

    def start_response(status, headers, exc_info=None):
        # Nothing has gone out before the app returns, so an error page may always replace what was started.
        started[:] = [status, list(headers)]
        return lambda data: parts.append(data)

    parts: list[bytes] = []
    result = app(environ, start_response)
    try:
        parts.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return started[0], started[1], b"".join(parts)


def create_front(threads: int = 4, app: Flask | None = None) -> BufferedFront:
    """gunicorn's entry point (gunicorn.conf.py): the Flask app, loaded once in the master, behind the front."""
    app = app or create_app()
    return BufferedFront(app, threads=threads, max_body_bytes=app.config["MAX_CONTENT_LENGTH"])
