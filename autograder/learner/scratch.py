"""A throw-away nbgrader course: submit notebooks, grade them as the grading command does, read the results.

The self-check and the grading-contract tests use it. It drives nbgrader's own
generate_assignment, then grades each notebook with the grading command's worker
(autograder/grading/worker.py: the same sandbox, judge and nbgrader autograde as
`make grade`), one notebook at a time and without feedback pages, and records the grades in
its gradebook as the command's main process does (autograder/grading/gradebook.py).
"""

import json
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.grading.config import Settings
from course.nbgrader_api import course_api, succeeded
from course.outline import COURSE

COURSE_ID = "rnn-from-scratch"


class GradingFailed(RuntimeError):
    """The grading itself failed (not the student's notebook); the message says how."""


@dataclass
class Result:
    """The grade of one graded cell of one submission."""

    cell: str
    score: float
    max_score: float
    message: str  # the error the cell printed (the hidden test's explanation), or ""


class ScratchCourse:
    def __init__(self, root, settings, progress=None):
        self.root, self.settings, self.worker = Path(root), settings, None
        self.progress = progress  # an autograder.learner.progress.Progress told about each cell, or None

    def submit(self, name, student, notebook):
        """Place a notebook (a path or a NotebookNode) as `student`'s submission of `name`."""
        folder = self.root / "submitted" / student / name
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(notebook, (str, Path)):
            shutil.copy(notebook, folder / f"{name}.ipynb")
        else:
            nbformat.write(notebook, folder / f"{name}.ipynb")

    def grade(self, name, student):
        """The grading worker's result (data: scores, cells, notes, incidents) for a submission."""
        from nbgrader.api import Gradebook

        from autograder.grading.gradebook import merge
        from autograder.grading.worker import Job, Worker

        if self.worker is None:
            shutil.copy(self.root / "gradebook.db", self.root / "snapshot.db")
            (self.root / "work").mkdir(exist_ok=True)
            self.worker = Worker(self.root, self.root / "work", self.root / "snapshot.db", self.settings)
            if self.progress is not None:
                self.progress.configure(self.worker.api.config)
        notebook = self.root / "submitted" / student / name / f"{name}.ipynb"
        result = self.worker.grade(Job(student, name, str(notebook), None))
        if result["error"]:
            raise GradingFailed(f"grading {name} for {student} failed: {result['error']}")
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}", COURSE_ID) as gradebook:
            merge(gradebook, result)  # as the grading command's main process does
        return result

    def autograde(self, name, student):
        """The Result of every graded cell of a submission, in notebook order."""
        cells = self.grade(name, student)["cells"]
        return [Result(c["cell"], c["score"], c["max"], c["message"]) for c in cells]

    def close(self):
        if self.worker is not None:
            self.worker.close()


def error_text(cell):
    """The error message a code cell printed, or ''."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output['ename']}: {output['evalue']}"
    return ""


@contextmanager
def scratch_course(names, settings=None, progress=None):
    """A temporary course holding the source of the named assignments, already generated.

    settings: the grading's (default: no feedback, one kernel started ahead). progress: a
    Progress (autograder/learner/progress.py) that the grading tells about each cell."""
    settings = settings or Settings(feedback=False)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(COURSE / "nbgrader_config.py", root)
        api = course_api(root, root)  # its own SQLite gradebook, whatever the course names
        for name in names:
            shutil.copytree(COURSE / "source" / name, root / "source" / name)
            succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")
        course = ScratchCourse(root, settings, progress)
        try:
            yield course
        finally:
            course.close()


def is_notebook(path):
    try:
        nbformat.read(path, as_version=4)
    except (OSError, json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.ValidationError):
        return False
    return True
