"""The ``ocop-hub`` command line: one module per command group."""
