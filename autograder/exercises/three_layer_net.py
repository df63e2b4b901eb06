"""Hidden tests and known mistakes of assignment 03: the network with two hidden layers."""

from copy import deepcopy

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from solutions import softmax_classifier as ref02
from solutions import three_layer_net as ref

NONLINEARITIES = ("sigmoid", "relu")


def random_sizes(rng, square=False):
    """(N, D, H1, H2, K), small; square makes H1 == H2, so a mix-up of the layers runs."""
    N, D, H1, H2, K = (int(n) for n in rng.integers(2, 8, size=5))
    return N, D, H1, H1 if square else H2 + 8, K


def random_params(rng, D, H1, H2, K, scale=1.0):
    """Weights of standard deviation `scale` and non-zero biases, so that every term shows."""
    shapes = {"W1": (D, H1), "b1": (H1,), "W2": (H1, H2), "b2": (H2,), "W3": (H2, K), "b3": (K,)}
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def sizes_label(nonlinearity, N, D, H1, H2, K):
    return f'"{nonlinearity}", N={N}, D={D}, H1={H1}, H2={H2}, K={K}'


# ---------------------------------------------------------------- init_params


def init_params_problem(got, expected, args, call):
    """The weights are random: check what defines them, not the values drawn."""
    D, H1, H2, K, seed = args
    if not isinstance(got, dict):
        return f"the output should be a dict, but it is a {type(got).__name__}"
    if set(got) != set(expected):
        return f"params should have the keys {sorted(expected)}, but it has {sorted(got)}"
    for name in ("W1", "b1", "W2", "b2", "W3", "b3"):
        value = got[name]
        if type(value) is not np.ndarray:
            return f"params['{name}'] should be a numpy array, but it is a {type(value).__name__}"
        if value.shape != expected[name].shape:
            return f"params['{name}'] has shape {value.shape}, expected {expected[name].shape}"
        if value.dtype != np.float64:
            return f"params['{name}'] has dtype {value.dtype}, expected float64"
        if name.startswith("b") and np.any(value != 0):
            return f"params['{name}'] should be all zeros"
    weights = np.concatenate([got[name].ravel() for name in ("W1", "W2", "W3")])
    if not 0.08 < weights.std() < 0.12 or abs(weights.mean()) > 0.02:
        return (
            f"the weights should be 0.1 times standard normal draws (mean 0, standard deviation "
            f"0.1); yours have mean {weights.mean():.3g} and standard deviation {weights.std():.3g}"
        )
    again = call(*args)
    if again.error is None and output_problem(again.value, got, "a second call", 0.0, 0.0):
        return (
            "two calls with the same seed gave different weights: draw them from "
            "rng = np.random.default_rng(seed)"
        )
    other = call(D, H1, H2, K, seed + 1)
    if other.error is None and not output_problem(other.value, got, "a call", 0.0, 0.0):
        return "two different seeds gave the same weights: draw them from np.random.default_rng(seed)"
    return None


@exercise("init_params", ref.init_params)
def init_params_cases(rng):
    yield Case((2, 50, 50, 3, 1), "D=2, H1=50, H2=50, K=3, seed=1", verify=init_params_problem)
    for _ in range(2):
        D, H1, H2, K = (int(n) for n in rng.integers(20, 60, size=4))
        seed = int(rng.integers(1000))
        label = f"D={D}, H1={H1}, H2={H2}, K={K}, seed={seed}"
        yield Case((D, H1, H2, K, seed), label, verify=init_params_problem)


@mistake("init_params", "the weights are not scaled: they are 0.1 * rng.standard_normal(shape)")
def init_params_unscaled(D=2, H1=50, H2=50, K=3, seed=None):
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((D, H1)),
        "b1": np.zeros(H1),
        "W2": rng.standard_normal((H1, H2)),
        "b2": np.zeros(H2),
        "W3": rng.standard_normal((H2, K)),
        "b3": np.zeros(K),
    }


@mistake(
    "init_params",
    "the weight shapes are transposed: W1 maps the D inputs to H1 units, so it "
    "is (D, H1), W2 is (H1, H2) and W3 is (H2, K)",
)
def init_params_transposed(D=2, H1=50, H2=50, K=3, seed=None):
    rng = np.random.default_rng(seed)
    return {
        "W1": 0.1 * rng.standard_normal((H1, D)),
        "b1": np.zeros(H1),
        "W2": 0.1 * rng.standard_normal((H2, H1)),
        "b2": np.zeros(H2),
        "W3": 0.1 * rng.standard_normal((K, H2)),
        "b3": np.zeros(K),
    }


# ---------------------------------------------------------------- forward


@exercise("forward", ref.forward)
def forward_cases(rng):
    for square in (True, False):
        for nonlinearity in NONLINEARITIES:
            N, D, H1, H2, K = random_sizes(rng, square)
            params = random_params(rng, D, H1, H2, K)
            X = rng.standard_normal((N, D))
            yield Case((X, params, nonlinearity), sizes_label(nonlinearity, N, D, H1, H2, K))
    params = random_params(rng, 3, 4, 5, 2)
    yield Case((rng.standard_normal((1, 3)), params, "relu"), "a single example (N=1)")


@mistake("forward", "the output layer must stay linear: scores = h2 @ W3 + b3, with no activation")
def forward_activated_scores(X, params, nonlinearity):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = f(h1 @ params["W2"] + params["b2"])
    return f(h2 @ params["W3"] + params["b3"]), (X, h1, h2)


@mistake("forward", "the biases b1, b2 and b3 are not added")
def forward_without_biases(X, params, nonlinearity):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    h1 = f(X @ params["W1"])
    h2 = f(h1 @ params["W2"])
    return h2 @ params["W3"], (X, h1, h2)


@mistake(
    "forward",
    "the cache holds the pre-activations; it must hold the activations "
    "h1 = f(X W1 + b1) and h2 = f(h1 W2 + b2), from which backward takes the gradients",
)
def forward_caches_preactivations(X, params, nonlinearity):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    z1 = X @ params["W1"] + params["b1"]
    h1 = f(z1)
    z2 = h1 @ params["W2"] + params["b2"]
    h2 = f(z2)
    return h2 @ params["W3"] + params["b3"], (X, z1, z2)


@mistake("forward", "the nonlinearity argument is ignored: use activation_functions(nonlinearity)")
def forward_always_sigmoid(X, params, nonlinearity):
    f = lambda z: 0.5 * (1 + np.tanh(0.5 * z))  # noqa: E731
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = f(h1 @ params["W2"] + params["b2"])
    return h2 @ params["W3"] + params["b3"], (X, h1, h2)


@mistake("forward", "the nonlinearity argument is ignored: use activation_functions(nonlinearity)")
def forward_always_relu(X, params, nonlinearity):
    h1 = np.maximum(0, X @ params["W1"] + params["b1"])
    h2 = np.maximum(0, h1 @ params["W2"] + params["b2"])
    return h2 @ params["W3"] + params["b3"], (X, h1, h2)


# ---------------------------------------------------------------- backward


@exercise("backward", ref.backward)
def backward_cases(rng):
    for square in (True, False):
        for nonlinearity in NONLINEARITIES:
            N, D, H1, H2, K = random_sizes(rng, square)
            params = random_params(rng, D, H1, H2, K)
            X = rng.standard_normal((N, D))
            _, cache = ref.forward(X, params, nonlinearity)
            dscores = rng.standard_normal((N, K)) / N
            reg = float(rng.uniform(0.05, 0.5))
            label = f"{sizes_label(nonlinearity, N, D, H1, H2, K)}, reg={reg:.3g}"
            yield Case((dscores, cache, params, nonlinearity, reg), label)


@mistake("backward", "the gradient of the L2 penalty, reg * W, is missing from dW1, dW2 and dW3")
def backward_without_regularisation(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(h2)
    dz1 = dz2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores,
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2,
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1,
        "b1": dz1.sum(axis=0),
    }


@mistake(
    "backward",
    "the L2 gradient is added to the biases too; only the weights W1, W2, W3 are regularised",
)
def backward_regularised_biases(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(h2)
    dz1 = dz2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0) + reg * params["b3"],
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.sum(axis=0) + reg * params["b2"],
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.sum(axis=0) + reg * params["b1"],
    }


@mistake(
    "backward",
    "the activation gradient is taken from the wrong layer: dh2 is multiplied by "
    "f'(h2) and dh1 by f'(h1), each layer by its own activation (for ReLU, its own mask)",
)
def backward_layers_swapped(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(h1)
    dz1 = dz2 @ params["W2"].T * f_grad(h2)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.sum(axis=0),
    }


@mistake(
    "backward",
    "the sigmoid gradient is applied to the pre-activation z = h W + b; "
    "sigmoid_grad takes the sigmoid's OUTPUT, so pass it h1 and h2 from the cache",
)
def backward_sigmoid_grad_of_preactivation(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    z1 = X @ params["W1"] + params["b1"]
    z2 = h1 @ params["W2"] + params["b2"]
    dz2 = dscores @ params["W3"].T * f_grad(z2)
    dz1 = dz2 @ params["W2"].T * f_grad(z1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.sum(axis=0),
    }


@mistake(
    "backward",
    "the sigmoid is applied again before its gradient; h1 and h2 in the cache "
    "already are sigmoid outputs: use sigmoid_grad(h1), not sigmoid_grad(sigmoid(h1))",
)
def backward_sigmoid_twice(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(f(h2))
    dz1 = dz2 @ params["W2"].T * f_grad(f(h1))
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.sum(axis=0),
    }


@mistake(
    "backward",
    "the activation gradient is missing: multiply dh2 by f'(h2) and dh1 by "
    "f'(h1) before going through the weights",
)
def backward_without_activation_gradient(dscores, cache, params, nonlinearity, reg):
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T
    dz1 = dz2 @ params["W2"].T
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.sum(axis=0),
    }


@mistake(
    "backward",
    "the bias gradients are averaged over the examples; dscores already "
    "carries the 1/N of the mean loss, so sum over the examples (axis=0)",
)
def backward_mean_bias(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(h2)
    dz1 = dz2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.mean(axis=0),
        "W2": h1.T @ dz2 + reg * params["W2"],
        "b2": dz2.mean(axis=0),
        "W1": X.T @ dz1 + reg * params["W1"],
        "b1": dz1.mean(axis=0),
    }


@mistake(
    "backward",
    "the L2 gradient has a stray factor: the gradient of 0.5 * reg * sum(W**2) is reg * W",
)
def backward_regularisation_doubled(dscores, cache, params, nonlinearity, reg):
    sigmoid = nonlinearity == "sigmoid"
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    X, h1, h2 = cache
    dz2 = dscores @ params["W3"].T * f_grad(h2)
    dz1 = dz2 @ params["W2"].T * f_grad(h1)
    return {
        "W3": h2.T @ dscores + 2 * reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dz2 + 2 * reg * params["W2"],
        "b2": dz2.sum(axis=0),
        "W1": X.T @ dz1 + 2 * reg * params["W1"],
        "b1": dz1.sum(axis=0),
    }


# ---------------------------------------------------------------- sgd_step


def updated_params_problem(got, expected, args, call):
    return output_problem(got[0], expected[0], "the updated params")


@exercise("sgd_step", ref.sgd_step, mutates=(0,))
def sgd_step_cases(rng):
    for _ in range(3):
        N, D, H1, H2, K = random_sizes(rng)
        params = random_params(rng, D, H1, H2, K)
        grads = random_params(rng, D, H1, H2, K)
        step_size = float(rng.uniform(0.01, 1.0))
        label = f"step_size={step_size:.3g}"
        yield Case((params, grads, step_size), label, verify=updated_params_problem)


@mistake("sgd_step", "the step goes up the gradient; gradient descent subtracts: p -= step_size * dp")
def sgd_step_ascent(params, grads, step_size):
    for name in params:
        params[name] += step_size * grads[name]


@mistake("sgd_step", "the gradient is not multiplied by step_size")
def sgd_step_without_step_size(params, grads, step_size):
    for name in params:
        params[name] -= grads[name]


@mistake(
    "sgd_step",
    "params is unchanged: the new values were given to a local name; update the "
    "dict's arrays in place, params[name] -= step_size * grads[name]",
)
def sgd_step_local(params, grads, step_size):
    for name in params:
        p = params[name]
        p = p - step_size * grads[name]  # noqa: F841 (the mistake: the result is dropped)


# ---------------------------------------------------------------- train

HISTORY_KEYS = ("loss", "W1", "W2", "W3")


def history_of(outcome):
    """The history a train() call returned, as arrays, or a problem (a str)."""
    history = outcome.value
    if not isinstance(history, dict):
        return f"train should return the history, a dict, but it returned {type(history).__name__}"
    if set(history) != set(HISTORY_KEYS):
        return f"the history should have the keys {sorted(HISTORY_KEYS)}, but it has {sorted(history)}"
    try:
        return {key: np.array(history[key], dtype=np.float64) for key in HISTORY_KEYS}
    except (TypeError, ValueError):
        return "every entry of the history should be a list of numbers, one per iteration"


def train_problem(got, expected, args, call):
    """Compare the trained parameters, then the history that train returned."""
    problem = output_problem(got[0], expected[0], "the trained params")
    if problem:
        return problem
    outcome = call(*args)
    if outcome.error is not None:  # the first call succeeded, so this is unlikely
        return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
    history = history_of(outcome)
    if isinstance(history, str):
        return history
    want = {key: np.array(values) for key, values in ref.train(*deepcopy(args)).items()}
    for key in HISTORY_KEYS:
        problem = output_problem(history[key], want[key], f"history['{key}']")
        if problem:
            known = next(
                (
                    text
                    for text, wrong in HISTORY_MISTAKES
                    if not output_problem(
                        history[key], np.array(wrong(*deepcopy(args))[key]), "", equal_nan=True
                    )
                ),
                None,
            )
            return problem + (f".\nThis looks like a known mistake: {known}" if known else "")
    return None


@exercise("train", ref.train, mutates=(2,))
def train_cases(rng):
    for nonlinearity in NONLINEARITIES:
        N, D, H1, H2, K = random_sizes(rng)
        params = random_params(rng, D, H1, H2, K, scale=0.5)
        X = rng.standard_normal((N, D))
        y = rng.integers(0, K, size=N).astype(np.uint8)
        iterations = int(rng.integers(2, 6))
        step_size, reg = float(rng.uniform(0.2, 1.0)), float(rng.uniform(0.01, 0.1))
        label = (
            f"{sizes_label(nonlinearity, N, D, H1, H2, K)}, iterations={iterations}, "
            f"step_size={step_size:.3g}, reg={reg:.3g}"
        )
        args = (X, y, params, nonlinearity, iterations, step_size, reg)
        yield Case(args, label, verify=train_problem)


def train_loss_without_penalty(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    history = {key: [] for key in HISTORY_KEYS}
    for _ in range(iterations):
        scores, cache = ref.forward(X, params, nonlinearity)
        loss, dscores = ref02.softmax_loss(scores, y)
        grads = ref.backward(dscores, cache, params, nonlinearity, reg)
        ref.sgd_step(params, grads, step_size)
        history["loss"].append(loss)
        for W in ("W1", "W2", "W3"):
            history[W].append(ref.gradient_magnitude(grads[W]))
    return history


def train_magnitude_of_weights(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    history = {key: [] for key in HISTORY_KEYS}
    for _ in range(iterations):
        scores, cache = ref.forward(X, params, nonlinearity)
        loss, dscores = ref02.softmax_loss(scores, y)
        for W in ("W1", "W2", "W3"):
            loss += ref02.l2_penalty(params[W], reg)[0]
            history[W].append(ref.gradient_magnitude(params[W]))
        grads = ref.backward(dscores, cache, params, nonlinearity, reg)
        ref.sgd_step(params, grads, step_size)
        history["loss"].append(loss)
    return history


# Mistakes in the history leave the parameters right, so check() cannot tell them apart by the
# parameters it compares; train_problem looks for them in the history itself.
HISTORY_MISTAKES = [
    (
        "history['loss'] must hold the data loss PLUS the L2 penalties of W1, W2 and W3",
        train_loss_without_penalty,
    ),
    (
        "the history holds the magnitude of the weights; it should hold gradient_magnitude of the "
        "weight GRADIENTS grads['W1'], grads['W2'], grads['W3']",
        train_magnitude_of_weights,
    ),
]


@mistake("train", "step_size and reg are fixed at the seed's 0.1 and 1e-3; use the arguments")
def train_fixed_hyperparameters(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    N = len(y)
    history = {"loss": [], "W1": [], "W2": [], "W3": []}
    step_size, reg = 0.1, 1e-3  # the mistake: the arguments are overwritten
    for _ in range(iterations):
        h1 = f(X @ params["W1"] + params["b1"])
        h2 = f(h1 @ params["W2"] + params["b2"])
        scores = h2 @ params["W3"] + params["b3"]
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(probs[np.arange(N), y]))
        loss += 0.5 * reg * sum(np.sum(params[W] ** 2) for W in ("W1", "W2", "W3"))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dz2 = dscores @ params["W3"].T * f_grad(h2)
        dz1 = dz2 @ params["W2"].T * f_grad(h1)
        grads = {
            "W3": h2.T @ dscores + reg * params["W3"],
            "b3": dscores.sum(axis=0),
            "W2": h1.T @ dz2 + reg * params["W2"],
            "b2": dz2.sum(axis=0),
            "W1": X.T @ dz1 + reg * params["W1"],
            "b1": dz1.sum(axis=0),
        }
        for name in params:
            params[name] -= step_size * grads[name]
        history["loss"].append(float(loss))
        for W in ("W1", "W2", "W3"):
            history[W].append(float(np.abs(grads[W]).sum() / sum(grads[W].shape)))
    return history


@mistake(
    "train",
    "the forward pass runs once, before the loop; every iteration needs a new "
    "forward pass with the updated parameters",
)
def train_stale_forward(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    N = len(y)
    history = {"loss": [], "W1": [], "W2": [], "W3": []}
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = f(h1 @ params["W2"] + params["b2"])
    scores = h2 @ params["W3"] + params["b3"]
    for _ in range(iterations):
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(probs[np.arange(N), y]))
        loss += 0.5 * reg * sum(np.sum(params[W] ** 2) for W in ("W1", "W2", "W3"))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dz2 = dscores @ params["W3"].T * f_grad(h2)
        dz1 = dz2 @ params["W2"].T * f_grad(h1)
        grads = {
            "W3": h2.T @ dscores + reg * params["W3"],
            "b3": dscores.sum(axis=0),
            "W2": h1.T @ dz2 + reg * params["W2"],
            "b2": dz2.sum(axis=0),
            "W1": X.T @ dz1 + reg * params["W1"],
            "b1": dz1.sum(axis=0),
        }
        for name in params:
            params[name] -= step_size * grads[name]
        history["loss"].append(float(loss))
        for W in ("W1", "W2", "W3"):
            history[W].append(float(np.abs(grads[W]).sum() / sum(grads[W].shape)))
    return history


@mistake(
    "train",
    "the parameters are stepped with the gradient of the data loss only; pass reg "
    "to backward so that the step includes the gradient of the L2 penalty",
)
def train_without_regularisation(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    f_grad = (lambda h: h * (1 - h)) if sigmoid else (lambda h: (h > 0).astype(h.dtype))
    N = len(y)
    history = {"loss": [], "W1": [], "W2": [], "W3": []}
    for _ in range(iterations):
        h1 = f(X @ params["W1"] + params["b1"])
        h2 = f(h1 @ params["W2"] + params["b2"])
        scores = h2 @ params["W3"] + params["b3"]
        probs = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        loss = -np.mean(np.log(probs[np.arange(N), y]))
        loss += 0.5 * reg * sum(np.sum(params[W] ** 2) for W in ("W1", "W2", "W3"))
        dscores = probs.copy()
        dscores[np.arange(N), y] -= 1
        dscores /= N
        dz2 = dscores @ params["W3"].T * f_grad(h2)
        dz1 = dz2 @ params["W2"].T * f_grad(h1)
        grads = {
            "W3": h2.T @ dscores + 0.0 * params["W3"],
            "b3": dscores.sum(axis=0),
            "W2": h1.T @ dz2 + 0.0 * params["W2"],
            "b2": dz2.sum(axis=0),
            "W1": X.T @ dz1 + 0.0 * params["W1"],
            "b1": dz1.sum(axis=0),
        }
        for name in params:
            params[name] -= step_size * grads[name]
        history["loss"].append(float(loss))
        for W in ("W1", "W2", "W3"):
            history[W].append(float(np.abs(grads[W]).sum() / sum(grads[W].shape)))
    return history


# ---------------------------------------------------------------- predict


def predict_problem(got, expected, args, call):
    """Any integer dtype will do (argmax gives int64; the labels y are uint8)."""
    if type(got) is not np.ndarray:
        return f"the output should be a numpy array, but it is a {type(got).__name__}"
    if got.shape != expected.shape:
        return f"the output has shape {got.shape}, expected {expected.shape}: one class per example"
    if got.dtype.kind not in "iu":
        return f"the output has dtype {got.dtype}; it should hold integer class indices"
    return output_problem(got.astype(np.int64), expected.astype(np.int64), "the output")


@exercise("predict", ref.predict)
def predict_cases(rng):
    for nonlinearity in NONLINEARITIES:
        N, D, H1, H2, K = random_sizes(rng)
        N += 10
        params = random_params(rng, D, H1, H2, K)
        X = rng.standard_normal((N, D))
        label = sizes_label(nonlinearity, N, D, H1, H2, K)
        yield Case((X, params, nonlinearity), label, verify=predict_problem)


@mistake(
    "predict",
    "the argmax is taken over the wrong axis: each example's class is the argmax "
    "of its ROW of scores (axis=1)",
)
def predict_wrong_axis(X, params, nonlinearity):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    h2 = f(f(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
    return np.argmax(h2 @ params["W3"] + params["b3"], axis=0)


@mistake("predict", "this is the largest score; the prediction is its INDEX, np.argmax")
def predict_max(X, params, nonlinearity):
    sigmoid = nonlinearity == "sigmoid"
    f = (lambda z: 0.5 * (1 + np.tanh(0.5 * z))) if sigmoid else (lambda z: np.maximum(0, z))
    h2 = f(f(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])
    return np.max(h2 @ params["W3"] + params["b3"], axis=1)
