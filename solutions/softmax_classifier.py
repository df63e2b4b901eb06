"""Assignment 02: softmax, the cross-entropy loss, L2 regularisation and gradient checking."""

import numpy as np


def softmax(scores):
    """Row-wise softmax: each row of scores becomes a probability distribution.

    Must give the right answer, with no overflow and no warning, for scores of any size.

    Inputs:
    - scores: class scores, shape (N, K); row i holds the K scores of example i.

    Returns:
    - probs: shape (N, K), each row non-negative and summing to 1.
    """
    # A row's maximum subtracted from the row leaves its softmax unchanged; the largest
    # exponent is then exp(0) = 1, so nothing overflows.
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def softmax_loss(scores, y):
    """Mean softmax cross-entropy loss and its gradient with respect to the scores.

    Inputs:
    - scores: class scores, shape (N, K).
    - y: correct class of each example, shape (N,), integers in [0, K).

    Returns:
    - loss: the mean over the N examples of -log(probability of the correct class), a float.
    - dscores: d loss / d scores, shape (N, K), same dtype as scores.
    """
    # The log-probabilities are computed directly (log-softmax), so a probability that
    # underflows to 0 never reaches np.log.
    N, K = scores.shape
    one_hot = (y[:, None] == np.arange(K)).astype(scores.dtype)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.vdot(one_hot, log_probs) / N
    dscores = np.exp(log_probs) - one_hot
    dscores /= N
    return float(loss), dscores


def l2_penalty(W, reg):
    """L2 regularisation 0.5 * reg * sum(W**2) and its gradient.

    Inputs:
    - W: a weight matrix, any shape.
    - reg: regularisation strength, a float.

    Returns:
    - penalty: 0.5 * reg * sum(W * W), a float.
    - dW: d penalty / d W = reg * W, same shape as W.
    """
    return 0.5 * reg * float(np.vdot(W, W)), reg * W


def eval_numerical_gradient(f, x, h=1e-5):
    """Centered-difference estimate of the gradient of a scalar function f at x.

    x may be changed during the call, but must hold its original values when the function
    returns.

    Inputs:
    - f: function taking an array shaped like x and returning a float.
    - x: float array of any shape, the point at which to take the gradient.
    - h: the step.

    Returns:
    - grad: array shaped like x, grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h).
    """
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f(x)
        x[i] = original - h
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest relative error between two arrays: max |a - b| / max(1e-8, |a| + |b|).

    Inputs:
    - a, b: arrays of the same shape.

    Returns:
    - error: a float; below 1e-7 means the two agree to about seven digits.
    """
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
