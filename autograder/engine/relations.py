"""What a wrong value is, when it is something simple of the expected one: its negative, a
multiple (of the whole array, or of each row or column), its transpose, one time step off,
another activation of the same pre-activation, all zeros, another value of the case (an input,
or another returned value), an array whose rows or columns should sum to the same number; or
where its wrong entries are (one slice, or where an input is negative, zero or positive).

Each sentence states a fact about the arrays, checked to the exercise's tolerance.
"""

import numpy as np

from autograder.engine.compare import is_number

MANY = 6  # entries of an input whose sign pattern tells where a value is wrong


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


# name: (function, inverse, open interval of its values)
ACTIVATIONS = {
    "tanh": (np.tanh, np.arctanh, (-1.0, 1.0)),
    "sigmoid": (sigmoid, lambda s: np.log(s) - np.log1p(-s), (0.0, 1.0)),
}
OTHER_ACTIVATIONS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "the identity (no activation)": lambda z: z,
    "tanh": np.tanh,
    "sigmoid": sigmoid,
}


def close(got, expected, rtol, atol):
    """True for two float arrays of the same shape that agree to the tolerance."""
    with np.errstate(all="ignore"):
        return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def is_numeric_array(value):
    return isinstance(value, np.ndarray) and value.dtype.kind in "biufc"


def factor_text(c):
    """0.25 (= 1/4), 3, -1.5."""
    for k in range(2, 1025):
        if abs(c * k - 1) < 1e-9:
            return f"{c:.4g} (= 1/{k})"
    return f"{c:.4g}"


def relation(name, key, got, expected, inputs, outputs, rtol, atol):
    """A sentence about the wrong value `got`, called `name` (an entry `key` of a dict, or None), or None.

    inputs: [(name, value)] of the case's inputs; outputs: the same of the expected returned values.
    """
    with np.errstate(all="ignore"):
        if is_number(expected) and is_number(got):
            return number_relation(name, float(got), float(expected), outputs)
        if not isinstance(expected, np.ndarray) or expected.dtype.kind not in "fc":
            return None
        if type(got) is not np.ndarray or got.dtype.kind not in "biufc":
            return None
        if got.shape == expected.shape and got.dtype != expected.dtype:
            return None
        if got.shape != expected.shape:
            if got.ndim == 2 and close(got.T, expected, rtol, atol):
                return f"your {name} is the transpose of the expected one"
            return held_value(name, got, inputs, outputs, rtol, atol)
        for check in (opposite, multiple, multiple_per_slice, transposed, shift, activation, about_multiple):
            sentence = check(got, expected, rtol, atol)
            if sentence:
                return f"your {name} {sentence}"
        return (
            held_value(name, got, inputs, outputs, rtol, atol)
            or sums(name, got, expected, rtol, atol)
            or elementwise(name, key, got, expected, inputs, rtol, atol)
            or where_wrong(name, got, expected, rtol, atol)
        )


def opposite(got, expected, rtol, atol):
    if np.abs(expected).max() > atol and close(got, -expected, rtol, atol):
        return "is the expected one with the opposite sign"
    return None


def multiple(got, expected, rtol, atol):
    if not np.any(got):
        return "is all zeros" if np.abs(expected).max() > atol else None
    big = np.abs(expected) > 100 * atol
    if big.sum() < 2:  # one number is a multiple of any other
        return None
    c = float(np.median(got[big] / expected[big]))
    if np.isfinite(c) and abs(c - 1) > 1e-6 and abs(c) > 1e-12 and close(got, c * expected, rtol, atol):
        return f"is {factor_text(c)} times the expected one"
    return None


def about_multiple(got, expected, rtol, atol):
    """got is nearly a multiple of expected: every ratio within 1% of their median."""
    big = np.abs(expected) > 100 * atol
    if big.sum() < 2 or not np.all(np.isfinite(got)):
        return None
    ratio = got[big] / expected[big]
    c = float(np.median(ratio))
    if abs(c - 1) > 0.02 and abs(c) > 1e-12 and np.all(np.abs(ratio - c) <= 0.01 * abs(c)):
        return f"is about {c:.3g} times the expected one (every entry within 1%)"
    return None


def number_relation(name, got, expected, outputs):
    """For a wrong number: another returned value's, the opposite sign, a whole multiple or fraction."""
    same = [other for other, value in outputs if other != name and is_number(value) and got == value]
    if same:
        return f"your {name} is the value expected for {same[0]}"
    if expected != 0 and np.isfinite(got):
        c = got / expected
        if abs(c + 1) < 1e-6:
            return f"your {name} has the opposite sign of the expected one"
        for k in range(2, 1025):
            if abs(c - k) < 1e-6 * k or abs(c * k - 1) < 1e-6:
                return f"your {name} is {factor_text(c) if c < 1 else k} times the expected one"
    return None


def multiple_per_slice(got, expected, rtol, atol):
    """Each row (or column) is the expected one times a number of its own."""
    if got.ndim != 2 or min(got.shape) < 2 or not (np.abs(expected) > 100 * atol).all():
        return None
    ratio = got / expected
    for axis, what in ((1, "row"), (0, "column")):
        c = np.median(ratio, axis=axis, keepdims=True)
        if np.ptp(c) > 1e-6 and close(got, c * expected, rtol, atol):
            return (
                f"has each {what} equal to the expected {what} times a number of its own "
                f"({what} 0: {factor_text(float(c.flat[0]))} times)"
            )
    return None


def transposed(got, expected, rtol, atol):
    if got.ndim == 2 and got.shape[0] == got.shape[1] and close(got, expected.T, rtol, atol):
        return "is the transpose of the expected one"
    return None


def shift(got, expected, rtol, atol):
    """got is expected moved by one entry along an axis (for a sequence, time last: one step)."""
    for axis in reversed(range(got.ndim)):
        if got.shape[axis] < 3:
            continue
        head, tail = range(got.shape[axis] - 1), range(1, got.shape[axis])
        early, late = np.take(got, head, axis), np.take(got, tail, axis)
        before, after = np.take(expected, head, axis), np.take(expected, tail, axis)
        is_time = got.ndim == 3 and axis == 2
        if close(late, before, rtol, atol):
            return (
                "is one time step late: its step t holds the expected step t - 1"
                if is_time
                else (
                    f"is the expected one moved by +1 along axis {axis}: its entry i holds the expected i - 1"
                )
            )
        if close(early, after, rtol, atol):
            return (
                "is one time step early: its step t holds the expected step t + 1"
                if is_time
                else (
                    f"is the expected one moved by -1 along axis {axis}: its entry i holds the expected i + 1"
                )
            )
    return None


def activation(got, expected, rtol, atol):
    """got = g(z) where expected = f(z), for the activations f and g of the course."""
    for name, (_, inverse, (low, high)) in ACTIVATIONS.items():
        if expected.size < 2 or not ((expected > low + 1e-9) & (expected < high - 1e-9)).all():
            continue
        z = inverse(expected)
        for other, g in OTHER_ACTIVATIONS.items():
            if other != name and close(got, g(z), 1e-5, 1e-7):
                return f"is {other} of the pre-activation whose {name} is expected"
    return None


def held_value(name, got, inputs, outputs, rtol, atol):
    """'your cache[1] (a_prev) holds the values of the input xt'."""
    named_inputs = [(f"the input {other}", value) for other, value in inputs]
    for other, value in [*named_inputs, *outputs]:
        if other != name and is_numeric_array(value) and np.any(value) and close(got, value, rtol, atol):
            if other == f"the input {name}":  # an argument the function is meant to change
                return f"your {name} is unchanged: it still holds its values from before the call"
            return f"your {name} holds the values of {other}"
    return None


def sums(name, got, expected, rtol, atol):
    """Rows or columns that should each sum to the same number (a probability distribution)."""
    for axis, what in ((0, "column"), (1, "row")):
        if got.ndim != 2 or min(got.shape) < 2:
            continue
        want, have = expected.sum(axis=axis), got.sum(axis=axis)
        if np.ptp(want) < 1e-9 and not close(have, want, rtol, atol):
            bad = int(np.argmax(np.abs(have - want)))
            return (
                f"each {what} of the expected {name} sums to {want[0]:.4g}; "
                f"yours do not ({what} {bad} sums to {have[bad]:.4g})"
            )
    return None


def elementwise(name, key, got, expected, inputs, rtol, atol):
    """For a value computed entry by entry from one input (the only array input, or the input of
    the same dict key): where that input is negative, zero or positive. (An input of the same dict
    key may be used entry by entry, as in clipping, or not at all, as a parameter and its
    gradient: only the sign pattern of many entries counts then.)"""
    arrays = [(other, value) for other, value in inputs if isinstance(value, np.ndarray)]
    if len(arrays) != 1:
        arrays = [(other, value) for other, value in arrays if other == key and value.size >= MANY]
    if len(arrays) != 1 or arrays[0][1].shape != got.shape:
        return None
    other, value = arrays[0]
    wrong = ~(np.abs(got - expected) <= atol + rtol * np.abs(expected))
    for mask, text in ((value < 0, "< 0"), (value == 0, "== 0"), (value > 0, "> 0")):
        if mask.any() and not mask.all() and np.array_equal(wrong, mask):
            return f"your {name} is wrong exactly where {other} {text}"
    return None


def where_wrong(name, got, expected, rtol, atol):
    """Where the wrong entries are, when they all share one index of an axis (a time step, a row),
    or when only one entry of a vector is wrong, or only one is right."""
    wrong = ~(np.abs(got - expected) <= atol + rtol * np.abs(expected))
    if got.ndim == 1 and got.size >= 3:
        for entries, what in ((wrong, "wrong"), (~wrong, "right")):
            if entries.sum() == 1:
                return f"only the entry {int(np.flatnonzero(entries)[0])} of your {name} is {what}"
        return None
    if got.ndim < 2 or wrong.all():
        return None
    for axis in reversed(range(got.ndim)):
        other_axes = tuple(a for a in range(got.ndim) if a != axis)
        hit = np.flatnonzero(wrong.any(axis=other_axes))
        if got.shape[axis] > 1 and len(hit) == 1:
            index = ", ".join(str(hit[0]) if a == axis else ":" for a in range(got.ndim))
            return f"the wrong entries of your {name} are all in [{index}]; the rest is right"
    return None
