"""`from mywork import f`: the learner's own function of an earlier notebook, or the course's under grading.

Workspaces here are folders <ws>/<name>/<name>.ipynb, as `make lab` makes them: the source
notebooks stand for a learner who finished everything, the release ones for one who did not.
"""

import inspect
import shutil
import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest
from conftest import graded_exercises
from grading_course import autograded, grades_csv, make_course, output_text, run_grade

import mywork
from autograder.engine import EXERCISES, load_exercises
from autograder.engine.carried import course_functions
from autograder.kernel import check
from autograder.kernel.calls import ownership_problem
from autograder.kernel.check import JUDGE_ENV
from course.build import COURSE, assignments
from course.workspace import carried_from, exercise_functions, notebook_path
from solutions import rnn_backward as ref05
from solutions import rnn_forward as ref04

FORWARD, BACKWARD = "04_rnn_forward", "05_rnn_backward"


def workspace(tmp_path, kind, names=(FORWARD, BACKWARD)):
    """A workspace holding the `kind` ("source" or "release") notebooks of the named assignments."""
    for name in names:
        shutil.copytree(COURSE / kind / name, tmp_path / "ws" / name)
    return tmp_path / "ws"


def notebook_of(ws, name):
    return ws / name / f"{name}.ipynb"


def change_answer(ws, name, grade_id, change):
    """Save the notebook with the answer cell `grade_id` rewritten by change(source)."""
    path = notebook_of(ws, name)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = change(cell.source)
    nbformat.write(nb, path)


def add_cell(ws, name, source, index=None):
    path = notebook_of(ws, name)
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(len(nb.cells) if index is None else index, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


def random_rnn(seed=0):
    rng = np.random.default_rng(seed)
    parameters = {
        "Wax": rng.standard_normal((4, 3)),
        "Waa": rng.standard_normal((4, 4)),
        "Wya": rng.standard_normal((2, 4)),
        "ba": rng.standard_normal((4, 1)),
        "by": rng.standard_normal((2, 1)),
    }
    return rng.standard_normal((3, 5, 6)), rng.standard_normal((4, 5)), parameters


# ---------------------------------------------------------------- present


def test_a_finished_function_is_the_learners_own_and_only_its_definitions_run(tmp_path, capsys):
    ws = workspace(tmp_path, "source")
    ran = tmp_path / "ran"
    add_cell(ws, FORWARD, f"open({str(ran)!r}, 'w').write('training')  # any other cell: never run", 1)
    change_answer(ws, FORWARD, "rnn_forward", lambda s: s + f"\nopen({str(ran)!r}, 'w').write('stray line')")

    rnn_forward = mywork.yours("rnn_forward", ws / BACKWARD)

    x, a0, parameters = random_rnn()
    for mine, reference in zip(
        rnn_forward(x, a0, parameters), ref04.rnn_forward(x, a0, parameters), strict=True
    ):
        if isinstance(reference, np.ndarray):
            assert np.allclose(mine, reference)
    assert rnn_forward.__module__ == f"mywork.{FORWARD}", "it is the notebook's code, not the reference"
    assert not ran.exists(), "a cell other than the definitions of the answer cells was run"
    said = capsys.readouterr().out
    assert f"rnn_forward: yours, from {FORWARD}/{FORWARD}.ipynb as saved at" in said


def test_a_name_means_the_latest_earlier_notebook_that_defines_it(tmp_path):
    """`softmax` is notebook 02's (rows) in 03, notebook 04's (columns) in 05."""
    ws = workspace(tmp_path, "source", assignments()[:5])
    scores = np.array([[1.0, 2.0], [3.0, 5.0]])
    rows = mywork.yours("softmax", ws / "03_three_layer_net")(scores)
    columns = mywork.yours("softmax", ws / BACKWARD)(scores)
    assert np.allclose(rows.sum(axis=1), 1) and np.allclose(columns.sum(axis=0), 1)
    assert not np.allclose(rows, columns)


def test_an_edit_is_taken_once_saved_and_the_trace_shows_the_learners_line(tmp_path):
    ws = workspace(tmp_path, "source")
    x, a0, parameters = random_rnn()
    assert mywork.yours("rnn_cell_forward", ws / BACKWARD)(x[:, :, 0], a0, parameters)[0].shape == (4, 5)
    change_answer(ws, FORWARD, "rnn_cell_forward", lambda s: s.replace("return", "1 / 0\n    return", 1))
    changed = mywork.yours("rnn_cell_forward", ws / BACKWARD)
    with pytest.raises(ZeroDivisionError) as raised:
        changed(x[:, :, 0], a0, parameters)
    assert "1 / 0" in str(raised.traceback[-1]), "the traceback should show the learner's own line"


def test_imports_and_given_helpers_that_the_answers_use_are_run(tmp_path):
    """03's forward uses the given activation_functions, which uses the learner's sigmoid and relu."""
    name = "03_three_layer_net"
    ws = workspace(tmp_path, "source", assignments()[:3])
    forward = mywork.yours("forward", ws)  # a notebook outside the course's folders: any notebook
    loaded = mywork.load(notebook_of(ws, name))
    assert {"np", "activation_functions", "sigmoid", "relu"} <= set(loaded.namespace)
    assert "plt" not in loaded.namespace, "an import nobody uses (matplotlib) should not run"
    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((2, 5)), "b1": np.zeros(5), "W2": rng.standard_normal((5, 4))}
    params |= {"b2": np.zeros(4), "W3": rng.standard_normal((4, 3)), "b3": np.zeros(3)}
    scores = forward(rng.standard_normal((6, 2)), params, "relu")[0]
    assert scores.shape == (6, 3)


# ---------------------------------------------------------------- unfinished, missing, broken


def test_an_untouched_stub_says_which_function_to_finish_where(tmp_path, capsys):
    ws = workspace(tmp_path, "release")
    rnn_forward = mywork.yours("rnn_forward", ws / BACKWARD)
    said = capsys.readouterr().out
    assert "rnn_forward: NOT READY - finish rnn_forward in 04_rnn_forward first" in said
    assert "it still raises NotImplementedError" in said
    with pytest.raises(NotImplementedError, match="finish rnn_forward in 04_rnn_forward first"):
        rnn_forward(*random_rnn())


def test_a_partly_written_function_and_what_calls_an_unfinished_one(tmp_path):
    ws = workspace(tmp_path, "source")
    change_answer(
        ws,
        FORWARD,
        "rnn_cell_forward",
        lambda s: s.replace(
            "### BEGIN SOLUTION", "### BEGIN SOLUTION\n    if xt is None:\n        raise NotImplementedError"
        ),
    )
    x, a0, parameters = random_rnn()
    with pytest.raises(NotImplementedError, match="finish rnn_cell_forward in 04_rnn_forward first"):
        mywork.yours("rnn_cell_forward", ws / BACKWARD)(x[:, :, 0], a0, parameters)
    # rnn_forward itself is finished, but it calls the unfinished rnn_cell_forward
    with pytest.raises(NotImplementedError, match="finish rnn_cell_forward in 04_rnn_forward first"):
        mywork.yours("rnn_forward", ws / BACKWARD)(x, a0, parameters)


def test_a_missing_notebook_is_named_with_where_it_should_be(tmp_path, capsys):
    ws = workspace(tmp_path, "source", [BACKWARD])
    rnn_forward = mywork.yours("rnn_forward", ws / BACKWARD)
    said = capsys.readouterr().out
    assert "rnn_forward is written in notebook 04_rnn_forward, which is not in your workspace" in said
    assert str(notebook_of(ws, FORWARD)) in said and "`make lab` copies it in" in said
    with pytest.raises(NotImplementedError, match="not in your workspace"):
        rnn_forward(*random_rnn())


def test_an_answer_cell_that_does_not_parse_or_a_renamed_function(tmp_path):
    ws = workspace(tmp_path, "source")
    change_answer(ws, FORWARD, "rnn_forward", lambda s: s.replace("return", "return (", 1))
    with pytest.raises(NotImplementedError, match=r"its answer cell does not run \(SyntaxError"):
        mywork.yours("rnn_forward", ws / BACKWARD)(*random_rnn())
    change_answer(ws, FORWARD, "rnn_forward", lambda s: s.replace("return (", "return", 1))
    change_answer(
        ws, FORWARD, "rnn_cell_forward", lambda s: s.replace("def rnn_cell_forward(", "def cell(", 1)
    )
    with pytest.raises(NotImplementedError, match="no longer defines a function rnn_cell_forward"):
        mywork.yours("rnn_cell_forward", ws / BACKWARD)(*random_rnn())
    (notebook_of(ws, FORWARD)).write_text("{ not json")
    with pytest.raises(NotImplementedError, match="is not a readable notebook"):
        mywork.yours("rnn_forward", ws / BACKWARD)(*random_rnn())


def test_only_functions_of_earlier_notebooks_can_be_imported(tmp_path):
    ws = workspace(tmp_path, "source")
    with pytest.raises(ImportError, match="rnn_backward is an exercise of this notebook"):
        mywork.yours("rnn_backward", ws / BACKWARD)
    with pytest.raises(ImportError, match="lstm_forward is an exercise of notebook 06_lstm_gru, after this"):
        mywork.yours("lstm_forward", ws / BACKWARD)
    with pytest.raises(
        ImportError, match="no notebook before this one has a function 'rnn_fwd'.*rnn_forward"
    ):
        mywork.yours("rnn_fwd", ws / BACKWARD)
    with pytest.raises(AttributeError):
        mywork._private  # noqa: B018 (tools probe modules for such names; they must get AttributeError)


def test_the_import_statement_in_a_kernel_running_in_the_notebooks_folder(tmp_path):
    """`from mywork import ...` as a notebook runs it: Jupyter starts the kernel in the notebook's folder."""
    ws = workspace(tmp_path, "source")
    code = "from mywork import softmax, rnn_forward; print(rnn_forward.__module__, softmax.__module__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ws / BACKWARD, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == f"mywork.{FORWARD} mywork.{FORWARD}"


# ---------------------------------------------------------------- under grading


def test_under_grading_the_course_version_stands_in_whatever_the_workspace_holds(
    tmp_path, monkeypatch, capsys
):
    ws = workspace(tmp_path, "release")  # unfinished 04: under grading it must not matter
    monkeypatch.chdir(ws / BACKWARD)  # nbgrader runs a notebook in its assignment's folder
    monkeypatch.delenv(JUDGE_ENV, raising=False)  # nbgrader's own autograde: the references run here
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    from mywork import rnn_forward

    assert "rnn_forward: the course's own version, while this notebook is graded" in capsys.readouterr().out
    x, a0, parameters = random_rnn()
    assert np.array_equal(rnn_forward(x, a0, parameters)[0], ref04.rnn_forward(x, a0, parameters)[0])
    with pytest.raises(ImportError, match="rnn_backward is not a function of a notebook before 05"):
        from mywork import rnn_backward  # noqa: F401
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")  # Validate checks the learner's own work
    with pytest.raises(NotImplementedError, match="finish rnn_forward"):
        mywork.rnn_forward(x, a0, parameters)


def test_an_answer_calling_a_stand_in_is_the_students_own_and_passes(tmp_path, monkeypatch):
    """A student's 05 function that calls rnn_forward, imported from mywork under grading, is judged
    as their own code (the hidden tests put the references in its place anyway)."""
    monkeypatch.chdir(workspace(tmp_path, "release", [BACKWARD]) / BACKWARD)
    monkeypatch.delenv(JUDGE_ENV, raising=False)
    names = {"np": np, "__name__": "__main__", "rnn_forward": mywork.course_version("rnn_forward")}
    for function in (ref05.rnn_cell_backward, ref05.gradient_norms_through_time):  # as a notebook has them
        exec(textwrap.dedent(inspect.getsource(function)), names)
    student = names["gradient_norms_through_time"]
    if not EXERCISES:
        load_exercises()
    reference = ref05.gradient_norms_through_time
    assert ownership_problem("gradient_norms_through_time", student, reference) is None
    check("gradient_norms_through_time", student)


@pytest.mark.parametrize("name", assignments())
def test_the_lab_and_grading_mean_the_same_function_by_each_name(name):
    """mywork in the lab (course.workspace.carried_from, read from the release notebooks, no answer
    key needed) and under grading (autograder.engine.carried.course_functions, read from the
    lessons) resolve every name alike."""
    if not EXERCISES:
        load_exercises()
    graded = course_functions(name)
    for function, reference in graded.items():
        assert EXERCISES[carried_from(name, function)[1]].reference is reference, (name, function)
    earlier = assignments()[: assignments().index(name)]
    in_lab = {f for a in earlier for f in exercise_functions(notebook_path(COURSE / "release", a))}
    assert in_lab == set(graded)


def test_the_grading_command_grades_a_notebook_that_imports_earlier_work(tmp_path):
    """Notebook 05, full marks, through the sandbox and the judge, with no earlier notebook anywhere."""
    course = make_course(tmp_path / "course", [BACKWARD])
    submitted = tmp_path / "in" / f"alice_{BACKWARD}.ipynb"
    submitted.parent.mkdir()
    shutil.copy(COURSE / "source" / BACKWARD / f"{BACKWARD}.ipynb", submitted)
    run_grade("grade", submitted.parent, "--course", course)
    points = sum(points for _, points in graded_exercises(BACKWARD))
    assert grades_csv(course) == {("alice", BACKWARD): points}
    graded = autograded(course, "alice", BACKWARD)
    import_cell = next(c for c in graded.cells if c.cell_type == "code" and "from mywork import" in c.source)
    said = output_text(nbformat.v4.new_notebook(cells=[import_cell]))
    assert "rnn_forward: the course's own version, while this notebook is graded" in said
    errors = [o for cell in graded.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
