"""Assignment 10's references: the data, the gradients of the training loop, and what the notebook states.

The gradients that train_memory hands to Adam, and the input gradients of input_gradient_norms,
are checked against centred differences in float64 for each of the three cells. The experiment
of the notebook is checked at the lengths that decide its statements: the RNN learns T = 8 and
fails at T = 16, the LSTM and the GRU learn T = 64.
"""

import numpy as np
import pytest
from gradcheck import assert_gradient_close

from solutions import long_memory
from solutions.long_memory import (
    failing_length,
    init_cell_parameters,
    input_gradient_norms,
    make_memory_data,
    memory_accuracy,
    train_memory,
)
from solutions.lstm_gru import gru_backward, gru_forward, lstm_backward, lstm_forward
from solutions.rnn_backward import rnn_backward
from solutions.rnn_forward import rnn_forward, softmax
from solutions.sequence_classifier import classifier_loss
from solutions.softmax_classifier import eval_numerical_gradient

CELLS = {
    "RNN": {"forward": rnn_forward, "backward": rnn_backward, "readout": "Wya"},
    "LSTM": {"forward": lstm_forward, "backward": lstm_backward, "readout": "Wy"},
    "GRU": {"forward": gru_forward, "backward": gru_backward, "readout": "Wy"},
}


def test_the_data_asks_for_the_first_symbol():
    x, labels = make_memory_data(2000, 7, seed=3, n_symbols=5)
    assert x.shape == (6, 2000, 7) and x.dtype == np.float64 and labels.shape == (2000,)
    assert np.array_equal(x[:5].sum(axis=0), np.ones((2000, 7)))
    assert np.array_equal(x[5, :, 0], np.ones(2000)) and not x[5, :, 1:].any()
    symbols = x[:5].argmax(axis=0)
    assert np.array_equal(labels, symbols[:, 0])
    assert np.allclose(np.bincount(symbols.ravel()) / symbols.size, 0.2, atol=0.01)
    assert abs(np.mean(symbols[:, 1:] == symbols[:, :1]) - 0.2) < 0.02, "the later symbols are independent"
    assert np.array_equal(make_memory_data(2000, 7, seed=3, n_symbols=5)[0], x)
    assert not np.array_equal(make_memory_data(2000, 7, seed=4, n_symbols=5)[0], x)


def test_the_gated_cells_start_with_their_memory_open():
    lstm, gru = init_cell_parameters("LSTM", 5, 4, 3), init_cell_parameters("GRU", 5, 4, 3)
    assert np.all(lstm["bf"] == 5.0) and np.all(lstm["bi"] == -5.0) and np.all(gru["bz"] == 5.0)
    assert not any(init_cell_parameters("RNN", 5, 4, 3)[name].any() for name in ("ba", "by"))
    with pytest.raises(ValueError, match="RNN, LSTM and GRU"):
        init_cell_parameters("Elman", 5, 4, 3)


def test_failing_length():
    assert failing_length([4, 8, 16], [1.0, 0.95, 0.5]) == 16
    assert failing_length([4, 8, 16], [1.0, 0.95, 0.9]) is None
    assert failing_length([4, 8], [0.2, 1.0]) == 4


def random_cell(name, seed):
    """Parameters with random weights and biases (keep-gates near 2), so that every term shows."""
    rng = np.random.default_rng(seed)
    parameters = init_cell_parameters(name, 5, 4, 4, seed=seed, keep=2.0)
    return {key: value + 0.3 * rng.standard_normal(value.shape) for key, value in parameters.items()}


@pytest.mark.numerical
@pytest.mark.parametrize("name", CELLS)
@pytest.mark.parametrize("seed", range(3))
def test_train_memory_hands_adam_the_gradient_of_the_loss(name, seed, monkeypatch):
    """The gradients of one step of train_memory (read-out, last step only, backward through the cell)."""
    cell, parameters = CELLS[name], random_cell(name, seed)
    handed = []
    monkeypatch.setattr(long_memory, "adam_step", lambda p, gradients, state, rate: handed.append(gradients))
    step = 7 + seed
    [loss] = train_memory(cell, {k: v.copy() for k, v in parameters.items()}, 5, [step], batch_size=6)
    x, labels = make_memory_data(6, 5, seed=step)

    def batch_loss(_):
        a, *_ = cell["forward"](x, np.zeros((4, 6)), parameters)
        scores = parameters[cell["readout"]] @ a[:, :, -1] + parameters["by"]
        return classifier_loss(softmax(scores), labels)[0]

    assert np.isclose(loss, batch_loss(None), rtol=1e-12)
    for key, value in parameters.items():
        numerical = eval_numerical_gradient(batch_loss, value)
        assert_gradient_close(handed[0]["d" + key], numerical, loss, name=f"{name} d{key}")


@pytest.mark.numerical
@pytest.mark.parametrize("name", CELLS)
def test_input_gradient_norms_are_those_of_the_numerical_gradient(name):
    cell, parameters = CELLS[name], random_cell(name, 11)
    x, labels = make_memory_data(5, 6, seed=12)

    def summed_score(_):
        a, *_ = cell["forward"](x, np.zeros((4, 5)), parameters)
        return np.sum((parameters[cell["readout"]] @ a[:, :, -1] + parameters["by"])[labels, np.arange(5)])

    numerical = eval_numerical_gradient(summed_score, x)
    expected = np.sqrt(np.sum(numerical**2, axis=(0, 1)))
    assert_gradient_close(input_gradient_norms(cell, parameters, x, labels), expected, summed_score(None))


def held_out_accuracy(name, T):
    """Train as notebook 10 does (16 units, 300 steps of 32, Adam 0.02, seed 0); the held-out accuracy."""
    parameters = init_cell_parameters(name, 5, 16, 4, seed=0)
    train_memory(CELLS[name], parameters, T, range(300), 32, 0.02)
    return memory_accuracy(CELLS[name], parameters, *make_memory_data(1000, T, seed=1_000_000 + T))


@pytest.mark.numerical
def test_the_rnn_learns_8_steps_and_fails_at_16():
    assert held_out_accuracy("RNN", 8) == 1.0
    assert held_out_accuracy("RNN", 16) < 0.5


@pytest.mark.numerical
@pytest.mark.parametrize("name", ["LSTM", "GRU"])
def test_the_gated_cells_learn_64_steps(name):
    assert held_out_accuracy(name, 64) == 1.0
