"""Grade one of your own notebooks with the hidden tests, as the instructor's grading would.

    python -m autograder.learner.selfcheck workspace/01_spiral_and_activations/01_spiral_and_activations.ipynb

It runs nbgrader's autograde on a copy of the notebook in a scratch course, then prints the
points of each exercise and, for each one that lost points, the hidden test's message.
Your notebook is only read, never changed.
"""

import argparse
import sys
from pathlib import Path

from autograder.learner.scratch import is_notebook, scratch_course
from course.build import assignments


class SelfCheckError(Exception):
    """The notebook cannot be graded; the message says why."""


def assignment_of(notebook_path):
    """The assignment a notebook belongs to, from its file name."""
    path = Path(notebook_path)
    if not path.is_file():
        raise SelfCheckError(f"there is no notebook at {path}")
    if path.stem not in assignments():
        known = "\n  ".join(f"{name}.ipynb" for name in assignments())
        raise SelfCheckError(f"{path.name} is not a course notebook; their names are:\n  {known}")
    if not is_notebook(path):
        raise SelfCheckError(f"{path} is not a readable notebook; restore it from a checkpoint")
    return path.stem


def grade(notebook_path):
    """Autograde a copy of one notebook; return the Result of every graded cell, in order."""
    name = assignment_of(notebook_path)
    with scratch_course([name]) as course:
        course.submit(name, "self-check", notebook_path)
        return course.autograde(name, "self-check")


def report(name, results):
    """The text a learner reads: a line per exercise, with the reason for lost points."""
    total = sum(r.score for r in results)
    possible = sum(r.max_score for r in results)
    lines = [f"{name}: {total:g} / {possible:g} points", ""]
    width = max(len(r.cell) for r in results)
    for r in results:
        mark = "ok  " if r.score == r.max_score else "FAIL"
        lines.append(f"  {mark} {r.cell.removesuffix('_tests'):<{width}} {r.score:g} / {r.max_score:g}")
        message = r.message.removeprefix("CheckFailed: ")
        lines.extend(f"         {line}" for line in message.splitlines())
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the notebook to grade, e.g. workspace/01_.../01_....ipynb")
    args = parser.parse_args(argv)
    try:
        name = assignment_of(args.notebook)
    except SelfCheckError as error:
        print(f"Cannot grade: {error}", file=sys.stderr)
        return 2
    print(report(name, grade(args.notebook)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
