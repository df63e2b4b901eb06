"""Hidden tests and known mistakes of assignment 06: LSTM and GRU, forward and backward.

Every known mistake is a whole, self-contained numpy implementation with the exercise's
signature (it uses nothing but numpy), so that the grading-contract test can paste it into a
notebook as a student's wrong answer.
"""

import numpy as np

from autograder.engine import Case, exercise, mistake
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


@exercise("lstm_cell_forward", ref.lstm_cell_forward)
def lstm_cell_forward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        xt, a_prev, c_prev = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))
        yield Case((xt, a_prev, c_prev, parameters), sizes_label(n_x, n_a, n_y, m))


@mistake(
    "lstm_cell_forward",
    "the forget and update gates are swapped: the forget gate ft multiplies the old cell "
    "state, c_next = ft * c_prev + it * cct",
)
def lstm_cell_forward_gates_swapped(xt, a_prev, c_prev, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = it * c_prev + ft * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, e / e.sum(axis=0, keepdims=True), cache


@mistake(
    "lstm_cell_forward",
    "the gate biases bf, bi, bc, bo are not added",
)
def lstm_cell_forward_without_biases(xt, a_prev, c_prev, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat)
    it = sigmoid(parameters["Wi"] @ concat)
    cct = np.tanh(parameters["Wc"] @ concat)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat)
    a_next = ot * np.tanh(c_next)
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, e / e.sum(axis=0, keepdims=True), cache


@mistake(
    "lstm_cell_forward",
    "the hidden state is ot * c_next; the cell state goes through a tanh first: a_next = ot * tanh(c_next)",
)
def lstm_cell_forward_without_tanh(xt, a_prev, c_prev, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * c_next
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, e / e.sum(axis=0, keepdims=True), cache


@mistake(
    "lstm_cell_forward",
    "the gates act on [xt; a_prev]; they act on concat = [a_prev; xt], the hidden state on top",
)
def lstm_cell_forward_concat_reversed(xt, a_prev, c_prev, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    concat = np.concatenate([xt, a_prev])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, e / e.sum(axis=0, keepdims=True), cache


# ---------------------------------------------------------------- LSTM, sequence, forward


@exercise("lstm_forward", ref.lstm_forward)
def lstm_forward_cases(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, ref.init_lstm_parameters, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one step (T_x=1)")


@mistake(
    "lstm_forward",
    "the hidden state is not carried from step to step: every step starts from a0; "
    "the a_next of step t is the a_prev of step t+1",
)
def lstm_forward_hidden_not_carried(x, a0, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    cache_list = []
    c_prev = np.zeros((n_a, m))
    for t in range(T_x):
        xt, a_prev = x[:, :, t], a0
        concat = np.concatenate([a_prev, xt])
        ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
        it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
        cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
        c_next = ft * c_prev + it * cct
        ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
        a_next = ot * np.tanh(c_next)
        scores = parameters["Wy"] @ a_next + parameters["by"]
        e = np.exp(scores - scores.max(axis=0, keepdims=True))
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, e / e.sum(axis=0, keepdims=True)
        cache_list.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters))
        c_prev = c_next
    return a, y, c, (cache_list, x)


@mistake(
    "lstm_forward",
    "the cell state is not carried from step to step: every step starts from a zero cell "
    "state; the c_next of step t is the c_prev of step t+1 (only c at step 0 is zero)",
)
def lstm_forward_cell_not_carried(x, a0, parameters):
    def sigmoid(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, c, y = np.zeros((n_a, m, T_x)), np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    cache_list = []
    a_prev = a0
    for t in range(T_x):
        xt, c_prev = x[:, :, t], np.zeros((n_a, m))
        concat = np.concatenate([a_prev, xt])
        ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
        it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
        cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
        c_next = ft * c_prev + it * cct
        ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
        a_next = ot * np.tanh(c_next)
        scores = parameters["Wy"] @ a_next + parameters["by"]
        e = np.exp(scores - scores.max(axis=0, keepdims=True))
        a[:, :, t], c[:, :, t], y[:, :, t] = a_next, c_next, e / e.sum(axis=0, keepdims=True)
        cache_list.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters))
        a_prev = a_next
    return a, y, c, (cache_list, x)


# ---------------------------------------------------------------- LSTM, one step, backward


@exercise("lstm_cell_backward", ref.lstm_cell_backward)
def lstm_cell_backward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        xt, a_prev, c_prev = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))
        cache = ref.lstm_cell_forward(xt, a_prev, c_prev, parameters)[3]
        da_next, dc_next = rng.standard_normal((n_a, m)), rng.standard_normal((n_a, m))
        yield Case((da_next, dc_next, cache), sizes_label(n_x, n_a, n_y, m))


@mistake(
    "lstm_cell_backward",
    "dc_prev is missing the forget gate: c_next = ft * c_prev + ..., so the gradient that "
    "reaches c_prev is dc * ft",
)
def lstm_cell_backward_no_forget_factor(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True), "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True), "dbo": dot.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "lstm_cell_backward",
    "the derivative of tanh(c_next) is taken from its input: it is 1 - tanh(c_next)**2, "
    "not 1 - c_next**2 (c_next is the input of the tanh, not its output)",
)
def lstm_cell_backward_tanh_of_preactivation(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - c_next**2)
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True), "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True), "dbo": dot.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "lstm_cell_backward",
    "the gradient on c_next ignores the path through a_next = ot * tanh(c_next): "
    "dc = dc_next + da_next * ot * (1 - tanh(c_next)**2)",
)
def lstm_cell_backward_no_hidden_path(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True), "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True), "dbo": dot.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "lstm_cell_backward",
    "the sigmoid derivatives of the gates are missing: each gate's gradient is multiplied "
    "by s * (1 - s), where s is the gate's value",
)
def lstm_cell_backward_no_sigmoid_derivative(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dot = da_next * tanh_c
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct
    dft = dc * c_prev
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:], "da_prev": dconcat[:n_a], "dc_prev": dc * ft,
        "dWf": dft @ concat.T, "dWi": dit @ concat.T, "dWc": dcct @ concat.T, "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True), "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True), "dbo": dot.sum(axis=1, keepdims=True),
    }  # fmt: skip


# ---------------------------------------------------------------- LSTM, sequence, backward


@exercise("lstm_backward", ref.lstm_backward)
def lstm_backward_cases(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        T_x = max(T_x, 3)
        parameters = random_parameters(rng, ref.init_lstm_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        caches = ref.lstm_forward(x, a0, parameters)[3]
        da = rng.standard_normal((n_a, m, T_x))
        yield Case((da, caches), sizes_label(n_x, n_a, n_y, m, T_x))


@mistake(
    "lstm_backward",
    "da_prev is not carried between time steps: the hidden state of step t gets "
    "da[:, :, t] PLUS the da_prev that step t+1 sends back",
)
def lstm_backward_hidden_not_carried(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][9]
    grads = {"dx": np.zeros(x.shape), "da0": None}
    for gate in "fico":
        grads["dW" + gate] = np.zeros(parameters["W" + gate].shape)
        grads["db" + gate] = np.zeros((n_a, 1))
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache_list[t]
        da_next = da[:, :, t]
        tanh_c = np.tanh(c_next)
        dc = dc_prev + da_next * ot * (1 - tanh_c**2)
        d = {
            "f": dc * c_prev * ft * (1 - ft),
            "i": dc * cct * it * (1 - it),
            "c": dc * it * (1 - cct**2),
            "o": da_next * tanh_c * ot * (1 - ot),
        }
        concat = np.concatenate([a_prev, xt])
        dconcat = sum(parameters["W" + gate].T @ d[gate] for gate in "fico")
        grads["dx"][:, :, t] = dconcat[n_a:]
        da_prev, dc_prev = dconcat[:n_a], dc * ft
        for gate in "fico":
            grads["dW" + gate] += d[gate] @ concat.T
            grads["db" + gate] += d[gate].sum(axis=1, keepdims=True)
    grads["da0"] = da_prev
    return grads


@mistake(
    "lstm_backward",
    "dc_prev is not carried between time steps: the cell state of step t gets the dc_prev "
    "that step t+1 sends back through its forget gate (only the last step starts from zero)",
)
def lstm_backward_cell_not_carried(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][9]
    grads = {"dx": np.zeros(x.shape), "da0": None}
    for gate in "fico":
        grads["dW" + gate] = np.zeros(parameters["W" + gate].shape)
        grads["db" + gate] = np.zeros((n_a, 1))
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        tanh_c = np.tanh(c_next)
        dc = da_next * ot * (1 - tanh_c**2)
        d = {
            "f": dc * c_prev * ft * (1 - ft),
            "i": dc * cct * it * (1 - it),
            "c": dc * it * (1 - cct**2),
            "o": da_next * tanh_c * ot * (1 - ot),
        }
        concat = np.concatenate([a_prev, xt])
        dconcat = sum(parameters["W" + gate].T @ d[gate] for gate in "fico")
        grads["dx"][:, :, t] = dconcat[n_a:]
        da_prev = dconcat[:n_a]
        for gate in "fico":
            grads["dW" + gate] += d[gate] @ concat.T
            grads["db" + gate] += d[gate].sum(axis=1, keepdims=True)
    grads["da0"] = da_prev
    return grads


@mistake(
    "lstm_backward",
    "the weight and bias gradients are overwritten at every step instead of summed over "
    "the time steps: the same weights are used at every step, so their gradients add up",
)
def lstm_backward_overwritten(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][9]
    grads = {"dx": np.zeros(x.shape), "da0": None}
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        tanh_c = np.tanh(c_next)
        dc = dc_prev + da_next * ot * (1 - tanh_c**2)
        d = {
            "f": dc * c_prev * ft * (1 - ft),
            "i": dc * cct * it * (1 - it),
            "c": dc * it * (1 - cct**2),
            "o": da_next * tanh_c * ot * (1 - ot),
        }
        concat = np.concatenate([a_prev, xt])
        dconcat = sum(parameters["W" + gate].T @ d[gate] for gate in "fico")
        grads["dx"][:, :, t] = dconcat[n_a:]
        da_prev, dc_prev = dconcat[:n_a], dc * ft
        for gate in "fico":
            grads["dW" + gate] = d[gate] @ concat.T
            grads["db" + gate] = d[gate].sum(axis=1, keepdims=True)
    grads["da0"] = da_prev
    return grads


@mistake(
    "lstm_backward",
    "the cell-state gradient sent back to step t-1 is missing the forget gate: dc_prev = dc * ft",
)
def lstm_backward_no_forget_factor(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][9]
    grads = {"dx": np.zeros(x.shape), "da0": None}
    for gate in "fico":
        grads["dW" + gate] = np.zeros(parameters["W" + gate].shape)
        grads["db" + gate] = np.zeros((n_a, 1))
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        tanh_c = np.tanh(c_next)
        dc = dc_prev + da_next * ot * (1 - tanh_c**2)
        d = {
            "f": dc * c_prev * ft * (1 - ft),
            "i": dc * cct * it * (1 - it),
            "c": dc * it * (1 - cct**2),
            "o": da_next * tanh_c * ot * (1 - ot),
        }
        concat = np.concatenate([a_prev, xt])
        dconcat = sum(parameters["W" + gate].T @ d[gate] for gate in "fico")
        grads["dx"][:, :, t] = dconcat[n_a:]
        da_prev, dc_prev = dconcat[:n_a], dc
        for gate in "fico":
            grads["dW" + gate] += d[gate] @ concat.T
            grads["db" + gate] += d[gate].sum(axis=1, keepdims=True)
    grads["da0"] = da_prev
    return grads


# ---------------------------------------------------------------- GRU, one step, forward


@exercise("gru_cell_forward", ref.gru_cell_forward)
def gru_cell_forward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
        yield Case((xt, a_prev, parameters), sizes_label(n_x, n_a, n_y, m))


@mistake(
    "gru_cell_forward",
    "the interpolation is reversed: the update gate z keeps the OLD state, a_next = (1 - z) * n + z * a_prev",
)
def gru_cell_forward_interpolation_reversed(xt, a_prev, parameters):
    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + r * hn)
    a_next = z * n + (1 - z) * a_prev
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, r, z, n, hn, parameters)


@mistake(
    "gru_cell_forward",
    "the reset gate multiplies a_prev before the product (r * a_prev, as in the original "
    "GRU paper); here, as in PyTorch, it multiplies the whole hidden part: r * (Wna a_prev + bna)",
)
def gru_cell_forward_reset_before_product(xt, a_prev, parameters):
    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ (r * a_prev) + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + hn)
    a_next = (1 - z) * n + z * a_prev
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, r, z, n, hn, parameters)


@mistake(
    "gru_cell_forward",
    "the bias bna is added outside the reset gate; it is part of the hidden term that r "
    "multiplies: r * (Wna a_prev + bna)",
)
def gru_cell_forward_bias_outside_reset(xt, a_prev, parameters):
    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(
        parameters["Wnx"] @ xt + parameters["bnx"] + r * (parameters["Wna"] @ a_prev) + parameters["bna"]
    )
    a_next = (1 - z) * n + z * a_prev
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, r, z, n, hn, parameters)


@mistake(
    "gru_cell_forward",
    "the gate biases br and bz are not added",
)
def gru_cell_forward_without_gate_biases(xt, a_prev, parameters):
    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat)
    z = sigmoid(parameters["Wz"] @ concat)
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + r * hn)
    a_next = (1 - z) * n + z * a_prev
    scores = parameters["Wy"] @ a_next + parameters["by"]
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    return a_next, e / e.sum(axis=0, keepdims=True), (a_next, a_prev, xt, r, z, n, hn, parameters)


# ---------------------------------------------------------------- GRU, sequence, forward


@exercise("gru_forward", ref.gru_forward)
def gru_forward_cases(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), sizes_label(n_x, n_a, n_y, m, T_x))
    parameters = random_parameters(rng, ref.init_gru_parameters, 3, 4, 2)
    x, a0 = rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2))
    yield Case((x, a0, parameters), "a sequence of one step (T_x=1)")


@mistake(
    "gru_forward",
    "the hidden state is not carried from step to step: every step starts from a0; "
    "the a_next of step t is the a_prev of step t+1",
)
def gru_forward_hidden_not_carried(x, a0, parameters):
    def sigmoid(v):
        return 0.5 * (1 + np.tanh(0.5 * v))

    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, y_pred = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x))
    cache_list = []
    for t in range(T_x):
        xt, a_prev = x[:, :, t], a0
        concat = np.concatenate([a_prev, xt])
        r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
        z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
        hn = parameters["Wna"] @ a_prev + parameters["bna"]
        n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + r * hn)
        a_next = (1 - z) * n + z * a_prev
        scores = parameters["Wy"] @ a_next + parameters["by"]
        e = np.exp(scores - scores.max(axis=0, keepdims=True))
        a[:, :, t], y_pred[:, :, t] = a_next, e / e.sum(axis=0, keepdims=True)
        cache_list.append((a_next, a_prev, xt, r, z, n, hn, parameters))
    return a, y_pred, (cache_list, x)


# ---------------------------------------------------------------- GRU, one step, backward


@exercise("gru_cell_backward", ref.gru_cell_backward)
def gru_cell_backward_cases(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
        cache = ref.gru_cell_forward(xt, a_prev, parameters)[2]
        yield Case((rng.standard_normal((n_a, m)), cache), sizes_label(n_x, n_a, n_y, m))


@mistake(
    "gru_cell_backward",
    "da_prev is missing the direct path: a_next = (1 - z) * n + z * a_prev, so a_prev also "
    "gets da_next * z, besides what flows back through the gates and the candidate",
)
def gru_cell_backward_no_direct_path(da_next, cache):
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    dn = da_next * (1 - z) * (1 - n**2)
    dz = da_next * (a_prev - n) * z * (1 - z)
    dhn = dn * r
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:] + parameters["Wnx"].T @ dn,
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn,
        "dWr": dr @ concat.T, "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T, "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T, "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T, "dbna": dhn.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "gru_cell_backward",
    "the update gate's gradient has the wrong sign: d a_next / d z = a_prev - n",
)
def gru_cell_backward_update_sign(da_next, cache):
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    dn = da_next * (1 - z) * (1 - n**2)
    dz = da_next * (n - a_prev) * z * (1 - z)
    dhn = dn * r
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:] + parameters["Wnx"].T @ dn,
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T, "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T, "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T, "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T, "dbna": dhn.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "gru_cell_backward",
    "the hidden part of the candidate is missing the reset gate: n = tanh(... + r * hn), so "
    "the gradient that reaches hn = Wna a_prev + bna is dn * r",
)
def gru_cell_backward_no_reset_factor(da_next, cache):
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    dn = da_next * (1 - z) * (1 - n**2)
    dz = da_next * (a_prev - n) * z * (1 - z)
    dhn = dn
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:] + parameters["Wnx"].T @ dn,
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T, "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T, "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T, "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T, "dbna": dhn.sum(axis=1, keepdims=True),
    }  # fmt: skip


@mistake(
    "gru_cell_backward",
    "the tanh derivative of the candidate is taken from its input; it is 1 - n**2, "
    "written with the candidate n itself",
)
def gru_cell_backward_tanh_of_preactivation(da_next, cache):
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    pre = parameters["Wnx"] @ xt + parameters["bnx"] + r * hn
    dn = da_next * (1 - z) * (1 - pre**2)
    dz = da_next * (a_prev - n) * z * (1 - z)
    dhn = dn * r
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:] + parameters["Wnx"].T @ dn,
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T, "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T, "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T, "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T, "dbna": dhn.sum(axis=1, keepdims=True),
    }  # fmt: skip


# ---------------------------------------------------------------- GRU, sequence, backward


@exercise("gru_backward", ref.gru_backward)
def gru_backward_cases(rng):
    for _ in range(2):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        T_x = max(T_x, 3)
        parameters = random_parameters(rng, ref.init_gru_parameters, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        caches = ref.gru_forward(x, a0, parameters)[2]
        da = rng.standard_normal((n_a, m, T_x))
        yield Case((da, caches), sizes_label(n_x, n_a, n_y, m, T_x))


@mistake(
    "gru_backward",
    "da_prev is not carried between time steps: the hidden state of step t gets "
    "da[:, :, t] PLUS the da_prev that step t+1 sends back",
)
def gru_backward_hidden_not_carried(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][7]
    names = ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna")
    grads = {"dx": np.zeros(x.shape), "da0": None}
    grads.update({"d" + name: np.zeros(parameters[name].shape) for name in names})
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, r, z, n, hn, _ = cache_list[t]
        da_next = da[:, :, t]
        dn = da_next * (1 - z) * (1 - n**2)
        dz = da_next * (a_prev - n) * z * (1 - z)
        dhn = dn * r
        dr = dn * hn * r * (1 - r)
        concat = np.concatenate([a_prev, xt])
        dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
        grads["dx"][:, :, t] = dconcat[n_a:] + parameters["Wnx"].T @ dn
        da_prev = dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z
        for name, value in (
            ("Wr", dr @ concat.T), ("br", dr.sum(axis=1, keepdims=True)),
            ("Wz", dz @ concat.T), ("bz", dz.sum(axis=1, keepdims=True)),
            ("Wnx", dn @ xt.T), ("bnx", dn.sum(axis=1, keepdims=True)),
            ("Wna", dhn @ a_prev.T), ("bna", dhn.sum(axis=1, keepdims=True)),
        ):  # fmt: skip
            grads["d" + name] += value
    grads["da0"] = da_prev
    return grads


@mistake(
    "gru_backward",
    "the weight and bias gradients are overwritten at every step instead of summed over "
    "the time steps: the same weights are used at every step, so their gradients add up",
)
def gru_backward_overwritten(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][7]
    grads = {"dx": np.zeros(x.shape), "da0": None}
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, r, z, n, hn, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        dn = da_next * (1 - z) * (1 - n**2)
        dz = da_next * (a_prev - n) * z * (1 - z)
        dhn = dn * r
        dr = dn * hn * r * (1 - r)
        concat = np.concatenate([a_prev, xt])
        dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
        grads["dx"][:, :, t] = dconcat[n_a:] + parameters["Wnx"].T @ dn
        da_prev = dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z
        for name, value in (
            ("Wr", dr @ concat.T), ("br", dr.sum(axis=1, keepdims=True)),
            ("Wz", dz @ concat.T), ("bz", dz.sum(axis=1, keepdims=True)),
            ("Wnx", dn @ xt.T), ("bnx", dn.sum(axis=1, keepdims=True)),
            ("Wna", dhn @ a_prev.T), ("bna", dhn.sum(axis=1, keepdims=True)),
        ):  # fmt: skip
            grads["d" + name] = value
    grads["da0"] = da_prev
    return grads
