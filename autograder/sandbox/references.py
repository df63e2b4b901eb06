"""The functions of earlier notebooks, run for a graded notebook in a process of its own.

A graded kernel may call the reference of an earlier notebook's function (`from mywork import
rnn_forward`, and the course functions its exercises use) with arguments of its own choosing:
an array of a billion entries, shapes whose product runs for an hour. So the judge
(judge.py) runs none of them itself: it passes each such connection (during a check, its
own connection that relays the student's calls) to the notebook's reference process, which

- belongs to the notebook alone, from its first call of a course function: the judge kills
  it when the notebook ends, and it dies with the grading process;
- has the kernel's limits of address space and CPU seconds, so a call over them fails in
  the notebook (a MemoryError) or ends this process, never the grader;
- serves each connection in a thread of its own, call after call; a function the kernel
  passes as an argument is called back in the kernel, and one the reference returns
  (activation_functions) is called by its id.

A fork server, started with the judge, imports the course once and forks the reference
process of each notebook:

    python -m autograder.sandbox.references CONTROL_FD GRADING_PROCESS_PID

The judge passes each connection over a socket of the notebook's process, with the name of
the function asked for and where it is from (functions_of).
"""

import builtins
import contextlib
import functools
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np

from autograder.kernel.wire import Channel, WireError, decode, encode, type_name

MiB = 1024 * 1024
MAX_CONNECTIONS = 64  # served at once; more are closed unserved
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# ---------------------------------------------------------------- a call of a reference


class Handles:
    """Callables that the other side may call by id: the judge's, for one check; a reference
    process's, the functions its references returned."""

    def __init__(self):
        self.by_id = {}

    def add(self, value):
        key = str(len(self.by_id))
        self.by_id[key] = value
        return key

    def get(self, key):
        if type(key) is not str or key not in self.by_id:
            raise WireError("a call to an unknown function")
        return self.by_id[key]


_error_types = {}


def error_type(name):
    """The class of a student's exception, by name: Python's own where it is a built-in one (so
    that a hidden test may ask for a ValueError), else a stand-in of that name."""
    name = name if isinstance(name, str) and name.isidentifier() else "Exception"
    if name not in _error_types:
        builtin = getattr(builtins, name, None)
        is_builtin = isinstance(builtin, type) and issubclass(builtin, Exception)
        base = builtin if is_builtin else Exception
        try:
            base("message")
        except Exception:  # a built-in error that wants more than a message (UnicodeDecodeError)
            base = Exception
        # str() of the stand-in is the student's message as it was (KeyError would quote it again)
        _error_types[name] = type(
            name, (base,), {"__module__": "student", "__str__": lambda self: self.args[0]}
        )
    return _error_types[name]


def call_arguments(message, rebuild):
    """The (args, kwargs) of a call the kernel asks for; rebuild(id) makes its function arguments."""
    args = decode(message.get("args"), rebuild)
    kwargs = decode(message.get("kwargs"), rebuild) or {}
    if type(args) is not tuple or type(kwargs) is not dict:
        raise WireError("the arguments of a call are malformed")
    if not all(type(name) is str and name.isidentifier() for name in kwargs):
        raise WireError("the names of keyword arguments are malformed")
    return args, kwargs


def reference_reply(function, args, kwargs, handle, plain_error=True):
    """The reply to a call of a reference with the kernel's arguments: its value (a function in
    it sent as handle(function)), and the arguments it changed in place (sgd_step), or the
    error it raised."""
    before = snapshot(args)
    try:
        value = function(*args, **kwargs)
    except Exception as error:  # the reference, called with the student's arguments
        if plain_error:
            return {"op": "raise", "type": type_name(error), "message": str(error)[:2000]}
        return {"op": "raise", "message": f"{type(error).__name__}: {error}"}
    reply = {"op": "return", "value": encode(value, handle)}
    if not same(args, before):
        reply["args_after"] = encode(args)
    return reply


def snapshot(value):
    """A copy of the arrays in value (and of the lists, tuples and dicts that hold them)."""
    if type(value) is np.ndarray:
        return value.copy()
    if type(value) in (list, tuple):
        return type(value)(snapshot(item) for item in value)
    if type(value) is dict:
        return {key: snapshot(item) for key, item in value.items()}
    return value


def same(value, before):
    """True when value holds what the snapshot `before` holds."""
    if type(value) is not type(before):
        return False
    if type(value) is np.ndarray:
        return (
            value.shape == before.shape
            and value.dtype == before.dtype
            and np.array_equal(value, before, equal_nan=value.dtype.kind in "fc")
        )
    if type(value) in (list, tuple):
        return len(value) == len(before) and all(map(same, value, before))
    if type(value) is dict:
        return value.keys() == before.keys() and all(same(value[key], before[key]) for key in value)
    return value is before


class KernelFunction:
    """A function the kernel passed to a reference: calling it is a round trip, before which the
    arguments of the reference's own call are copied back (they may have been nudged in place)."""

    def __init__(self, channel, key, call):
        self.channel, self.key, self.call = channel, key, call

    def __call__(self, *args):
        self.call["synced"] = True
        now = encode(self.call["args"])
        self.channel.send({"op": "callback", "id": self.key, "args": encode(args), "args_now": now})
        reply = self.channel.receive()
        if reply["op"] == "return":
            return decode(reply.get("value"))
        if reply["op"] == "raise":
            raise error_type(reply.get("type"))(str(reply.get("message", ""))[:2000])
        raise WireError(f"unexpected {reply['op']!r} during a call back")


def serve(channel, functions, name, where):
    """Run the function `name` of `functions` for the kernel at the other end of channel, call
    after call, until it hangs up; a function it returns is called back by its id."""
    reference = functions.get(name) if type(name) is str else None
    if reference is None:
        return channel.send({"op": "refused", "message": f"{name} is not a function of {where}"})
    channel.send({"op": "ready"})
    returned = Handles()
    while True:
        message = channel.receive()
        if message["op"] not in ("call", "callback"):
            raise WireError(f"unexpected {message['op']!r}")
        function = reference if message["op"] == "call" else returned.get(message.get("id"))
        call = {"synced": False}
        args, kwargs = call_arguments(message, lambda key: KernelFunction(channel, key, call))  # noqa: B023
        call["args"] = args
        reply = reference_reply(function, args, kwargs, returned.add)
        if call["synced"]:  # the kernel's arrays hold the last values sent: send the final ones
            reply["args_after"] = encode(args)
        channel.send(reply)


# ---------------------------------------------------------------- the processes


@functools.cache
def functions_of(kind, name):
    """(name -> reference of the functions that a kernel may call, where they are from):
    for `assignment` the functions of the notebooks before it (`from mywork import`), for
    `exercise` those the exercise's code may use (during its check, through the judge)."""
    from autograder.engine import EXERCISES
    from autograder.engine.carried import course_functions

    if kind == "assignment" and name:
        return course_functions(name), f"a notebook before {name}"
    if kind == "exercise" and name in EXERCISES:
        return EXERCISES[name].uses, f"the notebook of {name}"
    return {}, "a notebook of this course"


def main(control_fd, parent):
    """The fork server: imports the course once, then forks a reference process per request."""
    from autograder.sandbox.launcher import die_with_parent

    die_with_parent(parent)  # also if the grading process ended while this one started
    from autograder.engine import EXERCISES, load_exercises
    from course.outline import assignments

    load_exercises()
    for assignment in assignments():  # every child starts with them at hand
        functions_of("assignment", assignment)
    for exercise in EXERCISES:
        functions_of("exercise", exercise)

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # its children are reaped as they end
    control = socket.socket(fileno=control_fd)
    while True:
        data = control.recv(4096)
        if not data:  # the judge is gone
            os._exit(0)
        request = json.loads(data)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        server, pid = os.getpid(), os.fork()
        if pid == 0:
            control.close()
            ours.close()
            die_with_parent(server)
            serve_notebook(theirs, request["memory_mb"], request["cpu_seconds"])
        theirs.close()
        socket.send_fds(control, [json.dumps({"pid": pid}).encode()], [ours.fileno()])
        ours.close()


def serve_notebook(control, memory_mb, cpu_seconds):
    """A reference process: within its limits, serve each connection the judge passes on."""
    try:
        os.setpgid(0, 0)
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MiB,) * 2)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds,) * 2)
        open_connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        while True:
            data, fds, _, _ = socket.recv_fds(control, 4096, 1)
            if not data:  # the notebook has ended
                break
            connection = socket.socket(fileno=fds[0])
            if not open_connections.acquire(blocking=False):
                connection.close()
                continue
            request = json.loads(data)
            try:
                threading.Thread(
                    target=serve_connection, args=(connection, open_connections, request), daemon=True
                ).start()
            except (RuntimeError, MemoryError):  # no room for another thread
                open_connections.release()
                connection.close()
    finally:
        os._exit(0)


def serve_connection(connection, open_connections, request):
    (kind, of), name = request["of"].popitem(), request["name"]
    functions, where = functions_of(kind, of)
    try:
        with connection:
            serve(Channel(connection), functions, name, where)
    except (OSError, WireError, MemoryError):
        pass  # the kernel stopped, broke the protocol or asked too much: its own calls fail
    finally:
        open_connections.release()


class ReferenceServer:
    """The grader's handle on the fork server, started at once so that its imports are done
    when a kernel first calls."""

    def __init__(self):
        control, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, **ONE_THREAD, "PYTHONPATH": root}
        with child:
            command = [
                sys.executable,
                "-m",
                "autograder.sandbox.references",
                str(child.fileno()),
                str(os.getpid()),
            ]
            self.process = subprocess.Popen(command, pass_fds=[child.fileno()], env=env, cwd=root)
        self.control, self.lock = control, threading.Lock()

    def new_process(self, memory_mb, cpu_seconds):
        """A reference process of its own for a notebook, with these limits; None when the
        server has ended."""
        request = json.dumps({"memory_mb": memory_mb, "cpu_seconds": cpu_seconds}).encode()
        try:
            with self.lock:
                self.control.sendall(request)
                data, fds, _, _ = socket.recv_fds(self.control, 4096, 1)
        except OSError:
            return None
        if not data or not fds:
            return None
        return ReferenceProcess(socket.socket(fileno=fds[0]), json.loads(data)["pid"])

    def stop(self):
        self.control.close()
        self.process.kill()
        self.process.wait()


class ReferenceProcess:
    """The grader's handle on one notebook's reference process."""

    def __init__(self, control, pid):
        self.control, self.lock = control, threading.Lock()
        self.pidfd = os.pidfd_open(pid)  # the process is alive: it waits for its first connection

    def hand_over(self, connection, of, name):
        """Let the process serve `connection`: calls of the function `name` of `of`,
        {"assignment": a} or {"exercise": e} (functions_of); False when the process has ended
        (over its limits)."""
        message = json.dumps({"of": of, "name": name}).encode()
        try:
            with self.lock:
                socket.send_fds(self.control, [message], [connection.fileno()])
        except OSError:
            return False
        return True

    def stop(self):
        with contextlib.suppress(ProcessLookupError):  # it ended already
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        os.close(self.pidfd)
        self.control.close()


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
