"""check() itself: every reference passes as student code, every known mistake is named,
and the ways of cheating that a checker in the student's kernel can see are refused."""

import copy
import inspect
import re

import numpy as np
import pytest
from conftest import as_student_code, notebook_names

from autograder import CheckFailed, check
from autograder.engine import EXERCISES, MISTAKES, MistakeError, case_problem, load_exercises
from autograder.exercises import char_lm
from autograder.kernel.calls import isolated

load_exercises()


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_reference_passes_as_student_code(name, capsys):
    exercise = EXERCISES[name]
    check(name, as_student_code(exercise.reference, **exercise.uses))
    assert "hidden checks passed" in capsys.readouterr().out


MISTAKE_CASES = [
    (name, i, description, wrong)
    for name, found in MISTAKES.items()
    for i, (description, wrong) in enumerate(found)
]


@pytest.mark.parametrize(
    "name, index, description, wrong", MISTAKE_CASES, ids=[f"{n}:{i}" for n, i, _, _ in MISTAKE_CASES]
)
def test_every_known_mistake_fails_and_is_named(name, index, description, wrong):
    exercise = EXERCISES[name]
    rng = np.random.default_rng(0)
    problems = [case_problem(exercise, isolated(wrong, exercise.uses), case) for case in exercise.cases(rng)]
    failures = [p for p in problems if p]
    assert failures, f"known mistake {index} of {name} passes every hidden test: {description}"
    assert any(description in p for p in failures), (
        f"known mistake {index} of {name} is not named: {failures}"
    )


def test_a_mistake_that_no_longer_fits_its_reference_fails_loudly():
    with pytest.raises(MistakeError, match="replaces 'x \\* x', which occurs 0 times in the code of "):
        EXERCISES["relu"].mistake("squared", {"x * x": "x"})
    with pytest.raises(MistakeError, match="occurs 2 times"):
        EXERCISES["softmax"].mistake("twice", {"axis=1": "axis=0"})


def test_an_edited_mistake_reads_as_code():
    description, wrong = MISTAKES["relu_grad"][0]
    assert inspect.getsource(wrong) == "def relu_grad(h):\n    return (h >= 0).astype(h.dtype)\n"


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


SIDE_MISTAKES = [
    ("build_vocabulary", description, wrong) for description, wrong in char_lm.VOCABULARY_MISTAKES
]


@pytest.mark.parametrize("name, description, wrong", SIDE_MISTAKES, ids=[d[:40] for _, d, _ in SIDE_MISTAKES])
def test_mistakes_that_a_check_of_its_own_names_are_named(name, description, wrong):
    """Mistakes in what the generic comparison does not see (the vocabulary: any order will do)."""
    student = as_student_code(wrong, name, **notebook_names(wrong, EXERCISES[name]))
    with pytest.raises(CheckFailed, match=f"This looks like a known mistake: {re.escape(description)}"):
        check(name, student)


def test_class_indices_must_be_integers():
    def predict(X, params, nonlinearity):
        return np.zeros(len(X))

    with pytest.raises(CheckFailed, match="dtype float64; it should hold integer class indices"):
        check("predict", as_student_code(predict))
