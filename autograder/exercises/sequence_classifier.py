"""Hidden tests and known mistakes of assignment 09: an LSTM that classifies digits read row by row."""

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from autograder.exercises.lstm_gru import random_parameters
from autograder.exercises.rnn_forward import sizes_label
from solutions import lstm_gru as ref06
from solutions import rnn_forward as ref04
from solutions import sequence_classifier as ref


def random_sizes(rng):
    """(n_x, n_a, n_y, m, T_x), small and all different, so that a mixed-up axis shows."""
    return tuple(int(v) for v in rng.permutation(np.arange(2, 9))[:5])


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


@exercise("images_to_sequences", ref.images_to_sequences)
def images_to_sequences_cases(rng):
    for _ in range(3):
        m, rows, cols = (int(v) for v in rng.permutation(np.arange(2, 9))[:3])
        yield Case((rng.random((m, rows, cols)),), f"{m} images of {rows} rows and {cols} columns")
    yield Case((rng.random((4, 5, 5)),), "4 square images of 5x5")


@mistake(
    "images_to_sequences",
    "the steps are the columns of the images: x[:, i, t] should be ROW t of image i, images[i, t, :]",
)
def images_to_sequences_columns(images):
    return images.transpose(1, 0, 2)


@mistake(
    "images_to_sequences",
    "np.reshape keeps the numbers in their memory order and so mixes up pixels of different "
    "images; np.transpose moves the axes",
)
def images_to_sequences_reshaped(images):
    m, rows, cols = images.shape
    return images.reshape(cols, m, rows)


# ---------------------------------------------------------------- classifier_forward


def forward_problem(got, expected, args, call):
    if not isinstance(got, tuple) or len(got) != 2:
        return "classifier_forward should return the tuple (probs, cache)"
    problem = output_problem(got[0], expected[0], "probs")
    if problem:
        return problem
    cache = got[1]
    if not isinstance(cache, tuple) or len(cache) != 2:
        return "the cache should be the tuple (a, lstm_caches)"
    return output_problem(cache[0], expected[1][0], "the cache's a") or output_problem(
        cache[1], expected[1][1], "the cache's lstm_caches"
    )


@exercise("classifier_forward", ref.classifier_forward)
def classifier_forward_cases(rng):
    for _ in range(3):
        parameters, x, _, label = random_classifier(rng)
        yield Case((x, parameters), label, verify=forward_problem)


@mistake(
    "classifier_forward",
    "the read-out uses the hidden state of the FIRST step; the prediction comes after the last "
    "row: softmax(Wy a[:, :, -1] + by)",
)
def classifier_forward_first_step(x, parameters):
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, _, _, lstm_caches = ref06.lstm_forward(x, np.zeros((n_a, m)), parameters)
    return ref04.softmax(parameters["Wy"] @ a[:, :, 0] + parameters["by"]), (a, lstm_caches)


@mistake(
    "classifier_forward",
    "the read-out uses the mean of the hidden states over the steps; it reads only the last one, a[:, :, -1]",
)
def classifier_forward_mean_state(x, parameters):
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, _, _, lstm_caches = ref06.lstm_forward(x, np.zeros((n_a, m)), parameters)
    return ref04.softmax(parameters["Wy"] @ a.mean(axis=2) + parameters["by"]), (a, lstm_caches)


@mistake("classifier_forward", "the read-out bias by is not added: softmax(Wy a[:, :, -1] + by)")
def classifier_forward_without_bias(x, parameters):
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, _, _, lstm_caches = ref06.lstm_forward(x, np.zeros((n_a, m)), parameters)
    return ref04.softmax(parameters["Wy"] @ a[:, :, -1]), (a, lstm_caches)


# ---------------------------------------------------------------- classifier_loss


@exercise("classifier_loss", ref.classifier_loss)
def classifier_loss_cases(rng):
    for _ in range(3):
        n_y, m = (int(v) for v in rng.integers(2, 9, size=2))
        labels = rng.integers(0, n_y, size=m)
        yield Case((random_probs(rng, n_y, m), labels), f"random predictions, n_y={n_y}, m={m}")
    certain = np.eye(4)[:, [0, 1, 2, 3, 1]]
    labels = np.array([0, 1, 2, 0, 3])
    yield Case((certain, labels), "certain predictions, two of them wrong (probability 0 for the true class)")


@mistake(
    "classifier_loss",
    "the loss is summed over the examples; it is their mean (divide by m), and so is dscores",
)
def classifier_loss_summed(probs, labels):
    m = labels.shape[0]
    loss = float(-np.sum(np.log(np.clip(probs[labels, np.arange(m)], 1e-12, 1.0))))
    dscores = probs.copy()
    dscores[labels, np.arange(m)] -= 1
    return loss, dscores


@mistake("classifier_loss", "dscores is not divided by m: the loss is a mean over the m examples")
def classifier_loss_dscores_not_averaged(probs, labels):
    m = labels.shape[0]
    loss = float(-np.mean(np.log(np.clip(probs[labels, np.arange(m)], 1e-12, 1.0))))
    dscores = probs.copy()
    dscores[labels, np.arange(m)] -= 1
    return loss, dscores


@mistake(
    "classifier_loss",
    "the probabilities are not clipped, so a probability of 0 for the true class gives an "
    "infinite loss: clip them to [1e-12, 1] inside the log",
)
def classifier_loss_unclipped(probs, labels):
    m = labels.shape[0]
    with np.errstate(divide="ignore"):
        loss = float(-np.mean(np.log(probs[labels, np.arange(m)])))
    dscores = probs.copy()
    dscores[labels, np.arange(m)] -= 1
    return loss, dscores / m


# ---------------------------------------------------------------- classifier_backward


@exercise("classifier_backward", ref.classifier_backward)
def classifier_backward_cases(rng):
    for _ in range(3):
        parameters, x, labels, label = random_classifier(rng)
        probs, cache = ref.classifier_forward(x, parameters)
        _, dscores = ref.classifier_loss(probs, labels)
        yield Case((dscores, cache, parameters), label)


@mistake(
    "classifier_backward",
    "the gradient Wy^T dscores enters the LSTM at every step; only the last hidden state feeds "
    "the read-out, so da is zero at every step but the last",
)
def classifier_backward_every_step(dscores, cache, parameters):
    a, lstm_caches = cache
    da = np.repeat((parameters["Wy"].T @ dscores)[:, :, None], a.shape[2], axis=2)
    grads = ref06.lstm_backward(da, lstm_caches)
    gradients = {key: value for key, value in grads.items() if key not in ("dx", "da0")}
    gradients["dWy"] = dscores @ a[:, :, -1].T
    gradients["dby"] = dscores.sum(axis=1, keepdims=True)
    return gradients


@mistake(
    "classifier_backward",
    "the gradient enters the LSTM at the FIRST step; the read-out reads the last hidden state, "
    "so da[:, :, -1] = Wy^T dscores",
)
def classifier_backward_first_step(dscores, cache, parameters):
    a, lstm_caches = cache
    da = np.zeros_like(a)
    da[:, :, 0] = parameters["Wy"].T @ dscores
    grads = ref06.lstm_backward(da, lstm_caches)
    gradients = {key: value for key, value in grads.items() if key not in ("dx", "da0")}
    gradients["dWy"] = dscores @ a[:, :, -1].T
    gradients["dby"] = dscores.sum(axis=1, keepdims=True)
    return gradients


# ---------------------------------------------------------------- minibatches


@exercise("minibatches", ref.minibatches)
def minibatches_cases(rng):
    for m, batch_size in ((10, 3), (64, 16), (37, 8), (5, 10)):
        yield Case((m, batch_size, int(rng.integers(1000))), f"m={m}, batch_size={batch_size}")


@mistake(
    "minibatches",
    "the examples are not shuffled: the order should be np.random.default_rng(seed).permutation(m)",
)
def minibatches_in_order(m, batch_size, seed):
    order = np.arange(m)
    return [order[start : start + batch_size] for start in range(0, m, batch_size)]


@mistake(
    "minibatches",
    "the last, smaller batch is dropped; every example is used once per epoch, so the last batch "
    "holds what is left",
)
def minibatches_last_dropped(m, batch_size, seed):
    order = np.random.default_rng(seed).permutation(m)
    return [order[start : start + batch_size] for start in range(0, m - batch_size + 1, batch_size)]


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


@exercise("adam_step", ref.adam_step, mutates=(0, 2))
def adam_step_cases(rng):
    for t, options in ((0, ()), (3, ()), (20, (0.8, 0.99, 1e-6))):
        shapes = {"W": tuple(int(v) for v in rng.integers(2, 6, size=2)), "b": (int(rng.integers(2, 6)), 1)}
        parameters = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
        gradients = {"d" + name: rng.standard_normal(shape) for name, shape in shapes.items()}
        state = random_adam_state(rng, parameters, t) if t else ref.init_adam(parameters)
        learning_rate = float(rng.uniform(0.001, 0.1))
        label = f"a state after {t} steps, learning_rate={learning_rate:.3g}"
        if options:
            label += f", beta1={options[0]}, beta2={options[1]}, eps={options[2]}"
        yield Case((parameters, gradients, state, learning_rate, *options), label, verify=adam_problem)


@mistake(
    "adam_step",
    "the moments are not bias-corrected: divide m by 1 - beta1**t and v by 1 - beta2**t, with t "
    "the number of this step",
)
def adam_step_uncorrected(parameters, gradients, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] += 1
    for name in parameters:
        g = gradients["d" + name]
        state["m"][name] = beta1 * state["m"][name] + (1 - beta1) * g
        state["v"][name] = beta2 * state["v"][name] + (1 - beta2) * g**2
        parameters[name] -= learning_rate * state["m"][name] / (np.sqrt(state["v"][name]) + eps)


@mistake(
    "adam_step",
    "the bias correction uses the number of steps before this one; increase state['t'] first, "
    "so that the first step has t = 1",
)
def adam_step_stale_t(parameters, gradients, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"]
    state["t"] += 1
    for name in parameters:
        g = gradients["d" + name]
        state["m"][name] = beta1 * state["m"][name] + (1 - beta1) * g
        state["v"][name] = beta2 * state["v"][name] + (1 - beta2) * g**2
        with np.errstate(divide="ignore", invalid="ignore"):
            m_hat = state["m"][name] / (1 - beta1**t)
            v_hat = state["v"][name] / (1 - beta2**t)
            parameters[name] -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)


@mistake(
    "adam_step",
    "the second moment averages the gradient, not its square: v = beta2 v + (1 - beta2) g**2",
)
def adam_step_unsquared(parameters, gradients, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] += 1
    t = state["t"]
    for name in parameters:
        g = gradients["d" + name]
        state["m"][name] = beta1 * state["m"][name] + (1 - beta1) * g
        state["v"][name] = beta2 * state["v"][name] + (1 - beta2) * g
        m_hat = state["m"][name] / (1 - beta1**t)
        v_hat = state["v"][name] / (1 - beta2**t)
        with np.errstate(invalid="ignore"):
            parameters[name] -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)


@mistake("adam_step", "eps is added under the square root; it is added after it: sqrt(v_hat) + eps")
def adam_step_eps_inside(parameters, gradients, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    state["t"] += 1
    t = state["t"]
    for name in parameters:
        g = gradients["d" + name]
        state["m"][name] = beta1 * state["m"][name] + (1 - beta1) * g
        state["v"][name] = beta2 * state["v"][name] + (1 - beta2) * g**2
        m_hat = state["m"][name] / (1 - beta1**t)
        v_hat = state["v"][name] / (1 - beta2**t)
        parameters[name] -= learning_rate * m_hat / np.sqrt(v_hat + eps)


# ---------------------------------------------------------------- accuracy and confusion_matrix


@exercise("accuracy", ref.accuracy)
def accuracy_cases(rng):
    for _ in range(3):
        n_y, m = (int(v) for v in rng.permutation(np.arange(2, 12))[:2])
        yield Case((random_probs(rng, n_y, m), rng.integers(0, n_y, size=m)), f"n_y={n_y}, m={m}")


@mistake("accuracy", "it counts the right answers; the accuracy is their fraction (divide by m)")
def accuracy_count(probs, labels):
    return float(np.sum(probs.argmax(axis=0) == labels))


@exercise("confusion_matrix", ref.confusion_matrix)
def confusion_matrix_cases(rng):
    for n_classes, m in ((3, 20), (5, 50), (10, 200)):
        labels = rng.integers(0, n_classes, size=m)
        predicted = np.where(rng.random(m) < 0.6, labels, rng.integers(0, n_classes, size=m))
        yield Case((labels, predicted, n_classes), f"{m} examples of {n_classes} classes")


@mistake(
    "confusion_matrix",
    "the matrix is transposed: counts[i, j] counts the examples of TRUE class i predicted as j "
    "(rows: true classes)",
)
def confusion_matrix_transposed(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (predicted, labels), 1)
    return counts


@mistake(
    "confusion_matrix",
    "counts[labels, predicted] += 1 counts a pair that occurs several times only once; "
    "np.add.at(counts, (labels, predicted), 1) counts every occurrence",
)
def confusion_matrix_fancy_increment(labels, predicted, n_classes):
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    counts[labels, predicted] += 1
    return counts
