"""The visible tests are honest (issue 12.4).

- Every correct form of an answer that a notebook mentions passes its visible tests (the
  hidden tests accept them all).
- Typical wrong answers fail them with a message that names what is wrong.
- A visible test that fails a known mistake says so in an assertion, instead of crashing in
  its own code (a shape error inside np.allclose, say).
- A wrong or unfinished function never fails the visible tests of another exercise; a function
  that calls it may crash inside it, which its traceback then shows, but no assertion of the
  other exercise's tests blames the other exercise.
"""

import pytest
from visible import calls, exercises_of, run_notebook, stub
from visible_forms import ALTERNATIVES, WRONG_FORMS

from autograder.engine import MISTAKES, load_exercises
from course.build import assignments

load_exercises()


def notebook_name(prefix):
    return next(name for name in assignments() if name.startswith(prefix))


@pytest.mark.parametrize(
    "prefix, exercise, form, answer", ALTERNATIVES, ids=[f"{n}-{e}-{f}" for n, e, f, _ in ALTERNATIVES]
)
def test_a_correct_form_passes_the_visible_tests(prefix, exercise, form, answer):
    outcome = run_notebook(notebook_name(prefix), {exercise: answer}, stop_after=exercise)
    assert outcome.failures[exercise] is None, f"{exercise} written with {form}: {outcome.message(exercise)}"


@pytest.mark.parametrize(
    "prefix, exercise, form, answer, expected",
    WRONG_FORMS,
    ids=[f"{n}-{e}-{f}" for n, e, f, _, _ in WRONG_FORMS],
)
def test_a_typical_mistake_fails_with_a_message_that_names_it(prefix, exercise, form, answer, expected):
    outcome = run_notebook(notebook_name(prefix), {exercise: answer}, stop_after=exercise)
    message = outcome.message(exercise)
    assert message is not None, f"{exercise} with {form} passes its visible tests"
    assert expected in message, f"{exercise} with {form}: the visible tests say {message!r}"


def registered_mistakes():
    for name in assignments()[:8]:
        for exercise in exercises_of(name):
            for _, wrong in MISTAKES.get(exercise, []):
                yield pytest.param(name, exercise, wrong, id=f"{name[:2]}-{exercise}-{wrong.__name__}")


@pytest.mark.parametrize("name, exercise, wrong", list(registered_mistakes()))
def test_a_known_mistake_is_reported_by_an_assertion_not_a_crash_of_the_tests(name, exercise, wrong):
    failure = run_notebook(name, {exercise: wrong}, stop_after=exercise).failures[exercise]
    if failure is not None and failure.kind != "AssertionError":
        assert not failure.raised_by_the_tests, (
            f"the visible tests of {exercise} crash on the mistake {wrong.__name__}: {failure}"
        )


def wrong_versions(name):
    """(exercise, label, answer) for every known mistake and the unfinished stub of each exercise."""
    for exercise in exercises_of(name):
        for _, wrong in MISTAKES.get(exercise, []):
            yield exercise, wrong.__name__, wrong
        yield exercise, "unfinished", stub(name, exercise)


@pytest.mark.parametrize("name", assignments()[:8])  # notebooks 01-08 (issue 12.4); 09 and 10 are part IV
def test_a_wrong_function_fails_no_other_exercise_s_visible_tests(name):
    uses = calls(name)
    broken = []
    for culprit, label, answer in wrong_versions(name):
        outcome = run_notebook(name, {culprit: answer})
        for exercise, failure in outcome.failures.items():
            if exercise == culprit or failure is None:
                continue
            # A function that calls the culprit may crash inside it: the traceback then shows where.
            crashed_inside = culprit in uses[exercise] and not failure.raised_by_the_tests
            if not crashed_inside or failure.kind == "AssertionError":
                broken.append(f"{culprit} ({label}) fails {exercise}: {failure}")
    assert not broken, "\n".join(broken)


def test_every_exercise_has_visible_tests_that_the_reference_passes():
    for name in assignments()[:8]:
        outcome = run_notebook(name)
        failing = {exercise: outcome.message(exercise) for exercise, e in outcome.failures.items() if e}
        assert not failing, f"{name}: {failing}"
        assert set(outcome.failures) == set(exercises_of(name)), f"{name}: an exercise without visible tests"
