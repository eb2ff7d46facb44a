"""Ingest: the single path by which harvested and pushed rows reach the store."""
from hub.ingest.run import IngestError, ingest_rows
from hub.ingest.summary import ImportSummary, Rejection

__all__ = ["IngestError", "ImportSummary", "Rejection", "ingest_rows"]
