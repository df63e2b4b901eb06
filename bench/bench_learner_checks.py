"""The learner's checks: %check's latency per exercise, and %selfcheck's time per notebook.

    python bench/bench_learner_checks.py [--check-only] [NAME ...]

%check: the hidden tests of one exercise on a function of the kernel, in the lab's kernel
(IPython with the extension loaded), for the reference (every case runs) and for a registered
mistake (the feedback is worked out). Target: 1 s per exercise, warm; the first %check of a
new kernel is timed too (a kernel that has just started may still be loading the hidden tests).

%selfcheck: `python -m autograder.learner.selfcheck` (what %selfcheck runs) on a solution
notebook, against its baseline, nbgrader's autograde of the same notebook in a course that is
already set up. Printed with the load average, which these wall times depend on.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import as_student_code, notebook_names  # noqa: E402

from autograder.engine import EXERCISES, MISTAKES, load_exercises  # noqa: E402
from course.outline import COURSE, assignments, exercise_markers  # noqa: E402

TARGET = 1.0  # seconds per %check

FIRST_CHECK = textwrap.dedent(
    r"""
    import time
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "autograder.learner.magic")
    import inspect, textwrap
    from solutions.spiral_activations import sigmoid
    shell.run_cell("import numpy as np\n" + textwrap.dedent(inspect.getsource(sigmoid)))  # a notebook cell
    start = time.perf_counter()
    shell.run_line_magic("check", "sigmoid")
    print(time.perf_counter() - start)
    """
)


def load():
    return os.getloadavg()


def timed_check(shell, name):
    start = time.perf_counter()
    try:
        shell.run_line_magic("check", name)
    except AssertionError:  # CheckFailed: a mistake's message
        pass
    return time.perf_counter() - start


def check_latencies():
    """[(exercise, seconds with the reference, seconds with a mistake or None)] in course order."""
    import contextlib
    import io

    from IPython.core.interactiveshell import InteractiveShell

    load_exercises()
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "autograder.learner.magic")
    rows = []
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(io.StringIO()):
        os.chdir(folder)  # outside the course's folders: %check takes exercise names
        for name, _ in exercise_markers():
            exercise = EXERCISES[name]
            function = exercise.reference.__name__
            right_names = notebook_names(exercise.reference, exercise) or {}
            shell.user_ns[function] = as_student_code(exercise.reference, function, **right_names)
            right = timed_check(shell, name)
            wrong = next(
                ((w, n) for _, w in MISTAKES.get(name, []) if (n := notebook_names(w, exercise)) is not None),
                None,
            )
            if wrong is not None:
                shell.user_ns[function] = as_student_code(wrong[0], function, **wrong[1])
                wrong = timed_check(shell, name)
            rows.append((name, right, wrong))
        os.chdir(here)
    return rows


def first_check_seconds():
    done = subprocess.run([sys.executable, "-c", FIRST_CHECK], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def selfcheck_seconds(name):
    """(the self-check command on the solution notebook, nbgrader's autograde of it) in seconds."""
    from autograder.learner.scratch import scratch_course

    notebook = COURSE / "source" / name / f"{name}.ipynb"
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"{name}.ipynb"
        shutil.copy(notebook, copy)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "autograder.learner.selfcheck", str(copy)],
            capture_output=True,
            check=True,
            cwd=folder,
        )
        selfcheck = time.perf_counter() - start
    with scratch_course([name]) as course:
        course.submit(name, "baseline", notebook)
        start = time.perf_counter()
        course.autograde(name, "baseline")
        autograde = time.perf_counter() - start
    return selfcheck, autograde


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    check_only = "--check-only" in args
    names = [a for a in args if a != "--check-only"] or assignments()
    print("load average (1, 5, 15 min) at the start: {:.2f} {:.2f} {:.2f}".format(*load()))

    rows = check_latencies()
    first = first_check_seconds()
    print(f"\n%check, warm, per exercise (target {TARGET:.1f} s)")
    print(f"{'exercise':28} {'right ms':>9} {'mistake ms':>11}")
    for name, right, wrong in rows:
        print(f"{name:28} {right * 1000:9.0f} {'-' if wrong is None else f'{wrong * 1000:.0f}':>11}")
    slowest = max(max(right, wrong or 0) for _, right, wrong in rows)
    median = sorted(right for _, right, _ in rows)[len(rows) // 2]
    print(f"slowest {slowest * 1000:.0f} ms = {slowest / TARGET:.2f} x the target", end="; ")
    print(f"median {median * 1000:.0f} ms")
    print(f"first %check in a new kernel: {first * 1000:.0f} ms = {first / TARGET:.2f} x the target")
    ok = slowest <= TARGET and first <= TARGET

    if not check_only:
        print("\n%selfcheck per solution notebook, against nbgrader's autograde of it (baseline)")
        print(f"{'notebook':28} {'selfcheck s':>12} {'autograde s':>12} {'ratio':>6}")
        for name in names:
            selfcheck, autograde = selfcheck_seconds(name)
            print(f"{name:28} {selfcheck:12.1f} {autograde:12.1f} {selfcheck / autograde:6.2f}")
    print("\nload average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*load()))
    print("PASS" if ok else "FAIL: a %check took longer than the target")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
