"""Hidden tests: one module per assignment, named after its solutions module."""
