"""How an answer is judged: run the student's function and the reference on the same seeded
cases, compare, and name a known mistake whose output matches the student's."""

import zlib

import numpy as np

from autograder.engine.compare import mutation_problem, output_problem
from autograder.engine.registry import MISTAKES
from autograder.kernel.calls import argument_names, error_message, run


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


def first_problem(exercise, function):
    """(the first problem of function over the exercise's seeded cases or None, number of cases)."""
    rng = np.random.default_rng(zlib.crc32(exercise.name.encode()))
    cases = list(exercise.cases(rng))
    return next((p for p in (case_problem(exercise, function, c) for c in cases) if p), None), len(cases)


def passed_message(name, count):
    return f"{name}: all {count} hidden checks passed."
