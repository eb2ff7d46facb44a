"""How long the national dashboard takes to arrive complete, and how much it weighs.

One "load" is what a browser must fetch before the page is whole: GET / and every subresource
the HTML names on the same host (stylesheets, scripts, images; today the page inlines them all,
so a load is one request, but a page that grew a subresource would be timed with it). The
figure is the median over ``runs`` loads after one warm-up (the first load of a server process
pays for its imports); ``dashboard_kb`` is the bytes of one load as sent (status line, headers,
body, no compression).

    .venv/bin/python -m bench.dashboard_bench http://127.0.0.1:8000 --runs 20
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

SUBRESOURCE = re.compile(r'<(?:script|img|link|iframe|source)\b[^>]*?\b(?:src|href)="([^"]+)"', re.I)
TIMEOUT_S = 30


def _wire_bytes(response: requests.Response) -> int:
    """Status line, headers and body as sent (HTTP/1.1, no compression: the hub sends none)."""
    head = f"HTTP/1.1 {response.status_code} {response.reason}\r\n" + "".join(
        f"{k}: {v}\r\n" for k, v in response.headers.items()) + "\r\n"
    return len(head.encode("latin-1", errors="replace")) + len(response.content)


def subresources(html: str, page_url: str) -> list[str]:
    """Same-host URLs the page loads (an icon given as data: costs no request)."""
    host = urlsplit(page_url).netloc
    found = []
    for raw in SUBRESOURCE.findall(html):
        url = urljoin(page_url, raw.replace("&amp;", "&"))
        if url.startswith(("http://", "https://")) and urlsplit(url).netloc == host and url not in found:
            found.append(url)
    return found


def load_once(session: requests.Session, base_url: str) -> tuple[float, int]:
    """(seconds, bytes) to fetch the national page and what it needs."""
    start = time.perf_counter()
    page = session.get(base_url.rstrip("/") + "/", timeout=TIMEOUT_S)
    page.raise_for_status()
    total = _wire_bytes(page)
    for url in subresources(page.text, page.url):
        part = session.get(url, timeout=TIMEOUT_S)
        part.raise_for_status()
        total += _wire_bytes(part)
    return time.perf_counter() - start, total


def dashboard_timings(base_url: str, runs: int = 20) -> dict[str, Any]:
    """{"dashboard_p50_ms", "dashboard_p95_ms", "dashboard_first_ms", "dashboard_kb", "runs"}."""
    with requests.Session() as session:
        first, size = load_once(session, base_url)
        times = [load_once(session, base_url)[0] for _ in range(runs)]
    ordered = sorted(times)
    return {
        "dashboard_p50_ms": round(1000 * statistics.median(times), 1),
        "dashboard_p95_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
        "dashboard_first_ms": round(1000 * first, 1),
        "dashboard_kb": round(size / 1024, 1),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(dashboard_timings(args.base_url, args.runs), indent=2))


if __name__ == "__main__":
    main()
