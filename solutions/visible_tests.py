"""Given helpers of the notebooks' visible tests: a check that builds on other exercises runs
only once their own visible tests have passed, so that a mistake in one function is reported
by its own tests, never by the tests of another."""


def passed(name):
    """Say that the visible tests of `name` passed, and remember it for the checks that use it."""
    passed.names = getattr(passed, "names", set()) | {name}
    print(f"{name}: visible tests passed")


def needs(*names):
    """True when the visible tests of every one of `names` have passed; otherwise say which to finish."""
    missing = [name for name in names if name not in getattr(passed, "names", set())]
    if missing:
        print(f"Skipped: this check uses your {' and '.join(missing)}; make its visible tests pass first.")
    return not missing
