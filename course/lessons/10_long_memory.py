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
# # 10 · Long memory: the RNN against the LSTM and the GRU
#
# Notebook 05 measured the gradient of the plain RNN fading as it travels back through time,
# and notebook 06 showed the gradient of the LSTM and the GRU surviving fifty steps, at
# initialisation. This notebook asks the question that matters: **can each cell learn** to use
# something it saw long ago?
#
# The task is made for the question. A sequence of $T$ random symbols is read one symbol per
# step; at the end the network must say which symbol came **first**. Everything after the first
# step is noise. For $T = 4$ the answer was seen three steps ago; for $T = 64$, sixty-three.
# We train the three cells on the same task, with the same schedule, at lengths from 4 to 64,
# and see where each one fails; then we measure, on the trained networks, how much the answer
# still depends on the first input, and so why.
#
# You will write the data generator (`make_memory_data`), one training loop that trains any of
# the three cells (`train_memory`), and the evaluation: the accuracy (`memory_accuracy`) and the
# gradient that reaches each input (`input_gradient_norms`).
#
# <!-- shared: how_to_work -->
#
# **When the notebook is graded**, nbgrader sets the environment variable `NBGRADER_EXECUTION`;
# the training cell then runs 30 steps per network instead of 300 and the figures are skipped,
# so that grading takes seconds. The numbers and plots described in the text are those of the
# full run.

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))  # set by nbgrader while it grades the notebook

# %% [markdown]
# ## 0. Your functions from notebooks 01, 02, 04, 05, 06 and 09
#
# The three networks are yours: from notebook 01 `sigmoid`; from notebook 02
# `eval_numerical_gradient`; from notebook 04 `softmax` (over columns), `rnn_cell_forward` and
# `rnn_forward`; from notebook 05 `rnn_cell_backward` and `rnn_backward`; from notebook 06 the
# LSTM's and the GRU's cell and sequence functions, forward and backward; from notebook 09
# `classifier_loss` and `adam_step`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import sigmoid
from mywork import eval_numerical_gradient
from mywork import softmax, rnn_cell_forward, rnn_forward
from mywork import rnn_cell_backward, rnn_backward
from mywork import lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward
from mywork import gru_cell_forward, gru_forward, gru_cell_backward, gru_backward
from mywork import classifier_loss, adam_step

# %% [markdown]
# The parameters of the three cells are made by the functions of notebooks 04 and 06, and the
# state of Adam by that of notebook 09, given here:

# %%
from solutions.rnn_forward import init_rnn_parameters
from solutions.lstm_gru import init_lstm_parameters, init_gru_parameters
from solutions.sequence_classifier import init_adam

# %%
with np.errstate(all="raise"):
    assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0]), "check sigmoid"
    assert np.allclose(softmax(np.array([[1000.0, 0.0], [1000.0, 0.0]])), 0.5), "check softmax"
assert np.isclose(eval_numerical_gradient(lambda v: np.sum(v**2), np.array([3.0]))[0], 6.0), (
    "check eval_numerical_gradient"
)
x_check = np.ones((2, 1, 3))
for init, forward, backward in ((init_rnn_parameters, rnn_forward, rnn_backward),
                                (init_lstm_parameters, lstm_forward, lstm_backward),
                                (init_gru_parameters, gru_forward, gru_backward)):  # fmt: skip
    outputs = forward(x_check, np.zeros((4, 1)), init(2, 4, 3, seed=0))
    assert outputs[0].shape == (4, 1, 3), f"check {forward.__name__}: a has shape (n_a, m, T_x)"
    assert backward(np.ones((4, 1, 3)), outputs[-1])["dx"].shape == (2, 1, 3), f"check {backward.__name__}"
loss_check, _ = classifier_loss(np.full((4, 2), 0.25), np.array([0, 3]))
assert np.isclose(loss_check, np.log(4)), "check classifier_loss"
theta_check = {"w": np.zeros(2)}
adam_step(theta_check, {"dw": np.array([1.0, -1.0])}, init_adam(theta_check), 0.1)
assert np.allclose(theta_check["w"], [-0.1, 0.1]), "check adam_step"
print("The functions from notebooks 01, 02, 04, 05, 06 and 09 work.")

# %% [markdown]
# ## 1. The task: name the first symbol
#
# Each step shows one of four symbols, drawn at random, as a one-hot vector. One more input,
# the **marker**, is 1 at the first step and 0 after it: the same symbols appear at every step,
# so without it the network could not tell the first one from the others. The label of a
# sequence is its first symbol. With $n$ symbols a sequence is an array of shape $(n + 1, T)$,
# and a batch of $m$, in the course's layout, `x` of shape $(n + 1, m, T)$:
#
# | step $t$ | 0 | 1 | 2 | 3 | 4 | 5 |
# |---|---|---|---|---|---|---|
# | symbol | **2** | 0 | 3 | 2 | 1 | 3 |
# | $x[0{:}4, i, t]$ | 0 0 **1** 0 | 1 0 0 0 | 0 0 0 1 | 0 0 1 0 | 0 1 0 0 | 0 0 0 1 |
# | marker $x[4, i, t]$ | 1 | 0 | 0 | 0 | 0 | 0 |
#
# and its label is 2. A network that ignores the first step can only guess: it is right one
# time in four.
#
# **Exercise 1.** Write `make_memory_data`. Draw all the symbols at once, an integer array of
# shape $(m, T)$, with the `integers` method of `np.random.default_rng(seed)`; the labels are
# its first column. (NumPy tip: `x[symbols, np.arange(m)[:, None], np.arange(T)] = 1` sets,
# for every sequence $i$ and step $t$, the entry of its symbol to 1.)

# %% exercise="make_memory_data"
from solutions.long_memory import make_memory_data

# %%
x_small, labels_small = make_memory_data(5, 6, seed=0)
print("labels:", labels_small)
print("x[:, 0, :] =\n", x_small[:, 0, :])
assert x_small.shape == (5, 5, 6), "4 symbols and a marker, 5 sequences of 6 steps: x should have shape (5, 5, 6)"
assert labels_small.shape == (5,) and labels_small.dtype.kind == "i", "labels: one integer per sequence"
assert np.array_equal(x_small[:4].sum(axis=0), np.ones((5, 6))), "every step shows exactly one symbol (one-hot)"
assert np.array_equal(x_small[4], np.eye(6)[[0] * 5]), "the marker (the last row) is 1 at the first step only"
assert np.array_equal(x_small[:4, :, 0].argmax(axis=0), labels_small), "the label is the symbol at step 0"
x_again, _ = make_memory_data(5, 6, seed=0)
assert np.array_equal(x_again, x_small), "the same seed should give the same data"
print("make_memory_data: visible tests passed")

# %% hidden_tests="make_memory_data" points=2
# Hidden tests check shapes, the one-hot symbols, the marker, the labels, how the symbols are spread, and the seed.

# %% [markdown]
# Here is a batch of sequences of 24 steps, as the network receives them: one column per step.
# The answer sits in the first column; the network must carry it across all the others.

# %%
x_show, labels_show = make_memory_data(3, 24, seed=1)
if not GRADING:  # figures are skipped while the notebook is graded
    fig, axes = plt.subplots(1, 3, figsize=(13, 2.2), sharey=True)
    for i, ax in enumerate(axes):
        ax.imshow(x_show[:, i, :], cmap="gray_r", aspect="auto")
        ax.set(title=f"sequence {i + 1}: label {labels_show[i]}", xlabel="step $t$", yticks=range(5),
               yticklabels=["symbol 0", "symbol 1", "symbol 2", "symbol 3", "marker"])  # fmt: skip
    plt.show()

# %% [markdown]
# ## 2. One training loop for three cells
#
# The model is that of notebook 09, many-to-one: a cell reads the sequence from a zero hidden
# state, and a read-out classifies the last hidden state, $\operatorname{softmax}(W
# a^{\langle T \rangle} + b_y)$. Here the cell may be any of the three. Their sequence functions
# have nearly the same shape: `forward(x, a0, parameters)` returns the hidden states first and
# the caches last (the LSTM also returns its cell states in between), and `backward(da,
# caches)` returns the gradients of the cell's parameters and of `x`. So a cell is described by
# a dict of its two functions, with the name of its output weights, which the RNN calls `Wya`
# and the others `Wy` (its bias is `by` in all three):

# %%
CELLS = {
    "RNN": {"forward": rnn_forward, "backward": rnn_backward, "readout": "Wya"},
    "LSTM": {"forward": lstm_forward, "backward": lstm_backward, "readout": "Wy"},
    "GRU": {"forward": gru_forward, "backward": gru_backward, "readout": "Wy"},
}

# %% [markdown]
# Python's starred assignment takes the first and the last of the outputs, whatever comes in
# between: `a, *_, caches = cell["forward"](x, a0, parameters)`.
#
# **The gated cells start with their memory open.** Notebook 06 showed that the gradient
# survives many steps through an LSTM or a GRU only where the gates that keep the state are
# open. We start them so: the LSTM's forget-gate bias at $+5$ and its input-gate bias at $-5$,
# the GRU's update-gate bias at $+5$. At the start a gated cell then keeps
# $\sigma(5) = 99.3\%$ of its state at every step and writes little; training decides what to
# write and when to forget. (Starting the forget gate open is common practice, as notebook 06
# said; the value 5 suits memories of a hundred steps or so: $0.993^{100} \approx 0.5$.) The
# RNN has no gate: its parameters are those of `init_rnn_parameters`. The given
# `init_cell_parameters` makes the parameters of any of the three:

# %%
from solutions.long_memory import init_cell_parameters

# %%
keep = 1 / (1 + np.exp(-5.0))
print(f"sigmoid(5) = {keep:.4f}; kept after 100 steps: {keep**100:.2f}")
assert round(keep, 3) == 0.993 and round(keep**100, 1) == 0.5

# %% [markdown]
# **The training loop.** At every step:
#
# 1. a fresh batch of `batch_size` sequences, `make_memory_data(batch_size, T, seed=step)`:
#    the step's number is its seed, so every run sees the same batches;
# 2. the cell's forward pass from a zero hidden state, and the read-out of the last hidden
#    state, $\operatorname{softmax}(W a^{\langle T \rangle} + b_y)$ with $W$ =
#    `parameters[cell["readout"]]`;
# 3. the loss and `dscores`, by your `classifier_loss`;
# 4. the backward pass, as in notebook 09: the gradient $W^\top$ `dscores` enters at the last
#    step only, the cell's backward pass carries it back, and the read-out's own gradients
#    `"d" + cell["readout"]` $=$ `dscores` $\, a^{\langle T \rangle\top}$ and `"dby"` are added
#    to the dict it returns;
# 5. one `adam_step`, with the state that `init_adam(parameters)` made before the first step.
#
# **Exercise 2.** Write `train_memory`. It changes the parameters in place and returns the list
# of the losses. It loops `for step in steps`, so that the caller decides the steps, and whether
# to show a progress bar: `range(300)`, or `tqdm(range(300))`.

# %% exercise="train_memory"
from solutions.long_memory import train_memory

# %% [markdown]
# The test trains tiny networks of each kind for one step. The first step of Adam moves every
# parameter by almost exactly the learning rate against the sign of its gradient (notebook 09),
# so each parameter's move must have the opposite sign of the numerical gradient of the loss
# of batch 0, wherever that gradient is clearly non-zero.

# %%
x_batch, labels_batch = make_memory_data(8, 4, seed=0)  # the batch of step 0


def batch_loss(cell, parameters):
    """The loss of batch 0 for a cell with these parameters."""
    a, *_ = cell["forward"](x_batch, np.zeros((3, 8)), parameters)
    return classifier_loss(softmax(parameters[cell["readout"]] @ a[:, :, -1] + parameters["by"]), labels_batch)[0]


def check_first_step(name, cell):
    """Train a tiny network of the cell for one step; check each parameter's move against its gradient."""
    tiny = init_cell_parameters(name, 5, 3, 4, seed=1)
    before = {key: value.copy() for key, value in tiny.items()}
    tiny_losses = train_memory(cell, tiny, 4, range(1), batch_size=8, learning_rate=0.01)
    assert isinstance(tiny_losses, list) and len(tiny_losses) == 1, "train_memory returns one loss per step"
    assert np.isclose(tiny_losses[0], batch_loss(cell, before)), f"{name}: the loss of step 0 should be that of batch 0"
    for key in before:  # eval_numerical_gradient nudges before[key] in place; the loss reads it
        gradient = eval_numerical_gradient(lambda _: batch_loss(cell, before), before[key])
        clear = np.abs(gradient) > 1e-5
        assert np.allclose((before[key] - tiny[key])[clear], 0.01 * np.sign(gradient[clear]), rtol=1e-3), (
            f"{name}: {key} did not move by the learning rate against its gradient; is the gradient W^T dscores "
            "entering at the last step only, and are the read-out's gradients added?"
        )


for name, cell in CELLS.items():
    check_first_step(name, cell)
print("train_memory: visible tests passed")

# %% hidden_tests="train_memory" points=4
# Hidden tests train each of the three cells for a few steps and check the parameters and the losses.

# %% [markdown]
# ## 3. The evaluation
#
# A trained network is judged on 1,000 sequences it has not trained on. Its answer for a
# sequence is the class with the largest score of the read-out of the last hidden state.
#
# **Exercise 3.** Write `memory_accuracy`: the fraction of the sequences whose label the cell
# names.

# %% exercise="memory_accuracy"
from solutions.long_memory import memory_accuracy

# %%
x_eval, labels_eval = make_memory_data(200, 5, seed=3)
blind = init_cell_parameters("GRU", 5, 3, 4, seed=0)
blind["Wy"][:] = 0.0
blind["by"][:] = np.array([[0.0], [0.0], [1.0], [0.0]])  # always answers 2
print(f"always answering 2: {memory_accuracy(CELLS['GRU'], blind, x_eval, labels_eval):.3f}")
assert np.isclose(memory_accuracy(CELLS["GRU"], blind, x_eval, labels_eval), np.mean(labels_eval == 2)), (
    "a network that always answers 2 is right where the label is 2"
)
# An RNN whose hidden state shows the symbol it has just read: it answers with the LAST symbol.
echo = {"Wax": 10 * np.eye(5), "Waa": np.zeros((5, 5)), "ba": np.zeros((5, 1)),
        "Wya": np.eye(5)[:4], "by": np.zeros((4, 1))}  # fmt: skip
last_symbols = x_eval[:4, :, -1].argmax(axis=0)
echo_accuracy = memory_accuracy(CELLS["RNN"], echo, x_eval, labels_eval)
print(f"answering with the last symbol: {echo_accuracy:.3f}")
assert isinstance(echo_accuracy, float), "the accuracy is a float"
assert np.isclose(echo_accuracy, np.mean(last_symbols == labels_eval)), (
    "this RNN answers with the symbol of the last step: is the answer read from the last hidden state?"
)
print("memory_accuracy: visible tests passed")

# %% hidden_tests="memory_accuracy" points=1
# Hidden tests check the accuracy of the three cells on random networks and sequences.

# %% [markdown]
# ## 4. The experiment: how long can each cell remember?
#
# Each cell, with 16 hidden units, trains at each length $T$ = 4, 8, 16, 32 and 64, for 300
# steps of 32 sequences, with Adam at learning rate 0.02, from the same seeded start: one
# schedule for all. Then each is measured on 1,000 held-out sequences of its length. A cell
# **fails** at a length where its accuracy stays below 90%; chance is 25%.
#
# A progress bar shows each of the 15 runs. **When the notebook is graded**, each takes 30 steps.

# %%
from solutions.long_memory import failing_length

# %%
LENGTHS = [4, 8, 16, 32, 64]
STEPS = 30 if GRADING else 300
N_A, BATCH_SIZE, LEARNING_RATE, THRESHOLD = 16, 32, 0.02, 0.9
held_out = {T: make_memory_data(1000, T, seed=1_000_000 + T) for T in LENGTHS}  # seeds no batch uses

accuracies, trained, losses = {name: [] for name in CELLS}, {}, {}
for name, cell in CELLS.items():
    for T in LENGTHS:
        parameters = init_cell_parameters(name, 5, N_A, 4, seed=0)
        steps = tqdm(range(STEPS), desc=f"{name:>4}, T = {T:2}", unit="step")
        losses[name, T] = train_memory(cell, parameters, T, steps, BATCH_SIZE, LEARNING_RATE)
        accuracies[name].append(memory_accuracy(cell, parameters, *held_out[T]))
        trained[name, T] = parameters
fails = {name: failing_length(LENGTHS, accuracies[name], THRESHOLD) for name in CELLS}
longest = LENGTHS[-1]
print("held-out accuracy   " + "".join(f"T = {T:<6}" for T in LENGTHS) + "fails at")
for name in CELLS:
    print(f"{name:>4}               " + "".join(f"{value:<10.2f}" for value in accuracies[name])
          + (f"T = {fails[name]}" if fails[name] else f"none up to {LENGTHS[-1]}"))  # fmt: skip

# %%
if not GRADING:  # figures are skipped while the notebook is graded
    fig, (ax_accuracy, ax_loss) = plt.subplots(1, 2, figsize=(12, 4))
    for (name, values), style in zip(accuracies.items(), ("o-", "s--", "^-."), strict=True):
        ax_accuracy.plot(LENGTHS, values, style, label=name)
    ax_accuracy.axhline(0.25, color="grey", ls=":", label="chance (1 in 4)")
    ax_accuracy.axhline(THRESHOLD, color="grey", ls="--", lw=0.8, label=f"fails below {THRESHOLD:.0%}")
    ax_accuracy.set_xscale("log", base=2)
    ax_accuracy.set(xticks=LENGTHS, xticklabels=LENGTHS, ylim=(0, 1.05), xlabel="sequence length $T$",
                    ylabel="held-out accuracy", title="Naming the first symbol")  # fmt: skip
    ax_accuracy.minorticks_off()
    for name in CELLS:
        ax_loss.plot(np.arange(1, STEPS + 1), losses[name, longest], lw=1, label=name)
    ax_loss.axhline(np.log(4), color="grey", ls=":", label="guessing: log 4")
    ax_loss.set(xlabel="training step", ylabel="cross-entropy", title=f"Training loss at T = {longest}", ylim=(0, 3))
    for ax in (ax_accuracy, ax_loss):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
    plt.show()

# %% [markdown]
# In the reference run:
#
# - **the RNN** learns the short sequences (4 and 8 steps) perfectly, and **fails from
#   $T = 16$ on**; at $T = 64$ it is back to guessing (its training loss never leaves
#   $\log 4$, the loss of a uniform guess);
# - **the LSTM and the GRU** name the first symbol of every held-out sequence at every length
#   up to 64: eight times the longest sequence the RNN learns. At $T = 64$ both spend their
#   first sixty-odd steps at the guessing loss, then learn the task within a few dozen more. (Late in the run the GRU's loss jumps on a few batches and drops back at the next
#   step; its held-out accuracy at the end is still 100%.)
#
# Your run should show the same: it is seeded, so only the rounding of your arithmetic can
# differ from ours.

# %%
if not GRADING:
    assert accuracies["RNN"][:2] == [1.0, 1.0] and fails["RNN"] == 16, "the RNN fails from T = 16"
    assert accuracies["RNN"][-1] < 0.35, "at T = 64 the RNN is back to guessing"
    assert np.mean(losses["RNN", longest][-50:]) > 0.95 * np.log(4), "its loss stays at log 4"
    assert fails["LSTM"] is None and fails["GRU"] is None, "the gated cells hold up to T = 64"
    assert min(accuracies["LSTM"] + accuracies["GRU"]) == 1.0
    longest_learned = max(T for T, value in zip(LENGTHS, accuracies["RNN"], strict=True) if value >= THRESHOLD)
    assert LENGTHS[-1] / longest_learned == 8
    for name in ("LSTM", "GRU"):
        left = np.argmax(np.array(losses[name, longest]) < 0.9 * np.log(4))
        learned = np.argmax(np.array(losses[name, longest]) < 0.1)
        assert 50 <= left <= 80 and learned - left <= 80, f"{name}: leaves log 4 at step {left}, learns by {learned}"

# %% [markdown]
# ## 5. Why: the gradient that reaches the first input
#
# The answer is in the first input, $x^{\langle 1 \rangle}$; the loss is computed after the
# last. Training can only learn to keep the first symbol if the gradient of the loss reaches
# back to it. Notebooks 05 and 06 measured this on untrained networks; now we measure it on the
# trained ones, trained at $T = 64$.
#
# The measure: for a batch of held-out sequences, the score of the right answer, $z = (W
# a^{\langle T \rangle} + b_y)_{\text{label}}$, summed over the sequences, and its gradient with
# respect to the input of every step, $\partial z / \partial x^{\langle t \rangle}$. Its norm
# says how strongly the answer depends on what the network read at step $t$. (We take the score
# rather than the loss because the trained gated cells are right and sure: the gradient of their
# loss is nearly zero everywhere.) The gradient that enters the last hidden state is $W^\top$
# times the one-hot codes of the labels; the cell's backward pass returns `dx`.
#
# **Exercise 4.** Write `input_gradient_norms`: for every step $t$, the norm of `dx[:, :, t]`
# over the inputs and the sequences, $\sqrt{\sum_{j, i} dx[j, i, t]^2}$.

# %% exercise="input_gradient_norms"
from solutions.long_memory import input_gradient_norms

# %% [markdown]
# The test compares your norms with those of the numerical gradient of the summed score, on a
# tiny LSTM.

# %%
tiny = init_cell_parameters("LSTM", 5, 3, 4, seed=2)
noise = np.random.default_rng(2)
for key in tiny:  # larger weights and non-zero biases, so that every term shows
    tiny[key] = tiny[key] + 0.3 * noise.standard_normal(tiny[key].shape)
x_tiny, labels_tiny = make_memory_data(6, 4, seed=4)


def summed_score(_):  # reads `x_tiny`, which eval_numerical_gradient nudges in place
    a, *_ = lstm_forward(x_tiny, np.zeros((3, 6)), tiny)
    return np.sum((tiny["Wy"] @ a[:, :, -1] + tiny["by"])[labels_tiny, np.arange(6)])


numerical_dx = eval_numerical_gradient(summed_score, x_tiny)
norms_tiny = input_gradient_norms(CELLS["LSTM"], tiny, x_tiny, labels_tiny)
print("norms:", norms_tiny)
assert norms_tiny.shape == (4,), "one norm per step: shape (T,)"
assert np.allclose(norms_tiny, np.sqrt(np.sum(numerical_dx**2, axis=(0, 1))), rtol=1e-6), (
    "the norms should be those of the gradient of the summed score of the right answers: is the "
    "gradient W^T onehot(labels) entering at the last step only?"
)
print("input_gradient_norms: visible tests passed")

# %% hidden_tests="input_gradient_norms" points=2
# Hidden tests check the norms for the three cells on random networks and sequences.

# %% [markdown]
# Now on the three networks trained at $T = 64$, with 200 held-out sequences; each curve is
# divided by its value at the last step.

# %%
x_probe, labels_probe = held_out[longest][0][:, :200], held_out[longest][1][:200]
norms = {name: input_gradient_norms(cell, trained[name, longest], x_probe, labels_probe)
         for name, cell in CELLS.items()}  # fmt: skip
if not GRADING:  # figures are skipped while the notebook is graded
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for (name, curve), style in zip(norms.items(), ("-", "--", "-."), strict=True):
        ax.plot(np.arange(1, longest + 1), curve / curve[-1], style, lw=2, label=name)
    ax.set(yscale="log", xlabel="step $t$", title=f"Trained at T = {longest}: how much the answer depends on each input",
           ylabel=r"$\|\partial z / \partial x^{\langle t \rangle}\|$, relative to the last step")  # fmt: skip
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    plt.show()
first_over_last = {name: curve[0] / curve[-1] for name, curve in norms.items()}
print("first input / last input:", ",  ".join(f"{name} {ratio:.1e}" for name, ratio in first_over_last.items()))

# %% [markdown]
# The picture explains the table:
#
# - **For the trained RNN** the answer hardly depends on the first input at all: the gradient
#   that reaches it is more than ten orders of magnitude weaker than the one that reaches the
#   last input. Training never received a usable signal about the first step, so it could not
#   learn to keep it; the RNN learned only what the last few inputs say, which is nothing.
# - **For the trained LSTM** the first input counts about as much as the last, **for the GRU**
#   far more: they learned to write the first symbol into their state and to keep it there, and
#   the path that keeps it is the same one that carries the gradient back.
#
# (This is the "vanishing gradient" problem of Hochreiter (1991) and Bengio, Simard and
# Frasconi (1994), seen in the trained networks. Bengio and his co-authors also showed why it is
# hard to avoid in a plain RNN: to store a bit robustly, against noise, the network must forget
# small disturbances quickly, and the same contraction that forgets them shrinks the gradient.
# The gates sidestep the dilemma: they decide, step by step, whether to write, keep or forget.)

# %%
if not GRADING:
    assert first_over_last["RNN"] < 1e-10, "the RNN's first input is forgotten"
    assert 0.5 < first_over_last["LSTM"] < 2 and first_over_last["GRU"] > 10, "the gated cells depend on it"

# %% [markdown]
# ## Further reading
#
# - S. Hochreiter, *Untersuchungen zu dynamischen neuronalen Netzen*, diploma thesis, TU
#   München, 1991: the vanishing gradient, first analysed.
# - Y. Bengio, P. Simard and P. Frasconi, "Learning long-term dependencies with gradient
#   descent is difficult", *IEEE Transactions on Neural Networks* 5(2), 1994: why a plain RNN
#   cannot both store information robustly and learn to store it, on tasks like this one.
# - S. Hochreiter and J. Schmidhuber, "Long short-term memory", *Neural Computation* 9(8), 1997:
#   the LSTM, tested on long-time-lag tasks of this kind.
# - F. A. Gers, J. Schmidhuber and F. Cummins, "Learning to forget: continual prediction with
#   LSTM", *Neural Computation* 12(10), 2000: the forget gate.
# - K. Cho, B. van Merriënboer, C. Gulcehre, D. Bahdanau, F. Bougares, H. Schwenk and Y. Bengio,
#   "Learning phrase representations using RNN encoder-decoder for statistical machine
#   translation", EMNLP 2014: the GRU.
# - J. Chung, C. Gulcehre, K. Cho and Y. Bengio, "Empirical evaluation of gated recurrent
#   neural networks on sequence modeling", 2014, [arXiv:1412.3555](https://arxiv.org/abs/1412.3555):
#   LSTM and GRU compared.
# - R. Jozefowicz, W. Zaremba and I. Sutskever, "An empirical exploration of recurrent network
#   architectures", ICML 2015: the forget-gate bias, started positive.
# - C. Tallec and Y. Ollivier, "Can recurrent neural networks warp time?", ICLR 2018: how to
#   choose the gate biases for the time scales of a task ("chrono initialisation").
# - R. Pascanu, T. Mikolov and Y. Bengio, "On the difficulty of training recurrent neural
#   networks", ICML 2013: vanishing and exploding gradients, and clipping.
# - Q. V. Le, N. Jaitly and G. E. Hinton, "A simple way to initialize recurrent networks of
#   rectified linear units", 2015, [arXiv:1504.00941](https://arxiv.org/abs/1504.00941): a plain
#   RNN started at the identity matrix, which does better on such tasks.
# - D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015: the
#   optimiser of notebooks 09 and 10.
#
# This is the end of the course. You have built, from plain numpy, the pieces of every
# recurrent network, trained them, and seen why the gated cells replaced the plain RNN.
