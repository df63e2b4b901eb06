"""The judge gives the verdict that check() gives in the student's kernel, and a kernel cannot fool it.

Here this process plays the kernel: judged_check() talks to a Judge over its socket, exactly as
a graded notebook's kernel does, so every exercise of every assignment is run through the wire
(arguments out, outputs back, reference helpers and function arguments called across it).
"""

import json
import resource
import socket
import struct
import time

import numpy as np
import pytest
from conftest import as_student_code, notebook_names

from autograder import CheckFailed, check
from autograder.engine import EXERCISES, MISTAKES, load_exercises
from autograder.kernel import course_function
from autograder.kernel.calls import ownership_problem
from autograder.kernel.check import JUDGE_ENV
from autograder.kernel.wire import Channel, CourseFunction, WireError, decode, encode, judged_check
from autograder.sandbox.judge import FIRST_MESSAGE_SIZE, MAX_CONNECTIONS, Judge
from solutions import rnn_forward as ref04
from solutions import softmax_classifier as ref02
from solutions import spiral_activations as ref01
from solutions import three_layer_net as ref03

load_exercises()


@pytest.fixture(scope="module")
def judge(tmp_path_factory):
    judge = Judge(tmp_path_factory.mktemp("judge"))
    yield judge
    judge.close()  # and its reference server


def connected(judge):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(judge.path))
    return sock


@pytest.fixture
def session(judge):
    """A session of the judge, closed after the test."""
    yield judge.open_session()
    judge.close_session()


def verdict_here(name, function):
    """(passed, message) of the in-kernel check()."""
    try:
        check(name, function)
    except CheckFailed as failure:
        return False, str(failure)
    except Exception as error:  # a function that needs more than numpy (the judge must agree)
        return False, f"{type(error).__name__}"
    return True, ""


def verdict_judged(judge, name, function, cell="cell"):
    """(passed, message) of judged_check() as the kernel sees it, and the verdicts the judge recorded."""
    session = judge.open_session()
    session.expect(cell, name)
    try:
        judged_check(name, function, session.address)
        seen = (True, "")
    except CheckFailed as failure:
        seen = (False, str(failure))
    except Exception as error:
        seen = (False, f"{type(error).__name__}")
    recorded = session.finish()
    judge.close_session()
    return seen, recorded


def student_versions(name):
    """The reference and every known mistake that fits in a notebook, as student code."""
    exercise = EXERCISES[name]
    found = []
    for description, function in [("reference", exercise.reference), *MISTAKES.get(name, [])]:
        names = notebook_names(function, exercise)
        if names is not None:
            found.append((description[:30], as_student_code(function, exercise.reference.__name__, **names)))
    return found


CASES = [
    pytest.param(name, label, function, id=f"{name}:{label}")
    for name in sorted(EXERCISES)
    for label, function in student_versions(name)
]


@pytest.mark.parametrize("name, label, function", CASES)
def test_the_judge_agrees_with_check_in_the_kernel(judge, name, label, function):
    here = verdict_here(name, function)
    (passed, message), recorded = verdict_judged(judge, name, function)
    assert passed == here[0], f"{name} ({label}): in the kernel {here}, judged {message}"
    if not passed:
        assert message == here[1]
        assert recorded == [(False, message)]
    else:
        assert recorded and recorded[0][0]


def relu(x):
    return np.maximum(0.0, x)


def test_a_check_outside_its_cell_is_refused_without_running_a_case(session):
    calls = []

    def counting_relu(x):
        calls.append(1)
        return np.maximum(0.0, x)

    with pytest.raises(CheckFailed, match="only in their own cells"):
        judged_check("relu", counting_relu, session.address)
    assert calls == [] and session.finish() == []
    session.expect("sigmoid_tests", "sigmoid")
    with pytest.raises(CheckFailed, match="only in their own cells"):
        judged_check("relu", as_student_code(relu), session.address)
    (verdict,) = session.finish()
    assert verdict[0] is False and "ran inside the hidden test of sigmoid" in verdict[1]


def test_every_check_in_the_cell_must_pass(session):
    session.expect("relu_tests", "relu")
    judged_check("relu", as_student_code(relu), session.address)
    with pytest.raises(CheckFailed):
        judged_check("relu", lambda x: x, session.address)
    verdicts = session.finish()
    assert [passed for passed, _ in verdicts] == [True, False]


def test_a_check_inside_a_check_fails(session):
    session.expect("relu_tests", "relu")

    def nesting(x):
        judged_check("relu", as_student_code(relu), session.address)
        return np.maximum(0.0, x)

    with pytest.raises(CheckFailed):
        judged_check("relu", nesting, session.address)
    assert any(not passed for passed, _ in session.finish())


def test_a_wrong_token_is_ignored(judge, session):
    session.expect("relu_tests", "relu")
    with connected(judge) as sock:
        Channel(sock).send(
            {"op": "check", "token": "0" * 32, "name": "relu", "ownership": None, "argnames": ["x"]}
        )
        assert sock.recv(1) == b""  # closed without an answer
    assert session.finish() == []


def test_a_kernel_that_breaks_the_protocol_fails_its_check(judge, session):
    session.expect("relu_tests", "relu")
    with connected(judge) as sock:
        channel = Channel(sock)
        channel.send(
            {"op": "check", "token": session.token, "name": "relu", "ownership": None, "argnames": ["x"]}
        )
        assert channel.receive()["op"] == "start"
        assert channel.receive()["op"] == "call"
        channel.send({"op": "outcome", "value": {"@": "pickle", "data": "gASVAAAAAA=="}, "args_after": None})
        verdict = channel.receive()
    assert verdict["op"] == "verdict" and not verdict["passed"]
    (recorded,) = session.finish()
    assert recorded[0] is False and "interfered with the hidden test" in recorded[1]


@pytest.mark.parametrize(
    "data",
    [
        {"@": "pickle", "data": "gASV"},
        {"@": "ndarray", "array": [1.0, 2.0]},  # an array must come from its bytes
        [1, 2, 3],  # lists travel tagged
        {"@": "dict", "items": [[{"@": "list", "items": []}, 1]]},  # an unhashable key
    ],
)
def test_decoding_refuses_anything_but_plain_data(data):
    with pytest.raises(WireError):
        decode(data)


def test_object_arrays_and_foreign_objects_arrive_as_placeholders():
    class Liar:
        def __eq__(self, other):
            return True

    for value in (Liar(), np.array([Liar()], dtype=object), np.zeros(2).view(np.matrix)):
        arrived = decode(encode(value))
        assert type(arrived).__module__ == "student"
        assert not isinstance(arrived, np.ndarray) and type(arrived).__name__ == type(value).__name__
    nested = decode(encode(((np.arange(3), {"a": np.float32(1.5)}), [None, True, 2, 3.0, "s"])))
    assert nested[0][0].tolist() == [0, 1, 2] and nested[0][1]["a"].dtype == np.float32


def raw_frame(message, payload=b""):
    """A frame as a kernel could write it: any JSON, any bytes after it."""
    data = json.dumps(message).encode()
    return struct.pack(">II", 4 + len(data) + len(payload), len(data)) + data + payload


def received(frame):
    reader, writer = socket.socketpair()
    with reader, writer:
        writer.sendall(frame)
        return Channel(reader).receive()


def test_arrays_cross_the_wire_as_their_bytes_with_dtype_and_shape():
    arrays = [
        np.arange(12.0).reshape(3, 4).T,  # not contiguous
        np.array(3.5, dtype=np.float32),
        np.zeros((0, 5)),
        np.array(["ab", "c"]),
        np.array([True, False]),
        np.array(["2026-11-28"], dtype="M8[D]"),
        np.arange(6, dtype=np.uint8).reshape(1, 2, 3),
    ]
    reader, writer = socket.socketpair()
    with reader, writer:
        Channel(writer).send({"op": "x", "value": encode(tuple(arrays))})
        back = decode(Channel(reader).receive()["value"])
    for sent, got in zip(arrays, back, strict=True):
        assert got.dtype == sent.dtype and got.shape == sent.shape and np.array_equal(got, sent)
        assert got.flags.writeable


@pytest.mark.parametrize(
    "header, payload",
    [
        (["<f8", [1000]], b"\0" * 8),  # fewer bytes than the shape says
        (["<f8", [2**40, 2**40]], b""),  # a shape whose size overflows
        (["|O", [1]], b"\0" * 8),  # objects (pointers)
        (["<f8", [-1]], b""),
        (["<f8", "1"], b"\0" * 8),
        (["|V8", [1]], b"\0" * 8),  # void: not a plain dtype
        (["<f8", [1]], b"\0" * 16),  # bytes left over
    ],
)
def test_an_arrays_header_that_does_not_match_its_bytes_is_refused(header, payload):
    with pytest.raises(WireError):
        received(
            raw_frame({"op": "outcome", "value": {"@": "ndarray", "array": {"@buffer": header}}}, payload)
        )


def test_each_arrays_bytes_are_read_once():
    """Two headers may not share bytes: what arrives is never larger than what was sent."""
    both = {"op": "x", "a": {"@buffer": ["<f8", [4]]}, "b": {"@buffer": ["<f8", [4]]}}
    with pytest.raises(WireError):
        received(raw_frame(both, b"\0" * 32))
    assert received(raw_frame(both, b"\0" * 64))["b"].shape == (4,)


def test_oversized_messages_are_refused():
    reader, writer = socket.socketpair()
    with reader, writer:
        writer.sendall(struct.pack(">I", 2**31))
        with pytest.raises(WireError, match="larger than the limit"):
            Channel(reader).receive()


# ---------------------------------------------------------------- functions of earlier notebooks


@pytest.fixture
def notebook_05(judge):
    """The judge's session of a notebook of 05, whose kernel this process plays."""
    yield judge.open_session("05_rnn_backward")
    judge.close_session()


def test_a_course_function_runs_the_reference_of_an_earlier_notebook(notebook_05, monkeypatch):
    rng = np.random.default_rng(4)
    params = ref04.init_rnn_parameters(3, 5, 2, seed=1)
    x, a0 = rng.standard_normal((3, 4, 6)), rng.standard_normal((5, 4))
    monkeypatch.setenv(JUDGE_ENV, notebook_05.address)
    rnn_forward = course_function("rnn_forward")
    assert isinstance(rnn_forward, CourseFunction)
    a, y, (caches, x_back) = rnn_forward(x, a0, parameters=params)
    expected = ref04.rnn_forward(x, a0, params)
    assert np.array_equal(a, expected[0]) and np.array_equal(y, expected[1])
    assert np.array_equal(caches[2][0], expected[2][0][2][0]) and np.array_equal(x_back, x)
    softmax = CourseFunction("softmax", notebook_05.address)  # 04's column softmax, not 02's
    z = rng.standard_normal((3, 4))
    assert np.allclose(softmax(z).sum(axis=0), 1)
    with pytest.raises(ValueError):  # the reference's own error, as the reference raised it
        rnn_forward(x[:, :, 0], a0, params)


@pytest.mark.parametrize("name", ["rnn_backward", "lstm_forward", "check", "os"])
def test_its_own_later_and_unknown_functions_are_refused(notebook_05, name):
    with pytest.raises(ImportError, match=f"{name} is not a function of a notebook before 05"):
        CourseFunction(name, notebook_05.address)


def test_a_course_function_needs_the_token(judge, notebook_05):
    with pytest.raises(WireError):
        CourseFunction("rnn_forward", f"{judge.path}:{'0' * 32}")


def test_a_function_argument_sees_the_arrays_the_reference_nudges(judge):
    """eval_numerical_gradient(f, x) with an f that reads x from elsewhere, as lessons write it."""
    session = judge.open_session("03_three_layer_net")
    try:
        gradient = CourseFunction("eval_numerical_gradient", session.address)
        weights = np.array([[1.0, -2.0], [0.5, 3.0]])

        def loss(_):  # ignores its argument: reads the weights being nudged in place
            return float(np.sum(weights**3))

        numerical = gradient(loss, weights)
        assert np.allclose(numerical, 3 * weights**2, rtol=1e-6)
        assert np.array_equal(weights, [[1.0, -2.0], [0.5, 3.0]])  # restored
        here = weights.copy()
        for function, arrays in ((gradient, weights), (ref02.eval_numerical_gradient, here)):
            with pytest.raises(ZeroDivisionError):  # the error of the function passed, as it raised it
                function(lambda v: 1 / 0, arrays)
        assert np.array_equal(weights, here)  # left as the reference left it, nudged
    finally:
        judge.close_session()


def peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_a_course_function_over_the_notebooks_limits_fails_there_not_in_the_grader(judge):
    """The red team's attack: make_spiral asked for 1.6 GB, then for 5 s of work. They run in the
    notebook's reference process, within the notebook's limits (1024 MB, 2 s of CPU here): the
    first raises MemoryError in the notebook, the second ends that process; the grading process
    neither holds the memory nor spends the time, and the next notebook is served."""
    session = judge.open_session("02_softmax_classifier", limits=(1024, 2))
    try:
        spiral = CourseFunction("make_spiral", session.address)
        memory_before = peak_memory_mb()
        with pytest.raises(MemoryError):
            spiral(N=100_000_000, K=1)
        assert peak_memory_mb() - memory_before < 100
        X, y = spiral(N=5, K=2)  # the process lives on
        assert X.shape == (10, 2) and list(y) == [0] * 5 + [1] * 5
        cpu_before, started = cpu_seconds(), time.monotonic()
        with pytest.raises(WireError):  # the process went over its CPU seconds: the connection closed
            spiral(N=1_000_000, K=40)
        assert time.monotonic() - started < 30 and cpu_seconds() - cpu_before < 1
        with pytest.raises(ImportError, match="stopped"):
            CourseFunction("make_spiral", session.address)
    finally:
        judge.close_session()
    session = judge.open_session("02_softmax_classifier")
    try:
        assert CourseFunction("make_spiral", session.address)(N=3, K=1)[0].shape == (3, 2)
    finally:
        judge.close_session()


def greedy_forward(X, params, nonlinearity):
    """A forward (03) that asks the course's init_params for 80 GB of weights."""
    return init_params(D=100_000, H1=100_000)  # noqa: F821 (the notebook holds init_params)


def test_a_course_function_the_students_code_calls_in_a_check_runs_within_the_limits(judge):
    session = judge.open_session("03_three_layer_net", limits=(1024, 60))
    student = as_student_code(greedy_forward, "forward", init_params=ref03.init_params)
    session.expect("forward_tests", "forward")
    memory_before = peak_memory_mb()
    try:
        with pytest.raises(CheckFailed, match="MemoryError"):
            judged_check("forward", student, session.address)
    finally:
        session.finish()
        judge.close_session()
    assert peak_memory_mb() - memory_before < 100


def test_a_function_that_calls_itself_by_name_is_not_an_answer(judge, session):
    def relu(x):
        return relu(x)

    student = as_student_code(relu)
    assert not verdict_here("relu", student)[0]
    assert not verdict_judged(judge, "relu", student)[0][0]


def test_a_large_first_message_is_refused_and_the_judge_still_serves(judge, session):
    sock = connected(judge)
    with sock:
        sock.sendall(struct.pack(">I", FIRST_MESSAGE_SIZE + 1) + b"x" * 1024)
        sock.settimeout(10)
        try:
            assert sock.recv(1) == b""  # closed: nothing of the size announced was read
        except ConnectionResetError:  # closed with our bytes unread
            pass
    session.expect("relu_tests", "relu")
    judged_check("relu", as_student_code(ref01.relu), session.address)


def test_a_student_function_may_call_a_course_function(notebook_05):
    rnn_cell_forward = CourseFunction("rnn_cell_forward", notebook_05.address)

    def rnn_forward(x, a0, parameters):
        return rnn_cell_forward(x[:, :, 0], a0, parameters)

    assert ownership_problem("rnn_forward", rnn_forward, ref04.rnn_forward) is None


def test_in_a_lab_a_course_function_is_the_reference(monkeypatch):
    monkeypatch.delenv(JUDGE_ENV, raising=False)
    assert course_function("softmax", "05_rnn_backward") is ref04.softmax
    assert course_function("softmax", "03_three_layer_net") is ref02.softmax
    with pytest.raises(ImportError):
        course_function("rnn_forward", "04_rnn_forward")


def test_a_flood_of_connections_is_refused_and_the_judge_still_serves(judge, session):
    flood = [connected(judge) for _ in range(MAX_CONNECTIONS + 20)]
    try:
        flood[-1].settimeout(5)
        assert flood[-1].recv(1) == b""  # closed at once: the judge keeps no thread for it
    finally:
        for sock in flood:
            sock.close()
    session.expect("relu_tests", "relu")
    for _ in range(50):  # the flood's threads end as their connections close
        try:
            judged_check("relu", as_student_code(ref01.relu), session.address)
            break
        except WireError:
            time.sleep(0.1)
    ((passed, message),) = session.finish()
    assert passed, message
