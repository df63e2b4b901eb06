"""Hidden-test cases drawn per student (autograder/engine/seeds.py): two students who hand in the
same wrong function lose the same points with feedback on different cases; a regrade gives the
same cases and messages; expected values copied from one student's feedback fail for another;
every reference passes and every known mistake fails whoever the student is; the self-check and
%check draw for the learner."""

import os
import pickle
import subprocess
import sys
import zlib

import nbformat
import numpy as np
import pytest
from conftest import as_student_code, notebook_names, one_wrong
from grading_course import ROOT, autograded, feedback_text, make_course, run_grade

from autograder import CheckFailed, check
from autograder.engine import EXERCISES, MISTAKES, first_problem, load_exercises
from autograder.engine.seeds import case_seed
from autograder.kernel.calls import isolated
from autograder.learner.identity import LEARNER_ENV, learner

load_exercises()
NAME = "01_spiral_and_activations"
WRONG = "tanh_grad"  # its hidden tests draw random inputs, and it has a known mistake


def test_a_seed_belongs_to_a_course_an_assignment_a_student_and_an_exercise():
    alice = case_seed("rnn_cell_forward", "alice")
    assert alice == case_seed("rnn_cell_forward", "alice")  # the same at every regrade
    others = {
        case_seed("rnn_cell_forward", "bob"),
        case_seed("rnn_cell_forward", "alice", course="another-course"),
        case_seed("rnn_forward", "alice"),  # another exercise of the same assignment
        case_seed("rnn_cell_backward", "alice"),  # of another assignment
    }
    assert alice not in others and len(others) == 4
    assert case_seed("rnn_cell_forward") == zlib.crc32(b"rnn_cell_forward")  # no student: the course's


def feedback_message(course, student):
    """The message of the wrong exercise's hidden test, as the student's feedback shows it."""
    cell = next(
        c for c in autograded(course, student, NAME).cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == f"{WRONG}_tests"
    )  # fmt: skip
    return "\n".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")


def test_two_students_lose_the_same_points_on_different_cases_and_a_regrade_says_the_same(tmp_path):
    wrong, description = one_wrong(NAME, WRONG)
    for student in ("alice", "bob"):
        (tmp_path / "in" / student / NAME).mkdir(parents=True)
        nbformat.write(wrong, tmp_path / "in" / student / NAME / f"{NAME}.ipynb")
    course = make_course(tmp_path / "course", [NAME])
    run_grade("grade", tmp_path / "in", "--course", course, "--workers", 1)
    first = {student: feedback_message(course, student) for student in ("alice", "bob")}
    run_grade("grade", tmp_path / "in", "--course", course, "--workers", 1, "--force")
    assert {student: feedback_message(course, student) for student in first} == first  # reproducible

    alice, bob = first["alice"], first["bob"]
    assert description in alice and description in bob  # the same mistake is named to both
    assert alice.splitlines()[0] != bob.splitlines()[0]  # on cases of their own
    assert f"drawn for alice: seed {case_seed(WRONG, 'alice', 'rnn-from-scratch')}" in alice
    assert f"drawn for bob: seed {case_seed(WRONG, 'bob', 'rnn-from-scratch')}" in bob
    lost = {}
    for student in first:
        page = feedback_text(course, student, NAME)
        assert alice.splitlines()[0] in page if student == "alice" else bob.splitlines()[0] in page
        lost[student] = scores_of(course, student)
    assert lost["alice"] == lost["bob"] and lost["alice"][f"{WRONG}_tests"] == 0
    assert sum(1 for score in lost["alice"].values() if score == 0) == 1  # that exercise only


def scores_of(course, student):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnn-from-scratch") as gradebook:
        notebook = gradebook.find_submission_notebook(NAME, NAME, student)
        return {grade.name: grade.score for grade in notebook.grades}


def key(args):
    return pickle.dumps(args)


def memorised(exercise, seed):
    """An answer that knows the expected output of every case drawn with seed (what a student
    could piece together from feedback) and nothing else."""
    table = {
        key(c.args): exercise.reference(*pickle.loads(key(c.args)))
        for c in exercise.cases(np.random.default_rng(seed))
    }

    def answer(*args):
        return table[key(args)] if key(args) in table else np.zeros_like(args[0])

    return answer


@pytest.mark.parametrize("name", ["softmax", "tanh_grad", "rnn_cell_forward", "lstm_cell_forward"])
def test_values_copied_from_one_students_feedback_fail_for_another(name):
    exercise = EXERCISES[name]
    copied = memorised(exercise, case_seed(name, "alice"))
    assert first_problem(exercise, copied, case_seed(name, "alice"))[0] is None  # it would pass for alice
    assert first_problem(exercise, copied, case_seed(name, "bob"))[0] is not None


STUDENTS = [f"student{i}" for i in range(4)]  # beside the course's shared cases, which test_checker tries


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_references_pass_and_known_mistakes_fail_whoever_the_student_is(name):
    exercise = EXERCISES[name]
    reference = as_student_code(exercise.reference, **exercise.uses)
    for student in STUDENTS:
        seed = case_seed(name, student)
        assert first_problem(exercise, isolated(reference, exercise.uses), seed)[0] is None, student
        for _, wrong in MISTAKES.get(name, []):
            problem, _ = first_problem(exercise, isolated(wrong, exercise.uses), seed)
            assert problem, f"{wrong.__name__} passes the hidden tests of {name} drawn for {student}"


def wrong_answer():
    """The wrong exercise's first known mistake, as a notebook cell would define it."""
    exercise = EXERCISES[WRONG]
    wrong = next(w for _, w in MISTAKES[WRONG] if notebook_names(w, exercise) is not None)
    return as_student_code(wrong, WRONG, **notebook_names(wrong, exercise))


def test_check_draws_for_the_learner_named_and_else_the_courses_cases(monkeypatch):
    monkeypatch.delenv(LEARNER_ENV, raising=False)
    with pytest.raises(CheckFailed) as shared:
        check(WRONG, wrong_answer())
    assert "drawn for" not in str(shared.value)
    monkeypatch.setenv(LEARNER_ENV, "jane smith")
    with pytest.raises(CheckFailed) as own:
        check(WRONG, wrong_answer())
    assert f"drawn for jane_smith: seed {case_seed(WRONG, 'jane_smith')}" in str(own.value)
    assert str(own.value).splitlines()[0] != str(shared.value).splitlines()[0]


def test_the_learner_is_named_by_rnn_learner_or_the_hub_or_the_os_user(monkeypatch):
    import getpass

    monkeypatch.delenv(LEARNER_ENV, raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert learner() == getpass.getuser()
    monkeypatch.setenv("JUPYTERHUB_USER", "kim")
    assert learner() == "kim"
    monkeypatch.setenv(LEARNER_ENV, "../Jane Doe")
    assert learner() == "_Jane_Doe"  # a safe student id (a folder name)


def test_the_self_check_grades_as_the_learner_and_agrees_with_check(tmp_path, monkeypatch):
    wrong, _ = one_wrong(NAME, WRONG)
    path = tmp_path / f"{NAME}.ipynb"
    nbformat.write(wrong, path)
    env = {**os.environ, LEARNER_ENV: "jane", "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "autograder.learner.selfcheck", str(path)],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    monkeypatch.setenv(LEARNER_ENV, "jane")  # what %check in jane's kernel says
    with pytest.raises(CheckFailed) as here:
        check(WRONG, wrong_answer())
    for line in str(here.value).splitlines():
        assert line in done.stdout
