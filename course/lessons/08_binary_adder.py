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
# ## 0. Carried over from notebooks 01, 04 and 05
#
# Paste your versions into the three cells below, replacing the stubs: from notebook 01
# `sigmoid`; from notebook 04 `softmax` (the column-wise one), `rnn_cell_forward` and
# `rnn_forward`; from notebook 05 `rnn_cell_backward`, `rnn_backward` and `clip_by_norm`.
# They are not graded again; the cell after them checks that they work.

# %% solution="carried_over_01"
from solutions.spiral_activations import sigmoid

# %% solution="carried_over_04"
from solutions.rnn_forward import softmax, rnn_cell_forward, rnn_forward

# %% solution="carried_over_05"
from solutions.rnn_backward import rnn_cell_backward, rnn_backward, clip_by_norm

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
print("make_addition_data: visible tests passed")

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
tiny = init_rnn_parameters(2, 3, 1, seed=1)
tiny["by"] = np.array([[0.5]])
y_hat_tiny, cache_tiny = adder_forward(x_small, np.zeros((3, 5)), tiny)
print("y_hat[:, 0, :] =", y_hat_tiny[:, 0, :])
assert y_hat_tiny.shape == (1, 5, 4), "y_hat should have shape (1, m, T)"
zero_tiny = {name: np.zeros_like(value) for name, value in tiny.items()}
zero_tiny["by"] = np.array([[2.0]])
assert np.allclose(adder_forward(x_small, np.zeros((3, 5)), zero_tiny)[0], 1 / (1 + np.exp(-2.0))), (
    "with every weight 0 and by = 2, every output should be sigmoid(2) = 0.8808: is by added?"
)
a_tiny = cache_tiny[0]
assert np.allclose(y_hat_tiny[0, 2, 1], 1 / (1 + np.exp(-(tiny["Wya"] @ a_tiny[:, 2, 1] + 0.5)))), (
    "y_hat[0, i, t] should be sigmoid(Wya a[:, i, t] + by)"
)
print("adder_forward: visible tests passed")

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
# to $[10^{-12}, 1 - 10^{-12}]$ inside the loss. As with the softmax, the gradient with respect
# to the scores is remarkably simple: since $\sigma'(z) = \sigma(z)(1 - \sigma(z))$,
#
# $$ \frac{\partial \mathcal{L}}{\partial z_t} = \frac{\hat y_t - y_t}{mT} . $$
#
# **Exercise 3.** Write `adder_loss`. It returns the loss and `dz`, of shape $(1, m, T)$,
# computed with the unclipped $\hat y$.

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
print("adder_loss: visible tests passed")

# %% hidden_tests="adder_loss" points=2
# Hidden tests check the loss and dz on random predictions, some of them certain.

# %% [markdown]
# ## 4. The backward pass
#
# As for the language model of notebook 07, the output layer's gradients are sums over the
# examples and the steps, and the gradient reaching each hidden state from its output goes to
# `rnn_backward`, which adds what comes back through time:
#
# $$ dW_{ya} = \sum_t dz_t \, a_t^{\top}, \qquad db_y = \sum_t \sum_i dz_t[:, i], \qquad
#    da_t = W_{ya}^{\top} dz_t . $$
#
# **Exercise 4.** Write `adder_backward`. Return the five gradients in a dict with the keys
# `dWax`, `dWaa`, `dWya`, `dba`, `dby`.

# %% exercise="adder_backward"
from solutions.binary_adder import adder_backward

# %%
_, dz_tiny = adder_loss(y_hat_tiny, y_small)
grads_tiny = adder_backward(dz_tiny, cache_tiny, tiny)
for name in tiny:
    assert grads_tiny["d" + name].shape == tiny[name].shape, f"d{name} should have the shape of {name}"
assert np.isclose(grads_tiny["dby"][0, 0], np.sum(y_hat_tiny - y_small) / y_small.size), (
    "dby should be the sum of dz over the examples and the steps"
)


def numerical_gradient(x, y, parameters, name, h=1e-5):
    """The centered-difference gradient of the adder's loss with respect to parameters[name]."""
    value = parameters[name]
    grad = np.zeros_like(value)
    a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
    for index in np.ndindex(value.shape):
        old = value[index]
        value[index] = old + h
        plus = adder_loss(adder_forward(x, a0, parameters)[0], y)[0]
        value[index] = old - h
        minus = adder_loss(adder_forward(x, a0, parameters)[0], y)[0]
        value[index] = old
        grad[index] = (plus - minus) / (2 * h)
    return grad


for name in tiny:
    numeric = numerical_gradient(x_small, y_small, tiny, name)
    analytic = grads_tiny["d" + name]
    error = np.max(np.abs(analytic - numeric) / np.maximum(1e-8, np.abs(analytic) + np.abs(numeric)))
    print(f"d{name}: relative error {error:.1e}")
    assert error < 1e-6, f"d{name} does not match the numerical gradient (relative error {error:.1e})"
print("adder_backward matches the numerical gradient")

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
before = adder_loss(adder_forward(x_small, np.zeros((3, 5)), step_params)[0], y_small)[0]
returned = adder_train_step(x_small, y_small, step_params, 1.0, 0.5)
after = adder_loss(adder_forward(x_small, np.zeros((3, 5)), step_params)[0], y_small)[0]
print(f"loss before the step {before:.4f}, returned {returned:.4f}, after {after:.4f}")
assert np.isclose(returned, before), "adder_train_step should return the loss before the update"
assert after < before, "the step should lower the loss: are the parameters updated in place?"
print("adder_train_step: visible tests passed")

# %% hidden_tests="adder_train_step" points=2
# Hidden tests check the updated parameters and the loss, with and without clipping.

# %% [markdown]
# ## 6. Accuracy
#
# A predicted bit is 1 where $\hat y > 0.5$. Two measures: the **bit accuracy**, the fraction
# of all $mT$ bits that are right, and the **number accuracy**, the fraction of the $m$ sums
# whose bits are all right. The second is the one that matters, and the harder one: with a
# bit accuracy of 99%, a 9-bit sum is entirely right only about $0.99^9 \approx 91\%$ of the
# time.
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
print("addition_accuracy: visible tests passed")

# %% hidden_tests="addition_accuracy" points=1
# Hidden tests check both accuracies on random predictions.

# %% [markdown]
# ## 7. Training
#
# A network of 16 hidden units trains on batches of 64 random pairs of 8-bit numbers, with
# learning rate 1 and gradients clipped to a global norm of 1, for 3,000 steps. Every 25 steps
# we measure both accuracies on a fixed held-out set of 1,000 pairs (the training batches are
# fresh draws, each from its own seed, so the network could only memorise a few of them anyway).
#
# Training takes a few seconds. **When the notebook is graded** (nbgrader sets the environment
# variable `NBGRADER_EXECUTION`), the cell trains for 300 steps instead of 3,000.

# %%
STEPS = 300 if os.environ.get("NBGRADER_EXECUTION") else 3_000
N_A, BATCH, N_BITS, LEARNING_RATE, MAX_NORM = 16, 64, 8, 1.0, 1.0

x_test, y_test = make_addition_data(1_000, N_BITS, seed=1)
a0_test = np.zeros((N_A, 1_000))
parameters = init_rnn_parameters(2, N_A, 1, seed=0)
losses, evaluated = [], []
with tqdm(range(STEPS), desc="training", unit="step") as bar:
    for step in bar:
        x_batch, y_batch = make_addition_data(BATCH, N_BITS, seed=1_000 + step)
        losses.append(adder_train_step(x_batch, y_batch, parameters, LEARNING_RATE, MAX_NORM))
        if step + 1 == 150:  # a snapshot of the half-trained network, for section 8
            half_trained = {name: value.copy() for name, value in parameters.items()}
        if step % 25 == 24:
            evaluated.append(
                (step + 1, *addition_accuracy(adder_forward(x_test, a0_test, parameters)[0], y_test))
            )
            bar.set_postfix(loss=f"{losses[-1]:.4f}", sums_right=f"{evaluated[-1][2]:.1%}")
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
ax_accuracy.set(title="Held-out 8-bit pairs", xlabel="step", ylabel="accuracy", ylim=(0, 1.02))
for ax in (ax_loss, ax_accuracy):
    ax.grid(alpha=0.3)
ax_accuracy.legend(loc="lower right")
plt.show()

# %% [markdown]
# The bit accuracy starts at 50%, a coin toss, and the number accuracy at 0. Within a few
# hundred steps the network finds the rule, and the reference run reaches **100%** of the
# held-out sums (you should see the same, since the run is seeded). The loss keeps falling after
# that, as the network grows more confident of bits it already gets right.

# %% [markdown]
# ## 8. Longer numbers
#
# The network has only ever seen 9-step sequences. But it applies the same weights at every
# step, so it can be run on sequences of any length. If it has learned the rule of addition,
# rather than something that happens to work for 8 bits, it adds 16-bit and 32-bit numbers
# just as well. We measure the accuracy on 1,000 random pairs for every length from 1 to 60
# bits, for the trained network and for the snapshot taken after 150 steps, half-way through
# learning. (When the notebook is graded, only every sixth length is measured.)


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

fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(lengths, by_length[:, 1], "o-", ms=3, label=f"sums right, after {STEPS} steps")
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
# every step. The half-trained network shows what happens to a rule that is only nearly
# right: it gets most bits right, but its small error rate per bit compounds over the length
# of the number, and the fraction of entirely right sums decays as the numbers grow.
#
# You have now built, from plain numpy, the pieces of every recurrent network: cells and their
# gradients, backpropagation through time, clipping, gated cells, and two complete models that
# learn. Both used the plain RNN. Next, in notebook 09, the gated cells of notebook 06 go to
# work: an LSTM that reads handwritten digits.
