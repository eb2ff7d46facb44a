"""The demo store over a real `ocop-hub serve` (the `demo` fixture, made available to the modules
of this folder by its conftest), for the dashboard's tests over HTTP and in chromium."""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.sources.harvest import harvest_source
from hub.vocabulary import Role
from hub.registries.sources_file import load_sources
from hub.samples import main as generate_samples
from tests.api.live import LiveServer

TIMEOUT = 20


@dataclass
class Demo:
    server: LiveServer
    keys: dict[str, str]

    def graphql(self, query: str, variables: dict[str, Any] | None = None, key: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        answer = requests.post(f"{self.server.url}/graphql", json={"query": query, "variables": variables},
                               headers=headers, timeout=TIMEOUT).json()
        assert "errors" not in answer, answer
        return answer["data"]

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.server.url}{path}", timeout=TIMEOUT)


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """`make demo`'s store: the sample registries generated and harvested; keys for Tuyên Quang
    (08, whose JSON API gives phone numbers) and Quảng Ninh (22)."""
    folder = tmp_path_factory.mktemp("demo")
    shutil.copyfile(sqlite_template, folder / "hub.sqlite3")
    url = f"sqlite:///{folder / 'hub.sqlite3'}"
    generate_samples(["--out", str(folder / "samples")])
    engine = make_engine(url)
    try:
        failed = [s for s in (harvest_source(engine, spec) for spec in load_sources(folder / "samples" / "sources.yaml"))
                  if s.failed]
        assert not failed, failed
        keys = {code: create_key(engine, role=Role.PROVINCE, province_code=code, name=f"Tỉnh {code}")[1]
                for code in ("08", "22")}
    finally:
        engine.dispose()
    with LiveServer(url, folder / "server.log") as server:
        yield Demo(server, keys)


def table_rows(dom: str, table_id: str) -> list[list[str]]:
    """The cells' text of a table the page rendered (by the id of the section, or table, holding it)."""
    section = dom[dom.index(f'id="{table_id}"'):]
    body = section[section.index("<tbody>"):section.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
