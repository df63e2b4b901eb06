"""Hidden tests and known mistakes of assignment 10: long memory, the RNN against the LSTM and the GRU."""

import numpy as np

from autograder.engine import Case, exercise
from autograder.exercises.shared import same_seed_problem
from solutions import long_memory as ref
from solutions import lstm_gru as ref06
from solutions import rnn_backward as ref05
from solutions import rnn_forward as ref04

# The three cells as the notebook describes them; in a case they are arguments, so the
# student's code calls the references through them.
CELLS = {
    "RNN": {"forward": ref04.rnn_forward, "backward": ref05.rnn_backward, "readout": "Wya"},
    "LSTM": {"forward": ref06.lstm_forward, "backward": ref06.lstm_backward, "readout": "Wy"},
    "GRU": {"forward": ref06.gru_forward, "backward": ref06.gru_backward, "readout": "Wy"},
}


def random_cell_parameters(rng, name, n_x, n_a, n_y):
    """The parameters of a cell with random weights and biases, so that every term shows."""
    parameters = ref.init_cell_parameters(name, n_x, n_a, n_y, seed=int(rng.integers(1000)), keep=2.0)
    for key, value in parameters.items():
        parameters[key] = value + 0.3 * rng.standard_normal(value.shape)
    return parameters


def random_problem(rng, name, n_symbols=4, batch=(2, 7)):
    """Random sizes (the batch size m from the range batch), a cell's parameters and a batch of
    the memory task."""
    n_a, T = (int(v) for v in rng.integers(2, 7, size=2))
    m = int(rng.integers(*batch))
    parameters = random_cell_parameters(rng, name, n_symbols + 1, n_a, n_symbols)
    x, labels = ref.make_memory_data(m, T, seed=int(rng.integers(1000)), n_symbols=n_symbols)
    return parameters, x, labels, f"{name}, n_a={n_a}, m={m}, T={T}"


# ---------------------------------------------------------------- make_memory_data


def memory_data_problem(got, expected, args, call):
    """The sequences are random: check what defines them, not the values drawn."""
    m, T, seed, n_symbols = args
    if not isinstance(got, tuple) or len(got) != 2:
        return "make_memory_data should return the tuple (x, labels)"
    x, labels = got
    for array, name, shape in ((x, "x", (n_symbols + 1, m, T)), (labels, "labels", (m,))):
        if type(array) is not np.ndarray:
            return f"{name} should be a numpy array, but it is a {type(array).__name__}"
        if array.shape != shape:
            return f"{name} has shape {array.shape}, expected {shape} ({n_symbols} symbols and the marker)"
    if x.dtype != np.float64:
        return f"x has dtype {x.dtype}, expected float64"
    if labels.dtype.kind not in "iu":
        return f"labels has dtype {labels.dtype}, expected integers"
    if not np.isin(x, (0.0, 1.0)).all():
        return "x should hold only 0s and 1s"
    if not np.array_equal(x[:n_symbols].sum(axis=0), np.ones((m, T))):
        return "every step of every sequence should show exactly one symbol: x[:n_symbols, i, t] is one-hot"
    marker = np.zeros((m, T))
    marker[:, 0] = 1.0
    if not np.array_equal(x[n_symbols], marker):
        return f"the marker x[{n_symbols}] should be 1 at the first step (t = 0) and 0 at every other step"
    symbols = x[:n_symbols].argmax(axis=0)  # (m, T)
    if not np.array_equal(labels, symbols[:, 0]):
        if np.array_equal(labels, symbols[:, -1]):
            return "the labels are the LAST symbols; the label of a sequence is its FIRST symbol"
        return "the labels should be the symbols at the first step, x[:n_symbols, :, 0].argmax(axis=0)"
    counts = np.bincount(symbols.ravel(), minlength=n_symbols) / symbols.size
    if np.abs(counts - 1 / n_symbols).max() > 0.05:
        return f"the symbols should be drawn uniformly; their frequencies are {np.round(counts, 3).tolist()}"
    if T > 1 and np.mean(symbols[:, 1:] == symbols[:, :1]) > 1 / n_symbols + 0.1:
        return "the symbols after the first should be drawn independently of it"
    return same_seed_problem(got, args, call, "data")


@exercise(ref.make_memory_data)
def make_memory_data(rng):
    for m, T, n_symbols in ((400, 10, 4), (300, 20, 3), (500, 2, 6)):
        seed = int(rng.integers(1000))
        yield Case((m, T, seed, n_symbols), f"m={m}, T={T}, seed={seed}, n_symbols={n_symbols}",
                   verify=memory_data_problem)  # fmt: skip


make_memory_data.mistake(
    "the label is the symbol of the LAST step; the task is to name the FIRST symbol",
    {"return x, symbols[:, 0]": "return x, symbols[:, -1]"},
)
make_memory_data.mistake(
    "the marker is 1 at every step; it is 1 at the first step only, so that the network can tell "
    "the first symbol from the others",
    {"x[n_symbols, :, 0] = 1.0": "x[n_symbols] = 1.0"},
)


# ---------------------------------------------------------------- train_memory


@exercise(ref.train_memory, mutates=(1,))
def train_memory(rng):
    for name in CELLS:
        parameters, _, _, _ = random_problem(rng, name)
        T, first = int(rng.integers(2, 6)), int(rng.integers(100))
        batch_size, learning_rate = int(rng.integers(3, 7)), float(rng.uniform(0.01, 0.1))
        steps = list(range(first, first + 3))
        label = f"the {name}, T={T}, steps={steps}, batch_size={batch_size}, rate={learning_rate:.3g}"
        args = (CELLS[name], parameters, T, steps, batch_size, learning_rate)
        yield Case(args, label)


train_memory.mistake(
    "the gradient W^T dscores enters the cell at every step; the read-out reads only the last "
    "hidden state, so da is zero at every step but the last",
    {
        "da = np.zeros_like(a)\n        da[:, :, -1] = parameters[W].T @ dscores": (
            "da = np.repeat((parameters[W].T @ dscores)[:, :, None], T, axis=2)"
        )
    },
)
train_memory.mistake(
    "Adam's state is made anew at every step, so every step is a first step; make it once, "
    "with init_adam(parameters), before the loop",
    {
        "    state = init_adam(parameters)\n    losses = []\n    for step in steps:\n": (
            "    losses = []\n    for step in steps:\n        state = init_adam(parameters)\n"
        )
    },
)
train_memory.mistake(
    "every step trains on the same batch; the batch of a step is make_memory_data(batch_size, T, seed=step)",
    {"seed=step)": "seed=0)"},
)


# ---------------------------------------------------------------- memory_accuracy


def cell_cases(rng):
    """A case per cell: the cell, its parameters, a batch of the memory task and its labels."""
    for name in CELLS:
        parameters, x, labels, label = random_problem(rng, name)
        yield Case((CELLS[name], parameters, x, labels), label)


@exercise(ref.memory_accuracy)
def memory_accuracy(rng):
    # Two batches of 100 to 200 per cell and a read-out without bias, so that the predictions
    # depend on the hidden state read: one read from the wrong step scoring the same by chance
    # in every case happened for 2 of 2,000 students with one batch per cell.
    for name in [*CELLS, *CELLS]:
        parameters, x, labels, label = random_problem(rng, name, batch=(100, 201))
        parameters["by"] = np.zeros_like(parameters["by"])
        yield Case((CELLS[name], parameters, x, labels), label)


memory_accuracy.mistake(
    "the answer is read from the hidden state of the FIRST step; it is read after the last step, "
    "from a[:, :, -1]",
    {"a[:, :, -1] + ": "a[:, :, 0] + "},
)


# ---------------------------------------------------------------- input_gradient_norms


@exercise(ref.input_gradient_norms)
def input_gradient_norms(rng):
    return cell_cases(rng)


input_gradient_norms.mistake(
    "the gradient W^T onehot(labels) enters the cell at every step; the score is read only from "
    "the last hidden state",
    {
        "da = np.zeros_like(a)\n    da[:, :, -1] = parameters[W].T @ one_hot": (
            "da = np.repeat((parameters[W].T @ one_hot)[:, :, None], x.shape[2], axis=2)"
        )
    },
)
input_gradient_norms.mistake(
    "the gradient that enters is W^T times the one-hot codes of the labels (the score of the "
    "right answer), not W^T times a vector of ones (the sum of all the scores)",
    {"parameters[W].T @ one_hot": "parameters[W].T @ np.ones_like(one_hot)"},
)
