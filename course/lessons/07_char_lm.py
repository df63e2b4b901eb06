# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · A character-level language model
#
# A **language model** gives the probability of the next character of a text, given the
# characters before it. The RNN of notebook 04 is one already: feed it a text one character at a
# time, and its softmax output at step $t$ is a distribution over the character at step $t+1$.
# Train it to put high probability on the character that really comes next, and it learns the
# spelling of words, then which words follow which. Sample from it, feeding each drawn character
# back in as the next input, and it writes new text.
#
# This is the model of Andrej Karpathy's `min-char-rnn` (2015), a whole character-level language
# model in a hundred lines of numpy, built here from the pieces you wrote: the cell and the
# forward pass of notebook 04, backpropagation through time and clipping of notebook 05. What is new here is the output layer's loss and gradient, the data pipeline, and
# training on **batches**: instead of one text position at a time, the model reads $m$ places
# of the text at once, which turns matrix-vector products into matrix-matrix products and makes
# training many times faster.
#
# The story, one step at a time: the corpus and its vocabulary; characters as indices and as
# one-hot vectors; cutting the text into parallel streams; the loss and its gradient; a training
# step; an epoch of training; validation perplexity, and the best perplexity any model can
# reach on this text; sampling; and finally training, with samples along the way.
#
# <!-- shared: how_to_work -->

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

# %% [markdown]
# Some visible tests build on an exercise before them: the check of a gradient needs the loss it
# differentiates, say. Such a check runs only once the visible tests of what it builds on have
# passed (otherwise it says what to finish first), so that a mistake is always reported by the
# tests of the function that makes it. These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your functions from notebooks 04 and 05
#
# The language model is your RNN: from notebook 04 `softmax` (the column-wise one),
# `rnn_cell_forward` and `rnn_forward`; from notebook 05 `rnn_cell_backward`, `rnn_backward`
# and `clip_by_norm`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import softmax, rnn_cell_forward, rnn_forward
from mywork import rnn_cell_backward, rnn_backward, clip_by_norm

# %% [markdown]
# The parameters are initialised as in notebook 04, by this given function:

# %%
from solutions.rnn_forward import init_rnn_parameters

# %%
check_params = init_rnn_parameters(3, 4, 3, seed=0)
assert np.allclose(softmax(np.zeros((4, 2))), 0.25), "check softmax: columns of zeros give 1/4 each"
a_check, y_check, caches_check = rnn_forward(np.ones((3, 2, 5)), np.zeros((4, 2)), check_params)
assert a_check.shape == (4, 2, 5) and y_check.shape == (3, 2, 5), "check rnn_forward's shapes"
assert np.allclose(y_check.sum(axis=0), 1.0), "check rnn_forward: y_pred's columns should sum to 1"
grads_check = rnn_backward(np.ones((4, 2, 5)), caches_check)
assert grads_check["dWaa"].shape == (4, 4) and grads_check["da0"].shape == (4, 2), "check rnn_backward"
clipped = clip_by_norm({"a": np.array([3.0]), "b": np.array([4.0])}, 1.0)
assert np.allclose(clipped["a"], 0.6) and np.allclose(clipped["b"], 0.8), "check clip_by_norm"
print("The functions from notebooks 04 and 05 work.")

# %% [markdown]
# ## 1. The corpus
#
# The course ships its own text, `sentences.txt`, next to this notebook: 3,000 short sentences
# written by a small random grammar (the course's `make_corpus`, seeded, so the file is always
# the same). Sentences are made of a subject, a verb, perhaps an object, perhaps a place or a
# time, and sometimes a second clause after a connective. A generated text has two advantages
# for a first language model: it is free to use, and we know what there is to learn. Every
# word is spelt the same way each time, the grammar is simple, but the choice of the next word
# is often a genuine coin toss, so no model can predict every character.

# %%
with open("sentences.txt", encoding="utf-8") as file:
    text = file.read()
print(f"{len(text):,} characters, {text.count(chr(10)):,} lines. The first five lines:\n")
print("".join(text.splitlines(keepends=True)[:5]))
assert text.count("\n") == 3000, "the text above speaks of 3,000 sentences"

# %% [markdown]
# ## 2. The vocabulary
#
# The model works with numbers, not characters: each distinct character of the text gets an
# index. We list the characters in **sorted** order, so that a text always gives the same
# vocabulary, whatever order its characters first appear in. (A trained model is only useful
# with the vocabulary it was trained with.)
#
# **Exercise 1.** Write `build_vocabulary`: the sorted list of the distinct characters, `chars`,
# and the dict `char_to_ix` that maps each character to its position in `chars`.

# %% exercise="build_vocabulary"
from solutions.char_lm import build_vocabulary

# %%
chars_small, char_to_ix_small = build_vocabulary("hello world")
print(chars_small, char_to_ix_small)
assert chars_small == [" ", "d", "e", "h", "l", "o", "r", "w"], (
    "chars should be the distinct characters, sorted: [' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']"
)
assert char_to_ix_small == {" ": 0, "d": 1, "e": 2, "h": 3, "l": 4, "o": 5, "r": 6, "w": 7}, (
    "char_to_ix should map each character to its position in chars"
)
chars, char_to_ix = build_vocabulary(text)
vocab_size = len(chars)
print(f"The corpus has {vocab_size} distinct characters: {''.join(chars)!r}")
passed("build_vocabulary")

# %% hidden_tests="build_vocabulary" points=1
# Hidden tests check the vocabulary of random texts.

# %% [markdown]
# ## 3. Characters as indices and as one-hot vectors
#
# A text of $N$ characters becomes an array of $N$ indices. The RNN's input at a step is a
# vector of length `vocab_size`, the **one-hot** vector of the character: 1 at the character's
# index, 0 elsewhere. Then $W_{ax} x_t$ simply picks the column of $W_{ax}$ that belongs to the
# character, so each character gets its own learned input vector.
#
# **Exercise 2.** Write `encode`: the indices of the characters of a text, as a numpy array of
# integers. A character that is not in the vocabulary should raise a `ValueError` that names it.

# %% exercise="encode"
from solutions.char_lm import encode

# %%
hello_world = {" ": 0, "d": 1, "e": 2, "h": 3, "l": 4, "o": 5, "r": 6, "w": 7}  # the vocabulary of "hello world"
print(encode("hello", hello_world))
assert isinstance(encode("hello", hello_world), np.ndarray), "encode should return a numpy array"
assert list(encode("hello", hello_world)) == [3, 2, 4, 4, 5], "encode('hello') should be [3, 2, 4, 4, 5]"
try:
    encode("help", hello_world)
except ValueError as error:
    print("encode('help') raised ValueError:", error)
else:
    raise AssertionError("encode should raise ValueError for 'p', which is not in the vocabulary")
passed("encode")

# %% hidden_tests="encode" points=1
# Hidden tests check the indices of random texts.

# %% [markdown]
# A batch holds $m$ sequences of $T$ characters, an integer array of shape $(m, T)$. In the
# course's layout (notebook 04) the one-hot batch has shape $(n_x, m, T)$ with
# $n_x$ = `vocab_size`: for sequence $i$ and step $t$,
#
# $$ X[k, i, t] = \begin{cases} 1 & \text{if } k = \text{ix}[i, t] \\ 0 & \text{otherwise.} \end{cases} $$
#
# **Exercise 3.** Write `one_hot`. Make the result of the requested `dtype` (training runs in
# float32, see section 7).

# %% exercise="one_hot"
from solutions.char_lm import one_hot

# %%
X_small = one_hot(np.array([[3, 2, 4], [0, 7, 7]]), vocab_size=8)
print("shape:", X_small.shape)
assert X_small.shape == (8, 2, 3), "the one-hot batch should have shape (vocab_size, m, T) = (8, 2, 3)"
assert np.array_equal(X_small.sum(axis=0), np.ones((2, 3))), "every X[:, i, t] should hold exactly one 1"
assert X_small[3, 0, 0] == 1 and X_small[7, 1, 2] == 1, "X[ix[i, t], i, t] should be 1"
assert one_hot(np.zeros((1, 1), dtype=int), 2, dtype=np.float32).dtype == np.float32, (
    "the result should have the requested dtype"
)
passed("one_hot")

# %% hidden_tests="one_hot" points=1
# Hidden tests check random batches, sizes and dtypes.

# %% [markdown]
# ## 4. Parallel streams, and a validation set
#
# How do we make batches out of one long text? We cut it into $m$ consecutive pieces of equal
# length $L$, the **streams**, and lay them out as the $m$ rows of an array of shape $(m, L)$.
# Training then walks along the streams together, $T$ characters at a time: batch $k$ is the
# columns $kT$ to $(k+1)T$. Because batch $k+1$ continues exactly where batch $k$ stopped, in
# every stream, the hidden state at the end of one batch is the right starting state of the
# next: the model carries its memory from batch to batch, and can use context longer than $T$.
# (The gradient still stops at the batch boundary; this is **truncated** backpropagation through
# time.)
#
# The target of each character is the character that follows it: with $N$ characters there are
# $N - 1$ (input, target) pairs, so $L = \lfloor (N-1)/m \rfloor$, and the few characters left
# over at the end are dropped. For a text `ix` of indices,
#
# $$ \text{inputs}[i] = \text{ix}[iL : (i+1)L], \qquad \text{targets}[i] = \text{ix}[iL + 1 : (i+1)L + 1] . $$
#
# **Exercise 4.** Write `make_streams`.

# %% exercise="make_streams"
from solutions.char_lm import make_streams

# %%
inputs_small, targets_small = make_streams(np.arange(11), 3)
print("inputs:\n", inputs_small, "\ntargets:\n", targets_small)
assert inputs_small.shape == (3, 3), "with N = 11 and m = 3, L = (11 - 1) // 3 = 3: shape (3, 3)"
assert np.array_equal(inputs_small, [[0, 1, 2], [3, 4, 5], [6, 7, 8]]), (
    "stream i should be the i-th consecutive piece of the text: [[0, 1, 2], [3, 4, 5], [6, 7, 8]]"
)
assert np.array_equal(targets_small, inputs_small + 1), "each target is the character after its input"
passed("make_streams")

# %% hidden_tests="make_streams" points=1
# Hidden tests check random texts and numbers of streams.

# %% [markdown]
# To know whether the model learns the language or just memorises its training text, we keep
# the last 10% of the corpus aside as a **validation set**: the model never trains on it, and
# we measure on it how well it predicts text it has not seen. We cut at a line break, so that
# no sentence is split between the two sets.

# %%
ix = encode(text, char_to_ix)
cut = text.rindex("\n", 0, int(0.9 * len(text))) + 1
train_inputs, train_targets = make_streams(ix[:cut], 32)
valid_inputs, valid_targets = make_streams(ix[cut:], 8)
print(f"training: {cut:,} characters in streams of shape {train_inputs.shape}")
print(f"validation: {len(ix) - cut:,} characters in streams of shape {valid_inputs.shape}")

# %% [markdown]
# ## 5. The loss and its gradient
#
# `rnn_forward` gives, for every sequence $i$ and step $t$, the predicted distribution
# $\hat y_t = \text{softmax}(W_{ya} a_t + b_y)$ over the next character. The loss is the
# **cross-entropy**: minus the log of the probability that the model gave to the character that
# really came next, $Y[i, t]$, averaged over the $m T$ characters of the batch,
#
# $$ \mathcal{L} = -\frac{1}{mT} \sum_{i=1}^{m} \sum_{t=1}^{T} \log \hat y_t[Y[i, t], i] . $$
#
# A model that knows nothing gives every character probability $1/\text{vocab\_size}$, and a loss
# of $\log(\text{vocab\_size})$. Averaging (rather than summing) keeps the loss, and the size of
# the gradient, independent of $m$ and $T$, so a learning rate works for any batch size.
#
# **Exercise 5.** Write `lm_forward`. It returns the loss and a cache for the backward pass,
# the tuple `(y_pred, a, Y, rnn_caches)`. (NumPy tip: `y_pred[Y, rows, cols]` with
# `rows = np.arange(m)[:, None]` and `cols = np.arange(T)[None, :]` picks the $(m, T)$ entries
# $\hat y_t[Y[i, t], i]$ in one go.)

# %% exercise="lm_forward"
from solutions.char_lm import lm_forward

# %%
tiny_params = init_rnn_parameters(8, 5, 8, seed=1)
ix_tiny = np.array([[3, 2, 4], [0, 7, 7]])
X_tiny = np.zeros((8, 2, 3))  # the one-hot batch of ix_tiny, written out
for i in range(2):
    for t in range(3):
        X_tiny[ix_tiny[i, t], i, t] = 1.0
Y_tiny = np.array([[2, 4, 4], [7, 7, 1]])
zero_params = {name: np.zeros_like(value) for name, value in tiny_params.items()}
loss_uniform, _ = lm_forward(X_tiny, Y_tiny, np.zeros((5, 2)), zero_params)
print(f"loss with all parameters 0: {loss_uniform:.6f} (log 8 = {np.log(8):.6f})")
assert np.isclose(loss_uniform, np.log(8)), (
    "with all parameters 0 every character has probability 1/8, so the loss should be log(8); "
    "is it averaged over the m * T characters?"
)
loss_tiny, cache_tiny = lm_forward(X_tiny, Y_tiny, np.zeros((5, 2)), tiny_params)
print(f"loss of the tiny model: {loss_tiny:.6f}")
assert len(cache_tiny) == 4, "the cache should be the tuple (y_pred, a, Y, rnn_caches)"
y_pred_tiny = cache_tiny[0]
expected_tiny = -np.mean(np.log([y_pred_tiny[Y_tiny[i, t], i, t] for i in range(2) for t in range(3)]))
assert np.isclose(loss_tiny, expected_tiny), "the loss should use the probability of the TARGET Y[i, t]"
passed("lm_forward")

# %% hidden_tests="lm_forward" points=2
# Hidden tests check the loss and the cache on random models and batches.

# %% [markdown]
# **The gradient.** Training needs the gradient of $\mathcal{L}$ with respect to the five
# parameters. The recurrent part is done: given $\partial \mathcal{L} / \partial a_t$ for every
# step, your `rnn_backward` of notebook 05 carries it back through time and returns
# $dW_{ax}$, $dW_{aa}$ and $db_a$. What is new is the output layer. Derive, before you read
# on:
#
# 1. $dz_t = \partial \mathcal{L} / \partial z_t$ for the scores $z_t = W_{ya} a_t + b_y$, an
#    $(n_y, m)$ array (notebook 02 did it for one example per row; mind the $\frac{1}{mT}$);
# 2. $dW_{ya}$ and $db_y$, remembering that the same $W_{ya}$ and $b_y$ serve every example and
#    every step;
# 3. $da_t$, the gradient that the output at step $t$ sends down to $a_t$.
#
# **Exercise 6.** Write `lm_backward`. Return the five gradients in a dict with the keys
# `dWax`, `dWaa`, `dWya`, `dba`, `dby`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# The loss of one character is $-\log \operatorname{softmax}(z)_y = -z_y + \log \sum_k e^{z_k}$.
# Its derivative with respect to $z_k$ is $-\mathbb{1}[k = y] + \hat y_k$: the predicted
# distribution minus the one-hot target. The mean over the $mT$ characters divides it by $mT$:
#
# $$ dz_t = \frac{1}{mT} \left( \hat y_t - \text{onehot}(Y[:, t]) \right) , \qquad \text{shape } (n_y, m). $$
#
# $z_t = W_{ya} a_t + b_y$ is a layer with examples in columns (notebook 05), used at every
# step, so its gradients are summed over the steps, and the bias's over the examples too:
#
# $$ dW_{ya} = \sum_t dz_t \, a_t^{\top}, \qquad db_y = \sum_t \sum_{i} dz_t[:, i], \qquad
#    da_t = W_{ya}^{\top} dz_t . $$
#
# Then `rnn_backward(da, rnn_caches)` adds what comes back through time and gives $dW_{ax}$,
# $dW_{aa}$ and $db_a$.
#
# </details>

# %% exercise="lm_backward"
from solutions.char_lm import lm_backward

# %% [markdown]
# The visible tests check the shapes and a property of $db_y$, then compare every gradient with
# the centered difference $(\mathcal{L}(p + h) - \mathcal{L}(p - h)) / 2h$ of your `lm_forward`'s
# loss, entry by entry, in float64, as in notebook 03. Expect relative errors below $10^{-6}$.

# %%
a_tiny, y_pred_tiny, rnn_caches_tiny = rnn_forward(X_tiny, np.zeros((5, 2)), tiny_params)
grads_tiny = lm_backward((y_pred_tiny, a_tiny, Y_tiny, rnn_caches_tiny))
expected_keys = {"dWax", "dWaa", "dWya", "dba", "dby"}
assert set(grads_tiny) == expected_keys, f"the gradients should have the keys {sorted(expected_keys)}"
for name in tiny_params:
    assert grads_tiny["d" + name].shape == tiny_params[name].shape, f"d{name} should have the shape of {name}"
assert np.isclose(grads_tiny["dby"].sum(), 0.0), (
    "dby sums (y_hat - onehot) / (m T) over examples and steps; each column of that sums to 0"
)


def numerical_gradient(X, Y, a0, parameters, name, h=1e-5):
    """The centered-difference gradient of lm_forward's loss with respect to parameters[name]."""
    value = parameters[name]
    grad = np.zeros_like(value)
    for index in np.ndindex(value.shape):
        old = value[index]
        value[index] = old + h
        plus, _ = lm_forward(X, Y, a0, parameters)
        value[index] = old - h
        minus, _ = lm_forward(X, Y, a0, parameters)
        value[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


if needs("lm_forward"):  # the numerical gradient is that of your lm_forward's loss
    check_params = init_rnn_parameters(8, 5, 8, seed=2)
    check_params["ba"] += 0.1
    check_params["by"] += np.linspace(-0.5, 0.5, 8)[:, None]
    a0_check = 0.5 * np.random.default_rng(3).standard_normal((5, 2))
    a_check, y_pred_check, rnn_caches_check = rnn_forward(X_tiny, a0_check, check_params)
    analytic = lm_backward((y_pred_check, a_check, Y_tiny, rnn_caches_check))
    for name in check_params:
        numeric = numerical_gradient(X_tiny, Y_tiny, a0_check, check_params, name)
        error = np.max(
            np.abs(analytic["d" + name] - numeric) / np.maximum(1e-8, np.abs(analytic["d" + name]) + np.abs(numeric))
        )
        print(f"d{name}: relative error {error:.1e}")
        assert error < 1e-6, f"d{name} does not match the numerical gradient (relative error {error:.1e})"
    passed("lm_backward")

# %% hidden_tests="lm_backward" points=3
# Hidden tests check the five gradients on random models and batches.

# %% [markdown]
# ## 6. A training step
#
# One step of training on a batch: the forward pass from the hidden state `a_prev` that the
# previous batch ended with, the backward pass, **clipping** of the gradients by their global
# norm (notebook 05: a recurrent network's gradient can explode, and one huge step can undo
# hours of training), and a step of gradient descent with the clipped gradients,
#
# $$ p \leftarrow p - \alpha \, dp \qquad \text{for } p \in \{W_{ax}, W_{aa}, W_{ya}, b_a, b_y\} . $$
#
# We use plain gradient descent: with the loss averaged over a batch of 800 characters, its
# gradient is steady enough. (`min-char-rnn`, which trains on one sequence of 25 characters at
# a time, uses Adagrad, which adapts a step size for every parameter, to cope with its noisier
# gradients.)
#
# **Exercise 7.** Write `optimize`. It changes the arrays of `parameters` **in place** and
# returns the loss (before the step), the clipped gradients and the last hidden state of the
# batch, `a[:, :, -1]`, which the next batch starts from.

# %% exercise="optimize"
from solutions.char_lm import optimize

# %%
step_params = init_rnn_parameters(8, 5, 8, seed=1)
loss_before, _ = lm_forward(X_tiny, Y_tiny, np.zeros((5, 2)), step_params)
loss_step, grads_step, a_last = optimize(X_tiny, Y_tiny, np.zeros((5, 2)), step_params, 0.5, 0.1)
print(
    f"loss {loss_step:.4f}; global norm of the returned gradients "
    f"{np.sqrt(sum(np.sum(g**2) for g in grads_step.values())):.4f}"
)
assert np.isclose(loss_step, loss_before), "optimize should return the loss before the update (your lm_forward's)"
assert np.isclose(np.sqrt(sum(np.sum(g**2) for g in grads_step.values())), 0.1), (
    "the returned gradients should be clipped to the global norm max_norm = 0.1"
)
assert a_last.shape == (5, 2), "a_last should be the last hidden state, shape (n_a, m)"
loss_after, _ = lm_forward(X_tiny, Y_tiny, np.zeros((5, 2)), step_params)
print(f"loss after the step: {loss_after:.4f}")
assert loss_after != loss_before, "the parameters did not change: update them in place"
if needs("lm_forward", "lm_backward"):  # a step down your gradient lowers your loss
    assert loss_after < loss_before, "the step should lower the loss: is it a step AGAINST the gradient?"
    passed("optimize")

# %% hidden_tests="optimize" points=2
# Hidden tests check the updated parameters, the loss, the gradients and the last hidden state.

# %% [markdown]
# ## 7. An epoch of training
#
# An **epoch** is one pass over the training streams: batch after batch of `seq_length`
# characters of every stream (the last batch may be shorter), each one a call of `optimize`,
# with the hidden state starting at zero and carried from each batch to the next.
#
# **Why float32.** As in notebook 03, training runs in single precision: the parameters are
# float32, and `train_epoch` makes the one-hot inputs in the parameters' dtype, so that every
# product and every `tanh` runs in float32, about twice as fast as in float64.
#
# **Exercise 8.** Write `train_epoch`. It returns the list of the batches' losses.

# %% exercise="train_epoch"
from solutions.char_lm import train_epoch

# %%
V = 12  # a random "text" of 4 streams of 100 characters, from a vocabulary of 12
rng_text = np.random.default_rng(4)
random_inputs, random_targets = (rng_text.integers(V, size=(4, 100)) for _ in range(2))
epoch_params = init_rnn_parameters(V, 16, V, seed=0)
losses_small = train_epoch(random_inputs, random_targets, epoch_params, 30, 0.5, 5.0)
print("losses:", np.round(losses_small, 4))
assert len(losses_small) == 4, "100 characters in batches of 30 make 4 batches (the last one of 10)"
if needs("lm_forward"):  # the first loss is that of the untrained model
    assert np.isclose(losses_small[0], np.log(V), atol=0.1), (
        f"the first loss should be close to log(vocab_size) = log({V}) = {np.log(V):.3f}"
    )
    passed("train_epoch")

# %% hidden_tests="train_epoch" points=2
# Hidden tests check the trained parameters and the losses on small random texts.

# %% [markdown]
# ## 8. Validation loss and perplexity
#
# On the validation streams the model only predicts: the same chunks and the same carried
# hidden state, no update. The result is the mean cross-entropy over **all** the characters;
# when the last chunk is shorter, a mean of the chunks' mean losses would count its characters
# more than the others.
#
# The loss has an intuitive twin, the **perplexity** $e^{\mathcal{L}}$: the number of equally
# likely characters the model is, on average, choosing among. An untrained model has a
# perplexity of `vocab_size`; a model that always knew the next character would have 1.
#
# **Exercise 9.** Write `evaluate`.

# %% exercise="evaluate"
from solutions.char_lm import evaluate

# %%
zero_model = {name: np.zeros_like(value) for name, value in epoch_params.items()}
uniform_loss = evaluate(random_inputs, random_targets, zero_model, 25)
print(f"untrained perplexity: {np.exp(uniform_loss):.2f} (vocab_size = {V})")
params_before = {name: value.copy() for name, value in epoch_params.items()}
evaluate(random_inputs[:, :50], random_targets[:, :50], epoch_params, 20)
assert all(np.array_equal(epoch_params[n], params_before[n]) for n in epoch_params), (
    "evaluate should not change the parameters"
)
if needs("lm_forward"):  # a model of zeros gives every character the same probability
    assert np.isclose(np.exp(uniform_loss), V), f"a model of zeros should have perplexity vocab_size = {V}"
    passed("evaluate")

# %% hidden_tests="evaluate" points=2
# Hidden tests check the loss on random models and texts, with a shorter last chunk.

# %% [markdown]
# ### The floor: what the grammar itself would score
#
# Can a model reach perplexity 1? Not on this text: where the grammar tosses a coin (which
# animal, which verb, a second clause or a full stop), no model can know the outcome. We can
# say exactly how much is left to chance, because we have the grammar. This given function
# writes the corpus, and records for each sentence the probability of the choices that wrote
# it:

# %%
from solutions.char_lm import corpus_sentences

# %% [markdown]
# A model that knew the grammar would give each sentence exactly that probability, spread over
# its characters; its cross-entropy on the validation text is minus the sum of the validation
# sentences' log-probabilities, divided by the number of characters. That is the **entropy
# rate** of the text (Shannon measured the same thing for English, with people as the model).
# No model can expect to do better: it is the floor of the validation loss.

# %%
sentences = corpus_sentences()
assert "".join(sentence + "\n" for sentence, _ in sentences) == text, "sentences.txt is the grammar's output"
valid_text = text[cut:]
valid_log_probs = [log_prob for _, log_prob in sentences[-valid_text.count("\n") :]]
FLOOR = -sum(valid_log_probs) / len(valid_text)
print(f"the grammar's cross-entropy on the validation text: {FLOOR:.3f} nats per character, "
      f"perplexity {np.exp(FLOOR):.2f}")  # fmt: skip
assert (f"{FLOOR:.2f}", f"{np.exp(FLOOR):.2f}") == ("0.48", "1.61"), "the text below quotes 0.48 and 1.61"

# %% [markdown]
# The floor is 0.48 nats per character, a perplexity of 1.61: even knowing the grammar, the
# next character is on average as uncertain as a choice among 1.61 equally likely ones. Most
# characters are certain (the rest of a word, once it has begun), a few carry all the surprise
# (the first letter of each word).
#
# ## 9. Sampling
#
# To write text, the model first reads a **prompt**, one or more characters, from a zero hidden
# state. Then, step after step, the character it picks is its next input:
#
# $$ a_t = \tanh(W_{ax} x_t + W_{aa} a_{t-1} + b_a), \qquad z_t = W_{ya} a_t + b_y, $$
# $$ x_{t+1} = \text{onehot}(\text{the character picked from } z_t) , $$
#
# where $x_1, \dots$ are the prompt's characters until it is used up. The first character
# generated is the one that follows the prompt's last character. (Why a prompt rather than a
# single character? During training a zero hidden state only occurs at the start of each
# stream, in the middle of some sentence; a few characters of prompt give the model its
# bearings.)
#
# How it picks is set by the **temperature** $\tau$: the next character is drawn from
# $\text{softmax}(z_t / \tau)$. At $\tau = 1$ that is the model's own distribution; a lower
# $\tau$ sharpens it towards the likeliest characters, a higher one flattens it. At $\tau = 0$
# (the limit) the model always takes the likeliest character: `np.argmax(z_t)`, without a random
# draw.
#
# **How to draw.** So that the hidden tests can replay your draws, make the generator once,
# `rng = np.random.default_rng(seed)`, then make exactly one draw per character,
# `rng.choice(vocab_size, p=p)` with `p` the probabilities as a 1-D array of shape
# `(vocab_size,)`, and no other use of `rng` (no draw at all at temperature 0).
#
# **Exercise 10.** Write `sample`. It returns the indices of the generated characters (not those
# of the prompt).

# %% exercise="sample"
from solutions.char_lm import sample

# %%
tiny_vocab = {ch: i for i, ch in enumerate("abcdefgh")}
greedy = sample(tiny_params, tiny_vocab, seed=0, temperature=0, start="a", length=12)
print("greedy:", greedy)
assert greedy.shape == (12,), "sample should return `length` indices"
assert np.array_equal(greedy, sample(tiny_params, tiny_vocab, 1, 0, "a", 12)), (
    "at temperature 0 sample should not depend on the seed"
)
draws = sample(tiny_params, tiny_vocab, 0, 1.0, "a", 12)
print("drawn at temperature 1:", draws)
assert np.array_equal(draws, sample(tiny_params, tiny_vocab, 0, 1.0, "a", 12)), (
    "the same seed should give the same characters"
)
strong_params = {name: 3 * value for name, value in tiny_params.items()}
prompted = sample(strong_params, tiny_vocab, 0, 0, "hga", 6)
print("greedy after the prompt 'hga':", prompted)
assert np.array_equal(prompted, [0, 6, 4, 6, 4, 6]), (
    "after the prompt 'hga', the greedy characters should be [0, 6, 4, 6, 4, 6]; "
    "does the model read every character of the prompt, from a zero hidden state?"
)
cool = sample(strong_params, tiny_vocab, 0, 0.01, "hga", 6)
assert np.array_equal(cool, prompted), (
    "at temperature 0.01 the draws should be the greedy characters: divide the scores z by the "
    "temperature, then take the softmax"
)
passed("sample")

# %% hidden_tests="sample" points=2
# Hidden tests replay your draws with seeded generators, at temperatures 0, 0.5 and 1 and 2.

# %% [markdown]
# ## 10. Training
#
# Now the real run: 128 hidden units, 32 streams, batches of 25 characters, learning rate 0.5,
# gradients clipped to a global norm of 5, for 12 epochs of about 160 steps, each step on
# $32 \times 25 = 800$ characters. After every epoch we measure the validation loss, and after
# some we let the model write a line, at temperature 0.5, after the prompt of a sentence.
#
# Training takes about half a minute. The progress bar counts epochs and shows the last
# validation perplexity. **When the notebook is graded** (nbgrader sets the environment
# variable `NBGRADER_EXECUTION`), the cell trains for 1 epoch on the first quarter of each
# stream instead of 12 epochs on all of it, so that grading takes seconds; the numbers and
# plots below describe the full run.

# %%
GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
EPOCHS, COLUMNS = (1, train_inputs.shape[1] // 4) if GRADING else (12, train_inputs.shape[1])
N_A, SEQ_LENGTH, LEARNING_RATE, MAX_NORM = 128, 25, 0.5, 5.0
PROMPT = "The old fox slept by the river.\n"
train_part = (train_inputs[:, :COLUMNS], train_targets[:, :COLUMNS])
steps_per_epoch = -(-COLUMNS // SEQ_LENGTH)  # the last batch may be shorter
assert GRADING or round(steps_per_epoch, -1) == 160, "the text above speaks of about 160 steps per epoch"

parameters = init_rnn_parameters(vocab_size, N_A, vocab_size, seed=0, dtype=np.float32)
train_losses, valid_losses, progress = [], [], {}
with tqdm(range(1, EPOCHS + 1), desc="training", unit="epoch") as bar:
    for epoch in bar:
        losses = train_epoch(*train_part, parameters, SEQ_LENGTH, LEARNING_RATE, MAX_NORM)
        train_losses.extend(losses)
        valid_losses.append(evaluate(valid_inputs, valid_targets, parameters, SEQ_LENGTH))
        bar.set_postfix(loss=f"{train_losses[-1]:.3f}", perplexity=f"{np.exp(valid_losses[-1]):.2f}")
        if epoch in (1, 2, 4, 12):
            line = "".join(chars[i] for i in sample(parameters, char_to_ix, 7, 0.5, PROMPT, 200))
            progress[epoch] = line.splitlines()[0]
            bar.write(f"after epoch {epoch:2d}: {progress[epoch]}")
print(f"validation perplexity after {EPOCHS} epochs: {np.exp(valid_losses[-1]):.3f}")

# %% [markdown]
# After one epoch the model writes groups of letters the length of words, separated by spaces,
# with a few real words among them; by the last epoch, sentences of the grammar. The fraction of
# real words (words of the corpus) in each line above:


# %%
def real_words(line):
    """The fraction of the words of a line that are words of the corpus."""
    corpus_words = set(text.lower().replace(".", " ").replace(",", " ").split())
    words = line.lower().replace(".", " ").replace(",", " ").split()
    return sum(word in corpus_words for word in words) / max(len(words), 1)


for epoch, line in progress.items():
    print(f"after epoch {epoch:2d}: {real_words(line):.0%} real words")
if not GRADING and needs("train_epoch", "sample"):
    assert real_words(progress[1]) < 0.7 <= real_words(progress[12]), (
        "the text above says that the first epoch's line has few real words, and the last epoch's mostly real ones"
    )

# %% [markdown]
# The reference run ends at a validation perplexity of **1.81** (its validation loss is 0.595
# nats per character), about 0.12 above the floor of 0.48. Your functions should land within a
# few hundredths of it: the run is seeded, so only the rounding of your arithmetic can differ.
#
# The training loss of single batches is noisy, so we plot it smoothed, with the given
# exponential moving average below, next to the validation loss after each epoch.

# %%
from solutions.char_lm import smooth

# %%
STATED_PERPLEXITY, STATED_LOSS, STATED_GAP = 1.81, 0.595, 0.12
if not GRADING and needs("lm_forward", "lm_backward", "optimize", "train_epoch", "evaluate"):
    final_loss = valid_losses[-1]
    print(f"validation loss {final_loss:.3f}, perplexity {np.exp(final_loss):.3f}; {final_loss - FLOOR:.3f} above the floor")
    assert abs(np.exp(final_loss) - STATED_PERPLEXITY) < 0.05, (
        f"the validation perplexity {np.exp(final_loss):.3f} is far from the reference's {STATED_PERPLEXITY}"
    )
    assert abs(final_loss - STATED_LOSS) < 0.01 and abs(final_loss - FLOOR - STATED_GAP) < 0.01, (
        "the text above quotes the reference run's validation loss and its distance to the floor"
    )

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(
    np.arange(1, len(train_losses) + 1) / steps_per_epoch, smooth(train_losses), label="training (smoothed)"
)
ax.plot(np.arange(1, EPOCHS + 1), valid_losses, "o-", label="validation")
ax.axhline(np.log(vocab_size), color="grey", ls=":", label="untrained: log(vocab_size)")
ax.axhline(FLOOR, color="black", ls="--", label="the floor: the grammar's entropy rate")
ax.set(title="Cross-entropy per character", xlabel="epoch", ylabel="loss (nats)", ylim=(0, 3.7))
ax.grid(alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# Both curves fall quickly in the first epochs, as the model learns which characters are common
# and how the words are spelt; after that the gains are slower, as it learns which word can
# follow which, and the curves flatten above the floor. The validation loss stays close to the
# training loss: with a corpus of this size and a model this small, it generalises rather than
# memorises.

# %% [markdown]
# Here is what the trained model writes at three temperatures, after the prompt of a sentence
# and a line break, so that it starts a sentence of its own.

# %%
samples = {}
for temperature in (0.0, 0.5, 1.0):
    samples[temperature] = "".join(chars[i] for i in sample(parameters, char_to_ix, 7, temperature, PROMPT, 240))
    print(f"--- temperature {temperature}:\n{samples[temperature]}\n")
lines = {temperature: written.splitlines()[:-1] for temperature, written in samples.items()}  # whole lines
for temperature, whole in lines.items():
    print(f"temperature {temperature}: {np.mean([real_words(line) for line in whole]):.0%} real words")
if not GRADING and needs("train_epoch", "sample"):
    assert len(set(lines[0.0][-3:])) == 1, "the text below says that at temperature 0 one sentence repeats"
    assert np.mean([real_words(line) for line in lines[0.5]]) > 0.95 > np.mean([real_words(line) for line in lines[1.0]]), (
        "the text below says that the model makes up words at temperature 1, and hardly any at 0.5"
    )

# %% [markdown]
# At temperature 0 the model soon repeats one sentence, its likeliest, over and over: greedy
# choice has no variety. At 0.5 it writes sentences that mostly follow the grammar, with the odd
# surprise, and hardly a word that is not in the corpus; at 1 it samples from its full
# distribution, uncertainty included, and makes up words, since every character, even an
# unlikely one, gets its chance. Compare the samples with
# the corpus: the model has learned the spelling of the words, the capital at the start of each
# sentence, the full stop at the end, and much of which word may follow which, from nothing but
# next-character prediction.

# %% [markdown]
# ## Further reading
#
# - A. Karpathy (2015), `min-char-rnn.py`, <https://gist.github.com/karpathy/d4dee566867f8291f086>:
#   this model in one file, trained with Adagrad on one sequence at a time.
# - A. Karpathy (2015), "The Unreasonable Effectiveness of Recurrent Neural Networks",
#   <http://karpathy.github.io/2015/05/21/rnn-effectiveness/>: the same kind of model on
#   Shakespeare, Wikipedia, LaTeX and C code, samples during training, and what single hidden
#   units learn to track.
# - C. E. Shannon (1951), "Prediction and entropy of printed English", *Bell System Technical
#   Journal* 30(1): the entropy rate of English, measured with people as the model.
# - R. J. Williams and J. Peng (1990), "An efficient gradient-based algorithm for on-line
#   training of recurrent network trajectories", *Neural Computation* 2(4): truncated
#   backpropagation through time, as `train_epoch` does it.
# - I. Sutskever, J. Martens and G. Hinton (2011), "Generating text with recurrent neural
#   networks", ICML; A. Graves (2013), "Generating sequences with recurrent neural networks",
#   arXiv:1308.0850: character-level models at scale.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 10, section 10.2
#   (recurrent networks as models of sequences), <https://www.deeplearningbook.org>.
