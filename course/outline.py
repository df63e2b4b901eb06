"""The course's outline, read from the text of the lessons (no notebook is built).

- assignments(): the lessons in course order;
- exercise_markers(): which lesson marks which exercise (`# %% exercise="NAME"`);
- course_functions(lesson): the course's functions that the lesson's notebook holds, by name,
  each answered by its reference. A lesson takes them with `from solutions.<module> import ...`
  (the build puts their source in the notebook) or `from mywork import ...` (the learner's own
  earlier work; each name means the latest earlier lesson that holds a function of that name).

The hidden tests call a student's function with these names bound to the references, so that
a mistake in one exercise costs that exercise's points only (autograder/engine/registry.py).
"""

import ast
import functools
import importlib
import re
from pathlib import Path

COURSE = Path(__file__).resolve().parent
CARRY_FORWARD = "mywork"  # the module through which a lesson takes the learner's earlier functions
EXERCISE_MARKER = re.compile(r'^# %%.*\bexercise="([^"]+)"', re.MULTILINE)


def assignments(course=COURSE):
    """Names of the assignments, in order: the lesson files' stems, e.g. '01_spiral_and_activations'."""
    return sorted(path.stem for path in (course / "lessons").glob("[0-9][0-9]_*.py"))


def lesson_text(lesson, course=COURSE):
    return (course / "lessons" / f"{lesson}.py").read_text()


def exercise_markers(course=COURSE):
    """(exercise name, lesson) of every `exercise=` marker of the course, in course order."""
    return [
        (name, lesson)
        for lesson in assignments(course)
        for name in EXERCISE_MARKER.findall(lesson_text(lesson, course))
    ]


@functools.cache
def lesson_of_exercise():
    """{exercise name: the lesson that marks it} for the course."""
    return {name: lesson for name, lesson in exercise_markers()}


def course_imports(lesson, course=COURSE):
    """(module, name) of every name the lesson imports from solutions.* or mywork, in order."""
    tree = ast.parse(lesson_text(lesson, course))  # a percent-format lesson is a Python file
    return [
        (node.module, alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module
        and (node.module.startswith("solutions.") or node.module == CARRY_FORWARD)
        for alias in node.names
    ]


@functools.cache
def course_functions(lesson, course=COURSE):
    """{name: reference function} of every course function the lesson's notebook holds.

    A later import of a name replaces an earlier one, as it does in the notebook.
    """
    earlier = assignments(course)[: assignments(course).index(lesson)]
    functions = {}
    for module, name in course_imports(lesson, course):
        if module == CARRY_FORWARD:
            holders = [
                course_functions(e, course) for e in reversed(earlier) if name in course_functions(e, course)
            ]
            if not holders:
                raise LookupError(
                    f"{lesson} takes {name} from {CARRY_FORWARD}, but no earlier lesson holds it"
                )
            functions[name] = holders[0][name]
        else:
            functions[name] = getattr(importlib.import_module(module), name)
    return functions
