"""`check(name, student_function)`: the single call of every hidden test.

An exercise is registered with its reference implementation and a generator of random,
seeded cases. check() runs the student's function and the reference on the same inputs and
compares the outputs: type and structure, then shape, then dtype, then values; it also fails
a function that changes its inputs. When an output is wrong, the known mistakes registered
for the exercise (each a small wrong implementation) are run on the same inputs; one whose
output matches the student's is named in the message.
"""

import copy
import importlib
import os
import pkgutil
import sys
import traceback
import types
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

EXERCISES = {}
MISTAKES = {}
TRUSTED_PACKAGES = ("solutions", "autograder")
JUDGE_ENV = "RNN_JUDGE"  # set in kernels run by the grading command (see autograder/wire.py)


class CheckFailed(AssertionError):
    """A hidden test failed; the message says why, in the student's terms."""


@dataclass
class Case:
    """One call of the function under test.

    args: the positional arguments. label: how the message describes this case.
    no_warnings: a warning during the call fails the case (used for numerical stability).
    verify: verify(student_out, reference_out, args, call) -> problem or None, replacing
    the comparison of outputs where the answer is not unique (random data, for instance).
    """

    args: tuple
    label: str = ""
    no_warnings: bool = False
    verify: Callable | None = None


@dataclass
class Exercise:
    name: str
    reference: Callable
    cases: Callable  # cases(rng) -> iterable of Case
    uses: dict = field(default_factory=dict)  # names the student's code may call -> reference
    mutates: tuple = ()  # indices of arguments the function is meant to change in place
    rtol: float = 1e-6
    atol: float = 1e-9


def exercise(name, reference, **options):
    """Register the cases generator it decorates as the hidden tests of `name`."""

    def register(cases):
        EXERCISES[name] = Exercise(name, reference, cases, **options)
        return cases

    return register


def mistake(name, description):
    """Register the function it decorates as a known wrong answer to exercise `name`."""

    def register(wrong):
        MISTAKES.setdefault(name, []).append((description, wrong))
        return wrong

    return register


def load_exercises():
    """Import every module of autograder.exercises, which registers the exercises."""
    package = importlib.import_module("autograder.exercises")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"autograder.exercises.{info.name}")


# ---------------------------------------------------------------- comparing outputs


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


def is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def value_problem(got, expected, where, rtol, atol, equal_nan=False):
    """Why array `got` does not match `expected` in value, or None. Never calls got.__eq__."""
    scalar = np.ndim(expected) == 0
    got64 = np.array(got, dtype=np.float64, ndmin=1)
    expected64 = np.array(expected, dtype=np.float64, ndmin=1)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(got64 - expected64)
    error[np.isnan(got64) & ~np.isnan(expected64)] = np.inf
    if equal_nan:
        error[~np.isfinite(got64) & ~np.isfinite(expected64) & (got64 != expected64)] = np.inf
        error[np.isnan(got64) & np.isnan(expected64)] = 0.0
        error[np.isinf(got64) & (got64 == expected64)] = 0.0
    scale = np.nan_to_num(np.abs(expected64), nan=0.0, posinf=0.0)
    wrong = ~(error <= atol + rtol * scale)
    if not wrong.any():
        return None
    index = np.unravel_index(np.argmax(np.where(wrong, error, -1.0)), error.shape)
    at = "" if scalar else f" at index {tuple(int(i) for i in index)}"
    got_value, expected_value = got64[index], expected64[index]
    if scalar:
        return f"{where} is {got_value:.6g}, expected {expected_value:.6g}"
    return (
        f"{where} has wrong values: {int(wrong.sum())} of {wrong.size} entries differ; "
        f"the largest difference is{at}: got {got_value:.6g}, expected {expected_value:.6g}"
    )


def output_problem(got, expected, where, rtol=1e-6, atol=1e-9, equal_nan=False):
    """Why `got` does not match `expected` (structure, shape, dtype, values), or None."""
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            kind = type(expected).__name__
            return f"{where} should be a {kind} of {len(expected)} values, but it is {describe(got)}"
        if len(got) != len(expected):
            return f"{where} should hold {len(expected)} values, but it holds {len(got)}"
        parts = (
            output_problem(g, e, f"{where}[{i}]", rtol, atol, equal_nan)
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
        )
        return next((p for p in parts if p), None)
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{where} should be a dict, but it is {describe(got)}"
        if set(got) != set(expected):
            return f"{where} should have the keys {sorted(expected)}, but it has {sorted(got)}"
        parts = (
            output_problem(got[k], expected[k], f"{where}['{k}']", rtol, atol, equal_nan) for k in expected
        )
        return next((p for p in parts if p), None)
    if isinstance(expected, np.ndarray):
        if type(got) is not np.ndarray:
            return f"{where} should be a numpy array (np.ndarray), but it is {describe(got)}"
        if got.shape != expected.shape:
            return f"{where} has shape {got.shape}, expected {expected.shape}"
        if got.dtype != expected.dtype:
            return f"{where} has dtype {got.dtype}, expected {expected.dtype}"
        if expected.dtype.kind in "biu":
            wrong = got != expected
            if wrong.any():
                index = tuple(int(i) for i in np.argwhere(wrong)[0])
                return (
                    f"{where} has {int(wrong.sum())} wrong entries of {wrong.size}; first at index "
                    f"{index}: got {got[index]}, expected {expected[index]}"
                )
            return None
        return value_problem(got, expected, where, rtol, atol, equal_nan)
    if is_number(expected):
        if not is_number(got) and not (type(got) is np.ndarray and got.shape == ()):
            return f"{where} should be a number, but it is {describe(got)}"
        return value_problem(got, expected, where, rtol, atol, equal_nan)
    if expected is None:
        return None if got is None else f"{where} should be None, but it is {describe(got)}"
    raise TypeError(f"cannot compare with {type(expected).__name__}")  # a bug in an exercise


def mutation_problem(before, after, names):
    """Which argument a call changed in place, or None."""
    for name, old, new in zip(names, before, after, strict=True):
        if isinstance(old, (str, bytes)) or callable(old):
            continue  # a name such as "relu", or a function: nothing a call could change
        if output_problem(new, old, name, rtol=0.0, atol=0.0, equal_nan=True):
            return (
                f"it changed its argument `{name}` in place; compute a new array instead of "
                f"assigning into `{name}`"
            )
    return None


# ---------------------------------------------------------------- running the student's code


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    warning: str | None = None
    args_after: tuple = ()


class Remote:
    """A student's function that runs in another process (the grader's judge, autograder/judge.py).

    run() asks it for the Outcome of a call instead of calling it here.
    """

    def outcome(self, args):
        raise NotImplementedError


def run(function, args):
    """Call function on a deep copy of args, recording its result, exception and warnings."""
    if isinstance(function, Remote):
        return function.outcome(args)
    args = copy.deepcopy(args)
    outcome = Outcome()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome.value = function(*args)
        except Exception as error:  # the student's code may raise anything
            outcome.error = error
    if caught:
        outcome.warning = f"{caught[0].category.__name__}: {caught[0].message}"
    outcome.args_after = args
    return outcome


def student_frame(error):
    """The last line of the student's own code in the traceback of `error`."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not any(part in frame.filename for part in ("site-packages", "autograder", "solutions"))
    ]
    return f" (in your line `{frames[-1].line}`)" if frames and frames[-1].line else ""


def error_message(name, error):
    if isinstance(error, NotImplementedError):
        return (
            f"{name} still raises NotImplementedError: replace the line "
            "`raise NotImplementedError(...)` with your code."
        )
    return f"{name} raised {type(error).__name__}: {error}{student_frame(error)}"


def argument_names(function, count):
    try:
        names = list(function.__code__.co_varnames[: function.__code__.co_argcount])
    except AttributeError:
        names = []
    return (names + [f"argument {i + 1}" for i in range(len(names), count)])[:count]


# ---------------------------------------------------------------- whose function is it


def referenced_objects(code, namespace):
    """The global objects a function's code (and the code nested in it) refers to."""
    for name in code.co_names:
        if name in namespace:
            yield name, namespace[name]
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from referenced_objects(constant, namespace)


def is_trusted(value):
    module = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
    return isinstance(module, str) and module.split(".")[0] in TRUSTED_PACKAGES


def ownership_problem(name, function, reference):
    """Why `function` is not the student's own code, or None."""
    if not isinstance(function, types.FunctionType):
        return f"{name} should be a function defined with `def` in your notebook, not {describe(function)}"
    if function is reference or function.__code__ is reference.__code__ or is_trusted(function):
        return f"{name} is the course's reference solution, not your own code"
    for used, value in referenced_objects(function.__code__, function.__globals__):
        if is_trusted(value):
            return f"{name} uses `{used}` from the course's grading or solution code; write your own"
    return None


def isolated(function, uses):
    """A copy of function whose calls to other course functions go to the references.

    So a mistake in one exercise costs that exercise's points only.
    """
    namespace = {**function.__globals__, **uses}
    copy_ = types.FunctionType(
        function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__
    )
    copy_.__kwdefaults__ = function.__kwdefaults__
    return copy_


# ---------------------------------------------------------------- the check


def result(exercise, outcome):
    """What a call produced: its return value, or the arguments it is meant to change."""
    if exercise.mutates:
        return tuple(outcome.args_after[i] for i in exercise.mutates)
    return outcome.value


def recognised_mistake(exercise, args, got):
    """The description of the known mistake whose output equals `got`, or None."""
    for description, wrong in MISTAKES.get(exercise.name, []):
        outcome = run(wrong, args)
        if outcome.error is None and not output_problem(
            got, result(exercise, outcome), "output", exercise.rtol, exercise.atol, equal_nan=True
        ):
            return description
    return None


def case_problem(exercise, function, case):
    """Why the student's function fails one case, or None."""
    outcome = run(function, case.args)
    if outcome.error is not None:
        return error_message(exercise.name, outcome.error)
    got, expected = result(exercise, outcome), result(exercise, run(exercise.reference, case.args))
    problem = None
    if not exercise.mutates:
        problem = mutation_problem(case.args, outcome.args_after, argument_names(function, len(case.args)))
    if problem is None and case.verify is not None:
        problem = case.verify(got, expected, case.args, lambda *args: run(function, args))
    elif problem is None:
        where = "the arguments after the call" if exercise.mutates else "the output"
        problem = output_problem(got, expected, where, exercise.rtol, exercise.atol)
    if problem is None and case.no_warnings and outcome.warning:
        problem = f"it warned `{outcome.warning}`"
    if problem is None:
        return None
    known = recognised_mistake(exercise, case.args, got)
    label = f" for {case.label}" if case.label else ""
    hint = f"\nThis looks like a known mistake: {known}." if known else ""
    return f"{exercise.name}{label}: {problem}.{hint}"


def check(name, function):
    """Run the hidden tests of exercise `name` on the student's `function`.

    Prints a line when every case passes; raises CheckFailed with an explanation otherwise.
    """
    __tracebackhide__ = True
    show_check_failures_plainly()
    judge = os.environ.get(JUDGE_ENV)
    if judge:  # a kernel run by the grading command: the judge outside this process decides
        from autograder.wire import judged_check

        return judged_check(name, function, judge)
    if not EXERCISES:
        load_exercises()
    if name not in EXERCISES:
        raise KeyError(f"no exercise named {name!r}")  # a bug in a notebook, not the student's
    exercise = EXERCISES[name]
    problem = ownership_problem(name, function, exercise.reference)
    if problem is None:
        problem, count = first_problem(exercise, isolated(function, exercise.uses))
    if problem:
        raise CheckFailed(problem) from None
    print(passed_message(name, count))


def first_problem(exercise, function):
    """(the first problem of function over the exercise's seeded cases or None, number of cases)."""
    rng = np.random.default_rng(zlib.crc32(exercise.name.encode()))
    cases = list(exercise.cases(rng))
    return next((p for p in (case_problem(exercise, function, c) for c in cases) if p), None), len(cases)


def passed_message(name, count):
    return f"{name}: all {count} hidden checks passed."


def show_check_failures_plainly():
    """In IPython, show a failed check as its message only: a traceback would show this module."""
    try:
        shell = sys.modules["IPython"].get_ipython()
    except (KeyError, AttributeError):
        return
    if shell is not None and CheckFailed not in getattr(shell, "custom_exceptions", ()):
        shell.set_custom_exc((CheckFailed,), plain_check_failure)


def plain_check_failure(shell, etype, value, tb, tb_offset=None):
    """IPython's handler of CheckFailed: shows the error line, no frames."""
    shell._showtraceback(etype, value, [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"])
