"""Who is calling, and what of producers' personal data they may see (docs/access.md).

* ``Authorization: Bearer <token>`` → hub.access.keys.verify_token → a Principal; an unknown, revoked or
  malformed token (or any other Authorization scheme) is refused with 401 before any route runs:
  a bad key is never treated as anonymous.
* No Authorization header → anonymous researcher (principal ``None``).

Personal data = a producer's phone, e-mail and contact person, and the name and address of a
producer that may be a person: a household (hộ sản xuất / hộ kinh doanh) or a producer whose type
the hub does not know. Only an organisation (cooperative, enterprise, cooperative group) is public
by its name: the rule fails closed. The ministry sees all of it; a province key sees it for its
own province's producers; anyone else gets null contact fields and a label in place of a hidden
name (HOUSEHOLD_LABEL for a household, UNDISCLOSED_LABEL when the type is unknown), everywhere
(GraphQL, exports, search, ordering, messages).

The address rule is decided here once (``sees_address``) and every surface asks it: a possible
person's address *as written*, and what is read from it (a product's ``unit_text``, the address,
commune and district cells of a raw row, warnings quoting them, history snapshots, conflicts), is
hidden from outsiders. The units the hub resolved (commune and province codes) stay public.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import ColumnElement, case, false, literal, or_, true
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.engine import Engine

from hub.access.keys import Principal, verify_token
from hub.store.models import Producer
from hub.vocabulary import ProducerType, Role
from hub.normalize.producer_type import parse_producer_type
from hub.records import FIELDS, HEADING_CONFLICT_KEY, LOCATION_KEY, TITLE_PROVINCE_KEY

HOUSEHOLD = ProducerType.HOUSEHOLD.value
HOUSEHOLD_LABEL = "Hộ sản xuất kinh doanh (ẩn danh)"
UNDISCLOSED_LABEL = "Chủ thể (không công bố tên)"
"""The name shown for a hidden producer that is not known to be a household: it claims nothing."""
PUBLIC_TYPES = frozenset({ProducerType.COOPERATIVE.value, ProducerType.ENTERPRISE.value,
                          ProducerType.COOPERATIVE_GROUP.value})
"""Organisations: their names and addresses are public. Any other type, or none, may be a person."""
PERSONAL_FIELDS = ("phone", "email", "contact_person")
# canonical record fields that may carry personal data (rejected rows, audit before/after)
PERSONAL_RECORD_FIELDS = frozenset({"producer_name", "phone", "email", "contact_person", "tax_code"})
# fields whose warnings may quote personal data (a producer type read from the producer's name)
PERSONAL_WARNING_FIELDS = PERSONAL_RECORD_FIELDS | {"producer_type"}
# conflict fields whose values are personal whoever the producer is (hub.ingest.conflicts)
PERSONAL_CONFLICT_FIELDS = frozenset({"producer_type", "tax_code"})
ADDRESS_FIELDS = frozenset({"address", "commune", "district", "unit_text"})
"""Fields that carry a place as written (record, warning and snapshot keys): for a producer that
may be a person, a home address or part of it. Resolved units (``commune_code``, ``province_code``)
are not among them."""
HIDDEN_VALUE = "(ẩn danh)"
HIDDEN_WARNING_MESSAGE = "The value is personal data and is not shown to this caller (docs/access.md)."
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


def is_public_type(producer_type: str | None) -> bool:
    """Is a producer of this type an organisation, whose name and address are public?"""
    return producer_type in PUBLIC_TYPES


def hidden_label(producer_type: str | None) -> str:
    """What stands for a hidden producer name: households keep their label, others claim nothing."""
    return HOUSEHOLD_LABEL if producer_type == HOUSEHOLD else UNDISCLOSED_LABEL


def shown_name(principal: Principal | None, name: str, producer_type: str | None, province_code: str | None) -> str:
    """A producer's name as ``principal`` may see it: a producer that may be a person is
    anonymous to outsiders."""
    if is_public_type(producer_type) or may_see_personal(principal, province_code):
        return name
    return hidden_label(producer_type)


def sees_address(principal: Principal | None, producer_type: str | None, province_code: str | None) -> bool:
    """May ``principal`` see the address as written, and what is derived from it, of a producer of
    ``producer_type`` (None: unknown, or no producer named) in ``province_code``? The one decision
    of the address rule: an organisation's address is public; a possible person's is a home
    address, for the ministry and its own province only."""
    return is_public_type(producer_type) or may_see_personal(principal, province_code)


def shown_address(principal: Principal | None, address: str | None, producer_type: str | None,
                  province_code: str | None) -> str | None:
    """An address as written (a producer's, or a product's unit text) as ``principal`` may see it."""
    return address if sees_address(principal, producer_type, province_code) else None


def personal_visible_sql(principal: Principal | None) -> ColumnElement[bool]:
    """SQL: the Producer row's personal data is visible to ``principal``."""
    if principal is None:
        return false()
    if principal.role is Role.MINISTRY:
        return true()
    return Producer.province_code == literal(principal.province_code)


def name_searchable_sql(principal: Principal | None) -> ColumnElement[bool]:
    """SQL: the Producer's name is shown to ``principal``, so a search may match it (hidden names never do)."""
    if sees_all(principal):
        return true()
    return or_(Producer.producer_type.in_(sorted(PUBLIC_TYPES)), personal_visible_sql(principal))


def shown_name_sql(principal: Principal | None) -> ColumnElement[Any]:
    """SQL: the producer name as shown to ``principal`` (used to order and page by name)."""
    if sees_all(principal):
        return Producer.name
    return case((name_searchable_sql(principal), Producer.name),
                (Producer.producer_type == HOUSEHOLD, literal(HOUSEHOLD_LABEL)), else_=literal(UNDISCLOSED_LABEL))


def conflict_value_hidden(principal: Principal | None, field: str, province_code: str | None,
                          producer_type: str | None) -> bool:
    """Are the values of a conflict on ``field`` hidden from ``principal``? A producer's type
    (read from a person's name, maybe) and tax code are personal; so is the address as written
    (``address``) of a producer that may be a person. A conflict's ``commune`` is a resolved code:
    public, like every other field of a conflict."""
    if may_see_personal(principal, province_code):
        return False
    return field in PERSONAL_CONFLICT_FIELDS or (
        field == "address" and not sees_address(principal, producer_type, province_code))


def scrub_record(principal: Principal | None, province_code: str | None, record: dict[str, Any] | None,
                 fields_of: Any = None, producer_type: str | None = None) -> dict[str, Any] | None:
    """A raw row or audit snapshot with personal values removed unless ``principal`` may see them.

    ``fields_of(key)`` maps a key to its canonical field (registry headers); default: the key itself.
    ``producer_type``: of the record's producer (None: unknown, which fails closed); an
    organisation's name and address stay.
    """
    if record is None or may_see_personal(principal, province_code):
        return record
    out: dict[str, Any] = {}
    for key, value in record.items():
        field = fields_of(key) if fields_of else key
        if value in (None, "") or not _hidden_field(principal, province_code, field, producer_type):
            out[key] = value
        else:
            out[key] = UNDISCLOSED_LABEL if field == "producer_name" else None
    return out


def _hidden_field(principal: Principal | None, province_code: str | None, field: Any,
                  producer_type: str | None) -> bool:
    """Is a record's ``field`` personal for a caller who may not see the province's personal data?"""
    if field == "producer_name":
        return not is_public_type(producer_type)
    return field in PERSONAL_RECORD_FIELDS or (
        field in ADDRESS_FIELDS and not sees_address(principal, producer_type, province_code))


def scrub_warning(principal: Principal | None, province_code: str | None, warning: dict[str, Any],
                  producer_type: str | None = None) -> dict[str, Any]:
    """A stored row's warning as ``principal`` may see it: one on a personal field may quote the
    value (a phone, a person's name read for a producer type, a home address that could not be
    placed), so outsiders get neither the value nor the message. ``producer_type``: of the row's
    producer (None: unknown, which fails closed)."""
    field = warning.get("field")
    hidden = field in PERSONAL_WARNING_FIELDS or (
        field in ADDRESS_FIELDS and not sees_address(principal, producer_type, province_code))
    if not hidden or may_see_personal(principal, province_code):
        return warning
    return {**warning, "value": None, "message": HIDDEN_WARNING_MESSAGE}


READER_KEYS = frozenset({LOCATION_KEY, TITLE_PROVINCE_KEY, HEADING_CONFLICT_KEY})
"""Keys a reader adds beside a row's cells (where the row sits, what its title says): not the row's text."""


def _unmapped(key: str, fields_of: Any = None) -> bool:
    """Is a raw row's ``key`` a column that maps to no canonical field (hub.records.FIELDS)?"""
    return key not in READER_KEYS and (fields_of(key) if fields_of else key) not in FIELDS


def record_producer_type(record: dict[str, Any], fields_of: Any = None) -> str | None:
    """The producer type a raw row gives by its own type or name (công ty, HTX, DNTN, THT…), read
    as the ingest reads it; None when it does not say. Only an organisation's name and address in
    it are public; anything else may be a person."""
    values = {(fields_of(k) if fields_of else k): v for k, v in record.items()}
    kind = parse_producer_type(_text_or_none(values.get("producer_type")), _text_or_none(values.get("producer_name")))
    return kind.value if isinstance(kind, ProducerType) else None


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


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
    A keyed request's response is never stored (``never_stored``).
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
        await self.app(scope, receive, send if principal is None else never_stored(send))


KEYED_CACHE_CONTROL = b"private, no-store"


def never_stored(send: Send) -> Send:
    """``send`` with every response marked ``Cache-Control: private, no-store``: what a key may
    see (personal data, its own jobs) is kept by no browser or proxy, whatever the route said."""
    async def marked(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
            message = {**message, "headers": [*headers, (b"cache-control", KEYED_CACHE_CONTROL)]}
        await send(message)
    return marked


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

    Outsiders get the personal cells (phone, e-mail, contact person, tax code, and the producer
    name, the address, commune and district as written and every column that maps to no field,
    unless the row's own type or name says it is an organisation) blanked, and those values cut out of the error messages and values too:
    a row that was refused because its producer type is unknown says so without naming the
    person, and a company is never called a household.
    """
    raw = raw or {}
    errors = [e for e in (errors or []) if isinstance(e, dict)]
    if may_see_personal(principal, province_code):
        return raw, errors
    producer_type = record_producer_type(raw, fields_of)
    clean_raw = scrub_record(principal, province_code, raw, fields_of, producer_type) or {}
    if not sees_address(principal, producer_type, province_code):
        # a possible person's row: a column that maps to no field (a note, an ID card number, "nơi ở")
        # may hold anything of theirs, so it follows the address rule
        clean_raw = {k: None if v not in (None, "") and _unmapped(k, fields_of) else v for k, v in clean_raw.items()}
    hidden = sorted({str(v) for k, v in raw.items() if v not in (None, "") and clean_raw.get(k) != v},
                    key=len, reverse=True)

    def cut(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        for value in hidden:
            text = text.replace(value, HIDDEN_VALUE)
        return text

    clean_errors = []
    for e in errors:
        e = dict(e)
        if _hidden_field(principal, province_code, e.get("field"), producer_type) \
                or (e.get("value") is not None and str(e["value"]) in hidden):
            e["value"] = None
        e["value"] = cut(e.get("value"))
        e["message"] = cut(e.get("message"))
        clean_errors.append(e)
    return clean_raw, clean_errors
