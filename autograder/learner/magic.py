"""`%selfcheck`: grade the notebook you are working in with the hidden tests, from one of its cells.

    %selfcheck             grade this notebook, as last saved
    %selfcheck NOTEBOOK    grade another notebook (a path)

`make lab` loads this IPython extension in every kernel it starts (course/lab/kernels). The
grading is `python -m autograder.learner.selfcheck` run on a copy of the saved notebook, in a separate
process, so nothing in the notebook's kernel is touched and the notebook itself is only read.
Elsewhere: `%load_ext autograder.learner.magic`.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

# The grading runs as the command line would: without make lab's Jupyter settings.
LAB_ONLY = ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH", "JPY_SESSION_NAME", "MPLBACKEND")


class NotGradable(Exception):
    """The notebook cannot be graded; the message says why and what to do."""


def this_notebook(ipython):
    """The path of the notebook whose kernel this is, which Jupyter gives the kernel at its start."""
    session = ipython.user_ns.get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if not session:
        raise NotGradable("cannot tell which notebook this is. Give its path: %selfcheck NOTEBOOK.ipynb")
    path = Path(session)
    if not path.is_absolute():  # a path relative to the server's root: the kernel runs in its folder
        path = Path.cwd() / path.name
    if not path.is_file():
        raise NotGradable(
            f"{path.name} is not where it was when this kernel started (renamed or moved?).\n"
            "Restart the kernel (Kernel > Restart Kernel), or give the path: %selfcheck NOTEBOOK.ipynb"
        )
    return path


def assignment_of(path):
    """The assignment a notebook belongs to: its name, or else its folder's (a renamed copy)."""
    from course.build import assignments  # imported here: loading the extension stays instant

    for name in (path.stem, path.parent.name):
        if name in assignments():
            return name
    known = "\n  ".join(f"{name}/{name}.ipynb" for name in assignments())
    raise NotGradable(f"{path.name} is not one of the course's notebooks, which are:\n  {known}")


def unsaved_warning(ipython, path):
    """A warning when the cell run last, before this one, is not in the saved notebook."""
    inputs = [text for text in ipython.user_ns.get("In", [])[:-1] if text.strip()]
    if not inputs or "get_ipython()" in inputs[-1]:
        return ""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""  # the self-check itself says what is wrong with the file
    saved = "\n".join("".join(cell.get("source", "")) for cell in cells)
    if inputs[-1].strip() in saved:
        return ""
    return (
        "Note: the cell you ran last is not in the saved notebook, so the grade below is for an older\n"
        "version. Save (Ctrl+S, or File > Save Notebook) and run %selfcheck again.\n"
    )


def grade(path, name):
    """Run the self-check on a copy of the notebook named as assignment `name`.

    Returns (report, error message)."""
    env = {key: value for key, value in os.environ.items() if key not in LAB_ONLY}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{name}.ipynb"
        shutil.copy(path, copy)
        done = subprocess.run(
            [sys.executable, "-m", "autograder.learner.selfcheck", str(copy)],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
        )
    if done.returncode != 0:
        problem = done.stderr.strip().removeprefix("Cannot grade: ").replace(str(copy), str(path))
        return "", problem or f"the self-check failed (exit status {done.returncode})"
    return done.stdout.rstrip(), ""


def selfcheck(line=""):
    """Grade this notebook (or the one named) with the hidden tests and print the report."""
    from IPython import get_ipython

    ipython = get_ipython()
    argument = line.strip().strip("'\"")
    try:
        path = Path(argument).expanduser().resolve() if argument else this_notebook(ipython)
        if not path.is_file():
            raise NotGradable(f"there is no notebook at {path}")
        name = assignment_of(path)
        saved = datetime.fromtimestamp(path.stat().st_mtime).strftime("%H:%M:%S")
        print(unsaved_warning(ipython, path), end="")
        print(f"Grading {path.name} as saved at {saved} with the hidden tests (this takes a little while)...")
        sys.stdout.flush()
        report, error = grade(path, name)
    except NotGradable as problem:
        report, error = "", str(problem)
    if error:
        print(f"Cannot grade: {error}")
        return
    print()
    print(report)
    print()
    score, possible = report.split("\n")[0].rsplit(": ", 1)[1].removesuffix(" points").split(" / ")
    if score == possible:
        print("Full marks: every hidden test passes.")
    else:
        print("Fix the exercises marked FAIL, save the notebook, and run %selfcheck again.")


def load_ipython_extension(ipython):
    from autograder.learner.identity import LEARNER_ENV, learner

    os.environ.setdefault(LEARNER_ENV, learner())  # check() here draws what %selfcheck draws
    ipython.register_magic_function(selfcheck, magic_kind="line", magic_name="selfcheck")
