"""How often the feedback points at the bug, and what explaining a failure costs: a failing
hidden test, judged through the wire, with its known mistakes, relations and term probes,
against the same check of the right answer.

    .venv/bin/python bench/bench_feedback.py [--repeat 3] [--exercises NAME ...]

For every typical bug of tests/unregistered_bugs/, this process plays the kernel (as
tests/test_judge.py does): judged_check() talks to a Judge over its socket, so every call of
the student's function (the cases, and the probes of a failing one) is a round trip. The
baseline is the reference's own check of the same exercise (every case run, nothing to
explain). Printed: the time of each failing check (the best of --repeat), its ratio to the
baseline, and the slowest; then how many messages point at their bug (match the bug's
`points`; issue 12 point 3 asks for 95%). Target: every failing check within 1 s.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as `make` sets it; before numpy loads

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import as_student_code  # noqa: E402
from unregistered_bugs import BUGS  # noqa: E402

from autograder import CheckFailed  # noqa: E402
from autograder.engine import EXERCISES, load_exercises  # noqa: E402
from autograder.kernel.wire import judged_check  # noqa: E402
from autograder.sandbox.judge import Judge  # noqa: E402

TARGET = 1.0  # seconds for a failing check, probes included


def judged_seconds(judge, name, function, repeat):
    """(the best wall time of judged_check(name, function) over `repeat` runs, its message)."""
    times, message = [], ""
    for _ in range(repeat):
        session = judge.open_session()
        session.expect(f"{name}_tests", name)
        start = time.perf_counter()
        try:
            judged_check(name, function, session.address)
        except CheckFailed as failure:
            message = str(failure)
        times.append(time.perf_counter() - start)
        session.finish()
        judge.close_session()
    return min(times), message


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--exercises", nargs="*", help="only the bugs of these exercises")
    args = parser.parse_args()
    load_exercises()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        judge = Judge(Path(folder) / "judge")
        baseline = {}
        rows, pointing, silent = [], [], []
        for bug in [b for b in BUGS if not args.exercises or b.exercise in args.exercises]:
            exercise = EXERCISES[bug.exercise]
            if bug.exercise not in baseline:
                right = as_student_code(exercise.reference, exercise.reference.__name__)
                baseline[bug.exercise] = judged_seconds(judge, bug.exercise, right, args.repeat)[0]
            names = {k: v for k, v in exercise.uses.items() if k in bug.function.__code__.co_names}
            wrong = as_student_code(bug.function, exercise.reference.__name__, **names)
            seconds, message = judged_seconds(judge, bug.exercise, wrong, args.repeat)
            rows.append((bug.id, seconds, seconds / baseline[bug.exercise]))
            points = bug.points is not None and re.search(bug.points, message)
            (pointing if points else silent).append(bug.id)
    for bug_id, seconds, ratio in rows:
        print(f"{bug_id:60s} {seconds * 1000:7.0f} ms  {ratio:5.2f} x the right answer's check")
    slowest = max(rows, key=lambda row: row[1])
    median = statistics.median(seconds for _, seconds, _ in rows)
    print(
        f"\nfailing checks: median {median * 1000:.0f} ms, slowest {slowest[1] * 1000:.0f} ms ({slowest[0]})"
    )
    print(f"median ratio to the right answer's check: {statistics.median(r for _, _, r in rows):.2f}")
    share = len(pointing) / len(rows)
    print(f"messages that point at their bug: {len(pointing)} of {len(rows)} ({share:.1%})")
    print(f"not pointing: {', '.join(silent) or 'none'}")
    print(f"load average after: {os.getloadavg()}")
    met = slowest[1] <= TARGET
    print(f"target: every failing check within {TARGET:g} s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
