"""Grading a class: the project's command against plain `nbgrader autograde`, run serially.

    .venv/bin/python bench/bench_grading.py [--submissions 40] [--assignments 01 02 ...] [--feedback]

Builds a course with every assignment (or the named ones) and N submissions of each (a mix of
solution notebooks, notebooks with one known mistake, and untouched releases), then grades
the same submissions twice, in two copies of the course:

  baseline  `nbgrader autograde <assignment>` for each assignment, one after the other
  project   `python -m autograder.grading grade <course>/submitted --no-feedback` (one worker
            per core, each notebook in the sandbox, hidden tests judged outside the kernel)

and prints the ratio of wall times (target: >= 1.8 on a 2-core machine) and whether every
score is identical. --feedback adds the full pipelines: baseline autograde + generate_feedback
against the project's command with feedback pages.

Then, per assignment, the time a notebook takes to grade beside what it cannot avoid:
its own execution (cells run in a kernel already started), and starting a kernel and
importing numpy. overhead = grading time - execution - kernel start, for nbgrader autograde
and for the project's command (both measured serially, one worker, on a few notebooks; the
project's is the median notebook, whose kernel was started while the one before it ran).
Target: the project's overhead <= 0.3 s. The load average is printed before and after: the
figures mean little on a busy machine.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bench_notebooks import solution_client  # noqa: E402
from conftest import graded_exercises, one_wrong  # noqa: E402
from grading_course import generated_course  # noqa: E402
from nbgrader.api import Gradebook  # noqa: E402

from autograder.learner.scratch import COURSE_ID  # noqa: E402
from course.build import COURSE, assignments  # noqa: E402

TARGET = 1.8
OVERHEAD = 0.3  # seconds per notebook beyond its own execution and a kernel start
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}


def submissions(name, count):
    """count notebooks: half solutions, a quarter with one known mistake each, a quarter releases."""
    source = nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)
    release = nbformat.read(COURSE / "release" / name / f"{name}.ipynb", as_version=4)
    exercises = [exercise for exercise, _ in graded_exercises(name)]
    made = []
    for index in range(count):
        if index % 4 in (0, 1):
            made.append(source)
        elif index % 4 == 2:
            made.append(one_wrong(name, exercises[(index // 4) % len(exercises)])[0])
        else:
            made.append(release)
    return made


def place(course, names, count):
    for name in names:
        for index, nb in enumerate(submissions(name, count)):
            folder = course / "submitted" / f"s{index + 1:03d}" / name
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / f"{name}.ipynb")


def timed(command, cwd):
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return seconds


def baseline(course, names, feedback=False):
    """nbgrader autograde (and generate_feedback), each assignment in turn, as an instructor runs them."""
    steps = ["autograde", "generate_feedback"] if feedback else ["autograde"]
    seconds = 0.0
    for name in names:
        for step in steps:  # --force: a second run redoes the work, as the project's command does
            command = [sys.executable, "-m", "nbgrader", step, name, "--force", "--log-level=ERROR"]
            seconds += timed(command, course)
    return seconds


def project(course, workers=0, feedback=False):
    command = [sys.executable, "-m", "autograder.grading", "grade", course / "submitted", "--course", course]
    command += ["--quiet", "--force"] + ([] if feedback else ["--no-feedback"])
    if workers:
        command += ["--workers", str(workers)]
    return timed(command, ROOT)


def scores(course):
    """(student, assignment) -> total auto score, from the course gradebook."""
    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                found[(submission.student.id, assignment.name)] = round(submission.score, 6)
    return found


def execution_seconds(name):
    """(kernel start and numpy import, the notebook's own execution) in a plain kernel, seconds."""
    client = solution_client(name, allow_errors=True)
    env = {**ENV, "NBGRADER_EXECUTION": "autograde"}
    start = time.perf_counter()
    with client.setup_kernel(env=env):
        client.execute_cell(nbformat.v4.new_code_cell("import numpy"), 0)
        kernel = time.perf_counter() - start
        start = time.perf_counter()
        for index, cell in enumerate(client.nb.cells):
            client.execute_cell(cell, index)
        own = time.perf_counter() - start
    return kernel, own


def per_notebook(folder, names, sample):
    """Serial grading time per notebook: plain nbgrader autograde and the project's command."""
    rows = []
    for name in names:
        runs = [execution_seconds(name) for _ in range(2)]
        kernel, own = (min(part) for part in zip(*runs, strict=True))
        plain_course, _ = generated_course(folder / f"plain-{name}", [name])
        ours_course, _ = generated_course(folder / f"ours-{name}", [name])
        for course in (plain_course, ours_course):
            for index in range(sample):
                target = course / "submitted" / f"s{index + 1:03d}" / name
                target.mkdir(parents=True)
                shutil.copy(COURSE / "source" / name / f"{name}.ipynb", target)
        startup = timed([sys.executable, "-m", "nbgrader", "--version"], plain_course)
        plain = (baseline(plain_course, [name]) - startup) / sample
        project(ours_course, workers=1)
        state = (ours_course / "autograded" / ".grading-state.json").read_text()
        ours = statistics.median(entry["seconds"] for entry in json.loads(state).values())
        rows.append((name, own, kernel, plain, plain - own - kernel, ours, ours - own - kernel))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=40, help="submissions per assignment")
    parser.add_argument("--assignments", nargs="*", help="assignment numbers or names (default: all)")
    parser.add_argument("--feedback", action="store_true", help="also compare with feedback pages")
    parser.add_argument("--sample", type=int, default=5, help="notebooks per assignment for the overheads")
    args = parser.parse_args(argv)
    names = [
        n for n in assignments() if not args.assignments or any(n.startswith(a) for a in args.assignments)
    ]
    cores = os.cpu_count()
    print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
        folder = Path(scratch)
        total = args.submissions * len(names)
        print(f"{args.submissions} submissions x {len(names)} assignments = {total} notebooks; {cores} cores")
        plain_course, _ = generated_course(folder / "plain", names)
        place(plain_course, names, args.submissions)
        ours_course = folder / "ours"
        shutil.copytree(plain_course, ours_course)

        plain = baseline(plain_course, names)
        ours = project(ours_course)
        same = scores(plain_course) == scores(ours_course)
        ratio = plain / ours
        ok &= ratio >= TARGET and same
        print(
            f"  nbgrader autograde, serial               {plain:8.1f} s  ({plain / total:.2f} s per notebook)"
        )
        print(
            f"  python -m autograder.grading (no feedback) {ours:8.1f} s  ({ours / total:.2f} s per notebook)"
        )
        print(f"  ratio {ratio:.2f} (target >= {TARGET}); scores identical: {'yes' if same else 'NO'}")
        if not same:
            a, b = scores(plain_course), scores(ours_course)
            print(
                "  differences:", {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
            )

        if args.feedback:
            plain_feedback = baseline(plain_course, names, feedback=True)
            ours_feedback = project(ours_course, feedback=True)
            print(f"  nbgrader autograde + generate_feedback   {plain_feedback:8.1f} s")
            print(f"  python -m autograder.grading (feedback)    {ours_feedback:8.1f} s")
            print(f"  ratio {plain_feedback / ours_feedback:.2f}")

        print(f"\nper notebook, serial ({args.sample} solution notebooks; nbgrader: mean, project: median):")
        print(
            f"  {'assignment':28} {'own exec':>8} {'kernel':>7} {'nbgrader':>9} {'overhead':>9}"
            f" {'project':>8} {'overhead':>9}"
        )
        overheads = []
        for name, own, kernel, plain_one, plain_over, ours_one, ours_over in per_notebook(
            folder / "overheads", names, args.sample
        ):
            print(
                f"  {name:28} {own:8.2f} {kernel:7.2f} {plain_one:9.2f} {plain_over:9.2f}"
                f" {ours_one:8.2f} {ours_over:9.2f}"
            )
            overheads.append(ours_over)
        print("  (overhead = grading time - own execution - kernel start with numpy, in seconds)")
        met = max(overheads) <= OVERHEAD
        ok &= met
        print(f"  {'met' if met else 'MISSED'}: the project's overhead <= {OVERHEAD} s per notebook")
    print("load average (1, 5, 15 min) after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    targets = f"ratio >= {TARGET} with identical scores, overhead <= {OVERHEAD} s per notebook"
    print(f"\n{'met' if ok else 'MISSED'}: {targets}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
