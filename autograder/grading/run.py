"""The main process of a grading run: intake, jobs, the pool of workers, the gradebook, the lock."""

import concurrent.futures
import fcntl
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from autograder.grading import intake
from autograder.grading.config import DEFAULT_COURSE, Settings, course_assignments, ensure_generated
from autograder.grading.gradebook import export_csv, merge
from autograder.grading.report import Summary
from autograder.grading.state import grader_fingerprint, load_state, save_state, submission_key, up_to_date
from autograder.grading.worker import Job, worker_grade, worker_init
from autograder.sandbox import launcher as sandbox

NO_LANDLOCK = (
    "Warning: this Linux kernel has no Landlock (5.13 or later needed), so the grading kernels run with\n"
    "their memory, CPU and file-size limits but without the file-system confinement: student code could\n"
    "read and write the files of the user who grades."
)


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


def pool_context():
    """fork where it is safe (workers inherit the imported nbgrader: no start-up cost), else spawn."""
    single_threaded = threading.active_count() == 1
    fork = "fork" in multiprocessing.get_all_start_methods() and single_threaded
    return multiprocessing.get_context("fork" if fork else "spawn")


def run_jobs(jobs, course_root, base, snapshot, settings, on_result, quiet):
    """Grade jobs in worker processes; call on_result(result) here, in one process, as each finishes."""
    from tqdm import tqdm

    pending, progress = list(jobs), None
    for _attempt in range(3):
        if not pending:
            break
        workers = min(settings.workers, len(pending))
        with concurrent.futures.ProcessPoolExecutor(
            workers,
            mp_context=pool_context(),
            initializer=worker_init,
            initargs=(course_root, base, snapshot, settings),
        ) as pool:
            futures = {pool.submit(worker_grade, job): job for job in pending}
            if progress is None:  # after the workers started: no thread of this process is forked
                progress = tqdm(
                    total=len(jobs), unit="notebook", desc="grading", disable=quiet, file=sys.stderr
                )
            done = set()
            try:
                for future in concurrent.futures.as_completed(futures):
                    result = future.result()
                    done.add(id(futures[future]))
                    on_result(result)
                    progress.update(1)
            except concurrent.futures.process.BrokenProcessPool:
                pass  # a worker died (not a kernel: the grading process itself); retry what is left
        pending = [job for job in pending if id(job) not in done]
    for job in pending:
        error = "the grading process crashed three times on this batch"
        on_result({"student": job.student, "assignment": job.assignment, "key": job.key, "error": error})
        progress.update(1)
    if progress is not None:
        progress.close()


def grade(
    path, course_root=DEFAULT_COURSE, assignment=None, settings=None, force=False, csv=None, quiet=False
):
    """Grade the submissions at path into the course at course_root; return the summary's results."""
    from nbgrader.api import Gradebook

    settings = settings or Settings()
    settings.workers = settings.workers or os.cpu_count() or 1
    course_root = Path(course_root).resolve()
    started = time.monotonic()
    lock = None
    base = Path(tempfile.mkdtemp(prefix="rnn-grading-"))
    if not quiet and not sandbox.landlock_abi():
        print(NO_LANDLOCK, file=sys.stderr)
    try:
        known = course_assignments(course_root)
        submissions = intake.read_submissions(path, known, assignment, workdir=base / "input")
        lock = grading_lock(course_root)  # from here on, this run writes into the course
        names = sorted({s.assignment for s in submissions})
        api = ensure_generated(course_root, names)
        fingerprints = {name: grader_fingerprint(course_root, name, settings) for name in names}
        state = load_state(course_root)
        jobs, results = [], {}
        (base / "stand-ins").mkdir()
        for submission in submissions:
            intake.copy_submission(submission, course_root)
            where = f"{submission.student}/{submission.assignment}"
            key = submission_key(submission, fingerprints[submission.assignment])
            if not force and up_to_date(course_root, state.get(where), submission, key, settings):
                results[where] = {**state[where], "skipped": True}
                continue
            notebook, notes = submission.notebook, []
            if submission.problem:
                release = course_root / "release" / submission.assignment / f"{submission.assignment}.ipynb"
                notebook = stand_in(submission, release, base / "stand-ins")
                notes.append(
                    (
                        f"not graded as submitted: {submission.problem}",
                        f"The submission could not be graded: {submission.problem}.",
                    )
                )
            jobs.append(
                Job(
                    submission.student, submission.assignment, str(notebook), submission.timestamp, notes, key
                )
            )
        snapshot = base / "snapshot.db"
        shutil.copy(Path(api.coursedir.db_url.removeprefix("sqlite:///")), snapshot)

        def on_result(result):
            where = f"{result['student']}/{result['assignment']}"
            if not result["error"]:
                try:
                    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                        merge(gradebook, result)
                except Exception as error:  # e.g. the assignment changed in the gradebook meanwhile
                    result["error"] = f"could not record the grades: {type(error).__name__}: {error}"
            results[where] = state[where] = result
            save_state(course_root, state)

        run_jobs(jobs, str(course_root), str(base), str(snapshot), settings, on_result, quiet)
        csv_path = Path(csv) if csv else course_root / "grades.csv"
        export_csv(api, csv_path)
        summary = Summary(results, names, settings, time.monotonic() - started, len(jobs), csv_path)
        if not quiet:
            print(summary.text())
        return summary
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if lock is not None:
            lock.close()


def grading_lock(course_root):
    """Hold <course>/autograded/.grading.lock for the run: two runs on one course would race."""
    path = Path(course_root) / "autograded" / ".grading.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise intake.IntakeError(
            f"another grading run is using {course_root}; wait for it to finish"
        ) from None
    return handle
