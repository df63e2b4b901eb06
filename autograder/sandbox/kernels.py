"""The graded kernels: each in a sandbox of its own (bubblewrap), started before it is needed.

A graded kernel sees only this (bubblewrap builds it; the launcher, launcher.py, starts it):

    /usr, the Python installation    read-only: the interpreter and its packages (the course's
                                     own packages masked, should they be installed there)
    /opt/grading/lib                 read-only: the kernel side of autograder (autograder/kernel),
                                     mywork, and a `solutions` that refuses to import
    /opt/grading/fonts               read-only: matplotlib's font list, built once
    /run/grading/judge.sock          the judge (judge.py): the kernel's only way out
    /run/grading/ipc/                the kernel's sockets (jupyter_client's ipc transport); the
                                     kernel may write there only until it is ready
    /run/grading/inbox/              read-only: the notebook's files, copied into the working
                                     folder before the first cell (boot.receive)
    /home/student, /tmp              the working folder and /tmp: memory file systems of a fixed
                                     size (what the notebook may write), thrown away with it
    /proc, /dev                      its own: it sees and can signal only its own processes

It has no network (a network namespace of its own, without even a way to the grader's
loopback), its own PID, IPC, UTS, user and cgroup namespaces, no capabilities, no way to make
new namespaces, no terminal (a new session), an environment of a few named variables, and it
dies with the grading process. Its limits: see cgroups.py (whole process tree, as root) and
boot.py (each process). The grader reads nothing the kernel wrote: the executed notebook comes
back over the kernel's channel, and the kernel's folders are deleted unread.

Without bubblewrap (`sandbox=False`, the self-check on such a machine) the kernel runs as the
grader's user, in a private folder, with the per-process limits only.
"""

import json
import os
import shutil
import signal
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec
from jupyter_core.utils import run_sync

from autograder.kernel.boot import FONTS_ENV, INBOX_ENV, LIMITS_ENV
from autograder.kernel.check import JUDGE_ENV
from autograder.kernel.wire import short_path
from autograder.sandbox import launcher
from autograder.sandbox.cgroups import Cgroup, remove_stale
from autograder.sandbox.files import copy_files, nofollow
from autograder.sandbox.judge import new_token
from autograder.sandbox.references import ONE_THREAD

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]
LIB, FONTS, RUN, HOME = "/opt/grading/lib", "/opt/grading/fonts", "/run/grading", "/home/student"
NOBODY = 65534  # owns a kernel's ipc folder once the kernel is ready, when the grader is root
ETC = ("ld.so.cache", "ld.so.conf", "localtime", "nsswitch.conf", "passwd", "group")
INSTALL_BWRAP = (
    "bubblewrap (bwrap), the sandbox of graded kernels, is not installed. Install it (Debian, "
    "Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap)"
)


RUNTIME = None  # the Runtime of this grading process (set by the worker)


class SandboxMissing(RuntimeError):
    """The machine cannot run graded kernels in a sandbox; the message says what to install."""


@dataclass
class Limits:
    """What one graded kernel may use (GradingExecute's traits). Sizes in MB, time in seconds."""

    memory: int  # all its processes together (cgroup); each process's address space
    cpu: int  # CPU seconds, all its processes together (cgroup); each process
    processes: int  # processes and threads together
    disk: int  # its working folder, and /tmp, each
    file_size: int = 64  # any one file (and the kernel's log)


def bwrap_problem():
    """Why bubblewrap cannot sandbox a kernel here, or '' when it can."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return INSTALL_BWRAP
    trial = [bwrap, "--unshare-all", "--unshare-user", "--ro-bind", "/", "/", "--", "true"]
    done = subprocess.run(trial, capture_output=True, text=True)
    if done.returncode != 0:
        return f"bubblewrap cannot make a sandbox on this machine: {done.stderr.strip()[:300]}"
    return ""


class Runtime:
    """What a grading process shares with the notebooks it runs: the judge, the kernel side of
    autograder, the font list, and the pool of warm kernels (one set of limits per process)."""

    def __init__(self, folder, judge, sandbox=True, warm=1):
        self.folder, self.judge, self.sandboxed, self.warm = Path(folder), judge, sandbox, warm
        if sandbox:
            problem = bwrap_problem()
            if problem:
                raise SandboxMissing(problem)
            remove_stale()
        self.lib = build_kernel_lib(self.folder / "lib")
        self.fonts = build_font_cache(self.folder / "fonts")
        self.pool = None
        self.incidents = []  # (kind, one line) of the notebook just run

    def kernels(self, limits, extra_arguments):
        """The pool of kernels (made on first use, with these limits)."""
        if self.pool is None:
            self.pool = KernelPool(self, limits, list(extra_arguments), self.warm)
        return self.pool

    def close(self):
        if self.pool is not None:
            self.pool.close()
        self.judge.close()

    def view(self):
        """bubblewrap's options that are the same for every kernel: what it sees and keeps."""
        options = ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent"]
        options += ["--new-session", "--clearenv", "--uid", str(NOBODY), "--gid", str(NOBODY)]
        if os.geteuid() == 0:
            options += ["--cap-drop", "ALL"]
        for top in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64"):
            if os.path.islink(top):
                options += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                options += ["--ro-bind", top, top]
        for name in ETC:
            options += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
        roots = python_roots()
        for root in roots:
            options += ["--ro-bind", root, root]
        for secret in masked(roots, [ROOT, self.folder]):
            options += ["--tmpfs", secret, "--remount-ro", secret]
        options += ["--ro-bind", str(self.lib), LIB, "--ro-bind", str(self.fonts), FONTS]
        options += ["--ro-bind", str(self.judge.path), f"{RUN}/judge.sock"]
        options += ["--proc", "/proc", "--dev", "/dev"]
        return options


def python_roots():
    """The folders of the Python installation and its packages, outermost only."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates |= {str(Path(os.path.realpath(sys.executable)).parents[1]), *site.getsitepackages()}
    if site.ENABLE_USER_SITE:
        candidates.add(site.getusersitepackages())
    paths = sorted({os.path.abspath(p) for p in candidates if os.path.isdir(p)})
    outer = [p for p in paths if not any(p.startswith(q + os.sep) for q in paths)]
    return [p for p in outer if p not in ("/", "/usr") and not p.startswith("/usr/")]


def masked(roots, secrets):
    """The folders of the course (its code, this run's files) that lie inside a bound folder."""
    return [str(s) for s in secrets if any(Path(s).is_relative_to(root) for root in roots)]


def build_kernel_lib(folder):
    """The packages a graded kernel imports: the kernel side of `autograder` (its __init__ and
    autograder/kernel, no engine, no exercises, no references), mywork, and a `solutions` that
    refuses to import."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "autograder" / "kernel").mkdir(parents=True)
    shutil.copyfile(ROOT / "autograder" / "__init__.py", folder / "autograder" / "__init__.py")
    for path in (ROOT / "autograder" / "kernel").glob("*.py"):
        shutil.copyfile(path, folder / "autograder" / "kernel" / path.name)
    if (ROOT / "mywork.py").is_file():
        shutil.copyfile(ROOT / "mywork.py", folder / "mywork.py")
    (folder / "solutions").mkdir()
    (folder / "solutions" / "__init__.py").write_text(
        "raise ImportError('the reference solutions are not available to graded notebooks')\n"
    )
    return folder


def build_font_cache(folder):
    """matplotlib's font list, built once (each kernel copies it instead of building its own)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.glob("fontlist*.json")):
        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env={**os.environ, "MPLCONFIGDIR": str(folder)},
            capture_output=True,
        )
    for other in folder.iterdir():
        if not other.name.startswith("fontlist"):
            shutil.rmtree(other) if other.is_dir() else other.unlink()
    return folder


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel is started by the launcher (its kernelspec is made here)."""

    def __init__(self, **kwargs):
        super().__init__(transport="ipc", **kwargs)
        argv = [sys.executable, "-I", "-S", launcher.__file__, "-f", "{connection_file}"]
        self._kernel_spec = KernelSpec(
            argv=argv,
            display_name="Python 3 (grading sandbox)",
            language="python",
            interrupt_mode="message",  # a signal would not reach into the sandbox's session
            metadata={"debugger": False},
        )


class Kernel:
    """One graded kernel: its manager, its token for the judge, its folder and cgroups."""

    def __init__(self, runtime, limits, folder, extra_arguments):
        self.runtime, self.limits, self.folder = runtime, limits, Path(folder)
        self.token = new_token()
        for name in ("ipc", "inbox", "home", "tmp"):
            (self.folder / name).mkdir(parents=True)
        self.cgroup = None
        if runtime.sandboxed:
            self.cgroup = Cgroup.create(limits.memory * MiB, limits.processes)
        # the grader reaches the kernel's sockets through a short path (below a long TMPDIR too)
        ip, self.ipc_folder = short_path(str(self.folder / "ipc" / "kernel"), room=len("-65535"))
        self.manager = SandboxKernelManager(connection_file=str(self.folder / "connection.json"), ip=ip)
        self.cpu_at_start = 0.0
        env = {launcher.ENV_VAR: json.dumps(self.launch())}
        try:
            run_sync(self.manager.start_kernel)(extra_arguments=extra_arguments, env=env)
        except BaseException:
            self.remove()
            raise

    def launch(self):
        """The launcher's instructions for this kernel (launcher.py)."""
        runtime, limits, sandboxed = self.runtime, self.limits, self.runtime.sandboxed
        home = HOME if sandboxed else str(self.folder / "home")
        tmp = "/tmp" if sandboxed else str(self.folder / "tmp")
        rlimits = {"AS": limits.memory * MiB, "CPU": limits.cpu, "FSIZE": limits.file_size * MiB}
        if sandboxed and not self.cgroup:  # counted per sandbox (its own user namespace)
            rlimits["NPROC"] = limits.processes
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": home,
            "TMPDIR": tmp,
            "PYTHONPATH": LIB if sandboxed else str(runtime.lib),
            "MPLCONFIGDIR": f"{tmp}/matplotlib",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "IPYTHONDIR": f"{tmp}/ipython",
            **ONE_THREAD,
            "PYTHONDONTWRITEBYTECODE": "1",
            "NBGRADER_EXECUTION": "autograde",
            JUDGE_ENV: f"{RUN if sandboxed else runtime.judge.path.parent}/judge.sock:{self.token}",
            LIMITS_ENV: json.dumps(rlimits),
            FONTS_ENV: FONTS if sandboxed else str(runtime.fonts),
            INBOX_ENV: f"{RUN}/inbox" if sandboxed else str(self.folder / "inbox"),
        }
        spec = {
            "cgroups": [str(folder) for folder in self.cgroup.folders.values()] if self.cgroup else [],
            "log": str(self.folder / "kernel.log"),
            "command": [sys.executable, "-m", "autograder.kernel.boot"],
            "env": env,
            "bwrap": None,
            "cwd": home,
            "connection": str(self.folder / "kernel-connection.json"),
            "ip": str(self.folder / "ipc" / "kernel"),
        }
        if sandboxed:
            disk = str(limits.disk * MiB)
            # /tmp first: the view's folders (a Python installation in a clone below /tmp) go on top
            scratch = ["--size", disk, "--tmpfs", "/tmp", "--size", disk, "--tmpfs", HOME]
            per_kernel = ["--bind", str(self.folder / "ipc"), f"{RUN}/ipc"]
            per_kernel += ["--ro-bind", str(self.folder / "inbox"), f"{RUN}/inbox", "--chdir", HOME]
            spec.update(
                bwrap=scratch + runtime.view() + per_kernel,
                bwrap_path=shutil.which("bwrap"),
                connection=f"{RUN}/connection.json",
                ip=f"{RUN}/ipc/kernel",
            )
        return spec

    def log(self):
        """The start of the kernel's own output (bubblewrap's messages, a crash)."""
        try:
            with open(self.folder / "kernel.log", "rb", opener=nofollow) as log:
                return log.read(2000).decode(errors="replace").strip()
        except OSError:
            return ""

    def alive(self):
        return run_sync(self.manager.is_alive)()

    def ready(self):
        """The kernel has bound its sockets: from now on it may not write its ipc folder."""
        ipc = self.folder / "ipc"
        if os.geteuid() == 0:
            os.chown(ipc, NOBODY, NOBODY)  # the kernel is root without capabilities: not the owner
        ipc.chmod(0o555)
        self.cpu_at_start = self.cpu_seconds()

    def receive(self, folder, limit):
        """Put the notebook's files from `folder` into the kernel's inbox (see copy_files)."""
        if folder and os.path.isdir(folder):
            copy_files(folder, self.folder / "inbox", limit)

    def cpu_seconds(self):
        return self.cgroup.cpu_seconds() if self.cgroup else 0.0

    def over_cpu(self):
        """True when the kernel's processes together used more CPU time than the limit."""
        return self.cgroup is not None and self.cpu_seconds() - self.cpu_at_start > self.limits.cpu

    def at_process_limit(self):
        """True when the kernel's processes reached their limit (it can no longer start a thread)."""
        return self.cgroup is not None and self.cgroup.refused_processes() > 0

    def end_reason(self, code):
        """Why the kernel ended, from its exit status (bubblewrap's: 128 + the signal)."""
        if self.cgroup is not None and self.cgroup.out_of_memory():
            return f"it ran out of memory: its processes together used more than {self.limits.memory} MB"
        if self.runtime.sandboxed and code is not None and code > 128:
            code = 128 - code
        return death_reason(code, self.limits)

    def remove(self):
        """Kill whatever is left of the kernel and delete its folder (its log read first: it says
        why a kernel that never started failed)."""
        self.last_log = self.log()
        try:
            run_sync(self.manager.shutdown_kernel)(now=True)
        except Exception:  # already dead, or never started: nothing to stop
            pass
        if self.cgroup is not None:
            self.cgroup.remove()
        if self.ipc_folder is not None:
            os.close(self.ipc_folder)
            self.ipc_folder = None
        (self.folder / "ipc").chmod(0o700)
        shutil.rmtree(self.folder, ignore_errors=True)


def death_reason(code, limits):
    """Why a kernel process ended, from its exit status (negative: the signal that ended it)."""
    if code is None:
        return "it stopped responding"
    if code >= 0:
        return f"it exited with status {code} (os._exit(), exit() or a fatal error)"
    reasons = {
        signal.SIGSEGV: "it crashed with a segmentation fault (an invalid memory access)",
        signal.SIGABRT: "it aborted (a library gave up, often for lack of memory)",
        signal.SIGKILL: "it was killed (out of memory?)",
        signal.SIGXCPU: f"it used up its CPU time limit of {limits.cpu} s",
        signal.SIGXFSZ: f"it wrote a file larger than the limit of {limits.file_size} MB",
        signal.SIGBUS: "it crashed with a bus error (an invalid memory access)",
        signal.SIGFPE: "it crashed with a floating-point exception",
        signal.SIGILL: "it crashed on an illegal instruction",
    }
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return reasons.get(-code, f"it was stopped by {name}")


class KernelPool:
    """Kernels started ahead of time: taking one gives a kernel that is booting or ready, and
    starts the next one, which boots while the notebook runs."""

    def __init__(self, runtime, limits, extra_arguments, warm):
        self.runtime, self.limits, self.extra_arguments, self.warm = runtime, limits, extra_arguments, warm
        self.count, self.spare = 0, []

    def start(self):
        self.count += 1
        folder = self.runtime.folder / "kernels" / f"k{self.count}"
        return Kernel(self.runtime, self.limits, folder, self.extra_arguments)

    def take(self):
        kernel = None
        while self.spare and kernel is None:
            kernel = self.spare.pop(0)
            if not kernel.alive():  # it died waiting (the machine ran out of something)
                kernel.remove()
                kernel = None
        kernel = kernel or self.start()
        while len(self.spare) < self.warm:
            self.spare.append(self.start())
        return kernel

    def close(self):
        for kernel in self.spare:
            kernel.remove()
        self.spare = []
