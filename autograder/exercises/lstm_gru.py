"""Hidden tests and known mistakes of assignment 06: LSTM and GRU, forward and backward."""

import numpy as np

from autograder.engine import Case, exercise
from autograder.exercises.rnn_forward import sizes_label
from solutions import lstm_gru as ref


def random_sizes(rng):
    """(n_x, n_a, n_y, m, T_x), small and all different, so that a mixed-up axis shows."""
    n_x, n_a, n_y, m, T_x = (int(v) for v in rng.permutation(np.arange(2, 8))[:5])
    return n_x, n_a, n_y, m, T_x


def random_parameters(rng, init, n_x, n_a, n_y):
    """The parameters of init with random non-zero biases, so that a forgotten bias shows."""
    parameters = init(n_x, n_a, n_y, seed=int(rng.integers(1000)))
    for name, value in parameters.items():
        if name.startswith("b"):
            parameters[name] = 0.5 * rng.standard_normal(value.shape)
    return parameters


# ---------------------------------------------------------------- LSTM, one step, forward


@exercise(ref.lstm_cell_forward)
def lstm_cell_forward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        xt, a_prev, c_prev = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))
        yield Case((xt, a_prev, c_prev, parameters), sizes_label(n_x, n_a, n_y, m))


lstm_cell_forward.mistake(
    "the forget and update gates are swapped: the forget gate ft multiplies the old cell "
    "state, c_next = ft * c_prev + it * cct",
    {"c_next = ft * c_prev + it * cct": "c_next = it * c_prev + ft * cct"},
)
lstm_cell_forward.mistake(
    "the gate biases bf, bi, bc, bo are not added", {f' + parameters["b{gate}"]': "" for gate in "fico"}
)
lstm_cell_forward.mistake(
    "the hidden state is ot * c_next; the cell state goes through a tanh first: a_next = ot * tanh(c_next)",
    {"ot * np.tanh(c_next)": "ot * c_next"},
)
lstm_cell_forward.mistake(
    "the gates act on [xt; a_prev]; they act on concat = [a_prev; xt], the hidden state on top",
    {"[a_prev, xt]": "[xt, a_prev]"},
)


# ---------------------------------------------------------------- LSTM, sequence, forward


@exercise(ref.lstm_forward)
def lstm_forward(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, ref.init_lstm_parameters, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one step (T_x=1)")


lstm_forward.mistake(
    "the hidden state is not carried from step to step: every step starts from a0; "
    "the a_next of step t is the a_prev of step t+1",
    {"x[:, :, t], a_next, c_next,": "x[:, :, t], a0, c_next,"},
)
lstm_forward.mistake(
    "the cell state is not carried from step to step: every step starts from a zero cell "
    "state; the c_next of step t is the c_prev of step t+1 (only c at step 0 is zero)",
    {"x[:, :, t], a_next, c_next,": "x[:, :, t], a_next, np.zeros((n_a, m)),"},
)


# ---------------------------------------------------------------- LSTM, one step, backward


@exercise(ref.lstm_cell_backward)
def lstm_cell_backward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        xt, a_prev, c_prev = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))
        cache = ref.lstm_cell_forward(xt, a_prev, c_prev, parameters)[3]
        da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
        yield Case((da_next, dc_next, cache), sizes_label(n_x, n_a, n_y, m))


lstm_cell_backward.mistake(
    "dc_prev is missing the forget gate: c_next = ft * c_prev + ..., so the gradient that "
    "reaches c_prev is dc * ft",
    {'"dc_prev": dc * ft': '"dc_prev": dc'},
)
lstm_cell_backward.mistake(
    "the derivative of tanh(c_next) is taken from its input: it is 1 - tanh(c_next)**2, "
    "not 1 - c_next**2 (c_next is the input of the tanh, not its output)",
    {"(1 - tanh_c**2)": "(1 - c_next**2)"},
)
lstm_cell_backward.mistake(
    "the gradient on c_next ignores the path through a_next = ot * tanh(c_next): "
    "dc = dc_next + da_next * ot * (1 - tanh(c_next)**2)",
    {"dc = dc_next + da_next * ot * (1 - tanh_c**2)": "dc = dc_next"},
)
lstm_cell_backward.mistake(
    "the sigmoid derivatives of the gates are missing: each gate's gradient is multiplied "
    "by s * (1 - s), where s is the gate's value",
    {f" * {gate} * (1 - {gate})": "" for gate in ("ot", "it", "ft")},
)


# ---------------------------------------------------------------- LSTM, sequence, backward


@exercise(ref.lstm_backward)
def lstm_backward(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        T_x = max(T_x, 3)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        caches = ref.lstm_forward(x, a0, parameters)[3]
        da = rng.standard_normal((n_a, m, T_x))
        yield Case((da, caches), sizes_label(n_x, n_a, n_y, m, T_x))


NOT_CARRIED = (
    "da_prev is not carried between time steps: the hidden state of step t gets "
    "da[:, :, t] PLUS the da_prev that step t+1 sends back"
)
OVERWRITTEN = (
    "the weight and bias gradients are overwritten at every step instead of summed over "
    "the time steps: the same weights are used at every step, so their gradients add up"
)
lstm_backward.mistake(NOT_CARRIED, {"da[:, :, t] + da_prevt": "da[:, :, t]"})
lstm_backward.mistake(
    "dc_prev is not carried between time steps: the cell state of step t gets the dc_prev "
    "that step t+1 sends back through its forget gate (only the last step starts from zero)",
    {'da_prevt, dc_prevt = grads["da_prev"], grads["dc_prev"]': 'da_prevt = grads["da_prev"]'},
)
lstm_backward.mistake(OVERWRITTEN, {"gradients[name] += ": "gradients[name] = "})
lstm_backward.mistake(  # as a student writes it who inlines the cell: dc (= dc_prev / ft) goes back
    "the cell-state gradient sent back to step t-1 is missing the forget gate: dc_prev = dc * ft",
    {'grads["dc_prev"]': 'grads["dc_prev"] / cache_list[t][4]'},
)


# ---------------------------------------------------------------- GRU, one step, forward


@exercise(ref.gru_cell_forward)
def gru_cell_forward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
        yield Case((xt, a_prev, parameters), sizes_label(n_x, n_a, n_y, m))


gru_cell_forward.mistake(
    "the interpolation is reversed: the update gate z keeps the OLD state, a_next = (1 - z) * n + z * a_prev",
    {"(1 - z) * n + z * a_prev": "z * n + (1 - z) * a_prev"},
)
gru_cell_forward.mistake(
    "the reset gate multiplies a_prev before the product (r * a_prev, as in the original "
    "GRU paper); here, as in PyTorch, it multiplies the whole hidden part: r * (Wna a_prev + bna)",
    {'parameters["Wna"] @ a_prev': 'parameters["Wna"] @ (r * a_prev)', "+ r * hn)": "+ hn)"},
)
gru_cell_forward.mistake(
    "the bias bna is added outside the reset gate; it is part of the hidden term that r "
    "multiplies: r * (Wna a_prev + bna)",
    {"r * hn)": 'r * (hn - parameters["bna"]) + parameters["bna"])'},
)
gru_cell_forward.mistake(
    "the gate biases br and bz are not added", {' + parameters["br"]': "", ' + parameters["bz"]': ""}
)


# ---------------------------------------------------------------- GRU, sequence, forward


@exercise(ref.gru_forward)
def gru_forward(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, ref.init_gru_parameters, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one step (T_x=1)")


gru_forward.mistake(
    "the hidden state is not carried from step to step: every step starts from a0; "
    "the a_next of step t is the a_prev of step t+1",
    {"x[:, :, t], a_next,": "x[:, :, t], a0,"},
)


# ---------------------------------------------------------------- GRU, one step, backward


@exercise(ref.gru_cell_backward)
def gru_cell_backward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
        cache = ref.gru_cell_forward(xt, a_prev, parameters)[2]
        yield Case((rng.standard_normal((n_a, m)), cache), sizes_label(n_x, n_a, n_y, m))


gru_cell_backward.mistake(
    "da_prev is missing the direct path: a_next = (1 - z) * n + z * a_prev, so a_prev also "
    "gets da_next * z, besides what flows back through the gates and the candidate",
    {" + da_next * z,": ","},
)
gru_cell_backward.mistake(
    "the update gate's gradient has the wrong sign: d a_next / d z = a_prev - n",
    {"(a_prev - n)": "(n - a_prev)"},
)
gru_cell_backward.mistake(
    "the hidden part of the candidate is missing the reset gate: n = tanh(... + r * hn), so "
    "the gradient that reaches hn = Wna a_prev + bna is dn * r",
    {"dhn = dn * r": "dhn = dn"},
)
gru_cell_backward.mistake(
    "the tanh derivative of the candidate is taken from its input; it is 1 - n**2, "
    "written with the candidate n itself",
    {"(1 - n**2)": '(1 - (parameters["Wnx"] @ xt + parameters["bnx"] + r * hn) ** 2)'},
)


# ---------------------------------------------------------------- GRU, sequence, backward


@exercise(ref.gru_backward)
def gru_backward(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        T_x = max(T_x, 3)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        caches = ref.gru_forward(x, a0, parameters)[2]
        da = rng.standard_normal((n_a, m, T_x))
        yield Case((da, caches), sizes_label(n_x, n_a, n_y, m, T_x))


gru_backward.mistake(NOT_CARRIED, {"da[:, :, t] + da_prevt": "da[:, :, t]"})
gru_backward.mistake(OVERWRITTEN, {"gradients[name] += ": "gradients[name] = "})
