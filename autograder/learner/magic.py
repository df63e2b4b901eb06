"""The learner's checks, from a cell of the notebook: `%check` (instant) and `%selfcheck` (graded).

    %check NAME            run the hidden tests of exercise NAME on the function as this kernel
                           has it now (no need to save); the same messages as grading
    %check                 the same for every exercise of this notebook
    check("NAME")          %check NAME, as a call in a cell
    %selfcheck             grade this notebook, as last saved, as the instructors' grading would
    %selfcheck NOTEBOOK    grade another notebook (a path)

`make lab` loads this IPython extension in every kernel it starts (course/lab/kernels).
Elsewhere: `%load_ext autograder.learner.magic`.

%check needs the hidden tests (autograder/exercises) and the references (solutions/) in the
learner's own installation, as a self-study clone has them. A class release keeps them with
the instructor: there %check says it is not available and points to Validate.

%selfcheck runs `python -m autograder.learner.selfcheck` on a copy of the saved notebook, in a
separate process, so nothing in the notebook's kernel is touched and the notebook itself is
only read.
"""

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

from autograder.learner.progress import AT

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
    from course.outline import assignments  # imported here: loading the extension stays instant

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
    """Run the self-check on a copy of the notebook named as assignment `name`, showing what it
    says on stderr (its progress) as it goes. Kernel > Interrupt stops it.

    Returns (report, error message)."""
    env = {key: value for key, value in os.environ.items() if key not in LAB_ONLY}
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{name}.ipynb"
        shutil.copy(path, copy)
        with open(Path(folder) / "report.txt", "w+") as report:
            process = subprocess.Popen(
                [sys.executable, "-m", "autograder.learner.selfcheck", str(copy)],
                stdout=report,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=folder,
                start_new_session=True,  # so that stopping it stops the kernels it started
            )
            problems, where = [], None
            try:
                for line in process.stderr:
                    if line.startswith("Cannot grade: ") or problems:
                        problems.append(line.removeprefix("Cannot grade: "))
                    elif line.startswith(AT):  # where it is: one line, updated
                        where = show(f"now at {line.strip()}", where)
                    else:
                        print(line, end="", flush=True)
                process.wait()
                if where:
                    show("", where)
            except KeyboardInterrupt:
                stop(process)
                return "", "you stopped it (Kernel > Interrupt) before it finished"
            report.seek(0)
            text = report.read()
    if process.returncode != 0:
        problem = "".join(problems).strip().replace(str(copy), str(path))
        return "", problem or f"the self-check failed (exit status {process.returncode})"
    return text.rstrip(), ""


def show(text, handle=None):
    """Show text in a line of the cell's output that later calls replace; return its handle."""
    from IPython.display import display

    if handle is None:
        return display({"text/plain": text}, raw=True, display_id=True)
    handle.update({"text/plain": text}, raw=True)
    return handle


def stop(process):
    """Stop the self-check and everything it started (its process group)."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=grace)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


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


# ---------------------------------------------------------------- %check


NOT_IN_A_CLASS = (
    "%check is not available here: the hidden tests stay with your instructor. Press Validate (in the\n"
    "notebook's toolbar) to run the visible tests, and hand the notebook in as your instructor says."
)


def exercise_named(name, here):
    """(exercise, function name) that `%check name` means in the notebook whose folder is `here`.

    name is an exercise (softmax_columns) or a function: this notebook's, else an earlier notebook's
    that this one may import from mywork. Raises NotGradable saying why not.
    """
    from course import workspace

    course = workspace.course_exercises()
    this = here.name if here.name in workspace.assignments() else None
    mine = dict(course)[this] if this else {}
    function_of = {exercise: function for _, functions in course for function, exercise in functions.items()}
    if name in mine:
        return mine[name], name
    if name in function_of:
        return name, function_of[name]
    try:
        return workspace.carried_from(this, name)[1], name
    except LookupError:
        known = f"this notebook's are: {', '.join(mine)}" if mine else f"they are: {', '.join(function_of)}"
        raise NotGradable(f"{name} is not an exercise; {known}") from None


def check_one(ipython, exercise, function):
    """Run the hidden tests of `exercise` on the kernel's `function` (raises CheckFailed on a failure)."""
    from autograder.kernel import check

    wait_for_preload()
    if not callable(ipython.user_ns.get(function)):
        raise NotGradable(f"{function} is not defined in this kernel yet: run the cell that defines it first")
    check(exercise, ipython.user_ns[function])


def check_all(ipython, here):
    """%check without a name: every exercise of this notebook, a line each (a failure: its message)."""
    from autograder.kernel import CheckFailed
    from course import workspace

    this = here.name if here.name in workspace.assignments() else None
    if this is None:
        raise NotGradable("this is not one of the course's notebooks: name an exercise, %check NAME")
    for function, exercise in dict(workspace.course_exercises())[this].items():
        passed = io.StringIO()
        try:
            with contextlib.redirect_stdout(passed):
                check_one(ipython, exercise, function)
        except (CheckFailed, NotGradable) as problem:
            lines = str(problem).splitlines()
            print(f"FAIL {exercise}: {lines[0]}", *(f"     {line}" for line in lines[1:]), sep="\n")
        else:
            print(f"ok   {passed.getvalue().strip().splitlines()[0]}")  # not the seed line of each


def check(name=None, function=None):
    """`check("NAME")` in a cell: %check NAME. (check("NAME", f) checks f, as a hidden-test cell does.)"""
    __tracebackhide__ = True
    if function is not None:
        from autograder.kernel import check as check_function

        wait_for_preload()
        return check_function(name, function)
    instant_check(name or "")


def instant_check(line=""):
    """%check [NAME]: the hidden tests of exercise NAME (or of all here) on the kernel's functions."""
    from IPython import get_ipython

    ipython = get_ipython()
    try:
        import autograder.engine  # noqa: F401 (the hidden tests; a class release does not have them)
        import solutions  # noqa: F401
    except ImportError:
        print(NOT_IN_A_CLASS)
        return
    name, here = line.strip().strip("'\""), Path.cwd()
    try:
        if not name:
            return check_all(ipython, here)
        check_one(ipython, *exercise_named(name, here))
    except NotGradable as problem:
        print(f"Cannot check: {problem}")


def load_hidden_tests():
    """Import the hidden tests ahead of the first %check (a second on a slow machine), if they are here."""
    try:
        from autograder.engine import EXERCISES, load_exercises

        if not EXERCISES:
            load_exercises()
    except ImportError:  # a class release: %check says so when it is used
        pass


PRELOAD = threading.Thread(target=load_hidden_tests, name="load-hidden-tests", daemon=True)


def wait_for_preload():
    """Let a started preload finish, so that a check never sees the exercises half registered."""
    if PRELOAD.ident is not None:
        PRELOAD.join()


def load_ipython_extension(ipython):
    from autograder.learner.identity import LEARNER_ENV, learner

    os.environ.setdefault(LEARNER_ENV, learner())  # check() here draws what %selfcheck draws
    ipython.register_magic_function(selfcheck, magic_kind="line", magic_name="selfcheck")
    ipython.register_magic_function(instant_check, magic_kind="line", magic_name="check")
    ipython.user_ns.setdefault("check", check)
    if PRELOAD.ident is None:
        PRELOAD.start()
