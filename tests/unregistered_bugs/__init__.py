"""Typical student bugs that are NOT registered mistakes, one or more per exercise of 01-08.

Written for tests/test_feedback.py (and bench/bench_feedback.py): each must fail its hidden
tests with a message that points at what is wrong. `points` is a regular expression that the
message must match: the wrong term (an input or parameter whose contribution is wrong), the one
returned value that is wrong, or what the wrong value is (a multiple, the transpose, one step
late...). Every claim the message makes (a term that is wrong, a known mistake) must match it
too, so that no message misleads. `points` is None for a bug whose message does not point at
it (it must then make no claim).

Most bugs are edits of the reference, as the known mistakes are (autograder.engine.registry
.edited); a bug that is other code is a function, written as a notebook holds it (numpy as np
and the course functions the exercise lets the student call). One module per part of the course.
"""

from unregistered_bugs import feedforward, recurrent, sequence_tasks  # noqa: F401 (they register)
from unregistered_bugs.catalogue import BUGS, Bug

__all__ = ["BUGS", "Bug"]
