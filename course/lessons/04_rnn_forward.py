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
with np.errstate(over="raise", invalid="raise", divide="raise"):  # overflow is an error here, so you see it
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
# Inside the cell: each input is multiplied by its weights, the two products and the bias are
# summed into the pre-activation $z$, the tanh squashes it into the new hidden state, and the
# output layer turns the new hidden state into a prediction.


# %%
def draw_rnn_cell():
    """The inside of one RNN cell: the two weighted inputs, their sum with the bias, the tanh,
    and the output layer."""
    fig, ax = plt.subplots(figsize=(9, 5.6))
    arrow = dict(arrowstyle="-|>", color="black", lw=1.3, mutation_scale=14, shrinkA=0, shrinkB=0)
    ax.add_patch(FancyBboxPatch((1.2, 0.7), 8.3, 6.0, boxstyle="round,pad=0.1", fc="#eef4fb", ec="#2b5d8a", lw=1.5))
    ax.text(1.45, 6.35, "RNN cell", fontsize=10, color="#2b5d8a")

    def node(x, y, text, color="#ffffff", width=1.3):
        ax.add_patch(FancyBboxPatch((x - width / 2, y - 0.3), width, 0.6, boxstyle="round,pad=0.05", fc=color, ec="black"))
        ax.text(x, y, text, ha="center", va="center", fontsize=12)

    def line(start, end, head=True):
        ax.annotate("", xy=end, xytext=start, arrowprops=arrow if head else dict(arrow, arrowstyle="-"))

    node(3.1, 2.6, r"$W_{aa}\,\cdot$")
    node(5.0, 1.5, r"$W_{ax}\,\cdot$")
    ax.add_patch(plt.Circle((5.0, 2.6), 0.3, fc="white", ec="black"))
    ax.text(5.0, 2.6, "+", ha="center", va="center", fontsize=14)
    node(6.8, 2.6, r"$\tanh$", color="#ffe9b3")
    node(8.1, 4.0, r"$W_{ya}\,\cdot$")
    ax.add_patch(plt.Circle((8.1, 5.0), 0.3, fc="white", ec="black"))
    ax.text(8.1, 5.0, "+", ha="center", va="center", fontsize=14)
    node(8.1, 6.0, "softmax", color="#ffe9b3", width=1.6)

    line((0.0, 2.6), (2.45, 2.6))  # a_prev in
    ax.text(0.0, 2.8, r"$a^{\langle t-1 \rangle}$" + "\n(n_a, m)", fontsize=11, va="bottom")
    line((5.0, -0.4), (5.0, 1.2))  # x in
    ax.text(5.15, -0.45, r"$x^{\langle t \rangle}$  (n_x, m)", fontsize=11, va="bottom")
    line((3.75, 2.6), (4.7, 2.6))
    line((5.0, 1.8), (5.0, 2.3))
    line((4.1, 3.6), (4.8, 2.82))  # bias
    ax.text(3.7, 3.65, r"$b_a$", fontsize=12)
    line((5.3, 2.6), (6.15, 2.6))
    ax.text(5.45, 2.75, "z", fontsize=10, color="#555555")
    line((7.45, 2.6), (10.8, 2.6))  # a_next out
    ax.text(9.7, 2.2, r"$a^{\langle t \rangle}$ (n_a, m)" + "\nto step t+1", fontsize=11, va="top")
    ax.plot([8.1, 8.1], [2.6, 3.7], color="black", lw=1.3)  # branch up to the output layer
    ax.plot(8.1, 2.6, "o", color="black", ms=4)
    line((8.1, 3.62), (8.1, 3.7))
    line((8.1, 4.3), (8.1, 4.7))
    line((9.1, 5.0), (8.4, 5.0))
    ax.text(9.2, 5.0, r"$b_y$", fontsize=12, va="center")
    line((8.1, 5.3), (8.1, 5.7))
    line((8.1, 6.3), (8.1, 7.6))  # y out
    ax.text(8.3, 7.3, r"$\hat y^{\langle t \rangle}$  (n_y, m)", fontsize=11)
    ax.set_title("Inside one RNN cell: the same weights at every time step", fontsize=11)
    ax.set(xlim=(-0.3, 11.0), ylim=(-0.6, 7.9))
    ax.axis("off")
    return fig


draw_rnn_cell()
plt.show()

# %% [markdown]
# The backward pass (notebook 05) will need the values of the forward pass, so the cell also
# returns a **cache**: the tuple `(a_next, a_prev, xt, parameters)`.
#
# **Exercise 2.** Write `rnn_cell_forward`, using your `softmax`.

# %% exercise="rnn_cell_forward"
from solutions.rnn_forward import rnn_cell_forward

# %% [markdown]
# The visible tests switch the terms on one at a time: with every parameter zero except one,
# the output depends on that one term only, so a failing test names the wrong term. The first
# keeps only the bias $b_a$, whose values lie on both sides of 0 and beyond $\pm 1$: that
# checks the activation itself.

# %%
n_x, n_a, n_y, m = 3, 4, 2, 5  # all different, so that a swapped axis shows
rng = np.random.default_rng(1)
xt_demo = rng.standard_normal((n_x, m))
a_prev_demo = rng.standard_normal((n_a, m))
full = {name: rng.standard_normal(value.shape) for name, value in init_rnn_parameters(n_x, n_a, n_y).items()}
full["ba"] = np.array([[-2.0], [-0.5], [0.5], [2.0]])


def only(*names):
    """The parameters `full` with every array zeroed except the named ones."""
    return {name: value if name in names else np.zeros_like(value) for name, value in full.items()}


def close(mine, expected):
    """The same shape and values (np.allclose alone would broadcast a wrong shape)."""
    return np.shape(mine) == np.shape(expected) and np.allclose(mine, expected)


a_next, yt_pred, cache = rnn_cell_forward(xt_demo, a_prev_demo, full)
print("a_next =\n", a_next, "\nyt_pred =\n", yt_pred)
assert a_next.shape == (n_a, m), f"a_next should have shape (n_a, m) = {(n_a, m)}"
assert yt_pred.shape == (n_y, m), f"yt_pred should have shape (n_y, m) = {(n_y, m)}"

# Only the hidden bias: the pre-activation is ba in every column, and a_next is its tanh.
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("ba"))
z = full["ba"] * np.ones((1, m))
look_alikes = {
    "the pre-activation itself: the tanh is missing": z,
    "ReLU of the pre-activation: the activation is tanh, not ReLU": np.maximum(z, 0.0),
    "the sigmoid of the pre-activation: the activation is tanh, not the sigmoid": 1 / (1 + np.exp(-z)),
}
for looks_like, wrong in look_alikes.items():
    assert not close(a_next, wrong), f"a_next should be tanh(Waa a_prev + Wax xt + ba), but yours is {looks_like}"
assert close(a_next, np.tanh(z)), (
    "with every parameter 0 except ba, a_next should be tanh(ba) in every column: the hidden bias ba is missing or wrong"
)
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Wax"))
assert close(a_next, np.tanh(full["Wax"] @ xt_demo)), (
    "with every parameter 0 except Wax, a_next should be tanh(Wax @ xt): the input term Wax @ xt is wrong"
)
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Waa"))
assert not close(a_next, np.tanh(full["Waa"].T @ a_prev_demo)), (
    "Waa is transposed: the recurrent term is Waa @ a_prev (row i of Waa holds the weights INTO unit i)"
)
assert close(a_next, np.tanh(full["Waa"] @ a_prev_demo)), (
    "with every parameter 0 except Waa, a_next should be tanh(Waa @ a_prev): the recurrent term is wrong"
)
a_next, _, _ = rnn_cell_forward(xt_demo, a_prev_demo, full)
assert close(a_next, np.tanh(full["Waa"] @ a_prev_demo + full["Wax"] @ xt_demo + full["ba"])), (
    "each term is right on its own, but not all together: a_next is the tanh of the SUM Waa a_prev + Wax xt + ba"
)

# The output layer, compared with what your softmax makes of the right scores.
_, yt_pred, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("by"))
yours = softmax(np.zeros((n_y, m)) + full["by"])
if np.allclose(yours.sum(axis=0), 1.0):  # your softmax is right: so must the columns of yt_pred be
    assert np.allclose(yt_pred.sum(axis=0), 1.0), (
        "each column of yt_pred (one example) should sum to 1: is the softmax taken over the columns, axis 0?"
    )
assert close(yt_pred, yours), (
    "with Wya = 0, yt_pred should be softmax(by) in every column: the output bias by is missing or wrong"
)
a_next, yt_pred, _ = rnn_cell_forward(xt_demo, a_prev_demo, only("Wax", "Wya"))
assert close(yt_pred, softmax(full["Wya"] @ a_next)), (
    "yt_pred should be softmax(Wya @ a_next), of the NEW hidden state: the output term Wya @ a_next is wrong"
)

a_next, yt_pred, cache = rnn_cell_forward(xt_demo, a_prev_demo, full)
assert isinstance(cache, tuple) and len(cache) == 4, (
    "the cache should be the tuple (a_next, a_prev, xt, parameters)"
)
assert close(cache[0], a_next), "cache[0] should be a_next"
assert close(cache[1], a_prev_demo) and close(cache[2], xt_demo), "cache[1] should be a_prev and cache[2] xt"
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

# Every step is one call of your rnn_cell_forward, from the hidden state of the step before.
a1, y1, _ = rnn_cell_forward(x_demo[:, :, 0], a0_demo, full)
assert close(a[:, :, 0], a1), "a[:, :, 0] should be the a_next of step 0, which starts from a0"
assert close(y_pred[:, :, 0], y1), "y_pred[:, :, 0] should be the yt_pred of step 0"
a2, y2, _ = rnn_cell_forward(x_demo[:, :, 1], a1, full)
assert close(a[:, :, 1], a2), "step 1 should start from a[:, :, 0], the hidden state of step 0"
assert close(y_pred[:, :, 1], y2), "y_pred[:, :, 1] should be the prediction of step 1"
a5, y5, cache5 = rnn_cell_forward(x_demo[:, :, 4], a[:, :, 3], full)
assert close(a[:, :, 4], a5) and close(y_pred[:, :, 4], y5), "the last step should start from a[:, :, 3]"

assert isinstance(caches, tuple) and len(caches) == 2, "caches should be the tuple (list of caches, x)"
assert len(caches[0]) == 5 and caches[1] is x_demo, "caches should hold T_x = 5 cell caches, then x"
last_cache = caches[0][4]
assert len(last_cache) == len(cache5) and all(map(close, last_cache[:3], cache5[:3])), (
    "caches[0][t] should be the cache that rnn_cell_forward returned at step t"
)
print("rnn_forward: visible tests passed")

# %% hidden_tests="rnn_forward" points=2
# Hidden tests check a, y_pred and the caches for random sizes, parameters and sequences.

# %% [markdown]
# Here is what the network computes on `hello`. Column $t$ of each panel is time step $t$,
# after the cell has read the $t$-th letter: on the left the hidden state
# $a^{\langle t \rangle}$, on the right the prediction $\hat y^{\langle t \rangle}$, a
# probability for each of the 7 classes. In notebook 07 the classes are the letters and
# $\hat y^{\langle t \rangle}$ is the model's guess of the letter that comes **next**; this
# network is untrained, so its guesses mean nothing yet: every probability lies between 0.06
# and 0.33, around the uniform $1/7 \approx 0.14$.

# %%
a, y_pred, _ = rnn_forward(x_words, np.zeros((5, 2)), parameters)
steps = [f"{t + 1}\n'{letter}'" for t, letter in enumerate("hello")]
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
image = left.imshow(a[:, 0, :], cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
left.set(title=r"hidden state $a^{\langle t \rangle}$ of 'hello'", ylabel="hidden unit")
left.set_xlabel("time step t, and the letter read at step t")
left.set_xticks(range(5), steps)
fig.colorbar(image, ax=left)
image = right.imshow(y_pred[:, 0, :], cmap="viridis", vmin=0, aspect="auto")
right.set(title=r"prediction $\hat y^{\langle t \rangle}$ (untrained), made after step t", ylabel="class (the next letter, once trained)")
right.set_xlabel("time step t, and the letter read at step t")
right.set_xticks(range(5), steps)
right.set_yticks(range(7), [f"{k}: '{letter}'" for k, letter in enumerate(alphabet)])
fig.colorbar(image, ax=right, label="probability")
plt.tight_layout()
plt.show()
low, high = y_pred[:, 0, :].min(), y_pred[:, 0, :].max()
print(f"the predictions for 'hello' lie between {low:.2f} and {high:.2f}")
assert (f"{low:.2f}", f"{high:.2f}") == ("0.06", "0.33"), (
    "the text above quotes the range 0.06 to 0.33, computed with the course's functions: check rnn_forward"
)

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
words_bf = np.zeros((len(words), len(words[0]), len(alphabet)))  # (m, T_x, n_x), one row per letter
for i, word in enumerate(words):
    for t, letter in enumerate(word):
        words_bf[i, t, alphabet.index(letter)] = 1.0
back = to_time_major(words_bf)
print("back to (n_x, m, T_x):", back.shape)
assert back.shape == x_words.shape, "to_time_major should give the shape (n_x, m, T_x) = (7, 2, 5)"
assert np.array_equal(back, x_words), "to_time_major of the batch-first words should give x_words back"
cube = np.arange(27.0).reshape(3, 3, 3)
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

# %% [markdown]
# ## Further reading
#
# - The notation and the step-by-step structure of this notebook follow the programming
#   assignment "Building your Recurrent Neural Network – Step by Step" of the deeplearning.ai
#   *Sequence Models* course (Andrew Ng, Coursera).
# - J. L. Elman (1990), "Finding structure in time", *Cognitive Science* 14(2): the simple
#   recurrent network, trained to predict the next letter and the next word.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, chapter 10,
#   sections 10.1 and 10.2 (unfolding a computation in time; recurrent networks),
#   <https://www.deeplearningbook.org>.
# - A. Karpathy (2015), "The Unreasonable Effectiveness of Recurrent Neural Networks",
#   <http://karpathy.github.io/2015/05/21/rnn-effectiveness/>: what such a network learns from
#   text, which notebook 07 tries on a small scale.
# - Stanford's CS231n, assignment 3 (`rnn_layers.py`): the same cell and forward pass, written
#   batch-first, <https://cs231n.github.io>.
