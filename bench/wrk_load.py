"""The cached figures driven by wrk (Debian's package), a compiled client that costs a fraction
of a Python one per request: at thousands of requests a second the Python generator (bench/load.py)
takes most of a core itself, and the server would be measured against its own client.

The requests are the same JSON bodies (bench.load.dashboard_requests), picked at random per
request by a Lua script; an answer that is not 200 or holds ``"errors":`` counts as an error.
``make bench`` installs wrk when it can (apt); without it the Python generator is used and the
result says so.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

LUA = """
local bodies = %s
local errors = 0
math.randomseed(7)
request = function()
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, bodies[math.random(#bodies)])
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors":', 1, true) then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50_us=%%d p99_us=%%d requests=%%d non2xx_or_errors=%%d\\n",
    latency:percentile(50), latency:percentile(99), summary.requests, errors))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def run_wrk(base: str, bodies: list[bytes], clients: int, seconds: float, work: Path, label: str) -> dict[str, Any]:
    """``clients`` connections on 2 wrk threads for ``seconds``; the figures, and wrk's own CPU."""
    script = work / f"wrk-{label}.lua"
    table = "{" + ", ".join(_lua_string(b.decode("utf-8")) for b in bodies) + "}"
    script.write_text(LUA % table, encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "-s", str(script), base + "/graphql"],
                          capture_output=True, text=True, timeout=seconds + 120)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"BENCH p50_us=(\d+) p99_us=(\d+) requests=(\d+) non2xx_or_errors=(\d+)", done.stdout)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-1000:]} {done.stderr[-1000:]}")
    p50_us, p99_us, requests, errors = (int(g) for g in found.groups())
    socket_errors = re.search(r"Socket errors: (.*)", done.stdout)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = requests - errors
    return {"tool": "wrk", "clients": clients, "seconds": seconds, "requests_ok": ok, "errors": errors,
            "socket_errors": socket_errors.group(1) if socket_errors else None,
            "requests_per_s": round(ok / seconds, 1), "p50_ms": round(p50_us / 1000, 2),
            "p99_ms": round(p99_us / 1000, 2), "client_cpu_s": round(cpu, 1),
            "client_cpu_share": round(cpu / (elapsed * (os.cpu_count() or 1)), 3)}


if __name__ == "__main__":  # a smoke run: python -m bench.wrk_load http://127.0.0.1:8000
    import sys

    from bench.load import dashboard_requests

    print(json.dumps(run_wrk(sys.argv[1], [b for _, b in dashboard_requests(["22", "19"])], 50, 5,
                             Path("/tmp"), "smoke"), indent=1))
