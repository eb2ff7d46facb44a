"""The national read API: Strawberry GraphQL on Starlette, plus /healthz and CSV/Parquet exports.

``hub.server.create_app(engine)`` builds the ASGI app; ``hub.api.schema.schema`` is the schema.
"""
