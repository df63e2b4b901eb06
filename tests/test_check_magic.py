"""`%check NAME`: the hidden tests of one exercise on the function as the kernel has it, with the
messages of grading. The grading side here is the judge of the grading command, as in test_judge.py.
"""

import os
import sys

import pytest
from conftest import as_student_code, notebook_names
from IPython.core.interactiveshell import InteractiveShell

from autograder.engine import EXERCISES, MISTAKES, load_exercises
from autograder.kernel import CheckFailed
from autograder.kernel.wire import judged_check
from autograder.learner.identity import LEARNER_ENV
from autograder.sandbox.judge import Judge
from course.build import COURSE

load_exercises()


@pytest.fixture
def ipython(monkeypatch, tmp_path):
    """The lab's kernel of learner jane: the extension loaded, working in a folder outside the
    course (tmp_path)."""
    monkeypatch.setenv(LEARNER_ENV, "jane")  # the extension keeps a learner already named
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "autograder.learner.magic")
    monkeypatch.chdir(tmp_path)
    saved = dict(shell.user_ns)
    yield shell
    shell.user_ns.clear()
    shell.user_ns.update(saved)


def in_notebook_folder(monkeypatch, tmp_path, name):
    """Work as the kernel of notebook `name` does: in its folder."""
    (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path / name)


def said_by_check(ipython, capsys, line):
    """(passed, what %check printed, or its CheckFailed message)."""
    capsys.readouterr()
    try:
        ipython.run_line_magic("check", line)
    except CheckFailed as failure:
        return False, str(failure)
    return True, capsys.readouterr().out.strip()


def said_by_grading(judge, capsys, name, function):
    """(passed, what the hidden-test cell printed or its CheckFailed message), as the grading
    command's judge decides it for the learner the lab names (their cases: engine/seeds.py)."""
    session = judge.open_session(student=os.environ[LEARNER_ENV])
    session.expect("cell", name)
    capsys.readouterr()
    try:
        judged_check(name, function, session.address)
        return True, capsys.readouterr().out.strip()
    except CheckFailed as failure:
        return False, str(failure)
    finally:
        judge.close_session()


def as_notebook_has_it(name, function):
    """`function` as the notebook of exercise `name` would hold it, or None if it cannot."""
    exercise = EXERCISES[name]
    names = notebook_names(function, exercise)
    return None if names is None else as_student_code(function, exercise.reference.__name__, **names)


def first_mistake(name):
    """A registered wrong answer of the exercise that a notebook could hold, as student code."""
    return next(filter(None, (as_notebook_has_it(name, wrong) for _, wrong in MISTAKES.get(name, []))), None)


WRONG = {name: first_mistake(name) for name in sorted(EXERCISES)}


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    judge = Judge(tmp_path_factory.mktemp("judge"))
    yield judge
    judge.close()  # and its reference server


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_check_says_what_grading_says(ipython, judge, capsys, name):
    """For the reference of every exercise, and for a known mistake where a notebook could hold one."""
    function = EXERCISES[name].reference.__name__
    if WRONG[name]:
        ipython.user_ns[function] = WRONG[name]
        wrong = said_by_check(ipython, capsys, name)
        assert not wrong[0] and wrong == said_by_grading(judge, capsys, name, WRONG[name])
    ipython.user_ns[function] = right = as_notebook_has_it(name, EXERCISES[name].reference)
    passed = said_by_check(ipython, capsys, name)
    assert passed == said_by_grading(judge, capsys, name, right)
    assert passed[0] and passed[1].startswith(f"{name}: all ")


def test_a_name_is_this_notebooks_function_first_then_an_exercise(ipython, monkeypatch, tmp_path, capsys):
    rows = as_student_code(EXERCISES["softmax"].reference, "softmax")
    columns = as_student_code(EXERCISES["softmax_columns"].reference, "softmax")
    in_notebook_folder(monkeypatch, tmp_path, "04_rnn_forward")
    ipython.user_ns["softmax"] = columns  # notebook 04's softmax is over columns: exercise softmax_columns
    assert said_by_check(ipython, capsys, "softmax")[1].startswith("softmax_columns: all ")
    ipython.user_ns["softmax"] = rows
    passed, message = said_by_check(ipython, capsys, "softmax")
    assert not passed and "wrong axis" in message
    assert said_by_check(ipython, capsys, "softmax_columns") == (False, message)
    in_notebook_folder(monkeypatch, tmp_path, "02_softmax_classifier")
    assert said_by_check(ipython, capsys, "softmax")[1].startswith("softmax: all ")


def test_earlier_work_imported_from_mywork_can_be_checked_here(ipython, monkeypatch, tmp_path, capsys):
    in_notebook_folder(monkeypatch, tmp_path, "05_rnn_backward")
    ipython.user_ns["rnn_forward"] = as_student_code(EXERCISES["rnn_forward"].reference)
    assert said_by_check(ipython, capsys, "rnn_forward")[1].startswith("rnn_forward: all ")


def test_what_cannot_be_checked_is_said_plainly(ipython, monkeypatch, tmp_path, capsys):
    in_notebook_folder(monkeypatch, tmp_path, "04_rnn_forward")
    out = said_by_check(ipython, capsys, "rnn_cell_forward")[1]
    assert out.startswith("Cannot check: rnn_cell_forward is not defined in this kernel yet")
    out = said_by_check(ipython, capsys, "rnn_cel_forward")[1]
    assert (
        "Cannot check: rnn_cel_forward is not an exercise; this notebook's are: softmax, rnn_cell_forward"
        in out
    )


def test_check_alone_checks_every_exercise_of_the_notebook(ipython, monkeypatch, tmp_path, capsys):
    in_notebook_folder(monkeypatch, tmp_path, "04_rnn_forward")
    for name in ("softmax_columns", "rnn_cell_forward", "rnn_forward"):
        ipython.user_ns[EXERCISES[name].reference.__name__] = as_student_code(EXERCISES[name].reference)
    ipython.user_ns["rnn_forward"] = WRONG["rnn_forward"]
    passed, out = said_by_check(ipython, capsys, "")
    lines = out.splitlines()
    assert passed, "%check alone reports, it does not raise"
    assert lines[0].startswith("ok   softmax_columns: all") and lines[1].startswith(
        "ok   rnn_cell_forward: all"
    )
    assert lines[2].startswith("FAIL rnn_forward: rnn_forward ")
    assert "FAIL to_batch_first: to_batch_first is not defined in this kernel yet" in "\n".join(lines)


def test_check_as_a_call_in_a_cell(ipython, capsys):
    ipython.user_ns["sigmoid"] = as_student_code(EXERCISES["sigmoid"].reference)
    ipython.run_cell('check("sigmoid")')
    assert "sigmoid: all" in capsys.readouterr().out
    ipython.user_ns["sigmoid"] = WRONG["sigmoid"]
    result = ipython.run_cell('check("sigmoid")')
    assert isinstance(result.error_in_exec, CheckFailed)


def test_in_a_class_release_check_says_it_is_not_there(ipython, monkeypatch, capsys):
    """A class keeps the hidden tests and the references with the instructor: %check cannot run them."""
    monkeypatch.setitem(sys.modules, "solutions", None)  # `import solutions` raises ImportError
    ipython.user_ns["sigmoid"] = WRONG["sigmoid"]
    passed, out = said_by_check(ipython, capsys, "sigmoid")
    assert passed, "nothing was checked, so nothing failed"
    assert "%check is not available here: the hidden tests stay with your instructor" in out
    assert "Validate" in out


def test_the_release_notebooks_name_check_only_as_the_magic():
    """The student's notebooks say `%check NAME` (a release must not hold `check(`, test_student_bundle)."""
    text = (COURSE / "release" / "01_spiral_and_activations" / "01_spiral_and_activations.ipynb").read_text()
    assert "%check NAME" in text and "%check" in text.split("## Check your work")[1]
