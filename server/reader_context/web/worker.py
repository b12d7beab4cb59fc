"""gunicorn's asyncio worker, with the refusals gunicorn makes itself (a request line or headers over its limits,
a request that is not HTTP) in the API's JSON, as every other error is, instead of gunicorn's plain text."""

from __future__ import annotations

import json

from gunicorn.asgi import protocol
from gunicorn.workers import gasgi

_ERRORS = {
    400: ("bad_request", "the request is not valid HTTP/1.1"),
    414: ("uri_too_long", "the request line is longer than {line} bytes; ask for fewer or shorter card ids"),
    431: ("headers_too_large", "the request has more than {fields} header fields or one longer than {field} bytes"),
    501: ("not_implemented", "the server does not implement what the request asks"),
}


class JsonErrorsProtocol(protocol.ASGIProtocol):
    def _send_error_response(self, status, message, extra_headers=()):
        # gunicorn's message can quote the request (a name in a query string): it stays out of the answer.
        code, text = _ERRORS.get(status, ("http_error", "the server could not serve this request"))
        text = text.format(line=self.cfg.limit_request_line, fields=self.cfg.limit_request_fields,
                           field=self.cfg.limit_request_field_size)
        body = json.dumps({"error": {"code": code, "message": text}}).encode()
        reason = protocol._REASON_PHRASES.get(status, "Error")
        extra = "".join(f"{name}: {value}\r\n" for name, value in extra_headers)
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"Cache-Control: no-store\r\n{extra}Connection: close\r\n\r\n")
        self._safe_write(head.encode("latin-1") + body)


class Worker(gasgi.ASGIWorker):
    def init_process(self):
        # The worker builds each connection's protocol from this module name; in this process only, it is ours.
        gasgi.ASGIProtocol = JsonErrorsProtocol
        super().init_process()
