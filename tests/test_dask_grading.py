"""Grading on a Dask cluster (`--scheduler`): a scheduler and two worker processes on loopback,
started as an instructor starts them (`dask scheduler`, `dask worker`). The class gets the grades
of the local pool, also when a worker process is killed with kill -9 mid-run; Ctrl-C and the
notebook time limit stop the notebooks running on the cluster; nothing is left behind."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import notebook, optional_import
from grading_course import ROOT, make_course, run_grade
from test_grading_faults import (
    CLASS,
    NAME,
    interruptible,
    recorded,
    scores,
    slow,
    wait_until_recorded,
    write_class,
)

distributed = optional_import("distributed", "install the dask extra: .venv/bin/pip install -e '.[dask]'")

DASK = Path(sys.executable).parent / "dask"


class Cluster:
    """`dask scheduler` and `dask worker --nworkers 2 --nthreads 1` on 127.0.0.1, and a client to
    look at them. Their temporary folders are in a short folder of their own (tmp)."""

    def __init__(self, folder):
        self.tmp = Path(tempfile.mkdtemp(prefix="dask-", dir="/tmp"))  # the judge's socket path stays short
        env = {**os.environ, "TMPDIR": str(self.tmp), "PYTHONWARNINGS": "ignore"}
        file = folder / "scheduler.json"
        log = open(folder / "cluster.log", "w")
        common = dict(env=env, stdout=log, stderr=log, start_new_session=True)
        scheduler = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
        self.scheduler = subprocess.Popen([*scheduler, "--scheduler-file", file], **common)
        workers = [DASK, "worker", "--scheduler-file", file, "--nworkers", "2", "--nthreads", "1"]
        self.workers = subprocess.Popen([*workers, "--no-dashboard", "--local-directory", self.tmp], **common)
        deadline = time.monotonic() + 120
        while not file.exists():
            assert time.monotonic() < deadline, (folder / "cluster.log").read_text()
            time.sleep(0.2)
        self.client = distributed.Client(scheduler_file=str(file), timeout=60)
        self.client.wait_for_workers(2, timeout=120)
        self.address = self.client.scheduler.address

    def executing(self):
        """{worker address: the keys of the tasks it is running}."""
        return self.client.run(
            lambda dask_worker: [str(k) for k, t in dask_worker.state.tasks.items() if t.state == "executing"]
        )

    def idle_within(self, seconds):
        deadline = time.monotonic() + seconds
        while any(self.executing().values()):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.5)
        return True

    def leftovers(self):
        """The plugin's scratch folders still on the workers' disk."""
        return sorted(str(p) for p in self.tmp.glob("rnn-dask-*"))

    def close(self):
        self.client.close()
        for process in (self.workers, self.scheduler):
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    return write_class(tmp_path_factory.mktemp("class"), CLASS)


@pytest.fixture(scope="module")
def local(submissions, tmp_path_factory):
    """The grades of the local pool of the same size (two workers)."""
    course = make_course(tmp_path_factory.mktemp("local") / "course", [NAME])
    run_grade("grade", submissions, "--course", course, "--workers", 2)
    return scores(course)


def start(submissions, course, address, *options):
    """The grading command on the cluster, started as a shell starts a job."""
    log = course.parent
    return subprocess.Popen(
        [sys.executable, "-m", "autograder.grading", "grade", submissions, "--course", course]
        + ["--scheduler", address, *map(str, options)],
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        stdout=open(log / "stdout", "w"),
        stderr=open(log / "stderr", "w"),
        start_new_session=True,
        preexec_fn=interruptible,
    )


def running_slow_notebook(cluster, process):
    """(worker address, pid) of a worker process running a slow student's notebook, once it has
    run for a few seconds (so that its kernel is up)."""
    deadline = time.monotonic() + 600
    while True:
        assert process.poll() is None, "the run ended early"
        assert time.monotonic() < deadline, "no slow notebook ran on the cluster in time"
        for address, keys in cluster.executing().items():
            if any("carol" in key or "dave" in key for key in keys):
                time.sleep(3)
                return address, cluster.client.run(os.getpid, workers=[address])[address]
        time.sleep(0.5)


def descendants(pid):
    """The pids of the processes below pid (its grading processes, their kernels)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive_within(pids, seconds):
    deadline = time.monotonic() + seconds
    while True:
        alive = {pid for pid in pids if Path(f"/proc/{pid}").exists() and not zombie(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def zombie(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def test_a_worker_killed_mid_run_loses_nothing_and_the_grades_are_the_local_pools(
    cluster, submissions, local, tmp_path
):
    course = make_course(tmp_path / "course", [NAME])
    process = start(submissions, course, cluster.address)
    wait_until_recorded(course, process)
    address, pid = running_slow_notebook(cluster, process)
    below = descendants(pid)
    assert below, "the worker process has no grading process"
    os.kill(pid, signal.SIGKILL)
    assert process.wait(timeout=600) == 0, (course.parent / "stderr").read_text()
    output = (course.parent / "stdout").read_text()
    assert f"Graded {len(CLASS)} submission(s)" in output
    assert len(recorded(course)) == len(CLASS)
    assert scores(course) == local
    for student in CLASS:  # the autograded notebook and the feedback page came back from the cluster
        assert (course / "feedback" / student / NAME / f"{NAME}.html").is_file()
        assert (course / "autograded" / student / NAME / f"{NAME}.ipynb").is_file()
    assert not alive_within(below, 10), "the killed worker's grading processes or kernels are alive"
    assert cluster.idle_within(10) and not cluster.leftovers()


def test_ctrl_c_stops_the_notebooks_on_the_cluster_and_a_rerun_finishes(
    cluster, submissions, local, tmp_path
):
    course = make_course(tmp_path / "course", [NAME])
    process = start(submissions, course, cluster.address)
    wait_until_recorded(course, process)
    running_slow_notebook(cluster, process)
    pressed = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) == 130
    assert time.monotonic() - pressed < 10
    assert "Run the same command again" in (course.parent / "stderr").read_text()
    assert cluster.idle_within(5), "a notebook of the interrupted run still runs on the cluster"
    done = recorded(course)
    assert 0 < len(done) < len(CLASS)

    again = run_grade("grade", submissions, "--course", course, "--scheduler", cluster.address)
    assert f"Graded {len(CLASS) - len(done)} submission(s)" in again.stdout
    assert scores(course) == local
    assert not cluster.leftovers()


def test_a_notebook_over_its_time_limit_is_stopped_on_the_cluster(cluster, tmp_path):
    course = make_course(tmp_path / "course", [NAME])
    folder = write_class(tmp_path / "in", {"erin": lambda: slow(notebook("source", NAME), 3600)})
    result = run_grade(
        "grade", folder, "--course", course, "--scheduler", cluster.address,
        "--timeout", 7200, "--notebook-timeout", 10, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"erin/{NAME}: NOT GRADED: grading took longer than the limit of 10 s" in result.stdout
    assert cluster.idle_within(5)
    assert not cluster.leftovers()
