"""What a hidden test is: an exercise (its reference and a generator of random, seeded cases)
and its known mistakes. The modules of autograder/exercises register them:

    @exercise(ref.rnn_cell_forward)          # the exercise is named after the function below
    def rnn_cell_forward(rng):
        yield Case((xt, a_prev, parameters), "n_x=3, n_a=4, n_y=2, m=5")

    rnn_cell_forward.mistake(                # a known mistake: the reference, edited
        "the hidden bias ba is not added: a_next = tanh(Waa a_prev + Wax xt + ba)",
        {' + parameters["ba"]': ""},
    )

    @rnn_cell_forward.mistake("...")         # or, where the wrong answer is other code, a function
    def cache_in_the_wrong_order(xt, a_prev, parameters): ...
"""

import ast
import importlib
import inspect
import linecache
import pkgutil
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from course.outline import course_functions, lesson_of_exercise

EXERCISES = {}
MISTAKES = {}  # exercise name -> [(description, wrong function)], in the order they are declared


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
        exercise's notebook holds (course/outline.py), so a mistake in one costs its own points
        only. Never the exercise's own: a function that calls itself by name is not an answer."""
        lesson = lesson_of_exercise().get(self.name)
        functions = course_functions(lesson) if lesson else {}
        return {name: f for name, f in functions.items() if f is not self.reference}

    def mistake(self, description, replacements=None):
        """Register a known wrong answer, named by `description` in the feedback.

        With replacements {old text: new text}, the wrong answer is the reference with each old
        text (which must occur exactly once) replaced. Without, it decorates the wrong function.
        """
        if replacements is None:
            return lambda wrong: self.add_mistake(description, wrong)
        self.add_mistake(description, edited(self.reference, replacements, f"{self.name}: {description}"))
        return None

    def add_mistake(self, description, wrong):
        MISTAKES.setdefault(self.name, []).append((description, wrong))
        return wrong


class MistakeError(ValueError):
    """A known mistake that no longer fits its reference (the reference changed)."""


def edited(function, replacements, what):
    """`function` compiled from its source with each (old -> new) replacement applied, in order.

    The replacements apply to the code: the docstring, which often repeats the equations, is
    left out. The result runs in a copy of the function's module namespace, so it calls what
    the reference calls, and its source stays readable (inspect.getsource works), so that it
    can be pasted into a notebook as a student's answer.
    """
    source = without_docstring(textwrap.dedent(inspect.getsource(function)))
    for old, new in replacements.items():
        if source.count(old) != 1:
            raise MistakeError(
                f"the known mistake '{what}' replaces {old!r}, which occurs {source.count(old)} times "
                f"in the code of {function.__module__}.{function.__name__}, not once: update the mistake"
            )
        source = source.replace(old, new)
    filename = f"<known mistake of {function.__module__}.{function.__name__}: {what[:60]}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = dict(vars(sys.modules[function.__module__]))
    exec(compile(source, filename, "exec"), namespace)
    return namespace[function.__name__]


def without_docstring(source):
    """The source of a function definition without the lines of its docstring."""
    first = ast.parse(source).body[0].body[0]
    if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
        return source
    lines = source.splitlines(True)
    return "".join(lines[: first.lineno - 1] + lines[first.end_lineno :])


def exercise(reference, **options):
    """Register the cases generator it decorates as the hidden tests of the exercise of that name.

    Returns the Exercise, whose .mistake() declares the known mistakes.
    """

    def register(cases):
        if cases.__name__ in EXERCISES:
            raise ValueError(f"two exercises are named {cases.__name__}")
        EXERCISES[cases.__name__] = Exercise(cases.__name__, reference, cases, **options)
        return EXERCISES[cases.__name__]

    return register


def load_exercises():
    """Import every module of autograder.exercises, which registers the exercises."""
    package = importlib.import_module("autograder.exercises")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"autograder.exercises.{info.name}")
