"""Assignment 03: a network with two hidden layers, trained by full-batch gradient descent."""

import numpy as np

from solutions.softmax_classifier import l2_penalty, softmax_loss
from solutions.spiral_activations import relu, relu_grad, sigmoid, sigmoid_grad


def activation_functions(nonlinearity):
    """The hidden layers' activation and its gradient (taken from the activation's output).

    Inputs:
    - nonlinearity: "sigmoid" or "relu".

    Returns:
    - (f, f_grad): (sigmoid, sigmoid_grad) or (relu, relu_grad).
    """
    if nonlinearity == "sigmoid":
        return sigmoid, sigmoid_grad
    if nonlinearity == "relu":
        return relu, relu_grad
    raise ValueError(f"nonlinearity must be 'sigmoid' or 'relu', not {nonlinearity!r}")


def init_params(D=2, H1=50, H2=50, K=3, seed=None):
    """Initial parameters: weights 0.1 * standard normal, biases zero.

    Inputs:
    - D, H1, H2, K: input size, sizes of the two hidden layers, number of classes.
    - seed: seed for np.random.default_rng.

    Returns:
    - params: dict with W1 (D, H1), b1 (H1,), W2 (H1, H2), b2 (H2,), W3 (H2, K), b3 (K,).
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": 0.1 * rng.standard_normal((D, H1)),
        "b1": np.zeros(H1),
        "W2": 0.1 * rng.standard_normal((H1, H2)),
        "b2": np.zeros(H2),
        "W3": 0.1 * rng.standard_normal((H2, K)),
        "b3": np.zeros(K),
    }


def forward(X, params, nonlinearity):
    """Scores of the network: X -> f(X W1 + b1) -> f(h1 W2 + b2) -> h2 W3 + b3.

    Inputs:
    - X: data, shape (N, D).
    - params: dict from init_params.
    - nonlinearity: "sigmoid" or "relu", the f of both hidden layers.

    Returns:
    - scores: shape (N, K).
    - cache: (X, h1, h2), the input and both hidden activations (N, H1) and (N, H2).
    """
    f, _ = activation_functions(nonlinearity)
    h1 = f(X @ params["W1"] + params["b1"])
    h2 = f(h1 @ params["W2"] + params["b2"])
    scores = h2 @ params["W3"] + params["b3"]
    return scores, (X, h1, h2)


def backward(dscores, cache, params, nonlinearity, reg):
    """Gradients of the loss (data loss plus L2 penalty on W1, W2, W3) for every parameter.

    The activation gradients are taken from the activations' outputs h1 and h2.

    Inputs:
    - dscores: d data-loss / d scores, shape (N, K).
    - cache: (X, h1, h2) from forward.
    - params: dict from init_params.
    - nonlinearity: "sigmoid" or "relu", as in forward.
    - reg: L2 regularisation strength.

    Returns:
    - grads: dict with the same keys and shapes as params.
    """
    _, f_grad = activation_functions(nonlinearity)
    X, h1, h2 = cache
    dh2 = dscores @ params["W3"].T
    dh2 *= f_grad(h2)
    dh1 = dh2 @ params["W2"].T
    dh1 *= f_grad(h1)
    return {
        "W3": h2.T @ dscores + reg * params["W3"],
        "b3": dscores.sum(axis=0),
        "W2": h1.T @ dh2 + reg * params["W2"],
        "b2": dh2.sum(axis=0),
        "W1": X.T @ dh1 + reg * params["W1"],
        "b1": dh1.sum(axis=0),
    }


def sgd_step(params, grads, step_size):
    """One step of gradient descent, updating params in place: p -= step_size * dp.

    Inputs:
    - params: dict of arrays, changed in place.
    - grads: dict with the same keys and shapes.
    - step_size: the learning rate.

    Returns:
    - None (params is updated).
    """
    for name, grad in grads.items():
        params[name] -= step_size * grad


def gradient_magnitude(dW):
    """The per-layer gradient size of the vanishing-gradient experiment: sum(|dW|) / sum(dW.shape).

    Inputs:
    - dW: a weight gradient, shape (H_in, H_out).

    Returns:
    - magnitude: a float.
    """
    return float(np.abs(dW).sum() / sum(dW.shape))


def train(X, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3):
    """Full-batch gradient descent on the softmax loss plus L2 penalty; updates params in place.

    Inputs:
    - X: data, shape (N, D); y: labels, shape (N,).
    - params: dict from init_params, trained in place.
    - nonlinearity: "sigmoid" or "relu".
    - iterations: number of gradient steps.
    - step_size, reg: learning rate and L2 strength.

    Returns:
    - history: dict of lists with one entry per iteration: "loss" (data loss plus penalty,
      before the step) and "W1", "W2", "W3" (gradient_magnitude of each weight gradient).
    """
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
            history[W].append(gradient_magnitude(grads[W]))
    return history


def predict(X, params, nonlinearity):
    """Predicted class of each example: the index of its largest score.

    Inputs:
    - X: data, shape (N, D).
    - params: dict from init_params.
    - nonlinearity: "sigmoid" or "relu".

    Returns:
    - y_pred: shape (N,), integers in [0, K).
    """
    return np.argmax(forward(X, params, nonlinearity)[0], axis=1)
