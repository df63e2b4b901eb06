"""Student code is untrusted (invariant 8): adversarial submissions, graded by the grading command.

Every submission is built from the solution notebook of 01 (the fastest assignment) with one
attack in it, and all of them are graded in one run of `python -m autograder.grading`, beside
honest control submissions. Each attack must get a clear score and a feedback page that
says what happened, and must change nothing for anybody else. The last tests check that no
autograded notebook and no feedback page shows solution code or grading code that the
student did not write (invariant 3, invariant 6).
"""

import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import ON_CI, nbgrader_cells, notebook, one_wrong, solution_regions
from grading_course import (
    ROOT,
    autograded,
    feedback_text,
    grades_csv,
    make_course,
    output_text,
    run_grade,
    state,
)

from autograder.sandbox.launcher import landlock_abi

NAME = "01_spiral_and_activations"
FULL = 8  # make_spiral 2, sigmoid 2, sigmoid_grad 1, relu 1, relu_grad 1, tanh_grad 1
TIMEOUT = 6  # seconds per cell in this run; every honest cell of 01 takes well under one
LANDLOCK = landlock_abi() > 0


def source():
    return notebook("source", NAME)


def cell_of(nb, grade_id):
    return nbgrader_cells(nb, grade_id=grade_id)[0]


def appended(grade_id, code, nb=None):
    """The solution notebook with code added at the end of one cell."""
    nb = nb or source()
    cell_of(nb, grade_id).source += "\n" + code
    return nb


def replaced(grade_id, code, nb=None):
    nb = nb or source()
    cell_of(nb, grade_id).source = code
    return nb


def prepended(code, nb=None):
    """The notebook with a cell of the student's own at the top (after the imports)."""
    nb = nb or source()
    nb.cells.insert(2, nbformat.v4.new_code_cell(code))
    return nb


WRONG_SIGMOID = "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))"


def wrong_sigmoid():
    return replaced("sigmoid", WRONG_SIGMOID)


def reordered():
    nb = source()
    solution = nb.cells.index(cell_of(nb, "sigmoid"))
    test = nb.cells.index(cell_of(nb, "sigmoid_tests"))
    nb.cells.insert(solution, nb.cells.pop(test))
    return nb


def types_changed():
    nb = source()
    for grade_id in ("sigmoid_tests", "relu"):
        old = cell_of(nb, grade_id)
        new = nbformat.v4.new_markdown_cell(old.source, metadata=old.metadata)
        new.id = old.id
        nb.cells[nb.cells.index(old)] = new
    return nb


def deleted_answer_and_test():
    nb = source()
    for grade_id in ("sigmoid", "sigmoid_tests"):
        nb.cells.remove(cell_of(nb, grade_id))
    return nb


def corrupted_metadata():
    nb = source()
    cell_of(nb, "relu_tests").metadata["nbgrader"]["points"] = None
    return nb


def deleted_test():
    nb = source()
    nb.cells.remove(cell_of(nb, "sigmoid_tests"))
    return nb


LYING = """
class AlwaysEqual:
    def __eq__(self, other):
        return True
    __array_priority__ = 1000

def relu(x):
    return AlwaysEqual()
"""

# student id -> (the submission: a notebook, raw bytes, or None for no notebook;
#                expected score; text its feedback must show)
CASES = {
    # honest controls: an attack must not change their grades
    "control-solution": (source, FULL, "hidden checks passed"),
    "control-wrong-sigmoid": (lambda: one_wrong(NAME, "sigmoid")[0], FULL - 2, "known mistake"),
    "control-release": (lambda: notebook("release", NAME), 0, "NotImplementedError"),
    # endless loops: one that ignores the interrupt (killed), one inside a graded function
    "loop-ignoring-interrupt": (
        lambda: appended(
            "relu", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
        ),
        FULL - 1,
        "did not stop when interrupted",
    ),
    "loop-in-function": (  # loops on the hidden tests' inputs only (the visible test's has 2 entries)
        lambda: replaced(
            "tanh_grad",
            "def tanh_grad(t):\n    while t.size not in (2, 601):\n        pass\n    return 1.0 - t * t",
        ),
        FULL - 1,
        f"ran longer than the limit of {TIMEOUT} s",
    ),
    # leaving: os._exit kills the kernel, sys.exit raises SystemExit, IPython's exit() stops it
    "os-exit": (lambda: appended("sigmoid", "import os\nos._exit(3)"), FULL - 2, "exited with status 3"),
    "sys-exit-in-function": (
        lambda: replaced("relu_grad", "import sys\n\ndef relu_grad(h):\n    sys.exit(1)"),
        FULL - 1,
        "SystemExit",
    ),
    "ipython-exit": (lambda: appended("tanh_grad", "exit()"), FULL - 1, "The kernel died while running"),
    "segfault": (
        lambda: appended("relu_grad", "import ctypes\nctypes.string_at(0)"),
        FULL - 1,
        "segmentation fault",
    ),
    "memory-hog": (
        lambda: replaced(
            "sigmoid",
            "def sigmoid(x):\n    hog = [np.empty(10**8, dtype=np.uint8) for _ in range(1000)]\n    return x",
        ),
        FULL - 2,
        "MemoryError",
    ),
    "background-process": (  # a process that would outlive its kernel and slow everyone down
        lambda: appended(
            "make_spiral",
            "import subprocess, sys\n"
            "child = subprocess.Popen([sys.executable, '-c', 'while True: pass'])\n"
            "open('child.pid', 'w').write(str(child.pid))",
        ),
        FULL,
        "hidden checks passed",
    ),
    "huge-output": (lambda: appended("make_spiral", "print('x' * 100_000_000)"), FULL, "output truncated"),
    # the notebook's structure
    "edited-test": (
        lambda: replaced("sigmoid_tests", "print('sigmoid: all 5 hidden checks passed.')", wrong_sigmoid()),
        FULL - 2,
        "known mistake",
    ),
    "deleted-test": (deleted_test, FULL, "was missing from the submission"),
    "reordered-cells": (reordered, FULL - 2, "name 'sigmoid' is not defined"),
    "cell-types-changed": (types_changed, FULL, "hidden checks passed"),
    # nbgrader itself fails on these two: graded as the release with the student's answers put back
    "deleted-answer-and-test": (deleted_answer_and_test, FULL - 2, "its structure was damaged"),
    "corrupted-metadata": (corrupted_metadata, FULL, "its structure was damaged"),
    "invalid-json": (lambda: b'{"cells": [{"cell_type": "code", ', 0, "not a readable notebook"),
    "missing-notebook": (lambda: None, 0, "no notebook in the submission"),
    "renamed-function": (
        lambda: replaced("sigmoid", "def my_sigmoid(x):\n    return 0.5 * (1.0 + np.tanh(0.5 * x))"),
        FULL - 2,
        "name 'sigmoid' is not defined",
    ),
    # taking the answers from the course
    "imports-solutions": (
        lambda: replaced("sigmoid", "from solutions.spiral_activations import sigmoid"),
        FULL - 2,
        "not available to graded notebooks",
    ),
    "imports-in-function": (
        lambda: replaced(
            "sigmoid", "def sigmoid(x):\n    return __import__('solutions.spiral_activations').sigmoid(x)"
        ),
        FULL - 2,
        "not available to graded notebooks",
    ),
    "imports-checker-internals": (
        lambda: replaced(
            "sigmoid",
            "from autograder.engine import EXERCISES, load_exercises\n"
            "load_exercises()\nsigmoid = EXERCISES['sigmoid'].reference",
        ),
        FULL - 2,
        "No module named",
    ),
    # patching what checks: numpy, the checker, check itself
    "patches-numpy": (
        lambda: prepended(
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None\n"
            "np.abs = lambda x, *a, **k: np.zeros_like(x)",
            wrong_sigmoid(),
        ),
        FULL - 2,
        "known mistake",
    ),
    "patches-checker": (
        lambda: prepended(
            "import autograder.kernel.calls as calls, autograder.kernel.check as checking\n"
            "calls.ownership_problem = lambda *a, **k: None\n"
            "calls.isolated = lambda function, uses: function\n"
            "checking.CheckFailed = type('Passed', (Exception,), {})",
            wrong_sigmoid(),
        ),
        FULL - 2,
        "known mistake",
    ),
    "replaces-check": (
        lambda: prepended(
            "import autograder, autograder.kernel.check\n"
            "def fake(name, function):\n    print(f'{name}: all 5 hidden checks passed.')\n"
            "autograder.check = autograder.kernel.check.check = fake",
            wrong_sigmoid(),
        ),
        0,
        "did not report to the grader",
    ),
    "fake-check-in-builtins": (
        lambda: prepended(
            "import builtins, sys, types\n"
            "builtins.check = lambda *a: None\n"
            "fake = types.ModuleType('autograder')\nfake.check = lambda *a: None\n"
            "sys.modules['autograder'] = fake",
            wrong_sigmoid(),
        ),
        0,
        "did not report to the grader",
    ),
    "probes-hidden-tests": (
        lambda: appended("sigmoid", "from autograder import check\ncheck('sigmoid', sigmoid)"),
        FULL,
        "hidden tests run only in their own cells",
    ),
    # wrong answers that look right
    "lying-eq": (lambda: replaced("relu", LYING), FULL - 1, "but it is a AlwaysEqual"),
    "hard-coded": (
        lambda: replaced(
            "sigmoid", "def sigmoid(x):\n    return np.array([0.0, 0.26894142, 0.5, 0.73105858, 1.0])"
        ),
        FULL - 2,
        "sigmoid for random x",
    ),
    "mutates-input": (
        lambda: replaced("relu", "def relu(x):\n    x[x < 0] = 0\n    return x"),
        FULL - 1,
        "changed its argument",
    ),
}

if LANDLOCK:  # the file system is confined: the course, the solutions and the gradebook are out of reach
    # the file system: the worker's gradebook (relative path) and the course's (absolute)
    CASES["writes-files"] = (
        lambda: appended(
            "make_spiral",
            "for path in ['../../../gradebook.db', '{course}/gradebook.db', '{course}/grades.csv']:\n"
            "    try:\n        open(path, 'w').write('overwritten')\n"
            "    except OSError as error:\n        print('refused:', path, type(error).__name__)",
        ),
        FULL,
        "refused:",
    )
    CASES["reads-solution-file"] = (
        lambda: replaced("sigmoid", f"exec(open('{ROOT}/solutions/spiral_activations.py').read())"),
        FULL - 2,
        "Permission denied",
    )


@pytest.fixture(scope="module")
def graded():
    """Grade every case in one run of the command (2 workers); return the course folder."""
    if not LANDLOCK and ON_CI:
        pytest.fail("Landlock is not available on this CI machine: the sandbox cannot confine files")
    with tempfile.TemporaryDirectory(prefix="adversarial-") as scratch:
        yield grade_all(Path(scratch))


def grade_all(folder):
    course = make_course(folder / "course", [NAME])
    submitted = folder / "submissions"
    for student, (build, _, _) in CASES.items():
        where = submitted / student / NAME
        where.mkdir(parents=True)
        made = build()
        if isinstance(made, bytes):
            (where / f"{NAME}.ipynb").write_bytes(made)
        elif made is None:
            (where / "notes.txt").write_text("I forgot to attach my notebook")
        else:
            text = nbformat.writes(made).replace("{course}", str(course))
            (where / f"{NAME}.ipynb").write_text(text)
    result = run_grade("grade", submitted, "--course", course, "--timeout", TIMEOUT, "--workers", 2)
    return course, submitted, result


@pytest.mark.parametrize("student", list(CASES))
def test_each_attack_gets_its_score_and_a_feedback_page_that_says_why(graded, student):
    course, _, _ = graded
    _, expected, explanation = CASES[student]
    score = grades_csv(course)[(student, NAME)]
    text = feedback_text(course, student, NAME)
    assert explanation in text, f"{student}: the feedback does not say {explanation!r}"
    assert score == expected, f"{student} scored {score}, expected {expected}"


def test_the_run_lists_every_incident_in_one_line(graded):
    course, _, result = graded
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for student in ("loop-ignoring-interrupt", "os-exit", "segfault", "huge-output", "invalid-json"):
        mentions = [line for line in lines if line.strip().startswith(f"{student}/{NAME}")]
        assert len(mentions) == 1, f"{student}: {mentions}"
    recorded = state(course)
    assert any("segmentation fault" in line for _, line in recorded[f"segfault/{NAME}"]["incidents"])
    assert any(kind == "timeout" for kind, _ in recorded[f"loop-ignoring-interrupt/{NAME}"]["incidents"])


def test_no_attack_touches_another_grade_or_the_gradebook(graded):
    course, _, _ = graded
    grades = grades_csv(course)
    assert grades[("control-solution", NAME)] == FULL
    assert grades[("control-wrong-sigmoid", NAME)] == FULL - 2
    assert grades[("control-release", NAME)] == 0
    assert set(grades) == {(student, NAME) for student in CASES}
    assert b"overwritten" not in (course / "gradebook.db").read_bytes()[:100]
    assert "overwritten" not in (course / "grades.csv").read_text()


def test_no_process_of_a_notebook_outlives_its_grading(graded):
    course, _, _ = graded
    pid = int((course / "autograded" / "background-process" / NAME / "child.pid").read_text())
    status = Path(f"/proc/{pid}/status")
    state = status.read_text().split("State:")[1].split()[0] if status.exists() else "gone"
    assert state in ("gone", "Z"), f"the notebook's background process {pid} still runs ({state})"


def test_huge_output_is_truncated_in_the_autograded_notebook(graded):
    course, _, _ = graded
    path = course / "autograded" / "huge-output" / NAME / f"{NAME}.ipynb"
    assert path.stat().st_size < 5_000_000


def seen_and_written(course, submitted, student):
    """(shown, written): the text of the autograded notebook and the feedback a student sees,
    and what the student wrote or was given (the release every student has)."""
    written_path = submitted / student / NAME / f"{NAME}.ipynb"
    written = written_path.read_text(errors="replace") if written_path.exists() else ""
    written += (course / "release" / NAME / f"{NAME}.ipynb").read_text()  # what every student has
    shown = output_text(autograded(course, student, NAME)) + feedback_text(course, student, NAME)
    shown = re.sub(r"\x1b\[[0-9;]*m", "", shown)
    return shown, written


def leaks(shown, written, secrets):
    """The secret lines that the shown text holds, that the student did not write and that the
    release does not hold."""
    return [line for line in secrets if line in shown and line not in written]


def solution_lines(name):
    """The substantial lines between the solution markers of an assignment's source notebook."""
    return {
        line.strip()
        for cell in nbgrader_cells(notebook("source", name), solution=True)
        for region in solution_regions(cell.source)
        for line in region.splitlines()
        if len(line.strip()) > 12 and not line.strip().startswith("#")
    }


def grading_code_lines():
    """Distinctive lines of the grading code: the checker, the judge, the exercises."""
    lines = set()
    for path in (ROOT / "autograder").rglob("*.py"):
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 30 and not line.startswith(("#", '"', "'", 'f"', "-", "from ", "import ")):
                lines.add(line)
    return lines


def test_the_search_covers_what_a_traceback_of_the_checker_showed():
    assert "raise CheckFailed(problem) from None" in grading_code_lines()
    assert "return 0.5 * (1.0 + np.tanh(0.5 * x))" in solution_lines(NAME)


def test_no_solution_code_and_no_grading_code_in_what_students_see(graded):
    course, submitted, _ = graded
    solutions = solution_lines(NAME)
    grading = grading_code_lines()
    assert solutions and grading
    for student in CASES:
        shown, written = seen_and_written(course, submitted, student)
        leaked = leaks(shown, written, solutions)
        assert not leaked, f"{student}: solution code in the feedback: {leaked[:3]}"
        leaked = leaks(shown, written, grading)
        assert not leaked, f"{student}: grading code in the feedback: {leaked[:3]}"
        frames = [
            re.sub(r"\x1b\[[0-9;]*m", "", entry)
            for cell in autograded(course, student, NAME).cells
            for output in cell.get("outputs", [])
            for entry in output.get("traceback", [])
        ]
        shown = [frame for frame in frames if re.match(r"\s*File \S*/(autograder|solutions)/", frame)]
        assert not shown, f"{student}: a traceback shows the grading code: {shown[:1]}"


def test_a_failed_check_shows_its_message_not_a_traceback(graded):
    course, _, _ = graded
    graded_nb = autograded(course, "control-wrong-sigmoid", NAME)
    (error,) = [o for o in cell_of(graded_nb, "sigmoid_tests").outputs if o.output_type == "error"]
    assert error.ename == "CheckFailed"
    assert len(error.traceback) == 1 and "known mistake" in error.traceback[0]


def test_only_the_submissions_are_in_the_course(graded):
    course, _, _ = graded
    assert not (course / "source" / NAME / "solutions").exists()
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(CASES)
    assert Path(course / "grades.csv").exists()
