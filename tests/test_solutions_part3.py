"""The Part III references: the character-level language model (07) and the binary adder (08).

Numerical gradient checks of both backward passes, the committed corpus against its
generator, sampling, and the two training runs of the notebooks reaching what they state.
"""

import re

import numpy as np
import pytest
from gradcheck import assert_gradient_close

from course.build import COURSE
from solutions.binary_adder import (
    adder_backward,
    adder_forward,
    adder_loss,
    adder_train_step,
    addition_accuracy,
    make_addition_data,
)
from solutions.char_lm import (
    build_vocabulary,
    corpus_sentences,
    encode,
    evaluate,
    lm_backward,
    lm_forward,
    make_corpus,
    make_streams,
    one_hot,
    optimize,
    sample,
    train_epoch,
)
from solutions.rnn_forward import init_rnn_parameters
from solutions.softmax_classifier import eval_numerical_gradient

# Numerical results: CI runs these on both numpy code paths (see the Makefile).
pytestmark = pytest.mark.numerical

CORPUS = COURSE / "source" / "07_char_lm" / "sentences.txt"


def random_model(rng, n_x, n_a, n_y):
    shapes = {"Wax": (n_a, n_x), "Waa": (n_a, n_a), "Wya": (n_y, n_a), "ba": (n_a, 1), "by": (n_y, 1)}
    return {name: 0.5 * rng.standard_normal(shape) for name, shape in shapes.items()}


def test_the_corpus_file_is_the_generators_output():
    assert CORPUS.read_text(encoding="utf-8") == make_corpus(), "regenerate sentences.txt with make_corpus()"


def test_the_grammar_gives_each_sentence_the_probability_of_its_choices():
    # "The fox slept." is: a noun phrase of an animal (1/2), without adjective (1/2), "The"
    # (2 of the 6 determiners), "fox" (1 of 12 animals); an intransitive verb (1/2), "slept"
    # (1 of 10); no place or time (0.4); no second clause (0.65). A place ("near the river")
    # replaces the 0.4 by 0.4 * 1/8 (preposition) * 1/10 (place).
    simple = np.log(1 / 2 * 1 / 2 * 2 / 6 * 1 / 12 * 1 / 2 * 1 / 10 * 0.65)
    animals = "fox|dog|cat|bird|horse|rabbit|wolf|bear|mouse|owl|goat|duck"
    verbs = "slept|waited|sang|laughed|ran|walked|rested|danced|wept|listened"
    prepositions = "near|by|in|under|behind|beside|across|over"
    places = "(river|forest|garden|village|market|hill|bridge|kitchen|meadow|tower)"
    checked = 0
    for sentence, log_prob in corpus_sentences():
        if re.fullmatch(rf"The ({animals}) ({verbs})\.", sentence):
            assert np.isclose(log_prob, simple + np.log(0.4)), sentence
            checked += 1
        elif re.fullmatch(rf"The ({animals}) ({verbs}) ({prepositions}) the {places}\.", sentence):
            assert np.isclose(log_prob, simple + np.log(0.4 / 8 / 10)), sentence
            checked += 1
    assert checked > 10
    assert "".join(sentence + "\n" for sentence, _ in corpus_sentences()) == make_corpus()


def test_vocabulary_is_sorted_and_encoding_round_trips():
    chars, char_to_ix = build_vocabulary("the cat sat")
    assert chars == sorted(set("the cat sat"))
    assert "".join(chars[i] for i in encode("a cat", char_to_ix)) == "a cat"
    with pytest.raises(ValueError, match="not in the vocabulary"):
        encode("dog", char_to_ix)


@pytest.mark.parametrize("seed", [0, 1])
def test_lm_backward_matches_numerical_gradients(seed):
    rng = np.random.default_rng(seed)
    vocab_size, n_a, m, T = 6, 5, 3, 4
    params = random_model(rng, vocab_size, n_a, vocab_size)
    X = one_hot(rng.integers(0, vocab_size, size=(m, T)), vocab_size)
    Y = rng.integers(0, vocab_size, size=(m, T))
    a0 = 0.5 * rng.standard_normal((n_a, m))
    loss, cache = lm_forward(X, Y, a0, params)
    grads = lm_backward(cache)
    for name in params:
        numeric = eval_numerical_gradient(lambda _: lm_forward(X, Y, a0, params)[0], params[name])
        assert_gradient_close(grads["d" + name], numeric, loss, name)


@pytest.mark.parametrize("seed", [0, 1])
def test_adder_backward_matches_numerical_gradients(seed):
    rng = np.random.default_rng(seed)
    n_a, m = 4, 5
    params = random_model(rng, 2, n_a, 1)
    x, y = make_addition_data(m, 4, seed=seed)
    a0 = np.zeros((n_a, m))

    def loss(_):
        return adder_loss(adder_forward(x, a0, params)[0], y)[0]

    y_hat, cache = adder_forward(x, a0, params)
    grads = adder_backward(adder_loss(y_hat, y)[1], cache, params)
    for name in params:
        numeric = eval_numerical_gradient(loss, params[name])
        assert_gradient_close(grads["d" + name], numeric, loss(None), name)


def test_optimize_clips_and_descends():
    rng = np.random.default_rng(2)
    params = random_model(rng, 6, 5, 6)
    X = one_hot(rng.integers(0, 6, size=(3, 4)), 6)
    Y = rng.integers(0, 6, size=(3, 4))
    before, _ = lm_forward(X, Y, np.zeros((5, 3)), params)
    loss, grads, a_last = optimize(X, Y, np.zeros((5, 3)), params, 0.1, 0.5)
    assert loss == pytest.approx(before)
    assert np.sqrt(sum(np.sum(g**2) for g in grads.values())) == pytest.approx(0.5)
    assert a_last.shape == (5, 3)
    assert lm_forward(X, Y, np.zeros((5, 3)), params)[0] < before


def test_sampling_is_greedy_at_temperature_zero_and_reproducible():
    params = random_model(np.random.default_rng(3), 5, 4, 5)
    char_to_ix = {ch: i for i, ch in enumerate("abcde")}
    greedy = sample(params, char_to_ix, 0, 0.0, "ab", 20)
    assert np.array_equal(greedy, sample(params, char_to_ix, 1, 0.0, "ab", 20))
    assert np.array_equal(
        sample(params, char_to_ix, 4, 1.0, "a", 50), sample(params, char_to_ix, 4, 1.0, "a", 50)
    )
    # at a tiny temperature the draws are the greedy characters
    assert np.array_equal(sample(params, char_to_ix, 5, 1e-6, "ab", 20), greedy)


def stated_perplexity():
    lesson = (COURSE / "lessons" / "07_char_lm.py").read_text()
    stated = re.search(r"^STATED_PERPLEXITY, .* = ([0-9.]+), ", lesson, re.M)
    assert stated, "lesson 07 no longer states STATED_PERPLEXITY on one line"
    return float(stated.group(1))


def test_the_language_model_reaches_its_stated_perplexity():
    """Notebook 07's full run: 12 epochs, float32; the lesson states the perplexity it reaches."""
    text = CORPUS.read_text(encoding="utf-8")
    chars, char_to_ix = build_vocabulary(text)
    ix = encode(text, char_to_ix)
    cut = text.rindex("\n", 0, int(0.9 * len(text))) + 1
    train, valid = make_streams(ix[:cut], 32), make_streams(ix[cut:], 8)
    params = init_rnn_parameters(len(chars), 128, len(chars), seed=0, dtype=np.float32)
    for _ in range(12):
        train_epoch(*train, params, 25, 0.5, 5.0)
    perplexity = float(np.exp(evaluate(*valid, params, 25)))
    assert abs(perplexity - stated_perplexity()) < 0.05, perplexity


def test_the_adder_reaches_100_percent_and_generalises_to_longer_numbers():
    """Notebook 08's run: 3,000 steps on 8-bit pairs; every held-out sum right, at 8, 16 and 32 bits."""
    params = init_rnn_parameters(2, 16, 1, seed=0)
    for step in range(3_000):
        adder_train_step(*make_addition_data(64, 8, seed=1_000 + step), params, 1.0, 1.0)
    for n_bits in (8, 16, 32):
        x, y = make_addition_data(1_000, n_bits, seed=100 + n_bits)
        bits, numbers = addition_accuracy(adder_forward(x, np.zeros((16, 1_000)), params)[0], y)
        assert numbers == 1.0, (n_bits, bits, numbers)
