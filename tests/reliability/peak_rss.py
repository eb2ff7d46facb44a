"""Peak RSS measured inside a child process, for the memory scenarios of tests/ and stress/.

The child scripts run with ``python -c``; this source is pasted into them, so they need no import
path to the tests. ``ru_maxrss`` would include the parent's pre-exec peak (the fork of a large
pytest process), so the child resets and reads its own VmHWM. A harvest reads and normalizes a
file in a forked worker: its peak is read too (``_worker_hwm_mb``), and each process is bounded.
"""
from __future__ import annotations

CHILD_HELPERS = r"""
def _hwm_mb(pid="self"):
    # peak RSS of this process since _reset_hwm() (or of process ``pid`` since it started)
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
def _worker_hwm_mb():
    # peak RSS of the harvest's prepare worker (hub.ingest.prepare), which reads the file
    from hub.ingest.prepare import worker_pid
    pid = worker_pid()
    return _hwm_mb(pid) if pid else None
def _reset_hwm():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
"""
