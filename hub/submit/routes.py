"""The submission page's routes (added to the API app by hub.server):

* ``GET /nop-du-lieu``: the page; ``GET /mau-danh-sach.xlsx``: the template;
* ``POST /nop-du-lieu/xem-truoc``: preview (multipart: file, province, mode, list, sheet…);
* ``POST /nop-du-lieu/ap-dung``: apply (the same fields and the preview's token);
* ``GET /nop-du-lieu/lich-su?province=``: the province's batches;
* ``POST /nop-du-lieu/hoan-tac/{id}``: revert a batch;
* ``GET /nop-du-lieu/dong-bi-loai/{id}.xlsx``: a batch's rejected rows.

Every keyed route takes the key from the Authorization header (hub.api.access.Authenticate has
verified it) and answers an HTML fragment the page's script inserts; a refusal is a 4xx fragment
in Vietnamese and nothing is stored. Responses carry the dashboard's security headers, with a
Content-Security-Policy that admits the two inline scripts and styles by hash only.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from hub.api.access import principal_of
from hub.api.upload import MAX_SHEETS
from hub.audit.history import revert_batch
from hub.access.keys import Principal
from hub.dashboard import assets as dashboard_assets
from hub.dashboard.national import provinces
from hub.ingest.run import resolver_for
from hub.push.submission import PushRefused
from hub.units.resolver import province_code_of
from hub.submit import assets
from hub.submit.history import HistoryFailed, batches, file_names, history_fragment
from hub.submit.messages import BAD_KEY, NO_KEY, STALE, refusal
from hub.submit.page import message_fragment, preview_fragment, refusal_fragment, submit_page, summary_fragment
from hub.submit.preview import Refused, Upload, apply, preview
from hub.submit.rejected_xlsx import NotYours, rejected_rows, rejected_xlsx
from hub.records import PRODUCTS

log = logging.getLogger("hub.submit")

UPLOAD_PATHS = ("/nop-du-lieu/xem-truoc", "/nop-du-lieu/ap-dung")
"""Routes that take a whole file: API-key holders get the push body limit there (hub.api.limits)."""
FORM_FIELDS = {"file", "province", "mode", "list", "sheet", "token"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS = {"FORBIDDEN": 403, "NOT_YOUR_PROVINCE": 403, "UNKNOWN_UNIT": 422, "BAD_FILE": 422, "EMPTY": 422,
          "STALE": 409, "NO_PROVINCE_CHOSEN": 422, "FAILED": 500}


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (f"default-src 'none'; script-src {_sha256(dashboard_assets.JS)} {_sha256(assets.JS)}; "
       f"style-src {_sha256(dashboard_assets.CSS)} {_sha256(assets.CSS)}; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Cache-Control": "private, no-store", "Vary": "Authorization", "Content-Security-Policy": CSP,
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _refused(exc: Refused, data: bytes = b"") -> HTMLResponse:
    if exc.code == "FAILED":
        log.error("submission failed inside the hub: %s", exc.detail)
    return _html(refusal_fragment(refusal(exc.code, exc.detail, data, exc.whole_list), exc.detail),
                 STATUS.get(exc.code, 400))


async def _keyed_upload(request: Request) -> tuple[Principal, Upload, str]:
    """The caller's key, the form as an Upload, and the token sent with it (empty for a preview)."""
    principal = principal_of(request)
    if principal is None:
        raise Refused("FORBIDDEN", "no API key")
    try:
        form = await request.form(max_files=1, max_fields=len(FORM_FIELDS) + MAX_SHEETS)
    except Exception as exc:  # malformed multipart, too many parts
        raise Refused("BAD_REQUEST", f"unreadable form: {exc}") from exc
    try:
        unknown = sorted(set(form.keys()) - FORM_FIELDS)
        if unknown:
            raise Refused("BAD_REQUEST", f"unknown form field(s) {', '.join(unknown)}")
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise Refused("NO_FILE", "field 'file' is missing")
        upload = Upload(filename=file.filename, data=await file.read(), province=str(form.get("province") or ""),
                        mode=str(form.get("mode") or "UPSERT"), list_kind=str(form.get("list") or PRODUCTS),
                        sheets=tuple(str(s) for s in form.getlist("sheet") if str(s).strip()))
        return principal, upload, str(form.get("token") or "")
    finally:
        await form.close()


def submit_routes(engine: Engine) -> list[BaseRoute]:
    """The page, its fragments, the template and the rejected rows download."""

    async def page(request: Request) -> Response:
        units = await provinces(engine, principal_of(request))
        return _html(submit_page([(p["code"], p["name"]) for p in units]))

    async def template(request: Request) -> Response:
        from hub.submit.template import template_xlsx  # openpyxl: 0.2 s of every server's start-up otherwise

        body = await run_in_threadpool(template_xlsx)
        return Response(body, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="mau-danh-sach.xlsx"',
                                                        "X-Content-Type-Options": "nosniff"})

    async def do_preview(request: Request) -> Response:
        upload = None
        try:
            principal, upload, _ = await _keyed_upload(request)
            found = await run_in_threadpool(preview, engine, principal, upload)
        except Refused as exc:
            return _refused(exc, upload.data if upload else b"")
        return _html(preview_fragment(found))

    async def do_apply(request: Request) -> Response:
        upload = None
        try:
            principal, upload, token = await _keyed_upload(request)
            summary, code = await run_in_threadpool(apply, engine, principal, upload, token)
        except Refused as exc:
            if exc.code != "STALE" or upload is None:
                return _refused(exc, upload.data if upload else b"")
            try:  # nothing applied blind: the page previews again, saying why
                again = await run_in_threadpool(preview, engine, principal_of(request), upload)
            except Refused as second:
                return _refused(second, upload.data)
            return _html(preview_fragment(again, notice=STALE), 409)
        return _html(summary_fragment(summary, code, resolver_for(engine).province_name(code), upload.filename))

    async def history(request: Request) -> Response:
        principal = principal_of(request)
        if principal is None:
            return _html(refusal_fragment(NO_KEY), 403)
        code = request.query_params.get("province") or principal.province_code
        resolver = resolver_for(engine)
        code = province_code_of(resolver, code) if code else None
        if code is None:
            return _html(message_fragment("Chọn tỉnh", "Chọn tỉnh, thành phố ở ô “Tỉnh, thành phố” để xem các lô.",
                                          False), 422)
        try:
            rows, total = await batches(engine, principal, code)
        except HistoryFailed as exc:
            return _html(refusal_fragment("Không lấy được lịch sử các lô.", str(exc)), 502)
        names = await run_in_threadpool(file_names, engine, [b["id"] for b in rows])
        return _html(history_fragment(principal, resolver.province_name(code), rows, total, names))

    async def revert(request: Request) -> Response:
        principal = principal_of(request)
        batch_id = request.path_params["id"]
        try:
            result = await run_in_threadpool(revert_batch, engine, principal, batch_id)
        except PushRefused as exc:
            return _html(message_fragment(f"Không hoàn tác được lô {batch_id}", _revert_refusal(exc), False),
                         STATUS.get(exc.code, 409))
        return _html(message_fragment(
            f"Đã hoàn tác lô {batch_id}",
            f"Lô {result.revert_batch_id} đã đưa các sản phẩm về như trước lô {batch_id}: {result.updated} sản phẩm "
            f"được khôi phục, {result.withdrawn} sản phẩm do lô đó tạo bị rút khỏi danh sách.", True))

    async def rejected(request: Request) -> Response:
        batch_id = request.path_params["id"]
        try:
            records = await run_in_threadpool(rejected_rows, engine, principal_of(request), batch_id)
        except NotYours:
            return _html(refusal_fragment(BAD_KEY if principal_of(request) is None else
                                          f"Không có lô {batch_id} của tỉnh mà khóa này được gửi."), 404)
        body = await run_in_threadpool(rejected_xlsx, records)
        return Response(body, media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="dong-bi-loai-lo-{batch_id}.xlsx"',
            "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"})

    return [
        Route("/nop-du-lieu", page, methods=["GET"]),
        Route("/mau-danh-sach.xlsx", template, methods=["GET"]),
        Route("/nop-du-lieu/xem-truoc", do_preview, methods=["POST"]),
        Route("/nop-du-lieu/ap-dung", do_apply, methods=["POST"]),
        Route("/nop-du-lieu/lich-su", history, methods=["GET"]),
        Route("/nop-du-lieu/hoan-tac/{id:int}", revert, methods=["POST"]),
        Route("/nop-du-lieu/dong-bi-loai/{id:int}.xlsx", rejected, methods=["GET"]),
    ]


def _revert_refusal(exc: Any) -> str:
    return {"FORBIDDEN": NO_KEY, "NOT_YOUR_PROVINCE": "Khóa này không được hoàn tác lô của tỉnh khác.",
            "ALREADY_REVERTED": "Lô này đã được hoàn tác rồi.",
            "NOT_REVERTIBLE": "Chỉ hoàn tác được lô thu thập hoặc lô gửi đã áp dụng thành công.",
            "NOT_FOUND": "Không có lô này.",
            "REVERT_CONFLICT": "Một lô sau đã thay đổi chính các sản phẩm này: hoàn tác lô sau trước."}.get(exc.code, "Không hoàn tác được lô này.") + f" ({exc.message})"
