"""GraphiQL page with the national breakdown as its opening document, and its assets served locally.

Strawberry's page loads React, GraphiQL 3 and the explorer plugin from unpkg.com. Ministry
networks (and CI) often cannot reach a CDN, so the page is rewritten to load the same UMD
bundles from the hub itself, at ``/graphiql/assets/<file>``. The files come from, in order:

1. ``HUB_GRAPHIQL_ASSETS``: a folder holding the files of ``ASSET_FILES``;
2. the ``graphiql/`` folder shipped inside the installed ``dagster-webserver`` package (a
   project dependency), located with ``importlib.util.find_spec`` WITHOUT importing it: the
   hub never imports dagster;
3. otherwise the unpkg.com URLs of Strawberry's page (a warning is logged once).

See docs/graphiql.md.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import logging
import os
import re
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger("hub.api.graphiql")

MORE_EXAMPLES = (
    """products(filter: {search: "che shan tuyet",
                  stars: [4, 5]}, first: 20) { ... }""",
    "coverage { province { name } status lastSuccessAt }",
)
"""Queries the opening comment suggests (``{ ... }``: fields of the reader's choosing); each
answers rows on the demo data (tests/api/test_graphiql_example.py)."""

# Wrapped at 60 columns: the editor pane of GraphiQL at its default width, without scrolling.
EXAMPLE_DOCUMENT = """\
# OCOP Hub: national data on "One Commune One Product"
# (Mỗi xã một sản phẩm).
#
# Press ▶ to run the national breakdown below: certified
# products by current province × star rating (active or
# expired; withdrawn products are not counted).
# Open the Docs panel for every type and field.
#
# More examples:
""" + "".join(f"#   {line}\n" for example in MORE_EXAMPLES for line in example.splitlines()) + """
query NationalBreakdown {
  stats(groupBy: [PROVINCE, STARS]) {
    key {
      province { code name }
      stars
    }
    count
  }
}
"""

ASSETS_ENV = "HUB_GRAPHIQL_ASSETS"
ASSETS_PATH = "/graphiql/assets"

# unpkg path in Strawberry's page (package@version/...) -> file name in dagster-webserver's
# graphiql/ folder. The shipped bundles expose the globals the page's script uses: React,
# ReactDOM (createRoot: React 18), GraphiQL (with GraphiQL.createFetcher, .React, .GraphQL)
# and GraphiQLPluginExplorer (explorerPlugin, built against window.GraphiQL.React).
_UNPKG_TO_FILE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"react@[^/]+/umd/react\.production\.min\.js"), "react.production.min.js"),
    (re.compile(r"react-dom@[^/]+/umd/react-dom\.production\.min\.js"), "react-dom.production.min.js"),
    (re.compile(r"graphiql@3\.[^/]+/graphiql\.min\.js"), "graphiql.min.js"),
    (re.compile(r"graphiql@3\.[^/]+/graphiql\.min\.css"), "graphiql.min.css"),
    (re.compile(r"@graphiql/plugin-explorer@[^/]+/dist/index\.umd\.js"), "graphiql-plugin-explorer.umd.js"),
    (re.compile(r"@graphiql/plugin-explorer@[^/]+/dist/style\.css"), "graphiql-plugin-explorer-style.css"),
]
ASSET_FILES = tuple(name for _, name in _UNPKG_TO_FILE)
# js-cookie is only used by the page to read a Django-style "csrftoken" cookie (sent back as
# x-csrftoken). The hub has no CSRF cookie; an inline read of document.cookie replaces it.
_JS_COOKIE = re.compile(r"js-cookie@[^/]+/")
_COOKIES_GET = 'const csrfToken = Cookies.get("csrftoken");'
_COOKIES_INLINE = 'const csrfToken = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]*)/) || [])[1];'

_EXAMPLE = re.compile(r"const EXAMPLE_QUERY = `.*?`;", re.DOTALL)
_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="https://unpkg\.com/([^"]+)"[^>]*>\s*</script>\s*', re.DOTALL)
_LINK = re.compile(r'<link\b[^>]*\bhref="https://unpkg\.com/([^"]+)"[^>]*/?>\s*', re.DOTALL)

_warned = False


def _complete(folder: Path) -> bool:
    return folder.is_dir() and all((folder / name).is_file() for name in ASSET_FILES)


def dagster_webserver_assets() -> Path | None:
    """dagster-webserver's graphiql/ folder, found without importing (executing) the package."""
    try:
        spec = importlib.util.find_spec("dagster_webserver")
    except (ImportError, ValueError):
        return None
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "graphiql"
        if _complete(folder):
            return folder
    return None


def locate_assets() -> Path | None:
    """The folder to serve at ASSETS_PATH, or None when the page must use the CDN (warned once)."""
    global _warned
    override = os.environ.get(ASSETS_ENV)
    if override:
        folder = Path(override).expanduser()
        if _complete(folder):
            return folder
        log.warning("%s=%s does not hold all of %s; ignoring it", ASSETS_ENV, override, ", ".join(ASSET_FILES))
    folder = dagster_webserver_assets()
    if folder is not None:
        return folder
    if not _warned:
        _warned = True
        log.warning("GraphiQL assets not found (set %s or install dagster-webserver): "
                    "GraphiQL will load them from unpkg.com and needs internet access", ASSETS_ENV)
    return None


def _local_url(unpkg_path: str, assets_url: str) -> str | None:
    """Local URL for an unpkg path; None for js-cookie (dropped). Unknown paths raise."""
    if _JS_COOKIE.match(unpkg_path):
        return None
    for pattern, name in _UNPKG_TO_FILE:
        if pattern.fullmatch(unpkg_path):
            return f"{assets_url.rstrip('/')}/{name}"
    raise RuntimeError(f"Strawberry's GraphiQL page loads an asset the hub does not serve: {unpkg_path}")


def localize(html: str, assets_url: str) -> str:
    """Rewrite the page's unpkg.com <script>/<link> tags to ``assets_url`` (no SRI: other builds)."""
    def script(match: re.Match[str]) -> str:
        url = _local_url(match.group(1), assets_url)
        return f'<script src="{url}"></script>\n    ' if url else ""

    def link(match: re.Match[str]) -> str:
        url = _local_url(match.group(1), assets_url)
        return f'<link rel="stylesheet" href="{url}" />\n    ' if url else ""

    html = _SCRIPT.sub(script, html)
    html = _LINK.sub(link, html)
    if _COOKIES_GET in html:
        html = html.replace(_COOKIES_GET, _COOKIES_INLINE)
    if "unpkg.com" in html or "Cookies." in html:
        raise RuntimeError("Strawberry's GraphiQL page changed: CDN assets left after the rewrite.")
    return html


def _patch(html: str, old: str, new: str) -> str:
    if html.count(old) != 1:
        raise RuntimeError(f"Strawberry's GraphiQL page changed: {old!r} not found once.")
    return html.replace(old, new)


def graphiql_html(assets_url: str | None = None) -> str:
    """Strawberry's GraphiQL page with our example document instead of its welcome text, and
    the API key in the headers editor kept only when the user asks (``REMEMBER_KEY_JS``).

    ``assets_url``: where the files of ASSET_FILES are served (e.g. "/graphiql/assets");
    None keeps Strawberry's unpkg.com URLs.
    """
    html = get_graphql_ide_html("graphiql")
    replacement = f"const EXAMPLE_QUERY = {json.dumps(EXAMPLE_DOCUMENT)};"
    patched, count = _EXAMPLE.subn(lambda _: replacement, html, count=1)
    if count != 1:
        raise RuntimeError("Strawberry's GraphiQL page changed: EXAMPLE_QUERY not found.")
    patched = _patch(patched, "shouldPersistHeaders: true,", "shouldPersistHeaders: rememberKey,")
    patched = _patch(patched, "function GraphiQLWithExplorer() {", REMEMBER_KEY_JS + "\n      function GraphiQLWithExplorer() {")
    patched = _patch(patched, '<div id="graphiql" class="graphiql-container">Loading...</div>',
                     '<div id="graphiql" class="graphiql-container">Loading...</div>\n    ' + REMEMBER_KEY_HTML)
    return localize(patched, assets_url) if assets_url else patched


# The headers editor is where a key holder types "Authorization: Bearer ...". Strawberry's page
# persists it (shouldPersistHeaders) in localStorage, where it outlives the session and any
# script of the origin can read it. Here it is kept only when the user ticks "Remember my API
# key"; otherwise it is never stored, and a token a previous page stored is scrubbed.
REMEMBER_FLAG = "ocop-hub:remember-key"
REMEMBER_KEY_HTML = (
    '<label id="ocop-remember-key" style="position:fixed;right:12px;bottom:6px;z-index:20;'
    'font:12px sans-serif;background:rgba(255,255,255,.9);padding:2px 6px;border-radius:4px">'
    '<input type="checkbox" id="ocop-remember-key-box"> Remember my API key (headers) in this browser</label>')
REMEMBER_KEY_JS = """\
      const REMEMBER_FLAG = %s;
      const rememberKey = window.localStorage.getItem(REMEMBER_FLAG) === "1";
      function forgetStoredHeaders(storage) {
        storage.removeItem("graphiql:headers");
        const tabs = JSON.parse(storage.getItem("graphiql:tabState") || "null");
        if (tabs && Array.isArray(tabs.tabs)) {
          tabs.tabs.forEach(function (tab) { tab.headers = null; });
          storage.setItem("graphiql:tabState", JSON.stringify(tabs));
        }
      }
      if (!rememberKey) forgetStoredHeaders(window.localStorage);
      const rememberBox = document.getElementById("ocop-remember-key-box");
      rememberBox.checked = rememberKey;
      rememberBox.addEventListener("change", function () {
        if (rememberBox.checked) {
          window.localStorage.setItem(REMEMBER_FLAG, "1");
        } else {
          window.localStorage.removeItem(REMEMBER_FLAG);
          forgetStoredHeaders(window.localStorage);
        }
        window.location.reload();
      });
""" % json.dumps(REMEMBER_FLAG)

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def page_headers(html: str, cdn: bool) -> dict[str, str]:
    """The GraphiQL page's security headers: a CSP allowing its own inline script by hash (no
    other inline script runs), its assets from the hub (or unpkg.com when ``cdn``), requests to
    the hub only, and no framing (``frame-ancestors 'none'``: no other site can overlay it)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
                      for body in _INLINE_SCRIPT.findall(html))
    cdn_source = " https://unpkg.com" if cdn else ""
    policy = "; ".join([
        "default-src 'self'", f"script-src 'self'{cdn_source} {hashes}",
        f"style-src 'self'{cdn_source} 'unsafe-inline'", "img-src 'self' data:", "font-src 'self' data:",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'",
        "frame-ancestors 'none'"])
    return {"Content-Security-Policy": policy, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff"}
