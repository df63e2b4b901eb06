"""Numerical gradient checks and behaviour tests of the recurrent reference implementations.

Every backward function (RNN, LSTM, GRU; one cell and whole sequence) is checked against
centered differences in float64, for every input and parameter gradient it returns.
"""

import numpy as np
import pytest
from gradcheck import assert_gradient_close

from solutions.lstm_gru import (
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    init_gru_parameters,
    init_lstm_parameters,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    sigmoid,
)
from solutions.rnn_backward import (
    clip,
    clip_by_norm,
    gradient_norms_through_time,
    rnn_backward,
    rnn_cell_backward,
)
from solutions.rnn_forward import (
    init_rnn_parameters,
    rnn_cell_forward,
    rnn_forward,
    softmax,
    to_batch_first,
    to_time_major,
)
from solutions.softmax_classifier import eval_numerical_gradient

# Numerical results: CI runs these on both numpy code paths (see the Makefile).
pytestmark = pytest.mark.numerical

N_X, N_A, N_Y, M, T_X = 3, 5, 4, 2, 4
INIT = {"rnn": init_rnn_parameters, "lstm": init_lstm_parameters, "gru": init_gru_parameters}
FORWARD = {"rnn": rnn_forward, "lstm": lstm_forward, "gru": gru_forward}
BACKWARD = {"rnn": rnn_backward, "lstm": lstm_backward, "gru": gru_backward}
GATE_PARAMS = {
    "rnn": ["Wax", "Waa", "ba"],
    "lstm": ["Wf", "Wi", "Wc", "Wo", "bf", "bi", "bc", "bo"],
    "gru": ["Wr", "br", "Wz", "bz", "Wnx", "bnx", "Wna", "bna"],
}


def random_parameters(model, rng, dtype=np.float64):
    """Parameters of the model with non-zero random biases, so bias gradients are exercised."""
    parameters = INIT[model](N_X, N_A, N_Y, seed=int(rng.integers(1000)), dtype=dtype)
    for name, value in parameters.items():
        if name.startswith("b"):
            parameters[name] = (0.5 * rng.standard_normal(value.shape)).astype(dtype)
    return parameters


def make_case(model, level, seed=0):
    """Set up one gradient-check problem.

    Returns (loss, grads, arrays): loss() recomputes the scalar loss
    sum(hidden * upstream) (+ sum(cell * dc) for an LSTM cell) from the current contents of the
    arrays; grads is the dictionary returned by the backward function; arrays maps each name
    to the array (input or parameter) whose gradient grads["d" + name] must be.
    """
    rng = np.random.default_rng(seed)
    parameters = random_parameters(model, rng)
    a0 = rng.standard_normal((N_A, M))
    if level == "cell":
        xt = rng.standard_normal((N_X, M))
        da = rng.standard_normal((N_A, M))
        arrays = {"xt": xt, "a_prev": a0}
        if model == "rnn":

            def loss():
                return np.sum(rnn_cell_forward(xt, a0, parameters)[0] * da)

            grads = rnn_cell_backward(da, rnn_cell_forward(xt, a0, parameters)[2])
        elif model == "gru":

            def loss():
                return np.sum(gru_cell_forward(xt, a0, parameters)[0] * da)

            grads = gru_cell_backward(da, gru_cell_forward(xt, a0, parameters)[2])
        else:
            c_prev = rng.standard_normal((N_A, M))
            dc = rng.standard_normal((N_A, M))
            arrays["c_prev"] = c_prev

            def loss():
                a_next, c_next, _, _ = lstm_cell_forward(xt, a0, c_prev, parameters)
                return np.sum(a_next * da) + np.sum(c_next * dc)

            cache = lstm_cell_forward(xt, a0, c_prev, parameters)[3]
            grads = lstm_cell_backward(da, dc, cache)
    else:
        x = rng.standard_normal((N_X, M, T_X))
        da = rng.standard_normal((N_A, M, T_X))
        arrays = {"x": x, "a0": a0}
        forward, backward = FORWARD[model], BACKWARD[model]

        def loss():
            return np.sum(forward(x, a0, parameters)[0] * da)

        grads = backward(da, forward(x, a0, parameters)[-1])
    for name in GATE_PARAMS[model]:
        arrays[name] = parameters[name]
    return loss, grads, arrays


CASES = [
    (model, level, name)
    for model in ("rnn", "lstm", "gru")
    for level in ("cell", "sequence")
    for name in (
        (["xt", "a_prev"] + (["c_prev"] if model == "lstm" else [])) if level == "cell" else ["x", "a0"]
    )
    + GATE_PARAMS[model]
]


# Passed for seeds 0-99 on AVX-512 and on the AVX2 code path (NPY_DISABLE_CPU_FEATURES).
@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("model,level,name", CASES)
def test_gradient_matches_centered_differences(model, level, name, seed):
    loss, grads, arrays = make_case(model, level, seed)
    numerical = eval_numerical_gradient(lambda _: loss(), arrays[name])
    analytic = grads["d" + name]
    assert analytic.shape == arrays[name].shape
    assert_gradient_close(analytic, numerical, loss(), name)


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("level", ["cell", "sequence"])
def test_backward_returns_exactly_the_documented_gradients(model, level):
    _, grads, arrays = make_case(model, level)
    assert set(grads) == {"d" + name for name in arrays}


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
def test_float32_in_float32_out_and_inputs_untouched(model):
    rng = np.random.default_rng(3)
    parameters = random_parameters(model, rng, dtype=np.float32)
    x = rng.standard_normal((N_X, M, T_X)).astype(np.float32)
    a0 = rng.standard_normal((N_A, M)).astype(np.float32)
    da = rng.standard_normal((N_A, M, T_X)).astype(np.float32)
    saved = [arr.copy() for arr in (x, a0, da, *parameters.values())]
    forward, backward = FORWARD[model], BACKWARD[model]
    outputs = forward(x, a0, parameters)
    grads = backward(da, outputs[-1])
    for out in outputs[:-1]:
        assert out.dtype == np.float32
    for cache in outputs[-1][0]:
        for item in cache[:-1]:
            assert item.dtype == np.float32
    for name, grad in grads.items():
        assert grad.dtype == np.float32, name
    for before, after in zip(saved, (x, a0, da, *parameters.values()), strict=True):
        np.testing.assert_array_equal(before, after)


def test_forward_shapes_and_probabilities():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((N_X, M, T_X))
    a0 = rng.standard_normal((N_A, M))
    for model, forward in (("rnn", rnn_forward), ("gru", gru_forward), ("lstm", lstm_forward)):
        outputs = forward(x, a0, random_parameters(model, rng))
        assert outputs[0].shape == (N_A, M, T_X)
        assert outputs[1].shape == (N_Y, M, T_X)
        np.testing.assert_allclose(outputs[1].sum(axis=0), 1.0)
        assert len(outputs[-1][0]) == T_X and outputs[-1][1] is x
    a, y, c, _ = lstm_forward(x, a0, random_parameters("lstm", rng))
    assert c.shape == (N_A, M, T_X)


def test_rnn_cell_forward_formula():
    rng = np.random.default_rng(5)
    p = random_parameters("rnn", rng)
    xt, a_prev = rng.standard_normal((N_X, M)), rng.standard_normal((N_A, M))
    a_next, yt, cache = rnn_cell_forward(xt, a_prev, p)
    expected = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
    np.testing.assert_allclose(a_next, expected, rtol=1e-12)
    z = p["Wya"] @ expected + p["by"]
    np.testing.assert_allclose(yt, np.exp(z) / np.exp(z).sum(axis=0), rtol=1e-12)
    assert cache[0] is a_next and cache[1] is a_prev and cache[2] is xt and cache[3] is p


def test_softmax_is_stable_and_column_wise():
    z = np.array([[1000.0, 0.0], [1000.0, np.log(3.0)]])
    np.testing.assert_allclose(softmax(z), [[0.5, 0.25], [0.5, 0.75]])
    assert softmax(z.astype(np.float32)).dtype == np.float32


def test_sigmoid_is_stable():
    with np.errstate(all="raise"):
        s = sigmoid(np.array([-1000.0, 0.0, 1000.0, 2.0]))
    np.testing.assert_allclose(s, [0.0, 0.5, 1.0, 1 / (1 + np.exp(-2.0))], rtol=1e-15)
    assert sigmoid(np.zeros(3, dtype=np.float32)).dtype == np.float32


def test_to_batch_first_round_trip():
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)  # (n_x, m, T_x)
    x_bf = to_batch_first(x)
    assert x_bf.shape == (3, 4, 2)
    for k, i, t in np.ndindex(x.shape):
        assert x_bf[i, t, k] == x[k, i, t]
    np.testing.assert_array_equal(to_time_major(x_bf), x)
    assert to_time_major(x_bf).dtype == np.float32


def test_clip_values_new_dict_inputs_untouched():
    grads = {"dWax": np.array([[-10.0, 0.5], [3.0, -0.2]]), "dba": np.array([[7.0], [-7.0]])}
    saved = {k: v.copy() for k, v in grads.items()}
    clipped = clip(grads, 5.0)
    assert clipped is not grads and set(clipped) == set(grads)
    np.testing.assert_array_equal(clipped["dWax"], [[-5.0, 0.5], [3.0, -0.2]])
    np.testing.assert_array_equal(clipped["dba"], [[5.0], [-5.0]])
    for k in grads:
        np.testing.assert_array_equal(grads[k], saved[k])
        assert not np.shares_memory(clipped[k], grads[k])
    assert clip({"g": np.ones(2, dtype=np.float32)}, 0.5)["g"].dtype == np.float32


def test_clip_by_norm_rescales_only_above_threshold():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0], [4.0]])}  # global norm 5
    saved = {k: v.copy() for k, v in grads.items()}
    clipped = clip_by_norm(grads, 1.0)
    assert clipped is not grads
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.0], [0.8]])
    kept = clip_by_norm(grads, 10.0)
    for k in grads:
        np.testing.assert_array_equal(kept[k], grads[k])
        np.testing.assert_array_equal(grads[k], saved[k])
        assert not np.shares_memory(kept[k], grads[k])
    assert clip_by_norm({"g": np.ones(4, dtype=np.float32)}, 1.0)["g"].dtype == np.float32
    zero = clip_by_norm({"g": np.zeros(3)}, 1.0)
    np.testing.assert_array_equal(zero["g"], 0.0)


def test_gradient_norms_through_time():
    rng = np.random.default_rng(6)
    n_x, n_a, m, T = 3, 6, 2, 12
    x = rng.standard_normal((n_x, m, T))
    a0 = np.zeros((n_a, m))
    p = init_rnn_parameters(n_x, n_a, 2, seed=1)
    norms = gradient_norms_through_time(x, a0, p)
    assert norms.shape == (T,)
    np.testing.assert_allclose(norms[-1], np.sqrt(n_a * m))
    # One step back by hand: dL/da_{T-2} = Waa^T ((1 - a_{T-1}^2) * 1).
    a = rnn_forward(x, a0, p)[0]
    expected = np.linalg.norm(p["Waa"].T @ (1 - a[:, :, -1] ** 2))
    np.testing.assert_allclose(norms[-2], expected)
    # A small recurrent matrix makes the gradient vanish going back in time.
    small = dict(p, Waa=0.1 * p["Waa"])
    vanishing = gradient_norms_through_time(x, a0, small)
    assert np.all(np.diff(vanishing) > 0) and vanishing[0] < 1e-6 * vanishing[-1]


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
def test_sequence_functions_equal_looping_over_the_cells(model):
    """The sequence functions compute what the cell functions compute step by step."""
    rng = np.random.default_rng(7)
    p = random_parameters(model, rng)
    x = rng.standard_normal((N_X, M, T_X))
    a0 = rng.standard_normal((N_A, M))
    da = rng.standard_normal((N_A, M, T_X))
    forward, backward = FORWARD[model], BACKWARD[model]
    outputs = forward(x, a0, p)
    grads = backward(da, outputs[-1])

    expected_grads = {"d" + name: np.zeros_like(p[name]) for name in GATE_PARAMS[model]}
    dx = np.zeros_like(x)
    a_prev, c_prev = a0, np.zeros_like(a0)
    cell_caches = []
    for t in range(T_X):
        if model == "lstm":
            a_prev, c_prev, yt, cache = lstm_cell_forward(x[:, :, t], a_prev, c_prev, p)
            np.testing.assert_allclose(outputs[2][:, :, t], c_prev, rtol=1e-12, atol=1e-14)
        else:
            cell = rnn_cell_forward if model == "rnn" else gru_cell_forward
            a_prev, yt, cache = cell(x[:, :, t], a_prev, p)
        np.testing.assert_allclose(outputs[0][:, :, t], a_prev, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(outputs[1][:, :, t], yt, rtol=1e-12, atol=1e-14)
        for ours, theirs in zip(outputs[-1][0][t][:-1], cache[:-1], strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
        cell_caches.append(cache)

    da_prev, dc_prev = np.zeros_like(a0), np.zeros_like(a0)
    for t in reversed(range(T_X)):
        if model == "lstm":
            g = lstm_cell_backward(da[:, :, t] + da_prev, dc_prev, cell_caches[t])
            dc_prev = g["dc_prev"]
        else:
            cell_backward = rnn_cell_backward if model == "rnn" else gru_cell_backward
            g = cell_backward(da[:, :, t] + da_prev, cell_caches[t])
        da_prev = g["da_prev"]
        dx[:, :, t] = g["dxt"]
        for key in expected_grads:
            expected_grads[key] += g[key]
    np.testing.assert_allclose(grads["dx"], dx, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads["da0"], da_prev, rtol=1e-12, atol=1e-14)
    for key, value in expected_grads.items():
        np.testing.assert_allclose(grads[key], value, rtol=1e-12, atol=1e-14)
