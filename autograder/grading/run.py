"""The main process of a grading run: intake, jobs, the worker processes, the gradebook, the lock.

Crash safety, however the run ends:

- the lock on the course is a POSIX record lock of this process alone (a forked worker does not
  inherit it), so it goes with its owner: after `kill -9` the next run is not refused;
- every worker process asks Linux to kill it when this process dies (PR_SET_PDEATHSIG), and its
  kernels die with it (the sandbox);
- a small janitor process removes the run's temporary folder once this process is gone;
- a notebook counts as graded only once its grades are in the gradebook and its state entry is
  written (after them); a re-run grades exactly what is missing;
- Ctrl-C (or SIGTERM) kills the workers at once and raises Interrupted, saying what was recorded.
"""

import contextlib
import ctypes
import fcntl
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

import nbformat

from autograder.grading import intake
from autograder.grading.config import DEFAULT_COURSE, Settings, course_assignments, ensure_generated
from autograder.grading.gradebook import export_csv, merge
from autograder.grading.gradebook import snapshot as gradebook_snapshot
from autograder.grading.report import Summary
from autograder.grading.state import grader_fingerprint, load_state, save_state, submission_key, up_to_date
from autograder.grading.worker import Job, worker_grade, worker_init
from autograder.sandbox.cgroups import remove_stale as remove_stale_cgroups
from autograder.sandbox.kernels import bwrap_problem

UNSANDBOXED = (
    "Warning: {problem}.\nThe notebooks are graded WITHOUT a sandbox: their code runs as you, with\n"
    "per-process limits only. Do this for your own notebooks, never for a class."
)


class GradingError(Exception):
    """The run cannot go on (the course is in use, a worker cannot start); the message says why."""


class Interrupted(Exception):
    """Ctrl-C or SIGTERM: the workers are stopped; every notebook graded before is recorded."""

    def __init__(self, recorded, left):
        done = f"{recorded} notebook(s) graded in this run are recorded in the gradebook"
        super().__init__(f"{done}; {left} are not graded yet")


def stand_in(submission, release, folder):
    """The notebook graded in place of one that cannot be read: the release, with a note on top."""
    notebook = nbformat.read(release, as_version=4)
    note = nbformat.v4.new_markdown_cell(
        f"**This submission could not be graded: {submission.problem}.** "
        "What follows is the released notebook, graded as it is (zero points)."
    )
    note.id = "unreadable-submission"
    notebook.cells.insert(0, note)
    path = Path(folder) / f"{submission.student}--{submission.assignment}.ipynb"
    nbformat.write(notebook, path)
    return path


# ---------------------------------------------------------------- the worker processes


def pool_context():
    """fork where it is safe (workers inherit the imported nbgrader: no start-up cost), else spawn."""
    single_threaded = threading.active_count() == 1
    fork = "fork" in multiprocessing.get_all_start_methods() and single_threaded
    return multiprocessing.get_context("fork" if fork else "spawn")


PR_SET_PDEATHSIG = 1


def die_with(parent):
    """Have Linux kill this process when parent dies (even by kill -9); exit if it is gone already."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def serve(connection, parent, course_root, base, snapshot, settings):
    """A worker process: grade the jobs the main process sends, one at a time, until it hangs up."""
    die_with(parent)
    os.setpgid(0, 0)  # a Ctrl-C at the terminal reaches the main process alone, which decides
    for variable, name in (("TMPDIR", "tmp"), ("JUPYTER_RUNTIME_DIR", "runtime")):
        os.environ[variable] = str(Path(base) / name)  # removed with the run's folder
        os.makedirs(os.environ[variable], exist_ok=True)
    tempfile.tempdir = None
    try:
        worker_init(course_root, base, snapshot, settings)
    except Exception as error:
        connection.send(("failed", f"{type(error).__name__}: {error}"))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        connection.send(("done", worker_grade(job)))


@dataclass(eq=False)
class Slot:
    """One worker process, and the job it is grading (None when idle) since when."""

    process: multiprocessing.Process
    connection: object
    ready: bool = False
    job: Job | None = None
    started: float = 0.0


def failed(job, error):
    return {"student": job.student, "assignment": job.assignment, "key": job.key, "error": error}


def run_jobs(jobs, initargs, settings, on_result, quiet):
    """Grade jobs in worker processes; call on_result(result) here, in one process, as each finishes.

    A worker that dies (the grading process itself, not a kernel) is replaced and its notebook
    graded once more; one that grades a notebook longer than settings.notebook_timeout is killed.
    On Ctrl-C (KeyboardInterrupt) every worker is killed before the exception goes on.
    """
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: a replacement worker is forked from one thread
    context, queue, crashes, slots = pool_context(), deque(jobs), Counter(), {}
    progress = tqdm(
        total=len(jobs), unit="notebook", desc="grading", disable=quiet or not jobs, file=sys.stderr
    )

    def record(result):
        on_result(result)
        progress.update(1)

    def retire(slot):
        slot.process.kill()
        slot.process.join()
        slot.connection.close()
        del slots[slot.connection]

    try:
        while queue or any(slot.job for slot in slots.values()):
            busy = sum(1 for slot in slots.values() if slot.job)
            for _ in range(min(settings.workers, len(queue) + busy) - len(slots)):
                ours, theirs = context.Pipe()
                process = context.Process(target=serve, args=(theirs, os.getpid(), *initargs), daemon=True)
                process.start()
                theirs.close()
                slots[ours] = Slot(process, ours)
            for slot in slots.values():
                if slot.ready and slot.job is None and queue:
                    slot.job, slot.started = queue.popleft(), time.monotonic()
                    slot.connection.send(slot.job)
            for connection in wait(list(slots), timeout=1):
                slot = slots[connection]
                try:
                    kind, value = connection.recv()
                except (EOFError, OSError):  # the worker process died (not a kernel: the grader itself)
                    job = slot.job
                    retire(slot)
                    if job is None:
                        raise GradingError("a grading worker died while starting") from None
                    crashes[id(job)] += 1
                    if crashes[id(job)] < 2:
                        queue.appendleft(job)
                    else:
                        record(failed(job, "the grading process crashed twice on this notebook"))
                    continue
                if kind == "failed":
                    raise GradingError(f"a grading worker could not start: {value}")
                slot.ready, slot.job = True, None
                if kind == "done":
                    record(value)
            for slot in list(slots.values()):
                if slot.job and time.monotonic() - slot.started > settings.notebook_timeout:
                    job = slot.job
                    retire(slot)
                    limit = f"{settings.notebook_timeout} s per notebook (--notebook-timeout)"
                    record(failed(job, f"grading took longer than the limit of {limit}"))
    except KeyboardInterrupt:
        for slot in slots.values():  # results sent already are recorded, not graded again
            if slot.job and slot.connection.poll():
                with contextlib.suppress(EOFError, OSError):
                    kind, value = slot.connection.recv()
                    if kind == "done":
                        on_result(value)
        raise
    finally:
        for slot in list(slots.values()):
            retire(slot)
        progress.close()


def executor(settings):
    """What grades the jobs: the local pool, or the Dask cluster at settings.scheduler (dask.py)."""
    if settings.scheduler:
        from autograder.grading import dask

        return dask.run_jobs
    return run_jobs


# ---------------------------------------------------------------- the run


def grade(
    path,
    course_root=DEFAULT_COURSE,
    assignment=None,
    settings=None,
    force=False,
    csv=None,
    quiet=False,
    skip_unknown=False,
):
    """Grade the submissions at path into the course at course_root; return the summary's results."""
    from nbgrader.api import Gradebook

    settings = settings or Settings()
    settings.workers = settings.workers or os.cpu_count() or 1
    problem = bwrap_problem()
    if problem and settings.sandbox:
        raise intake.IntakeError(f"{problem}, or grade without a sandbox: --unsandboxed")
    if problem and not quiet:
        print(UNSANDBOXED.format(problem=problem), file=sys.stderr)
    course_root = Path(course_root).resolve()
    started = time.monotonic()
    lock, jobs, done = None, [], []
    base = Path(tempfile.mkdtemp(prefix="rnn-grading-"))
    janitor = remove_when_gone(base)
    main_thread = threading.current_thread() is threading.main_thread()
    terminate = signal.signal(signal.SIGTERM, stop) if main_thread else None
    try:
        known = course_assignments(course_root)
        submissions = intake.read_submissions(path, known, assignment, base / "input", skip_unknown)
        lock = grading_lock(course_root)  # from here on, this run writes into the course
        names = sorted({s.assignment for s in submissions})
        api = ensure_generated(course_root, names)
        fingerprints = {name: grader_fingerprint(course_root, name, settings) for name in names}
        state = load_state(course_root)
        results = {}
        (base / "stand-ins").mkdir()
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
            for submission in submissions:
                intake.copy_submission(submission, course_root)
                if submission.lms_id:
                    gradebook.update_or_create_student(submission.student, lms_user_id=submission.lms_id)
                where = f"{submission.student}/{submission.assignment}"
                key = submission_key(submission, fingerprints[submission.assignment])
                if not force and up_to_date(course_root, gradebook, state.get(where), key, settings):
                    results[where] = {**state[where], "skipped": True}
                    continue
                state.pop(where, None)  # until its grades are in the gradebook again
                jobs.append(job_of(submission, key, course_root, base / "stand-ins"))
        save_state(course_root, state)
        snapshot = base / "snapshot.db"
        gradebook_snapshot(api.coursedir.db_url, snapshot)

        def on_result(result):
            where = f"{result['student']}/{result['assignment']}"
            with signals_held():  # recorded whole or not at all
                if not result["error"]:
                    try:
                        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                            merge(gradebook, result)
                    except Exception as error:  # e.g. the assignment changed in the gradebook meanwhile
                        result["error"] = f"could not record the grades: {type(error).__name__}: {error}"
                results[where] = state[where] = result
                save_state(course_root, state)  # after the gradebook: an entry means "recorded"
                done.append(result)

        initargs = (str(course_root), str(base), str(snapshot), settings)
        executor(settings)(jobs, initargs, settings, on_result, quiet)
        csv_path = Path(csv) if csv else course_root / "grades.csv"
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
            export_csv(gradebook, csv_path)
        summary = Summary(results, names, settings, time.monotonic() - started, len(jobs), csv_path)
        if not quiet:
            print(summary.text())
        return summary
    except KeyboardInterrupt:
        recorded = sum(1 for result in done if not result["error"])
        raise Interrupted(recorded, len(jobs) - len(done)) from None
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, terminate)
        shutil.rmtree(base, ignore_errors=True)
        remove_stale_cgroups()  # of the kernels of workers that were killed
        if lock is not None:
            lock.close()
        janitor.stdin.close()
        janitor.wait()


def job_of(submission, key, course_root, stand_ins):
    """The Job that grades a submission (the release with a note when it cannot be read)."""
    notebook, notes = submission.notebook, []
    if submission.problem:
        release = course_root / "release" / submission.assignment / f"{submission.assignment}.ipynb"
        notebook = stand_in(submission, release, stand_ins)
        notes.append(
            (
                f"not graded as submitted: {submission.problem}",
                f"The submission could not be graded: {submission.problem}.",
            )
        )
    return Job(submission.student, submission.assignment, str(notebook), submission.timestamp, notes, key)


def stop(signum, frame):
    """SIGTERM stops a run as Ctrl-C does."""
    raise KeyboardInterrupt


@contextlib.contextmanager
def signals_held():
    """Ctrl-C and SIGTERM wait until the block is done (they take effect as it ends)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def grading_lock(course_root):
    """Hold <course>/autograded/.grading.lock for the run: two runs on one course would race.

    A POSIX record lock (lockf) belongs to this process alone: forked workers do not inherit it,
    and the system releases it when this process ends, however it ends. The file names the owner.
    """
    path = Path(course_root) / "autograded" / ".grading.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise GradingError(
            f"another grading run (process {owner}) is using {course_root}; wait for it to finish"
        ) from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


JANITOR = """
import shutil, sys, time
sys.stdin.buffer.read()  # returns when every holder of the pipe is gone, however it ended
for _ in range(100):
    shutil.rmtree(sys.argv[1], ignore_errors=True)
    if not __import__("os").path.exists(sys.argv[1]):
        break
    time.sleep(0.1)
"""


def remove_when_gone(folder):
    """A small process that removes folder once this process (and its workers) are gone, even
    after kill -9. Closing its stdin lets it go at once."""
    command = [sys.executable, "-I", "-S", "-c", JANITOR, str(folder)]
    return subprocess.Popen(command, stdin=subprocess.PIPE, start_new_session=True)
