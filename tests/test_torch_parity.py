"""The numpy reference RNN, LSTM and GRU agree with PyTorch's, forward and backward.

Our weights are copied into torch.nn.RNNCell/RNN, LSTMCell/LSTM and GRUCell/GRU (float64). Both
sides then run on the same random inputs; the hidden states must agree, and so must every input
and parameter gradient for the loss sum(hidden * da) with a random upstream gradient da on every
hidden state. Torch has no softmax head, so only hidden (and cell) states are compared. The
LSTM and GRU sequences are compared twice: the answer key's loops over the cell, and the
versions arranged for speed that bench/bench_recurrent_vs_torch.py times (bench/fast/lstm_gru.py).

Weight mapping. Our gate matrices act on [a_prev; xt]: their first n_a columns are torch's
weight_hh rows, the remaining n_x columns are torch's weight_ih rows. Torch stacks the gates
along the rows in the order i, f, g(=c), o for the LSTM and r, z, n for the GRU. Torch has two
biases, b_ih and b_hh; we put our bias into b_ih and zero into b_hh, except for the GRU's
candidate state, whose hidden bias bna sits inside r * (W_hn a_prev + b_hn) and maps to b_hn.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import optional_import

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from fast import lstm_gru as fast  # noqa: E402

from solutions import lstm_gru as reference  # noqa: E402
from solutions.lstm_gru import (  # noqa: E402
    gru_cell_backward,
    gru_cell_forward,
    init_gru_parameters,
    init_lstm_parameters,
    lstm_cell_backward,
    lstm_cell_forward,
)
from solutions.rnn_backward import rnn_backward, rnn_cell_backward  # noqa: E402
from solutions.rnn_forward import (  # noqa: E402
    init_rnn_parameters,
    rnn_cell_forward,
    rnn_forward,
    to_batch_first,
    to_time_major,
)

torch = optional_import(
    "torch",
    "run `make test` with CI=true, or `.venv/bin/pip install torch==2.13.0`, to run the PyTorch comparison",
)

# Numerical results: CI runs these on both numpy code paths (see the Makefile).
pytestmark = pytest.mark.numerical

TOL = 1e-10
SEEDS = [0, 1, 2]
ARRANGEMENTS = {"answer key": reference, "fast": fast}


def max_rel_error(ours, theirs):
    """max |ours - theirs| / max |theirs|; theirs may be a torch tensor."""
    if isinstance(theirs, torch.Tensor):
        theirs = theirs.detach().numpy()
    assert ours.shape == theirs.shape
    return float(np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-300))


def random_problem(init, seed):
    """Random shapes, parameters with non-zero biases, inputs and upstream gradients."""
    rng = np.random.default_rng(seed)
    n_x, n_a, n_y, m, T_x = (int(v) for v in rng.integers(2, 8, size=5))
    parameters = init(n_x, n_a, n_y, seed=seed)
    for name, value in parameters.items():
        if name.startswith("b"):
            parameters[name] = 0.5 * rng.standard_normal(value.shape)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    da = rng.standard_normal((n_a, m, T_x))
    dc = rng.standard_normal((n_a, m))
    return parameters, x, a0, da, dc


def tensor(array):
    """A float64 leaf tensor that records its gradient."""
    return torch.tensor(np.ascontiguousarray(array), dtype=torch.float64, requires_grad=True)


def set_weights(module, weight_ih, weight_hh, bias_ih, bias_hh, suffix=""):
    """Copy numpy arrays into a float64 torch module's weights (suffix "_l0" for nn.RNN etc)."""
    module.double()
    with torch.no_grad():
        for name, value in (
            ("weight_ih", weight_ih),
            ("weight_hh", weight_hh),
            ("bias_ih", bias_ih),
            ("bias_hh", bias_hh),
        ):
            getattr(module, name + suffix).copy_(torch.from_numpy(np.ascontiguousarray(value)))


def torch_grads(module, suffix=""):
    """(weight_ih, weight_hh, bias_ih, bias_hh) gradients of a torch module as numpy arrays."""
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    return [getattr(module, name + suffix).grad.numpy() for name in names]


def rnn_weights(p):
    n_a = p["Waa"].shape[0]
    return p["Wax"], p["Waa"], p["ba"][:, 0], np.zeros(n_a)


def lstm_weights(p):
    n_a = p["Wf"].shape[0]
    order = "ifco"  # torch's i, f, g, o
    weight_ih = np.vstack([p["W" + g][:, n_a:] for g in order])
    weight_hh = np.vstack([p["W" + g][:, :n_a] for g in order])
    bias_ih = np.concatenate([p["b" + g][:, 0] for g in order])
    return weight_ih, weight_hh, bias_ih, np.zeros(4 * n_a)


def gru_weights(p):
    n_a = p["Wna"].shape[0]
    weight_ih = np.vstack([p["Wr"][:, n_a:], p["Wz"][:, n_a:], p["Wnx"]])
    weight_hh = np.vstack([p["Wr"][:, :n_a], p["Wz"][:, :n_a], p["Wna"]])
    bias_ih = np.concatenate([p["br"][:, 0], p["bz"][:, 0], p["bnx"][:, 0]])
    bias_hh = np.concatenate([np.zeros(2 * n_a), p["bna"][:, 0]])
    return weight_ih, weight_hh, bias_ih, bias_hh


def check_lstm_param_grads(grads, g_ih, g_hh, g_bih, n_a):
    for k, gate in enumerate("ifco"):
        rows = slice(k * n_a, (k + 1) * n_a)
        dW = np.hstack([g_hh[rows], g_ih[rows]])
        assert max_rel_error(grads["dW" + gate], dW) < TOL, gate
        assert max_rel_error(grads["db" + gate], g_bih[rows, None]) < TOL, gate


def check_gru_param_grads(grads, g_ih, g_hh, g_bih, g_bhh, n_a):
    for k, gate in enumerate("rz"):
        rows = slice(k * n_a, (k + 1) * n_a)
        assert max_rel_error(grads["dW" + gate], np.hstack([g_hh[rows], g_ih[rows]])) < TOL
        assert max_rel_error(grads["db" + gate], g_bih[rows, None]) < TOL
    n_rows = slice(2 * n_a, 3 * n_a)
    assert max_rel_error(grads["dWnx"], g_ih[n_rows]) < TOL
    assert max_rel_error(grads["dWna"], g_hh[n_rows]) < TOL
    assert max_rel_error(grads["dbnx"], g_bih[n_rows, None]) < TOL
    assert max_rel_error(grads["dbna"], g_bhh[n_rows, None]) < TOL


@pytest.mark.parametrize("seed", SEEDS)
def test_rnn_cell(seed):
    p, x, a0, da, _ = random_problem(init_rnn_parameters, seed)
    xt, da_next = x[:, :, 0], da[:, :, 0]
    a_next, _, cache = rnn_cell_forward(xt, a0, p)
    grads = rnn_cell_backward(da_next, cache)

    cell = torch.nn.RNNCell(xt.shape[0], a0.shape[0], nonlinearity="tanh")
    set_weights(cell, *rnn_weights(p))
    xt_t, h0 = tensor(xt.T), tensor(a0.T)
    h = cell(xt_t, h0)
    (h * torch.from_numpy(da_next.T)).sum().backward()
    g_ih, g_hh, g_bih, _ = torch_grads(cell)

    assert max_rel_error(a_next, h.T) < TOL
    assert max_rel_error(grads["dxt"], xt_t.grad.T) < TOL
    assert max_rel_error(grads["da_prev"], h0.grad.T) < TOL
    assert max_rel_error(grads["dWax"], g_ih) < TOL
    assert max_rel_error(grads["dWaa"], g_hh) < TOL
    assert max_rel_error(grads["dba"], g_bih[:, None]) < TOL


@pytest.mark.parametrize("seed", SEEDS)
def test_rnn_sequence(seed):
    p, x, a0, da, _ = random_problem(init_rnn_parameters, seed)
    a, _, caches = rnn_forward(x, a0, p)
    grads = rnn_backward(da, caches)

    rnn = torch.nn.RNN(x.shape[0], a0.shape[0], nonlinearity="tanh", batch_first=True)
    set_weights(rnn, *rnn_weights(p), suffix="_l0")
    x_t, h0 = tensor(to_batch_first(x)), tensor(a0.T[None])
    h, h_last = rnn(x_t, h0)
    (h * torch.from_numpy(np.ascontiguousarray(to_batch_first(da)))).sum().backward()
    g_ih, g_hh, g_bih, _ = torch_grads(rnn, "_l0")

    assert max_rel_error(a, to_time_major(h.detach().numpy())) < TOL
    assert max_rel_error(a[:, :, -1], h_last[0].T) < TOL
    assert max_rel_error(grads["dx"], to_time_major(x_t.grad.numpy())) < TOL
    assert max_rel_error(grads["da0"], h0.grad[0].T) < TOL
    assert max_rel_error(grads["dWax"], g_ih) < TOL
    assert max_rel_error(grads["dWaa"], g_hh) < TOL
    assert max_rel_error(grads["dba"], g_bih[:, None]) < TOL


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_cell(seed):
    p, x, a0, da, dc = random_problem(init_lstm_parameters, seed)
    xt, da_next = x[:, :, 0], da[:, :, 0]
    c_prev = da[:, :, -1]  # any random (n_a, m) array
    a_next, c_next, _, cache = lstm_cell_forward(xt, a0, c_prev, p)
    grads = lstm_cell_backward(da_next, dc, cache)

    n_a = a0.shape[0]
    cell = torch.nn.LSTMCell(xt.shape[0], n_a)
    set_weights(cell, *lstm_weights(p))
    xt_t, h0, c0 = tensor(xt.T), tensor(a0.T), tensor(c_prev.T)
    h, c = cell(xt_t, (h0, c0))
    loss = (h * torch.from_numpy(da_next.T)).sum() + (c * torch.from_numpy(dc.T)).sum()
    loss.backward()
    g_ih, g_hh, g_bih, _ = torch_grads(cell)

    assert max_rel_error(a_next, h.T) < TOL
    assert max_rel_error(c_next, c.T) < TOL
    assert max_rel_error(grads["dxt"], xt_t.grad.T) < TOL
    assert max_rel_error(grads["da_prev"], h0.grad.T) < TOL
    assert max_rel_error(grads["dc_prev"], c0.grad.T) < TOL
    check_lstm_param_grads(grads, g_ih, g_hh, g_bih, n_a)


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_sequence(seed, arrangement):
    module = ARRANGEMENTS[arrangement]
    p, x, a0, da, _ = random_problem(init_lstm_parameters, seed)
    a, _, c, caches = module.lstm_forward(x, a0, p)
    grads = module.lstm_backward(da, caches)

    n_a = a0.shape[0]
    lstm = torch.nn.LSTM(x.shape[0], n_a, batch_first=True)
    set_weights(lstm, *lstm_weights(p), suffix="_l0")
    x_t, h0 = tensor(to_batch_first(x)), tensor(a0.T[None])
    c0 = torch.zeros_like(h0)
    h, (h_last, c_last) = lstm(x_t, (h0, c0))
    (h * torch.from_numpy(np.ascontiguousarray(to_batch_first(da)))).sum().backward()
    g_ih, g_hh, g_bih, _ = torch_grads(lstm, "_l0")

    assert max_rel_error(a, to_time_major(h.detach().numpy())) < TOL
    assert max_rel_error(c[:, :, -1], c_last[0].T) < TOL
    assert max_rel_error(grads["dx"], to_time_major(x_t.grad.numpy())) < TOL
    assert max_rel_error(grads["da0"], h0.grad[0].T) < TOL
    check_lstm_param_grads(grads, g_ih, g_hh, g_bih, n_a)


@pytest.mark.parametrize("seed", SEEDS)
def test_gru_cell(seed):
    p, x, a0, da, _ = random_problem(init_gru_parameters, seed)
    xt, da_next = x[:, :, 0], da[:, :, 0]
    a_next, _, cache = gru_cell_forward(xt, a0, p)
    grads = gru_cell_backward(da_next, cache)

    n_a = a0.shape[0]
    cell = torch.nn.GRUCell(xt.shape[0], n_a)
    set_weights(cell, *gru_weights(p))
    xt_t, h0 = tensor(xt.T), tensor(a0.T)
    h = cell(xt_t, h0)
    (h * torch.from_numpy(da_next.T)).sum().backward()

    assert max_rel_error(a_next, h.T) < TOL
    assert max_rel_error(grads["dxt"], xt_t.grad.T) < TOL
    assert max_rel_error(grads["da_prev"], h0.grad.T) < TOL
    check_gru_param_grads(grads, *torch_grads(cell), n_a)


@pytest.mark.parametrize("arrangement", ARRANGEMENTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_gru_sequence(seed, arrangement):
    module = ARRANGEMENTS[arrangement]
    p, x, a0, da, _ = random_problem(init_gru_parameters, seed)
    a, _, caches = module.gru_forward(x, a0, p)
    grads = module.gru_backward(da, caches)

    n_a = a0.shape[0]
    gru = torch.nn.GRU(x.shape[0], n_a, batch_first=True)
    set_weights(gru, *gru_weights(p), suffix="_l0")
    x_t, h0 = tensor(to_batch_first(x)), tensor(a0.T[None])
    h, h_last = gru(x_t, h0)
    (h * torch.from_numpy(np.ascontiguousarray(to_batch_first(da)))).sum().backward()

    assert max_rel_error(a, to_time_major(h.detach().numpy())) < TOL
    assert max_rel_error(a[:, :, -1], h_last[0].T) < TOL
    assert max_rel_error(grads["dx"], to_time_major(x_t.grad.numpy())) < TOL
    assert max_rel_error(grads["da0"], h0.grad[0].T) < TOL
    check_gru_param_grads(grads, *torch_grads(gru, "_l0"), n_a)
