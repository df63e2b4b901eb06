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
# # 04 · The recurrent neural network: notation, the cell and the forward pass
#
# The networks of Part I map one input to one output. Many inputs are **sequences**: the
# letters of a word, the words of a sentence, the bits of a binary number. A recurrent neural
# network (RNN) reads a sequence one element at a time and carries a **hidden state** from each
# step to the next, a summary of everything it has read so far. At every step the same small
# network, the **cell**, takes the current input and the previous hidden state and produces the
# new hidden state and a prediction.
#
# This notebook builds the forward pass, one small step at a time:
#
# 1. the notation and the shapes of the arrays, with a picture and a worked example;
# 2. a softmax over the **columns** of an array (Part II puts examples in columns);
# 3. one step of the RNN, `rnn_cell_forward`;
# 4. the whole sequence, `rnn_forward`;
# 5. the bridge to the layout that deep-learning frameworks use, `to_batch_first` and
#    `to_time_major`.
#
# Notebook 05 then runs the computation backwards: backpropagation through time.
#
# <!-- shared: how_to_work -->

# %%
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyBboxPatch

# %% [markdown]
# ## 1. Notation and shapes
#
# Part II follows the notation of the sequence-models tradition. A superscript in angle
# brackets is the time step: $x^{\langle t \rangle}$ is the input at step $t$,
# $a^{\langle t \rangle}$ the hidden state ("activation") after step $t$, and
# $\hat y^{\langle t \rangle}$ the prediction at step $t$. The sizes are
#
# | symbol | meaning |
# |---|---|
# | $n_x$ | number of input features at one time step (for one-hot letters, the size of the alphabet) |
# | $n_a$ | number of hidden units |
# | $n_y$ | number of output classes |
# | $m$ | number of examples (sequences) in the batch |
# | $T_x$, $T_y$ | number of time steps of the input and of the output |
#
# **Part II is column-major**, unlike Part I. One example is a **column**, and time is the
# **last** axis:
#
# | array | shape | one time step | shape of one time step |
# |---|---|---|---|
# | `x`, the inputs | $(n_x, m, T_x)$ | `x[:, :, t]` $= x^{\langle t+1 \rangle}$ | $(n_x, m)$ |
# | `a`, the hidden states | $(n_a, m, T_x)$ | `a[:, :, t]` $= a^{\langle t+1 \rangle}$ | $(n_a, m)$ |
# | `y_pred`, the predictions | $(n_y, m, T_y)$ | `y_pred[:, :, t]` $= \hat y^{\langle t+1 \rangle}$ | $(n_y, m)$ |
#
# The maths counts time steps from 1, Python from 0: `x[:, :, 0]` is $x^{\langle 1 \rangle}$.
# The initial hidden state $a^{\langle 0 \rangle}$, `a0` of shape $(n_a, m)$, is not part of
# `a`. In this notebook every step makes a prediction, so $T_y = T_x$.
#
# With examples in columns, a layer is a matrix **on the left**: $W x^{\langle t \rangle}$ with
# $W$ of shape $(n_a, n_x)$ maps the $(n_x, m)$ inputs of all $m$ examples to $(n_a, m)$ at
# once, and a bias of shape $(n_a, 1)$ is added to every column.
#
# The picture below is the RNN **unrolled** in time: the same cell drawn once per step. Inputs
# come in from below, the hidden state goes from left to right, predictions go out at the top.


# %%
def draw_unrolled_rnn(T=4):
    """The RNN unrolled over T time steps: one box per step, all sharing the same parameters."""
    fig, ax = plt.subplots(figsize=(11, 4.2))
    arrow = dict(arrowstyle="-|>", color="black", lw=1.3, mutation_scale=14)
    step = 2.6
    for t in range(1, T + 1):
        cx = step * t
        box = FancyBboxPatch(
            (cx - 0.55, -0.45), 1.1, 0.9, boxstyle="round,pad=0.05", fc="#dbe9f6", ec="#2b5d8a", lw=1.5
        )
        ax.add_patch(box)
        ax.text(cx, 0, "RNN\ncell", ha="center", va="center", fontsize=10)
        ax.annotate("", xy=(cx, -0.5), xytext=(cx, -1.45), arrowprops=arrow)
        x_label = rf"$x^{{\langle {t} \rangle}}$" + f"\nx[:, :, {t - 1}]"
        ax.text(cx, -1.85, x_label, ha="center", va="center", fontsize=11)
        ax.annotate("", xy=(cx, 1.45), xytext=(cx, 0.5), arrowprops=arrow)
        y_label = f"y_pred[:, :, {t - 1}]\n" + rf"$\hat y^{{\langle {t} \rangle}}$"
        ax.text(cx, 1.85, y_label, ha="center", va="center", fontsize=11)
        ax.annotate("", xy=(cx - 0.6, 0), xytext=(cx - step + 0.6, 0), arrowprops=arrow)
        a_label = r"$a^{\langle 0 \rangle}$ = a0" if t == 1 else rf"$a^{{\langle {t - 1} \rangle}}$"
        ax.text(cx - step / 2, 0.22, a_label, ha="center", va="bottom", fontsize=11)
    ax.annotate("", xy=(step * T + step / 2 + 0.3, 0), xytext=(step * T + 0.6, 0), arrowprops=arrow)
    ax.text(
        step * T + step / 2 - 0.2,
        0.22,
        rf"$a^{{\langle {T} \rangle}}$",
        ha="center",
        va="bottom",
        fontsize=11,
    )
    for y, shape in ((-1.85, "(n_x, m)"), (0.0, "(n_a, m)"), (1.85, "(n_y, m)")):
        ax.text(step * (T + 1) + 0.5, y, f"each ${shape}$", fontsize=10, va="center", color="#555555")
    caption = (
        r"x: $(n_x, m, T_x)$      a: $(n_a, m, T_x)$      y_pred: $(n_y, m, T_y)$,  "
        rf"here $T_x = T_y = {T}$;  every cell uses the same Wax, Waa, Wya, ba, by"
    )
    ax.text(0.5, 0.0, caption, ha="center", va="center", fontsize=10, transform=ax.transAxes)
    ax.set_xlim(step / 2 - 1.3, step * (T + 1) + 2.2)
    ax.set_ylim(-2.9, 2.5)
    ax.axis("off")
    return fig


draw_unrolled_rnn()
plt.show()

# %% [markdown]
# ### A worked example: two words, one-hot encoded
#
# Take the alphabet of the seven letters `d e h l o r w` and the two words `hello` and `world`.
# Each letter becomes a **one-hot** column of length $n_x = 7$: all zeros except a 1 in the row
# of that letter. The batch holds $m = 2$ examples (the words) of $T_x = 5$ letters each, so
# `x` has shape $(7, 2, 5)$. The slice `x[:, :, t]` is a $(7, 2)$ matrix whose column $i$ is the
# letter at position $t$ of word $i$.

# %%
alphabet = "dehlorw"
words = ["hello", "world"]
x_words = np.zeros((len(alphabet), len(words), len(words[0])))
for i, word in enumerate(words):
    for t, letter in enumerate(word):
        x_words[alphabet.index(letter), i, t] = 1.0

print("x has shape (n_x, m, T_x) =", x_words.shape)
t = 1
print(f"\nx[:, :, {t}], the second letter of each word (rows: letters, columns: words):")
print("     " + "  ".join(f"{word:>5}" for word in words))
for k, letter in enumerate(alphabet):
    print(f"  {letter}  " + "  ".join(f"{x_words[k, i, t]:5.0f}" for i in range(len(words))))
print(f"\nthe letters at step {t}:", [alphabet[k] for k in x_words[:, :, t].argmax(axis=0)])
print("word 0 read back from x[:, 0, :]:", "".join(alphabet[k] for k in x_words[:, 0, :].argmax(axis=0)))

# %% [markdown]
# Column 0 of `x[:, :, 1]` has its 1 in the row of `e` (the second letter of `hello`), column 1
# in the row of `o` (the second letter of `world`). Fixing the example instead, `x[:, 0, :]` is
# the $(n_x, T_x)$ matrix of the whole word `hello`, one column per letter.

# %% [markdown]
# ## 2. Softmax over columns
#
# The cell turns its $n_y$ output scores into probabilities with a softmax. In Part I the
# examples were rows and the softmax normalised each row; here they are columns. For scores
# $z$ of shape $(n_y, m)$,
#
# $$ \operatorname{softmax}(z)_{kj} = \frac{e^{z_{kj}}}{\sum_{l=1}^{n_y} e^{z_{lj}}} , $$
#
# so each column $j$ becomes a probability distribution over the $n_y$ classes. As in notebook
# 02, `exp` overflows for large scores (`np.exp(1000.0)` is `inf`); subtracting a constant from
# a column does not change its softmax, so compute it in a way that never overflows.
#
# **Exercise 1.** Write `softmax` for column vectors. It must not change its input.

# %% exercise="softmax_columns"
from solutions.rnn_forward import softmax

# %%
z = np.array([[1.0, 0.0, 1000.0], [2.0, 0.0, 1000.0], [3.0, 0.0, 999.0]])
with np.errstate(all="raise"):  # turns any overflow into an error, so you see it
    probs = softmax(z)
print(probs)
assert probs.shape == (3, 3), "softmax should keep the shape (n_y, m)"
assert np.allclose(probs.sum(axis=0), 1.0), "each COLUMN (axis=0) should sum to 1"
assert np.allclose(probs[:, 0], [0.09003057, 0.24472847, 0.66524096]), "column 0 should be softmax([1, 2, 3])"
assert np.allclose(probs[:, 1], 1 / 3), "a column of equal scores gives equal probabilities"
assert np.allclose(probs[:, 2], [0.42231882, 0.42231882, 0.15536236]), (
    "column 2 (scores near 1000) should be softmax([1, 1, 0]); subtract each column's maximum"
)
print("softmax: visible tests passed")

# %% hidden_tests="softmax_columns" points=1
# Hidden tests check softmax on random scores, and on scores near +-1000 without warnings.

# %% [markdown]
# ## 3. The parameters
#
# The cell has five parameters, shared by all time steps:
#
# | name | shape | role |
# |---|---|---|
# | `Wax` | $(n_a, n_x)$ | input to hidden |
# | `Waa` | $(n_a, n_a)$ | hidden to hidden: the recurrence |
# | `Wya` | $(n_y, n_a)$ | hidden to output |
# | `ba` | $(n_a, 1)$ | hidden bias |
# | `by` | $(n_y, 1)$ | output bias |
#
# The name reads right to left: `Wax` takes an $x$ and gives an $a$. They live in a dict,
# `parameters`. The given function below draws random ones; each weight matrix is scaled by
# $1/\sqrt{\text{fan-in}}$, so that the pre-activations start of order 1.

# %%
from solutions.rnn_forward import init_rnn_parameters  # noqa: F401

# %%
parameters = init_rnn_parameters(n_x=7, n_a=5, n_y=7, seed=0)
print({name: value.shape for name, value in parameters.items()})

# %% [markdown]
# ## 4. The RNN cell
#
# One time step takes the input $x^{\langle t \rangle}$ and the previous hidden state
# $a^{\langle t-1 \rangle}$ and computes
#
# $$ a^{\langle t \rangle} = \tanh\!\left(W_{aa}\, a^{\langle t-1 \rangle} + W_{ax}\, x^{\langle t \rangle} + b_a\right),
#    \qquad
#    \hat y^{\langle t \rangle} = \operatorname{softmax}\!\left(W_{ya}\, a^{\langle t \rangle} + b_y\right) . $$
#
# Check the shapes: $W_{aa} a^{\langle t-1 \rangle}$ is $(n_a, n_a)(n_a, m)$ and
# $W_{ax} x^{\langle t \rangle}$ is $(n_a, n_x)(n_x, m)$, both $(n_a, m)$; $b_a$, $(n_a, 1)$, is
# added to every column. Row $i$ of $W_{aa}$ holds the weights **into** hidden unit $i$.
#
# The backward pass (notebook 05) will need the values of the forward pass, so the cell also
# returns a **cache**: the tuple `(a_next, a_prev, xt, parameters)`.
#
# **Exercise 2.** Write `rnn_cell_forward`, using your `softmax`.

# %% exercise="rnn_cell_forward"
from solutions.rnn_forward import rnn_cell_forward

# %% [markdown]
# The visible tests switch the terms on one at a time: with every parameter zero except one,
# the output depends on that one term only, so a failing test names the wrong term.

# %%
n_x, n_a, n_y, m = 3, 4, 2, 2
rng = np.random.default_rng(1)
xt_demo = rng.standard_normal((n_x, m))
a_prev_demo = rng.standard_normal((n_a, m))
full = {name: rng.standard_normal(value.shape) for name, value in init_rnn_parameters(n_x, n_a, n_y).items()}


def only(*names):
    """The parameters `full` with every array zeroed except the named ones."""
    return {name: value if name in names else np.zeros_like(value) for name, value in full.items()}


a_next, yt_pred, cache = rnn_cell_forward(xt_demo, a_prev_demo, full)
print("a_next =\n", a_next, "\nyt_pred =\n", yt_pred)
assert a_next.shape == (n_a, m), f"a_next should have shape (n_a, m) = {(n_a, m)}"
assert yt_pred.shape == (n_y, m), f"yt_pred should have shape (n_y, m) = {(n_y, m)}"

a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Wax"))
assert np.allclose(a_next, np.tanh(full["Wax"] @ xt_demo)), "the input term Wax @ xt is wrong"
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Waa"))
assert np.allclose(a_next, np.tanh(full["Waa"] @ a_prev_demo)), (
    "the recurrent term is wrong: it is Waa @ a_prev (is Waa transposed?)"
)
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("ba"))
assert np.allclose(a_next, np.tanh(full["ba"]) * np.ones((1, m))), "the hidden bias ba is missing or wrong"
_, yt_pred, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("by"))
assert np.allclose(yt_pred, softmax(full["by"]) * np.ones((1, m))), (
    "with Wya = 0, yt_pred should be softmax(by) in every column: the output bias by is missing or wrong"
)
a_next, yt_pred, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Wax", "Wya"))
assert np.allclose(yt_pred, softmax(full["Wya"] @ a_next)), "the output term Wya @ a_next is wrong"
assert np.allclose(yt_pred.sum(axis=0), 1.0), "each column of yt_pred should sum to 1"

a_next, yt_pred, cache = rnn_cell_forward(xt_demo, a_prev_demo, full)
assert isinstance(cache, tuple) and len(cache) == 4, (
    "the cache should be the tuple (a_next, a_prev, xt, parameters)"
)
assert cache[0] is a_next or np.array_equal(cache[0], a_next), "cache[0] should be a_next"
assert np.array_equal(cache[1], a_prev_demo) and np.array_equal(cache[2], xt_demo), (
    "cache[1] should be a_prev and cache[2] xt"
)
assert isinstance(cache[3], dict) and set(cache[3]) == set(full), "cache[3] should be the parameters dict"
print("rnn_cell_forward: visible tests passed")

# %% hidden_tests="rnn_cell_forward" points=2
# Hidden tests check a_next, yt_pred and the cache for random sizes and parameters.

# %% [markdown]
# ## 5. The forward pass over a sequence
#
# The forward pass runs the cell once per time step, from $t = 1$ to $T_x$, each step starting
# from the hidden state the previous step produced:
#
# $$ a^{\langle 0 \rangle} \xrightarrow{\;x^{\langle 1 \rangle}\;} a^{\langle 1 \rangle}
#    \xrightarrow{\;x^{\langle 2 \rangle}\;} a^{\langle 2 \rangle} \;\cdots\;
#    \xrightarrow{\;x^{\langle T_x \rangle}\;} a^{\langle T_x \rangle} . $$
#
# It stores every hidden state in `a` and every prediction in `y_pred`, and collects the $T_x$
# caches of the cell in a list. It returns `a`, `y_pred` and `caches`, the tuple
# `(list of the T_x caches, x)`.
#
# **Exercise 3.** Write `rnn_forward`, using your `rnn_cell_forward`. Create `a` and `y_pred`
# with the dtype of `x`.

# %% exercise="rnn_forward"
from solutions.rnn_forward import rnn_forward

# %%
rng = np.random.default_rng(2)
x_demo = rng.standard_normal((n_x, m, 5))
a0_demo = rng.standard_normal((n_a, m))
a, y_pred, caches = rnn_forward(x_demo, a0_demo, full)
print("a[:, 0, :] (hidden states of example 0, one column per step) =\n", a[:, 0, :])
assert a.shape == (n_a, m, 5), f"a should have shape (n_a, m, T_x) = {(n_a, m, 5)}"
assert y_pred.shape == (n_y, m, 5), f"y_pred should have shape (n_y, m, T_x) = {(n_y, m, 5)}"
a1, y1, _ = rnn_cell_forward(x_demo[:, :, 0], a0_demo, full)
assert np.allclose(a[:, :, 0], a1) and np.allclose(y_pred[:, :, 0], y1), "step 0 should start from a0"
a2, y2, _ = rnn_cell_forward(x_demo[:, :, 1], a1, full)
assert np.allclose(a[:, :, 1], a2), "step 1 should start from a[:, :, 0], the hidden state of step 0"
assert np.allclose(y_pred[:, :, 1], y2), "y_pred[:, :, 1] should be the prediction of step 1"
assert isinstance(caches, tuple) and len(caches) == 2, "caches should be the tuple (list of caches, x)"
assert len(caches[0]) == 5 and caches[1] is x_demo, "caches should hold T_x = 5 cell caches, then x"
assert np.array_equal(caches[0][4][0], a[:, :, 4]), "caches[0][t] should be the cache of step t"

# Only the recurrence left (Wax = 0, ba = 0): the hidden state must still evolve from a0.
a, _, _ = rnn_forward(x_demo, a0_demo, only("Waa", "Wya", "by"))
assert np.allclose(a[:, :, 3], np.tanh(full["Waa"] @ a[:, :, 2])), (
    "with Wax = 0 and ba = 0, a[:, :, t] should be tanh(Waa @ a[:, :, t-1]): the hidden state is not carried"
)
a, y_pred, _ = rnn_forward(x_words, np.zeros((5, 2)), parameters)
print("on the two words: a", a.shape, "y_pred", y_pred.shape)
assert np.allclose(y_pred.sum(axis=0), 1.0), "each y_pred[:, i, t] should sum to 1"
print("rnn_forward: visible tests passed")

# %% hidden_tests="rnn_forward" points=2
# Hidden tests check a, y_pred and the caches for random sizes, parameters and sequences.

# %% [markdown]
# The network is untrained, so its predictions are close to uniform guesses. Notebook 07 trains
# such a network to predict the next letter of a text. Here is what it computed on `hello`:
# one column of hidden units per letter.

# %%
a, y_pred, _ = rnn_forward(x_words, np.zeros((5, 2)), parameters)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.2))
image = left.imshow(a[:, 0, :], cmap="RdBu_r", vmin=-1, vmax=1)
left.set(title="hidden states a[:, 0, :] of 'hello'", xlabel="time step t", ylabel="hidden unit")
left.set_xticks(range(5), list("hello"))
fig.colorbar(image, ax=left)
image = right.imshow(y_pred[:, 0, :], cmap="viridis", vmin=0)
right.set(title="predictions y_pred[:, 0, :] (untrained)", xlabel="time step t", ylabel="class (letter)")
right.set_xticks(range(5), list("hello"))
right.set_yticks(range(7), list(alphabet))
fig.colorbar(image, ax=right)
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 6. The batch-first layout of the frameworks
#
# PyTorch (`batch_first=True`), Keras and JAX code store a batch of sequences as $(N, T, D)$:
# examples first, then time, then features. It is the layout of Part I, `X` of shape $(N, D)$,
# with a time axis inserted in the middle. In our names it is $(m, T_x, n_x)$, and
#
# $$ \texttt{x\_bf[i, t, k]} = \texttt{x[k, i, t]} . $$
#
# The same numbers, with the axes in another order. A row `x_bf[i, t]` is the input vector of
# example $i$ at step $t$; the frameworks multiply it by a weight matrix on the **right**,
# $x W^{\top}$, where we multiply a column on the left, $W x$.
#
# Careful: `reshape` is not the tool here. It keeps the numbers in memory order and only
# regroups them, so it would mix features, examples and time steps.
#
# **Exercise 4.** Write `to_batch_first` and its inverse `to_time_major`.

# %% exercise="to_batch_first"
from solutions.rnn_forward import to_batch_first

# %%
x_bf = to_batch_first(x_words)
print("batch-first shape (m, T_x, n_x):", x_bf.shape)
print("x_bf[0], the word 'hello', one row per letter:\n", x_bf[0].astype(int))
assert x_bf.shape == (2, 5, 7), "to_batch_first should give the shape (m, T_x, n_x) = (2, 5, 7)"
assert "".join(alphabet[k] for k in x_bf[1].argmax(axis=1)) == "world", "x_bf[1] should be the word 'world'"
cube = np.arange(27.0).reshape(3, 3, 3)
assert to_batch_first(cube)[0, 1, 2] == cube[2, 0, 1], "x_bf[i, t, k] should equal x[k, i, t]"
print("to_batch_first: visible tests passed")

# %% hidden_tests="to_batch_first" points=1
# Hidden tests check the shape and values for random sequences.

# %% exercise="to_time_major"
from solutions.rnn_forward import to_time_major

# %%
back = to_time_major(x_bf)
print("back to (n_x, m, T_x):", back.shape)
assert back.shape == x_words.shape, "to_time_major should give back the shape (n_x, m, T_x)"
assert np.array_equal(back, x_words), "to_time_major(to_batch_first(x)) should give x back"
assert to_time_major(cube)[2, 0, 1] == cube[0, 1, 2], "x[k, i, t] should equal x_bf[i, t, k]"
print("to_time_major: visible tests passed")

# %% hidden_tests="to_time_major" points=1
# Hidden tests check the shape and values for random sequences.

# %% [markdown]
# ## Summary
#
# - A batch of sequences is `x` of shape $(n_x, m, T_x)$; `x[:, :, t]` is the $(n_x, m)$ batch
#   of inputs at one step, one example per column.
# - The cell computes $a^{\langle t \rangle} = \tanh(W_{aa} a^{\langle t-1 \rangle} + W_{ax}
#   x^{\langle t \rangle} + b_a)$ and $\hat y^{\langle t \rangle} = \operatorname{softmax}(W_{ya}
#   a^{\langle t \rangle} + b_y)$, with the same parameters at every step.
# - The forward pass carries the hidden state from step to step and keeps a cache per step.
# - Frameworks use $(m, T_x, n_x)$; moving between the layouts is a transposition of axes,
#   never a reshape.
#
# Notebook 05 computes the gradients of all of this: backpropagation through time.
