"""ASGI guards around the app: a request body limit (413 past it, also for bodies sent without a length)
and a last catch that turns any escaped exception into a 500 naming nothing of the request.

Both sit outside FastAPI's own error handling: an exception that reached Starlette's ServerErrorMiddleware
would be re-raised to uvicorn, which logs it with its message, and a message (a validation error's, say)
can quote the note."""

from __future__ import annotations

import json
import logging

logger = logging.getLogger("billfacts.service")


class _TooLarge(Exception):
    pass


async def _send_json(send, status: int, body: dict, headers: tuple = ()) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": data})


class Guard:
    """Wraps the ASGI app: body limit, and no exception (nor its message) ever leaves it."""

    def __init__(self, app, max_body_bytes: int):
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_body_bytes
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    return await _send_json(send, 413, _too_large(limit))
        received = 0
        started = over_limit = False

        async def limited_receive():
            nonlocal received, over_limit
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over_limit = True
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if over_limit:
                # FastAPI turns an error while reading the body into its own 400: answer 413 instead.
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _send_json(send, 413, _too_large(limit))
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_json(send, 413, _too_large(limit))
        except Exception as exc:  # noqa: BLE001 - the last guard: a 500 that names the exception type only
            logger.error("request failed: %s", type(exc).__name__)
            if not started:
                await _send_json(send, 500, {"error": {"code": "internal_error",
                                                       "message": "the service failed on this request"}})


def _too_large(limit: int) -> dict:
    return {"error": {"code": "body_too_large", "message": f"the request body is over the {limit:,}-byte limit"}}
