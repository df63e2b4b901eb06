"""Build the notebooks from the lessons: lessons/*.py -> source/*/*.ipynb -> release/*/*.ipynb.

A lesson is a jupytext percent-format file. Its graded cells carry one short marker each,
which the build expands into nbgrader's cell metadata:

    # %% exercise="NAME"                  the answer cell of exercise NAME (grade_id NAME);
                                          it holds `from solutions.<module> import <function>`
    # %% hidden_tests="NAME" points=N     its hidden-test cell (grade_id NAME_tests): an optional
                                          comment, then the build adds `check("NAME", <function>)`
    # %% solution="ID"                    an ungraded answer cell (grade_id ID)

NAME must be an exercise registered in autograder/exercises, marked once in the course. A
markdown line `<!-- shared: KEY -->` is replaced by a paragraph that several lessons share
(SHARED below), and every notebook ends with the same "Check your work" cell.

Wherever a cell holds nothing but `from solutions.<module> import <names>` lines, the build
puts the source of those reference functions in its place: in an answer cell, with each body
between nbgrader's solution markers (so the release shows the signature, the docstring and a
stub); in any other cell, as given code. nbgrader's generate_assignment then makes the release.

    python -m course.build [NAME ...]   write source/ and release/ (of the named assignments)
    python -m course.build --check      fail if the committed files differ from a fresh build
"""

import argparse
import ast
import filecmp
import importlib
import inspect
import re
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

import jupytext
import nbformat

from autograder.engine import EXERCISES, load_exercises
from course.nbgrader_api import course_api, succeeded
from course.outline import COURSE, assignments, exercise_markers

GENERATED = ("source", "release")


def solution_imports(source):
    """The (module, names) pairs of a cell made only of `from solutions.x import a, b` lines.

    Returns None when the cell holds anything else.
    """
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    if not body or not all(
        isinstance(node, ast.ImportFrom) and (node.module or "").startswith("solutions.") for node in body
    ):
        return None
    return [(node.module, [alias.name for alias in node.names]) for node in body]


def function_source(function, with_markers):
    """The source of a reference function; with_markers puts its body between solution markers."""
    source = textwrap.dedent(inspect.getsource(function)).rstrip("\n")
    if not with_markers:
        return source
    definition = ast.parse(source).body[0]
    first = definition.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
    split = first.end_lineno if has_docstring else definition.body[0].lineno - 1
    lines = source.split("\n")
    indent = " " * definition.body[-1].col_offset
    return "\n".join(
        lines[:split] + [indent + "### BEGIN SOLUTION"] + lines[split:] + [indent + "### END SOLUTION"]
    )


def expand_cell(cell):
    """Replace a cell of solution imports by the functions' source, in place."""
    imports = solution_imports(cell.source) if cell.cell_type == "code" else None
    if imports is None:
        return
    is_solution = cell.metadata.get("nbgrader", {}).get("solution", False)
    functions = [
        getattr(importlib.import_module(module), name) for module, names in imports for name in names
    ]
    cell.source = "\n\n\n".join(function_source(f, with_markers=is_solution) for f in functions)


# Paragraphs that several lessons share: a markdown line `<!-- shared: KEY -->` becomes SHARED[KEY].
HOW_TO_WORK = """\
**How to work.** Each exercise is a function with its signature and docstring given. Replace
the line `raise NotImplementedError(...)` with your code, run the cell, then run the visible
tests below it. When your notebook is graded, hidden tests call each function on random
inputs and compare it with a reference; their messages say what is wrong. Each one calls the
course's own versions of the other functions, so a mistake in one function costs only that
function's points. Working on your own, in the JupyterLab of `make lab`, you can run those
hidden tests at any time: `%check NAME` in a new cell (NAME being the function's name) tests
the function as you last ran its cell, in about a second, with the messages of the grading."""

EARLIER_WORK = """\
**Your own earlier functions.** The next cell imports them (`from mywork import ...`) from your
notebooks in the workspace, as you last saved them; only their answer cells run, nothing else
of those notebooks. Finish and save those first: the import names every function that is not
finished yet, and calling one says what to finish. When this notebook is graded, the course's
own versions stand in, so a mistake in an earlier notebook costs points there only."""

SHARED = {"how_to_work": HOW_TO_WORK, "earlier_work": EARLIER_WORK}
SHARED_LINE = re.compile(r"^<!-- shared: (\S+) -->$", re.MULTILINE)


def insert_shared(markdown, where):
    """The markdown with each `<!-- shared: KEY -->` line replaced by SHARED[KEY]."""

    def paragraph(match):
        if match.group(1) not in SHARED:
            raise LessonError(f"{where}: no shared paragraph {match.group(1)!r}; known: {', '.join(SHARED)}")
        return SHARED[match.group(1)]

    return SHARED_LINE.sub(paragraph, markdown)


# The closing cell of every notebook: how a learner checks their work. (A release notebook
# must not name the grading machinery, so it says what to do, not how it is done.)
CHECK_YOUR_WORK = """\
## Check your work

**In a class**, hand this notebook in as your instructor tells you. Before you do, press
**Validate** in the notebook's toolbar: it runs the whole notebook, as the grading will, and
lists every cell that fails, the visible tests included.

**On your own**, in the JupyterLab that `make lab` starts: `%check` in a new cell runs the
hidden tests of every exercise of this notebook on your functions as you last ran them, in
seconds. For your grade, save the notebook (Ctrl+S), then type `%selfcheck` in a new cell and
run it. It grades the saved notebook with the hidden tests the instructors use, as their
grading would (the whole notebook, in a fresh kernel), and prints your points for each
exercise and, where you lost points, what is wrong."""


def add_check_your_work(notebook):
    """Append the closing "Check your work" cell (the same in every notebook)."""
    cell = nbformat.v4.new_markdown_cell(CHECK_YOUR_WORK)
    cell.id = "check-your-work"
    notebook.cells.append(cell)


class LessonError(ValueError):
    """A lesson that cannot be built; the message names the lesson and what to fix."""


HIDDEN_TESTS = """\
### BEGIN HIDDEN TESTS
from autograder import check

check("{name}", {function})
### END HIDDEN TESTS"""


def answer_metadata(grade_id):
    """nbgrader's metadata of an answer cell (the student writes code here)."""
    return {
        "grade": False,
        "grade_id": grade_id,
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }


def hidden_tests_metadata(name, points):
    """nbgrader's metadata of the hidden-test cell of exercise `name`."""
    return {
        "grade": True,
        "grade_id": f"{name}_tests",
        "locked": True,
        "points": points,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }


def registered_exercise(name, where):
    if not EXERCISES:
        load_exercises()
    if name not in EXERCISES:
        raise LessonError(
            f"{where}: {name!r} is not an exercise registered in autograder/exercises; "
            f"known: {', '.join(sorted(EXERCISES))}"
        )
    return EXERCISES[name]


def expand_exercise(cell, name, where):
    reference = registered_exercise(name, where).reference
    wanted = [(reference.__module__, [reference.__name__])]
    if solution_imports(cell.source) != wanted:
        raise LessonError(
            f"{where}: the answer cell of {name!r} must hold exactly "
            f"`from {reference.__module__} import {reference.__name__}`, the reference registered for it"
        )
    cell.metadata["nbgrader"] = answer_metadata(name)


def expand_hidden_tests(cell, name, points, where):
    reference = registered_exercise(name, where).reference
    if type(points) is not int or points < 1:
        raise LessonError(
            f"{where}: the hidden tests of {name!r} need points=N, a whole number >= 1, not {points!r}"
        )
    comment = cell.source.strip()
    if any(not line.startswith("#") for line in comment.splitlines()):
        raise LessonError(
            f"{where}: the hidden-test cell of {name!r} may hold only comment lines; "
            "the build writes its check() call"
        )
    body = HIDDEN_TESTS.format(name=name, function=reference.__name__)
    cell.source = f"{comment}\n{body}" if comment else body
    cell.metadata["nbgrader"] = hidden_tests_metadata(name, points)


def expand_markers(notebook, lesson):
    """Turn the cell markers of a lesson into nbgrader metadata and hidden-test cells, in place.

    Raises LessonError for an unknown exercise, a hidden-test cell without its answer cell
    before it (or the other way round), points that are not a whole number, or a cell that
    spells out nbgrader metadata instead of using a marker.
    """
    answered, tested = [], []
    for index, cell in enumerate(notebook.cells):
        where = f"{lesson.name}, cell {index}"
        meta = cell.metadata
        if "nbgrader" in meta:
            raise LessonError(
                f"{where}: write a marker (exercise=, hidden_tests=, solution=), not nbgrader metadata"
            )
        if "exercise" in meta:
            name = meta.pop("exercise")
            expand_exercise(cell, name, where)
            answered.append(name)
        elif "hidden_tests" in meta:
            name = meta.pop("hidden_tests")
            if name not in answered or name in tested:
                raise LessonError(
                    f"{where}: hidden_tests={name!r} must follow its cell exercise={name!r}, once"
                )
            expand_hidden_tests(cell, name, meta.pop("points", None), where)
            tested.append(name)
        elif "solution" in meta:
            cell.metadata["nbgrader"] = answer_metadata(meta.pop("solution"))
        elif cell.cell_type == "markdown":
            cell.source = insert_shared(cell.source, where)
    untested = [name for name in answered if name not in tested]
    if untested:
        raise LessonError(f"{lesson.name}: exercise {', '.join(untested)} has no hidden_tests cell")


def check_each_exercise_marked_once(course=COURSE):
    """Each registered exercise is marked in exactly one lesson, and each marked one is registered."""
    if not EXERCISES:
        load_exercises()
    lessons = {}
    for name, lesson in exercise_markers(course):
        lessons.setdefault(name, []).append(lesson)
    twice = {name: found for name, found in lessons.items() if len(found) > 1}
    if twice:
        raise LessonError(f"exercises marked in more than one cell: {twice}")
    unmarked = sorted(set(EXERCISES) - set(lessons))
    if unmarked:
        raise LessonError(f"registered exercises that no lesson marks (exercise=...): {', '.join(unmarked)}")


def render_source(lesson_path):
    """The source notebook (with solutions, no outputs) of one lesson file."""
    notebook = jupytext.read(lesson_path)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    expand_markers(notebook, lesson_path)
    for index, cell in enumerate(notebook.cells):
        expand_cell(cell)
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.id = grade_id or f"cell-{index:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    add_check_your_work(notebook)
    return notebook


def write_sources(course=COURSE, names=None):
    """Write source/<name>/<name>.ipynb for every lesson (or the named ones)."""
    for name in names or assignments(course):
        notebook = render_source(course / "lessons" / f"{name}.py")
        (course / "source" / name).mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, course / "source" / name / f"{name}.ipynb")


def generate_release(course=COURSE, names=None):
    """Run nbgrader generate_assignment for every assignment (it also fills the gradebook)."""
    api = course_api(course)
    for name in names or assignments(course):
        succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")


def build(course=COURSE, names=None):
    unknown = set(names or ()) - set(assignments(course))
    if unknown:
        raise SystemExit(
            f"no lesson named {', '.join(sorted(unknown))}; known: {', '.join(assignments(course))}"
        )
    check_each_exercise_marked_once(course)
    write_sources(course, names)
    generate_release(course, names)


def differences(built, committed):
    """Paths under the generated folders that differ between two course trees."""
    found = []
    for folder in GENERATED:
        for path in sorted((built / folder).rglob("*.ipynb")):
            twin = committed / path.relative_to(built)
            if not twin.exists() or not filecmp.cmp(path, twin, shallow=False):
                found.append(str(twin.relative_to(committed.parent)))
        for path in sorted((committed / folder).rglob("*.ipynb")):
            if not (built / path.relative_to(committed)).exists():
                found.append(f"{path.relative_to(committed.parent)} (no lesson makes it)")
    return found


def check():
    """Build into a scratch copy of the course; return what differs from the committed files."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "course"
        copy.mkdir()
        shutil.copytree(COURSE / "lessons", copy / "lessons")
        shutil.copy(COURSE / "nbgrader_config.py", copy)
        for data in COURSE.glob("source/*/*"):  # hand-written files that ship beside a notebook
            if data.is_file() and data.suffix != ".ipynb":
                (copy / data.parent.relative_to(COURSE)).mkdir(parents=True, exist_ok=True)
                shutil.copy(data, copy / data.relative_to(COURSE))
        build(copy)
        return differences(copy, COURSE)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="assignments to build (default: all)")
    parser.add_argument("--check", action="store_true", help="fail if the generated files are stale")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            build(names=args.names)
            built = ", ".join(args.names or assignments())
            print(f"Built {built} into {COURSE / 'source'} and {COURSE / 'release'}.")
            return 0
        stale = check()
    except LessonError as error:
        print(f"error in course/lessons: {error}", file=sys.stderr)
        return 1
    for path in stale:
        print(f"out of date: {path}")
    if stale:
        print("Run `make release` and commit the result.")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
