"""What a hidden test is: an exercise (its reference and a generator of random, seeded cases)
and its known mistakes. The modules of autograder/exercises register them."""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from course.outline import course_functions, lesson_of_exercise

EXERCISES = {}
MISTAKES = {}


@dataclass
class Case:
    """One call of the function under test.

    args: the positional arguments. label: how the message describes this case.
    no_warnings: a warning during the call fails the case (used for numerical stability).
    verify: verify(student_out, reference_out, args, call) -> problem or None, replacing
    the comparison of outputs where the answer is not unique (random data, for instance).
    """

    args: tuple
    label: str = ""
    no_warnings: bool = False
    verify: Callable | None = None


@dataclass
class Exercise:
    name: str
    reference: Callable
    cases: Callable  # cases(rng) -> iterable of Case
    mutates: tuple = ()  # indices of arguments the function is meant to change in place
    rtol: float = 1e-6
    atol: float = 1e-9

    @property
    def uses(self):
        """{name: reference} of the course functions the student's code may call: those that the
        exercise's notebook holds (course/outline.py), so a mistake in one costs its own points only."""
        lesson = lesson_of_exercise().get(self.name)
        return dict(course_functions(lesson)) if lesson else {}


def exercise(name, reference, **options):
    """Register the cases generator it decorates as the hidden tests of `name`."""

    def register(cases):
        EXERCISES[name] = Exercise(name, reference, cases, **options)
        return cases

    return register


def mistake(name, description):
    """Register the function it decorates as a known wrong answer to exercise `name`."""

    def register(wrong):
        MISTAKES.setdefault(name, []).append((description, wrong))
        return wrong

    return register


def load_exercises():
    """Import every module of autograder.exercises, which registers the exercises."""
    package = importlib.import_module("autograder.exercises")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"autograder.exercises.{info.name}")
