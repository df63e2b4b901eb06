"""Hidden tests and known mistakes of assignment 08: the binary adder."""

from copy import deepcopy

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from solutions import binary_adder as ref
from solutions import rnn_backward as ref05
from solutions import rnn_forward as ref04


def random_model(rng, n_a, scale=0.8):
    """Parameters with non-zero biases, so that every term shows."""
    shapes = {"Wax": (n_a, 2), "Waa": (n_a, n_a), "Wya": (1, n_a), "ba": (n_a, 1), "by": (1, 1)}
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def random_bits(rng, m, T):
    x = rng.integers(0, 2, size=(2, m, T)).astype(np.float64)
    x[:, :, -1] = 0
    return x


# ---------------------------------------------------------------- make_addition_data


def addition_data_problem(got, expected, args, call):
    """The pairs are random: check what defines them, not the values drawn."""
    m, n_bits, seed = args
    T = n_bits + 1
    if not isinstance(got, tuple) or len(got) != 2:
        return "make_addition_data should return the tuple (x, y)"
    for array, name, shape in zip(got, ("x", "y"), ((2, m, T), (1, m, T)), strict=True):
        if type(array) is not np.ndarray:
            return f"{name} should be a numpy array, but it is a {type(array).__name__}"
        if array.shape != shape:
            return f"{name} has shape {array.shape}, expected {shape} (T = n_bits + 1 = {T})"
        if array.dtype != np.float64:
            return f"{name} has dtype {array.dtype}, expected float64"
        if not np.isin(array, (0.0, 1.0)).all():
            return f"{name} should hold only 0s and 1s"
    x, y = got
    if x[:, :, -1].any():
        return "the inputs' last step should be 0: the numbers have n_bits bits, the sums n_bits + 1"
    powers = 2.0 ** np.arange(T)
    u, v, s = x[0] @ powers, x[1] @ powers, y[0] @ powers
    if not np.array_equal(u + v, s):
        reversed_powers = powers[::-1]
        if np.array_equal(x[0] @ reversed_powers + x[1] @ reversed_powers, y[0] @ reversed_powers):
            return (
                "the bits are in the wrong order: bit t, of value 2**t, goes to step t "
                "(least significant first)"
            )
        return "y should hold the bits of the sums x[0] + x[1], least significant bit first"
    numbers = np.concatenate([u, v])
    mean, top = numbers.mean(), 2.0**n_bits - 1
    if abs(mean - top / 2) > 0.15 * top or numbers.max() < 0.75 * top:
        return (
            f"the numbers should be drawn uniformly from [0, 2**{n_bits}); yours have mean {mean:.4g} "
            f"and maximum {numbers.max():.4g}"
        )
    again = call(*args)
    if again.error is None and output_problem(again.value, got, "a second call", 0.0, 0.0):
        return "two calls with the same seed gave different data: draw from np.random.default_rng(seed)"
    return None


@exercise("make_addition_data", ref.make_addition_data)
def make_addition_data_cases(rng):
    for m, n_bits in ((200, 3), (300, 8), (200, 20)):
        seed = int(rng.integers(1000))
        label = f"m={m}, n_bits={n_bits}, seed={seed}"
        yield Case((m, n_bits, seed), label, verify=addition_data_problem)


@mistake(
    "make_addition_data",
    "the bits are in the wrong order: bit t, of value 2**t, goes to step t (least significant first)",
)
def make_addition_data_msb_first(m, n_bits, seed=None):
    rng = np.random.default_rng(seed)
    numbers = rng.integers(0, 2**n_bits, size=(2, m))
    powers = np.arange(n_bits + 1)[::-1]
    x = ((numbers[:, :, None] >> powers) & 1).astype(np.float64)
    y = ((numbers.sum(axis=0)[None, :, None] >> powers) & 1).astype(np.float64)
    return x, y


# ---------------------------------------------------------------- adder_forward


def adder_forward_problem(got, expected, args, call):
    if not isinstance(got, tuple) or len(got) != 2:
        return "adder_forward should return the tuple (y_hat, cache)"
    problem = output_problem(got[0], expected[0], "y_hat")
    if problem:
        return problem
    cache = got[1]
    if not isinstance(cache, tuple) or len(cache) != 2:
        return "the cache should be the tuple (a, rnn_caches)"
    return output_problem(cache[0], expected[1][0], "the cache's a") or output_problem(
        cache[1], expected[1][1], "the cache's rnn_caches"
    )


@exercise("adder_forward", ref.adder_forward)
def adder_forward_cases(rng):
    for _ in range(3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        a0 = 0.5 * rng.standard_normal((n_a, m))
        label = f"n_a={n_a}, m={m}, T={T}"
        yield Case((random_bits(rng, m, T), a0, random_model(rng, n_a)), label, verify=adder_forward_problem)


@mistake("adder_forward", "the output bias by is not added: y_hat = sigmoid(Wya a_t + by)")
def adder_forward_without_bias(x, a0, parameters):
    p = parameters
    a, cache_list, a_t = [], [], a0
    for t in range(x.shape[2]):
        a_prev = a_t
        a_t = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ x[:, :, t] + p["ba"])
        a.append(a_t)
        cache_list.append((a_t, a_prev, x[:, :, t], p))
    a = np.stack(a, axis=2)
    y_hat = 0.5 * (1 + np.tanh(0.5 * np.einsum("ya,amt->ymt", p["Wya"], a)))
    return y_hat, (a, (cache_list, x))


@mistake(
    "adder_forward",
    "y_hat is the softmax output of rnn_forward, always 1 for a single unit; use sigmoid(Wya a_t + by)",
)
def adder_forward_softmax(x, a0, parameters):
    a, y_pred, rnn_caches = ref04.rnn_forward(x, a0, parameters)
    return y_pred, (a, rnn_caches)


# ---------------------------------------------------------------- adder_loss


@exercise("adder_loss", ref.adder_loss)
def adder_loss_cases(rng):
    for certain in (False, False, True):
        m, T = int(rng.integers(2, 8)), int(rng.integers(2, 8))
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        y_hat = rng.uniform(0.02, 0.98, size=(1, m, T))
        label = f"m={m}, T={T}"
        if certain:  # some predictions exactly right, some exactly wrong
            y_hat[0, 0, :] = y[0, 0, :]
            y_hat[0, 1, :] = 1 - y[0, 1, :]
            label += ", with predictions of exactly 0 and 1"
        yield Case((y_hat, y), label, no_warnings=True)


@mistake("adder_loss", "the loss is summed over the bits; average it over all m * T of them")
def adder_loss_summed(y_hat, y):
    _, m, T = y.shape
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))), (y_hat - y) / (m * T)


@mistake("adder_loss", "dz is not divided by m * T: the loss is the MEAN over the m * T bits")
def adder_loss_unscaled_gradient(y_hat, y):
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), y_hat - y


@mistake("adder_loss", "dz has the wrong sign: it is (y_hat - y) / (m T)")
def adder_loss_sign(y_hat, y):
    _, m, T = y.shape
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))), (y - y_hat) / (m * T)


# ---------------------------------------------------------------- adder_backward


@exercise("adder_backward", ref.adder_backward)
def adder_backward_cases(rng):
    for _ in range(3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        m += 1
        params = random_model(rng, n_a)
        x = random_bits(rng, m, T)
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        y_hat, cache = ref.adder_forward(x, 0.5 * rng.standard_normal((n_a, m)), params)
        _, dz = ref.adder_loss(y_hat, y)
        yield Case((dz, cache, params), f"n_a={n_a}, m={m}, T={T}")


@mistake(
    "adder_backward",
    "dby is averaged over the examples; it is a SUM of dz over the examples and "
    "the steps (dz already holds the 1 / (m T))",
)
def adder_backward_mean_bias(dz, cache, parameters):
    a, (cache_list, x) = cache
    p = parameters
    da = np.einsum("ya,ymt->amt", p["Wya"], dz)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    carried = np.zeros_like(da[:, :, 0])
    for t in reversed(range(dz.shape[2])):
        a_next, a_prev, xt, _ = cache_list[t]
        dtanh = (da[:, :, t] + carried) * (1 - a_next**2)
        dWax += dtanh @ xt.T
        dWaa += dtanh @ a_prev.T
        dba += dtanh.sum(axis=1, keepdims=True)
        carried = p["Waa"].T @ dtanh
    return {
        "dWax": dWax,
        "dWaa": dWaa,
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dba": dba,
        "dby": dz.sum(axis=(1, 2))[:, None] / dz.shape[1],
    }


@mistake(
    "adder_backward",
    "the gradient of the hidden states from the outputs, da_t = Wya^T dz_t, does "
    "not reach rnn_backward, so dWax, dWaa and dba are zero",
)
def adder_backward_no_da(dz, cache, parameters):
    a, rnn_caches = cache
    grads = ref05.rnn_backward(np.zeros_like(a), rnn_caches)
    return {
        "dWax": grads["dWax"],
        "dWaa": grads["dWaa"],
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dba": grads["dba"],
        "dby": dz.sum(axis=(1, 2))[:, None],
    }


@mistake("adder_backward", "dWya holds the last step only; sum dz_t a_t^T over all the steps")
def adder_backward_last_step(dz, cache, parameters):
    grads = ref.adder_backward(dz, cache, parameters)
    grads["dWya"] = dz[:, :, -1] @ cache[0][:, :, -1].T
    return grads


# ---------------------------------------------------------------- adder_train_step


def train_step_problem(got, expected, args, call):
    problem = output_problem(got[0], expected[0], "the updated parameters")
    if problem:
        return problem
    outcome = call(*args)
    if outcome.error is not None:
        return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
    return output_problem(outcome.value, ref.adder_train_step(*deepcopy(args)), "the returned loss")


@exercise("adder_train_step", ref.adder_train_step, mutates=(2,))
def adder_train_step_cases(rng):
    for max_norm in (0.05, 100.0, 0.3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        x = random_bits(rng, m, T)
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        learning_rate = float(rng.uniform(0.1, 2.0))
        label = f"n_a={n_a}, m={m}, T={T}, learning_rate={learning_rate:.3g}, max_norm={max_norm}"
        args = (x, y, random_model(rng, n_a), learning_rate, max_norm)
        yield Case(args, label, verify=train_step_problem)


@mistake(
    "adder_train_step",
    "the gradients are not clipped: pass them through clip_by_norm(gradients, max_norm) before the update",
)
def adder_train_step_unclipped(x, y, parameters, learning_rate, max_norm):
    p = parameters
    m, T = x.shape[1], x.shape[2]
    a_t = np.zeros((p["Waa"].shape[0], m))
    a, before = [], []
    for t in range(T):
        before.append(a_t)
        a_t = np.tanh(p["Waa"] @ a_t + p["Wax"] @ x[:, :, t] + p["ba"])
        a.append(a_t)
    a = np.stack(a, axis=2)
    y_hat = 0.5 * (1 + np.tanh(0.5 * (np.einsum("ya,amt->ymt", p["Wya"], a) + p["by"][:, :, None])))
    q = np.clip(y_hat, 1e-12, 1 - 1e-12)
    loss = float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))
    dz = (y_hat - y) / (m * T)
    grads = {
        "dWax": np.zeros_like(p["Wax"]),
        "dWaa": np.zeros_like(p["Waa"]),
        "dba": np.zeros_like(p["ba"]),
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dby": dz.sum(axis=(1, 2))[:, None],
    }
    carried = np.zeros_like(a_t)
    for t in reversed(range(T)):
        dtanh = (p["Wya"].T @ dz[:, :, t] + carried) * (1 - a[:, :, t] ** 2)
        grads["dWax"] += dtanh @ x[:, :, t].T
        grads["dWaa"] += dtanh @ before[t].T
        grads["dba"] += dtanh.sum(axis=1, keepdims=True)
        carried = p["Waa"].T @ dtanh
    for name in parameters:
        parameters[name] -= learning_rate * grads["d" + name]
    return loss


@mistake(
    "adder_train_step", "the step goes up the gradient; gradient descent subtracts: p -= learning_rate * dp"
)
def adder_train_step_ascent(x, y, parameters, learning_rate, max_norm):
    y_hat, cache = ref.adder_forward(x, np.zeros((parameters["Waa"].shape[0], x.shape[1])), parameters)
    loss, dz = ref.adder_loss(y_hat, y)
    gradients = ref05.clip_by_norm(ref.adder_backward(dz, cache, parameters), max_norm)
    for name in parameters:
        parameters[name] += learning_rate * gradients["d" + name]
    return loss


# ---------------------------------------------------------------- addition_accuracy


@exercise("addition_accuracy", ref.addition_accuracy)
def addition_accuracy_cases(rng):
    for _ in range(3):
        m, T = int(rng.integers(20, 40)), int(rng.integers(2, 5))
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        # mostly right, so that some sums are entirely right and some are not
        y_hat = np.where(rng.random((1, m, T)) < 0.85, y, 1 - y) * 0.8 + 0.1
        y_hat += rng.uniform(-0.05, 0.05, size=y_hat.shape)
        yield Case((y_hat, y), f"m={m}, T={T}")


@mistake(
    "addition_accuracy",
    "the number accuracy counts a sum as right when ANY of its bits is right; all T bits must be right",
)
def addition_accuracy_any(y_hat, y):
    correct = (y_hat > 0.5) == (y > 0.5)
    return float(correct.mean()), float(correct.any(axis=(0, 2)).mean())


@mistake(
    "addition_accuracy",
    "the number accuracy looks at the wrong axis: a sum is one example, the "
    "bits of y[0, i, :] over the steps",
)
def addition_accuracy_wrong_axis(y_hat, y):
    correct = (y_hat > 0.5) == (y > 0.5)
    return float(correct.mean()), float(correct.all(axis=(0, 1)).mean())
