"""Term isolation: which input's contribution to the wrong values is wrong.

The student's function and the reference are called again on probes of the failing case, each
with one input switched off: one float array argument, one float array of a dict or tuple
argument (a weight, a bias, the previous state, the incoming gradient), or a float argument
(a regularisation strength), set to zero. Where the same part of every element of a list is
an input (the parameters in each step's cache), the probe zeroes it in every element.
Integer arrays (labels, indices), booleans, strings and callables are never switched off.

An input is named only when its probe makes every wrong value right; when that is not merely
because the probe makes the value zero (which any answer linear in that input would match);
when it does not make the value the same along an axis where it varied (every example getting
the same answer); when, with that input off, the value still depends on other inputs
(STILL_DEPENDS_ON); and when at most MOST_NAMED inputs, and not all of them, do so. So a zero
weight that multiplies a wrong value (masking it), or the only input of a function, is never
named. Nothing is claimed where no probe mends every wrong value.

A function of one array taken entry by entry (sigmoid, tanh_grad) has no term to switch off;
for it, simple_inputs_line shows what it gives at simple inputs (0, 0.5, 1...) beside the
reference.
"""

from dataclasses import dataclass

import numpy as np

from autograder.engine.compare import matches, part
from autograder.engine.names import path_name, term_name
from autograder.kernel.calls import run

# Other inputs that a value must still depend on with the named input off: an array that depends
# on one input only (a bias) has collapsed, as softmax(by) does when Wya = 0; a number (a loss,
# an accuracy) that still depends on another input has not.
STILL_DEPENDS_ON = {"array": 2, "number": 1}
MOST_NAMED = 2  # inputs that mend it, at most, for a claim (the two factors of a product)
STUDENT_PROBES = 16  # calls of the student's function per failing case, at most


def is_switchable(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and value.size > 0 and bool(np.any(value))
    return type(value) is float and value != 0.0


def switchable_parts(value, path=()):
    """(pattern, path) of every input that a probe may switch off; in a pattern, a list index is '*'."""
    if is_switchable(value):
        yield path, path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from switchable_parts(item, (*path, key))
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            for pattern, found in switchable_parts(item, (*path, index)):
                if isinstance(value, list):
                    pattern = (*pattern[: len(path)], "*", *pattern[len(path) + 1 :])
                yield pattern, found


@dataclass(frozen=True)
class Term:
    """An input that a probe switches off: the parts at `paths`, or only their time steps
    `index` (then `length` is the number of steps)."""

    label: str
    paths: tuple
    index: tuple | None = None
    length: int = 0


def terms(args, names):
    """The inputs a probe may switch off, one per pattern, labelled by name; for a sequence (a
    3-d array, time last) also some of its time steps (time_steps)."""
    grouped = {}
    for pattern, path in switchable_parts(tuple(args)):
        grouped.setdefault(pattern, []).append(path)
    labels = {pattern: term_name(names, paths[0]) or "an input" for pattern, paths in grouped.items()}
    whole, steps = [], []
    for pattern, paths in grouped.items():
        label = labels[pattern]
        if list(labels.values()).count(label) > 1:  # b1 of params and b1 of grads: params['b1']
            label = path_name(names, paths[0])
        whole.append(Term(label, tuple(paths)))
        first = part(args, paths[0])
        if isinstance(first, np.ndarray) and first.ndim == 3 and first.shape[2] > 1 and len(paths) == 1:
            steps += time_steps(label, tuple(paths), first.shape[2])
    return whole + steps


def time_steps(label, paths, T):
    """The first step alone, the last alone, all but the first, all but the last (T >= 2)."""
    steps = [(0, "0"), (T - 1, str(T - 1))]
    if T > 2:
        steps += [(slice(1, None), "1:"), (slice(None, T - 1), f":{T - 1}")]
    return [Term(f"{label}[:, :, {text}]", paths, (slice(None), slice(None), t), T) for t, text in steps]


def switched_off(args, term):
    """args with the term set to zero (new containers on the way; the rest is shared)."""
    probe = tuple(args)
    for path in term.paths:
        old = part(probe, path)
        if isinstance(old, np.ndarray):
            new = np.zeros_like(old)
            if term.index is not None:
                new = old.copy()
                new[term.index] = 0
        else:
            new = 0.0
        probe = replaced(probe, path, new)
    return probe


def replaced(value, path, new):
    """A copy of the containers of value along path, with new at its end."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, tuple):
        return (*value[:head], replaced(value[head], rest, new), *value[head + 1 :])
    changed = type(value)(value)  # a list or a dict
    changed[head] = replaced(value[head], rest, new)
    return changed


def is_nonzero(value, atol):
    """True when a numeric array or number (or a tuple, list or dict holding one) is not zero."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iufc":
        return bool(np.any(np.abs(value) > atol))
    if isinstance(value, (float, np.floating)):
        return abs(value) > atol
    if isinstance(value, (tuple, list, dict)):
        return any(is_nonzero(v, atol) for v in (value.values() if isinstance(value, dict) else value))
    return False


def mending_terms(exercise, function, args, names, wrong, result, mended=None, before=None):
    """The labels of the inputs whose switching off makes every wrong value (at paths `wrong`)
    right, in the sense of the module's docstring. result(outcome) is what a call produced;
    mended(got, expected, probe) says whether the answer is right on a probe (by default: the
    values at the wrong paths match); before is the reference's answer without a probe.

    The reference alone decides which probes could tell anything (candidates); the student's
    function, whose calls may be round trips to a graded kernel, is called on at most
    STUDENT_PROBES of them."""
    tolerance = exercise.rtol, exercise.atol
    if mended is None:
        mended = lambda got, expected, probe: all(  # noqa: E731
            matches(part(got, p), part(expected, p), *tolerance) for p in wrong
        )
    switchable = terms(args, names)
    found, candidates = [], telling_probes(exercise, args, switchable, wrong, result, before)
    for term, probe, expected in candidates[:STUDENT_PROBES]:
        student = run(function, probe)
        if student.error is None and mended(result(student), expected, probe):
            found.append(term)
    named = [term for term in found if not any(covers(term, other) for other in found)]
    inputs = {term.paths for term in named}
    if len(inputs) > MOST_NAMED or (len(candidates) > 1 and len(found) == len(candidates)):
        return []  # the probes single nothing out
    return [term.label for term in named]


def telling_probes(exercise, args, switchable, wrong, result, before):
    """[(term, probe, the reference's answer)] of the probes whose outcome could name a term:
    the reference's wrong values change, are not zero, do not become the same along an axis,
    still depend on other inputs, and a function meant to change its arguments still does."""
    found = []
    for term in switchable:
        probe = switched_off(args, term)
        reference = run(exercise.reference, probe)
        if reference.error is not None:
            continue
        expected = result(reference)
        values = [(part(expected, p), part(before, p)) for p in wrong]
        telling = [
            p
            for p, (value, old) in zip(wrong, values, strict=True)
            if is_nonzero(value, exercise.atol)
            and not collapsed(value, old)
            and not matches(value, old, exercise.rtol, exercise.atol)
        ]
        if (
            telling
            and not leaves_unchanged(exercise, probe, expected)
            and still_depends(exercise, probe, switchable, term, telling, expected, result)
        ):
            found.append((term, probe, expected))
    return found


def covers(term, other):
    """True when term switches off more of the same input than other does (a longer time span)."""
    if term is other or term.paths != other.paths or other.index is None:
        return False
    if term.index is None:
        return True
    return time_span(term) > time_span(other)


def time_span(term):
    """The time steps a term switches off, as a set."""
    steps = range(term.length)[term.index[2]]
    return set(steps) if isinstance(steps, range) else {steps}


def collapsed(value, before):
    """True when a probe made an array the same along an axis (every example, every step) where
    it was not: a probe that takes away what varies hides any mistake in it."""
    if not isinstance(value, np.ndarray) or not isinstance(before, np.ndarray) or value.shape != before.shape:
        return False
    for axis in range(value.ndim):
        if value.shape[axis] > 1 and np.ptp(value, axis=axis).max() == 0 < np.ptp(before, axis=axis).max():
            return True
    return False


def leaves_unchanged(exercise, probe, expected):
    """True when the probe makes a function meant to change its arguments leave them as they
    were (a step size of 0): then any answer that changes nothing is right."""
    unchanged = tuple(probe[i] for i in exercise.mutates)
    changed = expected[: len(unchanged)] if exercise.mutates else ()  # then what it returned
    return bool(exercise.mutates) and matches(changed, unchanged, exercise.rtol, exercise.atol)


def still_depends(exercise, probe, switchable, term, paths, expected, result):
    """True when switching off each of STILL_DEPENDS_ON other inputs too changes the reference's values."""
    values = [part(expected, p) for p in paths]
    needed = STILL_DEPENDS_ON["array" if any(isinstance(v, np.ndarray) for v in values) else "number"]
    depends_on = set()
    for other in switchable:
        if other.paths == term.paths or other.index is not None or other.paths in depends_on:
            continue
        again = run(exercise.reference, switched_off(probe, other))
        if again.error is None and not all(
            matches(part(result(again), p), part(expected, p), exercise.rtol, exercise.atol) for p in paths
        ):
            depends_on.add(other.paths)
        if len(depends_on) >= needed:
            return True
    return False


SIMPLE_INPUTS = (-2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 2.0)
SHOWN = 4  # simple inputs in a table at most


def simple_inputs_line(exercise, function, args, names):
    """For a function of one array that works entry by entry (sigmoid, tanh_grad...): a table of
    what the student's function and the reference give at simple inputs within the case's range."""
    if len(args) != 1 or not isinstance(args[0], np.ndarray) or args[0].dtype.kind != "f" or not args[0].size:
        return None
    x = args[0]
    points = np.array([v for v in SIMPLE_INPUTS if x.min() <= v <= x.max()], dtype=x.dtype)
    whole, reversed_ = run(exercise.reference, (x,)), run(exercise.reference, (x.ravel()[::-1].copy(),))
    if len(points) < 2 or whole.error or reversed_.error or type(whole.value) is not np.ndarray:
        return None
    if not matches(reversed_.value, whole.value.ravel()[::-1], exercise.rtol, exercise.atol):
        return None  # not a function of one entry at a time
    student, expected = run(function, (points,)), run(exercise.reference, (points,)).value
    got = student.value
    if student.error is not None or type(got) is not np.ndarray or got.shape != points.shape:
        return None
    if got.dtype.kind not in "biuf":
        return None
    wrong = ~(np.abs(got - expected) <= exercise.atol + exercise.rtol * np.abs(expected))
    if not wrong.any():
        return None
    shown = sorted(set(np.flatnonzero(wrong)[: SHOWN - 1]) | {int(np.argmin(wrong))})[:SHOWN]
    label = names.item(0).name or "the input"
    text = ", ".join
    return (
        f"For {label} = {text(f'{points[i]:g}' for i in shown)}, yours gives "
        f"{text(f'{got[i]:.4g}' for i in shown)}; expected {text(f'{expected[i]:.4g}' for i in shown)}."
    )
