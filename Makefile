# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install schema bench stress clean dagster

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Harvest the sample registries into the SQLite default, then serve the API on :8000.
demo: $(STAMP)
	$(BIN)/ocop-hub db upgrade
	$(BIN)/python -m hub.samples --out samples
	$(BIN)/ocop-hub harvest --sources samples/sources.yaml
	$(BIN)/ocop-hub serve --host 127.0.0.1 --port 8000

## Run the whole suite (SQLite always; PostgreSQL when reachable) on TEST_WORKERS pytest-xdist
## workers, a module or an xdist group per worker at a time (tests/conftest.py); docs/testing.md.
## PYTEST_ARGS=--durations=20 to add options.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

## The Dagster UI and daemon on the sample registries (http://127.0.0.1:3000, or the next free port;
## PORT=3001 to choose). Ctrl-C stops every Dagster process. DAGSTER_HOME is the repository root (its
## dagster.yaml); Dagster's files go under .ocop-hub/dagster.
dagster: $(STAMP)
	$(BIN)/ocop-hub db upgrade
	test -f samples/sources.yaml || $(BIN)/python -m hub.samples --out samples
	$(BIN)/python -m pipelines.dev $(if $(PORT),--port $(PORT))

schema: $(STAMP)
	$(BIN)/ocop-hub schema export

## Benchmarks at national scale (writes bench/results/latest.json and latest.md); BENCH_ARGS=--quick for a small run.
bench: $(STAMP)
	command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null 2>&1 || echo "wrk not installed: the cached figures use the Python load generator"
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## Long reliability runs (bounded): SIGKILL at many points, black-holed DB, wide workbook, 2,000 fuzzed queries.
stress: $(STAMP)
	HUB_FUZZ_EXAMPLES=2000 timeout 1800 $(BIN)/python -m pytest -s stress tests/reliability
	PYTHON=$(BIN)/python stress/audit_deps.sh

clean:
	rm -rf $(VENV) .ocop-hub .pytest_cache
