"""The bare baseline of the cached figure: a Starlette route with no middleware, returning for
each request body the response bytes the hub gave it (read from BENCH_BARE_RESPONSES, a JSON list
of [request, response] pairs), on uvicorn with the hub's worker count.

``python -m bench.bare_server WORKERS PORT``
"""
from __future__ import annotations

import json
import os
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def build() -> Starlette:
    pairs = json.loads(open(os.environ["BENCH_BARE_RESPONSES"], encoding="utf-8").read())
    answers = {request.encode("utf-8"): response.encode("utf-8") for request, response in pairs}

    async def graphql(request: Request) -> Response:
        body = await request.body()
        return Response(answers[body], media_type="application/json")

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)])


if __name__ == "__main__":
    import uvicorn

    workers, port = int(sys.argv[1]), int(sys.argv[2])
    uvicorn.run("bench.bare_server:build", factory=True, host="127.0.0.1", port=port, workers=workers,
                log_level="warning")
