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
# # 05 · Backpropagation through time
#
# Notebook 04 ran the RNN forwards: the cell, then the whole sequence. This notebook runs it
# backwards, in the same two steps:
#
# 1. the gradients of one cell, `rnn_cell_backward`;
# 2. the gradients of the whole sequence, `rnn_backward`: **backpropagation through time**
#    (BPTT), which is ordinary backpropagation through the unrolled network of notebook 04;
# 3. what happens to the gradient on its way back through many steps, measured by
#    `gradient_norms_through_time`: it **vanishes** or it **explodes**, depending on the
#    recurrent weights $W_{aa}$;
# 4. the standard defence against exploding gradients, **gradient clipping**, in two forms:
#    `clip` and `clip_by_norm`;
# 5. (optional) a comparison with PyTorch's RNN.
#
# Both backward functions are checked against numerical gradients, as in notebooks 02 and 03.
#
# <!-- shared: how_to_work -->

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# Some visible tests build on an exercise before them (the check of `rnn_backward` needs your
# `rnn_cell_backward`). Such a check runs only once the visible tests of what it builds on have
# passed, so that a mistake is always reported by the tests of the function that makes it.
# These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your functions from notebooks 02 and 04
#
# The backward pass starts from your forward pass of notebook 04, `softmax`, `rnn_cell_forward`
# and `rnn_forward`, and checks its gradients with your `eval_numerical_gradient(f, x)` and
# `rel_error(a, b)` of notebook 02.
#
# <!-- shared: earlier_work -->

# %%
from mywork import eval_numerical_gradient, rel_error
from mywork import softmax, rnn_cell_forward, rnn_forward

# %%
assert np.allclose(softmax(np.array([[0.0, 1000.0], [0.0, 1000.0]])), 0.5), "check softmax"
_p = {
    "Wax": np.eye(2),
    "Waa": np.array([[0.0, 1.0], [0.0, 0.0]]),
    "Wya": np.eye(2),
    "ba": np.zeros((2, 1)),
    "by": np.zeros((2, 1)),
}
_a, _y, _cache = rnn_cell_forward(np.ones((2, 1)), np.ones((2, 1)), _p)
assert np.allclose(_a, np.tanh([[2.0], [1.0]])) and len(_cache) == 4, "check rnn_cell_forward"
_a, _y, (_caches, _x) = rnn_forward(np.ones((2, 1, 3)), np.zeros((2, 1)), _p)
assert _a.shape == (2, 1, 3) and len(_caches) == 3, "check rnn_forward"
assert np.allclose(_a[:, :, 1], np.tanh(_p["Waa"] @ _a[:, :, 0] + 1)), "check rnn_forward"
print("The functions from notebook 04 work.")

# %% [markdown]
# Also given: random parameters for an RNN, as in notebook 04.

# %%
from solutions.rnn_forward import init_rnn_parameters  # noqa: F401

# %% [markdown]
# ## 1. Backward through one cell
#
# The forward step was
#
# $$ z = W_{aa}\, a^{\langle t-1 \rangle} + W_{ax}\, x^{\langle t \rangle} + b_a, \qquad
#    a^{\langle t \rangle} = \tanh(z) . $$
#
# The backward step receives $\partial L / \partial a^{\langle t \rangle}$, called `da_next`,
# of shape $(n_a, m)$, and returns the gradients with respect to everything the step used. The
# output layer ($W_{ya}$, $b_y$) is not part of this function: its gradient reaches
# $a^{\langle t \rangle}$ through `da_next`.
#
# Derive the five gradients before you read on:
#
# 1. $dz = \partial L / \partial z$, through the tanh, with its derivative written with its
#    output (notebook 01);
# 2. from $dz$, the gradients with respect to $x^{\langle t \rangle}$, $a^{\langle t-1 \rangle}$,
#    $W_{ax}$, $W_{aa}$ and $b_a$. It is a layer of notebook 03 with the examples in columns
#    instead of rows; check that each gradient has the shape of what it is the gradient of
#    ($W_{ax}$ is $(n_a, n_x)$, $b_a$ is $(n_a, 1)$).
#
# **Exercise 1.** Write `rnn_cell_backward`. It returns a dict with the keys `dxt`, `da_prev`,
# `dWax`, `dWaa` and `dba`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# Through the tanh: $\tanh'(z) = 1 - \tanh(z)^2 = 1 - (a^{\langle t \rangle})^2$, so
#
# $$ dz = \texttt{da\_next} \odot \left(1 - (a^{\langle t \rangle})^2\right) \qquad (n_a, m) . $$
#
# Then through the linear part, as for a layer of notebook 03 but with examples in columns (so
# the transposes sit on the other side):
#
# $$
# \begin{aligned}
# \frac{\partial L}{\partial x^{\langle t \rangle}} &= W_{ax}^{\top} dz, &
# \frac{\partial L}{\partial a^{\langle t-1 \rangle}} &= W_{aa}^{\top} dz, \\[1.5ex]
# \frac{\partial L}{\partial W_{ax}} &= dz\, (x^{\langle t \rangle})^{\top}, &
# \frac{\partial L}{\partial W_{aa}} &= dz\, (a^{\langle t-1 \rangle})^{\top}, &
# \frac{\partial L}{\partial b_a} &= \sum_{j=1}^{m} dz_{:, j} .
# \end{aligned}
# $$
#
# The shapes agree: $dz\,(x^{\langle t \rangle})^{\top}$ is $(n_a, m)(m, n_x)$, the shape of
# $W_{ax}$; the bias was added to every column, so its gradient sums the columns and keeps the
# shape $(n_a, 1)$.
#
# </details>

# %% exercise="rnn_cell_backward"
from solutions.rnn_backward import rnn_cell_backward

# %%
n_x, n_a, n_y, m = 3, 5, 2, 4
rng = np.random.default_rng(0)
params = init_rnn_parameters(n_x, n_a, n_y, seed=0)
params["ba"] = 0.5 * rng.standard_normal((n_a, 1))  # non-zero biases, so that every term shows
xt = rng.standard_normal((n_x, m))
a_prev = rng.standard_normal((n_a, m))
da_next = rng.standard_normal((n_a, m))
a_next, _, cache = rnn_cell_forward(xt, a_prev, params)
grads = rnn_cell_backward(da_next, cache)

expected = {"dxt": (n_x, m), "da_prev": (n_a, m), "dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dba": (n_a, 1)}
assert isinstance(grads, dict) and set(grads) == set(expected), f"the keys should be {sorted(expected)}"
for name, shape in expected.items():
    assert grads[name].shape == shape, f"grads['{name}'] should have shape {shape}, not {grads[name].shape}"

# With da_next = 1 everywhere, dz is the tanh derivative itself, and dba sums it over the examples.
ones = rnn_cell_backward(np.ones((n_a, m)), cache)
assert np.allclose(ones["dba"], np.sum(1 - a_next**2, axis=1, keepdims=True)), (
    "dba should be the sum over the examples of dz = da_next * (1 - a_next**2): is the tanh "
    "derivative right, and do you sum over axis 1?"
)
print("rnn_cell_backward: the shapes, the tanh derivative and dba are right")

# %% [markdown]
# ### Checking the cell numerically
#
# To check all five gradients at once, we need a scalar loss whose gradient with respect to
# $a^{\langle t \rangle}$ is exactly `da_next`. The loss
# $L = \sum_{i,j} a^{\langle t \rangle}_{ij}\, \texttt{da\_next}_{ij}$ is one: its derivative
# with respect to each entry of $a^{\langle t \rangle}$ is the matching entry of `da_next`. We
# compare each gradient of `rnn_cell_backward` with the numerical gradient of this $L$. The
# function `cell_loss` reads its inputs from the arrays that `eval_numerical_gradient` nudges in
# place. Expect relative errors below $10^{-7}$.


# %%
def cell_loss(_):
    a_next, _, _ = rnn_cell_forward(xt, a_prev, params)
    return np.sum(a_next * da_next)


numerical = {
    "dxt": eval_numerical_gradient(cell_loss, xt),
    "da_prev": eval_numerical_gradient(cell_loss, a_prev),
    "dWax": eval_numerical_gradient(cell_loss, params["Wax"]),
    "dWaa": eval_numerical_gradient(cell_loss, params["Waa"]),
    "dba": eval_numerical_gradient(cell_loss, params["ba"]),
}
errors = {name: rel_error(grads[name], numerical[name]) for name in numerical}
print("  ".join(f"{name} {error:.1e}" for name, error in errors.items()))
for name, error in errors.items():
    assert error < 1e-7, f"grads['{name}'] does not match the numerical gradient (relative error {error:.1e})"
passed("rnn_cell_backward")

# %% hidden_tests="rnn_cell_backward" points=2
# Hidden tests check the five gradients for random sizes, parameters and upstream gradients.

# %% [markdown]
# ## 2. Backpropagation through time
#
# In the unrolled network of notebook 04, look at where each quantity goes, and derive, before
# you read on:
#
# 1. the gradient reaching the hidden state $a^{\langle t \rangle}$. It is used in two places;
#    `da` of shape $(n_a, m, T_x)$ holds, for every step, the part that comes from the output
#    at that step (in notebook 07 it comes from the loss of each prediction). What is the other
#    part, and in which order must the steps be visited so that it is known when it is needed?
# 2. the gradients of $W_{ax}$, $W_{aa}$ and $b_a$, which every step uses;
# 3. `dx[:, :, t]`, and `da0`, the gradient with respect to the initial state.
#
# **Exercise 2.** Write `rnn_backward`, using your `rnn_cell_backward`. `caches` is what
# `rnn_forward` returned: the tuple `(list of the T_x cell caches, x)`. It returns a dict with
# the keys `dx`, `da0`, `dWax`, `dWaa` and `dba`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# The hidden state $a^{\langle t \rangle}$ goes up into the output layer at step $t$ and right
# into the cell of step $t+1$. Its gradient is therefore the **sum** of two parts:
#
# $$ \frac{\partial L}{\partial a^{\langle t \rangle}}
#    = \underbrace{\texttt{da[:, :, t]}}_{\text{from the output at step } t}
#    + \underbrace{\texttt{da\_prev}}_{\text{sent back by the cell of step } t+1} . $$
#
# The second part only exists once the cell of step $t+1$ has been run backwards, so BPTT
# visits the steps **from the last to the first**: at step $T_x$ nothing comes from the right
# (the second part is 0); each step's `rnn_cell_backward` returns the `da_prev` that the step
# before it needs. What reaches past step 1 is the gradient with respect to the initial state,
# `da0`.
#
# The parameters $W_{ax}$, $W_{aa}$, $b_a$ are the same at every step, and each step
# contributes to their gradient, so their gradients are the **sums** over the steps of what
# each cell returns. The input at step $t$ is used only at step $t$: `dx[:, :, t]` is the `dxt`
# of that step.
#
# </details>

# %% exercise="rnn_backward"
from solutions.rnn_backward import rnn_backward

# %%
T_x = 4
x = rng.standard_normal((n_x, m, T_x))
a0 = rng.standard_normal((n_a, m))
da = rng.standard_normal((n_a, m, T_x))
a, _, caches = rnn_forward(x, a0, params)
grads = rnn_backward(da, caches)
expected = {"dx": (n_x, m, T_x), "da0": (n_a, m), "dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dba": (n_a, 1)}
assert isinstance(grads, dict) and set(grads) == set(expected), f"the keys should be {sorted(expected)}"
for name, shape in expected.items():
    assert grads[name].shape == shape, f"grads['{name}'] should have shape {shape}, not {grads[name].shape}"

# The last step receives nothing from the right: its dx is the cell's dxt for da[:, :, -1] alone.
last = rnn_cell_backward(da[:, :, -1], caches[0][-1])
assert np.allclose(grads["dx"][:, :, -1], last["dxt"]), (
    "dx[:, :, T_x-1] should be the dxt of the last cell for da[:, :, T_x-1]"
)

# A gradient on the LAST hidden state only must still reach the first input and a0.
da_last = np.zeros_like(da)
da_last[:, :, -1] = da[:, :, -1]
carried = rnn_backward(da_last, caches)
assert np.abs(carried["dx"][:, :, 0]).max() > 0 and np.abs(carried["da0"]).max() > 0, (
    "with a gradient on the last hidden state only, dx[:, :, 0] and da0 are zero: the gradient is "
    "not carried from step t+1 into step t (add da_prev to da[:, :, t])"
)
# One step: the sums over time have one term, and BPTT is the cell's backward pass.
one = rnn_backward(da[:, :, :1], (caches[0][:1], x[:, :, :1]))
single = rnn_cell_backward(da[:, :, 0], caches[0][0])
assert np.allclose(one["dWaa"], single["dWaa"]) and np.allclose(one["da0"], single["da_prev"]), (
    "for T_x = 1, rnn_backward should give the cell's gradients (dWaa, and da0 = da_prev)"
)
print("rnn_backward: the shapes and the carried gradient are right")

# %% [markdown]
# ### Checking BPTT numerically
#
# The same idea as for the cell, on the whole sequence: $L = \sum a \odot \texttt{da}$ over
# all hidden states, whose gradient with respect to `a` is `da`. We compare the five gradients
# of `rnn_backward` with the numerical gradients of this $L$, once your `rnn_cell_backward`
# has passed its check (`rnn_backward` builds on it).


# %%
def sequence_loss(_):
    a, _, _ = rnn_forward(x, a0, params)
    return np.sum(a * da)


if needs("rnn_cell_backward"):
    numerical = {
        "dx": eval_numerical_gradient(sequence_loss, x),
        "da0": eval_numerical_gradient(sequence_loss, a0),
        "dWax": eval_numerical_gradient(sequence_loss, params["Wax"]),
        "dWaa": eval_numerical_gradient(sequence_loss, params["Waa"]),
        "dba": eval_numerical_gradient(sequence_loss, params["ba"]),
    }
    errors = {name: rel_error(grads[name], numerical[name]) for name in numerical}
    print("  ".join(f"{name} {error:.1e}" for name, error in errors.items()))
    for name, error in errors.items():
        assert error < 1e-7, f"grads['{name}'] does not match the numerical gradient (relative error {error:.1e})"
    passed("rnn_backward")

# %% hidden_tests="rnn_backward" points=3
# Hidden tests check the five gradients for random sizes, parameters and sequences.

# %% [markdown]
# ## 3. Vanishing and exploding gradients
#
# How much of a gradient at the last step reaches a step $k$ steps earlier? Each step back
# multiplies it by the same kind of factor:
#
# $$ \frac{\partial L}{\partial a^{\langle t-1 \rangle}}
#    = W_{aa}^{\top} \left( \frac{\partial L}{\partial a^{\langle t \rangle}} \odot
#      \left(1 - (a^{\langle t \rangle})^2\right) \right) . $$
#
# While the hidden states are small, $1 - a^2 \approx 1$ and $k$ steps back the gradient is
# about $(W_{aa}^{\top})^k$ times the last one. Its size then grows or shrinks like
# $\rho^k$, where $\rho$, the **spectral radius** of $W_{aa}$, is the largest absolute value
# of its eigenvalues:
#
# - $\rho < 1$: the gradient **vanishes** geometrically; the first steps of a long sequence
#   receive almost nothing, so the network cannot learn what happened long ago;
# - $\rho > 1$: the gradient **explodes**; one update can throw the weights far away;
# - $\rho = 1$: the gradient keeps roughly its size.
#
# The tanh only makes things smaller: where a unit saturates ($|a| \to 1$), $1 - a^2 \to 0$
# blocks the gradient, which is how vanishing also happens with large weights.
#
# To see it, we measure it. Take the loss $L = \sum a^{\langle T_x \rangle}$, the sum of the
# last hidden state: its gradient with respect to $a^{\langle T_x \rangle}$ is an array of
# ones, and with respect to every other hidden state it comes only through the recurrence.
# Carrying it back one cell at a time, as in `rnn_backward` but with nothing added from the
# outputs, gives $\partial L / \partial a^{\langle t \rangle}$ for every step; its norm
# (the square root of the sum of its squared entries, over units and examples) says how much
# gradient reaches step $t$.
#
# **Exercise 3.** Write `gradient_norms_through_time`, using your `rnn_forward` and
# `rnn_cell_backward`. `norms[t]` is the norm of the gradient reaching `a[:, :, t]` (Python's
# index $t$), so `norms[T_x - 1]` is the norm of the array of ones, $\sqrt{n_a m}$.

# %% exercise="gradient_norms_through_time"
from solutions.rnn_backward import gradient_norms_through_time

# %%
p_demo = {
    "Wax": np.zeros((n_a, n_x)),
    "Waa": 0.5 * np.eye(n_a),
    "Wya": np.zeros((n_y, n_a)),
    "ba": np.zeros((n_a, 1)),
    "by": np.zeros((n_y, 1)),
}
norms = gradient_norms_through_time(np.zeros((n_x, m, 4)), np.zeros((n_a, m)), p_demo)
print(norms)
assert norms.shape == (4,), "norms should have shape (T_x,) = (4,)"
assert np.isclose(norms[-1], np.sqrt(n_a * m)), "norms[T_x - 1] should be the norm of the ones, sqrt(n_a * m)"
assert np.allclose(norms, np.sqrt(n_a * m) * 0.5 ** np.arange(3, -1, -1)), (
    "with all hidden states 0 and Waa = 0.5 I, each step back should halve the norm: "
    f"expected {np.sqrt(n_a * m) * 0.5 ** np.arange(3, -1, -1)}"
)
passed("gradient_norms_through_time")

# %% hidden_tests="gradient_norms_through_time" points=2
# Hidden tests check the norms for random sizes, parameters and sequences.

# %% [markdown]
# Now the experiment: one random $W_{aa}$, rescaled to four spectral radii, with inputs of size
# $10^{-6}$ and $a^{\langle 0 \rangle} = 0$ so that the hidden states stay small.

# %%
n_x_demo, n_a_demo, m_demo, T_demo = 4, 32, 8, 30
rng = np.random.default_rng(5)
base = init_rnn_parameters(n_x_demo, n_a_demo, 4, seed=5)
W = rng.standard_normal((n_a_demo, n_a_demo))
W /= np.max(np.abs(np.linalg.eigvals(W)))  # spectral radius 1
x_small = 1e-6 * rng.standard_normal((n_x_demo, m_demo, T_demo))
a0_zero = np.zeros((n_a_demo, m_demo))

radii = (0.5, 0.9, 1.0, 1.5)
norms = {rho: gradient_norms_through_time(x_small, a0_zero, {**base, "Waa": rho * W}) for rho in radii}

fig, ax = plt.subplots(figsize=(8, 4.5))
steps_back = T_demo - 1 - np.arange(T_demo)
for rho, color in zip(radii, ("tab:blue", "tab:green", "tab:gray", "tab:red"), strict=True):
    ax.semilogy(np.arange(T_demo), norms[rho], "o-", ms=3, color=color, label=rf"$\rho(W_{{aa}})$ = {rho}")
    ax.semilogy(np.arange(T_demo), norms[rho][-1] * rho**steps_back, ":", color=color, lw=1)
ax.set(
    xlabel="time step t",
    ylabel=r"$\| \partial L / \partial a^{\langle t \rangle} \|$",
    title=f"Gradient reaching step t from the last step (T_x = {T_demo}); dotted: $\\rho^{{T_x - 1 - t}}$",
)
ax.legend()
ax.grid(True, which="major", alpha=0.3)
plt.show()
reached = {rho: norms[rho][0] / norms[rho][-1] for rho in radii}  # what reaches the first step, relative
for rho in radii:
    print(f"rho = {rho}: norm at the last step {norms[rho][-1]:.3g}, at the first step {norms[rho][0]:.3g}: "
          f"{reached[rho]:.2g} times as large")  # fmt: skip
if needs("gradient_norms_through_time"):
    assert reached[0.5] < 1e-8 and reached[0.9] < 0.1 and 0.5 < reached[1.0] < 2 and 1e5 <= reached[1.5] < 1e6, (
        "the text below quotes these factors: below 1e-8 for 0.5, over tenfold smaller for 0.9, "
        "roughly 1 for 1.0, five orders of magnitude larger for 1.5"
    )

# %% [markdown]
# Read the plot from right to left, the way the gradient travels. With $\rho = 0.5$ the
# gradient loses a factor of two per step: after 29 steps less than $10^{-8}$ of it is left.
# With $\rho = 0.9$ it still shrinks more than tenfold; with $\rho = 1$ it keeps roughly its
# size; with $\rho = 1.5$ it grows by five orders of magnitude, a hundred-thousandfold. The dotted lines $\rho^{k}$ follow the measured norms, except over the
# last few steps: the gradient of ones starts with a bit of every eigenvector of $W_{aa}$, and
# it takes a few steps before the one of the largest eigenvalue dominates.
#
# Vanishing gradients are the reason for the LSTM and the GRU of notebook 06, whose gated
# memory lets the gradient pass many steps unharmed. Exploding gradients have a blunter cure:
# clipping.

# %% [markdown]
# ## 4. Gradient clipping
#
# When a gradient explodes, one step of gradient descent can undo all of training. Clipping
# caps the gradients before the step. There are two common ways.
#
# **By value.** Clip every entry of every gradient into $[-v, v]$:
#
# $$ g \leftarrow \min(\max(g, -v), v) \quad \text{entry by entry.} $$
#
# Simple, but it changes the **direction** of the update: large entries are cut, small ones
# are kept.
#
# **By global norm.** Treat all the gradients as one long vector $g$, and if it is longer than
# $c$, shrink it to length $c$:
#
# $$ \|g\| = \sqrt{\sum_{\text{arrays } G} \; \sum_{\text{entries}} G^2}, \qquad
#    g \leftarrow g \cdot \frac{c}{\|g\|} \quad \text{if } \|g\| > c . $$
#
# Every array is multiplied by the same factor, so the direction of the update is kept. This is
# what deep-learning frameworks do (`torch.nn.utils.clip_grad_norm_`).
#
# Both functions return a **new** dict of new arrays and leave the caller's gradients unchanged.
#
# **Exercise 4.** Write `clip`.

# %% exercise="clip"
from solutions.rnn_backward import clip

# %%
g = {"dW": np.array([[-7.0, -0.5, 0.0, 0.5, 7.0]]), "db": np.array([[12.0], [-3.0]])}
clipped = clip(g, 1.0)
print(clipped)
assert set(clipped) == {"dW", "db"}, "clip should return a dict with the same keys"
assert np.array_equal(clipped["dW"], [[-1.0, -0.5, 0.0, 0.5, 1.0]]), (
    "dW should become [[-1, -0.5, 0, 0.5, 1]]"
)
assert np.array_equal(clipped["db"], [[1.0], [-1.0]]), "db should become [[1], [-1]]: clip both signs"
assert g["dW"][0, 0] == -7.0 and g["db"][0, 0] == 12.0, "clip should not change its input"
passed("clip")

# %% hidden_tests="clip" points=1
# Hidden tests check clip on random gradients and thresholds, and that the input is unchanged.

# %% [markdown]
# **Exercise 5.** Write `clip_by_norm`.

# %% exercise="clip_by_norm"
from solutions.rnn_backward import clip_by_norm

# %%
g = {"dW": np.array([[3.0, 0.0]]), "db": np.array([[4.0]])}  # global norm 5
clipped = clip_by_norm(g, 1.0)
print(clipped)
assert set(clipped) == {"dW", "db"}, "clip_by_norm should return a dict with the same keys"
assert np.allclose(clipped["dW"], [[0.6, 0.0]]) and np.allclose(clipped["db"], [[0.8]]), (
    "the global norm is 5: every array should be multiplied by 1 / 5, giving dW = [[0.6, 0]], db = [[0.8]]"
)
unchanged = clip_by_norm(g, 10.0)
assert np.allclose(unchanged["dW"], g["dW"]) and np.allclose(unchanged["db"], g["db"]), (
    "below max_norm the gradients should be returned unchanged"
)
g2 = {"dW": np.array([[3.0, 0.0]]), "db": np.array([[4.0]])}
per_array = clip_by_norm(g2, 4.5)  # each array's own norm (3 and 4) is below 4.5; the global norm is not
assert np.allclose(per_array["dW"], [[2.7, 0.0]]), (
    "with max_norm = 4.5, dW should become [[2.7, 0]]: compare the GLOBAL norm (5) with max_norm, "
    "not the norm of each array"
)
assert g["dW"][0, 0] == 3.0 and g2["db"][0, 0] == 4.0, "clip_by_norm should not change its input"
passed("clip_by_norm")

# %% hidden_tests="clip_by_norm" points=2
# Hidden tests check clip_by_norm on random gradients, above and below max_norm, and that the input is unchanged.

# %% [markdown]
# The picture shows the difference with a gradient of two entries, one per array. Clipping by
# value moves the gradient into the square $[-1, 1]^2$ and turns it; clipping by norm moves it
# onto the circle of radius 1 and keeps its direction.

# %%
g = {"dW": np.array([[3.0]]), "db": np.array([[1.2]])}
by_value, by_norm = clip(g, 1.0), clip_by_norm(g, 1.0)
fig, ax = plt.subplots(figsize=(5.5, 4))
ax.add_patch(plt.Rectangle((-1, -1), 2, 2, fill=False, ls="--", color="tab:orange"))
ax.add_patch(plt.Circle((0, 0), 1, fill=False, ls="--", color="tab:green"))
for grads_, color, label in (
    (g, "black", "gradient"),
    (by_value, "tab:orange", "clip(g, 1)"),
    (by_norm, "tab:green", "clip_by_norm(g, 1)"),
):
    ax.annotate(
        "",
        xy=(grads_["dW"][0, 0], grads_["db"][0, 0]),
        xytext=(0, 0),
        arrowprops=dict(arrowstyle="-|>", color=color, lw=2),
    )
    ax.plot([], [], color=color, lw=2, label=label)
ax.set(xlim=(-1.5, 3.5), ylim=(-1.5, 1.8), xlabel="dW", ylabel="db", title="Two ways to clip a gradient")
ax.set_aspect("equal")
ax.legend(loc="lower right")
plt.show()

# %% [markdown]
# ## 5. Optional: the same numbers as PyTorch
#
# If PyTorch is installed, the cell below checks your `rnn_forward` and `rnn_backward` against
# `torch.nn.RNN`, in float64, on random shapes. The weights are mapped across: torch's
# `weight_ih_l0` is our `Wax`, `weight_hh_l0` is `Waa`; torch has two biases, `bias_ih_l0` and
# `bias_hh_l0`, added together, so we set `bias_ih_l0` to `ba` and `bias_hh_l0` to zero. Torch
# works batch-first, so the arrays go through the transpositions of notebook 04. Both sides
# compute the loss $\sum a \odot \texttt{da}$ for a random `da`; the cell prints the largest
# relative error of the hidden states and of each gradient. They should agree to $10^{-10}$.
#
# When the notebook is graded the cell does nothing (importing PyTorch takes several seconds).
# If PyTorch is missing, the cell says how to install it. The rest of the course does not need it.


# %%
def compare_with_pytorch(torch, seeds=(0, 1, 2), tolerance=1e-10):
    """Run our RNN and torch.nn.RNN on the same random problems; print the largest relative errors."""
    worst = {}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n_x, n_a, n_y, m, T_x = (int(v) for v in rng.integers(2, 8, size=5))
        p = init_rnn_parameters(n_x, n_a, n_y, seed=seed)
        p["ba"] = 0.5 * rng.standard_normal((n_a, 1))
        x = rng.standard_normal((n_x, m, T_x))
        a0 = rng.standard_normal((n_a, m))
        da = rng.standard_normal((n_a, m, T_x))
        a, _, caches = rnn_forward(x, a0, p)
        ours = rnn_backward(da, caches)

        rnn = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", batch_first=True).double()
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(torch.from_numpy(p["Wax"]))
            rnn.weight_hh_l0.copy_(torch.from_numpy(p["Waa"]))
            rnn.bias_ih_l0.copy_(torch.from_numpy(p["ba"][:, 0]))
            rnn.bias_hh_l0.zero_()
        x_bf = torch.tensor(np.transpose(x, (1, 2, 0)).copy(), requires_grad=True)  # (m, T_x, n_x)
        h0 = torch.tensor(a0.T[None].copy(), requires_grad=True)  # (1, m, n_a)
        h, _ = rnn(x_bf, h0)  # (m, T_x, n_a)
        (h * torch.from_numpy(np.transpose(da, (1, 2, 0)).copy())).sum().backward()

        pairs = {
            "a": (a, np.transpose(h.detach().numpy(), (2, 0, 1))),
            "dx": (ours["dx"], np.transpose(x_bf.grad.numpy(), (2, 0, 1))),
            "da0": (ours["da0"], h0.grad[0].numpy().T),
            "dWax": (ours["dWax"], rnn.weight_ih_l0.grad.numpy()),
            "dWaa": (ours["dWaa"], rnn.weight_hh_l0.grad.numpy()),
            "dba": (ours["dba"], rnn.bias_ih_l0.grad.numpy()[:, None]),
        }
        for name, (mine, theirs) in pairs.items():
            mine = np.asarray(mine, dtype=np.float64)
            if mine.shape != theirs.shape:
                print(f"{name}: shape {mine.shape}, but PyTorch's is {theirs.shape}")
                worst[name] = np.inf
                continue
            error = float(np.max(np.abs(mine - theirs)) / max(np.max(np.abs(theirs)), 1e-300))
            worst[name] = max(worst.get(name, 0.0), error)
    print(f"PyTorch {torch.__version__}, {len(seeds)} random problems, float64")
    for name, error in worst.items():
        print(f"  {name:>5}: largest relative error {error:.1e}")
    agree = all(error < tolerance for error in worst.values())
    print(f"agree to {tolerance:g}: {'yes' if agree else 'NO'}")


if os.environ.get("NBGRADER_EXECUTION"):
    print("Skipped while the notebook is graded.")
else:
    try:
        import torch
    except Exception:  # not installed, or an installation that does not load
        torch = None
        print("PyTorch is not installed, so this comparison is skipped. To run it, install it with")
        print("    .venv/bin/pip install torch==2.13.0")
        print("and restart the kernel.")
    if torch is not None:
        try:
            compare_with_pytorch(torch)
        except Exception as error:  # e.g. a function above is not written yet
            print(f"The comparison could not run: {type(error).__name__}: {error}")

# %% [markdown]
# ## Summary
#
# - One cell backwards: through the tanh with $1 - (a^{\langle t \rangle})^2$, then through the
#   linear part: $W^{\top} dz$ for the inputs, $dz\,(\text{input})^{\top}$ for the weights, and
#   a sum over the examples for the bias.
# - BPTT runs the cells from the last step to the first; the gradient reaching each hidden
#   state is the sum of the one from its output and the one carried back from the next step;
#   parameter gradients are summed over the steps.
# - Carried back over $k$ steps, the gradient scales like $\rho(W_{aa})^k$: it vanishes for
#   $\rho < 1$ and explodes for $\rho > 1$.
# - Clipping by value caps each entry and turns the gradient; clipping by global norm caps its
#   length and keeps its direction.
#
# Notebook 06 builds the LSTM and the GRU, whose gates let gradients survive long sequences.

# %% [markdown]
# ## Further reading
#
# - P. J. Werbos (1990), "Backpropagation through time: what it does and how to do it",
#   *Proceedings of the IEEE* 78(10).
# - Y. Bengio, P. Simard and P. Frasconi (1994), "Learning long-term dependencies with gradient
#   descent is difficult", *IEEE Transactions on Neural Networks* 5(2): why the gradient that
#   connects distant steps vanishes.
# - R. Pascanu, T. Mikolov and Y. Bengio (2013), "On the difficulty of training recurrent neural
#   networks", ICML, arXiv:1211.5063: vanishing and exploding gradients through the spectral
#   radius of $W_{aa}$, and clipping by norm.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, sections
#   10.2.2 (computing the gradient in a recurrent network), 10.7 (long-term dependencies) and
#   10.11.1 (clipping gradients), <https://www.deeplearningbook.org>.
# - Stanford's CS231n, assignment 3 (`rnn_layers.py`): the same backward passes, batch-first,
#   <https://cs231n.github.io>.
