"""OCOP Hub: the unified store, normalization, ingest, GraphQL API and CLI.

`hub` never imports `pipelines` or `dagster`: the Dagster code location depends on it, not
the other way round.
"""
