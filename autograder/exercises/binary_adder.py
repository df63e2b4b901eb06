"""Hidden tests and known mistakes of assignment 08: the binary adder."""

import numpy as np

from autograder.engine import Case, exercise
from autograder.exercises.char_lm import ASCENT, OUTPUT_LAYER_MISTAKES, UNCLIPPED, random_model
from autograder.exercises.shared import same_seed_problem
from solutions import binary_adder as ref


def random_bits(rng, m, T):
    x = rng.integers(0, 2, size=(2, m, T)).astype(np.float64)
    x[:, :, -1] = 0
    return x


# ---------------------------------------------------------------- make_addition_data


def addition_data_problem(got, expected, args, call):
    """The pairs are random: check what defines them, not the values drawn."""
    m, n_bits, seed = args
    T = n_bits + 1
    if not isinstance(got, tuple) or len(got) != 2:
        return "make_addition_data should return the tuple (x, y)"
    for array, name, shape in zip(got, ("x", "y"), ((2, m, T), (1, m, T)), strict=True):
        if type(array) is not np.ndarray:
            return f"{name} should be a numpy array, but it is a {type(array).__name__}"
        if array.shape != shape:
            return f"{name} has shape {array.shape}, expected {shape} (T = n_bits + 1 = {T})"
        if array.dtype != np.float64:
            return f"{name} has dtype {array.dtype}, expected float64"
        if not np.isin(array, (0.0, 1.0)).all():
            return f"{name} should hold only 0s and 1s"
    x, y = got
    if x[:, :, -1].any():
        return "the inputs' last step should be 0: the numbers have n_bits bits, the sums n_bits + 1"
    powers = 2.0 ** np.arange(T)
    u, v, s = x[0] @ powers, x[1] @ powers, y[0] @ powers
    if not np.array_equal(u + v, s):
        reversed_powers = powers[::-1]
        if np.array_equal(x[0] @ reversed_powers + x[1] @ reversed_powers, y[0] @ reversed_powers):
            return (
                "the bits are in the wrong order: bit t, of value 2**t, goes to step t "
                "(least significant first)"
            )
        return "y should hold the bits of the sums x[0] + x[1], least significant bit first"
    numbers = np.concatenate([u, v])
    mean, top = numbers.mean(), 2.0**n_bits - 1
    if abs(mean - top / 2) > 0.15 * top or numbers.max() < 0.75 * top:
        return (
            f"the numbers should be drawn uniformly from [0, 2**{n_bits}); yours have mean {mean:.4g} "
            f"and maximum {numbers.max():.4g}"
        )
    return same_seed_problem(got, args, call, "data")


@exercise(ref.make_addition_data)
def make_addition_data(rng):
    for m, n_bits in ((200, 3), (300, 8), (200, 20)):
        seed = int(rng.integers(1000))
        label = f"m={m}, n_bits={n_bits}, seed={seed}"
        yield Case((m, n_bits, seed), label, verify=addition_data_problem)


make_addition_data.mistake(
    "the bits are in the wrong order: bit t, of value 2**t, goes to step t (least significant first)",
    {"np.arange(n_bits + 1)": "np.arange(n_bits + 1)[::-1]"},
)


# ---------------------------------------------------------------- adder_forward


@exercise(ref.adder_forward)
def adder_forward(rng):
    for _ in range(3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        a0 = 0.5 * rng.standard_normal((n_a, m))
        label = f"n_a={n_a}, m={m}, T={T}"
        yield Case((random_bits(rng, m, T), a0, random_model(rng, 2, n_a, 1, scale=0.8)), label)


adder_forward.mistake(
    "the output bias by is not added: y_hat = sigmoid(Wya a_t + by)", {' + parameters["by"][:, :, None]': ""}
)
adder_forward.mistake(
    "y_hat is the softmax output of rnn_forward, always 1 for a single unit; use sigmoid(Wya a_t + by)",
    {"a, _, rnn_caches": "a, y_pred, rnn_caches", "return sigmoid(z),": "return y_pred,"},
)


# ---------------------------------------------------------------- adder_loss


@exercise(ref.adder_loss)
def adder_loss(rng):
    for certain in (False, False, True):
        m, T = int(rng.integers(2, 8)), int(rng.integers(2, 8))
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        y_hat = rng.uniform(0.02, 0.98, size=(1, m, T))
        label = f"m={m}, T={T}"
        if certain:  # some predictions exactly right, some exactly wrong
            y_hat[0, 0, :] = y[0, 0, :]
            y_hat[0, 1, :] = 1 - y[0, 1, :]
            label += ", with predictions of exactly 0 and 1"
        yield Case((y_hat, y), label, no_warnings=True)


adder_loss.mistake(
    "the loss is summed over the bits; average it over all m * T of them", {"-np.mean(": "-np.sum("}
)
adder_loss.mistake(
    "dz is not divided by m * T: the loss is the MEAN over the m * T bits",
    {"(y_hat - y) / (m * T)": "y_hat - y"},
)
adder_loss.mistake("dz has the wrong sign: it is (y_hat - y) / (m T)", {"(y_hat - y) /": "(y - y_hat) /"})


# ---------------------------------------------------------------- adder_backward


@exercise(ref.adder_backward)
def adder_backward(rng):
    for _ in range(3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        m += 1
        params = random_model(rng, 2, n_a, 1, scale=0.8)
        x = random_bits(rng, m, T)
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        y_hat, cache = ref.adder_forward(x, 0.5 * rng.standard_normal((n_a, m)), params)
        _, dz = ref.adder_loss(y_hat, y)
        yield Case((dz, cache, params), f"n_a={n_a}, m={m}, T={T}")


for description, replacements in OUTPUT_LAYER_MISTAKES.items():
    adder_backward.mistake(description, replacements)


# ---------------------------------------------------------------- adder_train_step


@exercise(ref.adder_train_step, mutates=(2,))
def adder_train_step(rng):
    for max_norm in (0.05, 100.0, 0.3):
        n_a, m, T = (int(n) for n in rng.integers(2, 7, size=3))
        x = random_bits(rng, m, T)
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        learning_rate = float(rng.uniform(0.1, 2.0))
        label = f"n_a={n_a}, m={m}, T={T}, learning_rate={learning_rate:.3g}, max_norm={max_norm}"
        args = (x, y, random_model(rng, 2, n_a, 1, scale=0.8), learning_rate, max_norm)
        yield Case(args, label)


adder_train_step.mistake(*UNCLIPPED)
adder_train_step.mistake(*ASCENT)


# ---------------------------------------------------------------- addition_accuracy


@exercise(ref.addition_accuracy)
def addition_accuracy(rng):
    for _ in range(3):
        m, T = int(rng.integers(20, 40)), int(rng.integers(2, 5))
        y = rng.integers(0, 2, size=(1, m, T)).astype(np.float64)
        # mostly right, so that some sums are entirely right and some are not
        y_hat = np.where(rng.random((1, m, T)) < 0.85, y, 1 - y) * 0.8 + 0.1
        y_hat += rng.uniform(-0.05, 0.05, size=y_hat.shape)
        yield Case((y_hat, y), f"m={m}, T={T}")


addition_accuracy.mistake(
    "the number accuracy counts a sum as right when ANY of its bits is right; all T bits must be right",
    {"correct.all(": "correct.any("},
)
addition_accuracy.mistake(
    "the number accuracy looks at the wrong axis: a sum is one example, the "
    "bits of y[0, i, :] over the steps",
    {"axis=(0, 2)": "axis=(0, 1)"},
)
