#!/usr/bin/env bash
# Dependency audit as a report: pip-audit over the installed environment (.venv), written to
# docs/dependency-audit.txt. Never fails: a finding, an offline index or a missing pip-audit is
# reported in the file and on stdout, and the exit status is always 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
OUT="docs/dependency-audit.txt"
{
  echo "# pip-audit of the installed environment ($PY), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# Produced by stress/audit_deps.sh; a report only (CI does not fail on it)."
  echo "# Local packages (ocop-hub itself) are skipped: they are not on PyPI."
  echo
} > "$OUT"
if ! "$PY" -m pip_audit --version >/dev/null 2>&1; then
  echo "pip-audit is not installed in $PY: pip install pip-audit" | tee -a "$OUT"
  exit 0
fi
"$PY" -m pip_audit --local --skip-editable --progress-spinner off --desc on -f columns >> "$OUT" 2>&1
status=$?
echo >> "$OUT"
skipped=$(grep -c "could not be audited" "$OUT")
total=$("$PY" -m pip list --format=freeze 2>/dev/null | grep -c "==")
if [ "$status" -eq 0 ] && [ "$skipped" -gt 0 ]; then
  # pip-audit says "No known vulnerabilities" even when it could check nothing (no access to the
  # vulnerability service): say so instead of reporting a clean bill of health
  echo "# result: INCOMPLETE: $skipped of $total installed distributions could not be audited (is pypi.org/osv.dev reachable?)" >> "$OUT"
  status=3
fi
case $status in
  0) echo "# result: no known vulnerabilities in $total installed distributions" >> "$OUT" ;;
  3) ;;
  1) echo "# result: known vulnerabilities listed above (exit status 1, reported, not failed)" >> "$OUT" ;;
  *) echo "# result: pip-audit could not finish (exit status $status), see above" >> "$OUT" ;;
esac
tail -n 25 "$OUT"
exit 0
