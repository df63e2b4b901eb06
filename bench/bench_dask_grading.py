"""Grading a class on a Dask cluster against the local pool of the same size and serial nbgrader.

    .venv/bin/python bench/bench_dask_grading.py [--submissions 12] [--assignments 01 ...]

Builds a course with N submissions of each named assignment (default: 01; the mix of
bench_grading.py: solutions, one known mistake, untouched releases) and grades the same
submissions three times, each in its own copy of the course:

  baseline  `nbgrader autograde <assignment>`, one assignment after the other (serial)
  local     `python -m autograder.grading grade ... --workers 2` (the local pool)
  dask      `python -m autograder.grading grade ... --scheduler ADDRESS` on a scheduler and
            `dask worker --nworkers 2 --nthreads 1` on loopback (2 grading processes, as local);
            the cluster is started before the clock starts, the run's plugin set-up is timed

and prints the wall times, Dask's overhead per notebook against the local pool
((dask - local) / notebooks), the ratios against serial nbgrader, whether the scores are
identical, and the load average before and after (the machine may be shared: read the figures
with it). It fails only when the scores differ; the issue sets no time target.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from bench_grading import baseline, place, scores, timed  # noqa: E402
from grading_course import generated_course  # noqa: E402
from test_dask_grading import Cluster  # noqa: E402

from course.build import assignments  # noqa: E402

WORKERS = 2


def grade(course, *options):
    command = [sys.executable, "-m", "autograder.grading", "grade", course / "submitted", "--course", course]
    return timed(command + ["--quiet", "--force", "--no-feedback", *map(str, options)], ROOT)


def load():
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=12, help="submissions per assignment")
    parser.add_argument("--assignments", nargs="*", default=["01"], help="assignment numbers or names")
    args = parser.parse_args(argv)
    names = [n for n in assignments() if any(n.startswith(a) for a in args.assignments)]
    total = args.submissions * len(names)
    print(f"{args.submissions} submissions x {len(names)} assignment(s) = {total} notebooks; {load()}")
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as scratch:
        folder = Path(scratch)
        plain, _ = generated_course(folder / "plain", names)
        place(plain, names, args.submissions)
        local, dask = folder / "local", folder / "dask"
        shutil.copytree(plain, local)
        shutil.copytree(plain, dask)
        cluster = Cluster(folder)
        try:
            seconds = {
                "nbgrader autograde, serial": baseline(plain, names),
                f"local pool, {WORKERS} workers": grade(local, "--workers", WORKERS),
                f"Dask, {WORKERS} worker processes": grade(dask, "--scheduler", cluster.address),
            }
        finally:
            cluster.close()
        same = scores(plain) == scores(local) == scores(dask)
    serial = seconds["nbgrader autograde, serial"]
    for label, value in seconds.items():
        print(f"  {label:34} {value:7.1f} s  {value / total:5.2f} s per notebook  {serial / value:5.2f}x")
    local_s, dask_s = list(seconds.values())[1:]
    print(f"  Dask's overhead against the local pool: {(dask_s - local_s) / total:+.2f} s per notebook")
    print(f"  scores identical: {'yes' if same else 'NO'}; {load()}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
