"""Wall time of every solution notebook, top to bottom, as a student runs it and under grading.

    python bench/bench_notebooks.py [NAME ...]

Budgets: 60 s for a full run (90 s for 07 and 08, which train models), 15 s under grading
(NBGRADER_EXECUTION set, as nbgrader sets it: training cells take a short schedule).
"""

import os
import sys
import time

import nbformat
from nbclient import NotebookClient

from course.build import COURSE, assignments

FULL_BUDGET = {"07": 90, "08": 90}


def solution_client(name, **options):
    """A NotebookClient on a fresh copy of a solution notebook (client.nb), run in its folder,
    with a quiet kernel; options are NotebookClient's, added or overriding the defaults."""
    path = COURSE / "source" / name / f"{name}.ipynb"
    defaults = {
        "timeout": 600,
        "extra_arguments": ["--IPKernelApp.log_level=ERROR"],
        "resources": {"metadata": {"path": str(path.parent)}},
    }
    return NotebookClient(nbformat.read(path, as_version=4), **{**defaults, **options})


def run_seconds(name, grading):
    client = solution_client(name)
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    if grading:
        env["NBGRADER_EXECUTION"] = "autograde"
    start = time.perf_counter()
    client.execute(env=env)
    return time.perf_counter() - start


def main(argv=None):
    names = (argv if argv is not None else sys.argv[1:]) or assignments()
    ok = True
    print(f"{'notebook':36} {'full s':>7} {'budget':>6} {'graded s':>9} {'budget':>6}")
    for name in names:
        full, graded = run_seconds(name, grading=False), run_seconds(name, grading=True)
        budget = FULL_BUDGET.get(name[:2], 60)
        ok &= full <= budget and graded <= 15
        print(f"{name:36} {full:7.1f} {budget:6} {graded:9.1f} {15:6}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
