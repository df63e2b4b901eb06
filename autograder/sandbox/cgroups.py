"""Limits on a kernel's whole process tree: Linux control groups (v1), where the grader may make them.

As root, on a machine whose memory, pids, cpu and cpuacct controllers are mounted as cgroup v1
hierarchies, every kernel gets a group of its own in each (a child of the grader's group, named
rnn-kernel-<grader pid>-<n>): the memory of all its processes together (tmpfs files included),
their number, one core's worth of CPU at a time, and the CPU time they used, which the grader
watches. The launcher moves the kernel into its groups before the sandbox starts, so nothing
the notebook starts escapes them. Elsewhere (an ordinary user, cgroup v2 only) Cgroup.create
returns None and the per-process limits of the sandbox are what holds (see the README).
"""

import os
import signal
import time
from pathlib import Path

CONTROLLERS = ("memory", "pids", "cpu", "cpuacct")
PREFIX = "rnn-kernel-"
PERIOD = 100_000  # microseconds of the CPU bandwidth period


def own_groups():
    """{controller: the folder of this process's group} for the v1 controllers it may write."""
    mounts = {}
    with open("/proc/self/mountinfo") as mountinfo:
        for line in mountinfo:
            left, _, right = line.partition(" - ")
            fields = right.split()
            if len(fields) < 3 or fields[0] != "cgroup":
                continue
            root, mount_point = left.split()[3:5]
            for option in fields[2].split(","):
                if option in CONTROLLERS:
                    mounts[option] = (root, mount_point)
    found = {}
    with open("/proc/self/cgroup") as groups:
        for line in groups:
            _, names, path = line.rstrip("\n").split(":", 2)
            for name in names.split(","):
                if name in mounts:
                    root, mount_point = mounts[name]
                    relative = os.path.relpath(path, root) if path.startswith(root) else None
                    if relative is not None:
                        found[name] = Path(mount_point, relative).resolve()
    return {name: folder for name, folder in found.items() if os.access(folder, os.W_OK)}


def available():
    """The controllers this process can give kernels groups of (all four, or none)."""
    if os.geteuid() != 0:
        return {}
    groups = own_groups()
    return groups if set(groups) == set(CONTROLLERS) else {}


class Cgroup:
    """The groups of one kernel, one per controller."""

    counter = 0

    def __init__(self, folders):
        self.folders = folders  # {controller: folder}

    @classmethod
    def create(cls, memory, processes, cpus=1):
        """Groups limiting a kernel to `memory` bytes, `processes` processes (and threads) and
        `cpus` cores; None where the machine does not allow it."""
        parents = available()
        if not parents:
            return None
        cls.counter += 1
        name = f"{PREFIX}{os.getpid()}-{cls.counter}"
        group = cls({controller: parent / name for controller, parent in parents.items()})
        for folder in group.folders.values():
            folder.mkdir()
        group.write("memory", "memory.limit_in_bytes", memory)
        if (group.folders["memory"] / "memory.memsw.limit_in_bytes").exists():
            group.write("memory", "memory.memsw.limit_in_bytes", memory)  # no swapping either
        group.write("pids", "pids.max", processes)
        group.write("cpu", "cpu.cfs_period_us", PERIOD)
        group.write("cpu", "cpu.cfs_quota_us", int(cpus * PERIOD))
        return group

    def write(self, controller, name, value):
        (self.folders[controller] / name).write_text(str(value))

    def read(self, controller, name):
        try:
            return (self.folders[controller] / name).read_text()
        except OSError:
            return ""

    def cpu_seconds(self):
        """CPU time used by all the kernel's processes so far."""
        return int(self.read("cpuacct", "cpuacct.usage") or 0) / 1e9

    def out_of_memory(self):
        """True when the memory limit made the kernel kill one of its processes."""
        for line in self.read("memory", "memory.oom_control").splitlines():
            if line.startswith("oom_kill "):
                return int(line.split()[1]) > 0
        return int(self.read("memory", "memory.failcnt") or 0) > 0

    def refused_processes(self):
        """How many times a process of the kernel could not start another (the limit was reached)."""
        for line in self.read("pids", "pids.events").splitlines():
            if line.startswith("max "):
                return int(line.split()[1])
        return 0

    def kill(self):
        """Kill every process in the groups (there should be none left once the sandbox is gone)."""
        for _ in range(100):
            pids = {int(pid) for folder in self.folders.values() for pid in read_procs(folder)}
            if not pids:
                return
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.01)

    def remove(self):
        self.kill()
        for folder in self.folders.values():
            for _ in range(100):  # a killed process leaves its group a moment later
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)


def read_procs(folder):
    try:
        return (folder / "cgroup.procs").read_text().split()
    except OSError:
        return []


def remove_stale():
    """Remove the empty groups of kernels whose grading process is gone (a killed run's)."""
    for parent in available().values():
        for folder in parent.glob(f"{PREFIX}*"):
            owner = folder.name.removeprefix(PREFIX).split("-")[0]
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                Cgroup({"": folder}).remove()
