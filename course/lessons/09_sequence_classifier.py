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
# # 09 · Sequence classification: an LSTM reads handwritten digits
#
# Notebook 06 built the LSTM and showed that its gradient can survive many steps; nothing has
# trained one yet. Here an LSTM gets its first job: recognising handwritten digits.
#
# A picture is not a sequence, but it can be read as one. We feed an 8x8 image to the LSTM
# **one row at a time**: 8 time steps of 8 pixels each. After the last row, the hidden state
# has to hold everything the network needs to know about the digit, and a read-out layer turns
# it into ten probabilities. This is a **many-to-one** network: many inputs, one output at the
# end. The same arrangement classifies sentences, sounds or sensor readings. A classic example,
# Aymeric Damien's TensorFlow-Examples (`recurrent_network.py`), classifies the 28x28 MNIST
# digits this way; section 11 says what that would take here.
#
# You will write:
#
# 1. `images_to_sequences`: images into the course's sequence layout;
# 2. `classifier_forward`: the LSTM over the rows and the read-out of the last hidden state;
# 3. `classifier_loss`: the cross-entropy and its gradient;
# 4. `classifier_backward`: backpropagation, with the gradient entering at the last step only;
# 5. `minibatches`: a shuffled pass over the training set in batches;
# 6. `adam_step`: the Adam optimiser, compared with plain gradient descent on the same run;
# 7. `accuracy` and 8. `confusion_matrix`: how good the trained network is, and where it errs.
#
# Then we look at the digits it gets wrong, and at what it "thinks" after each row it reads.
#
# <!-- shared: how_to_work -->
#
# **When the notebook is graded**, nbgrader sets the environment variable `NBGRADER_EXECUTION`;
# the training cell then runs one epoch instead of twenty and the figures are skipped, so that
# grading takes seconds. The numbers and plots described in the text are those of the full run.

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))  # set by nbgrader while it grades the notebook

# %% [markdown]
# ## 0. Your functions from notebooks 01, 02, 04 and 06
#
# The classifier is your LSTM: from notebook 01 `sigmoid`; from notebook 02
# `eval_numerical_gradient`; from notebook 04 `softmax` (over columns); from notebook 06
# `lstm_cell_forward`, `lstm_forward`, `lstm_cell_backward` and `lstm_backward`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import sigmoid
from mywork import eval_numerical_gradient
from mywork import softmax
from mywork import lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward

# %% [markdown]
# The LSTM's parameters are made as in notebook 06, by this given function:

# %%
from solutions.lstm_gru import init_lstm_parameters

# %%
with np.errstate(all="raise"):
    assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0]), "check sigmoid"
    assert np.allclose(softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]])), 0.5), "check softmax"
assert np.isclose(eval_numerical_gradient(lambda v: np.sum(v**2), np.array([3.0]))[0], 6.0), (
    "check eval_numerical_gradient"
)
lstm_check = init_lstm_parameters(2, 3, 2, seed=0)
a_check, y_check, c_check, caches_check = lstm_forward(np.ones((2, 1, 4)), np.zeros((3, 1)), lstm_check)
assert a_check.shape == (3, 1, 4) and c_check.shape == (3, 1, 4), "check lstm_forward: a and c are (n_a, m, T_x)"
assert np.allclose(y_check.sum(axis=0), 1.0), "check lstm_forward: y holds probabilities"
grads_check = lstm_backward(np.ones((3, 1, 4)), caches_check)
assert grads_check["dWf"].shape == (3, 5) and grads_check["dx"].shape == (2, 1, 4), "check lstm_backward"
print("The functions from notebooks 01, 02, 04 and 06 work.")

# %% [markdown]
# ## 1. The data: handwritten digits, 8 by 8
#
# The digits come from the UCI "Optical Recognition of Handwritten Digits" data set
# (Alpaydin and Kaynak, 1998): 1,797 digits written by 13 people on forms, scanned, and
# reduced to 8x8 images in which each pixel counts the ink in a 4x4 block of the 32x32 scan
# (0 to 16). The file `digits.csv.gz`, beside this notebook, is the copy that scikit-learn
# ships; `digits.md` beside it gives its source and licence (CC BY 4.0). The given
# `load_digits` reads it and scales the pixels to $[0, 1]$.

# %%
from solutions.sequence_classifier import load_digits

# %%
images, labels = load_digits()
print(f"{len(labels)} images of shape {images.shape[1:]}; digits per class: {np.bincount(labels)}")
assert images.shape == (1797, 8, 8) and images.min() == 0.0 and images.max() == 1.0

if not GRADING:  # figures are skipped while the notebook is graded
    fig, axes = plt.subplots(2, 10, figsize=(10, 2.3))
    for ax, index in zip(axes.flat, [np.flatnonzero(labels == d)[k] for k in range(2) for d in range(10)], strict=True):
        ax.imshow(images[index], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(str(labels[index]), fontsize=10)
        ax.axis("off")
    fig.suptitle("Some of the 8x8 digits")
    plt.show()

# %% [markdown]
# We hold out 500 digits, drawn at random, as a **test set**: the network never trains on
# them, and its accuracy on them tells us how well it does on digits it has not seen. The
# other 1,297 are the training set. (Everything here is seeded, so your split is ours.)

# %%
from solutions.sequence_classifier import split

# %%
train_index, test_index = split(len(labels), 500, seed=0)
print(f"training set: {len(train_index)} digits, test set: {len(test_index)} digits")
assert len(train_index) == 1297 and len(np.intersect1d(train_index, test_index)) == 0

# %% [markdown]
# **Reading an image as a sequence.** In the course's layout a batch of $m$ sequences of $T_x$
# steps with $n_x$ numbers per step is an array `x` of shape $(n_x, m, T_x)$. An image read
# row by row has $T_x$ = the number of rows, and at step $t$ the network sees row $t$: its
# $n_x$ = the number of columns pixels. So
#
# $$ x[:, i, t] = \text{row } t \text{ of image } i, \qquad
#    \text{images of shape } (m, n_{\text{rows}}, n_{\text{cols}}) \;\to\;
#    x \text{ of shape } (n_{\text{cols}}, m, n_{\text{rows}}) . $$
#
# **Exercise 1.** Write `images_to_sequences`. (NumPy tip: `np.transpose` with a tuple of axes
# reorders them in one go.)

# %% exercise="images_to_sequences"
from solutions.sequence_classifier import images_to_sequences

# %%
rectangles = np.arange(2 * 3 * 4, dtype=float).reshape(2, 3, 4)  # 2 images of 3 rows and 4 columns
x_rect = images_to_sequences(rectangles)
assert x_rect.shape == (4, 2, 3), (
    f"2 images of 3 rows of 4 pixels should give x of shape (4, 2, 3), (n_x, m, T_x); got {x_rect.shape}"
)
assert np.array_equal(x_rect[:, 1, 2], rectangles[1, 2, :]), (
    "x[:, i, t] should be row t of image i (a column of the image would be images[i, :, t])"
)
print("images_to_sequences: visible tests passed")

# %% hidden_tests="images_to_sequences" points=1
# Hidden tests check the layout for random batches of images of several shapes.

# %% [markdown]
# With your function, the training and test sets become sequences, and this is what the
# network sees of one digit, step by step:

# %%
x_train, labels_train = images_to_sequences(images[train_index]), labels[train_index]
x_test, labels_test = images_to_sequences(images[test_index]), labels[test_index]
print(f"x_train: {x_train.shape}, x_test: {x_test.shape}  (n_x, m, T_x)")

if not GRADING:  # figures are skipped while the notebook is graded
    fig, axes = plt.subplots(1, 9, figsize=(11, 1.8), gridspec_kw={"width_ratios": [2.5] + [2] * 8})
    axes[0].imshow(x_train[:, 0, :].T, cmap="gray_r", vmin=0, vmax=1)
    axes[0].set_title(f"digit {labels_train[0]}", fontsize=10)
    for t, ax in enumerate(axes[1:]):
        ax.imshow(x_train[:, 0, t][None, :], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"step {t + 1}", fontsize=10)
    for ax in axes:
        ax.set(xticks=[], yticks=[])
    fig.suptitle("One digit as the LSTM reads it: one row of 8 pixels per time step", y=1.08)
    plt.show()

# %% [markdown]
# ## 2. The model: an LSTM and a read-out of its last hidden state
#
# The LSTM of notebook 06 reads the rows from a zero hidden state (and a zero cell state, as
# `lstm_forward` always starts). Its hidden state $a^{\langle t \rangle}$ has $n_a$ numbers. At
# every step `lstm_forward` also computes a prediction $\operatorname{softmax}(W_y
# a^{\langle t \rangle} + b_y)$; here only the last one counts. The **read-out** is that output
# layer, applied to the last hidden state:
#
# $$ \hat y = \operatorname{softmax}\big(W_y \, a^{\langle T_x \rangle} + b_y\big) ,
#    \qquad \hat y \text{ of shape } (n_y, m), \; n_y = 10 \text{ digits}. $$
#
# The picture shows the network unrolled over the 8 rows: every step receives a row and the
# states of the step before; only the last step's hidden state reaches the read-out.


# %%
def draw_many_to_one(ax, steps=8):
    """The LSTM unrolled over the rows of an image, with a read-out after the last step."""
    cell = dict(boxstyle="round,pad=0.4", facecolor="#ffe9b3", edgecolor="#b07d00")
    row = dict(boxstyle="square,pad=0.3", facecolor="#eeeeee", edgecolor="grey")
    out = dict(boxstyle="round,pad=0.4", facecolor="#dbe9ff", edgecolor="#2155a5")
    arrow = dict(arrowstyle="->", color="black", lw=1.2)
    for t in range(steps):
        ax.text(t, 1.0, "LSTM", ha="center", va="center", bbox=cell, fontsize=10)
        ax.text(t, 0.0, f"row {t + 1}", ha="center", va="center", bbox=row, fontsize=9)
        ax.annotate("", xy=(t, 0.78), xytext=(t, 0.22), arrowprops=arrow)
        if t:
            ax.annotate("", xy=(t - 0.36, 1.0), xytext=(t - 0.64, 1.0), arrowprops=arrow)
    ax.text(-0.9, 1.0, r"$a^{\langle 0 \rangle} = 0$", ha="center", va="center", fontsize=11)
    ax.annotate("", xy=(-0.36, 1.0), xytext=(-0.6, 1.0), arrowprops=arrow)
    ax.text(steps - 1, 2.1, r"read-out: $\hat y = \mathrm{softmax}(W_y a^{\langle 8 \rangle} + b_y)$",
            ha="center", va="center", bbox=out, fontsize=10)  # fmt: skip
    ax.annotate("", xy=(steps - 1, 1.85), xytext=(steps - 1, 1.22), arrowprops=arrow)
    ax.text(steps - 1.45, 1.5, r"$a^{\langle 8 \rangle}$", ha="center", fontsize=11)
    ax.set(xlim=(-1.4, steps + 0.2), ylim=(-0.4, 2.5))
    ax.axis("off")


if not GRADING:  # figures are skipped while the notebook is graded
    fig, ax = plt.subplots(figsize=(11, 3))
    draw_many_to_one(ax)
    ax.set_title("Many-to-one: eight steps in, one prediction out")
    plt.show()

# %% [markdown]
# **Exercise 2.** Write `classifier_forward`, using your `lstm_forward` and `softmax`. It
# returns the probabilities and the cache `(a, lstm_caches)`: all the hidden states and the
# caches `lstm_forward` returned, which the backward pass needs.

# %% exercise="classifier_forward"
from solutions.sequence_classifier import classifier_forward

# %% [markdown]
# The tests: with $W_y = 0$ every example gets $\operatorname{softmax}(b_y)$, whatever it
# reads; then, for random parameters, the probabilities must be the read-out of the **last**
# hidden state of `lstm_forward`.

# %%
tiny = init_lstm_parameters(4, 5, 3, seed=1)
tiny["by"] = np.array([[0.5], [-0.2], [0.1]])
x_tiny = np.random.default_rng(1).standard_normal((4, 6, 3))  # 6 sequences of 3 steps
blind = dict(tiny, Wy=np.zeros((3, 5)))
probs_blind, _ = classifier_forward(x_tiny, blind)
assert probs_blind.shape == (3, 6), f"probs should have shape (n_y, m) = (3, 6), not {probs_blind.shape}"
assert np.allclose(probs_blind, softmax(tiny["by"])), "with Wy = 0 every column should be softmax(by): is by added?"
probs_tiny, cache_tiny = classifier_forward(x_tiny, tiny)
a_tiny, _, _, _ = lstm_forward(x_tiny, np.zeros((5, 6)), tiny)
assert np.allclose(probs_tiny.sum(axis=0), 1.0), "each column of probs should sum to 1: softmax over the classes"
assert np.allclose(probs_tiny, softmax(tiny["Wy"] @ a_tiny[:, :, -1] + tiny["by"])), (
    "probs should be softmax(Wy a + by) for the hidden state a of the LAST step, a[:, :, -1], "
    "with lstm_forward started from a zero hidden state"
)
assert isinstance(cache_tiny, tuple) and len(cache_tiny) == 2 and np.allclose(cache_tiny[0], a_tiny), (
    "the cache should be the tuple (a, lstm_caches)"
)
print("classifier_forward: visible tests passed")

# %% hidden_tests="classifier_forward" points=2
# Hidden tests check probs and the cache for random sizes, parameters and sequences.

# %% [markdown]
# ## 3. The loss
#
# As in notebook 02, the loss of a prediction is the **cross-entropy**, minus the log of the
# probability given to the true class, averaged over the $m$ examples of a batch:
#
# $$ \mathcal{L} = -\frac{1}{m} \sum_{i=1}^{m} \log \hat y_{\,\text{label}_i,\, i} . $$
#
# Its gradient with respect to the read-out's scores $z = W_y a^{\langle T_x \rangle} + b_y$
# (before the softmax) is, as for every softmax with cross-entropy,
#
# $$ \frac{\partial \mathcal{L}}{\partial z} = \frac{\hat y - \text{onehot}(\text{labels})}{m} , $$
#
# of shape $(n_y, m)$. So that a probability of exactly 0 never gives an infinite loss, the
# probabilities are clipped to $[10^{-12}, 1]$ inside the logarithm.
#
# **Exercise 3.** Write `classifier_loss`. It returns the loss (a float) and `dscores`, computed
# with the unclipped probabilities. (NumPy tip: `probs[labels, np.arange(m)]` picks, in every
# column, the probability of the true class.)

# %% exercise="classifier_loss"
from solutions.sequence_classifier import classifier_loss

# %%
uniform = np.full((10, 4), 0.1)
loss_uniform, dscores_uniform = classifier_loss(uniform, np.array([3, 0, 9, 3]))
print(f"loss of a uniform guess: {loss_uniform:.6f} (log 10 = {np.log(10):.6f})")
assert np.isclose(loss_uniform, np.log(10)), "a uniform guess over 10 classes costs log 10 per example: is the loss averaged?"
expected_dscores = uniform.copy()
expected_dscores[[3, 0, 9, 3], np.arange(4)] -= 1
assert np.allclose(dscores_uniform, expected_dscores / 4), "dscores should be (probs - onehot(labels)) / m"
certain = np.eye(3)[:, [2, 0]]  # two examples, each certain of its class
loss_certain, _ = classifier_loss(certain, np.array([2, 0]))
assert np.isfinite(loss_certain) and loss_certain < 1e-9, "a certain and right prediction should cost nothing"
loss_wrong, _ = classifier_loss(certain, np.array([1, 0]))
assert np.isfinite(loss_wrong), "a certain and WRONG prediction should cost a finite loss: clip the probabilities"
print("classifier_loss: visible tests passed")

# %% hidden_tests="classifier_loss" points=2
# Hidden tests check the loss and dscores on random predictions, some of them certain.

# %% [markdown]
# ## 4. The backward pass: the gradient enters at the last step
#
# The read-out is a layer like any other; with $dz$ = `dscores`,
#
# $$ dW_y = dz \; a^{\langle T_x \rangle \top}, \qquad db_y = \sum_{\text{columns}} dz,
#    \qquad \frac{\partial \mathcal{L}}{\partial a^{\langle T_x \rangle}} = W_y^\top dz . $$
#
# The loss depends on the earlier hidden states only through the last one. So the upstream
# gradient `da` that `lstm_backward` receives is **zero at every step but the last**; the
# gradient of every earlier hidden state arrives through the recurrence alone, carried back
# by `lstm_backward` (and the LSTM's own softmax outputs at the earlier steps play no part).
# `lstm_backward` returns the gradients of the LSTM's gate parameters; with $dW_y$ and $db_y$
# they make the gradient of every parameter.
#
# **Exercise 4.** Write `classifier_backward`, using your `lstm_backward`. It returns a dict
# with `"d" + name` for every parameter name: `dWf`, `dbf`, `dWi`, `dbi`, `dWc`, `dbc`, `dWo`,
# `dbo`, `dWy`, `dby` (and nothing else).

# %% exercise="classifier_backward"
from solutions.sequence_classifier import classifier_backward

# %% [markdown]
# The test compares every gradient with the numerical gradient of the loss, on a tiny network
# in float64, using your `eval_numerical_gradient` (which nudges the parameter arrays in place;
# the loss reads them, so it sees every nudge). The error is measured for each array as a
# whole: its largest difference relative to its largest entry. (Entry by entry, as `rel_error`
# measures, some of these gradients have entries so close to zero that the round-off of the
# numerical gradient alone makes their relative error large.) Expect errors near $10^{-9}$;
# a wrong gradient is off by far more than the $10^{-6}$ the test accepts.

# %%
rng_check = np.random.default_rng(2)
p_check = init_lstm_parameters(4, 5, 3, seed=2)
for name in p_check:  # non-zero biases and larger weights, so that every term shows
    p_check[name] = p_check[name] + 0.5 * rng_check.standard_normal(p_check[name].shape)
labels_check = np.array([0, 2, 1, 1, 0, 2])
probs_check, cache_check = classifier_forward(x_tiny, p_check)
grads_check = classifier_backward(classifier_loss(probs_check, labels_check)[1], cache_check, p_check)
assert sorted(grads_check) == sorted("d" + name for name in p_check), (
    f"the gradients dict should have the keys {sorted('d' + name for name in p_check)}"
)


def check_loss(_):  # reads `p_check`, whose arrays eval_numerical_gradient nudges in place
    return classifier_loss(classifier_forward(x_tiny, p_check)[0], labels_check)[0]


def gradient_error(analytic, numerical):
    """The largest difference between two gradients, relative to the largest numerical entry."""
    return np.max(np.abs(analytic - numerical)) / np.max(np.abs(numerical))


errors = {name: gradient_error(grads_check["d" + name], eval_numerical_gradient(check_loss, p_check[name]))
          for name in p_check}  # fmt: skip
print("  ".join(f"d{name} {error:.1e}" for name, error in errors.items()))
worst = max(errors, key=errors.get)
assert errors[worst] < 1e-6, (
    f"d{worst} does not match the numerical gradient (error {errors[worst]:.1e}); "
    "does the gradient Wy^T dscores enter lstm_backward at the last step only?"
)
print("classifier_backward: visible tests passed")

# %% hidden_tests="classifier_backward" points=3
# Hidden tests check every gradient for random sizes, parameters and sequences.

# %% [markdown]
# ## 5. Mini-batches
#
# Computing the gradient on all 1,297 training digits for every step would be slow, and
# unnecessary: the gradient of a random **mini-batch** of a few dozen examples points in nearly
# the same direction, at a fraction of the cost. One **epoch** is one pass over the training set
# in a new random order, cut into batches: each example is used once per epoch.
#
# **Exercise 5.** Write `minibatches`: the indices `np.random.default_rng(seed).permutation(m)`,
# cut into consecutive batches of `batch_size` (the last one holds what is left). The training
# loop calls it with a new seed for every epoch.

# %% exercise="minibatches"
from solutions.sequence_classifier import minibatches

# %%
batches = minibatches(10, 4, seed=0)
print("batches:", batches)
assert [len(batch) for batch in batches] == [4, 4, 2], "10 examples in batches of 4: sizes 4, 4 and 2"
assert sorted(np.concatenate(batches)) == list(range(10)), "every index from 0 to m-1 exactly once"
assert np.array_equal(np.concatenate(batches), np.random.default_rng(0).permutation(10)), (
    "the order should be np.random.default_rng(seed).permutation(m)"
)
print("minibatches: visible tests passed")

# %% hidden_tests="minibatches" points=1
# Hidden tests check the batches for several sizes and generators.

# %% [markdown]
# ## 6. Adam
#
# Gradient descent moves every parameter by the learning rate times its gradient. That one
# learning rate must suit every parameter: small enough for those whose gradients are large or
# noisy, yet it is then too small for the others. **Adam** (Kingma and Ba, 2015) gives every
# parameter its own step size. It keeps two moving averages per parameter, of the gradient $g$
# (the first moment, $m$) and of its square (the second moment, $v$), and steps by their ratio:
#
# $$
# \begin{aligned}
# m &\leftarrow \beta_1 m + (1 - \beta_1)\, g, &
# v &\leftarrow \beta_2 v + (1 - \beta_2)\, g^2, \\
# \hat m &= \frac{m}{1 - \beta_1^t}, &
# \hat v &= \frac{v}{1 - \beta_2^t}, \\
# \theta &\leftarrow \theta - \alpha \, \frac{\hat m}{\sqrt{\hat v} + \epsilon} , & &
# \end{aligned}
# $$
#
# entry by entry, with $t$ the number of the step (1 for the first), $\alpha$ the learning
# rate, and the defaults $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\epsilon = 10^{-8}$. Where a
# gradient is steady, $\hat m / \sqrt{\hat v}$ is close to $\pm 1$ and the step is about
# $\alpha$, whatever the scale of the gradient; where it keeps changing sign, $\hat m$ is small
# and so is the step.
#
# **The bias correction.** Both averages start at zero, so in the first steps they are too
# small: after one step $m = 0.1\, g$ and $v = 0.001\, g^2$. Dividing by $1 - \beta^t$ undoes
# exactly that (for a steady gradient $\hat m = g$ and $\hat v = g^2$ at every step). Without it
# the first steps would be too large: $\alpha \cdot 0.1 / \sqrt{0.001}$, about 3.2 times the
# learning rate, and they would stay more than 10% too large for well over a thousand steps,
# while $v$ fills up.
# The cell after the exercise measures this.
#
# The optimiser's state is made by the given `init_adam`: the number of steps taken, `"t"`, and
# dicts `"m"` and `"v"` of arrays of zeros shaped like the parameters.

# %%
from solutions.sequence_classifier import init_adam

# %% [markdown]
# **Exercise 6.** Write `adam_step`. It changes the parameters and the state **in place**:
# first `state["t"] += 1`, then, for every parameter, its two moments and the parameter itself.

# %% exercise="adam_step"
from solutions.sequence_classifier import adam_step

# %%
theta = {"w": np.array([1.0, 2.0, 3.0]), "b": np.array([[0.5]])}
state = init_adam(theta)
adam_step(theta, {"dw": np.array([0.5, -20.0, 1e-3]), "db": np.array([[4.0]])}, state, learning_rate=0.1)
print("after one step: w =", theta["w"], " b =", theta["b"], " t =", state["t"])
assert state["t"] == 1, "state['t'] should count the steps: 1 after the first"
assert np.allclose(state["m"]["w"], [0.05, -2.0, 1e-4]), "after one step m should be (1 - beta1) g"
assert np.allclose(state["v"]["w"], [0.00025, 0.4, 1e-9]), "after one step v should be (1 - beta2) g**2"
assert np.allclose(theta["w"], [0.9, 2.1, 2.9], atol=1e-6) and np.allclose(theta["b"], 0.4), (
    "the first step of Adam moves every parameter by (almost exactly) the learning rate, against "
    "the sign of its gradient, whatever its size: is the bias correction 1 - beta**t applied, with t = 1?"
)
print("adam_step: visible tests passed")

# %% hidden_tests="adam_step" points=3
# Hidden tests check the parameters and the state after several steps, with random gradients.

# %% [markdown]
# The bias correction, measured: Adam with and without it, on a steady gradient $g = 1$ (with
# the correction removed by a state whose `"t"` is kept at a huge number, so that
# $1 - \beta^t = 1$). The step size is printed in units of the learning rate.


# %%
def adam_step_sizes(steps, corrected):
    """The size of each of `steps` Adam steps on a steady gradient of 1, in learning rates."""
    theta, sizes = {"w": np.zeros(1)}, []
    state = init_adam(theta)
    for _ in range(steps):
        if not corrected:
            state["t"] = 10**9 - 1  # 1 - beta**t == 1: no correction
        before = theta["w"][0]
        adam_step(theta, {"dw": np.ones(1)}, state, learning_rate=1.0)
        sizes.append(before - theta["w"][0])
    return np.array(sizes)


corrected, uncorrected = adam_step_sizes(2000, True), adam_step_sizes(2000, False)
print(f"step 1: {corrected[0]:.3f} learning rates with the correction, {uncorrected[0]:.3f} without")
first_fair = int(np.argmax(np.abs(uncorrected - 1) < 0.1)) + 1
print(f"without the correction the step stays more than 10% too large for the first {first_fair - 1} steps")
assert np.allclose(corrected, 1.0) and np.isclose(uncorrected[0], 0.1 / np.sqrt(0.001))
assert 1000 < first_fair < 2000, "the uncorrected steps settle within ten percent after about a thousand steps"

# %% [markdown]
# ## 7. Accuracy
#
# The loss is what training lowers; what we care about is how often the network is right.
#
# **Exercise 7.** Write `accuracy`: the fraction of examples whose most probable class is the
# true one.

# %% exercise="accuracy"
from solutions.sequence_classifier import accuracy

# %%
assert np.isclose(accuracy(np.array([[0.7, 0.1, 0.3], [0.3, 0.9, 0.7]]), np.array([0, 1, 0])), 2 / 3), (
    "the predictions are columns 0, 1, 1 (argmax over the classes, axis 0): 2 of the 3 are right"
)
print("accuracy: visible tests passed")

# %% hidden_tests="accuracy" points=1
# Hidden tests check the accuracy of random predictions.

# %% [markdown]
# ## 8. Training: Adam against gradient descent
#
# Now the real run. The LSTM has $n_a = 64$ hidden units (19,338 parameters) and trains on
# batches of 32 digits for 20 epochs of 41 batches. The given `train_classifier` takes an
# `update(parameters, gradients)` function, so the same loop runs with either optimiser; it
# shows a progress bar and measures the test accuracy after every epoch.

# %%
from solutions.sequence_classifier import sgd_step, train_classifier

# %% [markdown]
# Both optimisers start from **the same initial parameters** and see **the same batches in the
# same order** (`minibatches` gets the same seeds), so any difference comes from
# the update rule alone: Adam with learning rate 0.01, plain gradient descent (SGD) with
# learning rate 0.5. (The learning rates were chosen by hand, by trying a few; for a careful
# comparison one would tune both on a validation set carved out of the training set. Try
# others.)

# %%
EPOCHS = 1 if GRADING else 20
N_A, BATCH_SIZE, ADAM_RATE, SGD_RATE = 64, 32, 0.01, 0.5
data = (x_train, labels_train, x_test, labels_test)

initial = init_lstm_parameters(8, N_A, 10, seed=0)
n_parameters = sum(value.size for value in initial.values())
print(f"{n_parameters} parameters, {-(-len(labels_train) // BATCH_SIZE)} batches per epoch")
assert n_parameters == 19_338 and -(-len(labels_train) // BATCH_SIZE) == 41

parameters = {name: value.copy() for name, value in initial.items()}
adam_state = init_adam(parameters)
adam_history = train_classifier(
    parameters, lambda p, g: adam_step(p, g, adam_state, ADAM_RATE), data, EPOCHS, BATCH_SIZE, progress="Adam"
)
sgd_parameters = {name: value.copy() for name, value in initial.items()}
sgd_history = train_classifier(
    sgd_parameters, lambda p, g: sgd_step(p, g, SGD_RATE), data, EPOCHS, BATCH_SIZE, progress="SGD"
)
for name, history in (("Adam", adam_history), ("SGD", sgd_history)):
    print(f"{name:>4}: test accuracy after epoch 1: {history['test_accuracy'][0]:.1%}, "
          f"after epoch {EPOCHS}: {history['test_accuracy'][-1]:.1%}")  # fmt: skip

# %% [markdown]
# The reference run reaches a test accuracy of **98.2%** with Adam: 9 of the 500 test digits
# wrong. Your functions should give the same (the run is seeded; only the rounding of your
# arithmetic can differ), and in any case at least 97%.

# %% [markdown]
# The training loss of single batches is noisy, so we plot it smoothed, with the exponential
# moving average of notebook 07:

# %%
from solutions.char_lm import smooth

# %%
STATED_ACCURACY = 0.982
test_accuracy = adam_history["test_accuracy"][-1]
if not GRADING:
    assert test_accuracy >= 0.97, f"the test accuracy {test_accuracy:.3f} is below 0.97"
    assert abs(test_accuracy - STATED_ACCURACY) <= 0.01, (
        f"the test accuracy {test_accuracy:.3f} is far from the reference's {STATED_ACCURACY}"
    )


if not GRADING:  # figures are skipped while the notebook is graded
    fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(12, 4))
    for name, history in (("Adam", adam_history), ("SGD", sgd_history)):
        steps_per_epoch = len(history["loss"]) / EPOCHS
        ax_loss.plot(np.arange(1, len(history["loss"]) + 1) / steps_per_epoch, smooth(history["loss"]), label=name)
        ax_accuracy.plot(np.arange(1, EPOCHS + 1), history["test_accuracy"], "o-", ms=3, label=name)
    ax_loss.set(title="Training loss (smoothed)", xlabel="epoch", ylabel="cross-entropy", yscale="log")
    ax_accuracy.set(title="Test accuracy", xlabel="epoch", ylabel="accuracy", ylim=(0, 1.02))
    ax_accuracy.axhline(0.1, color="grey", ls=":", label="chance (1 in 10)")
    for ax in (ax_loss, ax_accuracy):
        ax.grid(alpha=0.3)
        ax.legend()
    plt.show()

# %% [markdown]
# What the curves show (the numbers are printed below, from your run):
#
# - **Adam is faster at the start.** After one epoch it classifies far more test digits right
#   than gradient descent does: its steps have the size of the learning rate from the first
#   one, in every parameter, while gradient descent's steps are as small as the gradients,
#   which are tiny at the start, when the read-out knows nothing.
# - **Gradient descent catches up, slowly.** With enough epochs both get most digits right;
#   the difference is in how many steps it takes.

# %%
adam_accuracy, sgd_accuracy = np.array(adam_history["test_accuracy"]), np.array(sgd_history["test_accuracy"])
print(f"after epoch 1: Adam {adam_accuracy[0]:.1%}, SGD {sgd_accuracy[0]:.1%}")
if not GRADING:
    reached = np.flatnonzero(sgd_accuracy >= adam_accuracy[1])
    print(f"Adam's accuracy after 2 epochs ({adam_accuracy[1]:.1%}) is reached by SGD after "
          + (f"{reached[0] + 1} epochs" if len(reached) else f"more than {EPOCHS} epochs"))  # fmt: skip
    assert adam_accuracy[0] > sgd_accuracy[0] + 0.2, "Adam should be far ahead after the first epoch"
    assert not len(reached) or reached[0] >= 3, "SGD should need several times as many epochs"

# %% [markdown]
# ## 9. Where does it err?
#
# One number hides which digits are confused with which. A **confusion matrix** counts, for
# every true class $i$ and predicted class $j$, the examples of class $i$ predicted as $j$: the
# diagonal holds the right answers, everything off it an error, and row $i$ sums to the number
# of examples of class $i$.
#
# **Exercise 8.** Write `confusion_matrix`. (NumPy tip: `np.add.at(counts, (rows, columns), 1)`
# adds 1 at every pair of indices, repeated pairs included; `counts[rows, columns] += 1` would
# count a repeated pair once.)

# %% exercise="confusion_matrix"
from solutions.sequence_classifier import confusion_matrix

# %%
toy = confusion_matrix(np.array([0, 0, 1, 2, 2, 2]), np.array([0, 1, 1, 2, 2, 0]), 3)
print(toy)
assert toy.shape == (3, 3) and toy.sum() == 6, "a (n_classes, n_classes) matrix counting all 6 examples"
assert toy.dtype == np.int64, f"counts are integers: make the matrix with dtype=np.int64, not {toy.dtype}"
assert np.array_equal(toy, [[1, 1, 0], [0, 1, 0], [1, 0, 2]]), (
    "counts[i, j] should count the examples of TRUE class i PREDICTED as j (rows: true, columns: predicted)"
)
print("confusion_matrix: visible tests passed")

# %% hidden_tests="confusion_matrix" points=1
# Hidden tests check the counts for random labels and predictions.

# %%
probs_test, _ = classifier_forward(x_test, parameters)
predicted = probs_test.argmax(axis=0)
counts = confusion_matrix(labels_test, predicted, 10)
assert np.isclose(accuracy(probs_test, labels_test), np.trace(counts) / counts.sum())
errors_off_diagonal = counts - np.diag(np.diag(counts))
true_digit, read_as = np.unravel_index(np.argmax(errors_off_diagonal), counts.shape)
print(f"{counts.sum() - np.trace(counts)} of {counts.sum()} test digits wrong; the most frequent confusion: "
      f"{true_digit} read as {read_as} ({errors_off_diagonal[true_digit, read_as]} times)")  # fmt: skip

if not GRADING:  # figures are skipped while the notebook is graded
    fig, (ax_matrix, ax_wrong) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.1]})
    shown = ax_matrix.imshow(counts, cmap="Blues")
    for i in range(10):
        for j in range(10):
            if counts[i, j]:
                color = "white" if counts[i, j] > counts.max() / 2 else "black"
                ax_matrix.text(j, i, counts[i, j], ha="center", va="center", color=color, fontsize=9)
    ax_matrix.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit",
                  title="Confusion matrix on the test set")  # fmt: skip
    fig.colorbar(shown, ax=ax_matrix, shrink=0.8)
    ax_wrong.axis("off")
    wrong = np.flatnonzero(predicted != labels_test)
    ax_wrong.set_title(f"The {len(wrong)} misclassified test digits (true → predicted)")
    columns = 6
    for k, index in enumerate(wrong[: columns * 4]):
        inset = ax_wrong.inset_axes([(k % columns) / columns, 1 - (k // columns + 1) / 4.4, 0.9 / columns, 0.8 / 4.4])
        inset.imshow(x_test[:, index, :].T, cmap="gray_r", vmin=0, vmax=1)
        inset.set_title(f"{labels_test[index]} → {predicted[index]}", fontsize=9)
        inset.axis("off")
    plt.show()

# %% [markdown]
# The errors are few and spread over several digits. Look at the misclassified digits: at
# 8x8 pixels many of them are hard to read for a person too.

# %% [markdown]
# ## 10. What the LSTM has read after each row
#
# At every step `lstm_forward` computes $\operatorname{softmax}(W_y a^{\langle t \rangle} +
# b_y)$: the read-out applied to the hidden state after $t$ rows, the network's prediction as
# the rows arrive. The network was trained on the last of these only. Here they are, for the
# test digits:

# %%
a_by_row, y_by_row, _, _ = lstm_forward(x_test, np.zeros((N_A, x_test.shape[1])), parameters)
own_by_row = np.array([accuracy(y_by_row[:, :, t], labels_test) for t in range(8)])
print("the read-out's test accuracy after each row:", "  ".join(f"{t + 1}: {v:.0%}" for t, v in enumerate(own_by_row)))
assert np.isclose(own_by_row[-1], test_accuracy), "after the last row the read-out is the classifier"

# %% [markdown]
# Through the first five rows the read-out does no better than a guess would (10%); it becomes
# useful only in the last rows. That does not mean the hidden state holds nothing: the
# read-out was never trained to read the hidden state of a half-read digit, and the LSTM has
# no reason to keep its state readable before the end. To see what the hidden state **holds** after $t$ rows, we give each step a
# read-out of its own, fitted to that step's hidden states, while the LSTM stays as it is. Such
# a separately fitted read-out is called a **probe**. Ours is the simplest there is: a linear
# layer $W a^{\langle t \rangle} + b$ whose scores are made as close as possible, in the least
# squares sense, to the one-hot codes of the training digits' labels (one call of
# `np.linalg.lstsq`); its prediction is the digit with the largest score, and we measure it on
# the test digits.


# %%
def fit_probe(a, labels):
    """A linear read-out (W (10, n_a), b (10, 1)) fitted by least squares: W a + b ~ onehot(labels)."""
    inputs = np.vstack([a, np.ones((1, a.shape[1]))])  # the hidden states (n_a, m), and a row of ones for b
    weights = np.linalg.lstsq(inputs.T, np.eye(10)[labels], rcond=None)[0].T  # (10, n_a + 1)
    return weights[:, :-1], weights[:, -1:]


a_train_by_row, _, _, _ = lstm_forward(x_train, np.zeros((N_A, x_train.shape[1])), parameters)
probe_scores = np.zeros_like(y_by_row)
for t in range(8):
    W_probe, b_probe = fit_probe(a_train_by_row[:, :, t], labels_train)
    probe_scores[:, :, t] = W_probe @ a_by_row[:, :, t] + b_probe
probe_by_row = np.array([accuracy(probe_scores[:, :, t], labels_test) for t in range(8)])
print("a probe's test accuracy after each row:   ", "  ".join(f"{t + 1}: {v:.0%}" for t, v in enumerate(probe_by_row)))

examples = [int(np.flatnonzero(labels_test == digit)[0]) for digit in (2, 3, 7, 9)]
if not GRADING:  # figures are skipped while the notebook is graded
    fig, axes = plt.subplots(2, len(examples) + 1, figsize=(13, 4.6), gridspec_kw={"height_ratios": [1, 1.4]})
    for column, index in enumerate(examples):
        axes[0, column].imshow(x_test[:, index, :].T, cmap="gray_r", vmin=0, vmax=1)
        axes[0, column].set_title(f"a test digit {labels_test[index]}", fontsize=10)
        axes[0, column].axis("off")
        heat = axes[1, column].imshow(probe_scores[:, index, :], cmap="viridis", vmin=0, vmax=1, aspect="auto")
        axes[1, column].set(xticks=range(8), xticklabels=range(1, 9), yticks=range(10),
                            xlabel="rows read", ylabel="digit" if column == 0 else None)  # fmt: skip
    fig.colorbar(heat, ax=axes[1, : len(examples)], label="probe's score", shrink=0.9)
    axes[0, -1].axis("off")
    axes[1, -1].plot(np.arange(1, 9), probe_by_row, "o-", label="a probe per row")
    axes[1, -1].plot(np.arange(1, 9), own_by_row, "s--", label="the trained read-out")
    axes[1, -1].set(xlabel="rows read", ylabel="test accuracy", ylim=(0, 1.02), title="All test digits", xticks=range(1, 9))
    axes[1, -1].grid(alpha=0.3)
    axes[1, -1].legend(fontsize=8)
    plt.show()

# %% [markdown]
# The probes tell a different story from the read-out: the hidden state knows a lot early.
# After a single row, which shows only the top edge of a digit, a probe is right almost half
# the time, where a guess is right one time in ten; after half the rows, nearly nine times in
# ten; and the accuracy climbs with every row to about that of the classifier. The heat maps
# (the probes' scores; 1 would be a certain answer) show when each digit's answer forms, and
# which digits the top rows leave open: a 7 and a 9, or a 2 and a 3, share their tops, and
# their bottom rows decide.

# %%
if not GRADING:
    assert own_by_row[:5].max() < 0.15 and own_by_row[-1] > 0.95, "the read-out is trained for the last row only"
    assert 0.35 < probe_by_row[0] < 0.5 and 0.8 < probe_by_row[3] < 0.92, "the state holds a lot early"
    assert np.all(np.diff(probe_by_row) > -0.02), "what the state holds (nearly) only grows, row by row"
    assert abs(probe_by_row[-1] - test_accuracy) < 0.03

# %% [markdown]
# ## 11. From 8x8 to MNIST's 28x28
#
# The classic version of this network reads the MNIST digits (LeCun, Bottou, Bengio and
# Haffner, 1998): 60,000 training and 10,000 test images of 28x28 pixels, read as 28 steps of
# 28 pixels (as in Aymeric Damien's TensorFlow example). Nothing in your code depends on the
# size: `images_to_sequences` gives $n_x = 28$ and $T_x = 28$, and the rest is unchanged.
# What it would take:
#
# - **the data**: MNIST's four files, which this course does not ship (nothing here is
#   downloaded); read into arrays of shape $(m, 28, 28)$ and scaled to
#   $[0, 1]$, they go through the code above as they are;
# - **a larger network**: the TensorFlow example uses $n_a = 128$ hidden units, since a 28x28
#   digit holds more detail to carry from row to row;
# - **time**: the cell below times a few training steps of that network, on random images of
#   MNIST's size, and multiplies by the number of batches in an epoch.

# %%
if not GRADING:
    import time

    mnist_like = init_lstm_parameters(28, 128, 10, seed=0)
    mnist_state = init_adam(mnist_like)
    x_fake = np.random.default_rng(0).random((28, BATCH_SIZE, 28))
    labels_fake = np.arange(BATCH_SIZE) % 10
    start = time.perf_counter()
    for _ in range(5):
        probs_fake, cache_fake = classifier_forward(x_fake, mnist_like)
        adam_step(mnist_like, classifier_backward(classifier_loss(probs_fake, labels_fake)[1], cache_fake, mnist_like),
                  mnist_state, ADAM_RATE)  # fmt: skip
    step_seconds = (time.perf_counter() - start) / 5
    mnist_epoch_minutes = step_seconds * (60_000 / BATCH_SIZE) / 60
    images_ratio = 60_000 / len(train_index)
    weights_ratio = sum(v.size for v in mnist_like.values()) / n_parameters
    print(f"MNIST: {images_ratio:.0f} times as many training images, {weights_ratio:.1f} times as many weights")
    assert round(images_ratio) == 46 and 4 <= weights_ratio < 5
    print(f"one step on a batch of {BATCH_SIZE}: {1000 * step_seconds:.0f} ms; one epoch of MNIST "
          f"({60_000 // BATCH_SIZE} steps): about {mnist_epoch_minutes:.0f} minutes")  # fmt: skip
    assert 0.1 < mnist_epoch_minutes < 600

# %% [markdown]
# So the same code trains on MNIST in plain numpy, at the speed printed above: about 46 times
# as many images as here, each read in 28 steps instead of 8 by an LSTM with four times as
# many weights. The benchmark `bench/bench_sequence_classifier_vs_torch.py` compares this
# notebook's training with the same model in PyTorch.
#
# ## Further reading
#
# - E. Alpaydin and C. Kaynak, *Optical Recognition of Handwritten Digits*, UCI Machine
#   Learning Repository, 1998, [doi:10.24432/C50P49](https://doi.org/10.24432/C50P49): the
#   data of this notebook; C. Kaynak, *Methods of combining multiple classifiers and their
#   applications to handwritten digit recognition*, MSc thesis, Boğaziçi University, 1995.
# - S. Hochreiter and J. Schmidhuber, "Long short-term memory", *Neural Computation* 9(8),
#   1997: the LSTM.
# - F. A. Gers, J. Schmidhuber and F. Cummins, "Learning to forget: continual prediction with
#   LSTM", *Neural Computation* 12(10), 2000: the forget gate of the LSTM used here.
# - D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015,
#   [arXiv:1412.6980](https://arxiv.org/abs/1412.6980): Adam and its bias correction
#   (Algorithm 1 is the update of exercise 6).
# - Y. LeCun, L. Bottou, Y. Bengio and P. Haffner, "Gradient-based learning applied to
#   document recognition", *Proceedings of the IEEE* 86(11), 1998: MNIST.
# - A. Damien, *TensorFlow-Examples*, `recurrent_network.py`,
#   https://github.com/aymericdamien/TensorFlow-Examples: an LSTM that reads MNIST row by row,
#   in TensorFlow.
# - A. Graves, *Supervised Sequence Labelling with Recurrent Neural Networks*, Springer, 2012:
#   LSTMs for sequence classification, with the gradients written out.
# - Stanford CS231n, *Convolutional Neural Networks for Visual Recognition*, lecture notes on
#   recurrent networks and on optimisation (SGD, momentum, Adam): https://cs231n.github.io/
#
# Next, in notebook 10: how long can each cell remember? The RNN, the LSTM and the GRU on a
# task whose answer was seen long ago.
