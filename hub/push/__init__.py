"""Provinces' pushes: the submission (authorised, checked, then the one ingest path) and
the background jobs that run large ones."""
