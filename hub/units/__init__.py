"""Administrative units: the resolver of provinces and communes (old and new), their
names, and the reference data they are loaded from."""
