"""course/build.py expands the lesson markers and refuses a lesson it cannot build; course/outline.py
derives the course functions an exercise may call."""

from pathlib import Path

import jupytext
import pytest

from autograder.engine import EXERCISES, load_exercises
from course.build import (
    HOW_TO_WORK,
    LessonError,
    check_each_exercise_marked_once,
    expand_markers,
)
from course.outline import course_functions
from solutions import rnn_forward, softmax_classifier

RELU = 'from solutions.spiral_activations import relu\n\n# %% hidden_tests="relu" points=1\n# Checks relu.\n'


def expanded(lesson_text):
    notebook = jupytext.reads(lesson_text, fmt="py:percent")
    expand_markers(notebook, Path("99_lesson.py"))
    return notebook.cells


def test_markers_become_nbgrader_cells():
    answer, tests = expanded(f'# %% exercise="relu"\n{RELU}')
    assert answer.metadata == {
        "nbgrader": {
            "grade": False,
            "grade_id": "relu",
            "locked": False,
            "schema_version": 3,
            "solution": True,
            "task": False,
        }
    }
    assert tests.metadata["nbgrader"]["grade_id"] == "relu_tests"
    assert tests.metadata["nbgrader"]["points"] == 1 and tests.metadata["nbgrader"]["locked"]
    assert tests.source == (
        "# Checks relu.\n### BEGIN HIDDEN TESTS\nfrom autograder import check\n\n"
        'check("relu", relu)\n### END HIDDEN TESTS'
    )


def test_the_check_call_names_the_registered_function():
    lesson = (
        '# %% exercise="softmax_columns"\nfrom solutions.rnn_forward import softmax\n\n'
        '# %% hidden_tests="softmax_columns" points=1\n'
    )
    assert 'check("softmax_columns", softmax)' in expanded(lesson)[1].source


def test_an_ungraded_answer_cell():
    (cell,) = expanded('# %% solution="carried_over_01"\nfrom solutions.spiral_activations import relu\n')
    assert cell.metadata["nbgrader"]["grade_id"] == "carried_over_01"
    assert cell.metadata["nbgrader"]["solution"] and not cell.metadata["nbgrader"]["grade"]


def test_the_shared_paragraph_is_inserted():
    (cell,) = expanded("# %% [markdown]\n# Intro.\n#\n# <!-- shared: how_to_work -->\n")
    assert cell.source == f"Intro.\n\n{HOW_TO_WORK}"


@pytest.mark.parametrize(
    "lesson, message",
    [
        (f'# %% exercise="relu_typo"\n{RELU}', "'relu_typo' is not an exercise registered"),
        (RELU.split("\n\n")[1], "must follow its cell exercise='relu'"),
        ('# %% exercise="relu"\nfrom solutions.spiral_activations import relu\n', "relu has no hidden_tests"),
        (f'# %% exercise="relu"\n{RELU.replace("points=1", "points=0")}', "points=N, a whole number >= 1"),
        (f'# %% exercise="relu"\n{RELU.replace(" points=1", "")}', "points=N, a whole number >= 1"),
        (f'# %% exercise="relu"\n{RELU.replace("# Checks", "check(relu)  #")}', "only comment lines"),
        (
            f'# %% exercise="relu"\n{RELU.replace("import relu", "import sigmoid")}',
            "must hold exactly `from solutions.spiral_activations import relu`",
        ),
        ('# %% nbgrader={"grade": false}\nx = 1\n', "write a marker"),
        ("# %% [markdown]\n# <!-- shared: how_to_wrok -->\n", "no shared paragraph 'how_to_wrok'"),
    ],
    ids=[
        "unregistered",
        "tests-first",
        "untested",
        "zero-points",
        "no-points",
        "code",
        "other-function",
        "raw-metadata",
        "unknown-paragraph",
    ],
)
def test_a_lesson_that_cannot_be_built_is_refused_clearly(lesson, message):
    with pytest.raises(LessonError, match=message.replace("(", r"\(").replace(")", r"\)")):
        expanded(lesson)


def test_each_registered_exercise_is_marked_once(tmp_path):
    check_each_exercise_marked_once()  # the course itself
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "01_a.py").write_text('# %% exercise="relu"\n# %% exercise="relu"\n')
    with pytest.raises(LessonError, match="more than one cell: {'relu'"):
        check_each_exercise_marked_once(tmp_path)
    (tmp_path / "lessons" / "01_a.py").write_text('# %% exercise="relu"\n')
    with pytest.raises(LessonError, match="that no lesson marks .*sigmoid"):
        check_each_exercise_marked_once(tmp_path)


def test_an_exercise_uses_the_functions_its_notebook_holds():
    load_exercises()
    assert EXERCISES["forward"].uses["softmax"] is softmax_classifier.softmax  # notebook 03: rows
    assert EXERCISES["rnn_backward"].uses["softmax"] is rnn_forward.softmax  # notebook 05: columns
    assert "forward" not in EXERCISES["lstm_forward"].uses  # notebook 06 holds no `forward`


def test_a_carried_forward_name_means_the_latest_earlier_lesson(tmp_path):
    (tmp_path / "lessons").mkdir()
    lessons = {
        "01_a": "from solutions.rnn_forward import softmax, rnn_forward\n",
        "02_b": "# %%\nfrom solutions.softmax_classifier import softmax\n",
        "03_c": "# %%\nfrom mywork import softmax, rnn_forward  # noqa: F401\n",
        "04_d": "from mywork import clip\n",
    }
    for name, text in lessons.items():
        (tmp_path / "lessons" / f"{name}.py").write_text(text)
    assert course_functions("03_c", tmp_path) == {
        "softmax": softmax_classifier.softmax,
        "rnn_forward": rnn_forward.rnn_forward,
    }
    with pytest.raises(LookupError, match="04_d takes clip from mywork, but no earlier lesson holds it"):
        course_functions("04_d", tmp_path)
