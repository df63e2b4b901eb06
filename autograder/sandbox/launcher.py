"""The sandbox of a grading kernel: resource limits and a file-system allow-list, then ipykernel.

The grader writes a kernelspec whose command runs this file as a script (it imports nothing
of the course, so it starts in milliseconds):

    python autograder/sandbox/launcher.py -f {connection_file} [ipykernel options]

It reads its settings from the environment variable RNN_SANDBOX (JSON, see Limits), then

- sets resource limits: address space (RLIMIT_AS), CPU seconds (RLIMIT_CPU), size of any file
  written (RLIMIT_FSIZE), no core dumps;
- where the Linux kernel offers Landlock (5.13 and later), confines the file system: the
  student's code may read the Python installation, the system libraries and its own folder,
  may write only its own folder and a private temporary folder, and cannot read the course,
  the reference solutions, the gradebook or anybody else's submission;
- replaces the environment by a short allow-list (no tokens or paths of the grader leak),
  with PYTHONPATH pointing at the kernel-side copy of `autograder` (which holds no solutions);
- and execs ipykernel.

The grader side (autograder/grading, sandbox/execute.py) uses Limits, write_kernelspec and prepare_kernel_lib.
"""

import ctypes
import json
import os
import resource
import shutil
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ENV_VAR = "RNN_SANDBOX"
KERNEL_NAME = "rnn-from-scratch-sandbox"
MiB = 1024 * 1024

# What the student's kernel gets of `autograder`: its __init__ and the kernel side of check()
# (autograder/kernel); no engine, no exercises, no references.
KERNEL_SIDE = ("__init__.py", "kernel/__init__.py", "kernel/calls.py", "kernel/check.py", "kernel/wire.py")

# Variables the kernel keeps from the grader's environment.
KEPT_ENVIRONMENT = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "SYSTEMROOT",
    "NBGRADER_EXECUTION",  # set by nbgrader while grading; notebooks shorten their training with it
)


@dataclass
class Limits:
    """What a grading kernel may use. Sizes in bytes, times in seconds; 0 means no limit."""

    memory: int = 2048 * MiB  # address space of the kernel process
    cpu: int = 900  # CPU seconds of one kernel (a kernel that dies is restarted with a fresh budget)
    file_size: int = 64 * MiB  # largest file the kernel may write
    landlock: bool = True  # confine the file system where the Linux kernel allows it
    read: list = field(default_factory=list)  # folders (and files) the kernel may read
    write: list = field(default_factory=list)  # folders the kernel may read and write
    env: dict = field(default_factory=dict)  # variables set in the kernel's environment
    log: str = ""  # file that receives the kernel process's own stdout and stderr

    def to_env(self):
        return json.dumps(asdict(self))


# ---------------------------------------------------------------- grader side


def system_read_paths():
    """What any Python kernel must read: the interpreter, its packages, the system libraries."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {str(Path(sys.executable).resolve().parent.parent)}
    paths |= {"/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/opt/conda"}
    return sorted(p for p in paths if p and os.path.exists(p))


def write_kernelspec(folder):
    """Write the sandbox kernelspec under folder/kernels; return folder (put it on JUPYTER_PATH)."""
    spec = Path(folder) / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, str(Path(__file__).resolve()), "-f", "{connection_file}"]
    kernel = {
        "argv": argv,
        "display_name": "Python 3 (grading sandbox)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec / "kernel.json").write_text(json.dumps(kernel, indent=1))
    return Path(folder)


def prepare_kernel_lib(folder):
    """(Re)write the packages the kernel imports: the kernel side of `autograder`, and a
    `solutions` that refuses to import. Returns the folder to put on the kernel's PYTHONPATH."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    package = folder / "autograder"
    (package / "kernel").mkdir(parents=True)
    autograder = Path(__file__).resolve().parent.parent
    for name in KERNEL_SIDE:
        shutil.copyfile(autograder / name, package / name)
    (folder / "solutions").mkdir()
    (folder / "solutions" / "__init__.py").write_text(
        "raise ImportError('the reference solutions are not available to graded notebooks')\n"
    )
    return folder


# ---------------------------------------------------------------- kernel side: Landlock

# Linux landlock ABI (include/uapi/linux/landlock.h); the syscall numbers are the same on
# every architecture.
SYS_LANDLOCK_CREATE_RULESET, SYS_LANDLOCK_ADD_RULE, SYS_LANDLOCK_RESTRICT_SELF = 444, 445, 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE, MAKE_CHAR, MAKE_DIR, MAKE_REG = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
MAKE_SOCK, MAKE_FIFO, MAKE_BLOCK, MAKE_SYM = 1 << 9, 1 << 10, 1 << 11, 1 << 12
REFER, TRUNCATE = 1 << 13, 1 << 14
READ = EXECUTE | READ_FILE | READ_DIR
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock(read, write):
    """Confine this process (and what it execs) to reading `read` and writing `write`.

    Returns the Landlock ABI version used, or 0 when the kernel does not offer Landlock.
    """
    abi = landlock_abi()
    if abi < 1:
        return 0
    libc = c_library()
    every = (1 << 13) - 1
    if abi >= 2:
        every |= REFER
    if abi >= 3:
        every |= TRUNCATE
    attr = RulesetAttr(every)
    ruleset = libc.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(8), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    rules = [(path, READ) for path in read] + [(path, every) for path in write]
    rules.append(("/dev", READ | WRITE_FILE))
    for path, rights in rules:
        try:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
        except OSError:
            continue  # a path this machine does not have
        if not os.path.isdir(path):
            rights &= FILE_RIGHTS
        rule = PathBeneathAttr(rights & every, fd)
        status = libc.syscall(
            SYS_LANDLOCK_ADD_RULE, ruleset, LANDLOCK_RULE_PATH_BENEATH, ctypes.byref(rule), 0
        )
        os.close(fd)
        if status < 0:
            raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0) < 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    os.close(ruleset)
    return abi


def landlock_abi():
    """The Landlock ABI version this Linux kernel offers, 0 if none."""
    try:
        version = LANDLOCK_CREATE_RULESET_VERSION
        return max(0, c_library().syscall(SYS_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), version))
    except (OSError, AttributeError):
        return 0


def c_library():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def set_limit(which, soft, hard=None):
    """Lower a resource limit; where the system does not support it (RLIMIT_AS on macOS), skip it."""
    if soft:
        hard = hard or soft
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        try:
            resource.setrlimit(which, (soft, hard))
        except (OSError, ValueError):
            pass


PR_SET_PDEATHSIG = 1


def die_with_parent():
    """Have Linux kill the kernel when the grading process that started it dies (even by kill -9)."""
    parent = int(os.environ.get("JPY_PARENT_PID") or os.getppid())  # jupyter_client sets it
    if sys.platform.startswith("linux"):
        c_library().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def main(argv):
    die_with_parent()
    limits = Limits(**json.loads(os.environ[ENV_VAR]))
    set_limit(resource.RLIMIT_AS, limits.memory)
    # At the soft limit the kernel gets SIGXCPU and dies; the hard limit is a backstop.
    set_limit(resource.RLIMIT_CPU, limits.cpu, limits.cpu + 5 if limits.cpu else None)
    set_limit(resource.RLIMIT_FSIZE, limits.file_size)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    env = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    env.update(limits.env)
    if limits.landlock:
        connection_file = argv[argv.index("-f") + 1] if "-f" in argv else None
        read = [*limits.read, *([connection_file] if connection_file else [])]
        env["RNN_SANDBOX_LANDLOCK"] = str(landlock(read, [os.getcwd(), *limits.write]))
    if limits.log:  # the kernel's own messages (not the notebook's output, which ipykernel captures)
        log = os.open(limits.log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
    python = sys.executable
    os.execve(python, [python, "-m", "ipykernel_launcher", *argv], env)


if __name__ == "__main__":
    main(sys.argv[1:])
