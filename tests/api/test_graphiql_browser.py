"""GraphiQL in headless Debian chromium against a real `ocop-hub serve`, with no internet.

Chromium may only reach the loopback server (every host name resolves to nothing), so the page
must load React, GraphiQL and the explorer from the hub's /graphiql/assets. The tests check the
rendered editor holds the example document, that GraphiQL fetched the schema (its linter flags an
unknown field; the Docs panel lists the schema's types; executing the example shows the stats),
and that a screenshot is written. Skipped when /usr/bin/chromium is missing.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import pytest

from hub.api.graphiql import ASSET_FILES, ASSETS_PATH
from tests.api.live import LiveServer, expected_stats, live_server, sqlite_live_store  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
RUN_TIMEOUT_S = 45
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed: apt-get install chromium"),
]
BASE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,900",
    # No internet: every host but 127.0.0.1 fails to resolve, so a CDN URL (unpkg.com) would fail.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="module")
def live_store_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite only: the page is the same whatever the backend (test_live_server covers both)."""
    return sqlite_live_store(sqlite_template, tmp_path_factory.mktemp("browser-store"))


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill what is left of the chromium we started (its own process group), bounded."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run chromium to completion (dump-dom, screenshot), at most RUN_TIMEOUT_S."""
    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    proc = subprocess.Popen([str(CHROMIUM), *BASE_FLAGS, f"--user-data-dir={profile}", *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        pytest.fail(f"chromium did not finish within {RUN_TIMEOUT_S}s: {args}")
    finally:
        _kill_group(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def dump_dom(tmp_path: Path, url: str) -> str:
    done = chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", url)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8")


def _editor_lines(dom: str) -> str:
    """Text of the query editor's lines (CodeMirror renders tokens as spans)."""
    lines = re.findall(r'<pre class=" CodeMirror-line " role="presentation">(.*?)</pre>', dom, re.DOTALL)
    return "\n".join(re.sub(r"<[^>]+>", "", line).replace("\u200b", "") for line in lines)


def _assets_served(log: str) -> None:
    for name in ASSET_FILES:
        assert re.search(rf'"GET {re.escape(ASSETS_PATH)}/{re.escape(name)} HTTP/1\.1" 200', log), name


def test_graphiql_renders_the_example_document_from_local_assets(live_server: LiveServer, tmp_path: Path) -> None:
    dom = dump_dom(tmp_path, f"{live_server.url}/graphql")
    assert "graphiql-query-editor" in dom and "graphiql-execute-button" in dom  # React rendered GraphiQL
    assert ">Loading...</div>" not in dom
    editor = _editor_lines(dom)
    assert "query NationalBreakdown {" in editor and "stats(groupBy: [PROVINCE, STARS]) {" in editor
    assert 'class="cm-def">NationalBreakdown<' in dom
    assert "CodeMirror-lint-mark-error" not in dom  # the example is valid against the schema
    log = live_server.log()
    _assets_served(log)
    assert re.search(r'"POST /graphql HTTP/1\.1" 200', log)  # GraphiQL's introspection


def test_graphiql_lints_against_the_fetched_schema(live_server: LiveServer, tmp_path: Path) -> None:
    query = "{ stats(groupBy: [PROVINCE]) { count bogusField } }"
    dom = dump_dom(tmp_path, f"{live_server.url}/graphql?q={urllib.parse.quote(query)}")
    # "bogusField" is valid syntax: only validation against the introspected schema flags it.
    flagged = re.findall(r'class="[^"]*CodeMirror-lint-mark-error[^"]*">([^<]+)<', dom)
    assert "bogusField" in flagged and "count" not in flagged


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_screenshot(live_server: LiveServer, tmp_path: Path) -> None:
    shot = tmp_path / "graphiql.png"
    done = chromium(tmp_path, "--virtual-time-budget=10000", f"--screenshot={shot}", f"{live_server.url}/graphql")
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert _png_size(data) == (1400, 900)
    assert len(data) > 20_000  # a rendered page, not a blank one (blank: ~5 kB)


class DevTools:
    """Chromium driven over --remote-debugging-pipe (CDP: NUL-separated JSON on fds 3 and 4).

    No extra package; every read is bounded by a deadline.
    """

    def __init__(self, tmp_path: Path) -> None:
        to_chrome_r, self._w = os.pipe()
        self._r, from_chrome_w = os.pipe()

        def fds_3_and_4() -> None:  # in the child, before exec
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), *BASE_FLAGS, f"--user-data-dir={tmp_path / 'profile-cdp'}", "--remote-debugging-pipe",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=fds_3_and_4, close_fds=False, start_new_session=True)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 20) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply["result"]
                if "method" in reply:
                    self.on_event(reply)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"chromium did not answer {method} within {timeout}s")
            if select.select([self._r], [], [], left)[0]:
                chunk = os.read(self._r, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buf += chunk

    def on_event(self, event: dict[str, Any]) -> None:
        """An event chromium sent unasked (no id): dropped here; a recorder keeps them."""

    def page(self, url: str) -> str:
        """Open ``url`` in the first tab; the CDP session id of that tab."""
        target = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        session = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        self.call("Page.navigate", {"url": url}, session=session)
        return session

    def evaluate(self, session: str, expression: str, timeout: float = 40) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True}, session=session, timeout=timeout)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        _kill_group(self.proc)
        os.close(self._w)
        os.close(self._r)


@pytest.fixture
def devtools(tmp_path: Path) -> Iterator[DevTools]:
    browser = DevTools(tmp_path)
    try:
        yield browser
    finally:
        browser.close()


# In the page: open the Docs panel (it lists types only once the schema is loaded), then press
# ▶ and wait for the response. Every wait is bounded (15 s); the result says what was missing.
RUN_EXAMPLE_JS = r"""
(async () => {
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const until = async (probe, ms) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { const value = probe(); if (value) return value; await sleep(100); }
    return null;
  };
  const docsButton = await until(() => document.querySelector('[aria-label="Show Documentation Explorer"]'), 15000);
  if (!docsButton) return {error: "GraphiQL did not render", body: document.body.innerText.slice(0, 1000)};
  docsButton.click();
  const docs = await until(() => {
    const panel = document.querySelector('.graphiql-doc-explorer');
    return panel && panel.innerText.includes('Root Types') && panel.innerText;
  }, 15000);
  const run = document.querySelector('.graphiql-execute-button');
  run.click();
  const response = await until(() => {
    const editor = document.querySelector('.graphiql-response .CodeMirror');
    const text = editor && (editor.CodeMirror ? editor.CodeMirror.getValue() : editor.innerText);
    return text && text.includes('"stats"') && text;
  }, 15000);
  return {docs, response};
})()
"""


def test_graphiql_shows_the_docs_and_runs_the_example(live_server: LiveServer, devtools: DevTools,
                                                       tmp_path: Path) -> None:
    session = devtools.page(f"{live_server.url}/graphql")
    got = devtools.evaluate(session, RUN_EXAMPLE_JS)
    assert got and not got.get("error"), got
    assert got["docs"], "the Docs panel never listed the schema's types"
    assert "query: Query" in got["docs"] and "StatsBucket" in got["docs"] and "ProductConnection" in got["docs"]
    assert got["response"], "pressing ▶ did not show the example's result"
    buckets = json.loads(got["response"])["data"]["stats"]
    assert {(b["key"]["province"]["code"], b["key"]["stars"]): b["count"] for b in buckets} == expected_stats()
    shot = devtools.call("Page.captureScreenshot", {"format": "png"}, session=session)
    data = base64.b64decode(shot["data"])
    (tmp_path / "graphiql-executed.png").write_bytes(data)
    width, height = _png_size(data)  # the viewport: the window less the (headless) browser frame
    assert width == 1400 and height > 500 and len(data) > 20_000


# Type a key into the headers editor, wait past GraphiQL's storage debounce, and report what the
# page stored; CSP violations the page met since it loaded are collected by VIOLATIONS_JS.
VIOLATIONS_JS = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"""
TYPE_KEY_JS = r"""
(async (remembered) => {
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const until = async (probe, ms) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { const value = probe(); if (value) return value; await sleep(100); }
    return null;
  };
  const box = await until(() => {
    const found = document.getElementById('ocop-remember-key-box');
    return found && found.checked === remembered && document.querySelector('.graphiql-editor-tools') && found;
  }, 15000);
  if (!box) return {error: "the page (or its remember box) did not come up as expected"};
  document.querySelector('.graphiql-editor-tools button[data-name="headers"]').click();
  const editor = await until(() => {  // the second of the tools' editors (variables, headers), once shown
    const headers = document.querySelectorAll('.graphiql-editor-tool .graphiql-editor')[1];
    const mirror = headers && !headers.classList.contains('hidden') && headers.querySelector('.CodeMirror');
    return mirror && mirror.CodeMirror && mirror;
  }, 15000);
  if (!editor) return {error: "the headers editor did not show"};
  editor.CodeMirror.setValue('{"Authorization": "Bearer ocop_not_a_real_token"}');
  await sleep(1500);
  return {local: JSON.stringify(window.localStorage), session: JSON.stringify(window.sessionStorage),
          violations: window.__violations};
})
"""


def test_graphiql_keeps_the_key_only_when_asked_and_meets_its_csp(live_server: LiveServer, devtools: DevTools) -> None:
    session = devtools.page("about:blank")
    devtools.call("Page.enable", session=session)
    devtools.call("Page.addScriptToEvaluateOnNewDocument", {"source": VIOLATIONS_JS}, session=session)
    devtools.call("Page.navigate", {"url": f"{live_server.url}/graphql"}, session=session)
    first = devtools.evaluate(session, TYPE_KEY_JS + "(false)")
    assert first and not first.get("error"), first
    assert "ocop_not_a_real_token" not in first["local"] + first["session"], first  # not kept at all
    assert first["violations"] == [], first["violations"]  # everything the page needs, its CSP allows

    devtools.evaluate(session, "document.getElementById('ocop-remember-key-box').click()")  # reloads the page
    time.sleep(1)
    remembered = devtools.evaluate(session, TYPE_KEY_JS + "(true)")
    assert remembered and not remembered.get("error"), remembered
    assert "ocop_not_a_real_token" in remembered["local"] and remembered["violations"] == []

    devtools.evaluate(session, "document.getElementById('ocop-remember-key-box').click()")  # forget it again
    time.sleep(1)
    forgotten = devtools.evaluate(session, TYPE_KEY_JS + "(false)")
    assert forgotten and not forgotten.get("error"), forgotten
    assert "ocop_not_a_real_token" not in forgotten["local"], forgotten["local"]
