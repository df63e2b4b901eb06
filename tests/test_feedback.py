"""What a failing check says: returned values by their docstring names, known mistakes matched
per returned value, the wrong term found by probes, hints only for what failed; and, for a set
of typical student bugs that nobody registered (tests/unregistered_bugs/), a message that
points at what is wrong and never misleads, in the kernel and through the judge alike."""

import re

import numpy as np
import pytest
from conftest import as_student_code
from unregistered_bugs import BUGS

from autograder import CheckFailed, check
from autograder.engine import EXERCISES, load_exercises
from autograder.engine.names import path_name, returned_names
from autograder.engine.registry import edited
from autograder.kernel.wire import judged_check
from autograder.sandbox.judge import Judge
from course.outline import lesson_of_exercise

load_exercises()

# the sentences that infer a cause: a term, a known mistake, an argument not used as it should be
CLAIM = re.compile(
    r"^(With .*|This looks like a known mistake.*|Your answer is the expected one for .*)$", re.M
)


def student_function(bug):
    """The bug as a notebook defines it, under the exercise's function name."""
    exercise = EXERCISES[bug.exercise]
    names = {k: v for k, v in exercise.uses.items() if k in bug.function.__code__.co_names}
    return as_student_code(bug.function, exercise.reference.__name__, **names)


def message_of(name, function):
    with pytest.raises(CheckFailed) as failure:
        check(name, function)
    return str(failure.value)


@pytest.mark.parametrize("bug", BUGS, ids=[b.id for b in BUGS])
def test_an_unregistered_bug_gets_a_message_that_points_at_it(bug):
    """The message matches bug.points, and so does every claim it makes (a term, a known mistake).
    A bug whose message does not point at it (bug.points None) must at least make no claim."""
    message = message_of(bug.exercise, student_function(bug))
    if bug.points is not None:
        assert re.search(bug.points, message), f"{bug.what}: the message does not point at it:\n{message}"
    for claim in CLAIM.findall(message):  # every inference the message makes is about this bug
        assert bug.points and re.search(bug.points, claim), f"{bug.what}: a misleading claim:\n{message}"


def test_the_bugs_cover_every_exercise_of_01_to_08():
    assert {b.exercise for b in BUGS} == {
        name for name, lesson in lesson_of_exercise().items() if lesson < "09"
    }


def test_most_messages_point():
    pointing = [b for b in BUGS if b.points is not None]
    assert len(pointing) >= 0.95 * len(BUGS), [b.id for b in BUGS if b.points is None]


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    judge = Judge(tmp_path_factory.mktemp("judge"))
    yield judge
    judge.close()  # and its reference server


@pytest.mark.parametrize("bug", BUGS, ids=[b.id for b in BUGS])
def test_the_judge_says_the_same(judge, bug):
    function = student_function(bug)
    session = judge.open_session()
    session.expect(f"{bug.exercise}_tests", bug.exercise)
    try:
        with pytest.raises(CheckFailed) as failure:
            judged_check(bug.exercise, function, session.address)
    finally:
        session.finish()
        judge.close_session()
    assert str(failure.value) == message_of(bug.exercise, function)


# ---------------------------------------------------------------- names from the docstrings


@pytest.mark.parametrize(
    "name, path, expected",
    [
        ("rnn_cell_forward", (0,), "a_next"),
        ("rnn_cell_forward", (2, 0), "cache[0] (a_next)"),
        ("rnn_cell_forward", (2, 3, "Waa"), "cache[3]['Waa']"),
        ("rnn_cell_backward", ("dWax",), "gradients['dWax']"),
        ("rnn_forward", (2, 0, 4, 1), "caches[0][4][1] (a_prev)"),
        ("lstm_forward", (3, 0, 1, 6), "caches[0][1][6] (cct)"),
        ("softmax", (), "probs"),
        ("forward", (1, 2), "cache[2] (h2)"),
    ],
)
def test_returned_values_are_called_by_their_docstring_names(name, path, expected):
    exercise = EXERCISES[name]
    case = next(iter(exercise.cases(np.random.default_rng(0))))
    names = returned_names(exercise.reference, exercise.uses, exercise.reference(*case.args))
    assert path_name(names, path) == expected


# ---------------------------------------------------------------- per-value mistakes, hints


def rnn_cell_forward_without_by_and_cache_order(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    z = parameters["Wya"] @ a_next
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (xt, a_prev, a_next, parameters)


def test_a_known_mistake_is_named_for_the_values_it_explains():
    """Two registered mistakes at once: neither reproduces the whole output, each explains its values."""
    message = message_of("rnn_cell_forward", as_student_code(rnn_cell_forward_without_by_and_cache_order))
    assert "Wrong: yt_pred, cache[0] (a_next) and cache[2] (xt); everything else is right." in message
    assert "known mistake in yt_pred: the output bias by is not added" in message
    assert "known mistake in cache[0] (a_next) and cache[2] (xt): the cache is in the wrong order" in message


def softmax_loss_shifting_in_place(scores, y):
    N, K = scores.shape
    scores -= scores.max(axis=1, keepdims=True)  # right values, but the caller's array changes
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), dscores / N


def test_a_mutation_is_not_given_a_mistake_it_does_not_make():
    message = message_of("softmax_loss", as_student_code(softmax_loss_shifting_in_place))
    assert "changed its argument `scores` in place" in message
    assert "known mistake" not in message


def test_a_known_mistake_whose_only_fault_is_a_warning_is_named_for_it():
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    message = message_of("sigmoid", as_student_code(sigmoid))
    assert "it warned `RuntimeWarning: overflow" in message
    assert "known mistake: exp(-x) overflows" in message


def test_a_warning_of_another_kind_is_not_given_that_mistake():
    def sigmoid(x):
        with np.errstate(under="warn"):
            np.exp(-1e3 * np.ones_like(x))  # underflows: a warning, but not the known mistake's
        return 0.5 * (1 + np.tanh(0.5 * x))

    message = message_of("sigmoid", as_student_code(sigmoid))
    assert "it warned `RuntimeWarning: underflow" in message
    assert "known mistake" not in message


def test_switching_off_its_only_input_is_never_a_term():
    def relu(x):
        return np.abs(x)  # right where x >= 0, and at x = 0

    message = message_of("relu", as_student_code(relu))
    assert "With x = 0" not in message
    assert "wrong exactly where x < 0" in message


# ---------------------------------------------------------------- lists of numbers, other options


def student_edit(name, replacements):
    """The exercise's reference edited as a student's answer ({old text: new text})."""
    exercise = EXERCISES[name]
    return as_student_code(edited(exercise.reference, replacements, "a test"), name, **exercise.uses)


@pytest.mark.parametrize(
    "kept_in",
    [
        {"return losses": "return np.array(losses)"},
        {"return losses": "return tuple(losses)"},
        {"losses.append(loss)": "losses.append(np.array([loss]))"},  # one-number arrays
    ],
)
def test_a_list_of_numbers_may_be_kept_in_an_array_or_a_tuple(kept_in, capsys):
    check("train_epoch", student_edit("train_epoch", kept_in))
    assert "hidden checks passed" in capsys.readouterr().out


def test_a_list_of_numbers_of_another_length_is_told_so():
    message = message_of("train_epoch", student_edit("train_epoch", {"return losses": "return losses[1:]"}))
    assert "losses should hold 5 values, but it holds 4" in message


def test_an_argument_used_with_another_value_is_named():
    """train (which changes params and returns a history) with nonlinearity fixed at "relu"."""
    message = message_of(
        "train", student_edit("train", {"    history = {": '    nonlinearity = "relu"\n    history = {'})
    )
    assert "Your answer is the expected one for nonlinearity = 'relu', but this case has" in message
    assert "nonlinearity = 'sigmoid': is nonlinearity used as it should be?" in message
