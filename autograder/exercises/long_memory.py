"""Hidden tests and known mistakes of assignment 10: long memory, the RNN against the LSTM and the GRU."""

from copy import deepcopy

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from solutions import long_memory as ref
from solutions import lstm_gru as ref06
from solutions import rnn_backward as ref05
from solutions import rnn_forward as ref04
from solutions import sequence_classifier as ref09

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


def random_problem(rng, name, n_symbols=4):
    """Random sizes, a cell's parameters and a batch of the memory task."""
    n_a, m, T = (int(v) for v in rng.integers(2, 7, size=3))
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
    again = call(*args)
    if again.error is None and output_problem(again.value, got, "a second call", 0.0, 0.0):
        return "two calls with the same seed gave different data: draw from np.random.default_rng(seed)"
    return None


@exercise("make_memory_data", ref.make_memory_data)
def make_memory_data_cases(rng):
    for m, T, n_symbols in ((400, 10, 4), (300, 20, 3), (500, 2, 6)):
        seed = int(rng.integers(1000))
        yield Case((m, T, seed, n_symbols), f"m={m}, T={T}, seed={seed}, n_symbols={n_symbols}",
                   verify=memory_data_problem)  # fmt: skip


@mistake(
    "make_memory_data",
    "the label is the symbol of the LAST step; the task is to name the FIRST symbol",
)
def make_memory_data_last_label(m, T, seed, n_symbols=4):
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, n_symbols, size=(m, T))
    x = np.zeros((n_symbols + 1, m, T))
    x[symbols, np.arange(m)[:, None], np.arange(T)] = 1.0
    x[n_symbols, :, 0] = 1.0
    return x, symbols[:, -1]


@mistake(
    "make_memory_data",
    "the marker is 1 at every step; it is 1 at the first step only, so that the network can tell "
    "the first symbol from the others",
)
def make_memory_data_marker_everywhere(m, T, seed, n_symbols=4):
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, n_symbols, size=(m, T))
    x = np.zeros((n_symbols + 1, m, T))
    x[symbols, np.arange(m)[:, None], np.arange(T)] = 1.0
    x[n_symbols] = 1.0
    return x, symbols[:, 0]


# ---------------------------------------------------------------- train_memory


def train_memory_problem(got, expected, args, call):
    problem = output_problem(got[0], expected[0], "the trained parameters")
    if problem:
        return problem
    outcome = call(*args)
    if outcome.error is not None:
        return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
    return output_problem(outcome.value, ref.train_memory(*deepcopy(args)), "the returned losses")


@exercise("train_memory", ref.train_memory, mutates=(1,))
def train_memory_cases(rng):
    for name in CELLS:
        parameters, _, _, _ = random_problem(rng, name)
        T, first = int(rng.integers(2, 6)), int(rng.integers(100))
        batch_size, learning_rate = int(rng.integers(3, 7)), float(rng.uniform(0.01, 0.1))
        steps = list(range(first, first + 3))
        label = f"the {name}, T={T}, steps={steps}, batch_size={batch_size}, rate={learning_rate:.3g}"
        args = (CELLS[name], parameters, T, steps, batch_size, learning_rate)
        yield Case(args, label, verify=train_memory_problem)


@mistake(
    "train_memory",
    "the gradient W^T dscores enters the cell at every step; the read-out reads only the last "
    "hidden state, so da is zero at every step but the last",
)
def train_memory_every_step(cell, parameters, T, steps, batch_size=32, learning_rate=0.02):
    W = cell["readout"]
    n_a = parameters[W].shape[1]
    state = ref09.init_adam(parameters)
    losses = []
    for step in steps:
        x, labels = ref.make_memory_data(batch_size, T, seed=step)
        a, *_, caches = cell["forward"](x, np.zeros((n_a, batch_size)), parameters)
        probs = ref04.softmax(parameters[W] @ a[:, :, -1] + parameters["by"])
        loss, dscores = ref09.classifier_loss(probs, labels)
        da = np.repeat((parameters[W].T @ dscores)[:, :, None], T, axis=2)
        gradients = cell["backward"](da, caches)
        gradients["d" + W] = dscores @ a[:, :, -1].T
        gradients["dby"] = dscores.sum(axis=1, keepdims=True)
        ref09.adam_step(parameters, gradients, state, learning_rate)
        losses.append(loss)
    return losses


@mistake(
    "train_memory",
    "Adam's state is made anew at every step, so every step is a first step; make it once, "
    "with init_adam(parameters), before the loop",
)
def train_memory_adam_reset(cell, parameters, T, steps, batch_size=32, learning_rate=0.02):
    W = cell["readout"]
    n_a = parameters[W].shape[1]
    losses = []
    for step in steps:
        state = ref09.init_adam(parameters)
        x, labels = ref.make_memory_data(batch_size, T, seed=step)
        a, *_, caches = cell["forward"](x, np.zeros((n_a, batch_size)), parameters)
        probs = ref04.softmax(parameters[W] @ a[:, :, -1] + parameters["by"])
        loss, dscores = ref09.classifier_loss(probs, labels)
        da = np.zeros_like(a)
        da[:, :, -1] = parameters[W].T @ dscores
        gradients = cell["backward"](da, caches)
        gradients["d" + W] = dscores @ a[:, :, -1].T
        gradients["dby"] = dscores.sum(axis=1, keepdims=True)
        ref09.adam_step(parameters, gradients, state, learning_rate)
        losses.append(loss)
    return losses


@mistake(
    "train_memory",
    "every step trains on the same batch; the batch of a step is make_memory_data(batch_size, T, seed=step)",
)
def train_memory_one_batch(cell, parameters, T, steps, batch_size=32, learning_rate=0.02):
    W = cell["readout"]
    n_a = parameters[W].shape[1]
    state = ref09.init_adam(parameters)
    losses = []
    x, labels = ref.make_memory_data(batch_size, T, seed=0)
    for _ in steps:
        a, *_, caches = cell["forward"](x, np.zeros((n_a, batch_size)), parameters)
        probs = ref04.softmax(parameters[W] @ a[:, :, -1] + parameters["by"])
        loss, dscores = ref09.classifier_loss(probs, labels)
        da = np.zeros_like(a)
        da[:, :, -1] = parameters[W].T @ dscores
        gradients = cell["backward"](da, caches)
        gradients["d" + W] = dscores @ a[:, :, -1].T
        gradients["dby"] = dscores.sum(axis=1, keepdims=True)
        ref09.adam_step(parameters, gradients, state, learning_rate)
        losses.append(loss)
    return losses


# ---------------------------------------------------------------- memory_accuracy


@exercise("memory_accuracy", ref.memory_accuracy)
def memory_accuracy_cases(rng):
    for name in CELLS:
        parameters, x, labels, label = random_problem(rng, name)
        yield Case((CELLS[name], parameters, x, labels), label)


@mistake(
    "memory_accuracy",
    "the answer is read from the hidden state of the FIRST step; it is read after the last step, "
    "from a[:, :, -1]",
)
def memory_accuracy_first_step(cell, parameters, x, labels):
    W = cell["readout"]
    a, *_ = cell["forward"](x, np.zeros((parameters[W].shape[1], x.shape[1])), parameters)
    return float(np.mean((parameters[W] @ a[:, :, 0] + parameters["by"]).argmax(axis=0) == labels))


# ---------------------------------------------------------------- input_gradient_norms


@exercise("input_gradient_norms", ref.input_gradient_norms)
def input_gradient_norms_cases(rng):
    for name in CELLS:
        parameters, x, labels, label = random_problem(rng, name)
        yield Case((CELLS[name], parameters, x, labels), label)


@mistake(
    "input_gradient_norms",
    "the gradient W^T onehot(labels) enters the cell at every step; the score is read only from "
    "the last hidden state",
)
def input_gradient_norms_every_step(cell, parameters, x, labels):
    W = cell["readout"]
    a, *_, caches = cell["forward"](x, np.zeros((parameters[W].shape[1], x.shape[1])), parameters)
    one_hot = np.zeros((parameters[W].shape[0], x.shape[1]))
    one_hot[labels, np.arange(x.shape[1])] = 1.0
    da = np.repeat((parameters[W].T @ one_hot)[:, :, None], x.shape[2], axis=2)
    return np.sqrt(np.sum(cell["backward"](da, caches)["dx"] ** 2, axis=(0, 1)))


@mistake(
    "input_gradient_norms",
    "the gradient that enters is W^T times the one-hot codes of the labels (the score of the "
    "right answer), not W^T times a vector of ones (the sum of all the scores)",
)
def input_gradient_norms_all_scores(cell, parameters, x, labels):
    W = cell["readout"]
    a, *_, caches = cell["forward"](x, np.zeros((parameters[W].shape[1], x.shape[1])), parameters)
    da = np.zeros_like(a)
    da[:, :, -1] = parameters[W].T @ np.ones((parameters[W].shape[0], x.shape[1]))
    return np.sqrt(np.sum(cell["backward"](da, caches)["dx"] ** 2, axis=(0, 1)))
