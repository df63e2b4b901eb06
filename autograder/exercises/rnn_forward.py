"""Hidden tests and known mistakes of assignment 04: the RNN cell, the forward pass, the layouts."""

import numpy as np

from autograder.engine import Case, exercise
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


@exercise(ref.softmax)
def softmax_columns(rng):
    yield Case((3.0 * rng.standard_normal((4, 4)),), "random scores of shape (4, 4)")
    for _ in range(2):
        n_y, m = (int(v) for v in rng.integers(2, 9, size=2))
        yield Case((3.0 * rng.standard_normal((n_y, m)),), f"random scores of shape ({n_y}, {m})")
    yield Case((rng.standard_normal((5, 1)),), "a single column (m=1)")
    yield Case((1000.0 + rng.standard_normal((3, 4)),), "scores around 1000", no_warnings=True)
    columns = rng.standard_normal((3, 5)) + np.array([[-1000.0, -10.0, 0.0, 10.0, 1000.0]])
    yield Case((columns,), "columns around -1000, -10, 0, 10 and 1000", no_warnings=True)


COLUMN_MAX, COLUMN_SUM = "z.max(axis=0, keepdims=True)", "e.sum(axis=0, keepdims=True)"
softmax_columns.mistake(
    "the softmax is taken over the wrong axis: here each COLUMN (axis=0) is an example and must sum to 1",
    {COLUMN_MAX: "z.max(axis=1, keepdims=True)", COLUMN_SUM: "e.sum(axis=1, keepdims=True)"},
)
softmax_columns.mistake(
    "the maximum is not subtracted, so exp overflows for large scores; subtract each column's "
    "maximum first (it does not change the result)",
    {f"z - {COLUMN_MAX}": "z"},
)
softmax_columns.mistake(
    "the exponentials are divided by the sum of the whole array; divide by each column's own "
    "sum (axis=0, keepdims=True)",
    {COLUMN_SUM: "e.sum()"},
)


# ---------------------------------------------------------------- rnn_cell_forward


@exercise(ref.rnn_cell_forward)
def rnn_cell_forward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        xt = rng.standard_normal((n_x, m))
        a_prev = rng.standard_normal((n_a, m))
        yield Case((xt, a_prev, parameters), sizes_label(n_x, n_a, n_y, m))
    parameters = random_parameters(rng, 3, 4, 2)
    yield Case((rng.standard_normal((3, 1)), rng.standard_normal((4, 1)), parameters), "one example (m=1)")


rnn_cell_forward.mistake(
    "Waa is transposed: the hidden part of the pre-activation is Waa @ a_prev (row i of Waa "
    "holds the weights INTO unit i)",
    {'parameters["Waa"] @': 'parameters["Waa"].T @'},
)
rnn_cell_forward.mistake(
    "the hidden bias ba is not added: a_next = tanh(Waa a_prev + Wax xt + ba)", {' + parameters["ba"]': ""}
)
rnn_cell_forward.mistake(
    "the output bias by is not added: yt_pred = softmax(Wya a_next + by)", {' + parameters["by"]': ""}
)
rnn_cell_forward.mistake(
    "the softmax is taken over the wrong axis: each COLUMN of yt_pred (one example) must sum to 1",
    {
        'softmax(parameters["Wya"] @ a_next + parameters["by"])': (
            'softmax((parameters["Wya"] @ a_next + parameters["by"]).T).T'
        )
    },
)
rnn_cell_forward.mistake(
    "the output layer reads the previous hidden state; it reads the new one: "
    "yt_pred = softmax(Wya a_next + by)",
    {'parameters["Wya"] @ a_next': 'parameters["Wya"] @ a_prev'},
)
rnn_cell_forward.mistake(
    "the cache is in the wrong order: it is the tuple (a_next, a_prev, xt, parameters)",
    {"cache = (a_next, a_prev, xt, parameters)": "cache = (xt, a_prev, a_next, parameters)"},
)


# ---------------------------------------------------------------- rnn_forward


@exercise(ref.rnn_forward)
def rnn_forward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        x = rng.standard_normal((n_x, m, T_x))
        a0 = rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one time step (T_x=1)")


CELL_STEP = "a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)"
rnn_forward.mistake(
    "the hidden state is not carried forward: every step starts from a0; the a_prev of step t "
    "is the a_next of step t-1",
    {"x[:, :, t], a_next, parameters": "x[:, :, t], a0, parameters"},
)
rnn_forward.mistake(
    "a[:, :, t] holds the hidden state of the step before; it must hold the a_next that step t computes",
    {f"{CELL_STEP}\n        a[:, :, t] = a_next": f"a[:, :, t] = a_next\n        {CELL_STEP}"},
)
rnn_forward.mistake(
    "caches should be the tuple (list of the T_x caches, x), not the list alone",
    {"(cache_list, x)": "cache_list"},
)


# ---------------------------------------------------------------- the two layouts


@exercise(ref.to_batch_first)
def to_batch_first(rng):
    for _ in range(2):
        n_x, _, _, m, T_x = random_sizes(rng)
        yield Case((rng.standard_normal((n_x, m, T_x)),), f"x of shape ({n_x}, {m}, {T_x})")
    yield Case(
        (rng.standard_normal((3, 3, 3)),), "x of shape (3, 3, 3), where only the values tell the axes apart"
    )
    yield Case((rng.standard_normal((4, 1, 5)),), "one example (m=1)")


to_batch_first.mistake(
    "the array is reshaped; reshape keeps the numbers in memory order and only regroups them; "
    "to move axes use np.transpose(x, axes), with x_bf[i, t, k] == x[k, i, t]",
    {"np.transpose(x, (1, 2, 0))": "x.reshape(x.shape[1], x.shape[2], x.shape[0])"},
)
to_batch_first.mistake(
    "x.T reverses all three axes and gives (T_x, m, n_x); the layout is (m, T_x, n_x)",
    {"np.transpose(x, (1, 2, 0))": "x.T"},
)
to_batch_first.mistake(
    "the axes are in the order of to_time_major; to_batch_first puts axis 1 (m) first, then "
    "axis 2 (T_x), then axis 0 (n_x): np.transpose(x, (1, 2, 0))",
    {"np.transpose(x, (1, 2, 0))": "np.transpose(x, (2, 0, 1))"},
)


@exercise(ref.to_time_major)
def to_time_major(rng):
    for _ in range(2):
        n_x, _, _, m, T_x = random_sizes(rng)
        yield Case((rng.standard_normal((m, T_x, n_x)),), f"x_bf of shape ({m}, {T_x}, {n_x})")
    yield Case(
        (rng.standard_normal((3, 3, 3)),),
        "x_bf of shape (3, 3, 3), where only the values tell the axes apart",
    )
    yield Case((rng.standard_normal((1, 5, 4)),), "one example (m=1)")


to_time_major.mistake(
    "the array is reshaped; reshape keeps the numbers in memory order and only regroups them; "
    "to move axes use np.transpose(x_bf, axes), with x[k, i, t] == x_bf[i, t, k]",
    {"np.transpose(x_bf, (2, 0, 1))": "x_bf.reshape(x_bf.shape[2], x_bf.shape[0], x_bf.shape[1])"},
)
to_time_major.mistake(
    "x_bf.T reverses all three axes and gives (n_x, T_x, m); the layout is (n_x, m, T_x)",
    {"np.transpose(x_bf, (2, 0, 1))": "x_bf.T"},
)
to_time_major.mistake(
    "the axes are in the order of to_batch_first; to_time_major puts axis 2 (n_x) first, then "
    "axis 0 (m), then axis 1 (T_x): np.transpose(x_bf, (2, 0, 1))",
    {"np.transpose(x_bf, (2, 0, 1))": "np.transpose(x_bf, (1, 2, 0))"},
)
