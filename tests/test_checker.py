"""check() itself: every reference passes as student code, every known mistake is named,
and the ways of cheating that a checker in the student's kernel can see are refused."""

import copy

import numpy as np
import pytest
from conftest import as_student_code

from autograder import CheckFailed, check
from autograder.engine import EXERCISES, MISTAKES, case_problem, load_exercises
from autograder.kernel.calls import isolated

load_exercises()


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_passes_as_student_code(name, capsys):
    exercise = EXERCISES[name]
    check(name, as_student_code(exercise.reference, **exercise.uses))
    assert "hidden checks passed" in capsys.readouterr().out


MISTAKE_CASES = [
    (name, description, wrong) for name, found in MISTAKES.items() for description, wrong in found
]


@pytest.mark.parametrize(
    "name, description, wrong",
    MISTAKE_CASES,
    ids=[f"{n}:{w.__name__}" for n, _, w in MISTAKE_CASES],
)
def test_every_known_mistake_fails_and_is_named(name, description, wrong):
    exercise = EXERCISES[name]
    rng = np.random.default_rng(0)
    problems = [case_problem(exercise, isolated(wrong, exercise.uses), case) for case in exercise.cases(rng)]
    failures = [p for p in problems if p]
    assert failures, f"the mistake {wrong.__name__} passes every hidden test of {name}"
    assert any(description in p for p in failures), f"{wrong.__name__} is not named: {failures}"


def test_a_wrong_answer_fails_with_the_students_line():
    def relu(x):
        return np.maximum(0, x) + undefined_name  # noqa: F821

    with pytest.raises(CheckFailed, match=r"relu raised NameError.*in your line `return np.maximum"):
        check("relu", as_student_code(relu))


def test_the_stub_is_told_to_write_code():
    def relu(x):
        raise NotImplementedError()

    with pytest.raises(CheckFailed, match="still raises NotImplementedError"):
        check("relu", as_student_code(relu))


def test_mutating_an_input_fails():
    def relu(x):
        x[x < 0] = 0
        return x

    with pytest.raises(CheckFailed, match="changed its argument `x` in place"):
        check("relu", as_student_code(relu))


def test_the_reference_itself_is_refused():
    exercise = EXERCISES["relu"]
    with pytest.raises(CheckFailed, match="reference solution, not your own"):
        check("relu", exercise.reference)


def test_calling_the_reference_is_refused():
    from solutions import spiral_activations

    def relu(x):
        return spiral_activations.relu(x)

    with pytest.raises(CheckFailed, match="uses `spiral_activations` from the course"):
        check("relu", as_student_code(relu, spiral_activations=spiral_activations))


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True


def test_an_object_whose_eq_lies_fails():
    def relu(x):
        return np.zeros(x.shape).view(AlwaysEqual)

    with pytest.raises(CheckFailed, match="should be a numpy array"):
        check("relu", as_student_code(relu, AlwaysEqual=AlwaysEqual))


def test_a_wrong_dtype_fails():
    def relu(x):
        return np.maximum(0, x).astype(np.float32)

    with pytest.raises(CheckFailed, match="dtype float32, expected float64"):
        check("relu", as_student_code(relu))


def test_a_warning_of_a_correct_answer_writes_nothing_to_stderr(capfd):
    def relu(x):
        np.log(-np.ones(2))  # warns "invalid value", but the answer is right
        return np.maximum(0, x)

    check("relu", as_student_code(relu))
    assert capfd.readouterr().err == ""


def test_feedback_is_reproducible():
    def relu(x):
        return copy.copy(x)

    messages = []
    for _ in range(2):
        with pytest.raises(CheckFailed) as failure:
            check("relu", as_student_code(relu, copy=copy))
        messages.append(str(failure.value))
    assert messages[0] == messages[1]
