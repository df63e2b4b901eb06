"""nbgrader's whole exchange workflow, for three students on one machine, graded by the grading command.

release_assignment -> fetch_assignment -> submit (each student from a home folder of their own,
identified by CourseDirectory.student_id) -> collect -> `python -m autograder.grading grade
<course>/submitted` (autograde and generate_feedback) -> release_feedback -> fetch_feedback.
The exchange is a temporary folder (Exchange.root).
"""

import nbformat
import pytest
from conftest import notebook, one_wrong
from grading_course import generated_course, grades_csv, run_grade
from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from autograder.learner.scratch import COURSE_ID
from course.nbgrader_api import succeeded

NAME = "01_spiral_and_activations"


def student_api(home, student, exchange):
    """nbgrader as a student sees it: their own folder, their id, the shared exchange."""
    config = Config()
    config.CourseDirectory.root = str(home)
    config.CourseDirectory.course_id = COURSE_ID
    config.CourseDirectory.student_id = student
    config.Exchange.root = str(exchange)
    config.Exchange.assignment_dir = str(home)
    config.Exchange.cache = str(home / ".nbgrader-cache")
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def run_exchange(api, step, **attrs):
    """Run one exchange step (FetchAssignment, Submit, FetchFeedback) of a student's api."""
    for key, value in attrs.items():
        setattr(api.coursedir, key, value)
    app = getattr(api.exchange, step)(
        coursedir=api.coursedir, authenticator=api.authenticator, config=api.config
    )
    return app.start()


# nbgrader's own API passes a misspelt argument to release_feedback; it warns, and works.
@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")
def test_three_students_through_the_exchange(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    course, instructor = generated_course(
        tmp_path / "course", [NAME], f"\nc.Exchange.root = {str(exchange)!r}\n"
    )
    succeeded(instructor.release_assignment(NAME), "release_assignment")

    answers = {
        "alice": notebook("source", NAME),  # everything right
        "bob": one_wrong(NAME, "sigmoid")[0],  # one known mistake
        "carol": None,  # submits the release untouched
    }
    apis = {}
    for student, answer in answers.items():
        home = tmp_path / "home" / student
        home.mkdir(parents=True)
        apis[student] = api = student_api(home, student, exchange)
        run_exchange(api, "FetchAssignment", assignment_id=NAME)
        fetched = home / NAME / f"{NAME}.ipynb"
        assert fetched.exists(), f"{student} did not fetch the assignment"
        if answer is not None:
            nbformat.write(answer, fetched)
        run_exchange(api, "Submit", assignment_id=NAME)

    succeeded(instructor.collect(NAME), "collect")
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(answers)
    assert all((course / "submitted" / s / NAME / "timestamp.txt").exists() for s in answers)

    result = run_grade("grade", course / "submitted", "--course", course, "--workers", 2)
    assert "Graded 3 submission(s)" in result.stdout
    grades = grades_csv(course)
    assert grades == {("alice", NAME): 8.0, ("bob", NAME): 6.0, ("carol", NAME): 0.0}

    succeeded(instructor.release_feedback(NAME), "release_feedback")
    for student, api in apis.items():
        run_exchange(api, "FetchFeedback", assignment_id=NAME)
        pages = list((tmp_path / "home" / student / NAME / "feedback").glob(f"*/{NAME}.html"))
        assert len(pages) == 1, f"{student} did not get their feedback"
        score = grades[(student, NAME)]
        assert f"Score: {score:g}" in pages[0].read_text() or f"Score: {score}" in pages[0].read_text()
