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
from typing import Any, Awaitable, Callable, Iterator, Optional

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
from hub.api.stats_export import columns_of, stats_parquet, stats_query_from_params, stats_table
from hub.api.response_cache import ResponseCache
from hub.settings import load_settings

log = logging.getLogger("hub.api")
CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


ProductsBody = Callable[[Any, Any, Described], Awaitable[tuple[Iterator[Any], Optional[BackgroundTask]]]]
"""(query, principal, description) -> the download's chunks, and what to clean up after sending them."""
StatsWriter = Callable[[Any, list[list[Any]], Described], Awaitable[Iterator[Any]]]
"""(query, counted rows, description) -> the stats download's chunks."""


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

    def products_download(ext: str, media_type: str, body: ProductsBody) -> Callable[[Request], Awaitable[Response]]:
        """A products download: the query read, the download described, then ``body`` makes its
        bytes (and what to clean up once they are sent)."""
        async def endpoint(request: Request) -> Response:
            try:
                query = export_params.filter_from_params(request.query_params)
                d = await described(request, query)
                chunks, cleanup = await body(query, principal_of(request), d)
            except ClientError as exc:
                return bad_request(exc)
            except Exception:
                return internal_error(f"{ext} export")
            return StreamingResponse(chunks, media_type=media_type, headers=headers("products", d, ext),
                                     background=cleanup)
        return endpoint

    async def csv_body(query: Any, principal: Any, d: Described) -> tuple[Iterator[Any], None]:
        return await _started(exports.products_csv(engine, query, principal)), None

    async def parquet_body(query: Any, principal: Any, d: Described) -> tuple[Iterator[Any], None]:
        return await _started(exports.products_parquet(engine, query, principal, parquet_metadata(settings, d))), None

    async def xlsx_body(query: Any, principal: Any, d: Described) -> tuple[Iterator[bytes], BackgroundTask]:
        from hub.api.export_xlsx import products_xlsx  # openpyxl: 0.2 s of every server's start-up otherwise

        # streamed, not a FileResponse: its file-stat ETag would stand beside the data version's
        path = await run_in_threadpool(products_xlsx, engine, query, principal, parquet_metadata(settings, d))
        return _file_chunks(path), BackgroundTask(path.unlink, missing_ok=True)

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

    def stats_download(ext: str, media_type: str, write: StatsWriter) -> Callable[[Request], Awaitable[Response]]:
        """A stats download: the query read, the download described, the table counted, then
        ``write`` gives its bytes (hub/api/stats_export.py)."""
        async def endpoint(request: Request) -> Response:
            try:
                query = stats_query_from_params(request.query_params)
                d = await described(request, query.days[-1])
                rows = await run_in_threadpool(stats_table, engine, query, principal_of(request))
            except ClientError as exc:
                return bad_request(exc)
            return StreamingResponse(await write(query, rows, d), media_type=media_type,
                                     headers=headers("stats", d, ext))
        return endpoint

    async def stats_csv_body(query: Any, rows: list[list[Any]], d: Described) -> Iterator[str]:
        return exports.csv_stream([c.header(query.lang) for c in columns_of(query.dims)], rows)

    async def stats_parquet_body(query: Any, rows: list[list[Any]], d: Described) -> Iterator[bytes]:
        return iter([await run_in_threadpool(stats_parquet, columns_of(query.dims), rows, query.lang,
                                             parquet_metadata(settings, d))])

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
        Route("/export/products.csv", products_download("csv", CSV, csv_body)),
        Route("/export/products.parquet", products_download("parquet", PARQUET, parquet_body)),
        Route("/export/products.xlsx", products_download("xlsx", XLSX, xlsx_body)),
        Route("/export/rejected.csv", rejected_csv),
        Route("/export/conflicts.csv", conflicts_csv),
        Route("/export/stats.csv", stats_download("csv", CSV, stats_csv_body)),  # every unit listed
        Route("/export/stats.parquet", stats_download("parquet", PARQUET, stats_parquet_body)),
        Route("/export/datapackage.json", package),
        Route("/export/codes/{name}.csv", code_list),
    ]
