"""The kernel side of check(): the only part of autograder a graded kernel gets (no exercises,
no references)."""

from autograder.kernel.check import CheckFailed, check, course_function

__all__ = ["CheckFailed", "check", "course_function"]
