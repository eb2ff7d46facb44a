"""``make dagster``: the Dagster UI and daemon on this code location in one command.

Dagster reads its instance config from ``$DAGSTER_HOME/dagster.yaml``: this script sets
``DAGSTER_HOME`` to the repository root, so the versioned ``dagster.yaml`` there is the one in
force (no copy), and runs ``dagster dev`` from the root, where the code location's relative paths
(``samples/sources.yaml``) and ``dagster.yaml``'s storage folder (``.ocop-hub/dagster``) resolve.
``dagster dev`` warns that a ``dagster.yaml`` in the current folder "will not be used" only when
``DAGSTER_HOME`` is another folder: here they are the same. It picks a free port unless one is
given.

``dagster dev`` runs in its own process group, with the webserver, the daemon, the code servers
and the runs they launch. Ctrl-C or SIGTERM (a supervisor's stop) is passed on as SIGINT, the
signal on which ``dagster dev`` shuts its services down cleanly; whatever is still alive in the
group after ``GRACE_SECONDS`` is terminated, then killed, so no process outlives the command.

    python -m pipelines.dev [--port 3001] [--host 127.0.0.1]
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
INSTANCE_CONFIG = REPO_ROOT / "dagster.yaml"
"""The instance config Dagster reads: ``DAGSTER_HOME`` is the repository root."""
FIRST_PORT = 3000
PORTS_TRIED = 100
GRACE_SECONDS = 20.0
"""How long ``dagster dev`` may take to stop its services before the group is terminated."""
SUPERSESSION_FILTER = "ignore:Function `dev_command` is superseded:FutureWarning"
"""``dagster dev`` warns "Use 'dg dev' instead" on every start; docs/deploy.md ("Why not dg") says
why this repository does not: the warning is silenced for that one process, no other warning."""


class Stop(Exception):
    """Ctrl-C or SIGTERM arrived: shut the services down."""


def free_port(host: str, first: int = FIRST_PORT) -> int:
    """The first port from ``first`` on that nothing listens on."""
    for port in range(first, first + PORTS_TRIED):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {first}–{first + PORTS_TRIED - 1} on {host}: pass --port")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except ProcessLookupError:
        pass


def wait_group(child: subprocess.Popen[bytes], pgid: int, seconds: float) -> bool:
    """Reap ``child`` and wait until no process of its group is left; False on timeout."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        child.poll()
        if child.returncode is not None and not _group_alive(pgid):
            return True
        time.sleep(0.1)
    return False


def stop_group(child: subprocess.Popen[bytes], grace: float = GRACE_SECONDS) -> None:
    """SIGINT (a clean ``dagster dev`` shutdown), then SIGTERM, then SIGKILL to the whole group."""
    pgid = child.pid  # the child leads its own group (start_new_session)
    for signum, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        signal_group(pgid, signum)
        if wait_group(child, pgid, wait):
            return


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def run(command: Sequence[str], env: dict[str, str]) -> int:
    """Run ``command`` in its own process group until it exits or a stop signal arrives."""
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    child = subprocess.Popen(command, env=env, cwd=REPO_ROOT, start_new_session=True)
    try:
        return child.wait()
    except Stop as stop:
        print(f"\n{stop}: stopping Dagster (webserver, daemon, code servers, runs)...", file=sys.stderr, flush=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        return 0
    finally:
        stop_group(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.dev", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help=f"UI port (default: the first free one from {FIRST_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="UI address (default 127.0.0.1)")
    args = parser.parse_args(argv)
    port = args.port or free_port(args.host)
    print(f"DAGSTER_HOME={REPO_ROOT} (instance config {INSTANCE_CONFIG.name}, Dagster's files in .ocop-hub/dagster)\n"
          f"Dagster UI: http://{args.host}:{port}  (Ctrl-C stops everything)", flush=True)
    env = {**os.environ, "DAGSTER_HOME": str(REPO_ROOT)}
    return run([sys.executable, "-W", SUPERSESSION_FILTER, "-m", "dagster", "dev", "-h", args.host, "-p", str(port)],
               env)


if __name__ == "__main__":
    sys.exit(main())
