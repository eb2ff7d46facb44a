"""Peak RSS measured inside a child process, for the memory scenarios of tests/ and stress/.

The child scripts run with ``python -c``; this source is pasted into them, so they need no import
path to the tests. ``ru_maxrss`` would include the parent's pre-exec peak (the fork of a large
pytest process), so the child resets and reads its own VmHWM.
"""
from __future__ import annotations

CHILD_HELPERS = r"""
def _hwm_mb():
    # peak RSS of this process since _reset_hwm()
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
def _reset_hwm():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
"""
