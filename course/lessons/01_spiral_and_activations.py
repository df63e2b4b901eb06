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
# # 01 · Spiral data and activation functions
#
# This course builds neural networks, and then recurrent networks, from nothing but numpy.
# We start with the two ingredients every later notebook needs:
#
# 1. a small data set that a straight line cannot separate: **three interleaved spirals**;
# 2. the **activation functions** that let a network bend its decision boundary, together
#    with their derivatives, which backpropagation will need in notebook 03.
#
# <!-- shared: how_to_work -->
#
# Conventions for Part I: data are **row-major**, one example per row, so `X` has shape `(N, D)`.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# ## 1. The spiral data set
#
# Class $j$ (for $j = 0, \dots, K-1$) is one arm of a spiral made of $N$ points. Point $i$ of
# the arm has radius $r_i$ and angle $t_i$:
#
# $$ r_i = \frac{i}{N-1}, \qquad t_i = 4j + \frac{4 i}{N-1} + \varepsilon_i, \qquad
#    \varepsilon_i \sim \mathcal{N}(0, \sigma^2), $$
#
# and its coordinates are $(r_i \sin t_i,\; r_i \cos t_i)$. So each arm sweeps 4 radians while
# moving out from the centre, and the noise $\sigma$ (`noise`) blurs the angle.
#
# **Exercise 1.** Write `make_spiral`. Rows `N*j` to `N*(j+1)` of `X` hold class `j`; `y` holds
# the labels as `uint8`. Use `np.linspace` for $r$ and for the noiseless angles, and draw the
# noise from `rng = np.random.default_rng(seed)` with `rng.standard_normal(N)`, one class at a
# time, so that the same seed always gives the same data.

# %% exercise="make_spiral"
from solutions.spiral_activations import make_spiral

# %%
X, y = make_spiral(N=100, K=3, noise=0.2, seed=0)
print("X:", X.shape, X.dtype, "  y:", y.shape, y.dtype, "  labels:", np.unique(y))
assert X.shape == (300, 2) and X.dtype == np.float64, "X should have shape (N*K, 2), dtype float64"
assert y.shape == (300,) and y.dtype == np.uint8, "y should have shape (N*K,), dtype uint8"
assert list(y[::100]) == [0, 1, 2], "rows N*j to N*(j+1) should have label j"
radius = np.hypot(X[:, 0], X[:, 1])
assert np.allclose(radius[:100], np.linspace(0, 1, 100)), "the radius should go from 0 to 1"
assert np.array_equal(make_spiral(seed=0)[0], X), "the same seed should give the same data"
print("make_spiral: visible tests passed")

# %% hidden_tests="make_spiral" points=2
# Hidden tests check make_spiral on random sizes and seeds when the notebook is graded.

# %% [markdown]
# Each class has its own colour and marker (the colours are Okabe and Ito's, which colour-blind
# readers can tell apart; these given helpers draw the spirals in all of Part I):

# %%
from solutions.plots import class_style, plot_spiral

# %% [markdown]
# No straight line separates the three arms: notebook 02 shows that a linear classifier gets
# only about half of the points right. (This cell plots the data your `make_spiral` made above,
# so it needs exercise 1.)

# %%
title = f"Spiral data: N={np.sum(y == 0)} points per class, K={len(np.unique(y))} classes"
fig, ax = plt.subplots(figsize=(5.5, 5.5))
plot_spiral(ax, X, y, title)
plt.show()

# %% [markdown]
# ## 2. Activation functions and their gradients
#
# A hidden layer computes $h = f(XW + b)$ with a non-linear $f$ applied element-wise. Without
# $f$, stacked layers would collapse into one linear map. We use three:
#
# | name | $f(x)$ |
# |---|---|
# | sigmoid | $\sigma(x) = \dfrac{1}{1 + e^{-x}}$ |
# | tanh | $\tanh(x) = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}$ |
# | ReLU | $\max(0, x)$ |
#
# Backpropagation needs their derivatives, written with the **output** $y = f(x)$, because that
# is what the forward pass keeps: it multiplies by $f'$ at each layer, and recomputing $f$ from
# the input would be wasted work. So `sigmoid_grad(s)` receives `s = sigmoid(x)`, not `x`.
# Derive the three derivatives, each written with $y$ alone, before you read on.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# - Sigmoid: $\sigma'(x) = \dfrac{e^{-x}}{(1 + e^{-x})^2} = \dfrac{1}{1 + e^{-x}} \cdot
#   \dfrac{e^{-x}}{1 + e^{-x}} = y\,(1 - y)$.
# - tanh: by the quotient rule, $\tanh'(x) = \dfrac{(e^{x} + e^{-x})^2 - (e^{x} - e^{-x})^2}
#   {(e^{x} + e^{-x})^2} = 1 - y^2$.
# - ReLU: the slope is $1$ where $x > 0$, that is where $y > 0$, and $0$ where $x < 0$; at
#   $x = 0$ it has no derivative, and we use $0$ there (so $1$ if $y > 0$, else $0$).
#
# </details>
#
# **Numerical stability.** Written literally, `1 / (1 + np.exp(-x))` computes `exp(1000)` for
# `x = -1000`, which overflows: numpy warns and returns `inf` (the final answer, 0, happens to
# be right, but an `inf` in the middle of a computation is a bug waiting to happen). Your
# `sigmoid` must give the right answer with no warning for any `x`. One way is the identity
# $\sigma(x) = \tfrac{1}{2}\left(1 + \tanh\tfrac{x}{2}\right)$; another is to only ever take
# `exp` of $-|x|$.
#
# **Exercise 2.** Write `sigmoid`, `sigmoid_grad`, `relu`, `relu_grad` and `tanh_grad`. Each
# takes an array of any shape and returns a new float array of the same shape; none may change
# its input.

# %% exercise="sigmoid"
from solutions.spiral_activations import sigmoid

# %%
with np.errstate(over="raise", invalid="raise", divide="raise"):  # overflow is an error here, so you see it
    s = sigmoid(np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0]))
print(s)
assert np.allclose(s, [0.0, 0.26894142, 0.5, 0.73105858, 1.0]), "expected [0, 0.269, 0.5, 0.731, 1]"
print("sigmoid: visible tests passed")

# %% hidden_tests="sigmoid" points=2
# Hidden tests check sigmoid on random arrays and at +-1000 when the notebook is graded.

# %% exercise="sigmoid_grad"
from solutions.spiral_activations import sigmoid_grad

# %%
print(sigmoid_grad(np.array([0.5, 0.9, 0.99])))
assert np.allclose(sigmoid_grad(np.array([0.5, 0.9, 0.99])), [0.25, 0.09, 0.0099]), (
    "sigmoid_grad(s) should be s * (1 - s), with s the sigmoid's output"
)
print("sigmoid_grad: visible tests passed")

# %% hidden_tests="sigmoid_grad" points=1
# Hidden tests check sigmoid_grad on random sigmoid outputs when the notebook is graded.

# %% exercise="relu"
from solutions.spiral_activations import relu

# %%
x = np.array([[-2.0, 0.0], [0.5, 3.0]])
print(relu(x))
assert np.array_equal(relu(x), [[0.0, 0.0], [0.5, 3.0]]), "relu should zero the negative entries"
assert x[0, 0] == -2.0, "relu must not change its input"
print("relu: visible tests passed")

# %% hidden_tests="relu" points=1
# Hidden tests check relu on random arrays when the notebook is graded.

# %% exercise="relu_grad"
from solutions.spiral_activations import relu_grad

# %%
print(relu_grad(np.array([0.0, 0.5, 3.0])))
assert np.array_equal(relu_grad(np.array([0.0, 0.5, 3.0])), [0.0, 1.0, 1.0]), (
    "relu_grad(h) should be 1 where h > 0 and 0 elsewhere"
)
assert relu_grad(np.array([1.0])).dtype == np.float64, "relu_grad should return floats, not booleans"
print("relu_grad: visible tests passed")

# %% hidden_tests="relu_grad" points=1
# Hidden tests check relu_grad on random ReLU outputs when the notebook is graded.

# %% exercise="tanh_grad"
from solutions.spiral_activations import tanh_grad

# %%
t = np.tanh(np.array([0.0, 1.0]))
print(tanh_grad(t))
assert np.allclose(tanh_grad(t), [1.0, 0.41997434]), "tanh_grad(t) should be 1 - t**2"
print("tanh_grad: visible tests passed")

# %% hidden_tests="tanh_grad" points=1
# Hidden tests check tanh_grad on random tanh outputs when the notebook is graded.

# %% [markdown]
# ## 3. Saturation, seen
#
# Each activation (left) beside its derivative (right). Where a curve goes flat, its
# derivative is close to zero: the unit is **saturated**.

# %%
x = np.linspace(-6, 6, 601)
curves = {
    "sigmoid": (sigmoid(x), sigmoid_grad(sigmoid(x))),
    "tanh": (np.tanh(x), tanh_grad(np.tanh(x))),
    "ReLU": (relu(x), relu_grad(relu(x))),
}
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), sharex=True)
for name, (value, gradient) in curves.items():
    left.plot(x, value, label=name)
    right.plot(x, gradient, label=name)
left.set(title="activation $f(x)$", xlabel="$x$", ylim=(-1.2, 2.2))
right.set(title="derivative $f'(x)$", xlabel="$x$", ylim=(-0.1, 1.1))
for ax in (left, right):
    ax.axhline(0, color="grey", lw=0.5)
    ax.legend()
plt.show()
flat = np.abs(x[curves["sigmoid"][1] < 0.01]).min()  # where the sigmoid's derivative drops below 0.01
print(f"largest derivatives: sigmoid {curves['sigmoid'][1].max():.2f}, tanh {curves['tanh'][1].max():.2f}; "
      f"the sigmoid's is below 0.01 once |x| > {flat:.1f}")  # fmt: skip
stated = (f"{curves['sigmoid'][1].max():.2f}", f"{curves['tanh'][1].max():.0f}", f"{flat:.1f}")
assert stated == ("0.25", "1", "4.6"), (
    "the text below quotes these numbers, computed with the course's functions: check sigmoid, sigmoid_grad and tanh_grad"
)

# %% [markdown]
# What the plot shows:
#
# - The sigmoid's derivative is at most $0.25$ (at $x = 0$), and below $0.01$ once $|x| > 4.6$.
#   Backpropagation multiplies one such factor per layer, so a gradient that crosses several
#   sigmoid layers shrinks geometrically: this is the **vanishing gradient** you will measure
#   in notebook 03, and the reason recurrent networks (which apply the same layer at every
#   time step) need the care of notebooks 05 and 06.
# - tanh has the same shape, centred at 0, with a derivative of at most 1: better, but it
#   still saturates.
# - ReLU's derivative is exactly 1 for every positive input, whatever its size: the gradient
#   passes through active units unchanged. Its weakness is the other side: a unit whose input
#   is negative for every example gets no gradient at all and stops learning ("dead ReLU").
#
# Next, in notebook 02: a linear softmax classifier on the spiral, and why it fails.

# %% [markdown]
# ## Further reading
#
# - Stanford's CS231n notes: "Neural Networks Part 1", on activation functions and their
#   saturation, dead ReLUs included, <https://cs231n.github.io/neural-networks-1/>; and
#   "Putting it together: Minimal Neural Network Case Study", where the spiral data set comes
#   from, <https://cs231n.github.io/neural-networks-case-study/>.
# - Y. LeCun, L. Bottou, G. Orr and K.-R. Müller (1998), "Efficient BackProp", in *Neural
#   Networks: Tricks of the Trade*: why a zero-centred activation such as tanh trains better
#   than the sigmoid.
# - X. Glorot, A. Bordes and Y. Bengio (2011), "Deep sparse rectifier neural networks",
#   AISTATS: ReLU, and why its gradient does not vanish.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, section 6.3
#   (hidden units), <https://www.deeplearningbook.org>.
# - M. Okabe and K. Ito (2008), "Color Universal Design: how to make figures and presentations
#   that are friendly to colorblind people", <https://jfly.uni-koeln.de/color/>: the palette of
#   the spiral plots.
