"""Registries harvested by the hub: the sources catalog and its check, the harvest of
one source, and the inspection of a registry file before its first harvest."""
