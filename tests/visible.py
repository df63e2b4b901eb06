"""Run a solution notebook's code in-process with some answers replaced, and see which visible
tests fail, and why.

The visible tests of an exercise are the code cells between its answer cell and its hidden-test
cell. A run executes the code cells top to bottom in one namespace, as a kernel does, without
the hidden-test cells and with the short training schedule of grading (NBGRADER_EXECUTION
set). The cells before the first replaced answer run once per notebook, in this process; each
run continues from there in a forked child, so a hundred runs cost little more than one.
"""

import ast
import contextlib
import io
import os
import pickle
import warnings
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from conftest import notebook  # noqa: E402

from autograder.engine import EXERCISES, load_exercises  # noqa: E402
from course.build import COURSE  # noqa: E402

STANDARD_LIBRARY = os.path.dirname(os.__file__)


@dataclass
class Cell:
    index: int  # in the notebook
    source: str
    kind: str  # "answer", "visible" (a visible test of `exercise`), "hidden" or "code"
    exercise: str | None = None


@dataclass
class Failure:
    """What a cell raised, and whether the cell's own code raised it (not the answer it called)."""

    kind: str
    text: str
    raised_by_the_tests: bool

    def __str__(self):
        return f"{self.kind}: {self.text}"


@dataclass
class Outcome:
    """What the visible tests of each exercise raised (None: passed), and errors in other cells."""

    failures: dict = field(default_factory=dict)
    other_errors: dict = field(default_factory=dict)  # cell index -> Failure

    def message(self, exercise):
        failure = self.failures.get(exercise)
        return None if failure is None else str(failure)


def exercises_of(name):
    """The graded exercises of a notebook, in order."""
    return [
        cell.metadata.nbgrader.grade_id.removesuffix("_tests")
        for cell in notebook("source", name).cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]


def code_cells(name, kind="source"):
    """The code cells of a notebook, each labelled with its role."""
    graded, cells, current = set(exercises_of(name)), [], None
    for index, cell in enumerate(notebook(kind, name).cells):
        if cell.cell_type != "code":
            continue
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id.endswith("_tests"):
            cells.append(Cell(index, cell.source, "hidden", grade_id.removesuffix("_tests")))
            current = None
        elif grade_id in graded:
            cells.append(Cell(index, cell.source, "answer", grade_id))
            current = grade_id
        else:
            cells.append(Cell(index, cell.source, "visible" if current else "code", current))
    return cells


def function_name(exercise):
    if not EXERCISES:
        load_exercises()
    return EXERCISES[exercise].reference.__name__


def stub(name, exercise):
    """The release's answer cell of an exercise: the signature and a NotImplementedError."""
    cells = code_cells(name, "release")
    return next(cell.source for cell in cells if cell.kind == "answer" and cell.exercise == exercise)


def calls(name):
    """exercise -> the exercises of the same notebook that its reference calls, directly or not."""
    by_function = {function_name(exercise): exercise for exercise in exercises_of(name)}
    direct = {}
    for cell in code_cells(name):
        if cell.kind == "answer":
            used = {node.id for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Name)}
            direct[cell.exercise] = {by_function[f] for f in used & set(by_function)} - {cell.exercise}
    closure = {}
    for exercise in direct:
        seen, todo = set(), list(direct[exercise])
        while todo:
            other = todo.pop()
            if other not in seen:
                seen.add(other)
                todo.extend(direct[other])
        closure[exercise] = seen
    return closure


def failure(error, cell_file):
    """The Failure of an exception that the cell compiled as `cell_file` raised."""
    innermost = None  # the innermost frame outside the libraries: a cell, or the answer's code
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if "site-packages" not in filename and not filename.startswith(STANDARD_LIBRARY):
            innermost = filename
        traceback = traceback.tb_next
    return Failure(type(error).__name__, str(error), innermost == cell_file)


@contextlib.contextmanager
def in_notebook_folder(name):
    """The working directory and environment of a notebook under grading, output swallowed."""
    before, saved = os.getcwd(), os.environ.get("NBGRADER_EXECUTION")
    os.chdir(COURSE / "source" / name)
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    quiet = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            warnings.simplefilter("ignore")  # numpy's, and Agg's "FigureCanvasAgg is non-interactive"
            yield
    finally:
        os.chdir(before)
        if saved is None:
            del os.environ["NBGRADER_EXECUTION"]
        else:
            os.environ["NBGRADER_EXECUTION"] = saved
        plt.close("all")


class Session:
    """A notebook executed in this process, with its own answers, up to some cell."""

    def __init__(self, name):
        self.name = name
        self.cells = [cell for cell in code_cells(name) if cell.kind != "hidden"]
        self.namespace = {"__name__": "__main__"}
        self.done = 0  # self.cells[:done] have run

    def execute(self, cell, answers, outcome):
        cell_file = f"<{self.name} cell {cell.index}>"
        try:
            exec(compile(cell.source, cell_file, "exec"), self.namespace)
            answer = answers.get(cell.exercise) if cell.kind == "answer" else None
            if answer is not None:
                if callable(answer):
                    self.namespace[function_name(cell.exercise)] = answer
                else:
                    exec(compile(answer, f"<answer to {cell.exercise}>", "exec"), self.namespace)
        except Exception as error:  # noqa: BLE001 - what a cell raises is the result
            if cell.kind == "visible":
                outcome.failures.setdefault(cell.exercise, failure(error, cell_file))
            else:
                outcome.other_errors[cell.index] = failure(error, cell_file)
        else:
            if cell.kind == "visible":
                outcome.failures.setdefault(cell.exercise, None)

    def position(self, kind, exercise):
        return [i for i, cell in enumerate(self.cells) if cell.kind == kind and cell.exercise == exercise]

    def run(self, answers, stop_after):
        """Run the cells from the first replaced answer to the visible tests of `stop_after`, in a
        forked child, after running the cells before it here (unless they have run already)."""
        first = min(self.position("answer", exercise)[0] for exercise in answers)
        last = self.position("visible", stop_after)[-1]
        outcome = Outcome()
        with in_notebook_folder(self.name):
            if first < self.done:
                self.__init__(self.name)
            for cell in self.cells[self.done : first]:
                self.execute(cell, {}, outcome)
            self.done = first
            plt.close("all")
            read, write = os.pipe()
            child = os.fork()
            if child == 0:
                try:
                    for cell in self.cells[first : last + 1]:
                        self.execute(cell, answers, outcome)
                    os.write(write, pickle.dumps(outcome))
                finally:
                    os._exit(0)
            os.close(write)
            with os.fdopen(read, "rb") as pipe:
                report = pipe.read()
            os.waitpid(child, 0)
        if not report:
            raise RuntimeError(f"{self.name}: the run with answers to {sorted(answers)} reported nothing")
        return pickle.loads(report)


SESSIONS = {}


def run_notebook(name, answers=None, stop_after=None):
    """Execute a solution notebook with some answers replaced; return an Outcome.

    answers: exercise -> the code of a notebook cell that defines the function (as a learner
    writes it), or a callable that takes its place; without answers, the notebook's own.
    stop_after: the exercise after whose visible tests the run stops (default: the last).
    """
    exercises = exercises_of(name)
    answers = answers or {exercises[0]: None}
    session = SESSIONS.setdefault(name, Session(name))
    return session.run(answers, stop_after or exercises[-1])
