"""Hidden tests and known mistakes of assignment 04: the RNN cell, the forward pass, the layouts."""

import numpy as np

from autograder.engine import Case, exercise, mistake
from solutions import rnn_forward as ref


def random_sizes(rng):
    """(n_x, n_a, n_y, m, T_x), small and all different, so that a swapped axis shows as a shape."""
    n_x, n_a, n_y, m, T_x = (int(v) for v in rng.permutation(np.arange(2, 9))[:5])
    return n_x, n_a, n_y, m, T_x


def random_parameters(rng, n_x, n_a, n_y):
    """Random weights (Waa not symmetric) and non-zero biases, so that every term shows."""
    return {
        "Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
        "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
        "Wya": rng.standard_normal((n_y, n_a)),
        "ba": 0.5 * rng.standard_normal((n_a, 1)),
        "by": rng.standard_normal((n_y, 1)),
    }


def sizes_label(n_x, n_a, n_y, m, T_x=None):
    label = f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}"
    return label if T_x is None else f"{label}, T_x={T_x}"


# ---------------------------------------------------------------- softmax (column-wise)


@exercise("softmax_columns", ref.softmax)
def softmax_columns_cases(rng):
    yield Case((3.0 * rng.standard_normal((4, 4)),), "random scores of shape (4, 4)")
    for _ in range(2):
        n_y, m = (int(v) for v in rng.integers(2, 9, size=2))
        yield Case((3.0 * rng.standard_normal((n_y, m)),), f"random scores of shape ({n_y}, {m})")
    yield Case((rng.standard_normal((5, 1)),), "a single column (m=1)")
    yield Case((1000.0 + rng.standard_normal((3, 4)),), "scores around 1000", no_warnings=True)
    columns = rng.standard_normal((3, 5)) + np.array([[-1000.0, -10.0, 0.0, 10.0, 1000.0]])
    yield Case((columns,), "columns around -1000, -10, 0, 10 and 1000", no_warnings=True)


@mistake(
    "softmax_columns",
    "the softmax is taken over the wrong axis: here each COLUMN (axis=0) is an example and must sum to 1",
)
def softmax_columns_wrong_axis(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@mistake(
    "softmax_columns",
    "the maximum is not subtracted, so exp overflows for large scores; subtract each column's "
    "maximum first (it does not change the result)",
)
def softmax_columns_unstable(z):
    e = np.exp(z)
    return e / e.sum(axis=0, keepdims=True)


@mistake(
    "softmax_columns",
    "the exponentials are divided by the sum of the whole array; divide by each column's own "
    "sum (axis=0, keepdims=True)",
)
def softmax_columns_global_sum(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum()


# ---------------------------------------------------------------- rnn_cell_forward


@exercise("rnn_cell_forward", ref.rnn_cell_forward)
def rnn_cell_forward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        xt = rng.standard_normal((n_x, m))
        a_prev = rng.standard_normal((n_a, m))
        yield Case((xt, a_prev, parameters), sizes_label(n_x, n_a, n_y, m))
    parameters = random_parameters(rng, 3, 4, 2)
    yield Case((rng.standard_normal((3, 1)), rng.standard_normal((4, 1)), parameters), "one example (m=1)")


@mistake(
    "rnn_cell_forward",
    "Waa is transposed: the hidden part of the pre-activation is Waa @ a_prev (row i of Waa "
    "holds the weights INTO unit i)",
)
def rnn_cell_forward_waa_transposed(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"].T @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_next + p["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "the hidden bias ba is not added: a_next = tanh(Waa a_prev + Wax xt + ba)")
def rnn_cell_forward_without_ba(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt)
    z = p["Wya"] @ a_next + p["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, parameters)


@mistake("rnn_cell_forward", "the output bias by is not added: yt_pred = softmax(Wya a_next + by)")
def rnn_cell_forward_without_by(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_next
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, parameters)


@mistake(
    "rnn_cell_forward",
    "the softmax is taken over the wrong axis: each COLUMN of yt_pred (one example) must sum to 1",
)
def rnn_cell_forward_softmax_wrong_axis(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_next + p["by"]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return a_next, e / e.sum(axis=1, keepdims=True), (a_next, a_prev, xt, parameters)


@mistake(
    "rnn_cell_forward",
    "the output layer reads the previous hidden state; it reads the new one: "
    "yt_pred = softmax(Wya a_next + by)",
)
def rnn_cell_forward_output_from_a_prev(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_prev + p["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, parameters)


@mistake(
    "rnn_cell_forward",
    "the cache is in the wrong order: it is the tuple (a_next, a_prev, xt, parameters)",
)
def rnn_cell_forward_cache_order(xt, a_prev, parameters):
    p = parameters
    a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    z = p["Wya"] @ a_next + p["by"]
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (xt, a_prev, a_next, parameters)


# ---------------------------------------------------------------- rnn_forward


@exercise("rnn_forward", ref.rnn_forward)
def rnn_forward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        x = rng.standard_normal((n_x, m, T_x))
        a0 = rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one time step (T_x=1)")


@mistake(
    "rnn_forward",
    "the hidden state is not carried forward: every step starts from a0; the a_prev of step t "
    "is the a_next of step t-1",
)
def rnn_forward_always_a0(x, a0, parameters):
    p = parameters
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    for t in range(T_x):
        a_next = np.tanh(p["Waa"] @ a0 + p["Wax"] @ x[:, :, t] + p["ba"])
        z = p["Wya"] @ a_next + p["by"]
        e = np.exp(z - z.max(axis=0, keepdims=True))
        a[:, :, t], y_pred[:, :, t] = a_next, e / e.sum(axis=0, keepdims=True)
        caches.append((a_next, a0, x[:, :, t], parameters))
    return a, y_pred, (caches, x)


@mistake(
    "rnn_forward",
    "a[:, :, t] holds the hidden state of the step before; it must hold the a_next that step t computes",
)
def rnn_forward_stores_a_prev(x, a0, parameters):
    p = parameters
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ x[:, :, t] + p["ba"])
        z = p["Wya"] @ a_next + p["by"]
        e = np.exp(z - z.max(axis=0, keepdims=True))
        a[:, :, t], y_pred[:, :, t] = a_prev, e / e.sum(axis=0, keepdims=True)
        caches.append((a_next, a_prev, x[:, :, t], parameters))
        a_prev = a_next
    return a, y_pred, (caches, x)


@mistake(
    "rnn_forward",
    "caches should be the tuple (list of the T_x caches, x), not the list alone",
)
def rnn_forward_caches_without_x(x, a0, parameters):
    p = parameters
    n_x, m, T_x = x.shape
    n_y, n_a = p["Wya"].shape
    a = np.zeros((n_a, m, T_x))
    y_pred = np.zeros((n_y, m, T_x))
    caches = []
    a_prev = a0
    for t in range(T_x):
        a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ x[:, :, t] + p["ba"])
        z = p["Wya"] @ a_next + p["by"]
        e = np.exp(z - z.max(axis=0, keepdims=True))
        a[:, :, t], y_pred[:, :, t] = a_next, e / e.sum(axis=0, keepdims=True)
        caches.append((a_next, a_prev, x[:, :, t], parameters))
        a_prev = a_next
    return a, y_pred, caches


# ---------------------------------------------------------------- the two layouts


@exercise("to_batch_first", ref.to_batch_first)
def to_batch_first_cases(rng):
    for _ in range(2):
        n_x, _, _, m, T_x = random_sizes(rng)
        yield Case((rng.standard_normal((n_x, m, T_x)),), f"x of shape ({n_x}, {m}, {T_x})")
    yield Case(
        (rng.standard_normal((3, 3, 3)),), "x of shape (3, 3, 3), where only the values tell the axes apart"
    )
    yield Case((rng.standard_normal((4, 1, 5)),), "one example (m=1)")


@mistake(
    "to_batch_first",
    "the array is reshaped; reshape keeps the numbers in memory order and only regroups them; "
    "to move axes use np.transpose(x, axes), with x_bf[i, t, k] == x[k, i, t]",
)
def to_batch_first_reshape(x):
    n_x, m, T_x = x.shape
    return x.reshape(m, T_x, n_x)


@mistake(
    "to_batch_first",
    "x.T reverses all three axes and gives (T_x, m, n_x); the layout is (m, T_x, n_x)",
)
def to_batch_first_reversed(x):
    return x.T


@mistake(
    "to_batch_first",
    "the axes are in the order of to_time_major; to_batch_first puts axis 1 (m) first, then "
    "axis 2 (T_x), then axis 0 (n_x): np.transpose(x, (1, 2, 0))",
)
def to_batch_first_inverse_axes(x):
    return np.transpose(x, (2, 0, 1))


@exercise("to_time_major", ref.to_time_major)
def to_time_major_cases(rng):
    for _ in range(2):
        n_x, _, _, m, T_x = random_sizes(rng)
        yield Case((rng.standard_normal((m, T_x, n_x)),), f"x_bf of shape ({m}, {T_x}, {n_x})")
    yield Case(
        (rng.standard_normal((3, 3, 3)),),
        "x_bf of shape (3, 3, 3), where only the values tell the axes apart",
    )
    yield Case((rng.standard_normal((1, 5, 4)),), "one example (m=1)")


@mistake(
    "to_time_major",
    "the array is reshaped; reshape keeps the numbers in memory order and only regroups them; "
    "to move axes use np.transpose(x_bf, axes), with x[k, i, t] == x_bf[i, t, k]",
)
def to_time_major_reshape(x_bf):
    m, T_x, n_x = x_bf.shape
    return x_bf.reshape(n_x, m, T_x)


@mistake(
    "to_time_major",
    "x_bf.T reverses all three axes and gives (n_x, T_x, m); the layout is (n_x, m, T_x)",
)
def to_time_major_reversed(x_bf):
    return x_bf.T


@mistake(
    "to_time_major",
    "the axes are in the order of to_batch_first; to_time_major puts axis 2 (n_x) first, then "
    "axis 0 (m), then axis 1 (T_x): np.transpose(x_bf, (2, 0, 1))",
)
def to_time_major_inverse_axes(x_bf):
    return np.transpose(x_bf, (1, 2, 0))
