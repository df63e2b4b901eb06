"""What grades: `check(name, function)` for hidden tests; the engine, the exercises, the sandbox,
the class grading command and the learner's tools (see autograder/README.md)."""

from autograder.kernel import CheckFailed, check

__all__ = ["CheckFailed", "check"]
