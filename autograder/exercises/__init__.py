"""Hidden tests: one module per assignment, named after its solutions module (shared.py holds the
checks that several of them use). Each declares its exercises and their known mistakes with
autograder.engine.registry: see its docstring."""
