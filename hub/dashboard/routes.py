"""The dashboard's routes: /, /province/{code}, /product/{id} and /het-han, each rendered
as the request's caller (hub.api.access.principal_of: anonymous, or the bearer key the Authenticate
middleware verified), at the date of its ``?ngay=`` (hub.dashboard.day).

``?_part=keyed`` answers only the page's ``data-keyed`` region: the page's script asks for it with
the reader's key in an Authorization header. A response rendered for a key is never stored by a
browser or proxy (no-store, Vary: Authorization). The Content-Security-Policy lets the page run
only its own inline script and style (by hash) and reach only its own host: a value that escaped
escaping could not run, and nothing can load from another host.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from typing import Awaitable, Callable, Optional

from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from hub.api.access import principal_of
from hub.dashboard import data
from hub.store.certificates import current_date
from hub.dashboard.assets import CSS, JS
from hub.dashboard.day import BadDate, Day, parse_day
from hub.dashboard.html import e, error_box, page
from hub.dashboard.expiring import expiring_page
from hub.dashboard.national import national_page, provinces
from hub.dashboard.params import BadParameter, table_query
from hub.dashboard.product import product_detail
from hub.dashboard.province import province_page, province_table

log = logging.getLogger("hub.dashboard")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (f"default-src 'none'; script-src {_sha256(JS)}; style-src {_sha256(CSS)}; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _html(request: Request, body: str, status: int = 200) -> HTMLResponse:
    keyed = principal_of(request) is not None
    return HTMLResponse(body, status_code=status, headers={
        "Cache-Control": "private, no-store" if keyed else "no-cache", "Vary": "Authorization",
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


def _part(request: Request, region: str) -> Optional[HTMLResponse]:
    """Only the keyed region, when the page's script asks for it."""
    if request.query_params.get("_part") == "keyed":
        return _html(request, f"<!doctype html><html lang=\"vi\"><body>{region}</body></html>")
    return None


def _day(request: Request) -> Day:
    """The page's date (``?ngay=``); BadDate when it is no day in range."""
    return parse_day(request.url.path, request.query_params)


def _message(request: Request, title: str, text: str, status: int) -> HTMLResponse:
    """An error page; its date field stays at the page's date, or empty when that date was the error."""
    try:
        day = _day(request)
    except BadDate:
        day = Day(None, current_date(), request.url.path, tuple(request.query_params.multi_items()))
    home = e(day.href("/"))
    return _html(request, page(title, f'<h1>{e(title)}</h1>{error_box(text)}<p><a href="{home}">Về trang toàn quốc</a></p>',
                               day), status)


def _unknown_province(request: Request, code: str) -> HTMLResponse:
    return _message(request, "Không có tỉnh này",
                    f"Không có tỉnh, thành phố mã “{code}” trong 34 tỉnh, thành phố hiện nay.", 404)


Endpoint = Callable[[Request], Awaitable[Response]]


def _guarded(endpoint: Endpoint) -> Endpoint:
    """A figure's query the API refused is a page saying so, never a page of wrong zeros."""
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except BadDate as exc:
            return _message(request, BadDate.title, str(exc), 400)
        except BadParameter as exc:
            return _message(request, "Tham số không hợp lệ", str(exc), 400)
        except data.QueryFailed as exc:
            log.error("dashboard query failed: %s", exc)
            return _message(request, "Không lấy được số liệu", f"API trả lời lỗi: {exc}", 502)
    return run


def dashboard_routes(engine: Engine) -> list[BaseRoute]:
    """The dashboard's pages, to be added to the API app before /graphql."""

    async def national(request: Request) -> Response:
        return _html(request, await national_page(engine, principal_of(request), _day(request)))

    async def expiring(request: Request) -> Response:
        principal, day = principal_of(request), _day(request)
        units = await provinces(engine, principal)
        code = request.query_params.get("province") or None
        if code is not None and not any(p["code"] == code for p in units):
            return _unknown_province(request, code)
        html, section = await expiring_page(engine, principal, units, code, day)
        return _part(request, section) or _html(request, html)

    async def pick_province(request: Request) -> Response:
        code = (request.query_params.get("code") or "").strip()
        day = _day(request)
        return RedirectResponse(day.href(f"/province/{code}" if code.isdigit() else "/"), status_code=303)

    async def province(request: Request) -> Response:
        code = request.path_params["code"]
        principal = principal_of(request)
        units = await provinces(engine, principal)
        if not any(p["code"] == code for p in units):
            return _unknown_province(request, code)
        q = table_query(request.query_params, code, _day(request))
        if request.query_params.get("_part") == "keyed":
            return _part(request, await province_table(engine, principal, code, q, units))  # type: ignore[return-value]
        return _html(request, await province_page(engine, principal, code, q, units))

    async def product(request: Request) -> Response:
        principal, day = principal_of(request), _day(request)
        found = await product_detail(engine, principal, request.path_params["id"], day)
        if found is None:
            return _message(request, "Không có sản phẩm này", "Không tìm thấy sản phẩm với mã này.", 404)
        name, section, where = found
        part = _part(request, section)
        if part is not None:
            return part
        units = await provinces(engine, principal)
        crumbs = f'<nav aria-label="Vị trí trang" class="no-print"><a href="{e(day.href("/"))}">Toàn quốc</a>'
        if where:
            crumbs += f' › <a href="{e(day.href("/province/" + where["code"] + "#san-pham"))}">{e(where["name"])}</a>'
        main = f'{crumbs} › {e(name)}</nav><h1>{e(name)}</h1>{section}'
        return _html(request, page(name, main, day, [(p["code"], p["name"]) for p in units],
                                   where["code"] if where else None))

    return [
        Route("/", _guarded(national), methods=["GET"]),
        Route("/het-han", _guarded(expiring), methods=["GET"]),
        Route("/province", _guarded(pick_province), methods=["GET"]),
        Route("/province/{code}", _guarded(province), methods=["GET"]),
        Route("/product/{id:int}", _guarded(product), methods=["GET"]),
    ]
