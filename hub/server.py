"""The ASGI app: /graphql (GraphiQL on GET), /healthz, the /export downloads and /push/file.

Every route is behind hub.api.access.Authenticate: a bearer token is verified once per request
(401 when it is unknown, revoked or malformed); without one the caller is an anonymous researcher.
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import threading
from typing import Any, AsyncIterator

from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL
from cross_web import HTTPException  # what Strawberry 0.327 turns into an HTTP error response

from hub.api import export_params, exports
from hub.api.stats_export import stats_csv_endpoint, stats_parquet_endpoint
from hub.api.access import Authenticate, principal_of, sees_all
from hub.api.cached_graphql import CachedGraphQL
from hub.api.conditional import ConditionalGet
from hub.api.releases_api import release_routes
from hub.api.response_cache import ResponseCache, cache_for
from hub.api.context import Context
from hub.api.errors import ClientError
from hub.api.graphiql import ASSETS_PATH, graphiql_html, locate_assets, page_headers
from hub.api.limits import MAX_BODY_BYTES, MAX_PUSH_BODY_BYTES, PUSH_PATHS
from hub.api.ratelimit import RateLimit
from hub.api.request_body import BoundedBody
from hub.settings import load_settings
from hub.api.schema import schema
from hub.api.upload import push_file_endpoint
from hub.dashboard import dashboard_routes
from hub.submit import UPLOAD_PATHS, submit_routes
from hub.ingest.run import resolver_for
from hub.push.jobs import PushJobs

log = logging.getLogger("hub.api")


class HubGraphQL(GraphQL):
    """Strawberry's ASGI view with the hub's context and opening document."""

    def __init__(self, engine: Engine, assets_url: str | None = None, jobs: Any = None) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.engine = engine
        self.jobs = jobs
        self._assets_url = assets_url  # None: GraphiQL loads its assets from unpkg.com
        # per ASGI root_path (the app may be mounted under a prefix); built now so a changed page fails at start
        self._ide_html: dict[str, str] = {"": graphiql_html(assets_url)}
        self._ide_headers = page_headers(self._ide_html[""], cdn=assets_url is None)  # the same inline script

    def decode_json(self, data: str | bytes) -> object:
        """Strawberry expects an object (or a batch list); anything else is the client's 400."""
        try:
            decoded = json.loads(data)
        except UnicodeDecodeError as exc:
            raise HTTPException(400, "the request body is not UTF-8 JSON") from exc
        except json.JSONDecodeError as exc:
            raise HTTPException(400, f"the request body is not JSON: {exc}") from exc
        except ValueError as exc:  # Python's bound on the digits of an integer (4,300)
            raise HTTPException(400, "the request body holds a number with too many digits") from exc
        if not isinstance(decoded, (dict, list)):
            raise HTTPException(400, "the request body must be a JSON object: "
                                     '{"query": "...", "variables": {...}}')
        return decoded

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(engine=self.engine, request=request, response=response,
                       principal=principal_of(request), jobs=self.jobs)

    async def render_graphql_ide(self, request: Request) -> Response:
        root = request.scope.get("root_path", "") if self._assets_url else ""
        if root not in self._ide_html:
            self._ide_html[root] = graphiql_html(root + self._assets_url if self._assets_url else None)
        return HTMLResponse(self._ide_html[root], headers=self._ide_headers)


def _rate_limit() -> list[Middleware]:
    """Per-key / per-address rate limit from the settings (bursts of 4 seconds' worth);
    both rates at 0 turn it off (the test suite does, to hammer the API). Buckets live in each
    process: with N workers each allows 1/N of the rate, so together they never allow more."""
    settings = load_settings()
    share = max(1, settings.workers)
    anonymous, keyed = settings.rate_limit_anonymous / share, settings.rate_limit_key / share
    if anonymous <= 0 and keyed <= 0:
        return []
    unlimited = 1e9
    anonymous, keyed = anonymous if anonymous > 0 else unlimited, keyed if keyed > 0 else unlimited
    return [Middleware(RateLimit, anonymous_rate=anonymous, anonymous_burst=max(1, int(4 * min(anonymous, 1e6))),
                       key_rate=keyed, key_burst=max(1, int(4 * min(keyed, 1e6))))]


def _bad_request(exc: ClientError) -> JSONResponse:
    return JSONResponse({"error": str(exc), **({"code": exc.code} if exc.code else {})}, status_code=400)


def _internal_error(where: str) -> JSONResponse:
    log.exception("%s failed", where)
    return JSONResponse({"error": "Internal error: the export failed. It has been logged."}, status_code=500)


class LazyJobs:
    """hub.push.jobs.PushJobs, started on first use: building the app never touches the database
    (PushJobs marks jobs a stopped server left behind as failed when it starts, unless
    ``fail_leftovers`` is false: one of several workers, whose parent did it)."""

    def __init__(self, engine: Engine, fail_leftovers: bool = True) -> None:
        self.engine = engine
        self.fail_leftovers = fail_leftovers
        self._jobs: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._jobs is None:
                self._jobs = PushJobs(self.engine, fail_leftovers=self.fail_leftovers)
            return self._jobs

    def submit(self, principal: Any, **kwargs: Any) -> str:
        return self._get().submit(principal, **kwargs)

    def submit_file(self, principal: Any, read: Any, **kwargs: Any) -> str:
        return self._get().submit_file(principal, read, **kwargs)

    def submit_upload(self, principal: Any, **kwargs: Any) -> str:
        return self._get().submit_upload(principal, **kwargs)

    def get(self, job_id: str) -> Any:
        return self._get().get(job_id)

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            if self._jobs is not None:
                self._jobs.shutdown(wait=wait)
                self._jobs = None


def settled_heap() -> None:
    """Collect once, then freeze: what startup left alive (modules, the schema, the unit tables)
    is never scanned again by the cyclic garbage collector. Why: under load, objects of requests
    in flight survive the young generations and trigger full collections, which walked that whole
    heap every ~0.4 s for ~150 ms with the event loop stopped (gc callbacks, PostgreSQL, cached
    load: the p99 of 140 ms). Frozen objects are still freed by reference counting."""
    gc.collect()
    gc.freeze()


def app_from_environment() -> Starlette:
    """One worker of ``ocop-hub serve --workers N`` (uvicorn's factory): the store of the
    settings, already migrated by the parent, which also failed the jobs left behind."""
    from hub.store.engine import make_engine

    engine = make_engine(load_settings().database_url)
    return create_app(engine, jobs=LazyJobs(engine, fail_leftovers=False), settle_heap=True)


def create_app(engine: Engine, max_body_bytes: int = MAX_BODY_BYTES,
               push_body_bytes: int = MAX_PUSH_BODY_BYTES, jobs: Any = None,
               cache: ResponseCache | None = None, settle_heap: bool = False) -> Starlette:
    """Build the API over ``engine`` (from hub.store.engine.make_engine, which sets statement timeouts).

    ``max_body_bytes`` limits every request body except API-key holders' pushes (/graphql and
    /push/file), which get ``push_body_bytes``. ``jobs``: a hub.push.jobs.PushJobs (default: one per
    app, shut down with it). ``cache``: the response cache (default: the process's cache over
    ``engine``, which the dashboard shares; the benchmarks pass one of 0 bytes). ``settle_heap``:
    a server process (``ocop-hub serve``) takes what is alive after startup out of the garbage
    collector's sight (``settled_heap``); tests, which build many apps in one process, do not.
    """
    settings = load_settings()
    own_jobs = jobs is None or isinstance(jobs, LazyJobs)
    jobs = LazyJobs(engine) if jobs is None else jobs
    cache = cache or cache_for(engine)  # shared with hub.api.run_query (the dashboard)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The unit tables (about 13,000 units) are read once per process, by the first request
        # that filters by province; under load that request held every other behind it for a
        # second and more (py-spy: UnitResolver.from_session, the p99 of a fresh worker). Read
        # them before serving; a store that cannot be read yet leaves it to the first request.
        try:
            await run_in_threadpool(resolver_for, engine)
        except Exception:
            log.warning("unit tables not read at start; the first request that needs them will", exc_info=True)
        if settle_heap:
            settled_heap()
        try:
            yield
        finally:
            if own_jobs:
                await run_in_threadpool(jobs.shutdown)

    async def healthz(request: Request) -> JSONResponse:
        def ping() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(ping)
        except Exception as exc:  # any failure means "not healthy"; the log has the trace
            log.exception("health check: database unreachable")
            return JSONResponse({"status": "unavailable", "database": "unreachable",
                                 "error": exc.__class__.__name__}, status_code=503)
        body: dict[str, Any] = {"status": "ok", "database": "ok"}
        if "detail" in request.query_params and sees_all(principal_of(request)):
            # the worker's pid and cache counters are for operators (the ministry's key), not probes
            body["cache"] = cache.snapshot()
            body["worker"] = os.getpid()
            body["heap_frozen_objects"] = gc.get_freeze_count()  # settled_heap ran in this process
        return JSONResponse(body)

    async def products_csv(request: Request) -> Response:
        try:
            f = export_params.filter_from_params(request.query_params)
        except ClientError as exc:
            return _bad_request(exc)
        return StreamingResponse(
            exports.products_csv(engine, f, principal_of(request)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ocop-products.csv"'})

    async def products_parquet(request: Request) -> Response:
        try:
            f = export_params.filter_from_params(request.query_params)
            body = await run_in_threadpool(exports.products_parquet, engine, f, principal_of(request))
        except ClientError as exc:
            return _bad_request(exc)
        except Exception:
            return _internal_error("parquet export")
        return Response(body, media_type="application/vnd.apache.parquet",
                        headers={"Content-Disposition": 'attachment; filename="ocop-products.parquet"'})

    async def rejected_csv(request: Request) -> Response:
        source = request.query_params.get("source")
        if not source:
            return _bad_request(ClientError("Parameter 'source' is required: /export/rejected.csv?source=NAME."))
        try:
            rows = await run_in_threadpool(exports.rejected_csv, engine, source, principal_of(request),
                                           export_params.lang_from_params(request.query_params))
        except ClientError as exc:
            return _bad_request(exc)
        except Exception:
            return _internal_error("rejected export")
        return StreamingResponse(rows, media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="ocop-rejected.csv"'})

    async def conflicts_csv(request: Request) -> Response:
        try:
            f = export_params.conflict_filter_from_params(request.query_params)
        except ClientError as exc:
            return _bad_request(exc)
        return StreamingResponse(
            exports.conflicts_csv(engine, f, principal_of(request)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ocop-conflicts.csv"'})

    routes = [
        Route("/healthz", healthz),
        Route("/export/products.csv", products_csv),
        Route("/export/products.parquet", products_parquet),
        Route("/export/rejected.csv", rejected_csv),
        Route("/export/conflicts.csv", conflicts_csv),
        Route("/export/stats.csv", stats_csv_endpoint(engine)),
        Route("/export/stats.parquet", stats_parquet_endpoint(engine)),
        Route("/push/file", push_file_endpoint(engine, jobs), methods=["POST"]),
    ]
    assets = locate_assets()  # GraphiQL's JS/CSS served locally: no CDN needed (docs/graphiql.md)
    if assets is not None:
        routes.append(Mount(ASSETS_PATH, StaticFiles(directory=assets), name="graphiql-assets"))
    routes.extend(dashboard_routes(engine))
    routes.extend(release_routes())  # /export/releases/: the dated, immutable releases (hub/api/releases.py)
    routes.extend(submit_routes(engine))  # /nop-du-lieu: the officer's page for the same push (hub/submit)
    graphql = HubGraphQL(engine, assets_url=ASSETS_PATH if assets else None, jobs=jobs)
    routes.insert(0, Route("/graphql", CachedGraphQL(graphql, cache)))  # first: the busiest route, matched first
    middleware = [  # outermost first: the caller is known before the body limit is chosen
        Middleware(Authenticate, engine=engine),
        *_rate_limit(),
        Middleware(BoundedBody, max_bytes=max_body_bytes, push_bytes=push_body_bytes,
                   push_paths=PUSH_PATHS + UPLOAD_PATHS, deadline_s=settings.body_timeout_s,
                   idle_s=settings.body_idle_timeout_s),
        Middleware(ConditionalGet, cache=cache),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
