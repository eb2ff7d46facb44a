"""API keys: who may call the hub, kept only as hashes (the privacy rule per field is
hub.api.access)."""
