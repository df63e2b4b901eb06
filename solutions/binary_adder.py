"""Assignment 08: an RNN that learns to add binary numbers.

The numbers are read one bit per time step, least significant bit first, as on paper: a step
sees one bit of each number and outputs one bit of the sum, and the carry must travel in the
hidden state. Layout as in assignments 04 and 05: x has shape (2, m, T), y has shape (1, m, T).
"""

import numpy as np

from solutions.rnn_backward import clip_by_norm, rnn_backward
from solutions.rnn_forward import rnn_forward
from solutions.spiral_activations import sigmoid


def make_addition_data(m, n_bits, seed=None):
    """Random pairs of n_bits-bit integers and their sums, as bit sequences, least significant first.

    Each sequence has T = n_bits + 1 steps: the sum of two n_bits-bit numbers can need one bit
    more, so both inputs get a leading 0 at the last step, where the output holds the final
    carry.

    Inputs:
    - m: the number of pairs, an int.
    - n_bits: the number of bits of each input number, an int from 1 to 62.
    - seed: seed of np.random.default_rng, from which both numbers of every pair are drawn
      uniformly in [0, 2**n_bits).

    Returns:
    - x: shape (2, m, T), float64 of 0s and 1s; x[0, i, t] is bit t (the bit of value 2**t) of
      the first number of pair i, x[1, i, t] that of the second; x[:, i, T - 1] is 0.
    - y: shape (1, m, T), float64 of 0s and 1s; y[0, i, t] is bit t of the sum of pair i.
    """
    if not 1 <= n_bits <= 62:
        raise ValueError(f"n_bits must be from 1 to 62, not {n_bits}")
    rng = np.random.default_rng(seed=seed)
    numbers = rng.integers(0, 2**n_bits, size=(2, m), dtype=np.int64)
    total = numbers.sum(axis=0)
    powers = np.arange(n_bits + 1)
    x = ((numbers[:, :, None] >> powers) & 1).astype(np.float64)
    y = ((total[None, :, None] >> powers) & 1).astype(np.float64)
    return x, y


def adder_forward(x, a0, parameters):
    """The adder's predicted probability that each bit of the sum is 1.

    The hidden states come from the RNN of assignment 04 (its softmax output is not used: with
    a single output unit it is always 1). The output at every step is one probability:
    y_hat_t = sigmoid(Wya a_t + by).

    Inputs:
    - x: input bits, shape (2, m, T).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary with Wax (n_a, 2), Waa (n_a, n_a), Wya (1, n_a), ba (n_a, 1),
      by (1, 1).

    Returns:
    - y_hat: shape (1, m, T), the probabilities that the bits of the sum are 1.
    - cache: tuple (a, rnn_caches) for adder_backward: the hidden states a of shape
      (n_a, m, T) and the caches that rnn_forward returned.
    """
    a, _, rnn_caches = rnn_forward(x, a0, parameters)
    z = np.tensordot(parameters["Wya"], a, axes=1) + parameters["by"][:, :, None]
    return sigmoid(z), (a, rnn_caches)


def adder_loss(y_hat, y):
    """Binary cross-entropy of the predicted bits, averaged over all m * T bits, and its gradient.

    loss = -(1 / (m T)) * sum over i, t of [y log y_hat + (1 - y) log(1 - y_hat)], with y_hat
    first clipped to [1e-12, 1 - 1e-12] so that the loss stays finite.

    Inputs:
    - y_hat: predicted probabilities, shape (1, m, T), from adder_forward.
    - y: the true bits, shape (1, m, T).

    Returns:
    - loss: a float.
    - dz: the gradient of the loss with respect to the output scores z = Wya a_t + by (where
      y_hat = sigmoid(z)), shape (1, m, T): (y_hat - y) / (m T), with the unclipped y_hat.
    """
    _, m, T = y.shape
    p = np.clip(y_hat, 1e-12, 1 - 1e-12)
    loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return loss, (y_hat - y) / (m * T)


def adder_backward(dz, cache, parameters):
    """Gradients of the adder's loss with respect to every parameter.

    Inputs:
    - dz: gradient of the loss with respect to the output scores, shape (1, m, T), from
      adder_loss.
    - cache: tuple (a, rnn_caches) from adder_forward.
    - parameters: the dictionary of parameters used in the forward pass.

    Returns:
    - gradients: dictionary with dWax (n_a, 2), dWaa (n_a, n_a), dWya (1, n_a), dba (n_a, 1),
      dby (1, 1), each of the shape of its parameter.
    """
    a, rnn_caches = cache
    dWya = np.tensordot(dz, a, axes=([1, 2], [1, 2]))
    dby = dz.sum(axis=(1, 2))[:, None]
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dWya": dWya, "dba": grads["dba"], "dby": dby}


def adder_train_step(x, y, parameters, learning_rate, max_norm):
    """One step of training on a batch: forward from a zero hidden state, loss, backward,
    clipping by global norm, and gradient descent p -= learning_rate * dp, in place.

    Inputs:
    - x: input bits, shape (2, m, T).
    - y: the true bits of the sums, shape (1, m, T).
    - parameters: dictionary of parameters (as in adder_forward), changed in place.
    - learning_rate: the step size, a float.
    - max_norm: the largest global norm of the gradients (clip_by_norm), a float.

    Returns:
    - loss: the loss of the batch before the update, a float.
    """
    n_a = parameters["Waa"].shape[0]
    a0 = np.zeros((n_a, x.shape[1]), dtype=x.dtype)
    y_hat, cache = adder_forward(x, a0, parameters)
    loss, dz = adder_loss(y_hat, y)
    gradients = clip_by_norm(adder_backward(dz, cache, parameters), max_norm)
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]
    return loss


def addition_accuracy(y_hat, y):
    """How often the predicted bits, and the predicted sums, are right.

    A predicted bit is 1 where y_hat > 0.5 and 0 elsewhere. A sum is right when all of its T
    bits are.

    Inputs:
    - y_hat: predicted probabilities, shape (1, m, T).
    - y: the true bits, shape (1, m, T).

    Returns:
    - bit_accuracy: the fraction of the m * T bits that are right, a float.
    - number_accuracy: the fraction of the m sums that are right, a float.
    """
    correct = (y_hat > 0.5) == (y > 0.5)
    return float(correct.mean()), float(correct.all(axis=(0, 2)).mean())
