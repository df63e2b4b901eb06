"""Hidden-test cases drawn per student (autograder/engine/seeds.py): a seed per course, assignment,
student and exercise; expected values copied from one student's cases fail for another; every
reference passes and every known mistake fails whoever the student is; check() draws for the
learner RNN_LEARNER names, else the course's shared cases."""

import pickle
import zlib

import numpy as np
import pytest
from conftest import as_student_code, notebook_names

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
