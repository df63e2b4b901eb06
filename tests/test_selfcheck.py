"""The learner's self-check command, as a learner runs it."""

import subprocess
import sys

from autograder.learner.selfcheck import NO_SANDBOX
from course.build import COURSE, assignments

FIRST = assignments()[0]


def selfcheck(*args):
    return subprocess.run(
        [sys.executable, "-m", "autograder.learner.selfcheck", *args],
        capture_output=True,
        text=True,
        cwd=COURSE.parent,
    )


def test_a_solution_notebook_scores_full_marks():
    result = selfcheck(str(COURSE / "source" / FIRST / f"{FIRST}.ipynb"))
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0]
    score, possible = header.split(": ")[1].removesuffix(" points").split(" / ")
    assert score == possible, result.stdout
    assert "FAIL" not in result.stdout
    # what it said as it went (autograder/learner/progress.py), besides a note when bwrap is missing
    progress = [line for line in result.stderr.splitlines() if line != NO_SANDBOX]
    assert progress[0].startswith("cell 1 of ") and "make_spiral: hidden tests passed" in progress, progress
    assert all(line.startswith("cell ") or line.endswith(": hidden tests passed") for line in progress)


def test_a_release_notebook_scores_zero_and_says_why():
    result = selfcheck(str(COURSE / "release" / FIRST / f"{FIRST}.ipynb"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{FIRST}: 0 / ")
    assert "still raises NotImplementedError" in result.stdout
    assert "ok  " not in result.stdout
    assert "sigmoid: hidden tests failed" in result.stderr.splitlines()


def test_bad_input_gets_a_clear_message(tmp_path):
    missing = selfcheck(str(tmp_path / "nothing.ipynb"))
    assert missing.returncode == 2 and "there is no notebook" in missing.stderr
    broken = tmp_path / f"{FIRST}.ipynb"
    broken.write_text("{ not json")
    result = selfcheck(str(broken))
    assert result.returncode == 2 and "not a readable notebook" in result.stderr
    stranger = tmp_path / "homework.ipynb"
    stranger.write_text("{}")
    result = selfcheck(str(stranger))
    assert result.returncode == 2 and f"{FIRST}.ipynb" in result.stderr
    assert "Traceback" not in missing.stderr + result.stderr
