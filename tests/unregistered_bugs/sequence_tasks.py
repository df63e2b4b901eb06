"""Unregistered bugs of 07 character-level language model and 08 binary addition."""

import numpy as np

from unregistered_bugs.catalogue import bug

# ---------------------------------------------------------------- 07 character-level language model

bug(
    "build_vocabulary",
    r"char_to_ix should map each character to its position",
    "positions counted from 1",
    {"{ch: i for i, ch in enumerate(chars)}": "{ch: i + 1 for i, ch in enumerate(chars)}"},
)


@bug("encode", r"should raise ValueError", "an unknown character silently mapped to 0")
def encode_unknown_as_zero(text, char_to_ix):
    return np.array([char_to_ix.get(ch, 0) for ch in text], dtype=np.int64)


bug("one_hot", r"moved by -1 along axis 0", "off by one: the 1 at position ix - 1", {"X[ix, ": "X[ix - 1, "})
bug(
    "make_streams",
    r"in your line",
    "L = N // m: the targets run past the end",
    {"(len(ix) - 1) // m": "len(ix) // m"},
)
bug("lm_forward", r"opposite sign", "the loss without the minus sign", {"float(-np.mean(": "float(np.mean("})
bug(
    "lm_forward",
    r"Wrong: cache\[1\] \(a\); everything else is right",
    "the cache's slot of a holds the first rows of y_pred",
    {"(y_pred, a, Y, rnn_caches)": "(y_pred, y_pred[: a.shape[0]], Y, rnn_caches)"},
)
bug(
    "lm_backward",
    r"gradients\['dby'\] has shape",
    "dby without keepdims",
    {"dz.sum(axis=(1, 2))[:, None]": "dz.sum(axis=(1, 2))"},
)
bug(
    "lm_backward",
    r"dWya'\] is \d+ times the expected",
    "dWya from the unscaled dz (the 1 / (m T) applied after)",
    {
        "dz /= m * T\n    dWya = np.tensordot(dz, a, axes=([1, 2], [1, 2]))": (
            "dWya = np.tensordot(dz, a, axes=([1, 2], [1, 2]))\n    dz /= m * T"
        )
    },
)
bug(
    "optimize",
    r"Wrong: a_last; everything else is right",
    "a_last is the hidden state of the first step",
    {"cache[1][:, :, -1]": "cache[1][:, :, 0]"},
)
bug(
    "train_epoch",
    r"Wrong: losses; everything else is right",
    "each batch's loss multiplied by its number of characters",
    {"losses.append(loss)": "losses.append(loss * Y.size)"},
)
bug(
    "evaluate",
    None,
    "the total not weighted by the chunk sizes",
    {"total += loss * Y.size": "total += loss"},
)
bug(
    "sample",
    r"At temperature 0 \(no random draw\) your characters differ too",
    "the prompt's last character read twice (the whole prompt sets the state)",
    {"for ch in start[:-1]:": "for ch in start:"},
)

# ---------------------------------------------------------------- 08 binary addition

bug(
    "make_addition_data",
    r"last step should be 0",
    "the numbers drawn with n_bits + 1 bits",
    {"rng.integers(0, 2**n_bits,": "rng.integers(0, 2 ** (n_bits + 1),"},
)
bug(
    "adder_forward",
    r"y_hat is tanh of the pre-activation whose sigmoid",
    "y_hat with a tanh instead of the sigmoid",
    {"return sigmoid(z)": "return np.tanh(z)"},
)
bug(
    "adder_loss",
    r"with predictions of exactly 0 and 1: loss is nan",
    "the loss without clipping y_hat: log(0) for certain predictions",
    {"p = np.clip(y_hat, 1e-12, 1 - 1e-12)": "p = y_hat"},
)
bug(
    "adder_loss",
    r"Wrong: dz; everything else is right",
    "dz multiplied by the sigmoid's derivative again",
    {"(y_hat - y) / (m * T)": "(y_hat - y) * y_hat * (1 - y_hat) / (m * T)"},
)
bug(
    "adder_backward",
    r"gradients\['dby'\] should be a numpy array",
    "dby as a plain number",
    {"dz.sum(axis=(1, 2))[:, None]": "dz.sum()"},
)
bug(
    "adder_backward",
    r"dWya'\] is the transpose",
    "dWya transposed",
    {"np.tensordot(dz, a, axes=([1, 2], [1, 2]))": "np.tensordot(a, dz, axes=([1, 2], [1, 2]))"},
)
bug("adder_train_step", None, "the hidden state starts at ones", {"a0 = np.zeros(": "a0 = np.ones("})
bug(
    "addition_accuracy",
    r"bit_accuracy is the value expected for number_accuracy",
    "the two accuracies returned in the wrong order",
    {
        "return float(correct.mean()), float(correct.all(axis=(0, 2)).mean())": (
            "return float(correct.all(axis=(0, 2)).mean()), float(correct.mean())"
        )
    },
)
bug(
    "addition_accuracy",
    r"With y_hat = 0",
    "the predicted bits thresholded at 0 instead of 0.5",
    {"(y_hat > 0.5)": "(y_hat > 0)"},
)
