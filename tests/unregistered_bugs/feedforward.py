"""Unregistered bugs of Part I: 01 spiral data and activations, 02 softmax classifier, 03 three-layer net."""

import numpy as np

from unregistered_bugs.catalogue import bug

# ---------------------------------------------------------------- 01 spiral data and activations

bug(
    "make_spiral",
    r"\by\b.*dtype",
    "labels left as float64",
    {"np.zeros(N * K, dtype=np.uint8)": "np.zeros(N * K)"},
)


@bug("sigmoid", r"wrong exactly where x < 0", "a stable two-branch form with a typo in the x < 0 branch")
def sigmoid_branch_typo(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 - e))


bug("sigmoid", r"For x = .* yours gives", "the tanh form without the halving inside", {"0.5 * x": "x"})
bug("sigmoid_grad", r"For s = .* yours gives", "a sign typo: s * (1 + s)", {"1.0 - s": "1.0 + s"})
bug(
    "relu",
    r"wrong exactly where x < 0",
    "leaky ReLU instead of ReLU",
    {"np.maximum(0.0, x)": "np.maximum(0.01 * x, x)"},
)
bug("relu_grad", r"dh has dtype int64, expected float64", "an integer result", {".astype(h.dtype)": " * 1"})


@bug("relu_grad", r"wrong exactly where h == 0", "h / h, NaN where h == 0")
def relu_grad_divide(h):
    with np.errstate(invalid="ignore"):
        return np.where(h > 0, h / h, 0.0) + np.where(h == 0, np.nan, 0.0)


bug("tanh_grad", r"For t = .* yours gives", "the square forgotten: 1 - t", {"t * t": "t"})
bug(
    "tanh_grad",
    r"For t = .* yours gives",
    "the square in the wrong place: (1 - t)**2",
    {"1.0 - t * t": "(1.0 - t) ** 2"},
)

# ---------------------------------------------------------------- 02 softmax classifier

bug(
    "softmax",
    r"each row .* times a number of its own",
    "normalised by the row maximum instead of the row sum",
    {"exp.sum(axis=1, keepdims=True)": "exp.max(axis=1, keepdims=True)"},
)
bug(
    "softmax",
    r"each row .* own|sums to 1",
    "divided by the sum of the whole array",
    {"exp.sum(axis=1, keepdims=True)": "exp.sum()"},
)
bug(
    "softmax_loss",
    r"Wrong: loss; everything else is right",
    "the loss averages the log of every probability",
    {"-np.vdot(one_hot, log_probs) / N": "-np.mean(log_probs)"},
)
bug(
    "softmax_loss",
    r"dscores .* times the expected",
    "dscores divided by K instead of N",
    {"dscores /= N": "dscores /= K"},
)


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


bug(
    "l2_penalty",
    r"Wrong: penalty; everything else is right",
    "the square of the sum",
    {"float(np.vdot(W, W))": "float(np.sum(W)) ** 2"},
)
bug("l2_penalty", r"dW is the transpose", "dW transposed", {"reg * W": "reg * W.T"})
bug(
    "eval_numerical_gradient",
    r"grad is 1e-0?6 times the expected",
    "operator precedence: / 2 * h",
    {"/ (2 * h)": "/ 2 * h"},
)
bug(
    "eval_numerical_gradient",
    r"grad is about 0.5 times",
    "x - h taken from x + h: a forward difference over 2 h",
    {"x[i] = original - h": "x[i] = original"},
)
bug(
    "rel_error",
    None,
    "the denominator without absolute values: |a + b|",
    {"np.abs(a) + np.abs(b)": "np.abs(a + b)"},
)

# ---------------------------------------------------------------- 03 three-layer net

bug(
    "init_params",
    r"params\['b1'\] has shape",
    "biases of shape (1, H) instead of (H,)",
    {
        "np.zeros(H1)": "np.zeros((1, H1))",
        "np.zeros(H2)": "np.zeros((1, H2))",
        "np.zeros(K)": "np.zeros((1, K))",
    },
)
bug(
    "forward",
    r"With b2 = 0",
    "the bias b2 added after the activation",
    {'f(h1 @ params["W2"] + params["b2"])': 'f(h1 @ params["W2"]) + params["b2"]'},
)
bug(
    "forward",
    r"h2\) is relu of the pre-activation whose sigmoid",
    "the second layer always uses relu",
    {'h2 = f(h1 @ params["W2"]': 'h2 = relu(h1 @ params["W2"]'},
)
bug("backward", r"\breg = 0", "the L2 gradient forgotten in W2 only", {' + reg * params["W2"]': ""})
bug(
    "backward",
    r"Wrong: grads\['b2'\]; everything else is right",
    "b2's gradient summed over the wrong axis",
    {'"b2": dh2.sum(axis=0)': '"b2": dh2.sum(axis=1)'},
)
bug(
    "backward",
    r"W1'\] .*opposite sign|b1'\] .*opposite sign",
    "a sign error in dh1",
    {
        'dh1 = dh2 @ params["W2"].T': 'dh1 = -(dh2 @ params["W2"].T)',
        '+ reg * params["W1"]': '- reg * params["W1"]',
    },
)
bug(
    "sgd_step",
    r"params\['b1'\] has wrong values",
    "only the weights are stepped, not the biases",
    {"params[name] -= step_size * grad": 'if name[0] == "W":\n            params[name] -= step_size * grad'},
)
bug(
    "train",
    r"history\['loss'\] should hold 2 values, but it holds 1",
    "one iteration too few",
    {"range(iterations)": "range(iterations - 1)"},
)
bug(
    "train",
    r"history\['W1'\] has wrong values",
    "the gradient magnitude without the division by sum(shape)",
    {"gradient_magnitude(grads[W])": "float(np.abs(grads[W]).sum())"},
)
bug(
    "predict",
    r"the expected one for nonlinearity = 'sigmoid'",
    "the nonlinearity argument ignored: always sigmoid",
    {"forward(X, params, nonlinearity)": 'forward(X, params, "sigmoid")'},
)
