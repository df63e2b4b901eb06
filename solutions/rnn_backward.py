"""Assignment 05: backpropagation through time, gradient clipping, vanishing gradients.

Same layout as assignment 04: sequences have shape (n_x, m, T_x), hidden states (n_a, m, T_x).
"""

import numpy as np

from solutions.rnn_forward import rnn_forward


def rnn_cell_backward(da_next, cache):
    """Backward pass of one time step of a vanilla RNN cell.

    The forward step was a_next = tanh(Waa a_prev + Wax xt + ba).

    Inputs:
    - da_next: gradient of the loss with respect to a_next, shape (n_a, m).
    - cache: tuple (a_next, a_prev, xt, parameters) from rnn_cell_forward.

    Returns:
    - gradients: dictionary with
      - dxt: gradient with respect to xt, shape (n_x, m).
      - da_prev: gradient with respect to a_prev, shape (n_a, m).
      - dWax: gradient with respect to Wax, shape (n_a, n_x).
      - dWaa: gradient with respect to Waa, shape (n_a, n_a).
      - dba: gradient with respect to ba, shape (n_a, 1).
    """
    # d tanh(u) / du = 1 - tanh(u)**2 = 1 - a_next**2: the derivative comes from the cached output.
    a_next, a_prev, xt, parameters = cache
    dz = da_next * (1 - a_next**2)  # gradient at the input of tanh, (n_a, m)
    return {
        "dxt": parameters["Wax"].T @ dz,
        "da_prev": parameters["Waa"].T @ dz,
        "dWax": dz @ xt.T,
        "dWaa": dz @ a_prev.T,
        "dba": dz.sum(axis=1, keepdims=True),
    }


def rnn_backward(da, caches):
    """Backpropagation through time for a vanilla RNN.

    The gradients are those of the whole sequence: of every step, through every path.

    Inputs:
    - da: gradient of the loss with respect to every hidden state, coming from the outputs,
      shape (n_a, m, T_x).
    - caches: tuple (list of T_x cell caches, x) from rnn_forward.

    Returns:
    - gradients: dictionary with
      - dx: gradient with respect to the inputs x, shape (n_x, m, T_x).
      - da0: gradient with respect to the initial hidden state a0, shape (n_a, m).
      - dWax: gradient with respect to Wax, shape (n_a, n_x).
      - dWaa: gradient with respect to Waa, shape (n_a, n_a).
      - dba: gradient with respect to ba, shape (n_a, 1).
    """
    # The hidden state a_t is used twice: by the output layer at step t and by the cell at step
    # t+1. Its total gradient is therefore da[:, :, t] (from the output) plus da_prev (coming back
    # from step t+1). Parameter gradients are summed over the time steps.
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][3]
    dx = np.zeros(x.shape, dtype=da.dtype)
    dWax = np.zeros(parameters["Wax"].shape, dtype=da.dtype)
    dWaa = np.zeros(parameters["Waa"].shape, dtype=da.dtype)
    dba = np.zeros(parameters["ba"].shape, dtype=da.dtype)
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        grads = rnn_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt = grads["da_prev"]
        dWax += grads["dWax"]
        dWaa += grads["dWaa"]
        dba += grads["dba"]
    return {"dx": dx, "da0": da_prevt, "dWax": dWax, "dWaa": dWaa, "dba": dba}


def clip(gradients, max_value):
    """Clip every gradient element-wise to the interval [-max_value, max_value].

    Inputs:
    - gradients: dictionary of gradient arrays (any names, any shapes).
    - max_value: the clipping threshold, a positive float.

    Returns:
    - clipped: a new dictionary with the same keys and new arrays of the same shapes and
      dtypes; the input dictionary and its arrays are left unchanged.
    """
    return {name: np.clip(g, -max_value, max_value) for name, g in gradients.items()}


def clip_by_norm(gradients, max_norm):
    """Rescale all gradients together when their global L2 norm exceeds max_norm.

    The global norm is sqrt(sum over all arrays of sum(g**2)). If it is larger than max_norm,
    every array is multiplied by max_norm / global_norm, so the direction of the update is kept
    and its global norm becomes max_norm; otherwise the gradients are returned unchanged (copied).

    Inputs:
    - gradients: dictionary of gradient arrays (any names, any shapes).
    - max_norm: the largest allowed global norm, a positive float.

    Returns:
    - clipped: a new dictionary with the same keys and new arrays of the same shapes and
      dtypes; the input dictionary and its arrays are left unchanged.
    """
    global_norm = float(np.sqrt(sum(np.sum(g * g) for g in gradients.values())))
    scale = max_norm / global_norm if global_norm > max_norm else 1.0
    return {name: g * scale for name, g in gradients.items()}


def gradient_norms_through_time(x, a0, parameters):
    """How much gradient flows back from the last hidden state to each earlier one.

    The loss is L = sum(a[:, :, T_x - 1]), the sum of the last hidden state; the function
    reports the size of dL/da_t for every step t.

    Inputs:
    - x: input sequence, shape (n_x, m, T_x).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary of RNN weights, as in rnn_cell_forward.

    Returns:
    - norms: shape (T_x,); norms[t] is the Frobenius norm (over units and examples) of
      dL/da_t, the gradient that reaches the hidden state of step t from the last step.
      norms[T_x - 1] = sqrt(n_a * m).
    """
    # Forward once, then go back one cell at a time from dL/da_{T_x - 1} = ones, keeping the norm
    # of dL/da_t at every step (only the path through the hidden states carries gradient here).
    a, _, (cache_list, _) = rnn_forward(x, a0, parameters)
    T_x = x.shape[2]
    norms = np.zeros(T_x)
    da_t = np.ones_like(a[:, :, -1])
    for t in reversed(range(T_x)):
        norms[t] = np.linalg.norm(da_t)
        da_t = rnn_cell_backward(da_t, cache_list[t])["da_prev"]
    return norms
