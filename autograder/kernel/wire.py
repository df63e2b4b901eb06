"""The wire between a graded notebook's kernel and the judge, and the kernel side of check().

When the grading command runs a notebook (python -m autograder.grading), the student's kernel
holds neither the exercises nor the reference solutions. There, check(name, function) opens
a connection to the judge in the grader's own process (autograder/sandbox/judge.py: a Unix
socket, the only way out of the sandbox; its path and a token in the environment variable
RNN_JUDGE); the judge draws the seeded cases, asks the kernel to call the student's function
on each, computes the references, compares and records the verdict itself. Whatever a
notebook patches in its own process (numpy, the checker, builtins), it cannot change a
verdict made in another. course_function(name) is the kernel's handle on a function of an
earlier notebook, whose reference runs in the notebook's reference process, which the judge
connects it to (carried-forward work).

Values cross the wire as JSON, and arrays as their raw bytes after it in the same message
(read back by dtype and shape, never unpickled); only plain types are ever rebuilt, so
decoding what a kernel sent never runs the kernel's code: an object of any other type
arrives as a placeholder that only knows its type's name (and fails every comparison).
Callables (the reference helpers an exercise lets the student call, a function passed as an
argument) stay where they are and travel as handles; calling one is a round trip.
"""

import base64
import builtins
import json
import math
import os
import re
import socket
import struct
import threading

import numpy as np

UNIX_PATH_MAX = 107  # bytes of a Unix socket's path (sockaddr_un.sun_path, less its final zero)
MAX_FRAME = 64 * 1024 * 1024  # bytes of one message
MAX_DEPTH = 32  # nesting of tuples, lists and dicts
ARRAY_KINDS = "biufcUSmM"  # plain dtypes: their bytes are their values (never pointers)
DTYPE = re.compile(r"[<>|=]?[biufcUSmM]\d{0,3}(\[\w{1,3}\])?")


class WireError(Exception):
    """A message that breaks the protocol: malformed, too large, or out of turn."""


class Closed(WireError):
    """The other side closed the connection."""


# ---------------------------------------------------------------- framing


class Channel:
    """Messages over a socket: a JSON object, then the bytes of the arrays in it, in order.

    A frame is its length (4 bytes), the JSON's length (4 bytes), the JSON, then the arrays'
    bytes; in the JSON an array is {"@buffer": [dtype, shape]}, its bytes the next ones."""

    def __init__(self, sock):
        self.sock = sock

    def send(self, message):
        buffers = []
        data = json.dumps(message, default=lambda array: array_header(array, buffers)).encode()
        size = 4 + len(data) + sum(len(buffer) for buffer in buffers)
        if size > MAX_FRAME:
            raise WireError(f"a message of {size} bytes is larger than the limit of {MAX_FRAME}")
        self.sock.sendall(struct.pack(">II", size, len(data)) + data)
        for buffer in buffers:
            self.sock.sendall(buffer)

    def receive(self, limit=MAX_FRAME):
        (size,) = struct.unpack(">I", self._exactly(4))
        if size > limit:
            raise WireError(f"a message of {size} bytes is larger than the limit of {limit}")
        frame = memoryview(self._exactly(size))
        (length,) = struct.unpack(">I", frame[:4]) if size >= 4 else (size,)
        if not 0 < length <= size - 4:
            raise WireError("a message's parts are malformed")
        arrays = ArrayReader(frame[4 + length :])
        try:
            message = json.loads(bytes(frame[4 : 4 + length]), object_hook=arrays.hook)
        except ValueError as error:
            raise WireError(f"a message is not JSON: {error}") from None
        if type(message) is not dict or type(message.get("op")) is not str or not arrays.done():
            raise WireError("a message is not an object with an `op`, and its arrays")
        return message

    def _exactly(self, count):
        chunks, received = [], 0
        while received < count:
            chunk = self.sock.recv(min(count - received, 1 << 20))
            if not chunk:
                raise Closed("the connection was closed")
            chunks.append(chunk)
            received += len(chunk)
        return b"".join(chunks)


def array_header(value, buffers):
    """JSON's stand-in for an array of a message (its bytes go after the JSON)."""
    if type(value) is not np.ndarray:
        raise TypeError(f"{type(value).__name__} is not JSON")
    buffers.append(value.tobytes())
    return {"@buffer": [value.dtype.str, list(value.shape)]}


class ArrayReader:
    """Rebuilds the arrays of a received message from the bytes after its JSON, each once, in order."""

    def __init__(self, data):
        self.data, self.offset = data, 0

    def hook(self, obj):
        if "@buffer" not in obj:
            return obj
        try:
            dtype_str, shape = obj["@buffer"]
            if not isinstance(dtype_str, str) or not DTYPE.fullmatch(dtype_str):
                raise ValueError("its dtype")
            if type(shape) is not list or len(shape) > 32 or any(type(n) is not int or n < 0 for n in shape):
                raise ValueError("its shape")
            dtype = np.dtype(dtype_str)
            if dtype.itemsize == 0:
                raise ValueError("its dtype has no size")
        except (TypeError, ValueError) as error:
            raise WireError(f"an array is malformed: {error}") from None
        count = math.prod(shape)
        if count * dtype.itemsize > len(self.data) - self.offset:
            raise WireError("an array's bytes are missing")
        array = np.frombuffer(self.data, dtype, count, self.offset).reshape(shape).copy()
        self.offset += count * dtype.itemsize
        return array

    def done(self):
        return self.offset == len(self.data)


# ---------------------------------------------------------------- values


def type_name(value):
    """The name of a value's type, as a short identifier (never runs the value's code)."""
    name = type.__dict__["__name__"].__get__(type(value))
    return re.sub(r"\W", "_", str(name))[:60] or "object"


def received_array(data):
    """The array of an encoded value: one that the channel rebuilt from its bytes (or encode made)."""
    array = data["array"]
    if type(array) is not np.ndarray:
        raise WireError("an array is not an array's bytes")
    return array


def encode(value, handle=None, depth=0):
    """A JSON-ready form of value. handle(callable) -> id or None decides which callables travel
    as handles; any other object that is not plain data travels as its type's name."""
    kind = type(value)
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.ndarray and value.dtype.kind in ARRAY_KINDS and value.dtype.fields is None:
        return {"@": "ndarray", "array": np.array(value, order="C")}  # a copy: sent as it is now
    if isinstance(value, np.generic) and kind.__module__ == "numpy" and value.dtype.kind in ARRAY_KINDS:
        return {"@": "scalar", "array": np.asarray(value).copy()}
    if kind is complex:
        return {"@": "complex", "re": value.real, "im": value.imag}
    if isinstance(value, np.dtype) and value.kind in ARRAY_KINDS and value.fields is None:
        return {"@": "dtype", "str": value.str}
    if isinstance(value, type) and issubclass(value, np.generic) and value.__module__ == "numpy":
        if np.dtype(value).kind in ARRAY_KINDS:
            return {"@": "scalar_type", "str": np.dtype(value).str}
    if kind is bytes:
        return {"@": "bytes", "b64": base64.b64encode(value).decode()}
    if kind in (tuple, list):
        return {"@": kind.__name__, "items": [encode(item, handle, depth + 1) for item in value]}
    if kind is dict:
        items = [[encode(k, handle, depth + 1), encode(v, handle, depth + 1)] for k, v in value.items()]
        return {"@": "dict", "items": items}
    if handle is not None and callable(value):
        key = handle(value)
        if key is not None:
            return {"@": "callable", "id": key}
    return {"@": "opaque", "type": type_name(value)}


class Opaque:
    """Stands for an object that did not cross the wire; its type carries the original's name."""

    def __repr__(self):
        return f"<{type(self).__name__} object>"


_opaque_types = {}


def opaque(name):
    name = re.sub(r"\W", "_", str(name))[:60] or "object"
    if name not in _opaque_types:
        _opaque_types[name] = type(name, (Opaque,), {"__module__": "student"})
    return _opaque_types[name]()


def decode(data, callable_of=None, depth=0):
    """The value that encode() turned into data. callable_of(id) rebuilds a handle; without it a
    handle becomes a placeholder. Raises WireError on anything malformed."""
    if depth > MAX_DEPTH:
        raise WireError("the value is nested too deeply")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is not dict:
        raise WireError(f"unexpected {type(data).__name__} in a value")
    tag = data.get("@")
    try:
        if tag == "ndarray":
            return received_array(data)
        if tag == "scalar":
            array = received_array(data)
            if array.shape != ():
                raise WireError("a scalar has a shape")
            return array[()]
        if tag == "complex":
            return complex(float(data["re"]), float(data["im"]))
        if tag in ("dtype", "scalar_type"):
            if not isinstance(data["str"], str) or not DTYPE.fullmatch(data["str"]):
                raise WireError("a dtype is malformed")
            dtype = np.dtype(data["str"])
            return dtype if tag == "dtype" else dtype.type
        if tag == "bytes":
            return base64.b64decode(data["b64"], validate=True)
        if tag in ("tuple", "list"):
            items = [decode(item, callable_of, depth + 1) for item in data["items"]]
            return tuple(items) if tag == "tuple" else items
        if tag == "dict":
            pairs = [
                (decode(k, callable_of, depth + 1), decode(v, callable_of, depth + 1))
                for k, v in data["items"]
            ]
            if any(type(k) not in (str, int, float, bool, type(None), tuple) for k, _ in pairs):
                raise WireError("a dict key is not plain data")
            return dict(pairs)
        if tag == "callable":
            return callable_of(data["id"]) if callable_of else opaque("function")
        if tag == "opaque":
            return opaque(data["type"])
    except (KeyError, TypeError, ValueError) as error:
        raise WireError(f"a {tag} value is malformed: {error}") from None
    raise WireError(f"unknown value tag {tag!r}")


# ---------------------------------------------------------------- the kernel side of check()


class JudgeCallable:
    """A callable that lives with the judge (a reference helper, a function argument)."""

    def __init__(self, channel, key):
        self._channel, self._key = channel, key

    def __call__(self, *args, **kwargs):
        arguments = {"args": encode(args, self._handle), "kwargs": encode(kwargs, self._handle)}
        self._channel.send({"op": "callback", "id": self._key, **arguments})
        return call_result(self._channel, self._channel.receive(), args)

    def __deepcopy__(self, memo):
        return self

    @staticmethod
    def _handle(value):
        return value._key if isinstance(value, JudgeCallable) else None


def call_result(channel, reply, args):
    """The value of a call that the judge answered with `reply` (a return or a raise); the
    arrays in args that the call changed in place are changed here too."""
    rebuild = lambda key: JudgeCallable(channel, key)  # noqa: E731
    if reply["op"] in ("return", "raise") and reply.get("args_after") is not None:
        for original, after in zip(args, decode(reply["args_after"], rebuild), strict=False):
            write_back(original, after)  # the call changed its arguments in place
    if reply["op"] == "return":
        return decode(reply["value"], rebuild)
    if reply["op"] == "raise":
        raise builtin_error(reply.get("type"))(str(reply.get("message", "")))
    raise WireError(f"unexpected {reply['op']!r} during a call")


def write_back(original, new):
    """Make original hold new's values, in place where it can (arrays, and what lists and dicts hold)."""
    if type(original) is np.ndarray and type(new) is np.ndarray:
        if original.shape == new.shape and original.flags.writeable:
            original[...] = new
            return original
        return new
    if type(original) is dict and type(new) is dict:
        for key in [key for key in original if key not in new]:
            del original[key]
        for key, value in new.items():
            original[key] = write_back(original[key], value) if key in original else value
        return original
    if type(original) in (list, tuple) and type(new) is type(original) and len(original) == len(new):
        updated = [write_back(o, n) for o, n in zip(original, new, strict=True)]
        if type(original) is list:
            original[:] = updated
        return original
    return new


def describe_error(error):
    """What the judge needs of an exception the student's function raised."""
    from autograder.kernel.calls import student_frame

    try:
        message = str(error)
    except Exception:  # a student's exception whose __str__ fails
        message = "?"
    return {
        "type": type_name(error),
        "message": message[:2000],
        "frame": student_frame(error),
        "not_implemented": isinstance(error, NotImplementedError),
    }


def judged_check(name, function, address):
    """check() in a graded kernel: the judge at `address` decides; this relays and reports."""
    __tracebackhide__ = True
    from autograder.kernel.calls import isolated, ownership_problem, run
    from autograder.kernel.check import CheckFailed

    problem = ownership_problem(name, function, judged_check)
    code = getattr(function, "__code__", None)
    names = list(code.co_varnames[: code.co_argcount]) if problem is None else []
    sock, token = connect(address)
    with sock:
        channel = Channel(sock)
        channel.send({"op": "check", "token": token, "name": name, "ownership": problem, "argnames": names})
        handle = JudgeCallable._handle
        while True:
            message = channel.receive()
            op = message["op"]
            if op == "start":
                uses = {key: JudgeCallable(channel, ref) for key, ref in message["uses"].items()}
                function = isolated(function, uses)
            elif op == "call":
                args = decode(message["args"], lambda key: JudgeCallable(channel, key))
                outcome = run(function, args)
                reply = {"op": "outcome", "warning": outcome.warning, "error": None}
                if outcome.error is not None:
                    reply["error"] = describe_error(outcome.error)
                reply["value"] = encode(outcome.value, handle)
                reply["args_after"] = encode(tuple(outcome.args_after), handle)
                channel.send(reply)
            elif op == "verdict":
                break
            else:
                raise WireError(f"unexpected {op!r} from the judge")
    if not message.get("passed"):
        raise CheckFailed(message.get("message", "")) from None
    print(message.get("message", ""))


def connect(address):
    """(a socket connected to the judge, the token) for an RNN_JUDGE address `path:token`."""
    path, token = address.rsplit(":", 1)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    short, folder = short_path(path)
    try:
        sock.connect(short)
    except OSError:
        sock.close()
        raise
    finally:
        if folder is not None:
            os.close(folder)
    return sock, token


def short_path(path, room=0):
    """(a path to `path` that fits a Unix socket's address with `room` bytes to spare, the open
    folder it goes through or None): a long path is reached through its folder opened by this
    process, /proc/self/fd/N/name, valid in this process while N is open (close it after)."""
    if len(os.fsencode(path)) + room <= UNIX_PATH_MAX:
        return path, None
    folder = os.open(os.path.dirname(path), os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    return f"/proc/self/fd/{folder}/{os.path.basename(path)}", folder


def builtin_error(name):
    """Python's exception class of that name, or RuntimeError (the judge names a reference's error)."""
    error = getattr(builtins, name, None) if isinstance(name, str) else None
    return error if isinstance(error, type) and issubclass(error, Exception) else RuntimeError


# ---------------------------------------------------------------- functions of earlier notebooks


class CourseFunction:
    """A function of an earlier notebook, as a graded kernel has it: each call runs the reference
    in the notebook's reference process (autograder/sandbox/references.py). Arguments and the
    result cross the wire as data (arrays that the reference changes in place are changed here
    too); a function passed as an argument stays here and is called back, after the arrays the
    reference changed so far are copied here (so that `eval_numerical_gradient(f, x)` works
    with an `f` that reads the nudged `x` from elsewhere).
    """

    def __init__(self, name, address):
        self.__name__ = self.__qualname__ = name
        self._lock = threading.Lock()
        sock, token = connect(address)
        self._channel = Channel(sock)
        self._channel.send({"op": "course", "token": token, "name": name})
        reply = self._channel.receive()
        if reply["op"] != "ready":
            sock.close()
            raise ImportError(str(reply.get("message", f"{name} is not available")))

    def __repr__(self):
        return f"<function {self.__name__} of an earlier notebook (the reference, under grading)>"

    def __deepcopy__(self, memo):
        return self

    def __call__(self, *args, **kwargs):
        __tracebackhide__ = True
        with self._lock:
            local = []
            handle = lambda value: str(local.append(value) or len(local) - 1)  # noqa: E731
            self._channel.send({"op": "call", "args": encode(args, handle), "kwargs": encode(kwargs, handle)})
            while True:
                reply = self._channel.receive()
                if reply["op"] != "callback":
                    return call_result(self._channel, reply, args)
                self._call_back(reply, args, local)

    def _call_back(self, message, args, local):
        """Call one of the functions passed to the reference, as the reference asks."""
        key = message.get("id")
        if type(key) is not str or not key.isdigit() or int(key) >= len(local):
            raise WireError("a call back to an unknown function")
        if message.get("args_now") is not None:
            for original, now in zip(args, decode(message["args_now"]), strict=False):
                write_back(original, now)
        try:
            value = local[int(key)](*decode(message.get("args")))
        except Exception as error:  # the student's function, called for the reference
            self._channel.send({"op": "raise", "type": type_name(error), "message": str(error)[:2000]})
        else:
            self._channel.send({"op": "return", "value": encode(value)})
