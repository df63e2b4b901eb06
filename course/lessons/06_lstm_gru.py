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
# # 06 · LSTM and GRU: gated recurrent cells
#
# Notebook 05 measured the weakness of the plain RNN: the gradient that flows back from a late
# time step to an early one is multiplied, at every step, by $W_{aa}^\top$ and by the derivative
# of tanh, and over tens of steps it vanishes. The RNN cannot learn to connect events that lie
# far apart in a sequence.
#
# Two cells were designed to fix this. The **LSTM** (long short-term memory) adds a second state,
# the **cell state** $c$, which each step changes by an element-wise product and a sum instead
# of a matrix product and a tanh. The **GRU** (gated recurrent unit) does the same with a
# single state. Both use **gates**: vectors of numbers between 0 and 1, computed by a sigmoid,
# that decide element by element how much of each signal passes.
#
# This notebook builds both, one small step at a time:
#
# 1. the LSTM cell, forward (`lstm_cell_forward`), then the whole sequence (`lstm_forward`);
# 2. the LSTM backward pass, one step (`lstm_cell_backward`), then through time (`lstm_backward`),
#    each checked against numerical gradients;
# 3. the same four functions for the GRU;
# 4. the gradient-norm experiment of notebook 05, repeated for the LSTM and the GRU beside the RNN;
# 5. optionally, a comparison with PyTorch's `nn.LSTM` and `nn.GRU`.
#
# <!-- shared: how_to_work -->
#
# **When the notebook is graded**, nbgrader sets the environment variable `NBGRADER_EXECUTION`;
# the notebook then skips its two figures and the optional PyTorch comparison, so that grading
# takes seconds. Everything else runs as usual.
#
# The layout is that of notebooks 04 and 05: examples are columns, time is the last axis, `x`
# has shape $(n_x, m, T_x)$ and `a` has shape $(n_a, m, T_x)$.

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np

GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))  # set by nbgrader while it grades the notebook

# %% [markdown]
# Some visible tests build on an exercise before them: the backward pass is checked against the
# numerical gradient of your forward pass. Such a check runs only once the visible tests of what
# it builds on have passed, so that a mistake is always reported by the tests of the function
# that makes it. These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your functions from notebooks 01, 02, 04 and 05
#
# This notebook uses your functions of earlier notebooks: from notebook 01 `sigmoid` (the one that
# never overflows); from notebook 02 `eval_numerical_gradient` and `rel_error`; from notebook
# 04 `softmax` (over columns), `rnn_cell_forward` and `rnn_forward`; from notebook 05
# `rnn_cell_backward`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import sigmoid
from mywork import eval_numerical_gradient, rel_error
from mywork import softmax, rnn_cell_forward, rnn_forward
from mywork import rnn_cell_backward

# %%
with np.errstate(over="raise", invalid="raise", divide="raise"):
    assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0]), "check sigmoid"
    assert np.allclose(softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]])), 0.5), "check softmax"
assert np.isclose(eval_numerical_gradient(lambda v: np.sum(v**2), np.array([3.0]))[0], 6.0), (
    "check eval_numerical_gradient"
)
assert rel_error(np.zeros(2), np.zeros(2)) == 0.0, "check rel_error"
rnn_parameters_check = {
    "Wax": np.ones((2, 1)), "Waa": np.eye(2), "Wya": np.ones((3, 2)), "ba": np.zeros((2, 1)), "by": np.zeros((3, 1)),
}  # fmt: skip
a_check, y_check, caches_check = rnn_forward(np.ones((1, 1, 2)), np.zeros((2, 1)), rnn_parameters_check)
assert np.allclose(a_check[:, 0, 1], np.tanh(1 + np.tanh(1))), "check rnn_forward (and rnn_cell_forward)"
assert np.allclose(y_check, 1 / 3), "check rnn_forward's predictions"
assert np.allclose(
    rnn_cell_backward(np.ones((2, 1)), caches_check[0][1])["da_prev"], 1 - np.tanh(1 + np.tanh(1)) ** 2
), "check rnn_cell_backward"
print("The functions from notebooks 01, 02, 04 and 05 work.")

# %% [markdown]
# ## 1. The LSTM cell
#
# At time step $t$ the LSTM cell receives the input $x^{\langle t \rangle}$, the previous
# hidden state $a^{\langle t-1 \rangle}$ and the previous **cell state** $c^{\langle t-1 \rangle}$,
# and produces $a^{\langle t \rangle}$ and $c^{\langle t \rangle}$. Every gate looks at the same
# vector: the previous hidden state stacked on top of the input,
#
# $$ \text{concat} = \begin{bmatrix} a^{\langle t-1 \rangle} \\ x^{\langle t \rangle} \end{bmatrix}
#    \quad \text{of shape } (n_a + n_x, m). $$
#
# The cell computes three gates, a candidate cell state, the new states and a prediction:
#
# $$
# \begin{aligned}
# \Gamma_f^{\langle t \rangle} &= \sigma(W_f \, \text{concat} + b_f)
#   && \text{forget gate: how much old state to keep} \\
# \Gamma_u^{\langle t \rangle} &= \sigma(W_i \, \text{concat} + b_i)
#   && \text{update (input) gate: how much to write} \\
# \tilde c^{\langle t \rangle} &= \tanh(W_c \, \text{concat} + b_c)
#   && \text{candidate cell state} \\
# c^{\langle t \rangle} &= \Gamma_f^{\langle t \rangle} \odot c^{\langle t-1 \rangle}
#   + \Gamma_u^{\langle t \rangle} \odot \tilde c^{\langle t \rangle}
#   && \text{new cell state} \\
# \Gamma_o^{\langle t \rangle} &= \sigma(W_o \, \text{concat} + b_o)
#   && \text{output gate: how much to show} \\
# a^{\langle t \rangle} &= \Gamma_o^{\langle t \rangle} \odot \tanh(c^{\langle t \rangle})
#   && \text{new hidden state} \\
# \hat y^{\langle t \rangle} &= \operatorname{softmax}(W_y \, a^{\langle t \rangle} + b_y)
#   && \text{prediction}
# \end{aligned}
# $$
#
# where $\sigma$ is the sigmoid and $\odot$ multiplies entry by entry. Each $W_f, W_i, W_c, W_o$
# has shape $(n_a, n_a + n_x)$ and each bias $(n_a, 1)$; $W_y$ is $(n_y, n_a)$ and $b_y$ is
# $(n_y, 1)$. In the code the gates are `ft`, `it`, `ot` and the candidate is `cct`.
#
# The new cell state is the heart of the LSTM: the old state, scaled entry by entry by the
# forget gate, plus the new candidate, scaled by the update gate. No weight matrix and no
# squashing function sit on the path from $c^{\langle t-1 \rangle}$ to $c^{\langle t \rangle}$.
#
# The picture shows the cell. The previous hidden state and the input are joined into
# `concat`, from which the three gates (each a sigmoid, $\sigma$) and the candidate (a tanh)
# are computed. The cell state runs along the top, touched only by a product and a sum; the new
# hidden state leaves to the right, to the next step and, through the output layer, to the
# prediction $\hat y^{\langle t \rangle}$.


# %%
def draw_lstm_cell(ax):
    """One LSTM cell: the inputs joined into concat, the four gates with their nonlinearities,
    the cell-state line on top, and the outputs a_next (to the next step and to the prediction)
    and c_next."""
    box = dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor="black")
    gate = dict(boxstyle="round,pad=0.3", facecolor="#ffe9b3", edgecolor="#b07d00")
    op = dict(boxstyle="circle,pad=0.15", facecolor="#dbe9ff", edgecolor="#2155a5")
    arrow = dict(arrowstyle="->", color="black", lw=1.2, shrinkA=0, shrinkB=0)

    def line(start, end, head=True, **style):
        ax.annotate(
            "", xy=end, xytext=start, arrowprops=dict(arrow, arrowstyle="->" if head else "-", **style)
        )

    ax.add_patch(plt.Rectangle((1.2, 0.55), 9.1, 5.35, facecolor="#f4f4f4", edgecolor="grey"))
    # The operations on the cell state and the hidden state.
    ops = {"forget": (2.8, 5.2, r"$\times$"), "write": (5.6, 4.1, r"$\times$"), "plus": (5.6, 5.2, r"$+$"),
           "tanh": (8.8, 4.15, "tanh"), "show": (8.8, 3.1, r"$\times$")}  # fmt: skip
    for x, y, label in ops.values():
        ax.text(
            x, y, label, ha="center", va="center", bbox=op, fontsize=12 if label != "tanh" else 9, zorder=3
        )
    # The cell-state line: c_prev -> x forget -> + -> c_next, with a branch down to the tanh.
    line((0.0, 5.2), (2.55, 5.2))
    line((3.05, 5.2), (5.35, 5.2))
    line((5.85, 5.2), (10.7, 5.2))
    ax.text(0.0, 5.4, r"$c^{\langle t-1 \rangle}$", fontsize=12)
    ax.text(10.1, 5.4, r"$c^{\langle t \rangle}$", fontsize=12)
    line((8.8, 5.2), (8.8, 4.45))
    line((8.8, 3.85), (8.8, 3.35))
    line((5.6, 4.35), (5.6, 4.95))
    # The inputs, joined into concat, which feeds the four gates.
    ax.text(5.6, 1.05, r"concat $= [a^{\langle t-1 \rangle};\, x^{\langle t \rangle}]$", ha="center", va="center",
            bbox=box, fontsize=11, zorder=3)  # fmt: skip
    line((0.0, 1.05), (4.12, 1.05))
    ax.text(0.0, 1.25, r"$a^{\langle t-1 \rangle}$", fontsize=12)
    line((5.6, -0.35), (5.6, 0.75))
    ax.text(5.75, -0.3, r"$x^{\langle t \rangle}$", fontsize=12)
    ax.plot([2.8, 8.1], [1.75, 1.75], color="black", lw=1.2)
    ax.plot([5.6, 5.6], [1.35, 1.75], color="black", lw=1.2)
    gates = [
        (2.8, r"$\Gamma_f = \sigma(\cdot)$" + "\nforget", (2.8, 4.95)),
        (4.55, r"$\Gamma_u = \sigma(\cdot)$" + "\nupdate", (5.4, 3.87)),
        (6.45, r"$\tilde c = \tanh(\cdot)$" + "\ncandidate", (5.8, 3.87)),
        (8.1, r"$\Gamma_o = \sigma(\cdot)$" + "\noutput", (8.55, 3.1)),
    ]
    for x, label, target in gates:
        line((x, 1.75), (x, 2.05))
        ax.text(x, 2.45, label, ha="center", va="center", bbox=gate, fontsize=9.5, zorder=3)
        if x == 8.1:  # the output gate: up, then right into the product
            ax.plot([x, x], [2.85, 3.1], color="black", lw=1.2)
            line((x, 3.1), target)
        else:
            line((x, 2.85), target)
    # The outputs: a_next to the next step, and through the output layer to the prediction.
    line((9.05, 3.1), (12.1, 3.1))
    ax.text(11.5, 2.75, r"$a^{\langle t \rangle}$", fontsize=12)
    ax.plot(11.2, 3.1, "o", color="black", ms=4)
    line((11.2, 3.1), (11.2, 6.25))
    ax.text(11.2, 6.55, r"softmax$(W_y\, a^{\langle t \rangle} + b_y)$", ha="center", va="center", bbox=box,
            fontsize=10, zorder=3)  # fmt: skip
    line((11.2, 6.85), (11.2, 7.45))
    ax.text(11.35, 7.3, r"$\hat y^{\langle t \rangle}$", fontsize=12)
    ax.set(xlim=(-0.2, 12.8), ylim=(-0.5, 7.7))
    ax.axis("off")


if not GRADING:
    fig, ax = plt.subplots(figsize=(10, 6.2))
    draw_lstm_cell(ax)
    ax.set_title("One LSTM cell: the cell state runs along the top")
    plt.show()

# %% [markdown]
# The parameters are made by `init_lstm_parameters`, given below: each weight is drawn with
# standard deviation $1/\sqrt{\text{fan-in}}$ and every bias starts at zero.

# %%
from solutions.lstm_gru import init_lstm_parameters  # noqa: F401

# %% [markdown]
# **Exercise 1.** Write `lstm_cell_forward`, using your `sigmoid` and `softmax`. The backward
# pass will need the values of the forward pass, so the cell returns a **cache**, the tuple
# `(a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)`, in this order.

# %% exercise="lstm_cell_forward"
from solutions.lstm_gru import lstm_cell_forward

# %% [markdown]
# The visible tests first open and close the gates on purpose. With every weight zero, a gate
# is the sigmoid of its bias, and a bias of $\pm 50$ makes it 1 or 0 (in float64 $\sigma(50)$
# rounds to exactly 1, and $\sigma(-50) < 10^{-21}$). So the first tests switch on one gate at a
# time and say which gate is wrong; the last one compares all the outputs for random parameters.

# %%
assert 1 / (1 + np.exp(-50.0)) == 1.0 and 1 / (1 + np.exp(50.0)) < 1e-21, "the text above says so"
n_x, n_a, n_y, m = 3, 5, 2, 4
rng = np.random.default_rng(1)
lstm_demo = init_lstm_parameters(n_x, n_a, n_y, seed=1)
for name in lstm_demo:
    if name.startswith("b"):  # non-zero biases, so that a forgotten bias shows
        lstm_demo[name] = 0.5 * rng.standard_normal(lstm_demo[name].shape)
xt_demo, a_prev_demo, c_prev_demo = (rng.standard_normal((n, m)) for n in (n_x, n_a, n_a))


def gates_only(**biases):
    """LSTM parameters with every weight zero and the given gate biases (others zero)."""
    parameters = {name: np.zeros_like(value) for name, value in lstm_demo.items()}
    for name, value in biases.items():
        parameters[name] = np.full_like(parameters[name], value)
    return parameters


# Forget gate open, update gate shut: the cell keeps its old state.
_, c_next, _, _ = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, gates_only(bf=50.0, bi=-50.0))
assert np.allclose(c_next, c_prev_demo), (
    "with the forget gate at 1 and the update gate at 0, c_next should be c_prev: "
    "the forget gate ft multiplies c_prev"
)
# Forget gate shut, update gate open: the cell is overwritten by the candidate tanh(bc).
_, c_next, _, _ = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, gates_only(bf=-50.0, bi=50.0, bc=0.7))
assert np.allclose(c_next, np.tanh(0.7)), (
    "with the forget gate at 0 and the update gate at 1, c_next should be the candidate "
    "tanh(Wc concat + bc): the update gate it multiplies cct"
)
# Output gate shut: the hidden state is 0, whatever the cell state.
a_next, _, _, _ = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, gates_only(bf=50.0, bo=-50.0))
assert np.allclose(a_next, 0.0), "with the output gate at 0, a_next should be 0: a_next = ot * tanh(c_next)"
a_next, _, _, _ = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, gates_only(bf=50.0, bo=50.0))
assert np.allclose(a_next, np.tanh(c_prev_demo)), (
    "with the output gate at 1 (and the cell keeping c_prev), a_next should be tanh(c_next)"
)

a_next, c_next, yt_pred, cache = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, lstm_demo)
print("a_next[:, 0] =", a_next[:, 0])
print("c_next[:, 0] =", c_next[:, 0])
print("yt_pred[:, 0] =", yt_pred[:, 0])
assert a_next.shape == (n_a, m) and c_next.shape == (n_a, m), "a_next and c_next should have shape (n_a, m)"
assert yt_pred.shape == (n_y, m), "yt_pred should have shape (n_y, m)"
assert np.allclose(c_next[:, 0], [0.88065096, -1.09722169, -0.45343109, 0.24274745, 0.64573998]), (
    "c_next is wrong for random parameters (the tests above passed: are the gates computed "
    "from concat = [a_prev; xt], in this order, with their biases?)"
)
assert np.allclose(a_next[:, 0], [0.51353435, -0.26049138, -0.23516256, 0.05180847, 0.23898157]), (
    "a_next is wrong for random parameters: a_next = ot * tanh(c_next), ot = sigmoid(Wo concat + bo)"
)
assert np.allclose(yt_pred[:, 0], [0.65677926, 0.34322074]), "yt_pred should be softmax(Wy a_next + by)"
assert isinstance(cache, tuple) and len(cache) == 10, (
    "the cache should be the tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)"
)
assert np.allclose(cache[1], c_next) and np.allclose(cache[3], c_prev_demo), (
    "cache[1] should be c_next and cache[3] c_prev"
)
assert np.all((cache[4] > 0) & (cache[4] < 1)), "cache[4] should be the forget gate ft, values in (0, 1)"
passed("lstm_cell_forward")

# %% hidden_tests="lstm_cell_forward" points=2
# Hidden tests check a_next, c_next, yt_pred and the cache for random sizes and parameters.

# %% [markdown]
# ## 2. The LSTM over a sequence
#
# As `rnn_forward` did with the RNN cell, `lstm_forward` runs the cell at every time step,
# each step receiving the hidden state **and** the cell state of the step before. The initial
# hidden state `a0` is given; the initial cell state is zero:
#
# $$ c^{\langle 0 \rangle} = 0, \qquad
#    \big(a^{\langle t \rangle}, c^{\langle t \rangle}, \hat y^{\langle t \rangle}\big)
#    = \text{LSTM cell}\big(x^{\langle t \rangle}, a^{\langle t-1 \rangle},
#      c^{\langle t-1 \rangle}\big), \quad t = 1, \dots, T_x . $$
#
# **Exercise 2.** Write `lstm_forward`, using your `lstm_cell_forward`. It returns the hidden
# states `a`, the predictions `y` and the cell states `c` of every step, and the caches
# `(list of the T_x cell caches, x)`. A loop over the time steps that calls `lstm_cell_forward`
# is all it takes.

# %% exercise="lstm_forward"
from solutions.lstm_gru import lstm_forward

# %%
T_x = 6
x_demo = rng.standard_normal((n_x, m, T_x))
a0_demo = rng.standard_normal((n_a, m))
a, y, c, caches = lstm_forward(x_demo, a0_demo, lstm_demo)
assert a.shape == (n_a, m, T_x) and c.shape == (n_a, m, T_x), "a and c should have shape (n_a, m, T_x)"
assert y.shape == (n_y, m, T_x), "y should have shape (n_y, m, T_x)"
a1, c1, y1, _ = lstm_cell_forward(x_demo[:, :, 0], a0_demo, np.zeros((n_a, m)), lstm_demo)
assert np.allclose(c[:, :, 0], c1) and np.allclose(a[:, :, 0], a1), (
    "step 0 should be lstm_cell_forward(x[:, :, 0], a0, c0) with a ZERO initial cell state c0"
)
a2, c2, _, _ = lstm_cell_forward(x_demo[:, :, 1], a1, c1, lstm_demo)
assert np.allclose(c[:, :, 1], c2), "step 1 should receive the cell state c of step 0"
assert np.allclose(a[:, :, 1], a2), "step 1 should receive the hidden state a of step 0"
a_last, c_last, y_last, _ = lstm_cell_forward(x_demo[:, :, -1], a[:, :, -2], c[:, :, -2], lstm_demo)
print("a[:, 1, -1] =", a[:, 1, -1])
print("c[:, 1, -1] =", c[:, 1, -1])
assert np.allclose(a[:, :, -1], a_last) and np.allclose(c[:, :, -1], c_last), (
    "the states of the last step should be those of your cell, from the states of the step before"
)
assert np.allclose(y[:, :, -1], y_last), "y[:, :, t] should be the prediction yt_pred of step t"
assert isinstance(caches, tuple) and len(caches) == 2 and len(caches[0]) == T_x, (
    "caches should be the tuple (list of the T_x cell caches, x)"
)
passed("lstm_forward")

# %% hidden_tests="lstm_forward" points=2
# Hidden tests check a, y, c and the caches for random sizes, parameters and sequences.

# %% [markdown]
# ## 3. The LSTM backward pass, one step
#
# The backward pass of a cell receives the gradients of the loss with respect to its two
# outputs, $da_{\text{next}} = \partial L / \partial a^{\langle t \rangle}$ and
# $dc_{\text{next}} = \partial L / \partial c^{\langle t \rangle}$ (the part that comes from
# step $t+1$), and returns the gradients with respect to its inputs and parameters. Derive them
# before you read on, following the picture backwards:
#
# 1. $dc$, the whole gradient reaching $c^{\langle t \rangle}$: the cell state is used twice,
#    by step $t+1$ and by $a^{\langle t \rangle} = \Gamma_o \odot \tanh(c^{\langle t \rangle})$;
# 2. the gradients at the inputs of the four nonlinearities (the pre-activations of
#    $\Gamma_o$, $\tilde c$, $\Gamma_u$ and $\Gamma_f$), with the derivatives written with the
#    outputs, $\sigma' = s(1 - s)$ and $\tanh' = 1 - t^2$ (notebook 01);
# 3. for each gate $g \in \{f, i, c, o\}$, a layer $W_g\,\text{concat} + b_g$: $dW_g$, $db_g$ and
#    its share of $d\,\text{concat}$, which splits into $da_{\text{prev}}$ and $dx_t$;
# 4. $dc_{\text{prev}}$, the gradient sent back along the cell state.
#
# **Exercise 3.** Write `lstm_cell_backward`. It returns a dict with the keys `dxt`,
# `da_prev`, `dc_prev`, `dWf`, `dWi`, `dWc`, `dWo`, `dbf`, `dbi`, `dbc` and `dbo`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# The cell state's total gradient adds its two uses:
#
# $$ dc = dc_{\text{next}} + da_{\text{next}} \odot \Gamma_o \odot
#    \big(1 - \tanh^2(c^{\langle t \rangle})\big) . $$
#
# Then the gradients at the pre-activations of the four nonlinearities:
#
# $$
# \begin{aligned}
# d\Gamma_o' &= da_{\text{next}} \odot \tanh(c^{\langle t \rangle}) \odot \Gamma_o (1 - \Gamma_o) \\
# d\tilde c' &= dc \odot \Gamma_u \odot (1 - \tilde c^{\,2}) \\
# d\Gamma_u' &= dc \odot \tilde c \odot \Gamma_u (1 - \Gamma_u) \\
# d\Gamma_f' &= dc \odot c^{\langle t-1 \rangle} \odot \Gamma_f (1 - \Gamma_f)
# \end{aligned}
# $$
#
# Each gate $g \in \{f, i, c, o\}$ is a layer $W_g\,\text{concat} + b_g$, so, with $dg'$ its
# gradient above, as for any layer with examples in columns:
#
# $$ dW_g = dg' \; \text{concat}^\top, \qquad db_g = \sum_{\text{columns}} dg', \qquad
#    d\,\text{concat} = \sum_{g} W_g^\top \, dg' . $$
#
# The first $n_a$ rows of $d\,\text{concat}$ are $da_{\text{prev}}$, the last $n_x$ rows
# $dx_t$. Finally, the cell-state gradient sent back to step $t-1$ goes through the forget gate:
#
# $$ dc_{\text{prev}} = dc \odot \Gamma_f . $$
#
# </details>

# %% exercise="lstm_cell_backward"
from solutions.lstm_gru import lstm_cell_backward

# %% [markdown]
# The tests need the caches of your `lstm_cell_forward`, so they run once its visible tests
# have passed. The first sends back only a cell-state gradient of ones ($da_{\text{next}} = 0$):
# it must reach $c^{\langle t-1 \rangle}$ multiplied by the forget gate, and nothing reaches the
# output gate. Then the real test: every gradient against the numerical gradient of the loss
# $L = \sum a^{\langle t \rangle} \odot da_{\text{next}} + \sum c^{\langle t \rangle} \odot
# dc_{\text{next}}$, on a tiny cell, computed with your `eval_numerical_gradient` (which nudges
# one array in place; the loss reads the arrays, so it sees every nudge). Expect relative
# errors around $10^{-8}$ or smaller (round-off of the centred difference); the tests accept up to
# $10^{-6}$, while a wrong gradient is off by far more.

# %%
LSTM_KEYS = ["dxt", "da_prev", "dc_prev", "dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo"]
rng_check = np.random.default_rng(2)  # a tiny cell for the numerical checks of this notebook
p_check = init_lstm_parameters(2, 3, 2, seed=2)
for name in p_check:
    p_check[name] = p_check[name] + 0.5 * rng_check.standard_normal(p_check[name].shape)
xt_check, a_prev_check, c_prev_check = (rng_check.standard_normal((n, 2)) for n in (2, 3, 3))
da_next_check, dc_next_check = rng_check.standard_normal((3, 2)), rng_check.standard_normal((3, 2))


def lstm_cell_loss(_):  # reads every array from the variables above, where they are nudged
    a_next, c_next, _, _ = lstm_cell_forward(xt_check, a_prev_check, c_prev_check, p_check)
    return np.sum(a_next * da_next_check) + np.sum(c_next * dc_next_check)


if needs("lstm_cell_forward"):
    _, _, _, cache = lstm_cell_forward(xt_demo, a_prev_demo, c_prev_demo, lstm_demo)
    ft = cache[4]
    grads = lstm_cell_backward(np.zeros((n_a, m)), np.ones((n_a, m)), cache)
    assert sorted(grads) == sorted(LSTM_KEYS), f"the gradients dict should have the keys {LSTM_KEYS}"
    assert np.allclose(grads["dc_prev"], ft), (
        "with da_next = 0 and dc_next = 1, dc_prev should be the forget gate ft: the cell-state "
        "gradient reaches c_prev multiplied by ft"
    )
    assert np.allclose(grads["dWo"], 0) and np.allclose(grads["dbo"], 0), (
        "with da_next = 0, the output gate gets no gradient: dWo and dbo should be 0"
    )

    _, _, _, cache = lstm_cell_forward(xt_check, a_prev_check, c_prev_check, p_check)
    grads = lstm_cell_backward(da_next_check, dc_next_check, cache)
    inputs = {"dxt": xt_check, "da_prev": a_prev_check, "dc_prev": c_prev_check}
    errors = {
        key: rel_error(grads[key], eval_numerical_gradient(lstm_cell_loss, inputs[key] if key in inputs else p_check[key[1:]]))
        for key in LSTM_KEYS
    }  # fmt: skip
    print("  ".join(f"{key} {error:.1e}" for key, error in errors.items()))
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, (
        f"grads['{worst}'] does not match the numerical gradient (relative error {errors[worst]:.1e})"
    )
    passed("lstm_cell_backward")

# %% hidden_tests="lstm_cell_backward" points=3
# Hidden tests check every gradient for random sizes, parameters and upstream gradients.

# %% [markdown]
# ## 4. Backpropagation through time for the LSTM
#
# Going backwards from the last step to the first, as in `rnn_backward` (notebook 05), with
# one more state to carry. Derive, before you read on, what gradient reaches the hidden state
# and the cell state of step $t$, what happens at the last step, and how the gradients of the
# weights, of `x` and of `a0` are assembled from the cells' gradients.
#
# **Exercise 4.** Write `lstm_backward`, using your `lstm_cell_backward`. A loop over the steps
# in reverse is all it takes.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# - The hidden state $a^{\langle t \rangle}$ receives `da[:, :, t]` from the outputs **plus**
#   the `da_prev` that step $t+1$ sent back;
# - the cell state $c^{\langle t \rangle}$ receives only the `dc_prev` that step $t+1$ sent back
#   (zero at the last step: nothing after it uses $c^{\langle T_x \rangle}$);
# - the same weights are used at every step, so their gradients are **summed** over the steps;
# - `dx[:, :, t]` is the `dxt` of step $t$, and `da0` is the `da_prev` of the first step.
#
# </details>

# %% exercise="lstm_backward"
from solutions.lstm_gru import lstm_backward

# %% [markdown]
# The test, once your forward pass and `lstm_cell_backward` have passed theirs: every gradient
# against the numerical gradient of $L = \sum a \odot da$ over the whole sequence, for a random
# upstream gradient `da` on every hidden state.

# %%
x_check = rng_check.standard_normal((2, 2, 4))
a0_check = rng_check.standard_normal((3, 2))
da_check = rng_check.standard_normal((3, 2, 4))


def lstm_loss(_):
    a, _, _, _ = lstm_forward(x_check, a0_check, p_check)
    return np.sum(a * da_check)


if needs("lstm_cell_forward", "lstm_forward", "lstm_cell_backward"):
    _, _, _, caches = lstm_forward(x_check, a0_check, p_check)
    grads = lstm_backward(da_check, caches)
    keys = ["dx", "da0", "dWf", "dWi", "dWc", "dWo", "dbf", "dbi", "dbc", "dbo"]
    assert sorted(grads) == sorted(keys), f"the gradients dict should have the keys {keys}"
    inputs = {"dx": x_check, "da0": a0_check}
    errors = {
        key: rel_error(grads[key], eval_numerical_gradient(lstm_loss, inputs[key] if key in inputs else p_check[key[1:]]))
        for key in keys
    }  # fmt: skip
    print("  ".join(f"{key} {error:.1e}" for key, error in errors.items()))
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, (
        f"grads['{worst}'] does not match the numerical gradient (relative error {errors[worst]:.1e}); "
        "is da_prev added to da[:, :, t], is dc_prev carried, are the weight gradients summed?"
    )
    passed("lstm_backward")

# %% hidden_tests="lstm_backward" points=3
# Hidden tests check every gradient for random sizes, sequences and upstream gradients.

# %% [markdown]
# ## 5. The GRU cell
#
# The GRU keeps one state, $a$, and two gates. We use PyTorch's equations, so that the weights
# map one to one onto `torch.nn.GRU` (section 10):
#
# $$
# \begin{aligned}
# r &= \sigma(W_r \, \text{concat} + b_r) && \text{reset gate} \\
# z &= \sigma(W_z \, \text{concat} + b_z) && \text{update gate} \\
# h_n &= W_{na} \, a^{\langle t-1 \rangle} + b_{na} && \text{hidden part of the candidate} \\
# n &= \tanh\big(W_{nx} \, x^{\langle t \rangle} + b_{nx} + r \odot h_n\big) && \text{candidate state} \\
# a^{\langle t \rangle} &= (1 - z) \odot n + z \odot a^{\langle t-1 \rangle} && \text{new hidden state} \\
# \hat y^{\langle t \rangle} &= \operatorname{softmax}(W_y \, a^{\langle t \rangle} + b_y) && \text{prediction}
# \end{aligned}
# $$
#
# with concat $= [a^{\langle t-1 \rangle}; x^{\langle t \rangle}]$ as before. The update gate
# $z$ interpolates: where $z = 1$ the unit keeps its old value, where $z = 0$ it takes the
# candidate. The reset gate $r$ decides how much of the old state goes into the candidate; it
# multiplies the whole hidden part $h_n$, bias included, which is why the candidate has
# separate input weights $W_{nx}$ $(n_a, n_x)$ and hidden weights $W_{na}$ $(n_a, n_a)$. (The
# original GRU paper multiplies $a^{\langle t-1 \rangle}$ by $r$ before the product; PyTorch
# and cuDNN use the form above.) `init_gru_parameters` makes the parameters:

# %%
from solutions.lstm_gru import init_gru_parameters  # noqa: F401

# %% [markdown]
# **Exercise 5.** Write `gru_cell_forward`. Its cache is the tuple
# `(a_next, a_prev, xt, r, z, n, hn, parameters)`.

# %% exercise="gru_cell_forward"
from solutions.lstm_gru import gru_cell_forward

# %%
gru_demo = init_gru_parameters(n_x, n_a, n_y, seed=1)
for name in gru_demo:
    if name.startswith("b"):
        gru_demo[name] = 0.5 * rng.standard_normal(gru_demo[name].shape)


def gru_gates(bz, br):
    """gru_demo with the gate weights zeroed and the gates' biases set to bz and br."""
    parameters = dict(gru_demo, Wz=np.zeros_like(gru_demo["Wz"]), Wr=np.zeros_like(gru_demo["Wr"]))
    return dict(parameters, bz=np.full((n_a, 1), bz), br=np.full((n_a, 1), br))


a_next, _, _ = gru_cell_forward(xt_demo, a_prev_demo, gru_gates(bz=50.0, br=0.0))
assert np.allclose(a_next, a_prev_demo), "with the update gate z at 1, a_next should be a_prev"
a_next, _, _ = gru_cell_forward(xt_demo, a_prev_demo, gru_gates(bz=-50.0, br=-50.0))
assert np.allclose(a_next, np.tanh(gru_demo["Wnx"] @ xt_demo + gru_demo["bnx"])), (
    "with z = 0 and the reset gate r = 0, a_next should be the candidate with no hidden part, "
    "tanh(Wnx xt + bnx)"
)
a_next, _, _ = gru_cell_forward(xt_demo, a_prev_demo, gru_gates(bz=-50.0, br=50.0))
hidden_part = gru_demo["Wna"] @ a_prev_demo + gru_demo["bna"]
assert np.allclose(a_next, np.tanh(gru_demo["Wnx"] @ xt_demo + gru_demo["bnx"] + hidden_part)), (
    "with z = 0 and r = 1, a_next should be tanh(Wnx xt + bnx + Wna a_prev + bna)"
)

a_next, yt_pred, cache = gru_cell_forward(xt_demo, a_prev_demo, gru_demo)
print("a_next[:, 0] =", a_next[:, 0])
assert a_next.shape == (n_a, m) and yt_pred.shape == (n_y, m), "a_next should be (n_a, m), yt_pred (n_y, m)"
assert np.allclose(a_next[:, 0], [-0.41039415, -0.47999203, 0.46096897, 0.6637424, 0.69254671]), (
    "a_next is wrong for random parameters (the tests above passed: are r and z computed from "
    "concat = [a_prev; xt], with their biases?)"
)
assert np.allclose(yt_pred[:, 0], [0.47771236, 0.52228764]), "yt_pred should be softmax(Wy a_next + by)"
assert isinstance(cache, tuple) and len(cache) == 8, (
    "the cache should be (a_next, a_prev, xt, r, z, n, hn, parameters)"
)
assert np.allclose(cache[6], gru_demo["Wna"] @ a_prev_demo + gru_demo["bna"]), (
    "cache[6] should be hn = Wna a_prev + bna"
)
passed("gru_cell_forward")

# %% hidden_tests="gru_cell_forward" points=2
# Hidden tests check a_next, yt_pred and the cache for random sizes and parameters.

# %% [markdown]
# ## 6. The GRU over a sequence
#
# **Exercise 6.** Write `gru_forward`, using your `gru_cell_forward`: as `rnn_forward`, with
# `a0` as the initial hidden state, returning `a`, `y_pred` and the caches
# `(list of the T_x cell caches, x)`. (Its signature and outputs are those of `rnn_forward`,
# so a GRU can replace an RNN anywhere.)

# %% exercise="gru_forward"
from solutions.lstm_gru import gru_forward

# %%
a, y, caches = gru_forward(x_demo, a0_demo, gru_demo)
assert a.shape == (n_a, m, T_x) and y.shape == (n_y, m, T_x), (
    "a should be (n_a, m, T_x), y_pred (n_y, m, T_x)"
)
a1, _, _ = gru_cell_forward(x_demo[:, :, 0], a0_demo, gru_demo)
assert np.allclose(a[:, :, 0], a1), "step 0 should be gru_cell_forward(x[:, :, 0], a0, parameters)"
a_last, y_last, _ = gru_cell_forward(x_demo[:, :, -1], a[:, :, -2], gru_demo)
print("a[:, 1, -1] =", a[:, 1, -1])
assert np.allclose(a[:, :, -1], a_last), (
    "the hidden state of the last step is wrong: does each step receive the a_next of the step before?"
)
assert np.allclose(y[:, :, -1], y_last), "y_pred[:, :, t] should be the prediction yt_pred of step t"
assert isinstance(caches, tuple) and len(caches) == 2 and len(caches[0]) == T_x, (
    "caches should be the tuple (list of the T_x cell caches, x)"
)
passed("gru_forward")

# %% hidden_tests="gru_forward" points=1
# Hidden tests check a, y_pred and the caches for random sizes, parameters and sequences.

# %% [markdown]
# ## 7. The GRU backward pass, one step
#
# Given $da_{\text{next}}$, derive, before you read on: the gradients at the pre-activations of
# the candidate $n$ and of the gates $z$ and $r$ (and at $h_n$, which $r$ multiplies); from them
# the gradients of the six parameters; and the gradients with respect to $a^{\langle t-1
# \rangle}$ and $x^{\langle t \rangle}$. Count the paths by which $a^{\langle t-1 \rangle}$
# reaches $a^{\langle t \rangle}$: there are four.
#
# **Exercise 7.** Write `gru_cell_backward`. It returns a dict with the keys `dxt`, `da_prev`,
# `dWr`, `dbr`, `dWz`, `dbz`, `dWnx`, `dbnx`, `dWna` and `dbna`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# The gradients at the pre-activations of the candidate and the two gates are
#
# $$
# \begin{aligned}
# dn' &= da_{\text{next}} \odot (1 - z) \odot (1 - n^2) \\
# dz' &= da_{\text{next}} \odot (a^{\langle t-1 \rangle} - n) \odot z (1 - z) \\
# dh_n &= dn' \odot r \\
# dr' &= dn' \odot h_n \odot r (1 - r)
# \end{aligned}
# $$
#
# and from them, each layer as before:
#
# $$
# \begin{aligned}
# dW_r &= dr' \,\text{concat}^\top, & db_r &= \textstyle\sum_{\text{columns}} dr', \\
# dW_z &= dz' \,\text{concat}^\top, & db_z &= \textstyle\sum_{\text{columns}} dz', \\
# dW_{nx} &= dn' \, x^{\langle t \rangle\top}, & db_{nx} &= \textstyle\sum_{\text{columns}} dn', \\
# dW_{na} &= dh_n \, a^{\langle t-1 \rangle\top}, & db_{na} &= \textstyle\sum_{\text{columns}} dh_n .
# \end{aligned}
# $$
#
# The gradient with respect to $a^{\langle t-1 \rangle}$ collects four paths: through the two
# gates (the first $n_a$ rows of $W_r^\top dr' + W_z^\top dz'$), through the candidate's hidden
# part ($W_{na}^\top dh_n$), and the **direct** path of the interpolation, $da_{\text{next}}
# \odot z$. The gradient with respect to $x^{\langle t \rangle}$ is the last $n_x$ rows of
# $W_r^\top dr' + W_z^\top dz'$ plus $W_{nx}^\top dn'$.
#
# </details>

# %% exercise="gru_cell_backward"
from solutions.lstm_gru import gru_cell_backward

# %% [markdown]
# As for the LSTM, the tests use the caches of your `gru_cell_forward`, so they run once its
# visible tests have passed: a cell whose update gate is open copies $a^{\langle t-1 \rangle}$,
# so the whole gradient must go straight back; then every gradient against the numerical one.

# %%
GRU_KEYS = ["dxt", "da_prev", "dWr", "dbr", "dWz", "dbz", "dWnx", "dbnx", "dWna", "dbna"]
g_check = init_gru_parameters(2, 3, 2, seed=3)
for name in g_check:
    g_check[name] = g_check[name] + 0.5 * rng_check.standard_normal(g_check[name].shape)


def gru_cell_loss(_):
    a_next, _, _ = gru_cell_forward(xt_check, a_prev_check, g_check)
    return np.sum(a_next * da_next_check)


if needs("gru_cell_forward"):
    _, _, cache = gru_cell_forward(xt_demo, a_prev_demo, gru_gates(bz=50.0, br=0.0))
    grads = gru_cell_backward(np.ones((n_a, m)), cache)
    assert sorted(grads) == sorted(GRU_KEYS), f"the gradients dict should have the keys {GRU_KEYS}"
    assert np.allclose(grads["da_prev"], 1.0), (
        "with z = 1, a_next = a_prev, so da_prev should be da_next: the direct path da_next * z"
    )

    _, _, cache = gru_cell_forward(xt_check, a_prev_check, g_check)
    grads = gru_cell_backward(da_next_check, cache)
    inputs = {"dxt": xt_check, "da_prev": a_prev_check}
    errors = {
        key: rel_error(grads[key], eval_numerical_gradient(gru_cell_loss, inputs[key] if key in inputs else g_check[key[1:]]))
        for key in GRU_KEYS
    }  # fmt: skip
    print("  ".join(f"{key} {error:.1e}" for key, error in errors.items()))
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, (
        f"grads['{worst}'] does not match the numerical gradient (relative error {errors[worst]:.1e})"
    )
    passed("gru_cell_backward")

# %% hidden_tests="gru_cell_backward" points=3
# Hidden tests check every gradient for random sizes, parameters and upstream gradients.

# %% [markdown]
# ## 8. Backpropagation through time for the GRU
#
# One state to carry, as in the RNN's `rnn_backward`: derive what reaches the hidden state of
# step $t$, and how the other gradients are assembled.
#
# **Exercise 8.** Write `gru_backward`, using your `gru_cell_backward`. It returns a dict with
# the keys `dx`, `da0`, `dWr`, `dbr`, `dWz`, `dbz`, `dWnx`, `dbnx`, `dWna` and `dbna`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# As for the RNN: the hidden state of step $t$ receives `da[:, :, t]` plus the `da_prev` of
# step $t+1$, the parameter gradients are summed over the steps, `dx[:, :, t]` is the `dxt` of
# step $t$ and `da0` the `da_prev` of the first step.
#
# </details>

# %% exercise="gru_backward"
from solutions.lstm_gru import gru_backward


# %%
def gru_loss(_):
    a, _, _ = gru_forward(x_check, a0_check, g_check)
    return np.sum(a * da_check)


if needs("gru_cell_forward", "gru_forward", "gru_cell_backward"):
    _, _, caches = gru_forward(x_check, a0_check, g_check)
    grads = gru_backward(da_check, caches)
    keys = ["dx", "da0", "dWr", "dbr", "dWz", "dbz", "dWnx", "dbnx", "dWna", "dbna"]
    assert sorted(grads) == sorted(keys), f"the gradients dict should have the keys {keys}"
    inputs = {"dx": x_check, "da0": a0_check}
    errors = {
        key: rel_error(grads[key], eval_numerical_gradient(gru_loss, inputs[key] if key in inputs else g_check[key[1:]]))
        for key in keys
    }  # fmt: skip
    print("  ".join(f"{key} {error:.1e}" for key, error in errors.items()))
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, (
        f"grads['{worst}'] does not match the numerical gradient (relative error {errors[worst]:.1e}); "
        "is da_prev added to da[:, :, t], are the parameter gradients summed over the steps?"
    )
    passed("gru_backward")

# %% hidden_tests="gru_backward" points=3
# Hidden tests check every gradient for random sizes, sequences and upstream gradients.

# %% [markdown]
# ## 9. Does the gradient survive? RNN, LSTM and GRU side by side
#
# Notebook 05 measured how much gradient flows back from the last hidden state to each earlier
# one: with the loss $L = \sum a^{\langle T_x \rangle}$ (an upstream gradient of ones on the
# last hidden state only), the norm of $\partial L / \partial a^{\langle t \rangle}$ at every
# step $t$. We repeat it for the three cells, on the same random sequence of $T_x = 50$ steps,
# with 32 hidden units and the weights of the `init_*_parameters` functions, and your forward
# functions and one-step backward functions. The LSTM's gradient flows back through two states,
# so for it we measure both together: the norm of the pair
# $(\partial L / \partial a^{\langle t \rangle}, \partial L / \partial c^{\langle t \rangle})$,
# the square root of the sum of all their squared entries.
#
# We run it twice. On the left, every bias is zero, as initialised. On the right, the gates that
# **keep** the old state start open: the LSTM's forget-gate bias $b_f$ and the GRU's
# update-gate bias $b_z$ are set to 2, so that $\Gamma_f$ and $z$ start near
# $\sigma(2) \approx 0.88$. (Starting the forget gate open is common practice: Keras's LSTM
# starts with a forget bias of 1 by default.) The RNN has no gate
# to open, so its curve is the same in both panels. The RNN's parameters come from notebook
# 04's `init_rnn_parameters`, given here:

# %%
from solutions.rnn_forward import init_rnn_parameters  # noqa: F401


# %%
def rnn_gradient_norms(x, a0, parameters):
    """||dL/da_t|| for t = 0 .. T_x-1, L = sum of the last hidden state, through the RNN."""
    _, _, (cache_list, _) = rnn_forward(x, a0, parameters)
    da, norms = np.ones_like(a0), []
    for cache in reversed(cache_list):
        norms.append(np.linalg.norm(da))
        da = rnn_cell_backward(da, cache)["da_prev"]
    return np.array(norms[::-1])


def lstm_gradient_norms(x, a0, parameters):
    """The same for the LSTM, whose gradient flows back through a AND c: ||(dL/da_t, dL/dc_t)||."""
    _, _, _, (cache_list, _) = lstm_forward(x, a0, parameters)
    da, dc, norms = np.ones_like(a0), np.zeros_like(a0), []
    for cache in reversed(cache_list):
        norms.append(np.sqrt(np.sum(da**2) + np.sum(dc**2)))
        grads = lstm_cell_backward(da, dc, cache)
        da, dc = grads["da_prev"], grads["dc_prev"]
    return np.array(norms[::-1])


def gru_gradient_norms(x, a0, parameters):
    """The same for the GRU."""
    _, _, (cache_list, _) = gru_forward(x, a0, parameters)
    da, norms = np.ones_like(a0), []
    for cache in reversed(cache_list):
        norms.append(np.linalg.norm(da))
        da = gru_cell_backward(da, cache)["da_prev"]
    return np.array(norms[::-1])


n_x_flow, n_a_flow, m_flow, T_flow = 4, 32, 8, 50
x_flow = np.random.default_rng(0).standard_normal((n_x_flow, m_flow, T_flow))
a0_flow = np.zeros((n_a_flow, m_flow))
rnn_flow = init_rnn_parameters(n_x_flow, n_a_flow, 3, seed=1)
norms = {}
for keep_bias in (0.0, 2.0):
    lstm_flow = init_lstm_parameters(n_x_flow, n_a_flow, 3, seed=1)
    lstm_flow["bf"] = np.full((n_a_flow, 1), keep_bias)
    gru_flow = init_gru_parameters(n_x_flow, n_a_flow, 3, seed=1)
    gru_flow["bz"] = np.full((n_a_flow, 1), keep_bias)
    norms[keep_bias] = {
        "RNN": rnn_gradient_norms(x_flow, a0_flow, rnn_flow),
        "LSTM": lstm_gradient_norms(x_flow, a0_flow, lstm_flow),
        "GRU": gru_gradient_norms(x_flow, a0_flow, gru_flow),
    }

titles = {0.0: "all biases zero", 2.0: r"keep-gates open: $b_f = b_z = 2$"}
if not GRADING:
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    for ax, (keep_bias, curves) in zip(axes, norms.items(), strict=True):
        measured = {"RNN": r"$\|da\|$", "LSTM": r"$\|(da, dc)\|$", "GRU": r"$\|da\|$"}
        for (name, curve), style in zip(curves.items(), ("-", "--", "-."), strict=True):
            ax.plot(
                np.arange(1, T_flow + 1), curve / curve[-1], style, lw=2, label=f"{name}: {measured[name]}"
            )
        ax.set(yscale="log", xlabel="time step $t$", title=titles[keep_bias])
        ax.grid(alpha=0.3, which="both")
        ax.legend()
    axes[0].set_ylabel(r"gradient norm at step $t$, relative to the last step")
    fig.suptitle(f"Gradient reaching step t from the last step (T = {T_flow})")
    plt.show()
reaching = {
    bias: {name: curve[0] / curve[-1] for name, curve in curves.items()} for bias, curves in norms.items()
}
for keep_bias, curves in norms.items():
    print(f"{titles[keep_bias].replace('$', ''):>28}: gradient at step 1 / at step {T_flow}: "
          + ",  ".join(f"{name} {reaching[keep_bias][name]:.1e}" for name in curves))  # fmt: skip
lstm_open = norms[2.0]["LSTM"] / norms[2.0]["LSTM"][-1]
print(f"LSTM, keep-gate open: one step back {lstm_open[-2]:.2f} of the gradient, {lstm_open.min():.2f} at the "
      f"lowest (step {lstm_open.argmin() + 1}), {lstm_open[0]:.2f} at step 1")  # fmt: skip

# %% [markdown]
# What the two panels show:
#
# - **The RNN's gradient vanishes**: from the last step back to the first it shrinks by a factor
#   of a few $10^{-8}$, a constant factor per step, as in notebook 05. Each step multiplies it by
#   $W_{aa}^\top$ and by $\tanh' = 1 - a^2 \le 1$.
# - **With the keep-gates open, the LSTM's and the GRU's gradients survive**: fifty steps back,
#   the LSTM's (of its hidden state and cell state together, the two ways the gradient flows
#   back through an LSTM) is even larger than at the last step, and the GRU's about a
#   hundredth, where the RNN receives a few hundred-millionths.
# - **With every bias zero, the gated cells vanish too**: the LSTM's gradient as fast as the
#   RNN's, the GRU's ten times faster.
# - **The LSTM's curve dips at the last step.** There the gradient of ones sits on
#   $a^{\langle T \rangle}$ alone. To enter the cell state it must pass the output gate (about
#   0.5 here) and the derivative of $\tanh(c)$, so one step back only 0.39 of it is left. From
#   there it travels mostly along the cell state, multiplied at every step by the forget gates
#   (0.87 on average, close to $\sigma(2) \approx 0.88$) and topped up through the gates'
#   weights; it sinks a little further, to 0.28 at step 44. Towards the start of the sequence,
#   where the states are still small (the network started from zero), the tanh derivatives are
#   close to 1 and the norm grows back, to 1.27 at step 1.
#
# The reason is the **additive cell-state path**. From $c^{\langle t \rangle} =
# \Gamma_f^{\langle t \rangle} \odot c^{\langle t-1 \rangle} + \Gamma_u^{\langle t \rangle}
# \odot \tilde c^{\langle t \rangle}$, the gradient that goes straight back along the cell
# state is (`dc_prev = dc * ft` in your `lstm_cell_backward`)
#
# $$ \frac{\partial c^{\langle t \rangle}}{\partial c^{\langle t-1 \rangle}}
#    = \Gamma_f^{\langle t \rangle} \quad \text{(entry by entry), so} \quad
#    \frac{\partial c^{\langle T \rangle}}{\partial c^{\langle t \rangle}}
#    = \prod_{k=t+1}^{T} \Gamma_f^{\langle k \rangle} : $$
#
# no weight matrix and no tanh derivative, only the forget gates. Where they are close to 1,
# the product stays close to 1 over many steps, and the gradient arrives. With $b_f = 0$ they
# start near $\sigma(0) = 0.5$, and $0.5^{50} \approx 10^{-15}$: the path is there, but closed.
# (The cell below checks every number of this section.)
# The GRU's direct path is the same idea: $a^{\langle t \rangle} = (1-z) \odot n + z \odot
# a^{\langle t-1 \rangle}$ sends $da_{\text{next}} \odot z$ straight back to
# $a^{\langle t-1 \rangle}$ (the direct path of your `gru_cell_backward`), a product of update
# gates over the steps, with no weight matrix either.
#
# The difference from the RNN is not that the gradient cannot vanish, but that the network
# **controls** it: the gates are computed from the data, unit by unit and step by step, and
# training can learn to hold a gate open as long as a memory must be kept, and to close it when
# the memory should be forgotten. The RNN has no such knob: its only factor is $W_{aa}$, which
# either shrinks the gradient or, made larger, makes it explode (notebook 05).

# %%
lstm_open_parameters = init_lstm_parameters(n_x_flow, n_a_flow, 3, seed=1)
lstm_open_parameters["bf"] = np.full((n_a_flow, 1), 2.0)
_, _, c_open, (open_caches, _) = lstm_forward(x_flow, a0_flow, lstm_open_parameters)
output_gate = np.mean([cache[7] for cache in open_caches])
forget_gate = np.mean([cache[4] for cache in open_caches])
sigma_2 = 1 / (1 + np.exp(-2.0))
cell_size = np.abs(c_open).mean(axis=(0, 1))
print(f"output gate on average {output_gate:.2f}, forget gate {forget_gate:.2f}; sigma(2) = {sigma_2:.2f}; "
      f"0.5 ** 50 = {0.5**50:.0e}; mean |c| at steps 1 and {T_flow}: {cell_size[0]:.2f} and {cell_size[-1]:.2f}")  # fmt: skip
if needs(
    "lstm_cell_forward",
    "lstm_forward",
    "lstm_cell_backward",
    "gru_cell_forward",
    "gru_forward",
    "gru_cell_backward",
):
    assert 1e-8 < reaching[0.0]["RNN"] < 1e-7, (
        "the text above says that the RNN keeps a few 1e-8 of its gradient"
    )
    assert (
        0.5 < reaching[0.0]["LSTM"] / reaching[0.0]["RNN"] < 2
        and 0.05 < reaching[0.0]["GRU"] / reaching[0.0]["RNN"] < 0.2
    ), (
        "the text above says that with zero biases the LSTM's gradient vanishes as fast as the RNN's, the GRU's ten times faster"
    )
    assert reaching[2.0]["LSTM"] > 1 and 0.005 < reaching[2.0]["GRU"] < 0.02, (
        "the text above says that with the keep-gates open the LSTM keeps all of its gradient and the GRU about 1/100"
    )
    lowest = (f"{lstm_open.min():.2f}", lstm_open.argmin() + 1)
    assert (f"{lstm_open[-2]:.2f}", lowest, f"{lstm_open[0]:.2f}") == ("0.39", ("0.28", 44), "1.27"), (
        "the text above quotes the LSTM's 0.39 one step back, 0.28 at step 44, 1.27 at step 1"
    )
    assert abs(output_gate - 0.5) < 0.05 and (f"{forget_gate:.2f}", f"{sigma_2:.2f}") == ("0.87", "0.88"), (
        "the text above says that the output gate is about 0.5 and the forget gate 0.87 on average, close to sigma(2) = 0.88"
    )
    assert f"{0.5**50:.0e}" == "9e-16", "the text above says that 0.5 ** 50 is about 1e-15"
    assert cell_size[0] < cell_size[-1] / 2, "the text above says that the states are small at the start"

# %% [markdown]
# ## 10. Optional: your LSTM and GRU against PyTorch
#
# If PyTorch is installed, the cell below copies the weights of a small random LSTM and GRU into
# `torch.nn.LSTM` and `torch.nn.GRU` (in float64), runs both implementations forward and
# backward on the same inputs, and prints the largest relative difference of every result.
#
# The weights map across like this. Our gate matrices act on $[a^{\langle t-1 \rangle};
# x^{\langle t \rangle}]$: their first $n_a$ columns are PyTorch's `weight_hh` (acting on the
# hidden state), the other $n_x$ columns its `weight_ih` (acting on the input). PyTorch stacks
# the gates along the rows, in the order $i, f, g, o$ for the LSTM (its $g$ is our candidate
# $\tilde c$) and $r, z, n$ for the GRU. It has two biases, `bias_ih` and `bias_hh`; ours go
# into `bias_ih`, except the GRU's $b_{na}$, which sits inside $r \odot (W_{na} a + b_{na})$
# and so is PyTorch's `bias_hh` of $n$.
#
# If PyTorch is not installed the cell says how to install it; it is not needed anywhere else.
# When the notebook is graded the cell does nothing.


# %%
def compare_with_torch():
    """Print the largest relative differences between our LSTM and GRU and PyTorch's."""
    import torch

    def max_rel(ours, theirs):
        theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
        return float(np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-300))

    def leaf(array):
        return torch.tensor(np.ascontiguousarray(array), dtype=torch.float64, requires_grad=True)

    def set_weights(module, weight_ih, weight_hh, bias_ih, bias_hh):
        module.double()
        with torch.no_grad():
            for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"),
                                   (weight_ih, weight_hh, bias_ih, bias_hh), strict=True):  # fmt: skip
                getattr(module, name).copy_(torch.from_numpy(np.ascontiguousarray(value)))

    rng_torch = np.random.default_rng(7)
    nx, na, ny, mm, T = 3, 4, 2, 2, 5
    x = rng_torch.standard_normal((nx, mm, T))
    a0 = rng_torch.standard_normal((na, mm))
    da = rng_torch.standard_normal((na, mm, T))
    x_t, h0 = leaf(x.transpose(1, 2, 0)), leaf(a0.T[None])  # PyTorch: (batch, time, features)
    da_t = torch.from_numpy(np.ascontiguousarray(da.transpose(1, 2, 0)))
    results = {}

    p = init_lstm_parameters(nx, na, ny, seed=7)
    for name in p:
        p[name] = p[name] + 0.3 * rng_torch.standard_normal(p[name].shape)
    a, _, _, caches = lstm_forward(x, a0, p)
    grads = lstm_backward(da, caches)
    lstm = torch.nn.LSTM(nx, na, batch_first=True)
    order = "ifco"  # PyTorch's i, f, g, o
    set_weights(lstm, np.vstack([p["W" + g][:, na:] for g in order]), np.vstack([p["W" + g][:, :na] for g in order]),
                np.concatenate([p["b" + g][:, 0] for g in order]), np.zeros(4 * na))  # fmt: skip
    h, _ = lstm(x_t, (h0, torch.zeros_like(h0)))
    (h * da_t).sum().backward()
    results["LSTM a"] = max_rel(a, h.detach().numpy().transpose(2, 0, 1))
    results["LSTM dx"] = max_rel(grads["dx"], x_t.grad.numpy().transpose(2, 0, 1))
    results["LSTM da0"] = max_rel(grads["da0"], h0.grad[0].numpy().T)
    for k, g in enumerate(order):
        rows = slice(k * na, (k + 1) * na)
        dW = np.hstack([lstm.weight_hh_l0.grad[rows].numpy(), lstm.weight_ih_l0.grad[rows].numpy()])
        results[f"LSTM dW{g}"] = max_rel(grads["dW" + g], dW)
        results[f"LSTM db{g}"] = max_rel(grads["db" + g], lstm.bias_ih_l0.grad[rows].numpy()[:, None])

    x_t.grad, h0.grad = None, None
    p = init_gru_parameters(nx, na, ny, seed=8)
    for name in p:
        p[name] = p[name] + 0.3 * rng_torch.standard_normal(p[name].shape)
    a, _, caches = gru_forward(x, a0, p)
    grads = gru_backward(da, caches)
    gru = torch.nn.GRU(nx, na, batch_first=True)
    set_weights(gru, np.vstack([p["Wr"][:, na:], p["Wz"][:, na:], p["Wnx"]]),
                np.vstack([p["Wr"][:, :na], p["Wz"][:, :na], p["Wna"]]),
                np.concatenate([p["br"][:, 0], p["bz"][:, 0], p["bnx"][:, 0]]),
                np.concatenate([np.zeros(2 * na), p["bna"][:, 0]]))  # fmt: skip
    h, _ = gru(x_t, h0)
    (h * da_t).sum().backward()
    g_ih, g_hh = gru.weight_ih_l0.grad.numpy(), gru.weight_hh_l0.grad.numpy()
    g_bih, g_bhh = gru.bias_ih_l0.grad.numpy(), gru.bias_hh_l0.grad.numpy()
    results["GRU a"] = max_rel(a, h.detach().numpy().transpose(2, 0, 1))
    results["GRU dx"] = max_rel(grads["dx"], x_t.grad.numpy().transpose(2, 0, 1))
    results["GRU da0"] = max_rel(grads["da0"], h0.grad[0].numpy().T)
    for k, g in enumerate("rz"):
        rows = slice(k * na, (k + 1) * na)
        results[f"GRU dW{g}"] = max_rel(grads["dW" + g], np.hstack([g_hh[rows], g_ih[rows]]))
        results[f"GRU db{g}"] = max_rel(grads["db" + g], g_bih[rows, None])
    rows = slice(2 * na, 3 * na)
    results["GRU dWnx"] = max_rel(grads["dWnx"], g_ih[rows])
    results["GRU dbnx"] = max_rel(grads["dbnx"], g_bih[rows, None])
    results["GRU dWna"] = max_rel(grads["dWna"], g_hh[rows])
    results["GRU dbna"] = max_rel(grads["dbna"], g_bhh[rows, None])

    for name, error in results.items():
        print(f"{name:>10}: max relative error {error:.1e}")
    worst = max(results, key=results.get)
    verdict = "agree" if results[worst] < 1e-10 else "DISAGREE"
    print(f"Your LSTM and GRU and PyTorch's {verdict} to 1e-10 (worst: {worst}, {results[worst]:.1e}).")


if GRADING:
    print("Skipped while the notebook is graded.")
else:
    try:
        import torch  # noqa: F401
    except Exception:  # not installed, or installed but broken
        print("PyTorch is not installed; this comparison is optional. To run it, install PyTorch with")
        print("    .venv/bin/pip install torch==2.13.0")
        print("from the course folder, restart the kernel and run the notebook again.")
    else:
        try:
            compare_with_torch()
        except NotImplementedError:
            print("Write the LSTM and GRU functions above first; then run this cell again.")
        except Exception as error:  # a wrong shape, say: report it instead of failing
            print(f"The comparison stopped: {type(error).__name__}: {error}")
            print("Make the visible tests above pass first.")

# %% [markdown]
# Next, in notebook 07: a character-level language model, trained on text with the cells you
# have written.

# %% [markdown]
# ## Further reading
#
# - S. Hochreiter and J. Schmidhuber (1997), "Long short-term memory", *Neural Computation*
#   9(8): the LSTM and its constant error flow through the cell state.
# - F. A. Gers, J. Schmidhuber and F. Cummins (2000), "Learning to forget: continual prediction
#   with LSTM", *Neural Computation* 12(10): the forget gate, part of every LSTM since.
# - K. Cho, B. van Merriënboer, C. Gulcehre, D. Bahdanau, F. Bougares, H. Schwenk and Y. Bengio
#   (2014), "Learning phrase representations using RNN encoder-decoder for statistical machine
#   translation", EMNLP, arXiv:1406.1078: the GRU; and J. Chung, C. Gulcehre, K. Cho and
#   Y. Bengio (2014), "Empirical evaluation of gated recurrent neural networks on sequence
#   modeling", arXiv:1412.3555, which compares it with the LSTM.
# - R. Jozefowicz, W. Zaremba and I. Sutskever (2015), "An empirical exploration of recurrent
#   network architectures", ICML: among other findings, why the forget-gate bias should start
#   at 1.
# - Stanford's CS231n, lecture 10, "Recurrent Neural Networks" (2017),
#   <http://cs231n.stanford.edu/slides/2017/cs231n_2017_lecture10.pdf>: the LSTM's
#   uninterrupted gradient flow along the cell state; and assignment 3 (`rnn_layers.py`,
#   `lstm_step_forward` and `lstm_step_backward`), the same cell with the four gates stacked,
#   batch-first, <https://cs231n.github.io>.
# - A. Karpathy, J. Johnson and L. Fei-Fei (2015), "Visualizing and understanding recurrent
#   networks", arXiv:1506.02078: LSTM and GRU language models compared, and what their gates do
#   on real text (how often they are saturated, open or shut); with A. Karpathy (2015), "The
#   Unreasonable Effectiveness of Recurrent Neural Networks",
#   <http://karpathy.github.io/2015/05/21/rnn-effectiveness/>, the LSTM language models that
#   notebook 07 builds on a small scale.
# - C. Olah (2015), "Understanding LSTM Networks",
#   <https://colah.github.io/posts/2015-08-Understanding-LSTMs/>: the LSTM and its variants,
#   drawn.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, section 10.10
#   (the LSTM and other gated RNNs), <https://www.deeplearningbook.org>.
