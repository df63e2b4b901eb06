"""Assignment 09: an LSTM that classifies handwritten digits, reading each image row by row.

An 8x8 image is a sequence of T_x = 8 rows of n_x = 8 pixels. Layout as in assignments 04-06:
a batch of m images is x of shape (n_x, m, T_x), x[:, i, t] being row t of image i. The LSTM of
assignment 06 reads the rows; its output layer (Wy, by), applied to the last hidden state only,
is the read-out: one prediction per image (many-to-one), probabilities of shape (n_y, m).
"""

import numpy as np
from tqdm.auto import tqdm

from solutions.lstm_gru import lstm_backward, lstm_forward
from solutions.rnn_forward import softmax


def load_digits(path="digits.csv.gz"):
    """The 1,797 handwritten digits of the UCI "Optical Recognition of Handwritten Digits" data.

    Each line of the file holds the 64 pixels of an 8x8 image, row after row, each an integer
    from 0 to 16 (the number of ink pixels in a 4x4 block of the 32x32 scan), then the digit.

    Inputs:
    - path: the file, comma-separated values, possibly gzip-compressed.

    Returns:
    - images: shape (1797, 8, 8), float64 in [0, 1] (the counts divided by 16); images[i, r, c]
      is the pixel in row r, column c of image i.
    - labels: shape (1797,), int64 digits from 0 to 9.
    """
    table = np.loadtxt(path, delimiter=",", dtype=np.int64)
    return table[:, :-1].reshape(-1, 8, 8) / 16.0, table[:, -1]


def split(n, n_test, seed=0):
    """A random split of n examples into a training set and a held-out test set.

    Inputs:
    - n, n_test: ints, the number of examples and of test examples.
    - seed: seed of np.random.default_rng, whose permutation(n) orders the examples.

    Returns:
    - train, test: 1-d int arrays of example indices, n - n_test and n_test of them.
    """
    order = np.random.default_rng(seed).permutation(n)
    return order[n_test:], order[:n_test]


def images_to_sequences(images):
    """A batch of images as sequences of rows, in the course's layout.

    Inputs:
    - images: shape (m, n_rows, n_cols).

    Returns:
    - x: shape (n_cols, m, n_rows): x[:, i, t] is row t of image i (so n_x = n_cols pixels per
      step and T_x = n_rows steps).
    """
    return images.transpose(2, 0, 1)


def classifier_forward(x, parameters):
    """The LSTM reads every sequence; the read-out classifies its last hidden state.

    The LSTM starts from a zero hidden state (and lstm_forward starts from a zero cell state).
    The read-out is the LSTM's output layer applied at the last step only:
      probs = softmax(Wy a_last + by),  a_last = a[:, :, T_x - 1].

    Inputs:
    - x: input sequences, shape (n_x, m, T_x).
    - parameters: LSTM parameters as in init_lstm_parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x),
      bf, bi, bc, bo (n_a, 1), Wy (n_y, n_a), by (n_y, 1).

    Returns:
    - probs: class probabilities, shape (n_y, m); each column sums to 1.
    - cache: tuple (a, lstm_caches) for classifier_backward: the hidden states a of shape
      (n_a, m, T_x) and the caches that lstm_forward returned.
    """
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, _, _, lstm_caches = lstm_forward(x, np.zeros((n_a, m), dtype=x.dtype), parameters)
    probs = softmax(parameters["Wy"] @ a[:, :, -1] + parameters["by"])
    return probs, (a, lstm_caches)


def classifier_loss(probs, labels):
    """Cross-entropy of the predictions, averaged over the examples, and its gradient.

    loss = -(1 / m) * sum over i of log probs[labels[i], i], with probs first clipped to
    [1e-12, 1] so that the loss stays finite.

    Inputs:
    - probs: class probabilities, shape (n_y, m), from classifier_forward.
    - labels: the true classes, shape (m,), integers from 0 to n_y - 1.

    Returns:
    - loss: a float.
    - dscores: gradient of the loss with respect to the read-out's scores
      Wy a_last + by, shape (n_y, m): (probs - one_hot(labels)) / m, with the unclipped probs.
    """
    m = labels.shape[0]
    picked = probs[labels, np.arange(m)]
    loss = float(-np.mean(np.log(np.clip(picked, 1e-12, 1.0))))
    dscores = probs.copy()
    dscores[labels, np.arange(m)] -= 1
    return loss, dscores / m


def classifier_backward(dscores, cache, parameters):
    """Gradients of the classifier's loss with respect to every parameter.

    The loss reads only the last hidden state, so the gradient enters the LSTM there:
    da[:, :, T_x - 1] = Wy^T dscores, and da is zero at every other step. lstm_backward carries
    it back through time.

    Inputs:
    - dscores: gradient of the loss with respect to the read-out's scores, shape (n_y, m),
      from classifier_loss.
    - cache: tuple (a, lstm_caches) from classifier_forward.
    - parameters: the dictionary of parameters used in the forward pass.

    Returns:
    - gradients: dictionary with dWf, dWi, dWc, dWo (n_a, n_a + n_x), dbf, dbi, dbc, dbo
      (n_a, 1), dWy (n_y, n_a) and dby (n_y, 1): "d" + the name of every parameter.
    """
    a, lstm_caches = cache
    da = np.zeros_like(a)
    da[:, :, -1] = parameters["Wy"].T @ dscores
    lstm_gradients = lstm_backward(da, lstm_caches)
    gradients = {key: value for key, value in lstm_gradients.items() if key not in ("dx", "da0")}
    gradients["dWy"] = dscores @ a[:, :, -1].T
    gradients["dby"] = dscores.sum(axis=1, keepdims=True)
    return gradients


def minibatches(m, batch_size, seed):
    """The examples 0 .. m-1 in a random order, cut into mini-batches.

    Inputs:
    - m: the number of examples, an int.
    - batch_size: the number of examples per batch, an int.
    - seed: seed of the generator (anything np.random.default_rng takes); the order is
      np.random.default_rng(seed).permutation(m).

    Returns:
    - batches: a list of 1-d int arrays of example indices, each of batch_size indices except
      the last, which holds what is left (1 to batch_size indices); together they hold every
      index exactly once.
    """
    order = np.random.default_rng(seed).permutation(m)
    return [order[start : start + batch_size] for start in range(0, m, batch_size)]


def init_adam(parameters):
    """The state of Adam for these parameters: no step taken, both moments zero.

    Inputs:
    - parameters: dictionary of arrays.

    Returns:
    - state: dictionary with "t": 0 (steps taken), "m" and "v": dictionaries with an array of
      zeros of the shape of every parameter (first and second moment estimates).
    """
    return {
        "t": 0,
        "m": {name: np.zeros_like(value) for name, value in parameters.items()},
        "v": {name: np.zeros_like(value) for name, value in parameters.items()},
    }


def adam_step(parameters, gradients, state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update of every parameter, in place (Kingma and Ba, 2015, Algorithm 1).

    With t = state["t"] + 1 and g = gradients["d" + name], for every parameter:
      m = beta1 m + (1 - beta1) g             (moving average of the gradient)
      v = beta2 v + (1 - beta2) g**2          (moving average of its square)
      m_hat = m / (1 - beta1**t),  v_hat = v / (1 - beta2**t)   (bias correction)
      parameter -= learning_rate * m_hat / (sqrt(v_hat) + eps)

    Inputs:
    - parameters: dictionary of arrays, changed in place.
    - gradients: dictionary with "d" + name for every name of parameters.
    - state: dictionary from init_adam, changed in place: "t" becomes t, and "m", "v" hold the
      new moments.
    - learning_rate, beta1, beta2, eps: floats.

    Returns:
    - None.
    """
    state["t"] += 1
    t = state["t"]
    for name in parameters:
        g = gradients["d" + name]
        state["m"][name] = beta1 * state["m"][name] + (1 - beta1) * g
        state["v"][name] = beta2 * state["v"][name] + (1 - beta2) * g**2
        m_hat = state["m"][name] / (1 - beta1**t)
        v_hat = state["v"][name] / (1 - beta2**t)
        parameters[name] -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)


def sgd_step(parameters, gradients, learning_rate):
    """One step of gradient descent, in place: parameter -= learning_rate * gradient.

    Inputs:
    - parameters: dictionary of arrays, changed in place.
    - gradients: dictionary with "d" + name for every name of parameters.
    - learning_rate: a float.
    """
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]


def accuracy(probs, labels):
    """The fraction of examples whose most probable class is the true one.

    Inputs:
    - probs: class probabilities, shape (n_y, m).
    - labels: the true classes, shape (m,).

    Returns:
    - accuracy: a float from 0 to 1.
    """
    return float(np.mean(probs.argmax(axis=0) == labels))


def confusion_matrix(labels, predicted, n_classes):
    """How often each class is predicted as each class.

    Inputs:
    - labels: the true classes, shape (m,), integers from 0 to n_classes - 1.
    - predicted: the predicted classes, shape (m,), integers from 0 to n_classes - 1.
    - n_classes: an int.

    Returns:
    - counts: shape (n_classes, n_classes), int64: counts[i, j] is the number of examples of
      class i predicted as class j (so the diagonal counts the right answers, and each row sums
      to the number of examples of its class).
    """
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts


def train_classifier(parameters, update, data, epochs, batch_size, seed=0, progress="training"):
    """Train the classifier with mini-batches; return what happened at every step and epoch.

    Every epoch visits the training examples in a new random order (minibatches with the seed
    (seed, epoch)); every batch takes a forward pass, the loss, the backward pass
    and update(parameters, gradients). After each epoch the test accuracy is measured.

    Inputs:
    - parameters: LSTM parameters (init_lstm_parameters), changed in place.
    - update: update(parameters, gradients) changes the parameters in place (an Adam or SGD step).
    - data: tuple (x_train, labels_train, x_test, labels_test): sequences of shape (n_x, m, T_x)
      and labels of shape (m,).
    - epochs, batch_size: ints.
    - seed: seed of the generator that orders the batches.
    - progress: the label of the progress bar (tqdm), or None for no bar.

    Returns:
    - history: dictionary with "loss" (the loss of every batch, a list of floats) and
      "test_accuracy" (the test accuracy after every epoch, a list of floats).
    """
    x_train, labels_train, x_test, labels_test = data
    history = {"loss": [], "test_accuracy": []}
    bar = tqdm(range(epochs), desc=progress, unit="epoch", disable=progress is None)
    for epoch in bar:
        for batch in minibatches(labels_train.shape[0], batch_size, seed=(seed, epoch)):
            probs, cache = classifier_forward(x_train[:, batch], parameters)
            loss, dscores = classifier_loss(probs, labels_train[batch])
            update(parameters, classifier_backward(dscores, cache, parameters))
            history["loss"].append(loss)
        history["test_accuracy"].append(accuracy(classifier_forward(x_test, parameters)[0], labels_test))
        recent_loss = np.mean(history["loss"][-10:])
        bar.set_postfix(loss=f"{recent_loss:.3f}", test=f"{history['test_accuracy'][-1]:.3f}")
    return history
