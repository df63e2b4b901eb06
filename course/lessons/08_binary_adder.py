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
# # 08 · An RNN that learns binary addition
#
# Add two numbers on paper and you go from the rightmost digit to the left, writing one digit
# of the sum at each column and carrying a 1 to the next column when the column overflows.
# That is a recurrent computation: the same rule at every column, and a small memory, the
# carry, passed from column to column. In this notebook an RNN learns it from examples.
#
# The numbers are written in binary and read one bit per time step, **least significant bit
# first**, so that the carry flows forwards in time. At step $t$ the network sees bit $t$ of
# both numbers and outputs the probability that bit $t$ of the sum is 1. Nobody tells it about
# carries: it must discover that it needs one, and keep it in its hidden state.
#
# And because the same weights are applied at every step, a network trained on 8-bit numbers
# can add numbers of any length. We will see whether it does.
#
# <!-- shared: how_to_work -->

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

# %% [markdown]
# Some visible tests build on an exercise before them (a training step needs the forward pass,
# the loss and the backward pass). Such a check runs only once the visible tests of what it
# builds on have passed, so that a mistake is always reported by the tests of the function that
# makes it. These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your functions from notebooks 01, 04 and 05
#
# The adder is your RNN with a sigmoid output: from notebook 01 `sigmoid`; from notebook 04
# `softmax` (the column-wise one), `rnn_cell_forward` and `rnn_forward`; from notebook 05
# `rnn_cell_backward`, `rnn_backward` and `clip_by_norm`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import sigmoid
from mywork import softmax, rnn_cell_forward, rnn_forward
from mywork import rnn_cell_backward, rnn_backward, clip_by_norm

# %% [markdown]
# The parameters are initialised as in notebook 04, by this given function:

# %%
from solutions.rnn_forward import init_rnn_parameters

# %%
assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0]), "check sigmoid"
check_params = init_rnn_parameters(2, 4, 1, seed=0)
assert np.allclose(softmax(np.zeros((4, 2))), 0.25), "check softmax: columns of zeros give 1/4 each"
a_check, _, caches_check = rnn_forward(np.ones((2, 3, 5)), np.zeros((4, 3)), check_params)
assert a_check.shape == (4, 3, 5), "check rnn_forward: a should have shape (n_a, m, T)"
grads_check = rnn_backward(np.ones((4, 3, 5)), caches_check)
assert grads_check["dWaa"].shape == (4, 4) and grads_check["dWax"].shape == (4, 2), "check rnn_backward"
clipped = clip_by_norm({"a": np.array([3.0]), "b": np.array([4.0])}, 1.0)
assert np.allclose(clipped["a"], 0.6) and np.allclose(clipped["b"], 0.8), "check clip_by_norm"
print("The functions from notebooks 01, 04 and 05 work.")

# %% [markdown]
# ## 1. The data
#
# A pair of $n$-bit numbers $u, v$ and their sum $s = u + v$ become sequences of bits, bit $t$
# being the bit of value $2^t$. The sum can have $n + 1$ bits, so each sequence has
# $T = n + 1$ steps: the inputs get a leading 0 at the last step, where the output holds the
# final carry. For $u = 6 = 110_2$, $v = 3 = 011_2$ and $n = 3$:
#
# | step $t$ | 0 | 1 | 2 | 3 |
# |---|---|---|---|---|
# | $x[0, i, t]$, bits of $u$ | 0 | 1 | 1 | 0 |
# | $x[1, i, t]$, bits of $v$ | 1 | 1 | 0 | 0 |
# | $y[0, i, t]$, bits of $s = 9 = 1001_2$ | 1 | 0 | 0 | 1 |
#
# With $m$ pairs, in the course's layout, `x` has shape $(2, m, T)$ and `y` has shape
# $(1, m, T)$. (NumPy tip: `(numbers >> t) & 1` is bit `t` of every integer in `numbers`.)
#
# **Exercise 1.** Write `make_addition_data`. Draw both numbers of every pair uniformly from
# $[0, 2^n)$, with `rng.integers` of `rng = np.random.default_rng(seed)`.

# %% exercise="make_addition_data"
from solutions.binary_adder import make_addition_data

# %%
x_small, y_small = make_addition_data(5, 3, seed=0)
print("x[:, 0, :] =\n", x_small[:, 0, :], "\ny[:, 0, :] =", y_small[:, 0, :])
assert x_small.shape == (2, 5, 4) and y_small.shape == (1, 5, 4), (
    "with m = 5 and n_bits = 3, x should have shape (2, 5, 4) and y shape (1, 5, 4)"
)
assert not x_small[:, :, -1].any(), "the inputs' last step (the leading bit) should be 0"
powers = 2 ** np.arange(4)
assert np.array_equal(x_small[0] @ powers + x_small[1] @ powers, y_small[0] @ powers), (
    "y should hold the bits of the sums, least significant bit first"
)
passed("make_addition_data")

# %% hidden_tests="make_addition_data" points=1
# Hidden tests check shapes, the bit order, the sums and the spread of the numbers drawn.

# %% [markdown]
# ## 2. The forward pass
#
# The hidden states come from your `rnn_forward`. Its output layer, a softmax, is no use here:
# over a single output unit it is always 1. Instead each step gets one **sigmoid** output, the
# probability that the bit of the sum is 1,
#
# $$ \hat y_t = \sigma(z_t), \qquad z_t = W_{ya} a_t + b_y , $$
#
# with $W_{ya}$ of shape $(1, n_a)$ and $b_y$ of shape $(1, 1)$, for every example at once:
# $\hat y$ has shape $(1, m, T)$. (NumPy tip: `np.tensordot(Wya, a, axes=1)` multiplies
# $W_{ya}$ with every $a_t$ in one go, giving shape $(1, m, T)$.)
#
# **Exercise 2.** Write `adder_forward`. It returns $\hat y$ and the cache `(a, rnn_caches)`.

# %% exercise="adder_forward"
from solutions.binary_adder import adder_forward

# %%
u, v = np.array([6, 5, 7, 0, 3]), np.array([3, 1, 7, 2, 4])  # five pairs of 3-bit numbers
x_pairs = ((np.stack([u, v])[:, :, None] >> np.arange(4)) & 1).astype(float)  # (2, 5, 4)
y_pairs = (((u + v)[None, :, None] >> np.arange(4)) & 1).astype(float)  # (1, 5, 4)
tiny = init_rnn_parameters(2, 3, 1, seed=1)
tiny["by"] = np.array([[0.5]])
y_hat_tiny, cache_tiny = adder_forward(x_pairs, np.zeros((3, 5)), tiny)
print("y_hat[:, 0, :] =", y_hat_tiny[:, 0, :])
assert y_hat_tiny.shape == (1, 5, 4), "y_hat should have shape (1, m, T)"
zero_tiny = {name: np.zeros_like(value) for name, value in tiny.items()}
zero_tiny["by"] = np.array([[2.0]])
assert np.allclose(adder_forward(x_pairs, np.zeros((3, 5)), zero_tiny)[0], 1 / (1 + np.exp(-2.0))), (
    "with every weight 0 and by = 2, every output should be sigmoid(2) = 0.8808: is by added?"
)
a_tiny, _, _ = rnn_forward(x_pairs, np.zeros((3, 5)), tiny)
assert np.allclose(y_hat_tiny[0, 2, 1], 1 / (1 + np.exp(-(tiny["Wya"] @ a_tiny[:, 2, 1] + 0.5)))), (
    "y_hat[0, i, t] should be sigmoid(Wya a[:, i, t] + by), with a the hidden states of rnn_forward"
)
assert isinstance(cache_tiny, tuple) and len(cache_tiny) == 2, "the cache should be the tuple (a, rnn_caches)"
assert np.allclose(cache_tiny[0], a_tiny), "cache[0] should be the hidden states a"
passed("adder_forward")

# %% hidden_tests="adder_forward" points=1
# Hidden tests check y_hat and the cache on random networks.

# %% [markdown]
# ## 3. The loss and its gradient
#
# Each output is a yes-or-no prediction, so the loss is the **binary cross-entropy**, averaged
# over all $mT$ bits:
#
# $$ \mathcal{L} = -\frac{1}{mT} \sum_{i, t} \Big[ y \log \hat y + (1 - y) \log (1 - \hat y) \Big] . $$
#
# A probability of exactly 0 or 1 would make a logarithm infinite, so $\hat y$ is first clipped
# to $[10^{-12}, 1 - 10^{-12}]$ inside the loss.
#
# Training needs the gradient of $\mathcal{L}$ with respect to the scores $z_t$, where
# $\hat y_t = \sigma(z_t)$. Derive it before you read on: differentiate one bit's term with
# respect to $\hat y$, multiply by $\sigma'(z)$ written with the output (notebook 01), and
# simplify. The result is as simple as the softmax's of notebook 02.
#
# **Exercise 3.** Write `adder_loss`. It returns the loss and `dz`, of shape $(1, m, T)$,
# computed with the unclipped $\hat y$.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# For one bit, $\ell = -y \log \hat y - (1 - y) \log(1 - \hat y)$, so
# $\partial \ell / \partial \hat y = -y / \hat y + (1 - y) / (1 - \hat y)
# = (\hat y - y) / \big(\hat y (1 - \hat y)\big)$. The chain rule multiplies it by
# $\sigma'(z) = \hat y (1 - \hat y)$, which cancels the denominator; the mean over the $mT$
# bits divides by $mT$:
#
# $$ \frac{\partial \mathcal{L}}{\partial z_t} = \frac{\hat y_t - y_t}{mT} . $$
#
# </details>

# %% exercise="adder_loss"
from solutions.binary_adder import adder_loss

# %%
half = np.full((1, 2, 3), 0.5)
bits = np.array([[[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]])
loss_half, dz_half = adder_loss(half, bits)
print(f"loss at y_hat = 0.5: {loss_half:.6f} (log 2 = {np.log(2):.6f})")
assert np.isclose(loss_half, np.log(2)), "at y_hat = 0.5 every bit costs log 2: is the loss averaged?"
assert np.allclose(dz_half, (half - bits) / 6), "dz should be (y_hat - y) / (m T)"
loss_sure, _ = adder_loss(bits, bits)
assert np.isfinite(loss_sure) and loss_sure < 1e-9, "a perfect prediction should cost (almost) nothing"
passed("adder_loss")

# %% hidden_tests="adder_loss" points=2
# Hidden tests check the loss and dz on random predictions, some of them certain.

# %% [markdown]
# ## 4. The backward pass
#
# Given $dz_t$ for every step, derive the gradients of the output layer, $dW_{ya}$ and $db_y$,
# and the gradient $da_t$ that the output at step $t$ sends down to the hidden state $a_t$. The
# recurrent part is your `rnn_backward` of notebook 05: it takes `da` and adds what comes back
# through time.
#
# **Exercise 4.** Write `adder_backward`. Return the five gradients in a dict with the keys
# `dWax`, `dWaa`, `dWya`, `dba`, `dby`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# As for the language model of notebook 07: $z_t = W_{ya} a_t + b_y$ is a layer with examples
# in columns, used at every step, so its gradients are summed over the steps (and the bias's
# over the examples too), and each hidden state receives its own share:
#
# $$ dW_{ya} = \sum_t dz_t \, a_t^{\top}, \qquad db_y = \sum_t \sum_i dz_t[:, i], \qquad
#    da_t = W_{ya}^{\top} dz_t . $$
#
# </details>

# %% exercise="adder_backward"
from solutions.binary_adder import adder_backward

# %% [markdown]
# The visible tests check the shapes and $db_y$, then every gradient against the numerical
# gradient of the loss $L = \sum_{t, i} dz_t \odot z_t$, whose gradient with respect to the
# scores $z_t$ is exactly `dz` (the trick of notebook 05), for a random `dz`. They use your
# numerical gradient and relative error of notebook 02:

# %%
from mywork import eval_numerical_gradient, rel_error

# %%
rng = np.random.default_rng(5)
a_tiny, _, rnn_caches_tiny = rnn_forward(x_pairs, np.zeros((3, 5)), tiny)
dz_tiny = rng.standard_normal((1, 5, 4))
grads_tiny = adder_backward(dz_tiny, (a_tiny, rnn_caches_tiny), tiny)
for name in tiny:
    assert grads_tiny["d" + name].shape == tiny[name].shape, f"d{name} should have the shape of {name}"
assert np.isclose(grads_tiny["dby"][0, 0], dz_tiny.sum()), "dby should be the sum of dz over the examples and the steps"


def scores_loss(_):
    """sum(dz * z), with z = Wya a_t + by the scores; reads the parameters that are being nudged."""
    a, _, _ = rnn_forward(x_pairs, np.zeros((3, 5)), tiny)
    return np.sum(dz_tiny * (np.tensordot(tiny["Wya"], a, axes=1) + tiny["by"][:, :, None]))


for name in tiny:
    numeric = eval_numerical_gradient(scores_loss, tiny[name])
    error = rel_error(grads_tiny["d" + name], numeric)
    print(f"d{name}: relative error {error:.1e}")
    assert error < 1e-6, f"d{name} does not match the numerical gradient (relative error {error:.1e})"
passed("adder_backward")

# %% hidden_tests="adder_backward" points=3
# Hidden tests check the five gradients on random networks.

# %% [markdown]
# ## 5. A training step
#
# Each step trains on a fresh batch of random pairs: the forward pass from a zero hidden state,
# the loss, the backward pass, clipping by the global norm, and gradient descent
# $p \leftarrow p - \alpha \, dp$.
#
# **Exercise 5.** Write `adder_train_step`. It changes the arrays of `parameters` **in place**
# and returns the loss before the step.

# %% exercise="adder_train_step"
from solutions.binary_adder import adder_train_step

# %%
step_params = init_rnn_parameters(2, 3, 1, seed=1)
start = {name: value.copy() for name, value in step_params.items()}
before = adder_loss(adder_forward(x_pairs, np.zeros((3, 5)), step_params)[0], y_pairs)[0]
returned = adder_train_step(x_pairs, y_pairs, step_params, 1.0, 0.05)
after = adder_loss(adder_forward(x_pairs, np.zeros((3, 5)), step_params)[0], y_pairs)[0]
print(f"loss before the step {before:.4f}, returned {returned:.4f}, after {after:.4f}")
assert np.isclose(returned, before), "adder_train_step should return the loss before the update"
moved = np.sqrt(sum(np.sum((step_params[name] - start[name]) ** 2) for name in start))
assert moved > 0, "the parameters did not change: update them in place"
assert moved <= 1.0 * 0.05 + 1e-9, (
    f"with learning rate 1 and max_norm 0.05 the parameters may move by 0.05 at most, not {moved:.3f}: "
    "are the gradients clipped by their global norm?"
)
if needs("adder_forward", "adder_loss", "adder_backward"):  # a step down your gradient lowers your loss
    assert after < before, "the step should lower the loss: is it a step AGAINST the gradient?"
    passed("adder_train_step")

# %% hidden_tests="adder_train_step" points=2
# Hidden tests check the updated parameters and the loss, with and without clipping.

# %% [markdown]
# ## 6. Accuracy
#
# A predicted bit is 1 where $\hat y > 0.5$. Two measures: the **bit accuracy**, the fraction
# of all $mT$ bits that are right, and the **number accuracy**, the fraction of the $m$ sums
# whose bits are all right. The second is the one that matters, and the harder one: with a
# bit accuracy of 99% (and the bits' mistakes independent), a 9-bit sum is entirely right only
# $0.99^9 \approx 91\%$ of the time.
#
# **Exercise 6.** Write `addition_accuracy`. It returns the two fractions, as floats.

# %% exercise="addition_accuracy"
from solutions.binary_adder import addition_accuracy

# %%
truth = np.array([[[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]])
guess = np.array([[[0.9, 0.2, 0.6], [0.1, 0.4, 0.7]]])
print(addition_accuracy(guess, truth))
assert np.allclose(addition_accuracy(guess, truth), (5 / 6, 1 / 2)), (
    "5 of the 6 bits are right (0.4 < 0.5 predicts 0), and 1 of the 2 sums: expected (5/6, 1/2)"
)
assert f"{0.99**9:.0%}" == "91%", "the text above says 0.99 ** 9 is about 91%"
passed("addition_accuracy")

# %% hidden_tests="addition_accuracy" points=1
# Hidden tests check both accuracies on random predictions.

# %% [markdown]
# ## 7. Training
#
# A network of 16 hidden units trains on batches of 64 random pairs of 8-bit numbers, with
# learning rate 1 and gradients clipped to a global norm of 1. Before training and every 25
# steps we measure both accuracies on a fixed held-out set of 1,000 pairs (the training
# batches are fresh draws, each from its own seed, so the network could only memorise a few of
# them anyway). Training stops once the network has learned: when every held-out sum is right
# at two measurements in a row, or after 3,000 steps at most.
#
# Training takes a few seconds. **When the notebook is graded** (nbgrader sets the environment
# variable `NBGRADER_EXECUTION`), it stops after 300 steps at most.

# %%
MAX_STEPS = 300 if os.environ.get("NBGRADER_EXECUTION") else 3_000
N_A, BATCH, N_BITS, LEARNING_RATE, MAX_NORM = 16, 64, 8, 1.0, 1.0

x_test, y_test = make_addition_data(1_000, N_BITS, seed=1)
a0_test = np.zeros((N_A, 1_000))
parameters = init_rnn_parameters(2, N_A, 1, seed=0)


def held_out_accuracy(step):
    """(step, bit accuracy, number accuracy) of the network on the held-out pairs."""
    return (step, *addition_accuracy(adder_forward(x_test, a0_test, parameters)[0], y_test))


losses, evaluated = [], [held_out_accuracy(0)]
with tqdm(range(1, MAX_STEPS + 1), desc="training", unit="step") as bar:
    for step in bar:
        x_batch, y_batch = make_addition_data(BATCH, N_BITS, seed=1_000 + step - 1)
        losses.append(adder_train_step(x_batch, y_batch, parameters, LEARNING_RATE, MAX_NORM))
        if step == 150:  # a snapshot of the network before it has learned, for section 8
            half_trained = {name: value.copy() for name, value in parameters.items()}
        if step % 25 == 0:
            evaluated.append(held_out_accuracy(step))
            bar.set_postfix(loss=f"{losses[-1]:.4f}", sums_right=f"{evaluated[-1][2]:.1%}")
            if evaluated[-1][2] == evaluated[-2][2] == 1.0:
                break  # learned: every held-out sum right, twice in a row
STEPS = len(losses)
steps, bit_accuracy, number_accuracy = np.array(evaluated).T
print(
    f"after {STEPS} steps: bit accuracy {bit_accuracy[-1]:.2%}, number accuracy {number_accuracy[-1]:.2%} "
    "on 1,000 held-out 8-bit pairs"
)

# %%
fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(12, 4))
ax_loss.plot(np.arange(1, STEPS + 1), losses, lw=0.8)
ax_loss.set(title="Training loss", xlabel="step", ylabel="binary cross-entropy", yscale="log")
ax_accuracy.plot(steps, bit_accuracy, "o-", ms=3, label="bits right")
ax_accuracy.plot(steps, number_accuracy, "o-", ms=3, label="sums right")
ax_accuracy.axhline(0.5, color="grey", ls=":", lw=0.8)
ax_accuracy.set(title="Held-out 8-bit pairs", xlabel="step", ylabel="accuracy", ylim=(0, 1.02))
for ax in (ax_loss, ax_accuracy):
    ax.grid(alpha=0.3)
ax_accuracy.legend(loc="center right")
plt.show()
first_all_right = int(steps[np.argmax(number_accuracy == 1.0)]) if number_accuracy.max() == 1.0 else None
print(f"before training: {bit_accuracy[0]:.1%} of the bits and {number_accuracy[0]:.1%} of the sums right; "
      f"every sum right from step {first_all_right} on")  # fmt: skip
if needs("adder_forward", "adder_loss", "adder_backward", "adder_train_step", "addition_accuracy"):
    assert f"{bit_accuracy[0]:.0%}" == "50%" and number_accuracy[0] < 0.005, (
        "the text below says that the untrained network gets half of the bits and almost no sum right"
    )
    assert first_all_right is not None and abs(first_all_right - 200) <= 50, (
        "the text below says that the network gets every held-out sum right from about step 200 on"
    )

# %% [markdown]
# Before training the network gets 50% of the bits right, a coin toss, and almost no sum (for a
# sum of 9 bits, guessing gets one in $2^9 = 512$). For a hundred steps or so the bits improve
# slowly; then, around step 200, the network finds the rule, and every held-out sum is right
# (you should see the same, since the run is seeded). There training stops: 3,000 steps were
# never needed.

# %% [markdown]
# ## 8. Longer numbers
#
# The network has only ever seen 9-step sequences. But it applies the same weights at every
# step, so it can be run on sequences of any length. If it has learned the rule of addition,
# rather than something that happens to work for 8 bits, it adds 16-bit and 32-bit numbers
# just as well. We measure the accuracy on 1,000 random pairs for every length from 1 to 60
# bits, for the trained network and for the snapshot taken after 150 steps, before it had found
# the rule. (When the notebook is graded, only every sixth length is measured.)


# %%
def accuracy_by_length(params, lengths):
    """(bit accuracy, number accuracy) on 1,000 random pairs of each length: shape (len(lengths), 2)."""
    results = []
    for n_bits in lengths:
        x_long, y_long = make_addition_data(1_000, int(n_bits), seed=100 + int(n_bits))
        y_hat_long, _ = adder_forward(x_long, np.zeros((N_A, 1_000)), params)
        results.append(addition_accuracy(y_hat_long, y_long))
    return np.array(results)


every = 6 if os.environ.get("NBGRADER_EXECUTION") else 1  # fewer lengths when graded
lengths = np.union1d(np.arange(1, 61, every), [8, 16, 32])
by_length = accuracy_by_length(parameters, lengths)
half_by_length = accuracy_by_length(half_trained, lengths)
for n in (8, 16, 32):
    bits, numbers = by_length[list(lengths).index(n)]
    print(f"{n:2d}-bit numbers: bit accuracy {bits:.2%}, number accuracy {numbers:.2%}")
half_bits, half_numbers = half_by_length[:, 0], half_by_length[:, 1]
print(f"after 150 steps: {half_bits.min():.0%} to {half_bits.max():.0%} of the bits right, "
      f"{half_numbers[list(lengths).index(8)]:.0%} of the 8-bit sums, {half_numbers[-1]:.0%} of the 60-bit sums")  # fmt: skip
if needs("adder_forward", "adder_train_step", "addition_accuracy"):
    assert by_length[:, 1].min() == 1.0, "the text below says that the trained network adds every length right"
    assert half_bits.min() > 0.8 and half_numbers[-1] < half_numbers[list(lengths).index(8)] / 10, (
        "the text below says that the network of step 150 gets most bits right, and ever fewer sums as they grow"
    )

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(lengths, by_length[:, 1], "o-", ms=3, label=f"sums right, after {STEPS} steps (trained)")
ax.plot(lengths, half_by_length[:, 1], "o-", ms=3, label="sums right, after 150 steps")
ax.plot(lengths, half_by_length[:, 0], ":", label="bits right, after 150 steps")
ax.axvline(N_BITS, color="grey", ls="--", lw=0.8, label="trained on 8 bits")
ax.set(
    title="Accuracy against the length of the numbers",
    xlabel="bits per number",
    ylabel="accuracy",
    ylim=(0, 1.05),
)
ax.grid(alpha=0.3)
ax.legend(loc="center right")
plt.show()

# %% [markdown]
# The trained network adds numbers of every length it was tested on without a mistake: the same
# few weights implement "add the two bits and the carry, output the sum bit, keep the new
# carry", whatever the length. This is what recurrence buys: a rule learned once and applied at
# every step. The network of step 150 shows what happens to a rule that is only nearly right:
# it gets most bits right (more than 80% at every length), but its small error rate per bit
# compounds over the length of the number, and the fraction of entirely right sums decays as the
# numbers grow, to less than a tenth of its 8-bit value at 60 bits.
#
# ## 9. Where is the carry?
#
# Nobody told the network about carries, yet it must keep one: the sum bit of a column depends
# on whether the columns before it overflowed. The carry after column $t$ is 1 when the two
# numbers' bits up to $t$ add up to $2^{t+1}$ or more. We compute it for the held-out pairs and
# look for a hidden unit whose activation follows it.

# %%
a_test, _, _ = rnn_forward(x_test, a0_test, parameters)  # (N_A, 1000, T)
powers = 2 ** np.arange(N_BITS + 1)
low_sums = np.cumsum((x_test[0] + x_test[1]) * powers, axis=1)  # the two numbers' bits up to t, added
carry = (low_sums >= 2 * powers).astype(float)  # (1000, T): the carry out of column t
correlations = np.array([np.corrcoef(a_test[k].ravel(), carry.ravel())[0, 1] for k in range(N_A)])
carry_unit = int(np.argmax(np.abs(correlations)))
sign = np.sign(correlations[carry_unit])
agreement = np.mean((sign * a_test[carry_unit] > 0) == (carry == 1))
print(f"unit {carry_unit}: correlation {correlations[carry_unit]:+.2f} with the carry; its sign tells the carry "
      f"at {agreement:.1%} of the {carry.size:,} steps")  # fmt: skip

# One 16-bit sum, column by column: the bits, the carry, and the carry unit.
x_one, y_one = make_addition_data(1, 16, seed=7)
a_one, _, _ = rnn_forward(x_one, np.zeros((N_A, 1)), parameters)
carry_one = (np.cumsum((x_one[0, 0] + x_one[1, 0]) * 2 ** np.arange(17)) >= 2 ** np.arange(1, 18)).astype(float)
fig, (ax_bits, ax_unit) = plt.subplots(2, 1, figsize=(11, 4.6), sharex=True, height_ratios=(1, 1.3))
table = np.vstack([x_one[0, 0], x_one[1, 0], y_one[0, 0], carry_one])
ax_bits.imshow(table, cmap="Greys", vmin=-0.6, vmax=1.6, aspect="auto")
for (row, t), bit in np.ndenumerate(table):
    ax_bits.text(t, row, f"{bit:.0f}", ha="center", va="center", color="white" if bit else "black")
ax_bits.set_yticks(range(4), ["bits of u", "bits of v", "bits of u + v", "carry out"])
ax_bits.set_title("A 16-bit addition, least significant bit first, and the carry unit of the hidden state")
ax_unit.bar(np.arange(17), carry_one, color="#E69F00", alpha=0.4, label="carry out of the column")
ax_unit.plot(np.arange(17), sign * a_one[carry_unit, 0], "o-", color="#0072B2",
             label=f"hidden unit {carry_unit}" + (" (sign flipped)" if sign < 0 else ""))  # fmt: skip
ax_unit.axhline(0, color="grey", lw=0.8)
ax_unit.set(xlabel="time step t (column)", ylabel="activation", ylim=(-1.1, 1.1))
ax_unit.set_xticks(range(17))
ax_unit.legend(loc="center", bbox_to_anchor=(0.5, 0.62), fontsize=9)
plt.tight_layout()
plt.show()
if needs("adder_forward", "adder_train_step"):
    assert abs(correlations[carry_unit]) > 0.9 and agreement == 1.0, (
        "the text below says that one hidden unit's sign tells the carry at every step"
    )

# %% [markdown]
# One of the 16 hidden units has made itself the carry: its activation is on one side of 0
# after every column that overflows and on the other after every column that does not, at every
# step of the 1,000 held-out sums (its correlation with the carry is above 0.9). The network has
# found the register that the pencil-and-paper method keeps, and it reads the next sum bit from
# it and the next two input bits.
#
# You have now built, from plain numpy, the pieces of every recurrent network: cells and their
# gradients, backpropagation through time, clipping, gated cells, and two complete models that
# learn. Both used the plain RNN. Next, in notebook 09, the gated cells of notebook 06 go to
# work: an LSTM that reads handwritten digits.

# %% [markdown]
# ## Further reading
#
# - A. Trask (2015), "Anyone Can Learn To Code an LSTM-RNN in Python (Part 1: RNN)",
#   <https://iamtrask.github.io/2015/11/15/anyone-can-code-lstm/>: a numpy RNN that learns
#   binary addition, the classic version of this notebook.
# - A. Karpathy (2015), "The Unreasonable Effectiveness of Recurrent Neural Networks",
#   <http://karpathy.github.io/2015/05/21/rnn-effectiveness/>, section "Visualizing the
#   predictions and the neuron firings": single units that track quotes, brackets and line
#   length, as our unit tracks the carry.
# - W. Zaremba and I. Sutskever (2014), "Learning to Execute", arXiv:1410.4615, and Ł. Kaiser
#   and I. Sutskever (2016), "Neural GPUs Learn Algorithms", ICLR: networks that learn
#   arithmetic, and when they carry on working for longer numbers than they were trained on.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, chapter 10,
#   <https://www.deeplearningbook.org>.
