"""Typical student bugs that are NOT registered mistakes, one or more per exercise of 01-08.

Written for tests/test_feedback.py: each must fail its hidden tests with a message that points
at what is wrong. `points` is a regular expression that the message must match: the wrong term
(an input or parameter whose contribution is wrong), the one returned value that is wrong, or a
known mistake that really is the student's. Every claim the message makes (a term that is
wrong, a known mistake) must match it too, so that no message misleads.

The functions are written as a student writes them in a notebook: numpy as np, and the course
functions that the exercise lets them call (rnn_cell_forward, sigmoid, softmax, ...).
"""

from dataclasses import dataclass

import numpy as np

BUGS = []


@dataclass
class Bug:
    exercise: str
    function: object
    points: str | None  # a regular expression: what the message must point at (None: it does not)
    what: str  # the bug, in words

    @property
    def id(self):
        return f"{self.exercise}:{self.function.__name__}"


def bug(exercise, points, what):
    def register(function):
        BUGS.append(Bug(exercise, function, points, what))
        return function

    return register


# ---------------------------------------------------------------- 01 spiral data and activations


@bug("make_spiral", r"\by\b.*dtype", "labels left as float64 (np.zeros without dtype)")
def make_spiral_float_labels(N=100, K=3, noise=0.2, seed=None):
    rng = np.random.default_rng(seed)
    X = np.zeros((N * K, 2))
    y = np.zeros(N * K)
    radius = np.linspace(0.0, 1.0, N)
    for j in range(K):
        rows = slice(N * j, N * (j + 1))
        angle = np.linspace(4.0 * j, 4.0 * (j + 1), N) + noise * rng.standard_normal(N)
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = j
    return X, y


@bug("sigmoid", r"wrong exactly where x < 0", "stable two-branch form with a typo in the x < 0 branch")
def sigmoid_branch_typo(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 - e))


@bug("sigmoid", r"For x = .* yours gives", "tanh form without the halving inside: 0.5 * (1 + tanh(x))")
def sigmoid_tanh_unhalved(x):
    return 0.5 * (1 + np.tanh(x))


@bug("sigmoid_grad", r"For s = .* yours gives", "a sign typo: s * (1 + s)")
def sigmoid_grad_sign(s):
    return s * (1 + s)


@bug("relu", r"wrong exactly where x < 0", "leaky ReLU instead of ReLU")
def relu_leaky(x):
    return np.where(x > 0, x, 0.01 * x)


@bug("relu_grad", r"dh has dtype int64, expected float64", "an integer result: (h > 0) * 1")
def relu_grad_int(h):
    return (h > 0) * 1


@bug("relu_grad", r"wrong exactly where h == 0", "h / h, NaN where h == 0")
def relu_grad_divide(h):
    with np.errstate(invalid="ignore"):
        return np.where(h > 0, h / h, 0.0) + np.where(h == 0, np.nan, 0.0)


@bug("tanh_grad", r"For t = .* yours gives", "the square forgotten: 1 - t")
def tanh_grad_unsquared(t):
    return 1 - t


@bug("tanh_grad", r"For t = .* yours gives", "the square in the wrong place: (1 - t) ** 2")
def tanh_grad_square_outside(t):
    return (1 - t) ** 2


# ---------------------------------------------------------------- 02 softmax classifier


@bug(
    "softmax",
    r"each row .* times a number of its own",
    "normalised by the row maximum instead of the row sum",
)
def softmax_max_normalised(scores):
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.max(axis=1, keepdims=True)


@bug("softmax", r"each row .* own|sums to 1", "divided by the sum of the whole array")
def softmax_global_sum(scores):
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum()


@bug(
    "softmax_loss", r"Wrong: loss; everything else is right", "the loss averages the log of every probability"
)
def softmax_loss_all_classes(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs))), dscores / N


@bug("softmax_loss", r"dscores .* times the expected", "dscores divided by K instead of N")
def softmax_loss_divided_by_k(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), dscores / K


@bug(
    "softmax_loss",
    r"Wrong: dscores; everything else is right",
    "1 subtracted from whole rows: dscores[y] -= 1",
)
def softmax_loss_rows_indexed(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[y % N] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), dscores / N


@bug(
    "l2_penalty",
    r"Wrong: penalty; everything else is right",
    "the square of the sum: 0.5 * reg * sum(W) ** 2",
)
def l2_penalty_square_of_sum(W, reg):
    return 0.5 * reg * float(np.sum(W)) ** 2, reg * W


@bug("l2_penalty", r"dW is the transpose", "dW transposed: reg * W.T")
def l2_penalty_transposed(W, reg):
    return 0.5 * reg * float(np.sum(W * W)), reg * W.T


@bug(
    "eval_numerical_gradient",
    r"grad is 1e-0?6 times the expected",
    "operator precedence: (f(x+h) - f(x-h)) / 2 * h",
)
def eval_numerical_gradient_precedence(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f(x)
        x[i] = original - h
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / 2 * h
    return grad


@bug(
    "eval_numerical_gradient",
    r"grad is about 0.5 times",
    "x - h taken from the already nudged x + h (x[i] -= h): a forward difference over 2h",
)
def eval_numerical_gradient_nudged_twice(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] += h
        f_plus = f(x)
        x[i] -= h
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@bug("rel_error", None, "the denominator without absolute values: |a + b|")
def rel_error_abs_of_sum(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))


# ---------------------------------------------------------------- 03 three-layer net


@bug("init_params", r"params\['b1'\] has shape", "biases of shape (1, H) instead of (H,)")
def init_params_row_biases(D=2, H1=50, H2=50, K=3, seed=None):
    rng = np.random.default_rng(seed)
    return {
        "W1": 0.1 * rng.standard_normal((D, H1)),
        "b1": np.zeros((1, H1)),
        "W2": 0.1 * rng.standard_normal((H1, H2)),
        "b2": np.zeros((1, H2)),
        "W3": 0.1 * rng.standard_normal((H2, K)),
        "b3": np.zeros((1, K)),
    }


@bug("forward", r"With b2 = 0", "the bias b2 added after the activation: f(h1 W2) + b2")
def forward_bias_outside(X, params, nonlinearity):
    f = sigmoid if nonlinearity == "sigmoid" else relu
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = f(h1 @ params["W2"]) + params["b2"]
    return h2 @ params["W3"] + params["b3"], (X, h1, h2)


@bug("forward", r"h2\) is relu of the pre-activation whose sigmoid", "the second layer always uses relu")
def forward_second_layer_relu(X, params, nonlinearity):
    f = sigmoid if nonlinearity == "sigmoid" else relu
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = relu(h1 @ params["W2"] + params["b2"])
    return h2 @ params["W3"] + params["b3"], (X, h1, h2)


@bug("backward", r"\breg = 0", "the L2 gradient forgotten in W2 only")
def backward_no_reg_w2(dscores, cache, params, nonlinearity, reg):
    f_grad = sigmoid_grad if nonlinearity == "sigmoid" else relu_grad
    X, h1, h2 = cache
    dh2 = dscores @ params["W3"].T * f_grad(h2)
    dh1 = dh2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dh2,
        "b2": dh2.sum(axis=0),
        "W1": X.T @ dh1 + reg * params["W1"],
        "b1": dh1.sum(axis=0),
    }


@bug(
    "backward", r"Wrong: grads\['b2'\]; everything else is right", "b2's gradient summed over the wrong axis"
)
def backward_b2_axis(dscores, cache, params, nonlinearity, reg):
    f_grad = sigmoid_grad if nonlinearity == "sigmoid" else relu_grad
    X, h1, h2 = cache
    dh2 = dscores @ params["W3"].T * f_grad(h2)
    dh1 = dh2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dh2 + reg * params["W2"],
        "b2": dh2.sum(axis=1),
        "W1": X.T @ dh1 + reg * params["W1"],
        "b1": dh1.sum(axis=0),
    }


@bug("backward", r"W1'\] .*opposite sign|b1'\] .*opposite sign", "a sign error in dh1")
def backward_dh1_sign(dscores, cache, params, nonlinearity, reg):
    f_grad = sigmoid_grad if nonlinearity == "sigmoid" else relu_grad
    X, h1, h2 = cache
    dh2 = dscores @ params["W3"].T * f_grad(h2)
    dh1 = -(dh2 @ params["W2"].T) * f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dh2 + reg * params["W2"],
        "b2": dh2.sum(axis=0),
        "W1": X.T @ dh1 - reg * params["W1"],
        "b1": dh1.sum(axis=0),
    }


@bug("sgd_step", r"params\['b1'\] has wrong values", "only the weights are stepped, not the biases")
def sgd_step_weights_only(params, grads, step_size):
    for name in ("W1", "W2", "W3"):
        params[name] -= step_size * grads[name]


@bug("train", None, "one iteration too few: range(iterations - 1)")
def train_one_short(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    history = {"loss": [], "W1": [], "W2": [], "W3": []}
    for _ in range(iterations - 1):
        scores, cache = forward(X, params, nonlinearity)
        loss, dscores = softmax_loss(scores, y)
        for W in ("W1", "W2", "W3"):
            loss += l2_penalty(params[W], reg)[0]
        grads = backward(dscores, cache, params, nonlinearity, reg)
        sgd_step(params, grads, step_size)
        history["loss"].append(loss)
        for W in ("W1", "W2", "W3"):
            history[W].append(float(np.abs(grads[W]).sum() / sum(grads[W].shape)))
    return history


@bug(
    "train", r"history\['W1'\] has wrong values", "the gradient magnitude without the division by sum(shape)"
)
def train_magnitude_unnormalised(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    history = {"loss": [], "W1": [], "W2": [], "W3": []}
    for _ in range(iterations):
        scores, cache = forward(X, params, nonlinearity)
        loss, dscores = softmax_loss(scores, y)
        for W in ("W1", "W2", "W3"):
            loss += l2_penalty(params[W], reg)[0]
        grads = backward(dscores, cache, params, nonlinearity, reg)
        sgd_step(params, grads, step_size)
        history["loss"].append(loss)
        for W in ("W1", "W2", "W3"):
            history[W].append(float(np.abs(grads[W]).sum()))
    return history


@bug("predict", None, "the nonlinearity argument ignored: always sigmoid")
def predict_always_sigmoid(X, params, nonlinearity):
    return np.argmax(forward(X, params, "sigmoid")[0], axis=1)


# ---------------------------------------------------------------- 04 RNN forward


@bug(
    "softmax_columns",
    r"(?i)each column of the expected probs sums to 1",
    "max over axis 0 but the sum over axis 1",
)
def softmax_columns_mixed_axes(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@bug(
    "softmax_columns",
    r"column 0 sums to nan",
    "the maximum of the whole array subtracted (underflow in far columns)",
)
def softmax_columns_global_max(z):
    e = np.exp(z - z.max())
    with np.errstate(invalid="ignore"):
        return e / e.sum(axis=0, keepdims=True)


@bug("rnn_cell_forward", r"With (Wax|xt) = 0 \(or (Wax|xt) = 0\)", "a sign error in the input term: - Wax xt")
def rnn_cell_forward_input_sign(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev - parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@bug("rnn_cell_forward", r"a_next.* is relu of the pre-activation whose tanh", "relu instead of tanh")
def rnn_cell_forward_relu(xt, a_prev, parameters):
    a_next = np.maximum(0, parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@bug("rnn_cell_forward", r"With ba = 0", "the bias added after the tanh")
def rnn_cell_forward_bias_outside(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt) + parameters["ba"]
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@bug(
    "rnn_cell_forward",
    r"cache\[1\] \(a_prev\) holds the values of the input xt",
    "cache in the order (a_next, xt, a_prev, parameters)",
)
def rnn_cell_forward_cache_swapped(xt, a_prev, parameters):
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, xt, a_prev, parameters)


@bug(
    "rnn_cell_forward",
    r"With (Waa|a_prev) = 0 \(or (Waa|a_prev) = 0\)",
    "the recurrent term doubled: 2 * Waa a_prev",
)
def rnn_cell_forward_recurrent_doubled(xt, a_prev, parameters):
    a_next = np.tanh(2 * parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, parameters)


@bug("rnn_forward", r"With a0 = 0", "the first step starts from zeros instead of a0")
def rnn_forward_zero_start(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = np.zeros_like(a0)
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@bug("rnn_forward", r"y_pred is one time step early", "yt_pred stored one step back: y_pred[:, :, t - 1]")
def rnn_forward_y_index(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t - 1] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@bug("rnn_forward", r"caches\[0\] should hold 3 values, but it holds 2", "the loop starts at t = 1")
def rnn_forward_from_one(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_next = a0
    for t in range(1, T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t], y_pred[:, :, t] = a_next, yt_pred
        caches.append(cache)
    return a, y_pred, (caches, x)


@bug("to_batch_first", r"x_bf has shape", "the axes (1, 0, 2)")
def to_batch_first_wrong_axes(x):
    return np.transpose(x, (1, 0, 2))


@bug("to_time_major", r"x has shape", "only the last two axes swapped: (m, n_x, T_x)")
def to_time_major_last_two(x_bf):
    return np.transpose(x_bf, (0, 2, 1))


# ---------------------------------------------------------------- 05 RNN backward


@bug(
    "rnn_cell_backward",
    r"With a_next = 0, your gradients\['dxt'\] is right",
    "the tanh derivative forgotten in dxt only",
)
def rnn_cell_backward_dxt_raw(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    return {
        "dxt": parameters["Wax"].T @ da_next,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


@bug("rnn_cell_backward", r"gradients\['dba'\] has shape", "dba summed over the examples' axis 0")
def rnn_cell_backward_dba_axis(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=0, keepdims=True),
    }


@bug("rnn_cell_backward", r"With a_next = 0", "a sign error in the tanh derivative: 1 + a_next**2")
def rnn_cell_backward_derivative_sign(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 + a_next**2)
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


@bug("rnn_cell_backward", r"dWax'\] is 0\.\d+ \(= 1/\d\) times", "dWax averaged over the examples")
def rnn_cell_backward_dwax_mean(da_next, cache):
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T / xt.shape[1],
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


@bug("rnn_backward", r"dx'\] is one time step early", "dxt stored at dx[:, :, t - 1]")
def rnn_backward_dx_index(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    p = cache_list[0][3]
    dx = np.zeros(x.shape)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        dx[:, :, t - 1] = grads["dxt"]
        da_prevt = grads["da_prev"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@bug("rnn_backward", r"dx'\] is all zeros", "dx never filled in")
def rnn_backward_dx_forgotten(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    p = cache_list[0][3]
    dx = np.zeros(x.shape)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        da_prevt = grads["da_prev"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@bug(
    "rnn_backward",
    r"Wrong: gradients\['dWaa'\]; everything else is right|da\[:, :, 1:\] = 0",
    "dWaa overwritten at each step (the others summed)",
)
def rnn_backward_dwaa_overwritten(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    p = cache_list[0][3]
    dx = np.zeros(x.shape)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    da_prevt = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt = grads["da_prev"]
        dWax += grads["dWax"]
        dWaa = grads["dWaa"]
        dba += grads["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@bug(
    "rnn_backward",
    r"With da\[:, :, 4\] = 0",
    "the carried gradient starts at da[:, :, -1]: the last step counted twice",
)
def rnn_backward_last_twice(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    p = cache_list[0][3]
    dx = np.zeros(x.shape)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    da_prevt = da[:, :, T_x - 1]
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt = grads["da_prev"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


@bug("gradient_norms_through_time", None, "the sum of the column norms instead of the Frobenius norm")
def gradient_norms_column_sum(x, a0, parameters):
    a, _, (cache_list, _) = rnn_forward(x, a0, parameters)
    T_x = x.shape[2]
    norms = np.zeros(T_x)
    da_t = np.ones_like(a[:, :, -1])
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(da_t, axis=0).sum()
        da_t = rnn_cell_backward(da_t, cache_list[t])["da_prev"]
    return norms


@bug(
    "gradient_norms_through_time",
    r"Only the entry 6 of your norms is right",
    "the gradient sent back through Waa.T without the tanh derivative",
)
def gradient_norms_no_derivative(x, a0, parameters):
    T_x = x.shape[2]
    norms = np.zeros(T_x)
    da_t = np.ones_like(a0)
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(da_t)
        da_t = parameters["Waa"].T @ da_t
    return norms


@bug("clip", r"wrong exactly where dW\w* < 0", "clipped to [0, max_value]")
def clip_lower_zero(gradients, max_value):
    return {name: np.clip(g, 0, max_value) for name, g in gradients.items()}


@bug("clip_by_norm", r"is 0\.\d+ times the expected one", "the global norm as the sum of the arrays' norms")
def clip_by_norm_sum_of_norms(gradients, max_norm):
    total = sum(float(np.linalg.norm(g)) for g in gradients.values())
    scale = max_norm / total if total > max_norm else 1.0
    return {name: g * scale for name, g in gradients.items()}


@bug("clip_by_norm", r"times the expected one", "the global norm without the square root")
def clip_by_norm_no_sqrt(gradients, max_norm):
    total = float(sum(np.sum(g * g) for g in gradients.values()))
    scale = max_norm / total if total > max_norm else 1.0
    return {name: g * scale for name, g in gradients.items()}


# ---------------------------------------------------------------- 06 LSTM and GRU


@bug(
    "lstm_cell_forward",
    r"cache\[6\] \(cct\) is sigmoid of the pre-activation whose tanh",
    "the candidate with a sigmoid",
)
def lstm_cell_forward_sigmoid_candidate(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = sigmoid(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@bug(
    "lstm_cell_forward",
    r"Wrong: a_next, yt_pred and cache\[0\] \(a_next\); everything else",
    "a_next from the old cell state: ot * tanh(c_prev)",
)
def lstm_cell_forward_old_cell(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_prev)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@bug("lstm_cell_forward", r"cache\[4\] \(ft\)", "the forget gate with the update gate's bias bi")
def lstm_cell_forward_forget_bias_typo(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bi"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@bug(
    "lstm_cell_forward",
    r"With (Wf|bf) = 0|cache\[4\] \(ft\)",
    "the forget gate acting on [xt; a_prev], the others on [a_prev; xt]",
)
def lstm_cell_forward_forget_concat(xt, a_prev, c_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ np.concatenate([xt, a_prev]) + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)


@bug("lstm_forward", r"With a0 = 0", "the cell state starts at a0 instead of zeros")
def lstm_forward_cell_from_a0(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, y, c = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), np.zeros((n_a, m, T_x))
    caches, a_next, c_next = [], a0, a0
    for t in range(T_x):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], y[:, :, t], c[:, :, t] = a_next, yt, c_next
        caches.append(cache)
    return a, y, c, (caches, x)


@bug("lstm_forward", r"Wrong: y; everything else is right", "y from the cell state: softmax(Wy c + by)")
def lstm_forward_output_from_cell(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, y, c = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), np.zeros((n_a, m, T_x))
    caches, a_next, c_next = [], a0, np.zeros_like(a0)
    for t in range(T_x):
        a_next, c_next, _, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t], c[:, :, t] = a_next, c_next
        y[:, :, t] = softmax(parameters["Wy"] @ c_next + parameters["by"])
        caches.append(cache)
    return a, y, c, (caches, x)


@bug(
    "lstm_cell_backward",
    r"With (da_next|ot) = 0 \(or (da_next|ot) = 0\), your gradients\['dc_prev'\]",
    "dc_prev without the path through a_next: dc_next * ft",
)
def lstm_cell_backward_dc_prev_direct(da_next, dc_next, cache):
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
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc_next * ft,
        "dWf": dft @ concat.T,
        "dWi": dit @ concat.T,
        "dWc": dcct @ concat.T,
        "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True),
        "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
        "dbo": dot.sum(axis=1, keepdims=True),
    }


@bug(
    "lstm_cell_backward",
    r"Wrong: gradients\['dxt'\], gradients\['da_prev'\], gradients\['dWo'\] and gradients\['dbo'\]; "
    r"everything else|With (da_next|ot) = 0 \(or (da_next|ot) = 0\)",
    "the output gate's gradient with tanh(c_prev)",
)
def lstm_cell_backward_output_gate_old_cell(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dot = da_next * np.tanh(c_prev) * ot * (1 - ot)
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
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dWi": dit @ concat.T,
        "dWc": dcct @ concat.T,
        "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True),
        "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
        "dbo": dot.sum(axis=1, keepdims=True),
    }


@bug("lstm_cell_backward", r"gradients\['dbi'\] has shape", "dbi summed over axis 0")
def lstm_cell_backward_dbi_axis(da_next, dc_next, cache):
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
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dWi": dit @ concat.T,
        "dWc": dcct @ concat.T,
        "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True),
        "dbi": dit.sum(axis=0, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
        "dbo": dot.sum(axis=1, keepdims=True),
    }


@bug(
    "lstm_cell_backward",
    r"Wrong: gradients\['dxt'\], gradients\['da_prev'\], gradients\['dWf'\] and gradients\['dbf'\]; "
    r"everything else|With (c_prev|ft) = 0 \(or (c_prev|ft) = 0\)",
    "a sign error in the forget gate's sigmoid derivative: ft * (1 + ft)",
)
def lstm_cell_backward_forget_sign(da_next, dc_next, cache):
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 + ft)
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dWi": dit @ concat.T,
        "dWc": dcct @ concat.T,
        "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True),
        "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
        "dbo": dot.sum(axis=1, keepdims=True),
    }


@bug(
    "lstm_backward",
    r"With da\[:, :, :2\] = 0",
    "da[:, :, t] left out: the carried gradient starts at da[:, :, -1]",
)
def lstm_backward_without_da_t(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    gradients = {"dx": np.zeros((n_x, m, T_x))}
    for gate in "fico":
        gradients["dW" + gate] = np.zeros((n_a, n_a + n_x))
        gradients["db" + gate] = np.zeros((n_a, 1))
    da_prev, dc_prev = da[:, :, T_x - 1], np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = lstm_cell_backward(da_prev, dc_prev, cache_list[t])
        gradients["dx"][:, :, t] = grads["dxt"]
        da_prev, dc_prev = grads["da_prev"], grads["dc_prev"]
        for key in grads:
            if key.startswith(("dW", "db")):
                gradients[key] += grads[key]
    gradients["da0"] = da_prev
    return gradients


@bug("lstm_backward", r"dx'\] is one time step late", "dxt stored at dx[:, :, t + 1] (clamped at the end)")
def lstm_backward_dx_late(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    gradients = {"dx": np.zeros((n_x, m, T_x))}
    for gate in "fico":
        gradients["dW" + gate] = np.zeros((n_a, n_a + n_x))
        gradients["db" + gate] = np.zeros((n_a, 1))
    da_prev, dc_prev = np.zeros((n_a, m)), np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cache_list[t])
        gradients["dx"][:, :, min(t + 1, T_x - 1)] = grads["dxt"]
        da_prev, dc_prev = grads["da_prev"], grads["dc_prev"]
        for key in grads:
            if key.startswith(("dW", "db")):
                gradients[key] += grads[key]
    gradients["da0"] = da_prev
    return gradients


@bug("gru_cell_forward", r"cache\[5\] \(n\)", "the reset term added outside the tanh")
def gru_cell_forward_reset_outside(xt, a_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"]) + r * hn
    a_next = (1 - z) * n + z * a_prev
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, r, z, n, hn, parameters)


@bug("gru_cell_forward", r"cache\[4\] \(z\)", "the update gate with the reset gate's weights Wr")
def gru_cell_forward_update_weights_typo(xt, a_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wr"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + r * hn)
    a_next = (1 - z) * n + z * a_prev
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, r, z, n, hn, parameters)


@bug("gru_cell_forward", r"With bnx = 0", "the candidate's input bias bnx multiplied by the reset gate too")
def gru_cell_forward_bnx_reset(xt, a_prev, parameters):
    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + r * (parameters["bnx"] + hn))
    a_next = (1 - z) * n + z * a_prev
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    return a_next, yt_pred, (a_next, a_prev, xt, r, z, n, hn, parameters)


@bug("gru_forward", r"Wrong: y_pred; everything else is right", "y_pred from the previous hidden state")
def gru_forward_output_from_a_prev(x, a0, parameters):
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a, y_pred, caches = np.zeros((n_a, m, T_x)), np.zeros((n_y, m, T_x)), []
    a_prev = a0
    for t in range(T_x):
        a_next, _, cache = gru_cell_forward(x[:, :, t], a_prev, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = softmax(parameters["Wy"] @ a_prev + parameters["by"])
        caches.append(cache)
        a_prev = a_next
    return a, y_pred, (caches, x)


@bug(
    "gru_cell_backward",
    r"dbna'\] holds the values of gradients\['dbnx'\]",
    "dbna summed from dn instead of dhn",
)
def gru_cell_backward_dbna_from_dn(da_next, cache):
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
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T,
        "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T,
        "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T,
        "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T,
        "dbna": dn.sum(axis=1, keepdims=True),
    }


@bug(
    "gru_cell_backward",
    r"With Wnx = 0, your gradients\['dxt'\] is right",
    "dxt without the candidate's term Wnx.T @ dn",
)
def gru_cell_backward_dxt_no_candidate(da_next, cache):
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    dn = da_next * (1 - z) * (1 - n**2)
    dz = da_next * (a_prev - n) * z * (1 - z)
    dhn = dn * r
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T,
        "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T,
        "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T,
        "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T,
        "dbna": dhn.sum(axis=1, keepdims=True),
    }


@bug("gru_backward", r"With z = 0", "the direct path da_next * z left out of da_prev")
def gru_backward_no_direct_path(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    p = cache_list[0][7]
    gradients = {"dx": np.zeros((n_x, m, T_x)), "da0": None}
    for key in ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna"):
        gradients["d" + key] = np.zeros_like(p[key])
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, r, z, n, hn, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        grads = gru_cell_backward(da_next, cache_list[t])
        gradients["dx"][:, :, t] = grads["dxt"]
        da_prev = grads["da_prev"] - da_next * z
        for key in ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna"):
            gradients["d" + key] += grads["d" + key]
    gradients["da0"] = da_prev
    return gradients


@bug(
    "gru_backward",
    r"dbr'\] holds the values of gradients\['dbz'\]",
    "dbr accumulated from dbz (a copy-paste slip)",
)
def gru_backward_dbr_slip(da, caches):
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    p = cache_list[0][7]
    gradients = {"dx": np.zeros((n_x, m, T_x)), "da0": None}
    for key in ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna"):
        gradients["d" + key] = np.zeros_like(p[key])
    da_prev = np.zeros((n_a, m))
    for t in reversed(range(T_x)):
        grads = gru_cell_backward(da[:, :, t] + da_prev, cache_list[t])
        gradients["dx"][:, :, t] = grads["dxt"]
        da_prev = grads["da_prev"]
        grads["dbr"] = grads["dbz"]
        for key in ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna"):
            gradients["d" + key] += grads["d" + key]
    gradients["da0"] = da_prev
    return gradients


# ---------------------------------------------------------------- 07 character-level language model


@bug("build_vocabulary", r"char_to_ix should map each character to its position", "positions counted from 1")
def build_vocabulary_from_one(text):
    chars = sorted(set(text))
    return chars, {ch: i + 1 for i, ch in enumerate(chars)}


@bug("encode", r"should raise ValueError", "an unknown character silently mapped to 0")
def encode_unknown_as_zero(text, char_to_ix):
    return np.array([char_to_ix.get(ch, 0) for ch in text], dtype=np.int64)


@bug("one_hot", r"moved by -1 along axis 0", "off by one: the 1 at position ix - 1")
def one_hot_off_by_one(ix, vocab_size, dtype=np.float64):
    ix = np.asarray(ix)
    X = np.zeros((vocab_size, *ix.shape), dtype=dtype)
    m, T = ix.shape
    X[ix - 1, np.arange(m)[:, None], np.arange(T)[None, :]] = 1
    return X


@bug("make_streams", r"in your line", "L = N // m: the targets run past the end of the text")
def make_streams_too_long(ix, m):
    L = len(ix) // m
    return ix[: m * L].reshape(m, L), ix[1 : m * L + 1].reshape(m, L)


@bug("lm_forward", None, "the loss without the minus sign")
def lm_forward_no_minus(X, Y, a0, parameters):
    a, y_pred, rnn_caches = rnn_forward(X, a0, parameters)
    m, T = Y.shape
    p_target = y_pred[Y, np.arange(m)[:, None], np.arange(T)[None, :]]
    return float(np.mean(np.log(p_target))), (y_pred, a, Y, rnn_caches)


@bug(
    "lm_forward",
    r"the cache's a has wrong values",
    "the cache's slot of a holds (the first rows of) y_pred: (y_pred, y_pred, Y, rnn_caches)",
)
def lm_forward_cache_slip(X, Y, a0, parameters):
    a, y_pred, rnn_caches = rnn_forward(X, a0, parameters)
    m, T = Y.shape
    p_target = y_pred[Y, np.arange(m)[:, None], np.arange(T)[None, :]]
    return float(-np.mean(np.log(p_target))), (y_pred, y_pred[: a.shape[0]], Y, rnn_caches)


@bug("lm_backward", r"gradients\['dby'\] has shape", "dby without keepdims")
def lm_backward_dby_flat(cache):
    y_pred, a, Y, rnn_caches = cache
    parameters = rnn_caches[0][0][3]
    m, T = Y.shape
    dz = y_pred.copy()
    dz[Y, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1
    dz /= m * T
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dWya": np.tensordot(dz, a, axes=([1, 2], [1, 2])),
        "dba": grads["dba"],
        "dby": dz.sum(axis=(1, 2)),
    }


@bug(
    "lm_backward",
    r"dWya'\] is \d+ times the expected",
    "dWya from the unscaled dz (the 1 / (m T) applied after)",
)
def lm_backward_dwya_unscaled(cache):
    y_pred, a, Y, rnn_caches = cache
    parameters = rnn_caches[0][0][3]
    m, T = Y.shape
    dz = y_pred.copy()
    dz[Y, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1
    dWya = np.tensordot(dz, a, axes=([1, 2], [1, 2]))
    dz /= m * T
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dWya": dWya,
        "dba": grads["dba"],
        "dby": dz.sum(axis=(1, 2))[:, None],
    }


@bug("optimize", r"the returned a_last has wrong values", "a_last is the hidden state of the first step")
def optimize_first_state(X, Y, a_prev, parameters, learning_rate, max_norm):
    loss, cache = lm_forward(X, Y, a_prev, parameters)
    gradients = clip_by_norm(lm_backward(cache), max_norm)
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]
    return loss, gradients, cache[1][:, :, 0]


@bug(
    "train_epoch",
    r"the returned losses has wrong values",
    "each batch's loss multiplied by its number of characters",
)
def train_epoch_total_losses(inputs, targets, parameters, seq_length, learning_rate, max_norm):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m))
    losses = []
    for start in range(0, L, seq_length):
        X = one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate, max_norm)
        losses.append(loss * Y.size)
    return losses


@bug("evaluate", None, "the total not weighted by the chunk sizes: sum of chunk means / (m L)")
def evaluate_unweighted_total(inputs, targets, parameters, seq_length):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m))
    total = 0.0
    for start in range(0, L, seq_length):
        X = one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, cache = lm_forward(X, Y, a_prev, parameters)
        total += loss
        a_prev = cache[1][:, :, -1]
    return total / (m * L)


@bug("sample", None, "the prompt's last character read twice (the whole prompt sets the state)")
def sample_prompt_twice(parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100):
    rng = np.random.default_rng(seed)
    vocab_size, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, 1))
    for ch in start:
        x = np.zeros((vocab_size, 1))
        x[char_to_ix[ch]] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
    index = char_to_ix[start[-1]]
    indices = np.zeros(length, dtype=np.int64)
    for t in range(length):
        x = np.zeros((vocab_size, 1))
        x[index] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
        z = (parameters["Wya"] @ a + parameters["by"]).ravel()
        if temperature == 0:
            index = int(np.argmax(z))
        else:
            e = np.exp((z - z.max()) / temperature)
            index = int(rng.choice(vocab_size, p=e / e.sum()))
        indices[t] = index
    return indices


# ---------------------------------------------------------------- 08 binary addition


@bug("make_addition_data", r"last step should be 0", "the numbers drawn with n_bits + 1 bits")
def make_addition_data_too_wide(m, n_bits, seed=None):
    rng = np.random.default_rng(seed)
    numbers = rng.integers(0, 2 ** (n_bits + 1), size=(2, m))
    powers = np.arange(n_bits + 1)
    x = ((numbers[:, :, None] >> powers) & 1).astype(np.float64)
    y = ((numbers.sum(axis=0)[None, :, None] >> powers) & 1).astype(np.float64)
    return x, y


@bug("adder_forward", None, "y_hat with a tanh instead of the sigmoid")
def adder_forward_tanh(x, a0, parameters):
    a, _, rnn_caches = rnn_forward(x, a0, parameters)
    z = np.tensordot(parameters["Wya"], a, axes=1) + parameters["by"][:, :, None]
    return np.tanh(z), (a, rnn_caches)


@bug(
    "adder_loss",
    r"with predictions of exactly 0 and 1: loss is nan",
    "the loss without clipping y_hat: log(0) for certain predictions",
)
def adder_loss_unclipped(y_hat, y):
    _, m, T = y.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        loss = float(-np.mean(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))
    return loss, (y_hat - y) / (m * T)


@bug("adder_loss", r"Wrong: dz; everything else is right", "dz multiplied by the sigmoid's derivative again")
def adder_loss_extra_derivative(y_hat, y):
    _, m, T = y.shape
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return loss, (y_hat - y) * y_hat * (1 - y_hat) / (m * T)


@bug("adder_backward", r"gradients\['dby'\] should be a numpy array", "dby as a plain number")
def adder_backward_scalar_dby(dz, cache, parameters):
    a, rnn_caches = cache
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dWya": np.tensordot(dz, a, axes=([1, 2], [1, 2])),
        "dba": grads["dba"],
        "dby": dz.sum(),
    }


@bug("adder_backward", r"dWya'\] is the transpose", "dWya transposed")
def adder_backward_dwya_transposed(dz, cache, parameters):
    a, rnn_caches = cache
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dWya": np.tensordot(a, dz, axes=([1, 2], [1, 2])),
        "dba": grads["dba"],
        "dby": dz.sum(axis=(1, 2))[:, None],
    }


@bug("adder_train_step", None, "the hidden state starts at ones")
def adder_train_step_ones(x, y, parameters, learning_rate, max_norm):
    n_a = parameters["Waa"].shape[0]
    y_hat, cache = adder_forward(x, np.ones((n_a, x.shape[1])), parameters)
    loss, dz = adder_loss(y_hat, y)
    gradients = clip_by_norm(adder_backward(dz, cache, parameters), max_norm)
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]
    return loss


@bug(
    "addition_accuracy",
    r"bit_accuracy is the value expected for number_accuracy",
    "the two accuracies returned in the wrong order",
)
def addition_accuracy_swapped(y_hat, y):
    correct = (y_hat > 0.5) == (y > 0.5)
    return float(correct.all(axis=(0, 2)).mean()), float(correct.mean())


@bug("addition_accuracy", r"With y_hat = 0", "the predicted bits thresholded at 0 instead of 0.5")
def addition_accuracy_threshold_zero(y_hat, y):
    correct = (y_hat > 0) == (y > 0.5)
    return float(correct.mean()), float(correct.all(axis=(0, 2)).mean())
