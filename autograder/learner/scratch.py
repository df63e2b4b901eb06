"""A throw-away nbgrader course: submit notebooks, autograde them, read the results.

The self-check and the grading tests use it; it drives nbgrader's own generate_assignment
and autograde, so what it reports is what an instructor's gradebook would hold.
"""

import json
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from course.build import COURSE
from course.nbgrader_api import course_api, succeeded

COURSE_ID = "rnn-from-scratch"


@dataclass
class Result:
    """The grade of one graded cell of one submission."""

    cell: str
    score: float
    max_score: float
    message: str  # the error the cell printed (the hidden test's explanation), or ""


@dataclass
class ScratchCourse:
    root: Path
    api: object

    def submit(self, name, student, notebook):
        """Place a notebook (a path or a NotebookNode) as `student`'s submission of `name`."""
        folder = self.root / "submitted" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(notebook, (str, Path)):
            shutil.copy(notebook, folder / f"{name}.ipynb")
        else:
            nbformat.write(notebook, folder / f"{name}.ipynb")

    def autograde(self, name, student):
        succeeded(self.api.autograde(name, student, force=True), f"autograde {name} for {student}")
        return self.results(name, student)

    def results(self, name, student):
        """The Result of every graded cell of an autograded submission, in notebook order."""
        path = self.root / "autograded" / student / name / f"{name}.ipynb"
        graded = nbformat.read(path, as_version=4)
        messages = {
            cell.metadata["nbgrader"]["grade_id"]: error_text(cell)
            for cell in graded.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", COURSE_ID) as gradebook:
            notebook = gradebook.find_submission_notebook(name, name, student)
            scores = {g.name: (g.score, g.max_score) for g in notebook.grades}
        return [Result(cell, *scores[cell], messages[cell]) for cell in messages]


def error_text(cell):
    """The error message a code cell printed, or ''."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output['ename']}: {output['evalue']}"
    return ""


@contextmanager
def scratch_course(names):
    """A temporary course holding the source of the named assignments, already generated."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(COURSE / "nbgrader_config.py", root)
        api = course_api(root, root)  # its own SQLite gradebook, whatever the course names
        for name in names:
            shutil.copytree(COURSE / "source" / name, root / "source" / name)
            succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")
        yield ScratchCourse(root, api)


def is_notebook(path):
    try:
        nbformat.read(path, as_version=4)
    except (OSError, json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.ValidationError):
        return False
    return True
