"""The app's login for machine clients: the OpenAI API and the MCP server.

The browser logs in through Gradio's form and carries a cookie; programs cannot, so they send
the same ``user:password`` in the ``Authorization`` header, either as a bearer token (what the
``openai`` client sends for its ``api_key``) or as HTTP Basic.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json

from starlette.types import ASGIApp, Receive, Scope, Send

LOGIN_HINT = (
    "missing or wrong login — send the app's user:password as the bearer token "
    "(the openai client's api_key) or as HTTP Basic"
)


class Login:
    """Checks an ``Authorization`` header against the app's ``(user, password)`` pairs.

    With no pairs the app has no login and every request is let in."""

    def __init__(self, credentials: list[tuple[str, str]] | None) -> None:
        self._accepted = [f"{user}:{password}".encode() for user, password in credentials or []]

    @property
    def required(self) -> bool:
        return bool(self._accepted)

    def allows(self, authorization: str | None) -> bool:
        if not self._accepted:
            return True
        offered = _offered(authorization or "")
        # compare_digest with every pair, so the time taken does not tell which user matched
        matches = [hmac.compare_digest(offered, pair) for pair in self._accepted]
        return any(matches)


def _offered(authorization: str) -> bytes:
    """The ``user:password`` a header carries, as bytes; empty when it carries none.

    Headers arrive decoded as Latin-1, so encoding back to Latin-1 restores the bytes sent."""
    scheme, _, value = authorization.strip().partition(" ")
    try:
        raw = value.strip().encode("latin-1")
        if scheme.lower() == "bearer":
            return raw
        if scheme.lower() == "basic":
            return base64.b64decode(raw, validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        pass
    return b""


class LoginRequired:
    """An ASGI app behind the login: requests without it get 401 and a JSON error in the
    OpenAI shape naming the fix. A class, so Starlette routes to it as an ASGI app."""

    def __init__(self, app: ASGIApp, login: Login) -> None:
        self.app, self.login = app, login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        header = headers.get(b"authorization", b"").decode("latin-1")
        if scope["type"] != "http" or self.login.allows(header):
            await self.app(scope, receive, send)
            return
        body = json.dumps(
            {
                "error": {
                    "message": LOGIN_HINT,
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'Bearer realm="clusterqa"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
