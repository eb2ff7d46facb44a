"""GraphiQL opens on an example, and suggests more in its comment: each answers rows on the demo
data (`make demo`: the sample registries harvested), on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.graphiql import EXAMPLE_DOCUMENT, MORE_EXAMPLES
from hub.sources.harvest import harvest_source
from hub.registries.sources_file import load_sources


def test_the_opening_example_and_the_suggested_ones_answer_rows_on_the_demo_data(store, samples_dir: Path) -> None:
    assert not [s for s in (harvest_source(store, spec) for spec in load_sources(samples_dir / "sources.yaml"))
                if s.failed]
    documents = [EXAMPLE_DOCUMENT] + ["{ " + e.replace("{ ... }", "{ totalCount }") + " }" for e in MORE_EXAMPLES]
    with TestClient(create_app(store)) as client:
        for document in documents:
            body = client.post("/graphql", json={"query": document}).json()
            assert "errors" not in body, (document, body)
            for name, value in body["data"].items():
                assert value and value != {"totalCount": 0}, (document, name, value)
    assert all(f"#   {line}" in EXAMPLE_DOCUMENT for e in MORE_EXAMPLES for line in e.splitlines())
