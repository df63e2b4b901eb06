"""The course's batched character model against the seed's minimal char-RNN, on the course corpus.

    python bench/bench_char_lm.py [--iterations 400]

1. Training throughput, in characters per second: the reference (notebook 07's settings: 32
   streams, batches of 25 characters, float32, plain gradient descent) against the minimal
   char-RNN algorithm (bench/baselines/min_char_rnn.py: one sequence at a time as column
   vectors, Adagrad, float64), both with 128 hidden units and sequences of 25 characters.
   Target: ratio >= 5.
2. Wall time for the reference to reach notebook 07's stated validation perplexity (within
   its tolerance), training epoch by epoch as the notebook does.
Both run on this machine, one after the other, with one BLAS thread.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as `make` sets it; before numpy loads
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
from baselines.min_char_rnn import MinCharRNN  # noqa: E402

from solutions.char_lm import build_vocabulary, encode, evaluate, make_streams, train_epoch  # noqa: E402
from solutions.rnn_forward import init_rnn_parameters  # noqa: E402

LESSON = ROOT / "course" / "lessons" / "07_char_lm.py"
CORPUS = ROOT / "course" / "source" / "07_char_lm" / "sentences.txt"
N_A, SEQ_LENGTH, STREAMS, VALID_STREAMS, LEARNING_RATE, MAX_NORM = 128, 25, 32, 8, 0.5, 5.0


def stated_perplexity():
    """Notebook 07's stated validation perplexity, read from the lesson (one copy of the number)."""
    return float(re.search(r"^STATED_PERPLEXITY = ([0-9.]+)$", LESSON.read_text(), re.M).group(1))


def corpus_streams():
    """The notebook's data: vocabulary, training and validation streams."""
    text = CORPUS.read_text(encoding="utf-8")
    chars, char_to_ix = build_vocabulary(text)
    ix = encode(text, char_to_ix)
    cut = text.rindex("\n", 0, int(0.9 * len(text))) + 1
    return chars, make_streams(ix[:cut], STREAMS), make_streams(ix[cut:], VALID_STREAMS), ix


def reference_throughput(train, vocab_size, epochs=1):
    parameters = init_rnn_parameters(vocab_size, N_A, vocab_size, seed=0, dtype=np.float32)
    start = time.perf_counter()
    for _ in range(epochs):
        train_epoch(*train, parameters, SEQ_LENGTH, LEARNING_RATE, MAX_NORM)
    return epochs * train[0].size / (time.perf_counter() - start)


def baseline_throughput(ix, vocab_size, iterations):
    model = MinCharRNN(vocab_size, hidden_size=N_A, seq_length=SEQ_LENGTH, seed=0)
    data = [int(i) for i in ix]
    start = time.perf_counter()
    model.train(data, iterations)
    return iterations * SEQ_LENGTH / (time.perf_counter() - start)


def time_to_stated_perplexity(train, valid, vocab_size, max_epochs=20):
    target = stated_perplexity() + 0.05
    parameters = init_rnn_parameters(vocab_size, N_A, vocab_size, seed=0, dtype=np.float32)
    start = time.perf_counter()
    for epoch in range(1, max_epochs + 1):
        train_epoch(*train, parameters, SEQ_LENGTH, LEARNING_RATE, MAX_NORM)
        perplexity = float(np.exp(evaluate(*valid, parameters, SEQ_LENGTH)))
        if perplexity <= target:
            return time.perf_counter() - start, epoch, perplexity
    return None, max_epochs, perplexity


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=400, help="baseline iterations to time")
    args = parser.parse_args(argv)
    chars, train, valid, ix = corpus_streams()
    vocab_size = len(chars)
    print(f"character model, {N_A} hidden units, sequences of {SEQ_LENGTH}, vocabulary of {vocab_size}")
    baseline = baseline_throughput(ix, vocab_size, args.iterations)
    reference = reference_throughput(train, vocab_size)
    ratio = reference / baseline
    print(
        f"throughput: min-char-rnn baseline {baseline:,.0f} chars/s, reference ({STREAMS} streams, "
        f"float32) {reference:,.0f} chars/s, ratio {ratio:.1f} (target >= 5)"
    )
    seconds, epochs, perplexity = time_to_stated_perplexity(train, valid, vocab_size)
    stated = stated_perplexity()
    if seconds is None:
        print(f"the reference did not reach perplexity {stated} + 0.05 in {epochs} epochs ({perplexity:.3f})")
        return 1
    print(
        f"time to the stated validation perplexity {stated} (+ 0.05): {seconds:.1f} s, "
        f"{epochs} epochs, perplexity {perplexity:.3f}"
    )
    print("PASS" if ratio >= 5 else "FAIL")
    return 0 if ratio >= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
