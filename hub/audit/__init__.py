"""The audit log read back: a product's history, and reverting a batch."""
