"""The store: its models, engine, schema and migrations, the data version and text search, and
what it keeps on every commit: the certificate rule and intervals, the counts, the audit
snapshots, and the expiry of certificates (docs/architecture.md)."""
