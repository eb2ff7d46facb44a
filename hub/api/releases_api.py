"""``/export/releases/``: the dated releases (hub.api.releases), listed and fetched byte for byte.

A release's files never change, so each is served with its SHA-256 as a strong ETag and cached
for a year; the list changes when a release is written, and is not cached. Only the files a
release's index names are served: a name or path that is not one is a 404 that says what is there.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from hub.api.releases import Release, ReleaseError, list_releases, read_release, release_file, releases_dir

PREFIX = "/export/releases"


def _described(release: Release, base: str) -> dict[str, object]:
    """A release's index as served: its own URL and each file's."""
    url = f"{base}{PREFIX}/{release.name}/"
    return release.as_json() | {"url": url, "files": [{**f.as_json(), "url": url + f.name} for f in release.files]}


def release_routes(root: Callable[[], Path] = releases_dir) -> list[Route]:
    async def index(request: Request) -> Response:
        releases = await run_in_threadpool(list_releases, root())
        base = str(request.base_url).rstrip("/")
        return JSONResponse({"releases": [_described(r, base) for r in releases]}, headers={"Cache-Control": "no-cache"})

    async def one(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            release = await run_in_threadpool(read_release, root(), name)
        except ReleaseError:
            return JSONResponse({"error": f"no release {name!r}; the list is at {PREFIX}/"}, status_code=404)
        return JSONResponse(_described(release, str(request.base_url).rstrip("/")))

    async def fetch(request: Request) -> Response:
        name, file_name = request.path_params["name"], request.path_params["file"]
        try:
            path, listed = await run_in_threadpool(release_file, root(), name, file_name)
        except ReleaseError as exc:
            return JSONResponse({"error": str(exc)}, status_code=404)
        etag = f'"{listed.sha256}"' if listed.sha256 else None
        if etag and request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        headers = {"Cache-Control": "public, max-age=31536000, immutable",
                   "Content-Disposition": f'attachment; filename="{name}_{file_name}"'}
        if etag:
            headers["ETag"] = etag
        return FileResponse(path, media_type=listed.media_type, headers=headers)

    return [Route(f"{PREFIX}/", index), Route(f"{PREFIX}/{{name}}/", one),
            Route(f"{PREFIX}/{{name}}/{{file:path}}", fetch)]
