"""Grade one of your own notebooks with the hidden tests, as the instructor's grading would.

    python -m autograder.learner.selfcheck workspace/01_spiral_and_activations/01_spiral_and_activations.ipynb
    python -m autograder.learner.selfcheck NOTEBOOK --json     the result as data (JSON)

It grades a copy of the notebook exactly as the class grading command does (the same worker,
sandbox and judge: autograder/grading/worker.py), in a scratch course, without a feedback page,
then prints the points of each exercise and, for each one that lost points, the hidden test's
message. While it runs it says on stderr where it is, each exercise's hidden tests as they
finish, and a cell that has run for 30 s, with the function it is in (autograder/learner/progress.py).
Your notebook is only read, never changed.
"""

import argparse
import json
import sys
from pathlib import Path

from autograder.learner.identity import learner
from autograder.learner.progress import Progress
from autograder.learner.scratch import is_notebook, scratch_course
from course.outline import assignments

NO_SANDBOX = (
    "Note: bubblewrap is not installed, so your notebook ran without the grading sandbox "
    "(the class's grading uses it; your own code needs none)."
)


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


def grade(notebook_path, progress=None):
    """Grade a copy of one notebook; return the grading worker's result (scores, cells, notes).

    progress: a Progress to tell about each cell as it runs (None: quiet)."""
    from autograder.grading.config import Settings
    from autograder.sandbox.kernels import bwrap_problem

    name = assignment_of(notebook_path)
    if bwrap_problem():
        print(NO_SANDBOX, file=sys.stderr)
    with scratch_course([name], Settings(feedback=False, sandbox=False, warm=0), progress) as course:
        student = learner()  # the hidden tests draw the cases they draw for this learner's %check
        course.submit(name, student, notebook_path)
        try:
            return {"assignment": name, **course.grade(name, student)}
        finally:
            if progress is not None:
                progress.finished()


def report(result):
    """The text a learner reads: a line per exercise, with the reason for lost points."""
    cells = result["cells"]
    total, possible = sum(c["score"] for c in cells), sum(c["max"] for c in cells)
    lines = [f"{result['assignment']}: {total:g} / {possible:g} points", ""]
    width = max(len(c["cell"].removesuffix("_tests")) for c in cells)
    for c in cells:
        mark = "ok  " if c["score"] == c["max"] else "FAIL"
        lines.append(f"  {mark} {c['cell'].removesuffix('_tests'):<{width}} {c['score']:g} / {c['max']:g}")
        message = c["message"].removeprefix("CheckFailed: ")
        lines.extend(f"         {line}" for line in message.splitlines())
    notes = [note for _, note in result.get("notes", [])] + [
        f"{k}: {line}" for k, line in result["incidents"]
    ]
    if notes:
        lines += ["", "Grading notes:", *(f"  - {note}" for note in notes)]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the notebook to grade, e.g. workspace/01_.../01_....ipynb")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    try:
        assignment_of(args.notebook)
    except SelfCheckError as error:
        print(f"Cannot grade: {error}", file=sys.stderr)
        return 2
    result = grade(args.notebook, Progress())
    print(json.dumps(result, indent=1) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
