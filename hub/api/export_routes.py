"""The /export routes: the downloads (hub/api/exports.py, hub/api/stats_export.py), their data package
(hub/api/export_package.py) and the code lists (hub/api/export_codes.py).

Every download is described before its first byte (hub/api/export_meta.py): a file name with its
as-of day and data version, Last-Modified, and a Link to the data package. Parameters are read
first, so anything wrong is a 400 naming it; the first batch of rows is read before the response
starts, so a store that cannot answer is a 500, not a truncated file. ETags and 304s come from
hub.api.conditional.ConditionalGet, for every path under /export/.
"""
from __future__ import annotations

import itertools
import logging
import re
from typing import Any, Iterator

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.background import BackgroundTask
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from hub.api import export_params, exports
from hub.api.access import principal_of
from hub.api.errors import ClientError
from hub.api.export_codes import CODE_LISTS
from hub.api.export_meta import Described, describe, headers, parquet_metadata
from hub.api.export_package import data_package
from hub.api.export_xlsx import products_xlsx
from hub.api.stats_export import columns_of, stats_parquet, stats_query_from_params, stats_table
from hub.api.response_cache import ResponseCache
from hub.settings import load_settings

log = logging.getLogger("hub.api")
CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bad_request(exc: ClientError) -> JSONResponse:
    return JSONResponse({"error": str(exc), **({"code": exc.code} if exc.code else {})}, status_code=400)


def internal_error(where: str) -> JSONResponse:
    log.exception("%s failed", where)
    return JSONResponse({"error": "Internal error: the export failed. It has been logged."}, status_code=500)


def _next_or_none(chunks: Iterator[Any]) -> Any:
    return next(chunks, None)


async def _started(chunks: Iterator[Any]) -> Iterator[Any]:
    """The download with its first chunk already made (in a worker thread): a failure to read the
    store surfaces here, before the status line is sent."""
    first = await run_in_threadpool(_next_or_none, chunks)
    return chunks if first is None else itertools.chain([first], chunks)


def _file_chunks(path: Any) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(1 << 16):
            yield chunk


def _safe(text: str) -> str:
    """A source name as a file name part (letters, digits, '.', '_', '-')."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)[:80] or "source"


def export_routes(engine: Engine, cache: ResponseCache) -> list[Route]:
    settings = load_settings()

    async def described(request: Request, query: Any = None) -> Described:
        version = await cache.version()  # before any row is read: the download reflects at least this
        return await run_in_threadpool(describe, engine, version, request.query_params, str(request.base_url),
                                       getattr(query, "as_of", None), getattr(query, "known_at", None))

    async def products_csv(request: Request) -> Response:
        try:
            query = export_params.filter_from_params(request.query_params)
            d = await described(request, query)
            body = await _started(exports.products_csv(engine, query, principal_of(request)))
        except ClientError as exc:
            return bad_request(exc)
        except Exception:
            return internal_error("csv export")
        return StreamingResponse(body, media_type=CSV, headers=headers("products", d, "csv"))

    async def products_parquet(request: Request) -> Response:
        try:
            query = export_params.filter_from_params(request.query_params)
            d = await described(request, query)
            body = await _started(exports.products_parquet(engine, query, principal_of(request),
                                                           parquet_metadata(settings, d)))
        except ClientError as exc:
            return bad_request(exc)
        except Exception:
            return internal_error("parquet export")
        return StreamingResponse(body, media_type=PARQUET, headers=headers("products", d, "parquet"))

    async def products_excel(request: Request) -> Response:
        try:
            query = export_params.filter_from_params(request.query_params)
            d = await described(request, query)
            path = await run_in_threadpool(products_xlsx, engine, query, principal_of(request),
                                           parquet_metadata(settings, d))
        except ClientError as exc:
            return bad_request(exc)
        except Exception:
            return internal_error("xlsx export")
        # streamed, not a FileResponse: its file-stat ETag would stand beside the data version's
        return StreamingResponse(_file_chunks(path), media_type=XLSX, headers=headers("products", d, "xlsx"),
                                 background=BackgroundTask(path.unlink, missing_ok=True))

    async def rejected_csv(request: Request) -> Response:
        source = request.query_params.get("source")
        if not source:
            return bad_request(ClientError("Parameter 'source' is required: /export/rejected.csv?source=NAME."))
        try:
            lang = export_params.lang_from_params(request.query_params)
            d = await described(request)
            rows = await run_in_threadpool(exports.rejected_csv, engine, source, principal_of(request), lang)
        except ClientError as exc:
            return bad_request(exc)
        except Exception:
            return internal_error("rejected export")
        return StreamingResponse(rows, media_type=CSV, headers=headers(f"rejected-{_safe(source)}", d, "csv"))

    async def conflicts_csv(request: Request) -> Response:
        try:
            query = export_params.conflict_filter_from_params(request.query_params)
            d = await described(request)
        except ClientError as exc:
            return bad_request(exc)
        return StreamingResponse(exports.conflicts_csv(engine, query, principal_of(request)), media_type=CSV,
                                 headers=headers("conflicts", d, "csv"))

    async def stats_csv(request: Request) -> Response:
        try:
            query = stats_query_from_params(request.query_params)
            d = await described(request, query.days[-1])
            rows = await run_in_threadpool(stats_table, engine, query, principal_of(request))
        except ClientError as exc:
            return bad_request(exc)
        header = [c.header(query.lang) for c in columns_of(query.dims)]
        return StreamingResponse(exports.csv_stream(header, rows), media_type=CSV, headers=headers("stats", d, "csv"))

    async def stats_parquet_file(request: Request) -> Response:
        try:
            query = stats_query_from_params(request.query_params)
            d = await described(request, query.days[-1])
            rows = await run_in_threadpool(stats_table, engine, query, principal_of(request))
        except ClientError as exc:
            return bad_request(exc)
        body = await run_in_threadpool(stats_parquet, columns_of(query.dims), rows, query.lang,
                                       parquet_metadata(settings, d))
        return Response(body, media_type=PARQUET, headers=headers("stats", d, "parquet"))

    async def package(request: Request) -> Response:
        if request.query_params:
            return bad_request(ClientError("/export/datapackage.json takes no parameters."))
        d = await described(request)
        return JSONResponse(data_package(settings, d), media_type="application/json")

    async def code_list(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in CODE_LISTS:
            return JSONResponse({"error": f"Unknown code list {name!r}; the code lists are "
                                          f"{', '.join(sorted(CODE_LISTS))} (/export/codes/NAME.csv)."},
                                status_code=404)
        if request.query_params:
            return bad_request(ClientError(f"/export/codes/{name}.csv takes no parameters."))
        d = await described(request)
        codes = CODE_LISTS[name]
        rows = exports.csv_stream([c.name for c in codes.columns], codes.rows(engine))
        return StreamingResponse(rows, media_type=CSV, headers=headers(f"codes-{name}", d, "csv"))

    return [
        Route("/export/products.csv", products_csv),
        Route("/export/products.parquet", products_parquet),
        Route("/export/products.xlsx", products_excel),
        Route("/export/rejected.csv", rejected_csv),
        Route("/export/conflicts.csv", conflicts_csv),
        Route("/export/stats.csv", stats_csv),  # the `stats` table, every unit listed (hub/api/stats_export.py)
        Route("/export/stats.parquet", stats_parquet_file),
        Route("/export/datapackage.json", package),
        Route("/export/codes/{name}.csv", code_list),
    ]
