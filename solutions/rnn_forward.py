"""Assignment 04: the forward pass of a vanilla recurrent neural network.

Layout (as in the Coursera sequence-models course): time is the LAST axis and examples are
columns. An input sequence x has shape (n_x, m, T_x): n_x features, m examples, T_x time steps;
x[:, :, t] is the (n_x, m) batch of inputs at time step t.
"""

import numpy as np


def softmax(z):
    """Column-wise softmax: each column of z becomes a probability distribution.

    It must not overflow, whatever the size of the scores.

    Inputs:
    - z: scores, shape (n_y, m); column j holds the n_y scores of example j.

    Returns:
    - probs: shape (n_y, m), same dtype as z, each column non-negative and summing to 1.
    """
    # Subtracting each column's maximum leaves the result unchanged and keeps exp from overflowing.
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def init_rnn_parameters(n_x, n_a, n_y, seed=0, dtype=np.float64):
    """Random parameters for a vanilla RNN with a softmax output layer.

    Each weight matrix is drawn from a normal distribution with standard deviation
    1 / sqrt(fan_in), where fan_in is the size of the vector it multiplies; biases are zero.

    Inputs:
    - n_x: number of input features.
    - n_a: number of hidden units.
    - n_y: number of output classes.
    - seed: seed of the random generator (np.random.default_rng), an int.
    - dtype: float dtype of the arrays.

    Returns:
    - parameters: dictionary with
      - Wax: input-to-hidden weights, shape (n_a, n_x).
      - Waa: hidden-to-hidden weights, shape (n_a, n_a).
      - Wya: hidden-to-output weights, shape (n_y, n_a).
      - ba: hidden bias, shape (n_a, 1).
      - by: output bias, shape (n_y, 1).
    """
    rng = np.random.default_rng(seed)
    return {
        "Wax": (rng.standard_normal((n_a, n_x)) / np.sqrt(n_x)).astype(dtype),
        "Waa": (rng.standard_normal((n_a, n_a)) / np.sqrt(n_a)).astype(dtype),
        "Wya": (rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)).astype(dtype),
        "ba": np.zeros((n_a, 1), dtype=dtype),
        "by": np.zeros((n_y, 1), dtype=dtype),
    }


def rnn_cell_forward(xt, a_prev, parameters):
    """One time step of a vanilla RNN cell.

    a_next = tanh(Waa a_prev + Wax xt + ba) and yt_pred = softmax(Wya a_next + by).

    Inputs:
    - xt: inputs at time step t, shape (n_x, m).
    - a_prev: hidden state at time step t-1, shape (n_a, m).
    - parameters: dictionary with
      - Wax: input-to-hidden weights, shape (n_a, n_x).
      - Waa: hidden-to-hidden weights, shape (n_a, n_a).
      - Wya: hidden-to-output weights, shape (n_y, n_a).
      - ba: hidden bias, shape (n_a, 1).
      - by: output bias, shape (n_y, 1).

    Returns:
    - a_next: hidden state at time step t, shape (n_a, m).
    - yt_pred: predicted class probabilities at time step t, shape (n_y, m).
    - cache: tuple (a_next, a_prev, xt, parameters) for rnn_cell_backward.
    """
    a_next = np.tanh(parameters["Waa"] @ a_prev + parameters["Wax"] @ xt + parameters["ba"])
    yt_pred = softmax(parameters["Wya"] @ a_next + parameters["by"])
    cache = (a_next, a_prev, xt, parameters)
    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    """Forward pass of a vanilla RNN over a whole sequence.

    Inputs:
    - x: input sequence, shape (n_x, m, T_x).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary of weights, as in rnn_cell_forward (Wax, Waa, Wya, ba, by).

    Returns:
    - a: hidden states of every time step, shape (n_a, m, T_x), dtype of x.
    - y_pred: predicted class probabilities of every time step, shape (n_y, m, T_x).
    - caches: tuple (list of the T_x caches of rnn_cell_forward, x) for rnn_backward.
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y_pred = np.zeros((n_y, m, T_x), dtype=x.dtype)
    cache_list = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        cache_list.append(cache)
    return a, y_pred, (cache_list, x)


def to_batch_first(x):
    """Move a sequence from the course layout (n_x, m, T_x) to the framework layout (m, T_x, n_x).

    PyTorch (batch_first=True), Keras and JAX code store sequences as (N, T, D): examples first,
    then time, then features.

    Inputs:
    - x: sequence in the course layout, shape (n_x, m, T_x).

    Returns:
    - x_bf: the same numbers, shape (m, T_x, n_x), with x_bf[i, t, k] == x[k, i, t].
    """
    # np.transpose returns a view: it copies nothing (writing into it writes into x).
    return np.transpose(x, (1, 2, 0))


def to_time_major(x_bf):
    """Inverse of to_batch_first: move a sequence from (m, T_x, n_x) to (n_x, m, T_x).

    Inputs:
    - x_bf: sequence in the framework layout, shape (m, T_x, n_x).

    Returns:
    - x: the same numbers, shape (n_x, m, T_x), with x[k, i, t] == x_bf[i, t, k].
    """
    # np.transpose returns a view of x_bf: it copies nothing.
    return np.transpose(x_bf, (2, 0, 1))
