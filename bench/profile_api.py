"""Profile ``ocop-hub serve`` with py-spy while one workload of the suite runs against it.

``python -m bench.profile_api --db sqlite:///PATH --workload stats|page|load [--seconds 20] --out FILE``

Starts the server (rate limits and response cache off) on a free loopback port over the given store, attaches ``py-spy record``
(raw collapsed stacks, 100 Hz, idle frames left out) to it, runs the workload, stops both, and
prints ``bench.profile_summary`` of the stacks. py-spy must be installed in the virtualenv.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

from bench.profile_summary import summarise
from bench.api_bench import PAGE_QUERY, STATS_QUERY
from bench.common import REQUEST_TIMEOUT_S, ROOT
from bench.load import run_load
from bench.server import free_port


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_api")
    parser.add_argument("--db", required=True)
    parser.add_argument("--workload", choices=("stats", "page", "load"), required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "hub.cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=ROOT, env=dict(os.environ, HUB_DATABASE_URL=args.db, HUB_RATE_LIMIT_ANONYMOUS="0",
                                                 HUB_RATE_LIMIT_KEY="0", HUB_RESPONSE_CACHE_MB="0"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.25)
        spy = subprocess.Popen([py_spy, "record", "--pid", str(server.pid), "--rate", "100", "--format", "raw",
                                "--duration", str(int(args.seconds) + (8 if args.workload == "load" else 2)),
                                "--output", str(args.out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        done = 0
        if args.workload == "load":
            out = run_load(base, "mix", ["01", "08", "19", "22", "24"], args.clients, args.seconds)
            done = out["requests_ok"]
        else:
            session = requests.Session()
            payload = ({"query": STATS_QUERY} if args.workload == "stats"
                       else {"query": PAGE_QUERY, "variables": {"first": 100}})
            stop = time.monotonic() + args.seconds
            while time.monotonic() < stop:
                session.post(base + "/graphql", json=payload, timeout=REQUEST_TIMEOUT_S).raise_for_status()
                done += 1
        spy.wait(60)
        print(f"{args.workload}: {done} requests in {args.seconds:.0f} s ({done / args.seconds:.1f}/s)")
        print(summarise(str(args.out), top=40))
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
