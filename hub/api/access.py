"""Who is calling, and what of producers' personal data they may see (docs/access.md).

* ``Authorization: Bearer <token>`` → hub.auth.verify_token → a Principal; an unknown, revoked or
  malformed token (or any other Authorization scheme) is refused with 401 before any route runs:
  a bad key is never treated as anonymous.
* No Authorization header → anonymous researcher (principal ``None``).

Personal data = a producer's phone, e-mail and contact person, and the *name* of a household
producer (hộ sản xuất / hộ kinh doanh: the name of a person). The ministry sees all of it; a
province key sees it for its own province's producers; anyone else gets null contact fields and
HOUSEHOLD_LABEL in place of a household's name, everywhere (GraphQL, exports, search, messages).
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, literal, or_, true
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.engine import Engine

from hub.auth import Principal, verify_token
from hub.models import Producer, ProducerType, Role

HOUSEHOLD = ProducerType.HOUSEHOLD.value
HOUSEHOLD_LABEL = "Hộ sản xuất kinh doanh (ẩn danh)"
PERSONAL_FIELDS = ("phone", "email", "contact_person")
# canonical record fields that may carry personal data (rejected rows, audit before/after)
PERSONAL_RECORD_FIELDS = frozenset({"producer_name", "phone", "email", "contact_person", "tax_code"})
STATE_KEY = "principal"


def sees_all(principal: Principal | None) -> bool:
    return principal is not None and principal.role is Role.MINISTRY


def may_see_personal(principal: Principal | None, province_code: str | None) -> bool:
    """May ``principal`` see the personal data of producers registered in ``province_code``?"""
    if principal is None:
        return False
    if principal.role is Role.MINISTRY:
        return True
    return province_code is not None and principal.province_code == province_code


def shown_name(principal: Principal | None, name: str, producer_type: str | None, province_code: str | None) -> str:
    """A producer's name as ``principal`` may see it: households are anonymous to outsiders."""
    if producer_type == HOUSEHOLD and not may_see_personal(principal, province_code):
        return HOUSEHOLD_LABEL
    return name


def personal_visible_sql(principal: Principal | None) -> ColumnElement[bool]:
    """SQL: the Producer row's personal data is visible to ``principal``."""
    if principal is None:
        return false()
    if principal.role is Role.MINISTRY:
        return true()
    return Producer.province_code == literal(principal.province_code)


def name_searchable_sql(principal: Principal | None) -> ColumnElement[bool]:
    """SQL: the Producer's name may be matched by a search of ``principal`` (hidden names never match)."""
    if sees_all(principal):
        return true()
    not_household = or_(Producer.producer_type.is_(None), Producer.producer_type != HOUSEHOLD)
    return or_(not_household, personal_visible_sql(principal))


def shown_name_sql(principal: Principal | None) -> ColumnElement[Any]:
    """SQL: the producer name as shown to ``principal`` (used to order and page by name)."""
    if sees_all(principal):
        return Producer.name
    hidden: ColumnElement[bool] = Producer.producer_type == HOUSEHOLD
    if principal is not None:
        hidden = and_(hidden, Producer.province_code != literal(principal.province_code))
    return case((hidden, literal(HOUSEHOLD_LABEL)), else_=Producer.name)


def scrub_record(principal: Principal | None, province_code: str | None, record: dict[str, Any] | None,
                 fields_of: Any = None) -> dict[str, Any] | None:
    """A raw row or audit snapshot with personal values removed unless ``principal`` may see them.

    ``fields_of(key)`` maps a key to its canonical field (registry headers); default: the key itself.
    """
    if record is None or may_see_personal(principal, province_code):
        return record
    out: dict[str, Any] = {}
    for key, value in record.items():
        field = fields_of(key) if fields_of else key
        if field in PERSONAL_RECORD_FIELDS:
            out[key] = HOUSEHOLD_LABEL if field == "producer_name" and value else None
        else:
            out[key] = value
    return out


class AuthError(Exception):
    """The Authorization header is present but not acceptable."""


def bearer_token(header: str) -> str:
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthError("Malformed Authorization header: send 'Authorization: Bearer <token>', "
                        "or no Authorization header at all to read public data anonymously.")
    return token


class Authenticate:
    """ASGI middleware: resolve the caller once per request and put it in ``scope['state']``.

    Routes read it as ``request.state.principal`` (None: anonymous); GraphQL gets it in its context.
    """

    def __init__(self, app: ASGIApp, engine: Engine) -> None:
        self.app = app
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        header = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                header = value.decode("latin-1")
                break
        principal: Principal | None = None
        if header is not None:
            try:
                token = bearer_token(header)
            except AuthError as exc:
                await unauthorized(send, str(exc))
                return
            principal = await run_in_threadpool(verify_token, self.engine, token)
            if principal is None:
                await unauthorized(send, "Invalid API key: it is unknown or has been revoked. "
                                         "Ask the ministry for a valid key, or send no Authorization header "
                                         "to read public data anonymously.")
                return
        scope["state"] = {**scope.get("state", {}), STATE_KEY: principal}
        await self.app(scope, receive, send)


async def unauthorized(send: Send, message: str) -> None:
    payload = json.dumps({"error": message, "code": "UNAUTHENTICATED"}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"www-authenticate", b'Bearer realm="ocop-hub"'),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def principal_of(request: Any) -> Principal | None:
    """The caller of a Starlette request (set by Authenticate)."""
    return request.scope.get("state", {}).get(STATE_KEY)


def scrub_rejected(principal: Principal | None, province_code: str | None, raw: dict[str, Any] | None,
                   errors: list[Any] | None, fields_of: Any = None) -> tuple[dict[str, Any], list[Any]]:
    """A rejected row (raw cells, errors) as ``principal`` may see it.

    Outsiders get the personal cells (producer name, phone, e-mail, contact person, tax code)
    blanked, and those values cut out of the error messages and values too: a row that was
    refused because its producer type is unknown says so without naming the person.
    """
    raw = raw or {}
    errors = [e for e in (errors or []) if isinstance(e, dict)]
    if may_see_personal(principal, province_code):
        return raw, errors
    hidden = sorted({str(v) for k, v in raw.items()
                     if v not in (None, "") and (fields_of(k) if fields_of else k) in PERSONAL_RECORD_FIELDS},
                    key=len, reverse=True)
    clean_raw = scrub_record(principal, province_code, raw, fields_of) or {}

    def cut(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        for value in hidden:
            text = text.replace(value, "(ẩn danh)")
        return text

    clean_errors = []
    for e in errors:
        e = dict(e)
        if e.get("field") in PERSONAL_RECORD_FIELDS or (e.get("value") is not None and str(e["value"]) in hidden):
            e["value"] = None
        e["message"] = cut(e.get("message"))
        clean_errors.append(e)
    return clean_raw, clean_errors
