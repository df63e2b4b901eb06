"""The judge: the grader-side half of check() for notebooks run by the grading command.

A Judge listens on a Unix socket of the grading process (a file, bound into the kernel's
sandbox: the sandbox has no network). For each notebook it opens a Session for the
notebook's assignment, with the token of the notebook's kernel (the kernel finds the socket
and the token in RNN_JUDGE). The executor tells the session which hidden-test cell is running
and which exercise it checks; a check that reaches the judge during that cell is run here
(cases, references, comparison and the known-mistake hints are all computed in this process)
and its verdict is recorded for the cell. The executor then writes the cell's outputs from the
recorded verdicts alone.

A check that arrives outside its own cell is refused without running any case, so a
notebook cannot probe the hidden tests for expected values; every check run inside the cell
must pass, so it cannot try several answers either.

The judge also runs the functions of earlier notebooks that the notebook imports
(autograder.kernel.course_function, `from mywork import ...`), at any time: only those of the
assignments before the session's own (autograder/engine/carried.py), never its own exercises.
The kernel's arguments are plain data (placeholders for anything else), so a reference never
runs the kernel's code; a function passed as an argument is called back in the kernel.
"""

import builtins
import hmac
import logging
import os
import secrets
import socket
import threading
import traceback
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from autograder import engine
from autograder.engine.carried import course_functions
from autograder.engine.seeds import case_seed, with_seed
from autograder.kernel.calls import Outcome, Remote
from autograder.kernel.wire import Channel, Closed, WireError, decode, encode, short_path, type_name

log = logging.getLogger(__name__)

FIRST_MESSAGE_TIMEOUT = 30  # seconds a new connection may take to say who it is
MAX_CONNECTIONS = 64  # open at once (a check, and one per imported function of an earlier notebook)


class Handles:
    """Callables of the judge that the kernel may call, by id, for one check."""

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


def stand_in(info):
    """The exception a student's function raised, rebuilt from its description."""
    if info is None:
        return None
    if type(info) is not dict:
        raise WireError("an error description is malformed")
    message = str(info.get("message", ""))[:2000] + str(info.get("frame", ""))[:500]
    if info.get("not_implemented") is True:
        return NotImplementedError(message)
    return error_type(info.get("type"))(message)


class RemoteFunction(Remote):
    """The student's function, called in the kernel at the other end of channel."""

    def __init__(self, channel, handles, argnames):
        if type(argnames) is not list or not all(type(n) is str for n in argnames):
            raise WireError("the argument names are malformed")
        self.channel, self.handles = channel, handles
        self.__code__ = types.SimpleNamespace(co_varnames=tuple(argnames), co_argcount=len(argnames))

    def outcome(self, args):
        self.channel.send({"op": "call", "args": encode(tuple(args), self.handles.add)})
        while True:
            message = self.channel.receive()
            if message["op"] == "callback":
                self.serve(message)
            elif message["op"] == "outcome":
                return self.read_outcome(message, len(args))
            else:
                raise WireError(f"unexpected {message['op']!r} during a call")

    def serve(self, message):
        function = self.handles.get(message.get("id"))
        args, kwargs = call_arguments(message, self.handles.get)
        self.channel.send(reference_reply(function, args, kwargs, self.handles.add, plain_error=False))

    def read_outcome(self, message, count):
        # the judge's own functions among the arguments come back as themselves (a cell's functions)
        args_after = decode(message.get("args_after"), self.handles.get)
        if type(args_after) is not tuple or len(args_after) != count:
            raise WireError("the arguments after the call are malformed")
        warning = message.get("warning")
        if warning is not None and type(warning) is not str:
            raise WireError("a warning is malformed")
        return Outcome(
            value=decode(message.get("value"), self.handles.get),
            error=stand_in(message.get("error")),
            warning=warning[:500] if warning else None,
            args_after=args_after,
        )


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
    """The reply to a call of a reference with the kernel's arguments: its value, and the
    arguments it changed in place (sgd_step), or the error it raised."""
    before = encode(args, handle)
    try:
        value = function(*args, **kwargs)
    except Exception as error:  # the reference, called with the student's arguments
        if plain_error:
            return {"op": "raise", "type": type_name(error), "message": str(error)[:2000]}
        return {"op": "raise", "message": f"{type(error).__name__}: {error}"}
    after = encode(args, handle)
    reply = {"op": "return", "value": encode(value, handle)}
    if after != before:
        reply["args_after"] = after
    return reply


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


@dataclass
class Expectation:
    cell: str
    exercise: str
    verdicts: list = field(default_factory=list)  # (passed, message) of every check in the cell


class Session:
    """The judge's state for one notebook: its assignment, the token of its kernel and the
    hidden-test cell now running."""

    def __init__(self, judge, assignment=None, token=None, student=None):
        self.judge = judge
        self.assignment = assignment
        self.student = student  # whose hidden-test cases are drawn (engine/seeds.py)
        self.token = token or new_token()
        self.lock = threading.Lock()
        self.busy = threading.Lock()
        self.expected = None
        self._functions = None

    @property
    def address(self):
        """RNN_JUDGE for a kernel that sees the judge's socket where the judge put it."""
        return f"{self.judge.path}:{self.token}"

    def course_functions(self):
        """name -> reference of the functions of earlier notebooks this notebook may call."""
        if self._functions is None:
            self._functions = course_functions(self.assignment) if self.assignment else {}
        return self._functions

    def expect(self, cell, exercise):
        with self.lock:
            self.expected = Expectation(cell, exercise)

    def finish(self):
        """The verdicts recorded for the cell that just ran."""
        with self.lock:
            expected, self.expected = self.expected, None
        return expected.verdicts if expected else []

    def record(self, expectation, passed, message):
        with self.lock:
            if expectation is not None and expectation is self.expected:
                expectation.verdicts.append((passed, message))


@contextmanager
def releasing(semaphore):
    try:
        yield
    finally:
        semaphore.release()


def new_token():
    return secrets.token_hex(16)


class Judge:
    """The judge's server: one per grading process, serving one notebook's session at a time.

    Its socket is `folder`/judge.sock, which only the grader's user may open (a kernel runs as
    that user, or as root mapped into its sandbox)."""

    def __init__(self, folder, course=None):
        engine.load_exercises()
        self.course = course  # the course id: with the student, it seeds their cases (engine/seeds.py)
        self.path = Path(folder) / "judge.sock"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        previous = os.umask(0o177)
        short, folder = short_path(str(self.path))  # below a long TMPDIR too
        try:
            self.server.bind(short)
        finally:
            os.umask(previous)
            if folder is not None:
                os.close(folder)
        self.server.listen(16)
        self.session = None
        threading.Thread(target=self.serve_forever, name="judge", daemon=True).start()

    def open_session(self, assignment=None, token=None, student=None):
        """The session of the next notebook (of `assignment`, run by the kernel holding `token`),
        whose hidden-test cases are drawn for `student` of the judge's course."""
        self.session = Session(self, assignment, token, student)
        return self.session

    def close_session(self):
        self.session = None

    def serve_forever(self):
        open_connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            if not open_connections.acquire(blocking=False):  # a notebook flooding the judge
                connection.close()
                continue
            threading.Thread(target=self.serve, args=(connection, open_connections), daemon=True).start()

    def serve(self, connection, open_connections):
        with connection, releasing(open_connections):
            channel = Channel(connection)
            try:
                connection.settimeout(FIRST_MESSAGE_TIMEOUT)
                first = channel.receive()
                connection.settimeout(None)
            except (OSError, WireError):
                return
            session = self.session
            token = first.get("token")
            if session is None or type(token) is not str or not hmac.compare_digest(token, session.token):
                return
            if first["op"] == "course":
                self.serve_course(session, channel, first.get("name"))
            else:
                self.check(session, channel, first)

    def serve_course(self, session, channel, name):
        """Run a function of an earlier notebook for the kernel, call after call."""
        reference = session.course_functions().get(name) if type(name) is str else None
        if reference is None:
            where = f"before {session.assignment}" if session.assignment else "of this course"
            message = f"{name} is not a function of a notebook {where}"
            return channel.send({"op": "refused", "message": message})
        channel.send({"op": "ready"})
        try:
            while True:
                message = channel.receive()
                if message["op"] != "call":
                    raise WireError(f"unexpected {message['op']!r}")
                call = {"synced": False}
                args, kwargs = call_arguments(message, lambda key: KernelFunction(channel, key, call))  # noqa: B023
                call["args"] = args
                reply = reference_reply(reference, args, kwargs, None)
                if call["synced"]:  # the kernel's arrays hold the last values sent: send the final ones
                    reply["args_after"] = encode(args)
                channel.send(reply)
        except (OSError, WireError):
            return  # the kernel stopped, or broke the protocol: its own calls fail

    def check(self, session, channel, first):
        name = first.get("name")
        with session.lock:
            expected = session.expected
        if expected is None or expected.exercise != name:
            if expected is not None:
                session.record(
                    expected,
                    False,
                    f"a check of {name!r} ran inside the hidden test of "
                    f"{expected.exercise}; the hidden test cell must only run its own check",
                )
            verdict = (False, "hidden tests run only in their own cells when a notebook is graded")
            return self.tell(channel, *verdict)
        if not session.busy.acquire(blocking=False):
            session.record(expected, False, f"{name}: a check ran inside another check")
            return self.tell(channel, False, "a check ran inside another check")
        try:
            passed, message = self.verdict(channel, name, first, session)
        except Closed:
            return  # the kernel stopped (a timeout, a crash): the cell's own error says so
        except WireError as error:
            passed, message = False, f"{name}: the notebook interfered with the hidden test ({error})"
        except Exception as error:  # a failure of the grader itself, not of the student
            log.error("the judge failed on %s:\n%s", name, traceback.format_exc())
            passed, message = False, f"{name}: the grader failed while checking ({type(error).__name__})"
        finally:
            session.busy.release()
        session.record(expected, passed, message)
        try:
            self.tell(channel, passed, message)
        except (OSError, WireError):
            pass

    def verdict(self, channel, name, first, session):
        exercise = engine.EXERCISES.get(name)
        if exercise is None:
            return False, f"no exercise named {name!r}"
        ownership = first.get("ownership")
        if ownership is not None:
            return False, str(ownership)[:1000]
        handles = Handles()
        channel.send(
            {"op": "start", "uses": {key: handles.add(value) for key, value in exercise.uses.items()}}
        )
        function = RemoteFunction(channel, handles, first.get("argnames"))
        seed = case_seed(name, session.student, self.course)
        problem, count = engine.first_problem(exercise, function, seed)
        message = with_seed(problem or engine.passed_message(name, count), session.student, seed)
        return problem is None, message

    @staticmethod
    def tell(channel, passed, message):
        channel.send({"op": "verdict", "passed": passed, "message": message})
