"""Assignment 06: LSTM and GRU cells, forward and backward.

Same layout as assignments 04 and 05: sequences have shape (n_x, m, T_x), hidden states
(n_a, m, T_x). The gates look at concat = [a_prev; xt], the hidden state stacked on top of the
input, shape (n_a + n_x, m). The GRU follows the PyTorch equations so that its weights map
one-to-one onto torch.nn.GRU.
"""

import numpy as np

from solutions.rnn_forward import softmax
from solutions.spiral_activations import sigmoid


def init_lstm_parameters(n_x, n_a, n_y, seed=0, dtype=np.float64):
    """Random parameters for an LSTM with a softmax output layer.

    Weights are drawn from a normal distribution with standard deviation 1 / sqrt(fan_in)
    (fan_in = n_a + n_x for the gates, n_a for the output layer); biases are zero.

    Inputs:
    - n_x: number of input features.
    - n_a: number of hidden units.
    - n_y: number of output classes.
    - seed: seed of the random generator (np.random.default_rng), an int.
    - dtype: float dtype of the arrays.

    Returns:
    - parameters: dictionary with
      - Wf, Wi, Wc, Wo: weights of the forget gate, update (input) gate, candidate cell and
        output gate, each of shape (n_a, n_a + n_x), acting on [a_prev; xt].
      - bf, bi, bc, bo: their biases, each of shape (n_a, 1).
      - Wy: hidden-to-output weights, shape (n_y, n_a).
      - by: output bias, shape (n_y, 1).
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for gate in "fico":
        W = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
        parameters["W" + gate] = W.astype(dtype)
        parameters["b" + gate] = np.zeros((n_a, 1), dtype=dtype)
    parameters["Wy"] = (rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)).astype(dtype)
    parameters["by"] = np.zeros((n_y, 1), dtype=dtype)
    return parameters


def init_gru_parameters(n_x, n_a, n_y, seed=0, dtype=np.float64):
    """Random parameters for a GRU with a softmax output layer.

    Weights are drawn from a normal distribution with standard deviation 1 / sqrt(fan_in),
    where fan_in is the size of the vector the matrix multiplies; biases are zero.

    Inputs:
    - n_x: number of input features.
    - n_a: number of hidden units.
    - n_y: number of output classes.
    - seed: seed of the random generator (np.random.default_rng), an int.
    - dtype: float dtype of the arrays.

    Returns:
    - parameters: dictionary with
      - Wr, Wz: weights of the reset gate and update gate, shape (n_a, n_a + n_x), acting on
        [a_prev; xt].
      - br, bz: their biases, shape (n_a, 1).
      - Wnx: input weights of the candidate state, shape (n_a, n_x); bnx: its bias (n_a, 1).
      - Wna: hidden weights of the candidate state, shape (n_a, n_a); bna: its bias (n_a, 1).
      - Wy: hidden-to-output weights, shape (n_y, n_a); by: output bias, shape (n_y, 1).
    """
    rng = np.random.default_rng(seed)
    weight_shapes = {
        "Wr": (n_a, n_a + n_x),
        "Wz": (n_a, n_a + n_x),
        "Wnx": (n_a, n_x),
        "Wna": (n_a, n_a),
        "Wy": (n_y, n_a),
    }
    parameters = {}
    for name, (rows, fan_in) in weight_shapes.items():
        W = rng.standard_normal((rows, fan_in)) / np.sqrt(fan_in)
        parameters[name] = W.astype(dtype)
        parameters["b" + name[1:]] = np.zeros((rows, 1), dtype=dtype)  # br, bz, bnx, bna, by
    return parameters


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """One time step of an LSTM cell.

    With concat = [a_prev; xt]:
      ft = sigmoid(Wf concat + bf)          forget gate
      it = sigmoid(Wi concat + bi)          update (input) gate
      cct = tanh(Wc concat + bc)            candidate cell state
      c_next = ft * c_prev + it * cct
      ot = sigmoid(Wo concat + bo)          output gate
      a_next = ot * tanh(c_next)
      yt_pred = softmax(Wy a_next + by)

    Inputs:
    - xt: inputs at time step t, shape (n_x, m).
    - a_prev: hidden state at time step t-1, shape (n_a, m).
    - c_prev: cell state at time step t-1, shape (n_a, m).
    - parameters: dictionary with Wf, Wi, Wc, Wo (each (n_a, n_a + n_x)), bf, bi, bc, bo
      (each (n_a, 1)), Wy (n_y, n_a) and by (n_y, 1); see init_lstm_parameters.

    Returns:
    - a_next: hidden state at time step t, shape (n_a, m).
    - c_next: cell state at time step t, shape (n_a, m).
    - yt_pred: predicted class probabilities at time step t, shape (n_y, m).
    - cache: tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) for
      lstm_cell_backward.
    """
    concat = np.concatenate([a_prev, xt])
    ft = sigmoid(parameters["Wf"] @ concat + parameters["bf"])
    it = sigmoid(parameters["Wi"] @ concat + parameters["bi"])
    cct = np.tanh(parameters["Wc"] @ concat + parameters["bc"])
    c_next = ft * c_prev + it * cct
    ot = sigmoid(parameters["Wo"] @ concat + parameters["bo"])
    a_next = ot * np.tanh(c_next)
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    """Forward pass of an LSTM over a whole sequence; the initial cell state is zero.

    Inputs:
    - x: input sequence, shape (n_x, m, T_x).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary of weights, as in lstm_cell_forward.

    Returns:
    - a: hidden states of every time step, shape (n_a, m, T_x), dtype of x.
    - y: predicted class probabilities of every time step, shape (n_y, m, T_x).
    - c: cell states of every time step, shape (n_a, m, T_x).
    - caches: tuple (list of the T_x caches of lstm_cell_forward, x) for lstm_backward.
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    c = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y = np.zeros((n_y, m, T_x), dtype=x.dtype)
    cache_list = []
    a_next, c_next = a0, np.zeros((n_a, m), dtype=x.dtype)
    for t in range(T_x):
        a_next, c_next, yt_pred, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt_pred
        cache_list.append(cache)
    return a, y, c, (cache_list, x)


def lstm_cell_backward(da_next, dc_next, cache):
    """Backward pass of one time step of an LSTM cell.

    Inputs:
    - da_next: gradient of the loss with respect to a_next, shape (n_a, m).
    - dc_next: gradient of the loss with respect to c_next coming from the next time step,
      shape (n_a, m).
    - cache: tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) from
      lstm_cell_forward.

    Returns:
    - gradients: dictionary with
      - dxt: gradient with respect to xt, shape (n_x, m).
      - da_prev: gradient with respect to a_prev, shape (n_a, m).
      - dc_prev: gradient with respect to c_prev, shape (n_a, m).
      - dWf, dWi, dWc, dWo: gradients with respect to the gate weights, shape (n_a, n_a + n_x).
      - dbf, dbi, dbc, dbo: gradients with respect to the gate biases, shape (n_a, 1).
    """
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters = cache
    n_a = a_next.shape[0]
    tanh_c = np.tanh(c_next)
    # Total gradient on c_next: directly from the next step, and through a_next = ot * tanh(c).
    dc = dc_next + da_next * ot * (1 - tanh_c**2)
    # Gradients at the inputs of the gate nonlinearities (sigmoid' = s (1 - s), tanh' = 1 - t^2).
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = dc * it * (1 - cct**2)
    dit = dc * cct * it * (1 - it)
    dft = dc * c_prev * ft * (1 - ft)
    concat = np.concatenate([a_prev, xt])
    dconcat = (
        parameters["Wf"].T @ dft
        + parameters["Wi"].T @ dit
        + parameters["Wc"].T @ dcct
        + parameters["Wo"].T @ dot
    )
    return {
        "dxt": dconcat[n_a:],
        "da_prev": dconcat[:n_a],
        "dc_prev": dc * ft,
        "dWf": dft @ concat.T,
        "dWi": dit @ concat.T,
        "dWc": dcct @ concat.T,
        "dWo": dot @ concat.T,
        "dbf": dft.sum(axis=1, keepdims=True),
        "dbi": dit.sum(axis=1, keepdims=True),
        "dbc": dcct.sum(axis=1, keepdims=True),
        "dbo": dot.sum(axis=1, keepdims=True),
    }


def lstm_backward(da, caches):
    """Backpropagation through time for an LSTM.

    The gradients are those of the whole sequence: of every step, through every path.

    Inputs:
    - da: gradient of the loss with respect to every hidden state, coming from the outputs,
      shape (n_a, m, T_x).
    - caches: tuple (list of T_x cell caches, x) from lstm_forward.

    Returns:
    - gradients: dictionary with
      - dx: gradient with respect to the inputs x, shape (n_x, m, T_x).
      - da0: gradient with respect to the initial hidden state a0, shape (n_a, m).
      - dWf, dWi, dWc, dWo: gradients with respect to the gate weights, shape (n_a, n_a + n_x).
      - dbf, dbi, dbc, dbo: gradients with respect to the gate biases, shape (n_a, 1).
    """
    # The hidden state a_t receives da[:, :, t] from the outputs plus da_prev from step t+1; the
    # cell state c_t receives only dc_prev from step t+1. The weights are the same at every step,
    # so their gradients are summed over the steps.
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][9]
    dx = np.zeros(x.shape, dtype=da.dtype)
    gradients = {
        f"d{name}": np.zeros(parameters[name].shape, dtype=da.dtype)
        for name in ("Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo")
    }
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    dc_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        grads = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, cache_list[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt, dc_prevt = grads["da_prev"], grads["dc_prev"]
        for name in gradients:
            gradients[name] += grads[name]
    return {"dx": dx, "da0": da_prevt, **gradients}


def gru_cell_forward(xt, a_prev, parameters):
    """One time step of a GRU cell (PyTorch's equations), with a softmax output layer.

    With concat = [a_prev; xt]:
      r = sigmoid(Wr concat + br)                        reset gate
      z = sigmoid(Wz concat + bz)                        update gate
      n = tanh(Wnx xt + bnx + r * (Wna a_prev + bna))    candidate state
      a_next = (1 - z) * n + z * a_prev
      yt_pred = softmax(Wy a_next + by)
    The candidate state has separate input and hidden weights because the reset gate multiplies
    only the hidden part. The signature and outputs are those of rnn_cell_forward, so a GRU cell
    can replace an RNN cell.

    Inputs:
    - xt: inputs at time step t, shape (n_x, m).
    - a_prev: hidden state at time step t-1, shape (n_a, m).
    - parameters: dictionary with Wr, Wz (each (n_a, n_a + n_x)), br, bz (each (n_a, 1)),
      Wnx (n_a, n_x), bnx (n_a, 1), Wna (n_a, n_a), bna (n_a, 1), Wy (n_y, n_a) and
      by (n_y, 1); see init_gru_parameters.

    Returns:
    - a_next: hidden state at time step t, shape (n_a, m).
    - yt_pred: predicted class probabilities at time step t, shape (n_y, m).
    - cache: tuple (a_next, a_prev, xt, r, z, n, hn, parameters) for gru_cell_backward, where
      hn = Wna a_prev + bna, shape (n_a, m), is the hidden part of the candidate state.
    """
    concat = np.concatenate([a_prev, xt])
    r = sigmoid(parameters["Wr"] @ concat + parameters["br"])
    z = sigmoid(parameters["Wz"] @ concat + parameters["bz"])
    hn = parameters["Wna"] @ a_prev + parameters["bna"]
    n = np.tanh(parameters["Wnx"] @ xt + parameters["bnx"] + r * hn)
    a_next = (1 - z) * n + z * a_prev
    yt_pred = softmax(parameters["Wy"] @ a_next + parameters["by"])
    cache = (a_next, a_prev, xt, r, z, n, hn, parameters)
    return a_next, yt_pred, cache


def gru_forward(x, a0, parameters):
    """Forward pass of a GRU over a whole sequence.

    Inputs:
    - x: input sequence, shape (n_x, m, T_x).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary of weights, as in gru_cell_forward.

    Returns:
    - a: hidden states of every time step, shape (n_a, m, T_x), dtype of x.
    - y_pred: predicted class probabilities of every time step, shape (n_y, m, T_x).
    - caches: tuple (list of the T_x caches of gru_cell_forward, x) for gru_backward.
    """
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y_pred = np.zeros((n_y, m, T_x), dtype=x.dtype)
    cache_list = []
    a_next = a0
    for t in range(T_x):
        a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, parameters)
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        cache_list.append(cache)
    return a, y_pred, (cache_list, x)


def gru_cell_backward(da_next, cache):
    """Backward pass of one time step of a GRU cell.

    Inputs:
    - da_next: gradient of the loss with respect to a_next, shape (n_a, m).
    - cache: tuple (a_next, a_prev, xt, r, z, n, hn, parameters) from gru_cell_forward.

    Returns:
    - gradients: dictionary with
      - dxt: gradient with respect to xt, shape (n_x, m).
      - da_prev: gradient with respect to a_prev, shape (n_a, m).
      - dWr, dWz: gradients with respect to the gate weights, shape (n_a, n_a + n_x).
      - dbr, dbz: gradients with respect to the gate biases, shape (n_a, 1).
      - dWnx: gradient with respect to Wnx, shape (n_a, n_x); dbnx: w.r.t. bnx, (n_a, 1).
      - dWna: gradient with respect to Wna, shape (n_a, n_a); dbna: w.r.t. bna, (n_a, 1).
    """
    a_next, a_prev, xt, r, z, n, hn, parameters = cache
    n_a = a_next.shape[0]
    # Gradients at the inputs of tanh (candidate) and of the two sigmoids (gates).
    dn = da_next * (1 - z) * (1 - n**2)
    dz = da_next * (a_prev - n) * z * (1 - z)
    dhn = dn * r
    dr = dn * hn * r * (1 - r)
    concat = np.concatenate([a_prev, xt])
    dconcat = parameters["Wr"].T @ dr + parameters["Wz"].T @ dz
    return {
        "dxt": dconcat[n_a:] + parameters["Wnx"].T @ dn,
        "da_prev": dconcat[:n_a] + parameters["Wna"].T @ dhn + da_next * z,
        "dWr": dr @ concat.T,
        "dbr": dr.sum(axis=1, keepdims=True),
        "dWz": dz @ concat.T,
        "dbz": dz.sum(axis=1, keepdims=True),
        "dWnx": dn @ xt.T,
        "dbnx": dn.sum(axis=1, keepdims=True),
        "dWna": dhn @ a_prev.T,
        "dbna": dhn.sum(axis=1, keepdims=True),
    }


def gru_backward(da, caches):
    """Backpropagation through time for a GRU.

    The gradients are those of the whole sequence: of every step, through every path.

    Inputs:
    - da: gradient of the loss with respect to every hidden state, coming from the outputs,
      shape (n_a, m, T_x).
    - caches: tuple (list of T_x cell caches, x) from gru_forward.

    Returns:
    - gradients: dictionary with
      - dx: gradient with respect to the inputs x, shape (n_x, m, T_x).
      - da0: gradient with respect to the initial hidden state a0, shape (n_a, m).
      - dWr, dbr, dWz, dbz, dWnx, dbnx, dWna, dbna: gradients with respect to the parameters of
        the same name (without the d), each of the shape of that parameter.
    """
    # The hidden state a_t receives da[:, :, t] from the outputs plus da_prev from step t+1. The
    # weights are the same at every step, so their gradients are summed over the steps.
    cache_list, x = caches
    n_a, m, T_x = da.shape
    parameters = cache_list[0][7]
    dx = np.zeros(x.shape, dtype=da.dtype)
    gradients = {
        f"d{name}": np.zeros(parameters[name].shape, dtype=da.dtype)
        for name in ("Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna")
    }
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    for t in reversed(range(T_x)):
        grads = gru_cell_backward(da[:, :, t] + da_prevt, cache_list[t])
        dx[:, :, t] = grads["dxt"]
        da_prevt = grads["da_prev"]
        for name in gradients:
            gradients[name] += grads[name]
    return {"dx": dx, "da0": da_prevt, **gradients}
