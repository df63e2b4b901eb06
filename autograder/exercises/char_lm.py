"""Hidden tests and known mistakes of assignment 07: the character-level language model."""

from copy import deepcopy

import numpy as np

from autograder.engine import Case, exercise, output_problem
from autograder.engine.registry import edited
from autograder.exercises.shared import integer_array_problem
from solutions import char_lm as ref

LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ .,!?\n"))


def random_text(rng, length):
    return "".join(rng.choice(LETTERS, size=length))


def random_model(rng, n_x, n_a, n_y, scale=0.5):
    """RNN parameters (Wax, Waa, Wya, ba, by) with non-zero biases, so that every term shows."""
    shapes = {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def random_batch(rng, vocab_size, m, T):
    X = ref.one_hot(rng.integers(0, vocab_size, size=(m, T)), vocab_size)
    Y = rng.integers(0, vocab_size, size=(m, T))
    return X, Y


# ---------------------------------------------------------------- build_vocabulary


# check() compares arrays and numbers, not lists of characters: vocabulary_problem compares the
# vocabulary itself and names these mistakes.
VOCABULARY_MISTAKES = [
    (description, edited(ref.build_vocabulary, {"sorted(set(text))": chars}, description))
    for description, chars in (
        ("the characters are in the order of their first appearance; sort them", "list(dict.fromkeys(text))"),
        ("chars holds every character of the text; keep each distinct character once", "sorted(text)"),
    )
]


def vocabulary_problem(got, expected, args, call):
    if not isinstance(got, tuple) or len(got) != 2:
        return "build_vocabulary should return the tuple (chars, char_to_ix)"
    chars, char_to_ix = got
    if not isinstance(chars, list):
        return f"chars should be a list, but it is a {type(chars).__name__}"
    if not isinstance(char_to_ix, dict):
        return f"char_to_ix should be a dict, but it is a {type(char_to_ix).__name__}"
    if chars == expected[0] and char_to_ix == expected[1]:
        return None
    known = next((text for text, wrong in VOCABULARY_MISTAKES if wrong(*args) == (chars, char_to_ix)), None)
    hint = f".\nThis looks like a known mistake: {known}" if known else ""
    if chars != expected[0]:
        return (
            f"chars should be the distinct characters in sorted order, {expected[0]!r}, not {chars!r}{hint}"
        )
    return f"char_to_ix should map each character to its position in chars{hint}"


@exercise(ref.build_vocabulary)
def build_vocabulary(rng):
    yield Case(("banana bread",), "the text 'banana bread'", verify=vocabulary_problem)
    for _ in range(3):
        text = random_text(rng, int(rng.integers(5, 60)))
        yield Case((text,), f"the text {text!r}", verify=vocabulary_problem)


# ---------------------------------------------------------------- encode


def encode_problem(got, expected, args, call):
    if isinstance(got, np.ndarray) and got.dtype.kind in "iu":
        got = got.astype(np.int64)
    problem = output_problem(got, expected, "the output")
    if problem:
        return problem
    bad = call(args[0] + "\u00e9", args[1])
    if bad.error is None:
        return "a character that is not in the vocabulary should raise ValueError, but no error was raised"
    if not isinstance(bad.error, ValueError):
        return (
            f"a character that is not in the vocabulary should raise ValueError, not "
            f"{type(bad.error).__name__}"
        )
    return None


@exercise(ref.encode)
def encode(rng):
    for _ in range(3):
        text = random_text(rng, int(rng.integers(20, 80)))
        _, char_to_ix = ref.build_vocabulary(text)
        yield Case(
            (text[: int(rng.integers(5, 20))], char_to_ix),
            f"a text of {len(text)} characters",
            verify=encode_problem,
        )


encode.mistake(
    "the indices are in a list; return a numpy array of integers, np.array(...)",
    {"np.array([char_to_ix[ch] for ch in text], dtype=np.int64)": "[char_to_ix[ch] for ch in text]"},
)


# ---------------------------------------------------------------- one_hot


@exercise(ref.one_hot)
def one_hot(rng):
    for dtype in (np.float64, np.float32, np.float64):
        m, T, vocab_size = (int(n) for n in rng.integers(2, 7, size=3))
        vocab_size += 3
        ix = rng.integers(0, vocab_size, size=(m, T))
        yield Case((ix, vocab_size, dtype), f"m={m}, T={T}, vocab_size={vocab_size}, dtype={dtype.__name__}")


one_hot.mistake(
    "the layout is (m, T, vocab_size); the course's layout is (vocab_size, m, T)",
    {"return X": "return X.transpose(1, 2, 0)"},
)
one_hot.mistake(
    "the dtype argument is ignored; make the array with dtype=dtype", {"dtype=dtype)": "dtype=np.float64)"}
)
one_hot.mistake(
    "the m and T axes are swapped: X[:, i, t] is sequence i at step t, shape (vocab_size, m, T)",
    {"return X": "return X.transpose(0, 2, 1)"},
)


# ---------------------------------------------------------------- make_streams


@exercise(ref.make_streams)
def make_streams(rng):
    for _ in range(3):
        N, m = int(rng.integers(30, 80)), int(rng.integers(2, 6))
        ix = rng.integers(0, 20, size=N)
        yield Case((ix, m), f"N={N}, m={m}")


make_streams.mistake(
    "the targets are the inputs themselves; each target is the NEXT character, "
    "ix[i * L + 1 : (i + 1) * L + 1]",
    {"ix[1 : m * L + 1]": "ix[: m * L]"},
)
make_streams.mistake(
    "the streams are interleaved (reshape to (L, m), then transposed); stream i "
    "must be the i-th consecutive piece of the text, ix[:m * L].reshape(m, L)",
    {"L + 1].reshape(m, L)": "L + 1].reshape(L, m).T", "L].reshape(m, L)": "L].reshape(L, m).T"},
)


# ---------------------------------------------------------------- lm_forward


@exercise(ref.lm_forward)
def lm_forward(rng):
    for _ in range(3):
        vocab_size, n_a, m, T = (int(n) for n in rng.integers(2, 7, size=4))
        vocab_size += 3
        X, Y = random_batch(rng, vocab_size, m, T)
        a0 = 0.5 * rng.standard_normal((n_a, m))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, T={T}"
        yield Case((X, Y, a0, random_model(rng, vocab_size, n_a, vocab_size)), label)


lm_forward.mistake(
    "the loss is summed over the characters; average it over all m * T of them", {"-np.mean(": "-np.sum("}
)
lm_forward.mistake(
    "the loss is averaged over the m sequences only; average it over all m * T characters",
    {"np.log(p_target)))": "np.log(p_target))) * T"},
)
lm_forward.mistake(
    "the loss uses the probability of the INPUT character; it is the probability of "
    "the target, the character that comes next, Y[i, t]",
    {"y_pred[Y, np.arange(m)[:, None], np.arange(T)[None, :]]": "np.sum(y_pred * X, axis=0)"},
)


# ---------------------------------------------------------------- lm_backward


def backward_cache(rng, vocab_size, n_a, m, T):
    X, Y = random_batch(rng, vocab_size, m, T)
    a0 = 0.5 * rng.standard_normal((n_a, m))
    return ref.lm_forward(X, Y, a0, random_model(rng, vocab_size, n_a, vocab_size))[1]


@exercise(ref.lm_backward)
def lm_backward(rng):
    for _ in range(3):
        vocab_size, n_a, m, T = (int(n) for n in rng.integers(2, 7, size=4))
        vocab_size += 3
        m += 1
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, T={T}"
        yield Case((backward_cache(rng, vocab_size, n_a, m, T),), label)


# The output layer's mistakes, the same in the binary adder's backward pass.
OUTPUT_LAYER_MISTAKES = {
    "dby is averaged over the examples; like dWya, it is a SUM over the examples "
    "and the steps (dz already holds the 1 / (m T))": {
        "dz.sum(axis=(1, 2))[:, None]": "dz.sum(axis=(1, 2))[:, None] / dz.shape[1]"
    },
    "the gradient of the hidden states from the outputs, da_t = Wya^T dz_t, does not "
    "reach rnn_backward, so dWax, dWaa and dba are zero": {"rnn_backward(da, ": "rnn_backward(0 * da, "},
    "dWya holds the last step only; sum dz_t a_t^T over all the steps": {
        "np.tensordot(dz, a, axes=([1, 2], [1, 2]))": "dz[:, :, -1] @ a[:, :, -1].T"
    },
}
lm_backward.mistake(
    "dz is not divided by m * T: the loss is the MEAN over the m * T characters, "
    "so dz = (y_hat - onehot(Y)) / (m T)",
    {"    dz /= m * T\n": ""},
)
for description, replacements in OUTPUT_LAYER_MISTAKES.items():
    lm_backward.mistake(description, replacements)


# ---------------------------------------------------------------- optimize


@exercise(ref.optimize, mutates=(3,))
def optimize(rng):
    for max_norm in (0.05, 100.0, 0.2):
        vocab_size, n_a, m, T = (int(n) for n in rng.integers(2, 7, size=4))
        vocab_size += 3
        X, Y = random_batch(rng, vocab_size, m, T)
        a_prev = 0.5 * rng.standard_normal((n_a, m))
        learning_rate = float(rng.uniform(0.1, 1.0))
        label = (
            f"vocab_size={vocab_size}, n_a={n_a}, m={m}, T={T}, "
            f"learning_rate={learning_rate:.3g}, max_norm={max_norm}"
        )
        args = (X, Y, a_prev, random_model(rng, vocab_size, n_a, vocab_size), learning_rate, max_norm)
        yield Case(args, label)


# A training step's mistakes, the same in the binary adder's training step.
UNCLIPPED = (
    "the gradients are not clipped: pass them through clip_by_norm(gradients, max_norm) before the update",
    {"clip_by_norm(": "dict(", "), max_norm)": "))"},
)
ASCENT = (
    "the step goes up the gradient; gradient descent subtracts: p -= learning_rate * dp",
    {"parameters[name] -= ": "parameters[name] += "},
)
optimize.mistake(*UNCLIPPED)
optimize.mistake(*ASCENT)
optimize.mistake(
    "the gradients are clipped element-wise (clip); clip them by their global norm, "
    "clip_by_norm(gradients, max_norm)",
    {
        "clip_by_norm(lm_backward(cache), max_norm)": (
            "{name: np.clip(g, -max_norm, max_norm) for name, g in lm_backward(cache).items()}"
        )
    },
)


# ---------------------------------------------------------------- train_epoch


@exercise(ref.train_epoch, mutates=(2,))
def train_epoch(rng):
    for seq_length in (4, 5):
        vocab_size, n_a, m = 6, 5, 3
        L = 17  # not a multiple of seq_length: the last batch is shorter
        inputs = rng.integers(0, vocab_size, size=(m, L))
        targets = rng.integers(0, vocab_size, size=(m, L))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, L={L}, seq_length={seq_length}"
        args = (inputs, targets, random_model(rng, vocab_size, n_a, vocab_size), seq_length, 0.5, 1.0)
        yield Case(args, label)


train_epoch.mistake(
    "the hidden state is reset to zero at every batch; carry the a_last of each batch into the next one",
    {"loss, _, a_prev = optimize(": "loss, _, _ = optimize("},
)
train_epoch.mistake(
    "the last, shorter batch is skipped; it holds the last L % seq_length characters",
    {"range(0, L, seq_length)": "range(0, L - seq_length + 1, seq_length)"},
)


# ---------------------------------------------------------------- evaluate


@exercise(ref.evaluate)
def evaluate(rng):
    for seq_length in (4, 6, 30):
        vocab_size, n_a, m, L = 7, 5, 3, 17
        inputs = rng.integers(0, vocab_size, size=(m, L))
        targets = rng.integers(0, vocab_size, size=(m, L))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, L={L}, seq_length={seq_length}"
        yield Case((inputs, targets, random_model(rng, vocab_size, n_a, vocab_size), seq_length), label)


evaluate.mistake(
    "this is the mean of the chunks' mean losses, which counts the characters of the "
    "shorter last chunk more; weight each chunk's loss by its number of characters",
    {"total += loss * Y.size": "total += loss", "total / (m * L)": "total / len(range(0, L, seq_length))"},
)
evaluate.mistake(
    "the hidden state is reset to zero at every chunk; carry it from chunk to chunk",
    {"        a_prev = cache[1][:, :, -1]\n": ""},
)


# ---------------------------------------------------------------- sample


def sample_problem(got, expected, args, call):
    problem = integer_array_problem(got, expected, "one index per character", "indices")
    if problem:
        return problem
    wrong = np.flatnonzero(got != expected)
    if not len(wrong):
        return None
    temperature = args[3]
    first = int(wrong[0])
    if temperature == 0:
        return (
            f"at temperature 0 the characters should be the argmax of the scores; the first wrong one "
            f"is at position {first}: got {got[first]}, expected {expected[first]}"
        )
    drawn = (
        f"the characters drawn differ from the reference's with the same seed, first at position {first} "
        f"(got {got[first]}, expected {expected[first]})"
    )
    greedy = (*args[:3], 0.0, *args[4:])  # the same call without random draws
    mine = call(*greedy)
    if mine.error is None and integer_array_problem(mine.value, expected, "", "") is None:
        wrong = np.flatnonzero(mine.value != ref.sample(*deepcopy(greedy)))
        if len(wrong):
            return (
                f"{drawn}. At temperature 0 (no random draw) your characters differ too, first at "
                f"position {int(wrong[0])}: the scores are wrong, not the random draws; check the hidden "
                "state (after the prompt, and from step to step) and the scores z = Wya a + by"
            )
    return (
        f"{drawn}. Make rng = np.random.default_rng(seed) once, then draw each character with exactly "
        "one call rng.choice(vocab_size, p=p), p = softmax(z / temperature) of shape (vocab_size,), "
        "and use rng for nothing else"
    )


@exercise(ref.sample)
def sample(rng):
    for temperature in (0.0, 0.5, 1.0, 2.0):
        vocab_size, n_a = int(rng.integers(4, 9)), int(rng.integers(3, 8))
        chars = list("abcdefghi"[:vocab_size])
        char_to_ix = {ch: i for i, ch in enumerate(chars)}
        params = random_model(rng, vocab_size, n_a, vocab_size, scale=1.5)
        start = "".join(rng.choice(chars, size=int(rng.integers(1, 4))))
        seed = int(rng.integers(1000))
        label = f"vocab_size={vocab_size}, n_a={n_a}, seed={seed}, temperature={temperature}, start={start!r}"
        yield Case((params, char_to_ix, seed, temperature, start, 30), label, verify=sample_problem)


sample.mistake(
    "the temperature is applied after the softmax (dividing the probabilities, then "
    "normalising, changes nothing); divide the scores: softmax(z / temperature)",
    {"np.exp((z - z.max()) / temperature)": "np.exp(z - z.max()) / temperature"},
)
sample.mistake(
    "the hidden state is not carried from step to step: a_t depends on a_{t-1}",
    {
        'x[index] = 1\n        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a': (
            'x[index] = 1\n        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ (0 * a)'
        )
    },
)
sample.mistake(
    "the character picked is not fed back: it must be the next step's input x_{t+1}",
    {"x[index] = 1": "x[char_to_ix[start[-1]]] = 1"},
)
sample.mistake(
    "the scores are multiplied by the temperature; divide them: softmax(z / temperature)",
    {"(z - z.max()) / temperature": "(z - z.max()) * temperature"},
)
