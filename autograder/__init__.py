"""What grades: `check(name, function)` for hidden tests, and the grading command lines."""

from autograder.checking import CheckFailed, check

__all__ = ["CheckFailed", "check"]
