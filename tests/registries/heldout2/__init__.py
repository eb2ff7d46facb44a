"""Second round of held-out registry layouts (see layouts.py)."""
