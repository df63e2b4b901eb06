"""Your own functions from earlier notebooks, in one line: `from mywork import rnn_cell_forward`.

In notebook 05, `from mywork import rnn_cell_forward, rnn_forward` gives you these functions as
your notebook 04 defines them, as you last saved it. Only what defines them is run: the
function definitions of 04's answer cells and the imports and given helpers they use, in a
module of their own (no training, no plots, nothing else of that notebook).

- A name means the function of the latest notebook before this one that has an exercise of
  that name: `softmax` is notebook 02's (rows) in 03, notebook 04's (columns) from 05 on.
- A function that still raises NotImplementedError, whose notebook is missing, or whose cell
  does not run, is replaced by one that raises NotImplementedError saying what to finish
  first, and the import prints that line too.
- When nbgrader grades a notebook (NBGRADER_EXECUTION=autograde), the course's own versions
  stand in (`autograder.kernel.course_function`, answered by the grader), so a mistake in
  notebook 04 costs points in notebook 04 only.

"This notebook" is the folder the kernel runs in, which Jupyter sets to the notebook's folder;
the earlier notebooks are its siblings, <workspace>/<name>/<name>.ipynb (course.workspace).
"""

import ast
import contextlib
import io
import json
import linecache
import os
import types
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

AGAIN = "then save that notebook and run the import from mywork again"


def __getattr__(function):
    """`from mywork import function`: yours from an earlier notebook, or the course's under grading."""
    if function.startswith("_"):
        raise AttributeError(f"module 'mywork' has no attribute {function!r}")
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return course_version(function)
    return yours(function, _loading[-1] if _loading else None)


def course_version(function):
    """The course's own `function` while this notebook is graded, as a plain function of mywork (so
    that a student's function calling it is still their own code). Where the grading command
    runs the notebook, the grader answers each call (autograder.kernel.course_function)."""
    from autograder.kernel import course_function

    try:
        reference = course_function(function, Path.cwd().name)  # nbgrader runs it in <assignment>/
    except KeyError as error:
        raise ImportError(f"{function}: {error.args[0]}") from None

    def stand_in(*args, **kwargs):
        return reference(*args, **kwargs)

    stand_in.__name__ = stand_in.__qualname__ = function
    print(f"{function}: the course's own version, while this notebook is graded")
    return stand_in


_loading = []  # folders of the notebooks being loaded: their own `from mywork import` is relative to them


def yours(function, here=None):
    """The learner's `function` from the earlier notebook that defines it, as last saved.

    here: the folder of the importing notebook (default: the kernel's working folder). Raises
    ImportError for a function that no earlier notebook has.
    """
    from course import workspace

    here = Path(here or Path.cwd())
    this = here.name if here.name in workspace.assignments() else None
    try:
        name, exercise = workspace.carried_from(this, function)
    except LookupError as error:
        raise ImportError(str(error)) from None
    notebook = workspace.notebook_path(here.parent if this else here, name)
    if not notebook.is_file():
        return not_ready(
            function,
            f"{function} is written in notebook {name}, which is not in your workspace ({notebook}): "
            f"`make lab` copies it in; finish {function} there, {AGAIN}",
        )
    loaded = load(notebook)
    problem = loaded.problem(function, exercise)
    if problem:
        return not_ready(function, f"finish {function} in {name} first: {problem}; {AGAIN}")
    saved = datetime.fromtimestamp(notebook.stat().st_mtime).strftime("%H:%M:%S")
    print(f"{function}: yours, from {name}/{notebook.name} as saved at {saved}")
    return loaded.namespace[function]


def not_ready(function, message):
    """Say why `function` cannot be used yet; return a stand-in that raises NotImplementedError(message)."""
    print(f"{function}: NOT READY - {message}.")
    return placeholder(function, message)


def placeholder(function, message):
    def not_finished(*args, **kwargs):
        raise NotImplementedError(message)

    not_finished.__name__ = not_finished.__qualname__ = function
    return not_finished


@dataclass
class Loaded:
    """What the answer cells of one notebook define.

    namespace: name -> value. problems: function or exercise name -> why it cannot be used.
    unreadable: why the notebook could not be read at all, or "".
    """

    namespace: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)
    unreadable: str = ""

    def problem(self, function, exercise):
        """Why `function` (of exercise `exercise`) cannot be used, or ""."""
        found = self.unreadable or self.problems.get(exercise) or self.problems.get(function)
        if not found and not callable(self.namespace.get(function)):
            found = f"its answer cell {exercise} no longer defines a function {function} (renamed?)"
        return found


_loaded = {}  # notebook path -> ((mtime, size), Loaded) of its last load


def load(notebook):
    """Run the definitions of a notebook's answer cells in a fresh module; cached until it is saved again."""
    notebook = Path(notebook).resolve()
    stat = notebook.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    if notebook in _loaded and _loaded[notebook][0] == stamp:
        return _loaded[notebook][1]
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        loaded = run_definitions(notebook, cells)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        loaded = Loaded(
            unreadable=f"{notebook.name} is not a readable notebook ({type(error).__name__}: {error})"
        )
    _loaded[notebook] = (stamp, loaded)
    return loaded


ANSWER_STATEMENTS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
GIVEN_STATEMENTS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def run_definitions(notebook, cells):
    """Run the imports, definitions and constants of a notebook's answer cells, and the imports and
    definitions of its other cells that those use, in notebook order, in a fresh module."""
    module = types.ModuleType(f"mywork.{notebook.stem}")
    module.__file__ = str(notebook)
    problems, answers, given = {}, [], []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        nbgrader = cell["metadata"].get("nbgrader", {})
        grade_id = nbgrader.get("grade_id") or f"{index + 1}"
        filename = f"{notebook}, cell {grade_id}"
        try:
            source = python_source("".join(cell["source"]))
            statements = ast.parse(source, filename).body
        except SyntaxError as error:
            if nbgrader.get("solution"):
                problems[grade_id] = (
                    f"its answer cell does not run (SyntaxError: {error.msg}, line {error.lineno})"
                )
            continue
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        for statement in statements:
            if nbgrader.get("solution") and isinstance(statement, ANSWER_STATEMENTS):
                answers.append((index, filename, statement))
                if isinstance(statement, ast.FunctionDef):
                    problems.pop(statement.name, None)
                    if raises_not_implemented(statement):
                        problems[statement.name] = "it still raises NotImplementedError"
            elif not nbgrader.get("solution") and isinstance(statement, GIVEN_STATEMENTS):
                given.append((index, filename, statement))
    _loading.append(notebook.parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # what its own imports from mywork say
            for _, filename, statement in sorted(answers + needed(answers, given), key=lambda item: item[0]):
                try:
                    exec(compile(ast.Module([statement], []), filename, "exec"), module.__dict__)
                except Exception:  # a stray line of an answer cell; what it defines stays undefined
                    pass
    finally:
        _loading.pop()
    for function, problem in problems.items():
        if callable(module.__dict__.get(function)):  # so that what calls it says what to finish
            module.__dict__[function] = placeholder(
                function, f"finish {function} in {notebook.parent.name} first: {problem}; {AGAIN}"
            )
    return Loaded(module.__dict__, problems)


def needed(answers, given):
    """The given statements that bind a name the answers use, directly or through another one."""
    wanted = set().union(*(used_names(statement) for _, _, statement in answers))
    taken, grown = [], True
    while grown:
        grown = False
        for item in given:
            if item not in taken and bound_names(item[2]) & wanted:
                taken.append(item)
                wanted |= used_names(item[2])
                grown = True
    return taken


def used_names(statement):
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}


def bound_names(statement):
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    return {statement.name}


def raises_not_implemented(function):
    """Whether a function definition still holds `raise NotImplementedError` (the stub, or part of it)."""
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id == "NotImplementedError":
                return True
    return False


def python_source(cell_source):
    """A code cell's source as Python: IPython's magics (%matplotlib, !pip) become calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)
