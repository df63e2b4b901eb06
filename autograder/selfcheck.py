"""Grade one of your own notebooks with the hidden tests, as the instructor's grading would.

    python -m autograder.selfcheck workspace/01_spiral_and_activations/01_spiral_and_activations.ipynb

It runs nbgrader's autograde on a copy of the notebook in a scratch course, then prints the
points of each exercise and, for each one that lost points, the hidden test's message.
Your notebook is only read, never changed.
"""

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from course.build import COURSE, assignments
from course.nbgrader_api import course_api, succeeded

STUDENT = "self-check"


@dataclass
class Result:
    cell: str
    score: float
    max_score: float
    message: str


class SelfCheckError(Exception):
    """The notebook cannot be graded; the message says why."""


def assignment_of(notebook_path):
    name = Path(notebook_path).stem
    if name not in assignments():
        known = ", ".join(assignments())
        raise SelfCheckError(f"{notebook_path} is not a course notebook: its name should be one of {known}")
    return name


def read_notebook(notebook_path):
    path = Path(notebook_path)
    if not path.is_file():
        raise SelfCheckError(f"there is no notebook at {path}")
    try:
        return nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError, nbformat.ValidationError) as error:
        raise SelfCheckError(f"{path} is not a readable notebook ({error}); restore it from a checkpoint") from None


def error_text(cell):
    """The hidden test's message in a graded cell's outputs, or ''."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output['ename']}: {output['evalue']}"
    return ""


def grade(notebook_path):
    """Autograde a copy of one notebook; return the Result of every graded cell, in order."""
    name = assignment_of(notebook_path)
    read_notebook(notebook_path)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        shutil.copy(COURSE / "nbgrader_config.py", root)
        shutil.copytree(COURSE / "source" / name, root / "source" / name)
        api = course_api(root)
        succeeded(api.generate_assignment(name, force=True), "generate_assignment")
        submitted = root / "submitted" / STUDENT / name
        submitted.mkdir(parents=True)
        shutil.copy(notebook_path, submitted / f"{name}.ipynb")
        succeeded(api.autograde(name, STUDENT, force=True), "autograde")
        graded = nbformat.read(root / "autograded" / STUDENT / name / f"{name}.ipynb", as_version=4)
        messages = {
            cell.metadata["nbgrader"]["grade_id"]: error_text(cell)
            for cell in graded.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}", "rnn-from-scratch") as gradebook:
            notebook = gradebook.find_submission_notebook(name, name, STUDENT)
            scores = {g.name: (g.score, g.max_score) for g in notebook.grades}
    return [Result(cell, *scores[cell], messages[cell]) for cell in messages]


def report(name, results):
    """The text a learner reads: a line per exercise, with the reason for lost points."""
    total = sum(r.score for r in results)
    possible = sum(r.max_score for r in results)
    lines = [f"{name}: {total:g} / {possible:g} points", ""]
    width = max(len(r.cell) for r in results) + 2
    for r in results:
        mark = "ok  " if r.score == r.max_score else "FAIL"
        lines.append(f"  {mark} {r.cell.removesuffix('_tests'):<{width}} {r.score:g} / {r.max_score:g}")
        for line in r.message.splitlines():
            lines.append(f"         {line}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the notebook to grade, e.g. workspace/01_.../01_....ipynb")
    args = parser.parse_args(argv)
    try:
        results = grade(args.notebook)
    except SelfCheckError as error:
        print(f"Cannot grade: {error}", file=sys.stderr)
        return 2
    print(report(assignment_of(args.notebook), results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
