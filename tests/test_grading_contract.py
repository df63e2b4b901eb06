"""The grading contract (invariant 7), through real nbgrader generate_assignment and autograde.

For every assignment: the solution notebook scores full marks; the untouched release scores
zero on every graded cell; and for each graded function, a submission with just that
function wrong loses exactly that function's points (and, where the wrong answer is a known
mistake, its feedback names the mistake). The totals are read back from `nbgrader export`.
"""

import csv
import subprocess
import sys

import pytest
from conftest import graded_exercises, one_wrong

from autograder.learner.scratch import scratch_course
from course.build import COURSE, assignments


@pytest.fixture(scope="module", params=assignments())
def graded(request):
    """Autograde every kind of submission of one assignment; return results and exported totals."""
    name = request.param
    exercises = graded_exercises(name)
    submissions = {"solution": (COURSE / "source" / name / f"{name}.ipynb", None)}
    submissions["release"] = (COURSE / "release" / name / f"{name}.ipynb", None)
    for exercise, _ in exercises:
        submissions[f"wrong-{exercise}"] = one_wrong(name, exercise)
    with scratch_course([name]) as course:
        results = {}
        for student, (notebook, _) in submissions.items():
            course.submit(name, student, notebook)
            results[student] = {r.cell: r for r in course.autograde(name, student)}
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "export", "--log-level=WARN"],
            cwd=course.root,
            check=True,
        )
        with open(course.root / "grades.csv") as file:
            totals = {row["student_id"]: float(row["raw_score"]) for row in csv.DictReader(file)}
    mistakes = {student: description for student, (_, description) in submissions.items()}
    return name, exercises, results, totals, mistakes


def test_solution_scores_full_marks(graded):
    name, exercises, results, totals, _ = graded
    full = sum(points for _, points in exercises)
    lost = {cell: r.message for cell, r in results["solution"].items() if r.score != r.max_score}
    assert not lost, f"{name}: the solution notebook lost points: {lost}"
    assert totals["solution"] == full


def test_untouched_release_scores_zero_everywhere(graded):
    name, _, results, totals, _ = graded
    scored = {cell: r.score for cell, r in results["release"].items() if r.score != 0}
    assert not scored, f"{name}: the untouched release scored points in {scored}"
    assert totals["release"] == 0


def test_one_wrong_function_loses_exactly_its_points(graded):
    name, exercises, results, totals, mistakes = graded
    full = sum(points for _, points in exercises)
    for exercise, points in exercises:
        student = f"wrong-{exercise}"
        cells = results[student]
        assert cells[f"{exercise}_tests"].score == 0, f"{student} kept the points of {exercise}"
        others = {
            c: r.message for c, r in cells.items() if c != f"{exercise}_tests" and r.score != r.max_score
        }
        assert not others, f"{student}: a wrong {exercise} also cost {others}"
        assert totals[student] == full - points
        if mistakes[student]:
            assert mistakes[student] in cells[f"{exercise}_tests"].message, (
                f"the feedback for {student} does not name the mistake: {cells[f'{exercise}_tests'].message}"
            )
