"""The grading command on a real PostgreSQL gradebook (nbgrader's CourseDirectory.db_url).

A server of Debian's `postgresql` package runs in a temporary folder (tests/postgres_server.py).
The same class graded into a SQLite gradebook and into PostgreSQL gets the same grades; two
graders with a course folder each and one shared PostgreSQL gradebook, grading two halves of
the class at the same time, leave every grade in it. Outside CI the test skips without the
server or psycopg; on CI (`make test` installs both) it must run.
"""

import subprocess
import sys

import nbformat
import pytest
from conftest import ON_CI, notebook, one_wrong, optional_import
from grading_course import ROOT, generated_course, grades_csv, run_grade
from postgres_server import BIN, Postgres

optional_import("psycopg", "pip install -e '.[dev]' (the dev extra has psycopg)")
if BIN is None and not ON_CI:
    pytest.skip("no PostgreSQL server: apt-get install postgresql to run this test", allow_module_level=True)

NAME = "01_spiral_and_activations"


@pytest.fixture(scope="module")
def postgres():
    with Postgres() as server:
        yield server


def class_of(folder):
    """Four submissions of NAME in nbgrader's layout: right, two different mistakes, untouched."""
    answers = {
        "ada": notebook("source", NAME),
        "ben": one_wrong(NAME, "sigmoid")[0],
        "cy": one_wrong(NAME, "relu_grad")[0],
        "di": notebook("release", NAME),
    }
    for student, answer in answers.items():
        (folder / student / NAME).mkdir(parents=True)
        nbformat.write(answer, folder / student / NAME / f"{NAME}.ipynb")
    return folder


def postgres_course(folder, url):
    return generated_course(folder, [NAME], f"\nc.CourseDirectory.db_url = {url!r}\n")[0]


def gradebook_scores(url):
    from nbgrader.api import Gradebook

    with Gradebook(url, "rnn-from-scratch") as gradebook:
        return {s.student.id: s.score for s in gradebook.assignment_submissions(NAME)}


def test_same_grades_as_sqlite(tmp_path, postgres):
    submissions = class_of(tmp_path / "class")
    sqlite_course = generated_course(tmp_path / "sqlite", [NAME])[0]
    pg_course = postgres_course(tmp_path / "postgres", postgres.url())
    for course in (sqlite_course, pg_course):
        run_grade("grade", submissions, "--course", course, "--workers", 2, "--no-feedback")
    assert not (pg_course / "gradebook.db").exists(), "the PostgreSQL course wrote a SQLite gradebook"
    grades = grades_csv(pg_course)
    assert grades == grades_csv(sqlite_course)
    assert {student: grades[(student, NAME)] for student in ("ada", "di")} == {"ada": 8, "di": 0}
    assert gradebook_scores(postgres.url()) == {student: score for (student, _), score in grades.items()}


def test_two_graders_at_once_on_one_gradebook(tmp_path, postgres):
    """Two TAs, each with their own course folder, grade half the class each, at the same time."""
    url = postgres.url("shared")
    postgres.run("createdb", "-h", "127.0.0.1", "-p", postgres.port, "-U", "grader", "shared")
    submissions = class_of(tmp_path / "class")
    halves = [tmp_path / "first", tmp_path / "second"]
    for half, students in zip(halves, (["ada", "ben"], ["cy", "di"]), strict=True):
        for student in students:
            (half / student).mkdir(parents=True)
            (submissions / student).rename(half / student)
    courses = [postgres_course(tmp_path / f"course-{i}", url) for i in (1, 2)]
    graders = [
        subprocess.Popen(
            [sys.executable, "-m", "autograder.grading", "grade", str(half), "--course", str(course)]
            + ["--workers", "1", "--no-feedback", "--quiet"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for half, course in zip(halves, courses, strict=True)
    ]
    outputs = [grader.communicate(timeout=900)[0] for grader in graders]
    assert [grader.returncode for grader in graders] == [0, 0], outputs

    everyone = gradebook_scores(url)
    assert set(everyone) == {"ada", "ben", "cy", "di"}
    assert everyone["ada"] == 8 and everyone["di"] == 0 and 0 < everyone["ben"] < 8 and 0 < everyone["cy"] < 8
    run_grade("grade", halves[0], "--course", courses[0], "--no-feedback", "--quiet")  # nothing new: exports
    assert {s: g for (s, _), g in grades_csv(courses[0]).items()} == everyone
