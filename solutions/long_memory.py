"""Assignment 10: long memory. The RNN, the LSTM and the GRU on a task whose answer was seen long ago.

The task: a sequence of T random symbols; the answer is the first one. Layout as in assignments
04-06: x has shape (n_x, m, T). A cell is a dict of its sequence functions, so that one
training loop serves all three:
    {"forward": forward(x, a0, parameters) -> (a, ..., caches),   hidden states first, caches last
     "backward": backward(da, caches) -> gradients with "d" + the name of every cell parameter,
     "readout": the name of the output weights in the parameters, "Wya" (RNN) or "Wy" (LSTM, GRU)}
The read-out is the cell's own output layer (readout, "by") applied to the last hidden state, as in
assignment 09.
"""

import numpy as np

from solutions.lstm_gru import init_gru_parameters, init_lstm_parameters
from solutions.rnn_forward import init_rnn_parameters, softmax
from solutions.sequence_classifier import adam_step, classifier_loss, init_adam


def make_memory_data(m, T, seed, n_symbols=4):
    """Sequences of random symbols; the label of a sequence is its first symbol.

    Every step shows one of n_symbols symbols, one-hot, drawn uniformly and independently; an
    extra input, the marker, is 1 at the first step only (so that the network can tell which
    symbol is the first).

    Inputs:
    - m: the number of sequences, an int.
    - T: the number of steps of each sequence, an int >= 1.
    - seed: seed of np.random.default_rng, from which the symbols are drawn.
    - n_symbols: the number of different symbols, an int >= 2.

    Returns:
    - x: shape (n_symbols + 1, m, T), float64 of 0s and 1s; x[:n_symbols, i, t] is the one-hot
      code of the symbol of sequence i at step t, x[n_symbols, i, t] is 1 where t = 0, else 0.
    - labels: shape (m,), int64: the symbol at step 0 of every sequence, from 0 to n_symbols - 1.
    """
    symbols = np.random.default_rng(seed).integers(0, n_symbols, size=(m, T))
    x = np.zeros((n_symbols + 1, m, T))
    x[symbols, np.arange(m)[:, None], np.arange(T)] = 1.0
    x[n_symbols, :, 0] = 1.0
    return x, symbols[:, 0]


def init_cell_parameters(name, n_x, n_a, n_y, seed=0, keep=5.0):
    """Parameters of the named cell, the gated ones started with their memory open.

    The RNN's come from init_rnn_parameters. The LSTM's forget-gate bias is set to +keep and
    its input-gate bias to -keep, the GRU's update-gate bias to +keep: at the start a gated
    cell keeps sigmoid(keep) of its state at every step (0.993 for keep = 5) and writes little.

    Inputs:
    - name: "RNN", "LSTM" or "GRU".
    - n_x, n_a, n_y: the sizes of the inputs, the hidden state and the outputs.
    - seed: seed of the weights (as in init_rnn_parameters).
    - keep: the bias that holds the gated cells' memory open, a float.

    Returns:
    - parameters: the dictionary of init_rnn_parameters, init_lstm_parameters or
      init_gru_parameters, with the biases above.
    """
    if name == "RNN":
        return init_rnn_parameters(n_x, n_a, n_y, seed=seed)
    if name == "LSTM":
        parameters = init_lstm_parameters(n_x, n_a, n_y, seed=seed)
        parameters["bf"][:] = keep
        parameters["bi"][:] = -keep
        return parameters
    if name == "GRU":
        parameters = init_gru_parameters(n_x, n_a, n_y, seed=seed)
        parameters["bz"][:] = keep
        return parameters
    raise ValueError(f"no cell named {name!r}; the cells are RNN, LSTM and GRU")


def train_memory(cell, parameters, T, steps, batch_size=32, learning_rate=0.02):
    """Train a cell and its read-out on the memory task with Adam, in place.

    At every step a fresh batch, make_memory_data(batch_size, T, seed=step); the cell's forward
    pass from a zero hidden state; the read-out of the last hidden state,
    probs = softmax(W a_last + by) with W = parameters[cell["readout"]]; the loss
    (classifier_loss); the gradient W^T dscores entering at the last step only, carried back
    by the cell's backward pass; the read-out's own gradients; one adam_step. The Adam state is
    made by init_adam at the start of the call.

    Inputs:
    - cell: dict with "forward", "backward" and "readout" (see the module's docstring).
    - parameters: the cell's parameters, with its output layer (readout, "by"); changed in place.
    - T: the length of the sequences, an int.
    - steps: the step numbers, an iterable of ints such as range(300) (or tqdm(range(300)) for
      a progress bar); each is the seed of its batch.
    - batch_size: the number of sequences per batch, an int.
    - learning_rate: Adam's learning rate, a float.

    Returns:
    - losses: list of floats, the loss of every batch (before its update).
    """
    W = cell["readout"]
    n_a = parameters[W].shape[1]
    state = init_adam(parameters)
    losses = []
    for step in steps:
        x, labels = make_memory_data(batch_size, T, seed=step)
        a, *_, caches = cell["forward"](x, np.zeros((n_a, batch_size)), parameters)
        probs = softmax(parameters[W] @ a[:, :, -1] + parameters["by"])
        loss, dscores = classifier_loss(probs, labels)
        da = np.zeros_like(a)
        da[:, :, -1] = parameters[W].T @ dscores
        gradients = cell["backward"](da, caches)
        gradients["d" + W] = dscores @ a[:, :, -1].T
        gradients["dby"] = dscores.sum(axis=1, keepdims=True)
        adam_step(parameters, gradients, state, learning_rate)
        losses.append(loss)
    return losses


def memory_accuracy(cell, parameters, x, labels):
    """The fraction of sequences whose first symbol the trained cell names.

    Inputs:
    - cell: dict with "forward", "backward" and "readout".
    - parameters: the cell's parameters, with its read-out.
    - x: sequences, shape (n_x, m, T); labels: their first symbols, shape (m,).

    Returns:
    - accuracy: a float from 0 to 1; the prediction is the largest entry of the read-out of the
      last hidden state (the cell starts from a zero hidden state).
    """
    W = cell["readout"]
    a, *_ = cell["forward"](x, np.zeros((parameters[W].shape[1], x.shape[1])), parameters)
    scores = parameters[W] @ a[:, :, -1] + parameters["by"]
    return float(np.mean(scores.argmax(axis=0) == labels))


def input_gradient_norms(cell, parameters, x, labels):
    """How strongly the score of the right answer depends on the input at each step.

    The score of the true class, z = (W a_last + by)[label], summed over the sequences; its
    gradient with respect to the inputs, dz/dx, through the cell's backward pass (the gradient
    entering at the last hidden state is W^T onehot(labels)).

    Inputs:
    - cell: dict with "forward", "backward" and "readout".
    - parameters: the cell's parameters, with its read-out.
    - x: sequences, shape (n_x, m, T); labels: their first symbols, shape (m,).

    Returns:
    - norms: shape (T,); norms[t] is the norm of dz/dx[:, :, t] over the inputs and the
      sequences, sqrt(sum of its squares).
    """
    W = cell["readout"]
    a, *_, caches = cell["forward"](x, np.zeros((parameters[W].shape[1], x.shape[1])), parameters)
    one_hot = np.zeros((parameters[W].shape[0], x.shape[1]))
    one_hot[labels, np.arange(x.shape[1])] = 1.0
    da = np.zeros_like(a)
    da[:, :, -1] = parameters[W].T @ one_hot
    dx = cell["backward"](da, caches)["dx"]
    return np.sqrt(np.sum(dx**2, axis=(0, 1)))


def failing_length(lengths, accuracies, threshold=0.9):
    """The first length at which a cell fails, or None if it never does.

    Inputs:
    - lengths: increasing sequence lengths, a list of ints.
    - accuracies: the accuracy reached at each length, a list of floats.
    - threshold: the accuracy below which a cell has failed, a float.

    Returns:
    - the first length whose accuracy is below threshold, an int, or None.
    """
    return next((T for T, value in zip(lengths, accuracies, strict=True) if value < threshold), None)
