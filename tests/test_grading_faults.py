"""A grading run killed with kill -9, interrupted with Ctrl-C, or held up by one notebook: it
stops cleanly (no process and no temporary folder left, the course not locked) and a re-run
grades exactly what is missing, to the grades of a clean run."""

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from conftest import notebook, one_wrong
from grading_course import ROOT, grades_csv, make_course, run_grade, state

NAME = "01_spiral_and_activations"
SLOW = 15  # seconds the slow students' extra cell sleeps: a run stopped early has work in flight


def slow(nb, seconds=SLOW):
    """The notebook with one more (ungraded) cell at the end that takes seconds to run."""
    nb.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"))
    return nb


CLASS = {  # in the order the run takes them: the fast ones finish while the slow ones run
    "alice": lambda: notebook("source", NAME),
    "bob": lambda: notebook("release", NAME),
    "carol": lambda: slow(notebook("source", NAME)),
    "dave": lambda: slow(one_wrong(NAME, "sigmoid")[0]),
}


def write_class(folder, students):
    for student, build in students.items():
        (folder / student / NAME).mkdir(parents=True)
        nbformat.write(build(), folder / student / NAME / f"{NAME}.ipynb")
    return folder


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    return write_class(tmp_path_factory.mktemp("class"), CLASS)


def scores(course):
    """(student, grade id) -> auto score of every graded cell in the course gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "rnn-from-scratch") as gradebook:
        return {
            (submission.student.id, grade.name): grade.auto_score
            for submission in gradebook.assignment_submissions(NAME)
            for notebook in submission.notebooks
            for grade in notebook.grades
        }


@contextlib.contextmanager
def short_folders():
    """TMPDIR and JUPYTER_RUNTIME_DIR of a run, where its temporary files would be left; short, as
    the judge's Unix socket lies below TMPDIR and its path must stay under 108 bytes."""
    top = Path(tempfile.mkdtemp(prefix="faults-", dir="/tmp"))
    try:
        folders = {"TMPDIR": top / "tmp", "JUPYTER_RUNTIME_DIR": top / "runtime"}
        for folder in folders.values():
            folder.mkdir()
        yield {name: str(folder) for name, folder in folders.items()}
    finally:
        shutil.rmtree(top, ignore_errors=True)


@pytest.fixture
def env():
    with short_folders() as folders:
        yield folders


def leftovers(env):
    return [str(path) for folder in env.values() for path in Path(folder).iterdir()]


@pytest.fixture(scope="module")
def clean(submissions, tmp_path_factory):
    """The grades of the class graded in one uninterrupted run."""
    course = make_course(tmp_path_factory.mktemp("clean") / "course", [NAME])
    with short_folders() as env:
        run_grade("grade", submissions, "--course", course, "--workers", 2, env=env)
        assert not leftovers(env)
    assert grades_csv(course) == {("alice", NAME): 8, ("bob", NAME): 0, ("carol", NAME): 8, ("dave", NAME): 6}
    return scores(course)


def interruptible():
    """Ctrl-C at its default in the run, as a terminal starts it, even where this test process
    ignores SIGINT (a child inherits an ignored signal, and Python then keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(submissions, course, env, log):
    """The grading command started as a shell starts a job: in a process group of its own; its
    output goes to log/stdout and log/stderr."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autograder.grading",
            "grade",
            submissions,
            "--course",
            course,
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **env},
        stdout=open(log / "stdout", "w"),
        stderr=open(log / "stderr", "w"),
        start_new_session=True,
        preexec_fn=interruptible,
    )


def recorded(course):
    """The submissions the state file records as graded."""
    try:
        return sorted(where for where, entry in state(course).items() if not entry["error"])
    except (OSError, ValueError):
        return []


def wait_until_recorded(course, process, limit=600):
    """Wait until the run has recorded its first notebook (with the slow ones still running)."""
    deadline = time.monotonic() + limit
    while not recorded(course):
        assert process.poll() is None, "the run ended before recording anything"
        assert time.monotonic() < deadline, "the run recorded nothing in time"
        time.sleep(0.1)


# ---------------------------------------------------------------- processes left behind

PR_SET_CHILD_SUBREAPER = 36


@contextlib.contextmanager
def adopting_orphans():
    """Make this process the parent of every orphan among its descendants, so none can hide."""
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


def children():
    """{pid: command line} of this process's living children (zombies are reaped)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[1]) != os.getpid():
            continue
        if fields[0] == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(int(entry.name), os.WNOHANG)
            continue
        found[int(entry.name)] = command
    return found


def lingering(before, within=10):
    """The processes of the run (adopted by this process) still alive `within` seconds from now."""
    deadline = time.monotonic() + within
    while True:
        left = {pid: command for pid, command in children().items() if pid not in before}
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


# ---------------------------------------------------------------- the faults


def stopped_mid_run(submissions, tmp_path, env, stop):
    """Grade the class and stop(process) once the run has recorded a notebook. Returns the course,
    the process and the seconds it took to end."""
    course = make_course(tmp_path / "course", [NAME])
    with adopting_orphans():
        before = set(children())
        process = start(submissions, course, env, tmp_path)
        wait_until_recorded(course, process)
        stopped = time.monotonic()
        stop(process)
        process.wait(timeout=60)
        seconds = time.monotonic() - stopped
        left = lingering(before)
    assert not left, f"processes of the stopped run still alive 10 s later: {left}"
    assert not leftovers(env), "the stopped run left temporary files"
    return course, process, seconds


def resume(submissions, course, env, clean):
    """Run again (the course is not locked): exactly what was not recorded is graded, to the
    scores of a clean run."""
    done = recorded(course)
    assert 0 < len(done) < len(CLASS), f"not stopped mid-run: {done}"
    again = run_grade("grade", submissions, "--course", course, "--workers", 2, env=env)
    assert f"Graded {len(CLASS) - len(done)} submission(s)" in again.stdout
    assert f"{len(done)} unchanged" in again.stdout
    assert scores(course) == clean
    assert not leftovers(env)


def test_a_run_killed_with_kill_9_leaves_nothing_and_a_rerun_finishes_it(submissions, clean, tmp_path, env):
    course, _, _ = stopped_mid_run(submissions, tmp_path, env, subprocess.Popen.kill)
    resume(submissions, course, env, clean)


def test_ctrl_c_stops_at_once_keeps_what_was_graded_and_says_how_to_resume(submissions, clean, tmp_path, env):
    def ctrl_c(process):
        os.killpg(process.pid, signal.SIGINT)  # what the terminal does

    course, process, seconds = stopped_mid_run(submissions, tmp_path, env, ctrl_c)
    message = (tmp_path / "stderr").read_text()
    assert process.returncode == 130, message
    assert seconds < 10, f"the run took {seconds:.0f} s to stop"
    assert "Interrupted." in message and "Run the same command again" in message
    assert f"{len(recorded(course))} notebook(s) graded in this run are recorded" in message
    assert all(clean[cell] == score for cell, score in scores(course).items())  # what was kept is right
    resume(submissions, course, env, clean)


def test_a_notebook_over_its_time_limit_is_stopped_and_reported(tmp_path, env):
    course = make_course(tmp_path / "course", [NAME])
    folder = write_class(tmp_path / "in", {"erin": lambda: slow(notebook("source", NAME), 3600)})
    with adopting_orphans():
        before = set(children())
        result = run_grade(
            "grade",
            folder,
            "--course",
            course,
            "--timeout",
            7200,
            "--notebook-timeout",
            10,
            check=False,
            env=env,
        )
        left = lingering(before)
    assert result.returncode == 1, result.stderr
    assert (
        "erin/01_spiral_and_activations: NOT GRADED: grading took longer than the limit of 10 s"
        in result.stdout
    )
    assert not left, f"the stopped notebook's processes still alive 10 s later: {left}"
    assert not leftovers(env)
