"""``ocop-hub serve`` for the figures: a free loopback port, bounded start and stop."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench.common import ROOT, SERVER_START_TIMEOUT_S, SERVER_STOP_TIMEOUT_S

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_server(url: str, log_path: Path, env: dict[str, str] | None = None,
               command: list[str] | None = None, cwd: Path = ROOT, pid: dict[str, int] | None = None) -> Iterator[str]:
    """``ocop-hub serve`` on a free loopback port over ``url`` (or ``command``, given the port as
    its last argument: the bare route); ``env`` adds settings. ``cwd``: whose code serves (another
    revision's ``git archive``: bench/harvest_paired.export_revision); ``pid``, when given, gets
    the server's process id under "pid". Bounded start and stop."""
    import requests

    port = free_port()
    # The 50 load clients all come from 127.0.0.1: the per-address rate limit would answer most
    # of them 429 and the figure would measure the limiter, not the server. Off for the bench.
    env = dict(os.environ, HUB_DATABASE_URL=url, HUB_RATE_LIMIT_ANONYMOUS="0", HUB_RATE_LIMIT_KEY="0", **(env or {}))
    log_file = open(log_path, "w")
    # No access log: a line per request costs a quarter of a cached answer, and the bare route
    # it is compared with logs nothing (a deployment behind a logging proxy does the same).
    argv = [*command, str(port)] if command else [sys.executable, "-m", "hub.cli.main", "serve", "--host", "127.0.0.1",
                                                    "--port", str(port), "--no-access-log"]
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    if pid is not None:
        pid["pid"] = proc.pid
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ocop-hub serve exited with {proc.returncode}; see {log_path}")
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"ocop-hub serve not healthy after {SERVER_START_TIMEOUT_S} s; see {log_path}")
            time.sleep(0.25)
        time.sleep(2)  # with several workers the first answers before the others have started
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(SERVER_STOP_TIMEOUT_S)
        log_file.close()
