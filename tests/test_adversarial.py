"""Student code is hostile (invariant 8): adversarial submissions, graded by the grading command.

Every submission is built from the solution notebook of 01 (the fastest assignment) with one
attack in it, and all of them are graded in one run of `python -m autograder.grading`, beside
honest control submissions. Each attack must fail, get a clear score and a feedback page that
says what happened, and change nothing for anybody else: the honest students are graded
exactly as in a run of their own, the gradebook is intact, nothing outside the course and the
run's temporary folder is written, and no process of the run is alive 10 s after it ends. The
last tests check that no autograded notebook and no feedback page shows solution code or
grading code that the student did not write (invariant 3, invariant 6). The submissions are in
tests/adversarial_cases.py.
"""

import ctypes
import os
import re
import socket
import sqlite3
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from adversarial_cases import CASES, FULL, HONEST, MARKER, NAME, SECRET, TIMEOUT, cell_of
from conftest import ON_CI, nbgrader_cells, notebook, solution_regions
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

from autograder.grading.worker import NBGRADER_RECEIPTS as RECEIPTS
from autograder.sandbox.kernels import bwrap_problem

PR_SET_CHILD_SUBREAPER = 36


class Run:
    """One run of the grading command: the course, the submissions, the command's output, and
    what the test saw around it."""

    def __init__(self, folder, cases):
        self.folder, self.cases = folder, cases
        self.course = make_course(folder / "course", [NAME])
        self.submitted = folder / "submissions"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)

    def submit(self):
        for student in self.cases:
            build = CASES[student][0]
            where = self.submitted / student / NAME
            where.mkdir(parents=True)
            made = build()
            if isinstance(made, bytes):
                (where / f"{NAME}.ipynb").write_bytes(made)
            elif made is None:
                (where / "notes.txt").write_text("I forgot to attach my notebook")
            else:
                text = nbformat.writes(made)
                for name, value in (("course", self.course), ("root", ROOT), ("marker", MARKER)):
                    text = text.replace("{" + name + "}", str(value))
                text = text.replace("{port}", str(self.listener.getsockname()[1]))
                (where / f"{NAME}.ipynb").write_text(text)

    def grade(self):
        """Grade; then, 10 s after the command ended, the processes of the run still alive."""
        self.submit()
        self.started = time.time()
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # what the run leaves behind comes to this process
        ours = set(orphans())  # this process's own children (another test's judge), not the run's
        try:
            env = {"RNN_TEST_SECRET": SECRET, "TMPDIR": str(self.folder / "tmp")}
            (self.folder / "tmp").mkdir()
            self.result = run_grade(
                "grade",
                self.submitted,
                "--course",
                self.course,
                "--timeout",
                TIMEOUT,
                "--workers",
                2,
                env=env,
            )
            time.sleep(10)
            self.survivors = [pid for pid in orphans() if alive(pid) and pid not in ours] + marked_processes()
        finally:
            libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
            reap()
        try:
            self.connections = [self.listener.accept()]
        except BlockingIOError:
            self.connections = []
        return self


def orphans():
    """The processes that became this process's children (it is their subreaper)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append(int(stat.parent.name))
    return found


def alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def marked_processes():
    """The processes whose command line holds the attacks' marker."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if MARKER.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            pass
    return found


def reap():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def sandbox_or_skip():
    problem = bwrap_problem()
    if problem and ON_CI:
        pytest.fail(f"the grading sandbox cannot run on this CI machine: {problem}")
    if problem:
        pytest.skip(f"{problem}, to run the adversarial tests")


@pytest.fixture(scope="module")
def graded():
    """Grade every case in one run of the command (2 workers)."""
    sandbox_or_skip()
    with tempfile.TemporaryDirectory(prefix="adversarial-") as scratch:
        yield Run(Path(scratch), list(CASES)).grade()


@pytest.fixture(scope="module")
def clean(graded):
    """The honest students alone, graded in a run of their own."""
    with tempfile.TemporaryDirectory(prefix="adversarial-clean-") as scratch:
        yield Run(Path(scratch), HONEST).grade()


@pytest.mark.parametrize("student", list(CASES))
def test_each_attack_gets_its_score_and_a_feedback_page_that_says_why(graded, student):
    course = graded.course
    _, expected, explanation = CASES[student]
    score = grades_csv(course)[(student, NAME)]
    text = feedback_text(course, student, NAME)
    assert explanation in text, f"{student}: the feedback does not say {explanation!r}"
    assert score == expected, f"{student} scored {score}, expected {expected}"


def test_the_run_lists_every_incident_in_one_line(graded):
    course, result = graded.course, graded.result
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    for student in ("loop-ignoring-interrupt", "os-exit", "segfault", "huge-output", "invalid-json"):
        mentions = [line for line in lines if line.strip().startswith(f"{student}/{NAME}")]
        assert len(mentions) == 1, f"{student}: {mentions}"
    recorded = state(course)
    assert any("segmentation fault" in line for _, line in recorded[f"segfault/{NAME}"]["incidents"])
    assert any(kind == "timeout" for kind, _ in recorded[f"loop-ignoring-interrupt/{NAME}"]["incidents"])


def test_no_attack_touches_another_grade_or_the_gradebook(graded):
    course = graded.course
    grades = grades_csv(course)
    assert grades[("control-solution", NAME)] == FULL
    assert grades[("control-wrong-sigmoid", NAME)] == FULL - 2
    assert grades[("control-release", NAME)] == 0
    assert set(grades) == {(student, NAME) for student in CASES}
    gradebook = course / "gradebook.db"
    assert gradebook.is_file() and not gradebook.is_symlink()
    with sqlite3.connect(gradebook) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        students = {row[0] for row in db.execute("SELECT id FROM student")}
    assert students == set(CASES)
    assert "overwritten" not in (course / "grades.csv").read_text()


def graded_cells(course, student):
    """What each graded cell of a student's autograded notebook showed."""
    return [
        (cell.metadata["nbgrader"]["grade_id"], output_text(nbformat.v4.new_notebook(cells=[cell])))
        for cell in autograded(course, student, NAME).cells
        if cell.metadata.get("nbgrader", {}).get("grade")
    ]


def test_the_honest_students_are_graded_as_in_a_run_of_their_own(graded, clean):
    for student in HONEST:
        assert grades_csv(graded.course)[(student, NAME)] == grades_csv(clean.course)[(student, NAME)]
        assert graded_cells(graded.course, student) == graded_cells(clean.course, student), student


def test_no_process_of_the_run_is_alive_10_s_after_it_ends(graded):
    assert graded.survivors == [], [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in graded.survivors]


def test_nothing_outside_the_course_and_the_runs_temporary_folder_is_written(graded):
    written = [
        path
        for path in [
            *Path("/tmp").glob(f"{MARKER}*"),
            *ROOT.glob(f"{MARKER}*"),
            *graded.folder.glob(f"{MARKER}*"),
        ]
    ]
    assert written == []
    changed = [
        path
        for path in ROOT.rglob("*")
        if path.is_file()
        and not {".git", "__pycache__", ".pytest_cache", ".ruff_cache", "test-artifacts"} & set(path.parts)
        and path.stat().st_mtime > graded.started
    ]
    assert changed == []


def test_the_network_and_the_graders_environment_are_out_of_reach(graded):
    assert graded.connections == [], "a kernel connected to a port of this machine"
    for student in CASES:
        shown = output_text(autograded(graded.course, student, NAME)) + feedback_text(
            graded.course, student, NAME
        )
        assert SECRET not in shown, f"{student}: the grading command's environment reached the feedback"


def test_feedback_holds_the_page_and_nothing_else(graded):
    kinds = (("feedback", {f"{NAME}.html", *RECEIPTS}), ("autograded", {f"{NAME}.ipynb", *RECEIPTS}))
    for kind, kept in kinds:
        for student in CASES:
            folder = graded.course / kind / student / NAME
            names = {path.name for path in folder.iterdir()}
            assert names <= kept and not any(path.is_symlink() for path in folder.iterdir()), (student, names)


def test_huge_output_is_truncated_in_the_autograded_notebook(graded):
    course = graded.course
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
    course, submitted = graded.course, graded.submitted
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
    course = graded.course
    graded_nb = autograded(course, "control-wrong-sigmoid", NAME)
    (error,) = [o for o in cell_of(graded_nb, "sigmoid_tests").outputs if o.output_type == "error"]
    assert error.ename == "CheckFailed"
    assert len(error.traceback) == 1 and "known mistake" in error.traceback[0]


def test_only_the_submissions_are_in_the_course(graded):
    course = graded.course
    assert not (course / "source" / NAME / "solutions").exists()
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(CASES)
    assert Path(course / "grades.csv").exists()
