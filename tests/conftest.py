"""Shared helpers of the test suite: the course's notebooks and wrong submissions."""

import ast
import importlib
import inspect
import linecache
import os
import textwrap

import nbformat
import numpy as np
import pytest

from autograder.engine import EXERCISES, MISTAKES, load_exercises
from autograder.kernel.calls import referenced_objects
from course.build import COURSE

ON_CI = os.environ.get("CI") == "true"


def optional_import(module, how_to_enable):
    """Import an optional module; skip the test without it, except on CI, where it must exist."""
    if ON_CI:
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"{module} is not installed: {how_to_enable}")


def notebook(kind, name):
    """The source (solutions) or release notebook of an assignment."""
    return nbformat.read(COURSE / kind / name / f"{name}.ipynb", as_version=4)


def nbgrader_cells(nb, **wanted):
    """The cells whose nbgrader metadata has all the wanted values, e.g. grade=True."""
    return [
        cell
        for cell in nb.cells
        if all(cell.metadata.get("nbgrader", {}).get(key) == value for key, value in wanted.items())
    ]


def graded_exercises(name):
    """(exercise, points) for every hidden-test cell of an assignment, in notebook order."""
    return [
        (cell.metadata.nbgrader.grade_id.removesuffix("_tests"), cell.metadata.nbgrader.points)
        for cell in nbgrader_cells(notebook("source", name), grade=True)
    ]


def defined_function(source):
    """The name of the first function a cell defines."""
    return next(n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))


def notebook_names(function, exercise):
    """{name: reference} of the course functions that `function` calls, when all else it uses is
    numpy, so that it can live in the exercise's notebook (which holds those functions); else None."""
    names = {}
    for name, value in referenced_objects(function.__code__, function.__globals__):
        if name == exercise.reference.__name__:  # its own name (or np.clip's attribute, in clip)
            continue
        if value is not np and name not in exercise.uses:
            return None
        if value is not np:
            names[name] = exercise.uses[name]
    return names


def function_text(function, new_name):
    """A function's source without decorators, renamed."""
    source = textwrap.dedent(inspect.getsource(function))
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
    lines = source.splitlines()[node.lineno - 1 : node.end_lineno]
    lines[0] = lines[0].replace(f"def {function.__name__}(", f"def {new_name}(", 1)
    return "\n".join(lines)


def as_student_code(function, name=None, /, **names):
    """The function compiled from its source as a notebook cell defines it: module __main__, numpy as np.

    It is renamed to `name` when given. Functions among `names` (the course functions it calls)
    are compiled into the same namespace from their sources too, as a notebook holds them;
    other values (classes, modules, constants) are put there as they are.
    """
    name = name or function.__name__
    namespace = {"__name__": "__main__", "np": np}
    for key, value in {**names, name: function}.items():
        if not callable(value) or isinstance(value, type):
            namespace[key] = value
            continue
        source = function_text(value, key)
        filename = f"<cell defining {key}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # as IPython does
        exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def solution_regions(source):
    """The code between nbgrader's solution markers in a cell."""
    regions, current = [], None
    for line in source.splitlines():
        if "BEGIN SOLUTION" in line:
            current = []
        elif "END SOLUTION" in line:
            regions.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return regions


def one_wrong(name, exercise):
    """The solution notebook with exactly one exercise answered wrongly.

    The wrong answer is the first known mistake of that exercise that fits in a notebook
    (so its feedback must name the mistake), otherwise the release's stub.
    Returns (notebook, description of the mistake or None).
    """
    if not EXERCISES:
        load_exercises()
    nb = notebook("source", name)
    cell = nbgrader_cells(nb, grade_id=exercise, solution=True)[0]
    function_name = defined_function(cell.source)
    for description, wrong in MISTAKES.get(exercise, []):
        if notebook_names(wrong, EXERCISES[exercise]) is not None:
            cell.source = function_text(wrong, function_name)
            return nb, description
    cell.source = nbgrader_cells(notebook("release", name), grade_id=exercise)[0].source
    return nb, None
