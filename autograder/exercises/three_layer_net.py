"""Hidden tests and known mistakes of assignment 03: the network with two hidden layers."""

import numpy as np

from autograder.engine import Case, exercise, output_problem
from autograder.exercises.shared import integer_array_problem, same_seed_problem
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
    problem = same_seed_problem(got, args, call, "weights")
    if problem:
        return problem
    other = call(D, H1, H2, K, seed + 1)
    if other.error is None and not output_problem(other.value, got, "a call", 0.0, 0.0):
        return "two different seeds gave the same weights: draw them from np.random.default_rng(seed)"
    return None


@exercise(ref.init_params)
def init_params(rng):
    yield Case((2, 50, 50, 3, 1), "D=2, H1=50, H2=50, K=3, seed=1", verify=init_params_problem)
    for _ in range(2):
        D, H1, H2, K = (int(n) for n in rng.integers(20, 60, size=4))
        seed = int(rng.integers(1000))
        label = f"D={D}, H1={H1}, H2={H2}, K={K}, seed={seed}"
        yield Case((D, H1, H2, K, seed), label, verify=init_params_problem)


init_params.mistake(
    "the weights are not scaled: they are 0.1 * rng.standard_normal(shape)",
    {f'"{W}": 0.1 * rng': f'"{W}": rng' for W in ("W1", "W2", "W3")},
)
init_params.mistake(
    "the weight shapes are transposed: W1 maps the D inputs to H1 units, so it "
    "is (D, H1), W2 is (H1, H2) and W3 is (H2, K)",
    {
        "normal((D, H1))": "normal((H1, D))",
        "normal((H1, H2))": "normal((H2, H1))",
        "normal((H2, K))": "normal((K, H2))",
    },
)


# ---------------------------------------------------------------- forward


@exercise(ref.forward)
def forward(rng):
    for square in (True, False):
        for nonlinearity in NONLINEARITIES:
            N, D, H1, H2, K = random_sizes(rng, square)
            params = random_params(rng, D, H1, H2, K)
            X = rng.standard_normal((N, D))
            yield Case((X, params, nonlinearity), sizes_label(nonlinearity, N, D, H1, H2, K))
    params = random_params(rng, 3, 4, 5, 2)
    yield Case((rng.standard_normal((1, 3)), params, "relu"), "a single example (N=1)")


LAYERS = 'h1 = f(X @ params["W1"] + params["b1"])\n    h2 = f(h1 @ params["W2"] + params["b2"])'
forward.mistake(
    "the output layer must stay linear: scores = h2 @ W3 + b3, with no activation",
    {'scores = h2 @ params["W3"] + params["b3"]': 'scores = f(h2 @ params["W3"] + params["b3"])'},
)
forward.mistake("the biases b1, b2 and b3 are not added", {f' + params["b{i}"]': "" for i in (1, 2, 3)})
forward.mistake(
    "the cache holds the pre-activations; it must hold the activations "
    "h1 = f(X W1 + b1) and h2 = f(h1 W2 + b2), from which backward takes the gradients",
    {
        LAYERS: 'z1 = X @ params["W1"] + params["b1"]\n    h1 = f(z1)\n'
        '    z2 = h1 @ params["W2"] + params["b2"]\n    h2 = f(z2)',
        "scores, (X, h1, h2)": "scores, (X, z1, z2)",
    },
)
for fixed in ("sigmoid", "relu"):
    forward.mistake(
        "the nonlinearity argument is ignored: use activation_functions(nonlinearity)",
        {"activation_functions(nonlinearity)": f'activation_functions("{fixed}")'},
    )


# ---------------------------------------------------------------- backward


@exercise(ref.backward)
def backward(rng):
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


WEIGHT_DECAY = {f' + reg * params["W{i}"]': f' + 2 * reg * params["W{i}"]' for i in (1, 2, 3)}
BIAS_SUMS = {"dscores.sum(axis=0)": 3, "dh2.sum(axis=0)": 2, "dh1.sum(axis=0)": 1}
backward.mistake(
    "the gradient of the L2 penalty, reg * W, is missing from dW1, dW2 and dW3",
    dict.fromkeys(WEIGHT_DECAY, ""),
)
backward.mistake(
    "the L2 gradient is added to the biases too; only the weights W1, W2, W3 are regularised",
    {total: f'{total} + reg * params["b{i}"]' for total, i in BIAS_SUMS.items()},
)
backward.mistake(
    "the activation gradient is taken from the wrong layer: dh2 is multiplied by "
    "f'(h2) and dh1 by f'(h1), each layer by its own activation (for ReLU, its own mask)",
    {"dh2 *= f_grad(h2)": "dh2 *= f_grad(h1)", "dh1 *= f_grad(h1)": "dh1 *= f_grad(h2)"},
)
backward.mistake(
    "the sigmoid gradient is applied to the pre-activation z = h W + b; "
    "sigmoid_grad takes the sigmoid's OUTPUT, so pass it h1 and h2 from the cache",
    {
        "f_grad(h2)": 'f_grad(h1 @ params["W2"] + params["b2"])',
        "f_grad(h1)": 'f_grad(X @ params["W1"] + params["b1"])',
    },
)
backward.mistake(
    "the sigmoid is applied again before its gradient; h1 and h2 in the cache "
    "already are sigmoid outputs: use sigmoid_grad(h1), not sigmoid_grad(sigmoid(h1))",
    {"_, f_grad =": "f, f_grad =", "f_grad(h2)": "f_grad(f(h2))", "f_grad(h1)": "f_grad(f(h1))"},
)
backward.mistake(
    "the activation gradient is missing: multiply dh2 by f'(h2) and dh1 by "
    "f'(h1) before going through the weights",
    {"    dh2 *= f_grad(h2)\n": "", "    dh1 *= f_grad(h1)\n": ""},
)
backward.mistake(
    "the bias gradients are averaged over the examples; dscores already "
    "carries the 1/N of the mean loss, so sum over the examples (axis=0)",
    {total: total.replace("sum", "mean") for total in BIAS_SUMS},
)
backward.mistake(
    "the L2 gradient has a stray factor: the gradient of 0.5 * reg * sum(W**2) is reg * W", WEIGHT_DECAY
)


# ---------------------------------------------------------------- sgd_step


@exercise(ref.sgd_step, mutates=(0,))
def sgd_step(rng):
    for _ in range(3):
        N, D, H1, H2, K = random_sizes(rng)
        params = random_params(rng, D, H1, H2, K)
        grads = random_params(rng, D, H1, H2, K)
        step_size = float(rng.uniform(0.01, 1.0))
        label = f"step_size={step_size:.3g}"
        yield Case((params, grads, step_size), label)


sgd_step.mistake(
    "the step goes up the gradient; gradient descent subtracts: p -= step_size * dp",
    {"params[name] -= step_size": "params[name] += step_size"},
)
sgd_step.mistake(
    "the gradient is not multiplied by step_size",
    {"params[name] -= step_size * grad": "params[name] -= grad"},
)
sgd_step.mistake(
    "params is unchanged: the new values were given to a local name; update the "
    "dict's arrays in place, params[name] -= step_size * grads[name]",
    {"params[name] -= step_size * grad": "p = params[name]\n        p = p - step_size * grad"},
)


# ---------------------------------------------------------------- train


@exercise(ref.train, mutates=(2,))
def train(rng):
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
        yield Case(args, label)


PENALTY = '        for W in ("W1", "W2", "W3"):\n            loss += l2_penalty(params[W], reg)[0]\n'
MAGNITUDES = (
    '        for W in ("W1", "W2", "W3"):\n            history[W].append(gradient_magnitude(grads[W]))\n'
)
train.mistake("history['loss'] must hold the data loss PLUS the L2 penalties of W1, W2 and W3", {PENALTY: ""})
train.mistake(
    "the history holds the magnitude of the weights; it should hold gradient_magnitude of the "
    "weight GRADIENTS grads['W1'], grads['W2'], grads['W3']",
    {PENALTY: PENALTY + "            history[W].append(gradient_magnitude(params[W]))\n", MAGNITUDES: ""},
)
train.mistake(
    "step_size and reg are fixed at 0.1 and 1e-3 (the defaults); use the arguments",
    {"    for _ in range(iterations):": "    step_size, reg = 0.1, 1e-3\n    for _ in range(iterations):"},
)
train.mistake(
    "the forward pass runs once, before the loop; every iteration needs a new "
    "forward pass with the updated parameters",
    {
        "    for _ in range(iterations):\n        scores, cache = forward(X, params, nonlinearity)\n": (
            "    scores, cache = forward(X, params, nonlinearity)\n    for _ in range(iterations):\n"
        )
    },
)
train.mistake(
    "the parameters are stepped with the gradient of the data loss only; pass reg "
    "to backward so that the step includes the gradient of the L2 penalty",
    {"nonlinearity, reg)": "nonlinearity, 0.0)"},
)


# ---------------------------------------------------------------- predict


def predict_problem(got, expected, args, call):
    """Any integer dtype will do (argmax gives int64; the labels y are uint8)."""
    problem = integer_array_problem(got, expected, "one class per example", "class indices")
    return problem or output_problem(got.astype(np.int64), expected.astype(np.int64), "the output")


@exercise(ref.predict)
def predict(rng):
    for nonlinearity in NONLINEARITIES:
        N, D, H1, H2, K = random_sizes(rng)
        N += 10
        params = random_params(rng, D, H1, H2, K)
        X = rng.standard_normal((N, D))
        label = sizes_label(nonlinearity, N, D, H1, H2, K)
        yield Case((X, params, nonlinearity), label, verify=predict_problem)


predict.mistake(
    "the argmax is taken over the wrong axis: each example's class is the argmax "
    "of its ROW of scores (axis=1)",
    {"axis=1": "axis=0"},
)
predict.mistake(
    "this is the largest score; the prediction is its INDEX, np.argmax", {"np.argmax(": "np.max("}
)
