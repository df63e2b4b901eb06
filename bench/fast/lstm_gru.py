"""The LSTM and GRU sequence passes of solutions/lstm_gru.py, arranged for speed.

The answer key loops over the cell functions, as a student writes them. These give the same
results and caches (tests/test_torch_parity.py proves it, and that both match PyTorch), but
only the work that needs the previous step stays inside the loop:
- the gate matrices are stacked into one, so one product computes all the gates of a step;
- their products with the inputs of all T_x steps are one matrix product before the loop;
- the softmax output layer of all T_x steps is one matrix product after the loop;
- backwards, the weight gradients and dx are one matrix product each after the loop.
bench/bench_recurrent_vs_torch.py times them against PyTorch.
"""

import numpy as np

from solutions.rnn_forward import softmax
from solutions.spiral_activations import sigmoid


def lstm_forward(x, a0, parameters):
    """lstm_forward of solutions/lstm_gru.py (same arguments, results and caches), arranged for speed."""
    # A loop calling lstm_cell_forward at every step is correct. This one is faster: only the work
    # that needs the previous step stays inside the loop:
    # - the four gate matrices are stacked into one, so one product computes all the gates;
    # - their products with the inputs of all T_x steps are one matrix product before the loop;
    # - the softmax output layer of all T_x steps is one matrix product after the loop.
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    # Gates stacked in the order [f; i; o; c], so that one sigmoid covers the first three;
    # W_a acts on a_prev, W_x on xt (PyTorch's weight_hh and weight_ih, in another gate order).
    gates = [parameters["Wf"], parameters["Wi"], parameters["Wo"], parameters["Wc"]]
    W_a = np.concatenate([W[:, :n_a] for W in gates])  # (4 n_a, n_a)
    W_x = np.concatenate([W[:, n_a:] for W in gates])  # (4 n_a, n_x)
    b = np.concatenate([parameters["bf"], parameters["bi"], parameters["bo"], parameters["bc"]])
    # The inputs of all steps side by side, step after step: column t * m + i is x[:, i, t].
    x_steps = x.transpose(0, 2, 1).reshape(n_x, T_x * m)
    zx = (W_x @ x_steps + b).reshape(4 * n_a, T_x, m)  # zx[:, t]: input part of the gates
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    c = np.zeros((n_a, m, T_x), dtype=x.dtype)
    cache_list = []
    a_prev, c_prev = a0, np.zeros((n_a, m), dtype=x.dtype)
    for t in range(T_x):
        z = zx[:, t] + W_a @ a_prev  # pre-activations of the four gates, (4 n_a, m)
        sig = sigmoid(z[: 3 * n_a])
        ft, it, ot = sig[:n_a], sig[n_a : 2 * n_a], sig[2 * n_a :]
        cct = np.tanh(z[3 * n_a :])
        c_next = ft * c_prev + it * cct
        a_next = ot * np.tanh(c_next)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        cache_list.append((a_next, c_next, a_prev, c_prev, ft, it, cct, ot, x[:, :, t], parameters))
        a_prev, c_prev = a_next, c_next
    scores = parameters["Wy"] @ a.reshape(n_a, m * T_x) + parameters["by"]
    y = softmax(scores).reshape(n_y, m, T_x)
    return a, y, c, (cache_list, x)


def lstm_backward(da, caches):
    """lstm_backward of solutions/lstm_gru.py (same arguments, results and caches), arranged for speed."""
    # The hidden state a_t receives da[:, :, t] from the outputs plus da_prev from step t+1; the
    # cell state c_t receives only dc_prev from step t+1 (it flows back through the forget gate).
    # The gradients are those of calling lstm_cell_backward at every step and summing, but only
    # the recurrence stays inside the loop: at each step, the gradients at the pre-activations of
    # the four gates (stacked [f; i; o; c], as in lstm_forward), and from them da_prev and dc_prev.
    # A weight gradient is a sum over the steps of (gate gradient) @ (gate input).T: with all the
    # steps side by side that is ONE matrix product after the loop; so is dx.
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    parameters = cache_list[0][9]
    gates = [parameters["Wf"], parameters["Wi"], parameters["Wo"], parameters["Wc"]]
    W_a = np.concatenate([W[:, :n_a] for W in gates])  # stacked as in lstm_forward
    W_x = np.concatenate([W[:, n_a:] for W in gates])
    dz = np.zeros((4 * n_a, T_x, m), dtype=da.dtype)  # dz[:, t]: gate pre-activations, step t
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    dc_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        tanh_c = np.tanh(c_next)
        dc = dc_prev + da_next * ot * (1 - tanh_c**2)
        dz[:n_a, t] = dc * c_prev * ft * (1 - ft)
        dz[n_a : 2 * n_a, t] = dc * cct * it * (1 - it)
        dz[2 * n_a : 3 * n_a, t] = da_next * tanh_c * ot * (1 - ot)
        dz[3 * n_a :, t] = dc * it * (1 - cct**2)
        da_prev = W_a.T @ dz[:, t]
        dc_prev = dc * ft
    # All steps side by side, step after step (column t * m + i), as in lstm_forward.
    dz = dz.reshape(4 * n_a, T_x * m)
    a_prevs = np.stack([cache[2] for cache in cache_list], axis=1).reshape(n_a, T_x * m)
    x_steps = x.transpose(0, 2, 1).reshape(n_x, T_x * m)
    dW = dz @ np.concatenate([a_prevs, x_steps]).T  # (4 n_a, n_a + n_x)
    db = dz.sum(axis=1, keepdims=True)
    dx = (W_x.T @ dz).reshape(n_x, T_x, m).transpose(0, 2, 1)
    gradients = {"dx": np.ascontiguousarray(dx), "da0": da_prev}
    for k, gate in enumerate("fioc"):
        gradients["dW" + gate] = dW[k * n_a : (k + 1) * n_a]
        gradients["db" + gate] = db[k * n_a : (k + 1) * n_a]
    return gradients


def gru_forward(x, a0, parameters):
    """gru_forward of solutions/lstm_gru.py (same arguments, results and caches), arranged for speed."""
    # The results and caches are those of calling gru_cell_forward at every time step, but only
    # the work that needs the previous step stays inside the loop. The weights are stacked as in
    # PyTorch (rows [r; z; n]) into W_x, acting on xt, and W_a, acting on a_prev; the products
    # W_x xt of all T_x steps are one matrix product before the loop, and the softmax output layer
    # of all steps is one matrix product after it.
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    Wr, Wz = parameters["Wr"], parameters["Wz"]
    W_x = np.concatenate([Wr[:, n_a:], Wz[:, n_a:], parameters["Wnx"]])  # (3 n_a, n_x)
    W_a = np.concatenate([Wr[:, :n_a], Wz[:, :n_a], parameters["Wna"]])  # (3 n_a, n_a)
    b_x = np.concatenate([parameters["br"], parameters["bz"], parameters["bnx"]])
    # The inputs of all steps side by side, step after step: column t * m + i is x[:, i, t].
    x_steps = x.transpose(0, 2, 1).reshape(n_x, T_x * m)
    zx = (W_x @ x_steps + b_x).reshape(3 * n_a, T_x, m)  # zx[:, t]: input part, step t
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    cache_list = []
    a_prev = a0
    for t in range(T_x):
        za = W_a @ a_prev  # hidden part of [r; z; n], (3 n_a, m)
        rz = sigmoid(zx[: 2 * n_a, t] + za[: 2 * n_a])
        r, z = rz[:n_a], rz[n_a:]
        hn = za[2 * n_a :] + parameters["bna"]
        n = np.tanh(zx[2 * n_a :, t] + r * hn)
        a_next = (1 - z) * n + z * a_prev
        a[:, :, t] = a_next
        cache_list.append((a_next, a_prev, x[:, :, t], r, z, n, hn, parameters))
        a_prev = a_next
    scores = parameters["Wy"] @ a.reshape(n_a, m * T_x) + parameters["by"]
    y_pred = softmax(scores).reshape(n_y, m, T_x)
    return a, y_pred, (cache_list, x)


def gru_backward(da, caches):
    """gru_backward of solutions/lstm_gru.py (same arguments, results and caches), arranged for speed."""
    # The hidden state a_t receives da[:, :, t] from the outputs plus da_prev from step t+1. The
    # gradients are those of calling gru_cell_backward at every step and summing, but only the
    # recurrence stays inside the loop: at each step, the gradients at the pre-activations and
    # from them da_prev. With the weights stacked as in gru_forward, the weight gradients are sums
    # over the steps of (gradient) @ (input).T: with all the steps side by side, ONE matrix product
    # each after the loop; so is dx.
    cache_list, x = caches
    n_a, m, T_x = da.shape
    n_x = x.shape[0]
    parameters = cache_list[0][7]
    Wr, Wz = parameters["Wr"], parameters["Wz"]
    W_x = np.concatenate([Wr[:, n_a:], Wz[:, n_a:], parameters["Wnx"]])
    W_a = np.concatenate([Wr[:, :n_a], Wz[:, :n_a], parameters["Wna"]])
    dza = np.zeros((3 * n_a, T_x, m), dtype=da.dtype)  # at W_a a_prev (+ bna): [dr; dz; dhn]
    dn_all = np.zeros((n_a, T_x, m), dtype=da.dtype)  # at the candidate's pre-activation
    da_prev = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        a_next, a_prev, xt, r, z, n, hn, _ = cache_list[t]
        da_next = da[:, :, t] + da_prev
        dn = da_next * (1 - z) * (1 - n**2)
        dn_all[:, t] = dn
        dza[:n_a, t] = dn * hn * r * (1 - r)
        dza[n_a : 2 * n_a, t] = da_next * (a_prev - n) * z * (1 - z)
        dza[2 * n_a :, t] = dn * r
        da_prev = W_a.T @ dza[:, t] + da_next * z
    # All steps side by side, step after step (column t * m + i), as in gru_forward.
    dza = dza.reshape(3 * n_a, T_x * m)
    dzx = np.concatenate([dza[: 2 * n_a], dn_all.reshape(n_a, T_x * m)])  # at W_x xt + b_x
    a_prevs = np.stack([cache[1] for cache in cache_list], axis=1).reshape(n_a, T_x * m)
    x_steps = x.transpose(0, 2, 1).reshape(n_x, T_x * m)
    dW_a = dza @ a_prevs.T  # (3 n_a, n_a)
    dW_x = dzx @ x_steps.T  # (3 n_a, n_x)
    db_x = dzx.sum(axis=1, keepdims=True)
    dx = (W_x.T @ dzx).reshape(n_x, T_x, m).transpose(0, 2, 1)
    return {
        "dx": np.ascontiguousarray(dx),
        "da0": da_prev,
        "dWr": np.hstack([dW_a[:n_a], dW_x[:n_a]]),
        "dbr": db_x[:n_a],
        "dWz": np.hstack([dW_a[n_a : 2 * n_a], dW_x[n_a : 2 * n_a]]),
        "dbz": db_x[n_a : 2 * n_a],
        "dWnx": dW_x[2 * n_a :],
        "dbnx": db_x[2 * n_a :],
        "dWna": dW_a[2 * n_a :],
        "dbna": dza[2 * n_a :].sum(axis=1, keepdims=True),
    }
