"""The command of a graded kernel: puts the kernel into its cgroups and starts it in its sandbox.

jupyter_client runs it as the kernel's command (autograder/sandbox/kernels.py writes the
kernelspec); it imports nothing but the standard library, so it starts in milliseconds:

    python -I -S autograder/sandbox/launcher.py -f CONNECTION_FILE [ipykernel options]

Its instructions come in the environment variable RNN_SANDBOX (JSON, made by kernels.py):

- it dies with its parent, the grading process (PR_SET_PDEATHSIG), and so does everything
  it starts: bubblewrap's --die-with-parent and its PID namespace take the rest down;
- it moves itself into the kernel's cgroups (memory, processes, CPU), which then hold every
  process of the kernel;
- it sends its own output (bubblewrap's messages, a crashing kernel's) to a log file;
- it runs bubblewrap with the sandbox's arguments, passed through a pipe (--args), and the
  connection file rewritten for the inside (its sockets are bound where the kernel sees them),
  or, on a machine without bubblewrap, the kernel itself with a cleared environment.
"""

import ctypes
import json
import os
import signal
import sys

ENV_VAR = "RNN_SANDBOX"
PR_SET_PDEATHSIG = 1
UNIX_PATH_MAX = 107  # as autograder/kernel/wire.py (this file imports the standard library only)


def die_with_parent(parent=None):
    """Be killed when the process that started this one (`parent`, when known) ends, and if it
    already has, stop."""
    parent = parent or os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def join_cgroups(folders):
    for folder in folders:
        with open(os.path.join(folder, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))


def redirect_output(log):
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def pipe_with(data):
    """The reading end of a pipe that holds data (less than a pipe's 64 kB), for bubblewrap."""
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    os.set_inheritable(read, True)
    return read


def connection_info(spec, argv):
    """(the connection file's path in argv, its contents with the sockets' path prefix as the
    kernel reaches it)."""
    connection = argv[argv.index("-f") + 1]
    with open(connection) as file:
        info = json.load(file)
    info["ip"] = spec["ip"]
    return connection, info


def bwrap_argv(spec, argv):
    """bubblewrap's command line: the sandbox (through a pipe) and the kernel's command."""
    connection, info = connection_info(spec, argv)
    data = pipe_with(json.dumps(info).encode())
    options = [*spec["bwrap"], "--ro-bind-data", str(data), spec["connection"]]
    for name, value in spec["env"].items():
        options += ["--setenv", name, value]
    args = pipe_with(b"\0".join(option.encode() for option in options) + b"\0")
    rest = [spec["connection"] if arg == connection else arg for arg in argv]
    return [spec["bwrap_path"], "--args", str(args), "--", *spec["command"], *rest]


def unsandboxed_argv(spec, argv):
    """The kernel's command line without a sandbox; sockets too long for a Unix socket's address
    are reached through their folder, opened here and kept open by the kernel (/proc/self/fd)."""
    connection, info = connection_info(spec, argv)
    if len(info["ip"].encode()) + len("-65535") > UNIX_PATH_MAX:
        folder = os.open(os.path.dirname(info["ip"]), os.O_PATH | os.O_DIRECTORY)
        os.set_inheritable(folder, True)
        info["ip"] = f"/proc/self/fd/{folder}/{os.path.basename(info['ip'])}"
    with open(spec["connection"], "x") as file:
        json.dump(info, file)
    rest = [spec["connection"] if arg == connection else arg for arg in argv]
    return [*spec["command"], *rest]


def main(argv):
    spec = json.loads(os.environ[ENV_VAR])
    die_with_parent()
    join_cgroups(spec["cgroups"])
    redirect_output(spec["log"])
    if spec["bwrap"] is None:  # no sandbox: the kernel runs as the grader's user, in its folder
        os.chdir(spec["cwd"])
        command = unsandboxed_argv(spec, argv)
        os.execve(command[0], command, spec["env"])
    command = bwrap_argv(spec, argv)
    os.execve(command[0], command, {})  # nothing of this environment is visible in the sandbox


if __name__ == "__main__":
    main(sys.argv[1:])
