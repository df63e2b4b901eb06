"""Calling a student's function: on copies of its arguments, recording what it returned, raised
and warned; whose code it is; and the copy of it that calls the course's references.

This module runs inside a graded kernel (it is part of the kernel side of check()), so it
imports nothing of the course.
"""

import copy
import traceback
import types
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

TRUSTED_PACKAGES = ("solutions", "autograder")


def describe(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a {type(value).__name__}"


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None
    warning: str | None = None
    args_after: tuple = ()


class Remote:
    """A student's function that runs in another process (the grader's judge, autograder/sandbox/judge.py).

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
    from autograder.kernel.wire import CourseFunction

    if isinstance(value, CourseFunction):  # a function of an earlier notebook: the student may call it
        return False
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
