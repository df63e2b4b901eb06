"""Assignment 01: the spiral data set and the activation functions (row-major, X is (N, D))."""

import numpy as np


def make_spiral(N=100, K=3, noise=0.2, seed=None):
    """Generate K interleaved spiral arms of N points each; not linearly separable.

    Inputs:
    - N: number of points per class.
    - K: number of classes (spiral arms).
    - noise: standard deviation of the Gaussian noise added to each point's angle.
    - seed: seed for np.random.default_rng; the same seed gives the same data.

    Returns:
    - X: points, shape (N*K, 2), float64. Rows N*j to N*(j+1) belong to class j.
    - y: labels, shape (N*K,), uint8.
    """
    rng = np.random.default_rng(seed)
    X = np.zeros((N * K, 2))
    y = np.zeros(N * K, dtype=np.uint8)
    radius = np.linspace(0.0, 1.0, N)
    for j in range(K):
        rows = slice(N * j, N * (j + 1))
        angle = np.linspace(4.0 * j, 4.0 * (j + 1), N) + noise * rng.standard_normal(N)
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = j
    return X, y


def sigmoid(x):
    """Logistic sigmoid 1 / (1 + exp(-x)), computed without overflow (and no warning) for any x.

    Inputs:
    - x: array of any shape.

    Returns:
    - s: array of the same shape and dtype, values in [0, 1].
    """
    # exp(-x) overflows below x = -710; tanh never does, and sigmoid(x) = (1 + tanh(x/2)) / 2.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def sigmoid_grad(s):
    """Derivative of the sigmoid, taken from its OUTPUT s = sigmoid(x): s * (1 - s).

    Inputs:
    - s: sigmoid outputs, array of any shape.

    Returns:
    - ds: d sigmoid(x) / dx at the x that produced s, same shape as s.
    """
    return s * (1.0 - s)


def relu(x):
    """Rectified linear unit max(0, x).

    Inputs:
    - x: array of any shape.

    Returns:
    - h: array of the same shape.
    """
    return np.maximum(0.0, x)


def relu_grad(h):
    """Derivative of ReLU, taken from its output h = relu(x): 1 where h > 0, else 0.

    Inputs:
    - h: ReLU outputs, array of any shape.

    Returns:
    - dh: array of the same shape and dtype, of zeros and ones.
    """
    return (h > 0).astype(h.dtype)


def tanh_grad(t):
    """Derivative of tanh, taken from its output t = tanh(x): 1 - t**2.

    Inputs:
    - t: tanh outputs, array of any shape.

    Returns:
    - dt: d tanh(x) / dx at the x that produced t, same shape as t.
    """
    return 1.0 - t * t
