"""Grading fanned out over a Dask distributed cluster: `python -m autograder.grading grade ...
--scheduler tcp://HOST:8786` (pip install -e '.[dask]').

The main process (run.py) does what it does for the local pool: it reads the submissions, holds
the course's lock and alone writes the gradebook, the state file and the notebooks' files. Here
it sends each notebook to the cluster and takes its result back as data:

- a worker plugin (Grading) gives every Dask worker process the course's grading inputs (its
  nbgrader_config.py, the sources and releases of the assignments, a snapshot of the gradebook;
  never the gradebook itself), so a worker needs no course folder of its own, only the course's
  environment at the same commit (the plugin refuses a worker whose grader differs);
- each thread of a Dask worker grades through a grading process of its own, started with
  run.serve: the same Worker, sandbox and judge as a worker of the local pool;
- a task ships one submission's files in, grades it, and ships the autograded notebook and the
  feedback page back; the main process writes them into the course and records the result.

Crash safety: the per-notebook limit kills the notebook's grading process on its Dask worker (and
its kernels with it); a grading process that crashes is replaced and the notebook graded once
more; a Dask worker that dies (kill -9, a lost machine) has its notebooks graded by the others
(Dask gives up on a notebook after `distributed.scheduler.allowed-failures` deaths, 3 by default,
and it is reported NOT GRADED). Ctrl-C, or the end of the run, cancels what is left and removes
the plugin, which kills its grading processes, so a notebook running on the cluster stops too.
After a kill -9 of the main process its notebooks still running are stopped as Dask releases
their tasks; the idle grading processes stay on the workers until the next run on the course
replaces the plugin or the workers stop.
"""

import asyncio
import hashlib
import multiprocessing.connection
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from distributed import WorkerPlugin

from autograder.grading.config import ROOT
from autograder.grading.run import GradingError, failed, remove_when_gone

CODE = ("autograder", "solutions", "course")  # the project's folders of Python code that grades
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
WORKERS_TIMEOUT = 60  # seconds to wait for a first worker to join an empty cluster


class WorkerStartFailed(Exception):
    """A grading process could not start on a Dask worker: the run cannot go on."""


class OtherGrader(Exception):
    """A Dask worker's grader is not the main process's (another commit or nbgrader_config.py)."""


# ---------------------------------------------------------------- files as data


def files_of(folder, skip_hidden=True):
    """{relative path: bytes} of the files under folder (none when it does not exist)."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not (skip_hidden and any(p.startswith(".") for p in path.relative_to(folder).parts))
    }


def write_files(folder, files):
    """Replace folder by the files {relative path: bytes}."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    for relative, data in files.items():
        path = folder / relative
        if not path.resolve().is_relative_to(folder.resolve()):
            raise ValueError(f"a file outside its folder: {relative}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def course_files(course_root, names):
    """What a Dask worker needs of the course to grade the named assignments (no gradebook)."""
    course_root = Path(course_root)
    files = {"nbgrader_config.py": (course_root / "nbgrader_config.py").read_bytes()}
    for name in names:
        for kind in ("source", "release"):
            files.update(
                {f"{kind}/{name}/{p}": data for p, data in files_of(course_root / kind / name).items()}
            )
    return files


# ---------------------------------------------------------------- on a Dask worker


def grader_version():
    """A digest of the code that grades (the project's Python files) and of the packages whose
    numbers it depends on: equal on two machines that grade alike."""
    from importlib.metadata import version

    packages = f"Python {sys.version_info[:2]} numpy {version('numpy')} nbgrader {version('nbgrader')}"
    digest = hashlib.sha256(packages.encode())
    code = [path for folder in CODE for path in sorted((ROOT / folder).rglob("*.py"))]
    for path in code + sorted(ROOT.glob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


SERVE = """
import sys
from multiprocessing.connection import Connection
from autograder.grading.run import serve
channel = Connection(int(sys.argv[1]))
serve(channel, *channel.recv())
"""


@dataclass(eq=False)
class Grader:
    """A grading process of a Dask worker (run.serve in a process of its own) and its pipe."""

    process: subprocess.Popen
    connection: multiprocessing.connection.Connection
    ready: bool = False

    def stop(self):
        self.process.kill()
        self.process.wait()
        self.connection.close()


def start_grader(course, folder, snapshot, settings):
    """A grading process serving jobs over a socket pair: run.serve, as in the local pool.

    Started with subprocess: a Dask worker process may be daemonic, and multiprocessing refuses
    children to daemonic processes. It dies with the thread that starts it (PR_SET_PDEATHSIG): a
    thread of the Dask worker's executors, which live as long as the worker."""
    ours, theirs = socket.socketpair()
    command = [sys.executable, "-c", SERVE, str(theirs.fileno())]
    process = subprocess.Popen(command, pass_fds=[theirs.fileno()])
    theirs.close()
    connection = multiprocessing.connection.Connection(ours.detach())
    connection.send((os.getpid(), str(course), str(folder), str(snapshot), settings))
    return Grader(process, connection)


class Grading(WorkerPlugin):
    """The worker plugin of one course: its grading inputs on the worker, and one grading process
    per thread of the worker, started at once (its start-up overlaps the check of the grader)."""

    def __init__(self, name, files, snapshot, settings):
        self.name, self.files, self.snapshot_data = name, files, snapshot
        self.settings, self.version = settings, grader_version()

    async def setup(self, worker):
        self.graders, self.running, self.cancelled, self.lock = set(), {}, set(), threading.Lock()
        self.closed = False
        self.idle = queue.SimpleQueue()
        await asyncio.get_running_loop().run_in_executor(None, self.prepare, worker.state.nthreads)

    def prepare(self, threads):
        """Write the course's files into a scratch folder, start the grading processes, and check
        that this worker grades as the main process would."""
        self.folder = Path(tempfile.mkdtemp(prefix="rnn-dask-"))
        self.janitor = remove_when_gone(self.folder)  # removed even if this worker is killed
        self.course, self.snapshot = self.folder / "course", self.folder / "snapshot.db"
        write_files(self.course, self.files)
        self.snapshot.write_bytes(self.snapshot_data)
        for _ in range(threads):
            self.idle.put(self.start())
        if grader_version() != self.version:
            raise OtherGrader(
                f"the Dask worker on {socket.gethostname()} has another version of the grader than the "
                "main process: install the same commit of the course and the same packages there"
            )

    def start(self):
        with self.lock:
            if self.closed:
                raise WorkerStartFailed("the grading run is over on this worker")
            grader = start_grader(self.course, self.folder, self.snapshot, self.settings)
            self.graders.add(grader)
        return grader

    def stop(self, grader):
        with self.lock:
            self.graders.discard(grader)
        grader.stop()

    def replace(self, grader):
        self.stop(grader)
        return self.start()

    def teardown(self, worker):
        with self.lock:
            self.closed = True  # no grading process starts any more
            graders, self.graders = list(self.graders), set()
        for grader in graders:
            grader.stop()
        self.janitor.stdin.close()
        self.janitor.wait()

    def transition(self, key, start, finish, **kwargs):
        """A notebook's task cancelled while it runs (Ctrl-C, the main process gone): stop it."""
        if start == "executing" and finish in ("cancelled", "released", "forgotten"):
            with self.lock:
                grader = self.running.get(key)
                self.cancelled.add(key)
            if grader is not None:
                grader.process.kill()

    def grade(self, key, job, files):
        """The result of one job and the files it wrote (autograded/, feedback/) as data."""
        inbox = self.course / "submitted" / job.student / job.assignment
        write_files(inbox, files["submitted"])
        notebook = self.folder / f"notebook-{threading.get_ident()}.ipynb"
        notebook.write_bytes(files["notebook"])
        job = replace(job, notebook=str(notebook))
        grader = self.idle.get()
        try:
            for _ in range(2):
                result = self.run(key, grader, job)
                if result is not None:
                    break
                if key in self.cancelled or self.closed:
                    result = failed(job, "stopped: the run was cancelled")
                    break
                grader = self.replace(grader)  # the grading process died (not a kernel: the grader itself)
            else:
                result = failed(job, "the grading process crashed twice on this notebook")
        finally:
            if grader.process.poll() is not None and not self.closed:
                grader = self.replace(grader)
            self.idle.put(grader)
        outputs = {}
        for kind in ("autograded", "feedback"):
            folder = self.course / kind / job.student / job.assignment
            outputs[kind] = files_of(folder, skip_hidden=False)
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(inbox, ignore_errors=True)
        return result, outputs

    def run(self, key, grader, job):
        """Grade job within the notebook limit; None when the grading process died meanwhile."""
        try:
            if not grader.ready:
                kind, value = grader.connection.recv()
                if kind != "ready":
                    where = socket.gethostname()
                    raise WorkerStartFailed(f"a grading process on {where} could not start: {value}")
                grader.ready = True
            with self.lock:
                self.running[key] = grader
            grader.connection.send(job)
            deadline = time.monotonic() + self.settings.notebook_timeout
            while time.monotonic() < deadline:
                if grader.connection.poll(1):
                    return grader.connection.recv()[1]
        except (EOFError, OSError):
            return None
        finally:
            with self.lock:
                self.running.pop(key, None)
        self.stop(grader)
        limit = f"{self.settings.notebook_timeout} s per notebook (--notebook-timeout)"
        return failed(job, f"grading took longer than the limit of {limit}")


def grade_there(plugin, job, files):
    """The task: grade job on this Dask worker with the plugin of its course."""
    from distributed import get_worker

    worker = get_worker()
    return worker.plugins[plugin].grade(worker.get_current_task(), job, files)


# ---------------------------------------------------------------- in the main process


def plugin_name(course_root):
    """One plugin per course and grading machine: a new run on the course replaces a stale one."""
    where = f"{socket.gethostname()}:{Path(course_root).resolve()}"
    return "rnn-grading-" + hashlib.sha256(where.encode()).hexdigest()[:12]


def submission_files(job, course_root):
    folder = Path(course_root) / "submitted" / job.student / job.assignment
    return {"submitted": files_of(folder), "notebook": Path(job.notebook).read_bytes()}


def connect(address):
    from distributed import Client

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise GradingError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        client.close()
        raise GradingError(
            f"no Dask worker joined the scheduler at {address} in {WORKERS_TIMEOUT} s"
        ) from None
    return client


def run_jobs(jobs, initargs, settings, on_result, quiet):
    """Grade jobs on the Dask cluster at settings.scheduler; call on_result(result) here, in this
    process, as each finishes (run.run_jobs's contract: the local pool's counterpart)."""
    if not jobs:
        return
    from distributed import as_completed
    from tqdm import tqdm

    course_root, _, snapshot, _ = initargs
    names = sorted({job.assignment for job in jobs})
    name = plugin_name(course_root)
    plugin = Grading(name, course_files(course_root, names), Path(snapshot).read_bytes(), settings)
    client = connect(settings.scheduler)
    futures, progress = {}, None
    try:
        try:
            client.register_plugin(plugin, name=name)
        except OtherGrader as error:
            raise GradingError(str(error)) from None
        settings.workers = sum(client.nthreads().values())  # for the summary
        progress = tqdm(total=len(jobs), unit="notebook", desc="grading", disable=quiet, file=sys.stderr)
        run = uuid.uuid4().hex[:8]
        for job in jobs:
            key = f"grade-{job.assignment}-{job.student}-{run}"
            files = submission_files(job, course_root)
            futures[client.submit(grade_there, name, job, files, key=key, pure=False)] = job
        for future in as_completed(futures, loop=client.loop):
            job = futures.pop(future)
            result = collect(future, job, course_root)
            on_result(result)
            progress.update(1)
    finally:
        client.cancel(list(futures))
        try:
            client.unregister_worker_plugin(name)  # its teardown stops the grading processes
        except Exception:  # a cluster gone meanwhile: nothing is left to stop there
            pass
        client.close()
        if progress is not None:
            progress.close()


def collect(future, job, course_root):
    """A finished task's result, its files written into the course (as a local worker does)."""
    from distributed.scheduler import KilledWorker

    try:
        result, outputs = future.result()
    except WorkerStartFailed as error:
        raise GradingError(str(error)) from None
    except KilledWorker:
        return failed(job, "the Dask workers grading this notebook died each time (see their logs)")
    except Exception as error:  # a failure of the grading itself, not of the notebook
        return failed(job, f"{type(error).__name__}: {error}")
    for kind, files in outputs.items():
        if files:
            write_files(Path(course_root) / kind / job.student / job.assignment, files)
    return result
