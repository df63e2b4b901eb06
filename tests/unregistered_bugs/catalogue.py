"""The list of unregistered bugs and how a bug is declared."""

import re
from dataclasses import dataclass

from autograder.engine import EXERCISES, load_exercises
from autograder.engine.registry import edited

load_exercises()
BUGS = []


@dataclass
class Bug:
    exercise: str
    function: object
    points: str | None  # a regular expression: what the message must point at (None: it does not)
    what: str  # the bug, in words

    @property
    def id(self):
        words = re.sub(r"\W+", "_", self.what)[:48].strip("_")
        return f"{self.exercise}:{words}"


def bug(exercise, points, what, replacements=None):
    """The bug as an edit of the exercise's reference ({old text: new text}, each old text
    occurring once), or else the function it decorates."""

    def add(function):
        BUGS.append(Bug(exercise, function, points, what))
        return function

    if replacements is None:
        return add
    add(edited(EXERCISES[exercise].reference, replacements, what))
    return None
