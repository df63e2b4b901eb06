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

The functions of earlier notebooks that the notebook imports (autograder.kernel.course_function,
`from mywork import ...`), and the course functions the student's code calls during a check,
run with the kernel's arguments, so never here: the judge hands the former's connections to
the notebook's reference process (references.py) and relays the latter's calls to it. The
kernel's arguments are plain data (placeholders for anything else), so a reference never runs
the kernel's code; a function passed as an argument is called back in the kernel.
"""

import functools
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
from autograder.engine.seeds import case_seed, with_seed
from autograder.kernel.calls import Outcome, Remote
from autograder.kernel.wire import Channel, Closed, WireError, decode, encode, short_path
from autograder.sandbox.references import (
    Handles,
    ReferenceServer,
    call_arguments,
    error_type,
    reference_reply,
)

log = logging.getLogger(__name__)

FIRST_MESSAGE_TIMEOUT = 30  # seconds a new connection may take to say who it is
FIRST_MESSAGE_SIZE = 64 * 1024  # bytes: who it is and what it asks for
MAX_CONNECTIONS = 64  # waiting for their first message at once


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

    def __init__(self, channel, handles, argnames, relay):
        if type(argnames) is not list or not all(type(n) is str for n in argnames):
            raise WireError("the argument names are malformed")
        self.channel, self.handles, self.relay = channel, handles, relay
        relay.serve_here = self.serve_here
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
        """A call back of one of the judge's functions: a course function the student's code uses
        runs in the notebook's reference process; a function of the case, here."""
        key = message.get("id")
        self.channel.send(
            self.relay.call(key, message) if key in self.relay.uses else self.serve_here(message)
        )

    def serve_here(self, message):
        function = self.handles.get(message.get("id"))
        args, kwargs = call_arguments(message, self.handles.get)
        return reference_reply(function, args, kwargs, self.handles.add, plain_error=False)

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


class Relay:
    """The calls of course functions during one check, passed on to the notebook's reference
    process: one connection per function, closed when the check ends (so that a function the
    student's code kept serves nothing later)."""

    def __init__(self, session, exercise, uses, handles):
        self.session, self.exercise, self.uses = session, exercise, uses  # uses: handle -> name
        self.handles, self.channels = handles, {}
        self.serve_here = None  # how the check runs a function of the judge that a call passes on

    def call(self, key, message):
        """The reply to the kernel's call `message` of the course function of handle `key`."""
        try:
            request = {"op": "call", "args": message.get("args"), "kwargs": message.get("kwargs")}
            reply = self.exchange(key, request)
        except (OSError, WireError) as error:  # the reference process ended: over its limits
            self.channels.pop(key, None)
            why = "it went over the notebook's memory or time limit" if isinstance(error, Closed) else error
            return {"op": "raise", "message": f"the course's {self.uses[key]} stopped: {why}"}
        if reply["op"] == "raise":  # as the judge says a reference's error (RemoteFunction.serve_here)
            return {"op": "raise", "message": f"{reply.get('type')}: {reply.get('message')}"}
        rebuild = functools.partial(ReturnedFunction, self, key)  # a function a reference returned
        for part in ("value", "args_after"):
            if reply.get(part) is not None:
                reply[part] = encode(decode(reply[part], rebuild), self.handles.add)
        return reply

    def exchange(self, key, request):
        """Send the request on the connection of key's function; answer its calls back of the
        judge's functions until the reply comes."""
        channel = self.channels.get(key) or self.connect(key)
        channel.send(request)
        while True:
            reply = channel.receive()
            if reply["op"] != "callback":
                return reply
            if reply.get("id") in self.uses:
                raise WireError("a course function passed to a course function")
            channel.send(self.serve_here(reply))

    def connect(self, key):
        ours, theirs = socket.socketpair()
        with theirs:
            process = self.session.reference_process()
            if process is None or not process.hand_over(theirs, {"exercise": self.exercise}, self.uses[key]):
                ours.close()
                raise Closed("the reference process has ended")
        channel = self.channels[key] = Channel(ours)
        if channel.receive()["op"] != "ready":
            raise WireError(f"{self.uses[key]} is not a course function of {self.exercise}")
        return channel

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        for channel in self.channels.values():
            channel.sock.close()


class ReturnedFunction:
    """A function that a course function returned (activation_functions): it stays in the
    reference process, and the kernel calls it through the judge."""

    def __init__(self, relay, key, returned_id):
        self.relay, self.key, self.id = relay, key, returned_id

    def __call__(self, *args, **kwargs):
        add = self.relay.handles.add
        request = {"op": "callback", "id": self.id, "args": encode(args, add), "kwargs": encode(kwargs, add)}
        reply = self.relay.exchange(self.key, request)
        if reply["op"] == "raise":
            raise error_type(reply.get("type"))(str(reply.get("message", ""))[:2000])
        return decode(reply.get("value"), functools.partial(ReturnedFunction, self.relay, self.key))


@dataclass
class Expectation:
    cell: str
    exercise: str
    verdicts: list = field(default_factory=list)  # (passed, message) of every check in the cell


class Session:
    """The judge's state for one notebook: its assignment, the token of its kernel and the
    hidden-test cell now running."""

    def __init__(self, judge, assignment, token, student, limits):
        self.judge, self.limits = judge, limits  # of its reference process: MB, CPU seconds
        self.assignment = assignment
        self.student = student  # whose hidden-test cases are drawn (engine/seeds.py)
        self.token = token or new_token()
        self.lock = threading.Lock()
        self.busy = threading.Lock()
        self.expected = None
        self.references = None  # its reference process, from its first call of a course function

    @property
    def address(self):
        """RNN_JUDGE for a kernel that sees the judge's socket where the judge put it."""
        return f"{self.judge.path}:{self.token}"

    def reference_process(self):
        """The process that runs this notebook's calls of course functions (forked on first use)."""
        with self.lock:
            if self.references is None:
                self.references = self.judge.references.new_process(*self.limits)
            return self.references

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
        self.session, self.references = None, ReferenceServer()
        threading.Thread(target=self.serve_forever, name="judge", daemon=True).start()

    def open_session(self, assignment=None, token=None, student=None, limits=(2048, 900)):  # GradingExecute's
        """The session of the next notebook (of `assignment`, run by the kernel holding `token`),
        whose hidden-test cases are drawn for `student` of the judge's course; the functions of
        earlier notebooks it calls run within `limits` (MB of address space, CPU seconds)."""
        if self.references.process.poll() is not None:  # killed: the next notebook has a new one
            self.references = ReferenceServer()
        self.session = Session(self, assignment, token, student, limits)
        return self.session

    def close_session(self):
        """The notebook has ended, and so has its reference process if it called one."""
        session, self.session = self.session, None
        if session is not None and session.references is not None:
            session.references.stop()

    def close(self):
        self.close_session()
        self.references.stop()

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
                first = channel.receive(FIRST_MESSAGE_SIZE)
                connection.settimeout(None)
            except (OSError, WireError):
                return
            session = self.session
            token = first.get("token")
            if session is None or type(token) is not str or not hmac.compare_digest(token, session.token):
                return
            if first["op"] == "course":
                self.serve_course(session, connection, channel, first.get("name"))
            else:
                self.check(session, channel, first)

    def serve_course(self, session, connection, channel, name):
        """Hand a kernel's calls of a function of an earlier notebook to the session's reference
        process (references.py): the judge never runs them."""
        references = session.reference_process()
        if references is None or not references.hand_over(
            connection, {"assignment": session.assignment}, name
        ):
            message = "the functions of earlier notebooks stopped: they went over the notebook's limits"
            channel.send({"op": "refused", "message": message})

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
        uses = {handles.add(value): key for key, value in exercise.uses.items()}
        channel.send({"op": "start", "uses": {key: handle for handle, key in uses.items()}})
        relay = Relay(session, name, uses, handles)
        function = RemoteFunction(channel, handles, first.get("argnames"), relay)
        seed = case_seed(name, session.student, self.course)
        with relay:
            problem, count = engine.first_problem(exercise, function, seed)
        message = with_seed(problem or engine.passed_message(name, count), session.student, seed)
        return problem is None, message

    @staticmethod
    def tell(channel, passed, message):
        channel.send({"op": "verdict", "passed": passed, "message": message})
