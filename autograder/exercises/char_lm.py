"""Hidden tests and known mistakes of assignment 07: the character-level language model."""

from copy import deepcopy

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from solutions import char_lm as ref
from solutions import rnn_backward as ref05
from solutions import rnn_forward as ref04

LETTERS = np.array(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ .,!?\n"))


def random_text(rng, length):
    return "".join(rng.choice(LETTERS, size=length))


def random_model(rng, vocab_size, n_a, scale=0.5):
    """Parameters with non-zero biases, so that every term shows."""
    shapes = {
        "Wax": (n_a, vocab_size),
        "Waa": (n_a, n_a),
        "Wya": (vocab_size, n_a),
        "ba": (n_a, 1),
        "by": (vocab_size, 1),
    }
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


def random_batch(rng, vocab_size, m, T):
    X = ref.one_hot(rng.integers(0, vocab_size, size=(m, T)), vocab_size)
    Y = rng.integers(0, vocab_size, size=(m, T))
    return X, Y


# ---------------------------------------------------------------- build_vocabulary


def vocabulary_unsorted(text):
    chars = list(dict.fromkeys(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def vocabulary_repeated(text):
    chars = sorted(text)
    return chars, {ch: i for i, ch in enumerate(chars)}


# check() compares arrays and numbers, not lists of characters: vocabulary_problem compares the
# vocabulary itself and names these mistakes.
VOCABULARY_MISTAKES = [
    ("the characters are in the order of their first appearance; sort them", vocabulary_unsorted),
    ("chars holds every character of the text; keep each distinct character once", vocabulary_repeated),
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


@exercise("build_vocabulary", ref.build_vocabulary)
def build_vocabulary_cases(rng):
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


@exercise("encode", ref.encode)
def encode_cases(rng):
    for _ in range(3):
        text = random_text(rng, int(rng.integers(20, 80)))
        _, char_to_ix = ref.build_vocabulary(text)
        yield Case(
            (text[: int(rng.integers(5, 20))], char_to_ix),
            f"a text of {len(text)} characters",
            verify=encode_problem,
        )


@mistake("encode", "the indices are in a list; return a numpy array of integers, np.array(...)")
def encode_list(text, char_to_ix):
    return [char_to_ix[ch] for ch in text]


# ---------------------------------------------------------------- one_hot


@exercise("one_hot", ref.one_hot)
def one_hot_cases(rng):
    for dtype in (np.float64, np.float32, np.float64):
        m, T, vocab_size = (int(n) for n in rng.integers(2, 7, size=3))
        vocab_size += 3
        ix = rng.integers(0, vocab_size, size=(m, T))
        yield Case((ix, vocab_size, dtype), f"m={m}, T={T}, vocab_size={vocab_size}, dtype={dtype.__name__}")


@mistake("one_hot", "the layout is (m, T, vocab_size); the course's layout is (vocab_size, m, T)")
def one_hot_batch_first(ix, vocab_size, dtype=np.float64):
    return np.eye(vocab_size, dtype=dtype)[ix]


@mistake("one_hot", "the dtype argument is ignored; make the array with dtype=dtype")
def one_hot_float64(ix, vocab_size, dtype=np.float64):
    return np.moveaxis(np.eye(vocab_size)[ix], 2, 0)


@mistake(
    "one_hot", "the m and T axes are swapped: X[:, i, t] is sequence i at step t, shape (vocab_size, m, T)"
)
def one_hot_swapped(ix, vocab_size, dtype=np.float64):
    return np.moveaxis(np.eye(vocab_size, dtype=dtype)[ix], 2, 0).transpose(0, 2, 1)


# ---------------------------------------------------------------- make_streams


@exercise("make_streams", ref.make_streams)
def make_streams_cases(rng):
    for _ in range(3):
        N, m = int(rng.integers(30, 80)), int(rng.integers(2, 6))
        ix = rng.integers(0, 20, size=N)
        yield Case((ix, m), f"N={N}, m={m}")


@mistake(
    "make_streams",
    "the targets are the inputs themselves; each target is the NEXT character, "
    "ix[i * L + 1 : (i + 1) * L + 1]",
)
def make_streams_unshifted(ix, m):
    L = (len(ix) - 1) // m
    inputs = ix[: m * L].reshape(m, L)
    return inputs, inputs.copy()


@mistake(
    "make_streams",
    "the streams are interleaved (reshape to (L, m), then transposed); stream i "
    "must be the i-th consecutive piece of the text, ix[:m * L].reshape(m, L)",
)
def make_streams_interleaved(ix, m):
    L = (len(ix) - 1) // m
    return ix[: m * L].reshape(L, m).T, ix[1 : m * L + 1].reshape(L, m).T


# ---------------------------------------------------------------- lm_forward


@exercise("lm_forward", ref.lm_forward)
def lm_forward_cases(rng):
    for _ in range(3):
        vocab_size, n_a, m, T = (int(n) for n in rng.integers(2, 7, size=4))
        vocab_size += 3
        X, Y = random_batch(rng, vocab_size, m, T)
        a0 = 0.5 * rng.standard_normal((n_a, m))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, T={T}"
        yield Case((X, Y, a0, random_model(rng, vocab_size, n_a)), label, verify=lm_forward_problem)


@mistake("lm_forward", "the loss is summed over the characters; average it over all m * T of them")
def lm_forward_summed(X, Y, a0, parameters):
    cache_list, a, y_pred, a_t = [], [], [], a0
    for t in range(X.shape[2]):
        a_prev = a_t
        a_t = np.tanh(parameters["Wax"] @ X[:, :, t] + parameters["Waa"] @ a_prev + parameters["ba"])
        z = parameters["Wya"] @ a_t + parameters["by"]
        e = np.exp(z - z.max(axis=0))
        a.append(a_t)
        y_pred.append(e / e.sum(axis=0))
        cache_list.append((a_t, a_prev, X[:, :, t], parameters))
    a, y_pred = np.stack(a, axis=2), np.stack(y_pred, axis=2)
    m, T = Y.shape
    p = y_pred[Y, np.arange(m)[:, None], np.arange(T)[None, :]]
    return float(-np.sum(np.log(p))), (y_pred, a, Y, (cache_list, X))


@mistake("lm_forward", "the loss is averaged over the m sequences only; average it over all m * T characters")
def lm_forward_per_sequence(X, Y, a0, parameters):
    loss, cache = ref.lm_forward(X, Y, a0, parameters)
    return loss * Y.shape[1], cache


@mistake(
    "lm_forward",
    "the loss uses the probability of the INPUT character; it is the probability of "
    "the target, the character that comes next, Y[i, t]",
)
def lm_forward_input_character(X, Y, a0, parameters):
    _, cache = ref.lm_forward(X, Y, a0, parameters)
    return float(-np.mean(np.log(np.sum(cache[0] * X, axis=0)))), cache


def lm_forward_problem(got, expected, args, call):
    """Compare the loss, then the cache (y_pred, a, Y, and the rnn caches as a whole)."""
    if not isinstance(got, tuple) or len(got) != 2:
        return "lm_forward should return the tuple (loss, cache)"
    problem = output_problem(got[0], expected[0], "the loss")
    if problem:
        return problem
    cache = got[1]
    if not isinstance(cache, tuple) or len(cache) != 4:
        return "the cache should be the tuple (y_pred, a, Y, rnn_caches)"
    for index, name in enumerate(("y_pred", "a", "Y", "rnn_caches")):
        problem = output_problem(cache[index], expected[1][index], f"the cache's {name}")
        if problem:
            return problem
    return None


# ---------------------------------------------------------------- lm_backward


def backward_cache(rng, vocab_size, n_a, m, T):
    X, Y = random_batch(rng, vocab_size, m, T)
    a0 = 0.5 * rng.standard_normal((n_a, m))
    return ref.lm_forward(X, Y, a0, random_model(rng, vocab_size, n_a))[1]


@exercise("lm_backward", ref.lm_backward)
def lm_backward_cases(rng):
    for _ in range(3):
        vocab_size, n_a, m, T = (int(n) for n in rng.integers(2, 7, size=4))
        vocab_size += 3
        m += 1
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, T={T}"
        yield Case((backward_cache(rng, vocab_size, n_a, m, T),), label)


def output_layer_gradients(cache, scale):
    """dz, dWya, dby, da of the output layer, with dz = (y_pred - onehot) * scale."""
    y_pred, a, Y, rnn_caches = cache
    parameters = rnn_caches[0][0][3]
    m, T = Y.shape
    dz = y_pred.copy()
    dz[Y, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1
    dz *= scale
    return (
        dz,
        np.einsum("ymt,amt->ya", dz, a),
        dz.sum(axis=(1, 2))[:, None],
        np.einsum("ya,ymt->amt", parameters["Wya"], dz),
    )


def through_time(da, rnn_caches):
    """dWax, dWaa, dba of backpropagation through time (for the mistakes)."""
    gradients = ref05.rnn_backward(da, rnn_caches)
    return gradients["dWax"], gradients["dWaa"], gradients["dba"]


@mistake(
    "lm_backward",
    "dz is not divided by m * T: the loss is the MEAN over the m * T characters, "
    "so dz = (y_hat - onehot(Y)) / (m T)",
)
def lm_backward_unscaled(cache):
    y_pred, a, Y, rnn_caches = cache
    cache_list, x = rnn_caches
    p = cache_list[0][3]
    m, T = Y.shape
    dz = y_pred.copy()
    dz[Y, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1
    da = np.einsum("ya,ymt->amt", p["Wya"], dz)
    dWax, dWaa, dba = np.zeros_like(p["Wax"]), np.zeros_like(p["Waa"]), np.zeros_like(p["ba"])
    carried = np.zeros_like(da[:, :, 0])
    for t in reversed(range(T)):
        a_next, a_prev, xt, _ = cache_list[t]
        dtanh = (da[:, :, t] + carried) * (1 - a_next**2)
        dWax += dtanh @ xt.T
        dWaa += dtanh @ a_prev.T
        dba += dtanh.sum(axis=1, keepdims=True)
        carried = p["Waa"].T @ dtanh
    return {
        "dWax": dWax,
        "dWaa": dWaa,
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dba": dba,
        "dby": dz.sum(axis=(1, 2))[:, None],
    }


@mistake(
    "lm_backward",
    "dby is averaged over the examples; like dWya, it is a SUM over the examples "
    "and the steps (dz already holds the 1 / (m T))",
)
def lm_backward_mean_bias(cache):
    m = cache[2].shape[0]
    dz, dWya, dby, da = output_layer_gradients(cache, 1 / cache[2].size)
    dWax, dWaa, dba = through_time(da, cache[3])
    return {"dWax": dWax, "dWaa": dWaa, "dWya": dWya, "dba": dba, "dby": dby / m}


@mistake(
    "lm_backward",
    "the gradient of the hidden states from the outputs, da_t = Wya^T dz_t, does not "
    "reach rnn_backward, so dWax, dWaa and dba are zero",
)
def lm_backward_no_da(cache):
    dz, dWya, dby, da = output_layer_gradients(cache, 1 / cache[2].size)
    dWax, dWaa, dba = through_time(0 * da, cache[3])
    return {"dWax": dWax, "dWaa": dWaa, "dWya": dWya, "dba": dba, "dby": dby}


@mistake("lm_backward", "dWya holds the last step only; sum dz_t a_t^T over all the steps")
def lm_backward_last_step(cache):
    dz, dWya, dby, da = output_layer_gradients(cache, 1 / cache[2].size)
    dWax, dWaa, dba = through_time(da, cache[3])
    dWya = dz[:, :, -1] @ cache[1][:, :, -1].T
    return {"dWax": dWax, "dWaa": dWaa, "dWya": dWya, "dba": dba, "dby": dby}


# ---------------------------------------------------------------- optimize

OPTIMIZE_RETURNS = ("the returned loss", "the returned gradients", "the returned a_last")


def optimize_problem(got, expected, args, call):
    """Compare the updated parameters, then what optimize returned."""
    problem = output_problem(got[0], expected[0], "the updated parameters")
    if problem:
        return problem
    outcome = call(*args)
    if outcome.error is not None:
        return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
    returned = outcome.value
    if not isinstance(returned, tuple) or len(returned) != 3:
        return "optimize should return the tuple (loss, gradients, a_last)"
    want = ref.optimize(*deepcopy(args))
    for got_part, want_part, where in zip(returned, want, OPTIMIZE_RETURNS, strict=True):
        problem = output_problem(got_part, want_part, where)
        if problem:
            return problem
    return None


@exercise("optimize", ref.optimize, mutates=(3,))
def optimize_cases(rng):
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
        args = (X, Y, a_prev, random_model(rng, vocab_size, n_a), learning_rate, max_norm)
        yield Case(args, label, verify=optimize_problem)


@mistake(
    "optimize",
    "the gradients are not clipped: pass them through clip_by_norm(gradients, max_norm) before the update",
)
def optimize_unclipped(X, Y, a_prev, parameters, learning_rate, max_norm):
    m, T = Y.shape
    a, y_pred, a_t = [], [], a_prev
    p = parameters
    for t in range(T):
        a_t = np.tanh(p["Wax"] @ X[:, :, t] + p["Waa"] @ a_t + p["ba"])
        z = p["Wya"] @ a_t + p["by"]
        e = np.exp(z - z.max(axis=0))
        a.append(a_t)
        y_pred.append(e / e.sum(axis=0))
    a, y_pred = np.stack(a, axis=2), np.stack(y_pred, axis=2)
    rows, cols = np.arange(m)[:, None], np.arange(T)[None, :]
    loss = float(-np.mean(np.log(y_pred[Y, rows, cols])))
    dz = y_pred.copy()
    dz[Y, rows, cols] -= 1
    dz /= m * T
    grads = {
        "dWax": np.zeros_like(p["Wax"]),
        "dWaa": np.zeros_like(p["Waa"]),
        "dba": np.zeros_like(p["ba"]),
        "dWya": np.einsum("ymt,amt->ya", dz, a),
        "dby": dz.sum(axis=(1, 2))[:, None],
    }
    carried = np.zeros_like(a_prev)
    for t in reversed(range(T)):
        before = a[:, :, t - 1] if t > 0 else a_prev
        dtanh = (p["Wya"].T @ dz[:, :, t] + carried) * (1 - a[:, :, t] ** 2)
        grads["dWax"] += dtanh @ X[:, :, t].T
        grads["dWaa"] += dtanh @ before.T
        grads["dba"] += dtanh.sum(axis=1, keepdims=True)
        carried = p["Waa"].T @ dtanh
    for name in parameters:
        parameters[name] -= learning_rate * grads["d" + name]
    return loss, grads, a[:, :, -1]


@mistake("optimize", "the step goes up the gradient; gradient descent subtracts: p -= learning_rate * dp")
def optimize_ascent(X, Y, a_prev, parameters, learning_rate, max_norm):
    loss, cache = ref.lm_forward(X, Y, a_prev, parameters)
    gradients = ref05.clip_by_norm(ref.lm_backward(cache), max_norm)
    for name in parameters:
        parameters[name] += learning_rate * gradients["d" + name]
    return loss, gradients, cache[1][:, :, -1]


@mistake(
    "optimize",
    "the gradients are clipped element-wise (clip); clip them by their global norm, "
    "clip_by_norm(gradients, max_norm)",
)
def optimize_clip_elementwise(X, Y, a_prev, parameters, learning_rate, max_norm):
    loss, cache = ref.lm_forward(X, Y, a_prev, parameters)
    gradients = ref05.clip(ref.lm_backward(cache), max_norm)
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]
    return loss, gradients, cache[1][:, :, -1]


# ---------------------------------------------------------------- train_epoch


def train_epoch_problem(got, expected, args, call):
    problem = output_problem(got[0], expected[0], "the trained parameters", rtol=1e-6, atol=1e-9)
    if problem:
        return problem
    outcome = call(*args)
    if outcome.error is not None:
        return f"a second call raised {type(outcome.error).__name__}: {outcome.error}"
    losses = outcome.value
    want = ref.train_epoch(*deepcopy(args))
    if not isinstance(losses, (list, tuple, np.ndarray)) or len(losses) != len(want):
        return f"train_epoch should return a list of {len(want)} losses, one per batch"
    return output_problem(np.asarray(losses, dtype=np.float64), np.array(want), "the returned losses")


@exercise("train_epoch", ref.train_epoch, mutates=(2,))
def train_epoch_cases(rng):
    for seq_length in (4, 5):
        vocab_size, n_a, m = 6, 5, 3
        L = 17  # not a multiple of seq_length: the last batch is shorter
        inputs = rng.integers(0, vocab_size, size=(m, L))
        targets = rng.integers(0, vocab_size, size=(m, L))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, L={L}, seq_length={seq_length}"
        args = (inputs, targets, random_model(rng, vocab_size, n_a), seq_length, 0.5, 1.0)
        yield Case(args, label, verify=train_epoch_problem)


@mistake(
    "train_epoch",
    "the hidden state is reset to zero at every batch; carry the a_last of each batch into the next one",
)
def train_epoch_reset(inputs, targets, parameters, seq_length, learning_rate, max_norm):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    losses = []
    for start in range(0, L, seq_length):
        X = ref.one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, _, _ = ref.optimize(X, Y, np.zeros((n_a, m)), parameters, learning_rate, max_norm)
        losses.append(loss)
    return losses


@mistake("train_epoch", "the last, shorter batch is skipped; it holds the last L % seq_length characters")
def train_epoch_full_batches(inputs, targets, parameters, seq_length, learning_rate, max_norm):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m))
    losses = []
    for start in range(0, L - seq_length + 1, seq_length):
        X = ref.one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, _, a_prev = ref.optimize(X, Y, a_prev, parameters, learning_rate, max_norm)
        losses.append(loss)
    return losses


# ---------------------------------------------------------------- evaluate


@exercise("evaluate", ref.evaluate)
def evaluate_cases(rng):
    for seq_length in (4, 6, 30):
        vocab_size, n_a, m, L = 7, 5, 3, 17
        inputs = rng.integers(0, vocab_size, size=(m, L))
        targets = rng.integers(0, vocab_size, size=(m, L))
        label = f"vocab_size={vocab_size}, n_a={n_a}, m={m}, L={L}, seq_length={seq_length}"
        yield Case((inputs, targets, random_model(rng, vocab_size, n_a), seq_length), label)


@mistake(
    "evaluate",
    "this is the mean of the chunks' mean losses, which counts the characters of the "
    "shorter last chunk more; weight each chunk's loss by its number of characters",
)
def evaluate_mean_of_means(inputs, targets, parameters, seq_length):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m))
    losses = []
    for start in range(0, L, seq_length):
        X = np.moveaxis(np.eye(vocab_size)[inputs[:, start : start + seq_length]], 2, 0)
        Y = targets[:, start : start + seq_length]
        a, y_pred, _ = ref04.rnn_forward(X, a_prev, parameters)
        p = y_pred[Y, np.arange(m)[:, None], np.arange(Y.shape[1])[None, :]]
        losses.append(-np.mean(np.log(p)))
        a_prev = a[:, :, -1]
    return float(np.mean(losses))


@mistake("evaluate", "the hidden state is reset to zero at every chunk; carry it from chunk to chunk")
def evaluate_reset(inputs, targets, parameters, seq_length):
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    total = 0.0
    for start in range(0, L, seq_length):
        X = ref.one_hot(inputs[:, start : start + seq_length], vocab_size)
        Y = targets[:, start : start + seq_length]
        loss, _ = ref.lm_forward(X, Y, np.zeros((n_a, m)), parameters)
        total += loss * Y.size
    return total / (m * L)


# ---------------------------------------------------------------- sample


def sample_problem(got, expected, args, call):
    if type(got) is not np.ndarray:
        return f"sample should return a numpy array of indices, but it returned a {type(got).__name__}"
    if got.shape != expected.shape:
        return f"the output has shape {got.shape}, expected {expected.shape}: one index per character"
    if got.dtype.kind not in "iu":
        return f"the output has dtype {got.dtype}; it should hold integer indices"
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
    return (
        f"the characters drawn differ from the reference's with the same seed, first at position {first} "
        f"(got {got[first]}, expected {expected[first]}). Make rng = np.random.default_rng(seed) once, "
        "then draw each character with exactly one call rng.choice(vocab_size, p=p), "
        "p = softmax(z / temperature) of shape (vocab_size,), and use rng for nothing else"
    )


@exercise("sample", ref.sample)
def sample_cases(rng):
    for temperature in (0.0, 0.5, 1.0, 2.0):
        vocab_size, n_a = int(rng.integers(4, 9)), int(rng.integers(3, 8))
        chars = list("abcdefghi"[:vocab_size])
        char_to_ix = {ch: i for i, ch in enumerate(chars)}
        params = random_model(rng, vocab_size, n_a, scale=1.5)
        start = "".join(rng.choice(chars, size=int(rng.integers(1, 4))))
        seed = int(rng.integers(1000))
        label = f"vocab_size={vocab_size}, n_a={n_a}, seed={seed}, temperature={temperature}, start={start!r}"
        yield Case((params, char_to_ix, seed, temperature, start, 30), label, verify=sample_problem)


def sample_variant(parameters, char_to_ix, seed, temperature, start, length, kind):
    """The reference's sampling with one known mistake `kind` (for the mistakes below)."""
    rng = np.random.default_rng(seed)
    vocab_size, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, 1))
    for ch in start[:-1]:
        x = np.zeros((vocab_size, 1))
        x[char_to_ix[ch]] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
    first = index = char_to_ix[start[-1]]
    indices = np.zeros(length, dtype=np.int64)
    for t in range(length):
        x = np.zeros((vocab_size, 1))
        x[first if kind == "not fed back" else index] = 1
        memory = 0 * a if kind == "no memory" else a
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ memory + parameters["ba"])
        z = (parameters["Wya"] @ a + parameters["by"]).ravel()
        if temperature == 0:
            index = int(np.argmax(z))
        else:
            factor = temperature if kind == "times" else 1 / temperature
            e = np.exp((z - z.max()) * factor)
            index = int(rng.choice(vocab_size, p=e / e.sum()))
        indices[t] = index
    return indices


@mistake(
    "sample",
    "the temperature is applied after the softmax (dividing the probabilities, then "
    "normalising, changes nothing); divide the scores: softmax(z / temperature)",
)
def sample_temperature_after_softmax(
    parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100
):
    rng = np.random.default_rng(seed)
    vocab_size, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, 1))
    for ch in start[:-1]:
        x = np.zeros((vocab_size, 1))
        x[char_to_ix[ch]] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
    index = char_to_ix[start[-1]]
    indices = np.zeros(length, dtype=np.int64)
    for t in range(length):
        x = np.zeros((vocab_size, 1))
        x[index] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
        z = (parameters["Wya"] @ a + parameters["by"]).ravel()
        if temperature == 0:
            index = int(np.argmax(z))
        else:
            e = np.exp(z - z.max())
            p = e / e.sum() / temperature
            index = int(rng.choice(vocab_size, p=p / p.sum()))
        indices[t] = index
    return indices


@mistake("sample", "the hidden state is not carried from step to step: a_t depends on a_{t-1}")
def sample_no_memory(parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100):
    return sample_variant(parameters, char_to_ix, seed, temperature, start, length, "no memory")


@mistake("sample", "the character picked is not fed back: it must be the next step's input x_{t+1}")
def sample_not_fed_back(parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100):
    return sample_variant(parameters, char_to_ix, seed, temperature, start, length, "not fed back")


@mistake("sample", "the scores are multiplied by the temperature; divide them: softmax(z / temperature)")
def sample_times_temperature(parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100):
    return sample_variant(parameters, char_to_ix, seed, temperature, start, length, "times")
