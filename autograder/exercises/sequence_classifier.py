"""Hidden tests and known mistakes of assignment 09: an LSTM that classifies digits read row by row."""

import numpy as np

from autograder.engine import Case, exercise, output_problem
from autograder.exercises.lstm_gru import random_parameters
from autograder.exercises.rnn_forward import random_sizes, sizes_label
from solutions import lstm_gru as ref06
from solutions import rnn_forward as ref04
from solutions import sequence_classifier as ref


def random_classifier(rng):
    """Random sizes, LSTM parameters with non-zero biases, sequences and labels."""
    n_x, n_a, n_y, m, T_x = random_sizes(rng)
    parameters = random_parameters(rng, ref06.init_lstm_parameters, n_x, n_a, n_y)
    x = rng.standard_normal((n_x, m, T_x))
    labels = rng.integers(0, n_y, size=m)
    return parameters, x, labels, sizes_label(n_x, n_a, n_y, m, T_x)


def random_probs(rng, n_y, m):
    """Probabilities of shape (n_y, m), each column a softmax of random scores."""
    return ref04.softmax(2.0 * rng.standard_normal((n_y, m)))


# ---------------------------------------------------------------- images_to_sequences


@exercise(ref.images_to_sequences)
def images_to_sequences(rng):
    for _ in range(3):
        m, rows, cols = (int(v) for v in rng.permutation(np.arange(2, 9))[:3])
        yield Case((rng.random((m, rows, cols)),), f"{m} images of {rows} rows and {cols} columns")
    yield Case((rng.random((4, 5, 5)),), "4 square images of 5x5")


images_to_sequences.mistake(
    "the steps are the columns of the images: x[:, i, t] should be ROW t of image i, images[i, t, :]",
    {"images.transpose(2, 0, 1)": "images.transpose(1, 0, 2)"},
)
images_to_sequences.mistake(
    "np.reshape keeps the numbers in their memory order and so mixes up pixels of different "
    "images; np.transpose moves the axes",
    {"images.transpose(2, 0, 1)": "images.reshape(images.shape[2], images.shape[0], images.shape[1])"},
)


# ---------------------------------------------------------------- classifier_forward


@exercise(ref.classifier_forward)
def classifier_forward(rng):
    for _ in range(3):
        parameters, x, _, label = random_classifier(rng)
        yield Case((x, parameters), label)


classifier_forward.mistake(
    "the read-out uses the hidden state of the FIRST step; the prediction comes after the last "
    "row: softmax(Wy a[:, :, -1] + by)",
    {"a[:, :, -1] + ": "a[:, :, 0] + "},
)
classifier_forward.mistake(
    "the read-out uses the mean of the hidden states over the steps; it reads only the last one, a[:, :, -1]",
    {"a[:, :, -1] + ": "a.mean(axis=2) + "},
)
classifier_forward.mistake(
    "the read-out bias by is not added: softmax(Wy a[:, :, -1] + by)", {' + parameters["by"]': ""}
)


# ---------------------------------------------------------------- classifier_loss


@exercise(ref.classifier_loss)
def classifier_loss(rng):
    for _ in range(3):
        n_y, m = (int(v) for v in rng.integers(2, 9, size=2))
        labels = rng.integers(0, n_y, size=m)
        yield Case((random_probs(rng, n_y, m), labels), f"random predictions, n_y={n_y}, m={m}")
    certain = np.eye(4)[:, [0, 1, 2, 3, 1]]
    labels = np.array([0, 1, 2, 0, 3])
    yield Case((certain, labels), "certain predictions, two of them wrong (probability 0 for the true class)")


classifier_loss.mistake(
    "the loss is summed over the examples; it is their mean (divide by m), and so is dscores",
    {"-np.mean(": "-np.sum(", "dscores / m": "dscores"},
)
classifier_loss.mistake(
    "dscores is not divided by m: the loss is a mean over the m examples", {"dscores / m": "dscores"}
)
classifier_loss.mistake(
    "the probabilities are not clipped, so a probability of 0 for the true class gives an "
    "infinite loss: clip them to [1e-12, 1] inside the log",
    {"np.log(np.clip(picked, 1e-12, 1.0))": "np.log(picked)"},
)


# ---------------------------------------------------------------- classifier_backward


@exercise(ref.classifier_backward)
def classifier_backward(rng):
    for _ in range(3):
        parameters, x, labels, label = random_classifier(rng)
        probs, cache = ref.classifier_forward(x, parameters)
        _, dscores = ref.classifier_loss(probs, labels)
        yield Case((dscores, cache, parameters), label)


classifier_backward.mistake(
    "the gradient Wy^T dscores enters the LSTM at every step; only the last hidden state feeds "
    "the read-out, so da is zero at every step but the last",
    {
        "da[:, :, -1] = parameters": "da[:, :, :] = (parameters",
        ".T @ dscores\n": ".T @ dscores)[:, :, None]\n",
    },
)
classifier_backward.mistake(
    "the gradient enters the LSTM at the FIRST step; the read-out reads the last hidden state, "
    "so da[:, :, -1] = Wy^T dscores",
    {"da[:, :, -1] =": "da[:, :, 0] ="},
)


# ---------------------------------------------------------------- minibatches


@exercise(ref.minibatches)
def minibatches(rng):
    for m, batch_size in ((10, 3), (64, 16), (37, 8), (5, 10)):
        yield Case((m, batch_size, int(rng.integers(1000))), f"m={m}, batch_size={batch_size}")


minibatches.mistake(
    "the examples are not shuffled: the order should be np.random.default_rng(seed).permutation(m)",
    {"np.random.default_rng(seed).permutation(m)": "np.arange(m)"},
)
minibatches.mistake(
    "the last, smaller batch is dropped; every example is used once per epoch, so the last batch "
    "holds what is left",
    {"range(0, m, batch_size)": "range(0, m - batch_size + 1, batch_size)"},
)


# ---------------------------------------------------------------- adam_step


def random_adam_state(rng, parameters, t):
    """An Adam state after t steps: random first moments, non-negative second moments."""
    return {
        "t": t,
        "m": {name: 0.1 * rng.standard_normal(value.shape) for name, value in parameters.items()},
        "v": {name: 0.01 * rng.random(value.shape) for name, value in parameters.items()},
    }


def adam_problem(got, expected, args, call):
    return output_problem(got[0], expected[0], "the updated parameters") or output_problem(
        got[1], expected[1], "the updated state"
    )


@exercise(ref.adam_step, mutates=(0, 2))
def adam_step(rng):
    # eps = 0.01 in the last case: large enough that where it is added shows in the update
    for t, options in ((0, ()), (3, ()), (20, (0.8, 0.99, 1e-2))):
        shapes = {"W": tuple(int(v) for v in rng.integers(2, 6, size=2)), "b": (int(rng.integers(2, 6)), 1)}
        parameters = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
        gradients = {"d" + name: rng.standard_normal(shape) for name, shape in shapes.items()}
        state = random_adam_state(rng, parameters, t) if t else ref.init_adam(parameters)
        learning_rate = float(rng.uniform(0.001, 0.1))
        label = f"a state after {t} steps, learning_rate={learning_rate:.3g}"
        if options:
            label += f", beta1={options[0]}, beta2={options[1]}, eps={options[2]}"
        yield Case((parameters, gradients, state, learning_rate, *options), label, verify=adam_problem)


adam_step.mistake(
    "the moments are not bias-corrected: divide m by 1 - beta1**t and v by 1 - beta2**t, with t "
    "the number of this step",
    {" / (1 - beta1**t)": "", " / (1 - beta2**t)": ""},
)
adam_step.mistake(
    "the bias correction uses the number of steps before this one; increase state['t'] first, "
    "so that the first step has t = 1",
    {'state["t"] += 1\n    t = state["t"]': 't = state["t"]\n    state["t"] += 1'},
)
adam_step.mistake(
    "the second moment averages the gradient, not its square: v = beta2 v + (1 - beta2) g**2",
    {"(1 - beta2) * g**2": "(1 - beta2) * g"},
)
adam_step.mistake(
    "eps is added under the square root; it is added after it: sqrt(v_hat) + eps",
    {"(np.sqrt(v_hat) + eps)": "np.sqrt(v_hat + eps)"},
)


# ---------------------------------------------------------------- accuracy and confusion_matrix


@exercise(ref.accuracy)
def accuracy(rng):
    for _ in range(3):
        n_y, m = (int(v) for v in rng.permutation(np.arange(2, 12))[:2])
        probs, labels = random_probs(rng, n_y, m), rng.integers(0, n_y, size=m)
        labels[0] = probs[:, 0].argmax()  # one right answer at least: its count is not its fraction
        yield Case((probs, labels), f"n_y={n_y}, m={m}")


accuracy.mistake(
    "it counts the right answers; the accuracy is their fraction (divide by m)", {"np.mean(": "np.sum("}
)


@exercise(ref.confusion_matrix)
def confusion_matrix(rng):
    for n_classes, m in ((3, 20), (5, 50), (10, 200)):
        labels = rng.integers(0, n_classes, size=m)
        predicted = np.where(rng.random(m) < 0.6, labels, rng.integers(0, n_classes, size=m))
        yield Case((labels, predicted, n_classes), f"{m} examples of {n_classes} classes")


confusion_matrix.mistake(
    "the matrix is transposed: counts[i, j] counts the examples of TRUE class i predicted as j "
    "(rows: true classes)",
    {"(labels, predicted)": "(predicted, labels)"},
)
confusion_matrix.mistake(
    "counts[labels, predicted] += 1 counts a pair that occurs several times only once; "
    "np.add.at(counts, (labels, predicted), 1) counts every occurrence",
    {"np.add.at(counts, (labels, predicted), 1)": "counts[labels, predicted] += 1"},
)
