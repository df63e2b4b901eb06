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
# # 03 · A three-layer network and the vanishing gradient
#
# The linear classifier of notebook 02 could not follow the spiral: its decision regions are
# convex wedges. Here we give it two hidden layers:
#
# $$ X \to h_1 = f(X W_1 + b_1) \to h_2 = f(h_1 W_2 + b_2)
#    \to S = h_2 W_3 + b_3 \to \text{softmax loss} , $$
#
# with $f$ the sigmoid or ReLU of notebook 01, hidden layers of 50 units, and the loss of
# notebook 02 plus an L2 penalty on $W_1, W_2, W_3$. You will write the whole network: its
# parameters, the forward pass, backpropagation, a gradient-descent step and the training loop.
# Then we repeat the experiment of the vanishing-gradient notebook of Stanford's CS224n: train
# it twice, once with each activation, and look inside: how large the gradient is at each layer. With the sigmoid, the gradient shrinks
# on its way back from the loss to the first layer, and training stalls. This is the
# **vanishing gradient**, and it is the central difficulty of the recurrent networks of Part II.
#
# <!-- shared: how_to_work -->

# %%
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small matrices: one thread is fastest

import matplotlib.pyplot as plt
import numpy as np
from tqdm.auto import tqdm

# %% [markdown]
# Some visible tests build on an exercise before them (the training loop needs the forward pass,
# backpropagation and the gradient step). Such a check runs only once the visible tests of what
# it builds on have passed, so that a mistake is always reported by the tests of the function
# that makes it. These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your functions from notebooks 01 and 02
#
# The network uses functions you have already written: from notebook 01 `make_spiral`,
# `sigmoid`, `sigmoid_grad`, `relu` and `relu_grad`; from notebook 02 `softmax`,
# `softmax_loss`, `l2_penalty`, `eval_numerical_gradient` and `rel_error`.
#
# <!-- shared: earlier_work -->

# %%
from mywork import make_spiral, sigmoid, sigmoid_grad, relu, relu_grad
from mywork import softmax, softmax_loss, l2_penalty, eval_numerical_gradient, rel_error

# %%
assert make_spiral(N=10, K=3, seed=0)[0].shape == (30, 2), "make_spiral: X should be (N*K, 2)"
assert np.allclose(sigmoid(np.array([-1000.0, 0.0, 1000.0])), [0.0, 0.5, 1.0]), "check sigmoid"
assert np.allclose(sigmoid_grad(np.array([0.5])), [0.25]), "check sigmoid_grad"
assert np.array_equal(relu(np.array([-1.0, 2.0])), [0.0, 2.0]), "check relu"
assert np.array_equal(relu_grad(np.array([0.0, 2.0])), [0.0, 1.0]), "check relu_grad"
assert np.isclose(softmax_loss(np.zeros((2, 3)), np.array([0, 1]))[0], np.log(3)), "check softmax_loss"
assert np.isclose(l2_penalty(np.ones((2, 2)), 0.5)[0], 1.0), "check l2_penalty"
assert np.isclose(eval_numerical_gradient(lambda v: np.sum(v**2), np.array([3.0]))[0], 6.0), (
    "check eval_numerical_gradient"
)
assert rel_error(np.zeros(2), np.zeros(2)) == 0.0, "check rel_error"
print("The functions from notebooks 01 and 02 work.")

# %% [markdown]
# Both hidden layers use the same activation. The network's functions take its name,
# `"sigmoid"` or `"relu"`, and look up the activation and its gradient with this given helper:

# %%
from solutions.three_layer_net import activation_functions  # noqa: F401

# %% [markdown]
# ## 1. Parameters
#
# With $D$ inputs, hidden layers of $H_1$ and $H_2$ units and $K$ classes, the parameters are
#
# | name | shape | initial value |
# |---|---|---|
# | `W1` | $(D, H_1)$ | $0.1 \times$ standard normal |
# | `b1` | $(H_1,)$ | 0 |
# | `W2` | $(H_1, H_2)$ | $0.1 \times$ standard normal |
# | `b2` | $(H_2,)$ | 0 |
# | `W3` | $(H_2, K)$ | $0.1 \times$ standard normal |
# | `b3` | $(K,)$ | 0 |
#
# The weights must be random: if every unit of a layer started with the same weights, they
# would all compute the same thing and receive the same gradient, and stay identical forever.
#
# **Exercise 1.** Write `init_params`. Draw the weights from
# `rng = np.random.default_rng(seed)` in the order `W1`, `W2`, `W3`, so that a seed always gives
# the same network.

# %% exercise="init_params"
from solutions.three_layer_net import init_params

# %%
params = init_params(D=2, H1=50, H2=40, K=3, seed=0)
print({name: value.shape for name, value in params.items()})
expected_shapes = {"W1": (2, 50), "b1": (50,), "W2": (50, 40), "b2": (40,), "W3": (40, 3), "b3": (3,)}
assert {name: value.shape for name, value in params.items()} == expected_shapes, (
    f"expected the shapes {expected_shapes}"
)
assert all(not params[name].any() for name in ("b1", "b2", "b3")), "the biases should start at 0"
print("standard deviation of W2:", params["W2"].std())
assert 0.09 < params["W2"].std() < 0.11, "the weights should have a standard deviation of about 0.1"
assert np.array_equal(init_params(seed=0)["W3"], init_params(seed=0)["W3"]), (
    "the same seed should give the same weights"
)
passed("init_params")

# %% hidden_tests="init_params" points=1
# Hidden tests check the keys, shapes, dtypes and statistics of the parameters, and the seed.

# %% [markdown]
# ## 2. The forward pass
#
# For a batch $X$ of shape $(N, D)$:
#
# $$ h_1 = f(X W_1 + b_1), \qquad h_2 = f(h_1 W_2 + b_2), \qquad S = h_2 W_3 + b_3 , $$
#
# of shapes $(N, H_1)$, $(N, H_2)$ and $(N, K)$. The bias, a vector, is added to every row.
# The output layer has no activation: the scores go to the softmax of the loss.
#
# Backpropagation will need the values the forward pass computed, so `forward` also returns
# them, in a **cache**: the tuple `(X, h1, h2)`. It keeps the activations' outputs $h_1, h_2$
# (not their inputs) because, as in notebook 01, the gradients of both activations are written
# in terms of their outputs.
#
# **Exercise 2.** Write `forward`. Get the activation with `f, _ = activation_functions(nonlinearity)`.

# %% exercise="forward"
from solutions.three_layer_net import forward

# %%
# A network small enough to check by hand: D=2 inputs, H1=3, H2=2, K=3 classes.
tiny = {
    "W1": np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -1.0]]), "b1": np.array([0.0, 0.5, -0.5]),
    "W2": np.array([[1.0, 0.0], [-1.0, 1.0], [0.5, 0.5]]), "b2": np.array([0.1, -0.1]),
    "W3": np.array([[1.0, -1.0, 0.0], [2.0, 0.0, 1.0]]), "b3": np.array([0.0, 0.1, -0.1]),
}
X_tiny = np.array([[1.0, 0.5], [-1.0, 2.0]])

scores, cache = forward(X_tiny, tiny, "relu")
print("relu scores:\n", scores)
assert scores.shape == (2, 3), "scores should have shape (N, K)"
assert isinstance(cache, tuple) and len(cache) == 3, "the cache should be the tuple (X, h1, h2)"
assert np.allclose(cache[1], [[1.0, 0.5, 0.0], [0.0, 5.5, 0.0]]), (
    "h1 should be relu(X @ W1 + b1) = [[1, 0.5, 0], [0, 5.5, 0]]"
)
assert np.allclose(cache[2], [[0.6, 0.4], [0.0, 5.4]]), "h2 should be relu(h1 @ W2 + b2)"
assert np.allclose(scores, [[1.4, -0.5, 0.3], [10.8, 0.1, 5.3]]), "scores should be h2 @ W3 + b3"

scores, cache = forward(X_tiny, tiny, "sigmoid")
print("sigmoid scores:\n", scores)
assert np.allclose(scores, [[1.939401, -0.498056, 0.570673], [1.783533, -0.253595, 0.614969]]), (
    "with nonlinearity='sigmoid', both hidden layers should use the sigmoid"
)
passed("forward")

# %% hidden_tests="forward" points=2
# Hidden tests check the scores and the cache on random networks, with both nonlinearities.

# %% [markdown]
# ## 3. Backpropagation
#
# `softmax_loss` gives $\partial L / \partial S$, the `dscores` of shape $(N, K)$. Going
# backwards, every layer $h_{\text{out}} = f(h_{\text{in}} W + b)$ does the same thing: given
# $\partial L / \partial h_{\text{out}}$, it computes the gradients with respect to $W$, $b$ and
# its input $h_{\text{in}}$, which the layer below needs. Derive them before you read on:
#
# 1. $\delta = \partial L / \partial z$ for the layer's pre-activation $z = h_{\text{in}} W + b$,
#    using the derivative of $f$ written with its output (notebook 01);
# 2. $\partial L / \partial W$, $\partial L / \partial b$ and $\partial L / \partial h_{\text{in}}$
#    from $\delta$. Work out one entry with the chain rule, then write it as a matrix product,
#    and check that the shapes agree: $\partial L / \partial W$ must be $(H_{\text{in}}, H_{\text{out}})$;
# 3. the extra term that the L2 penalty $\tfrac{1}{2}\lambda \sum W^2$ of each weight matrix adds
#    (notebook 02). Biases are not penalised.
#
# The output layer has no activation.
#
# **Exercise 3.** Write `backward`: apply the rule to the output layer, then to layer 2, then to
# layer 1 (whose input is $X$), and return the six gradients in a dict with the keys of
# `params`. Get the derivative with `_, f_grad = activation_functions(nonlinearity)`.
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# Given $\partial L / \partial h_{\text{out}}$, every layer does the same four things:
#
# $$ \delta = \frac{\partial L}{\partial h_{\text{out}}} \odot f'(h_{\text{out}}), \qquad
#    \frac{\partial L}{\partial W} = h_{\text{in}}^{\top} \delta, \qquad
#    \frac{\partial L}{\partial b} = \sum_{i=1}^{N} \delta_i, \qquad
#    \frac{\partial L}{\partial h_{\text{in}}} = \delta \, W^{\top} , $$
#
# where $\odot$ multiplies entry by entry, $\delta_i$ is row $i$ of $\delta$, and
# $f'(h_{\text{out}})$ is `f_grad(h_out)`. Entry by entry: $z_{ij} = \sum_k h_{ik} W_{kj} + b_j$,
# so $\partial L / \partial W_{kj} = \sum_i h_{ik} \delta_{ij}$, which is
# $(h_{\text{in}}^{\top} \delta)_{kj}$; $b_j$ is added to every row, so its gradient sums
# $\delta$ over the rows; and $h_{ik}$ reaches every $z_{ij}$, so
# $\partial L / \partial h_{ik} = \sum_j \delta_{ij} W_{kj} = (\delta W^{\top})_{ik}$. The output
# layer has no activation, so there $\delta$ is `dscores` itself. The L2 penalty adds
# $\lambda W$ to each $\partial L / \partial W$.
#
# </details>

# %% exercise="backward"
from solutions.three_layer_net import backward

# %%
cache_tiny = (X_tiny, np.array([[1.0, 0.5, 0.0], [0.0, 5.5, 0.0]]), np.array([[0.6, 0.4], [0.0, 5.4]]))
grads = backward(np.zeros((2, 3)), cache_tiny, tiny, "relu", 0.5)  # the tiny network's cache with ReLU
assert set(grads) == set(tiny), f"grads should have the keys {sorted(tiny)}"
for name in tiny:
    assert grads[name].shape == tiny[name].shape, f"grads['{name}'] should have the shape of params['{name}']"
    expected = 0.5 * tiny[name] if name.startswith("W") else 0 * tiny[name]
    assert np.allclose(grads[name], expected), (
        f"with dscores = 0 only the L2 term is left: grads['{name}'] should be "
        + ("reg * params['" + name + "']" if name.startswith("W") else "0")
    )
print("backward: the shapes and the L2 term are right")

# %% [markdown]
# ### Checking backpropagation numerically
#
# The real test of `backward` is the definition of the derivative. It runs once your `forward`
# has passed its visible tests. We take a small network
# (6 and 5 hidden units, 15 points of a spiral) and compare each of its six gradients with the
# numerical gradient of the **whole loss**, data loss plus the three L2 penalties, computed by
# your `eval_numerical_gradient` of notebook 02. `eval_numerical_gradient` nudges the entries
# of one parameter array in place, and `full_loss` reads the parameters from the dict, so it
# sees every nudge.
#
# Two details matter. The check runs in float64: a difference of two losses divided by
# $2h = 2 \cdot 10^{-5}$ loses about five of float64's sixteen digits, and would lose all of
# float32's seven. And the biases are random rather than zero: ReLU has a kink at 0, where the
# centered difference averages the two slopes instead of giving either, and with zero biases
# the spiral's centre points $(0, 0)$ would sit exactly on it.
#
# Expect relative errors below $10^{-7}$ for both activations.

# %%
X_check, y_check = make_spiral(N=5, K=3, seed=0)
rng = np.random.default_rng(0)
shapes = {"W1": (2, 6), "b1": (6,), "W2": (6, 5), "b2": (5,), "W3": (5, 3), "b3": (3,)}
params_check = {name: 0.5 * rng.standard_normal(shape) for name, shape in shapes.items()}
reg_check = 0.1


def gradient_errors(nonlinearity):
    """The relative error of backward's gradient of each parameter, against the numerical one."""

    def full_loss(_):  # reads the parameters from params_check, where they are being nudged
        scores, _ = forward(X_check, params_check, nonlinearity)
        data_loss, _ = softmax_loss(scores, y_check)
        return data_loss + sum(l2_penalty(params_check[W], reg_check)[0] for W in ("W1", "W2", "W3"))

    scores, cache = forward(X_check, params_check, nonlinearity)
    _, dscores = softmax_loss(scores, y_check)
    grads = backward(dscores, cache, params_check, nonlinearity, reg_check)
    return {
        name: rel_error(grads[name], eval_numerical_gradient(full_loss, params_check[name]))
        for name in params_check
    }


if needs("forward"):  # the numerical gradient is that of your forward pass's loss
    for nonlinearity in ("sigmoid", "relu"):
        errors = gradient_errors(nonlinearity)
        print(f"{nonlinearity:>7}: " + "  ".join(f"{name} {error:.1e}" for name, error in errors.items()))
        worst = max(errors, key=errors.get)
        assert errors[worst] < 1e-7, (
            f"{nonlinearity}: grads['{worst}'] does not match the numerical gradient "
            f"(relative error {errors[worst]:.1e})"
        )
    passed("backward")

# %% hidden_tests="backward" points=3
# Hidden tests check all six gradients on random networks, with both nonlinearities.

# %% [markdown]
# ## 4. A step of gradient descent
#
# Gradient descent moves every parameter a small step against its gradient, with the step size
# $\alpha$:
#
# $$ p \leftarrow p - \alpha \, \frac{\partial L}{\partial p} \qquad
#    \text{for } p \in \{W_1, b_1, W_2, b_2, W_3, b_3\} . $$
#
# **Exercise 4.** Write `sgd_step`. It changes the arrays of `params` **in place** and returns
# nothing: the caller's `params` must hold the new values afterwards.

# %% exercise="sgd_step"
from solutions.three_layer_net import sgd_step

# %%
p = {"W": np.array([[1.0, 2.0]]), "b": np.array([0.5])}
g = {"W": np.array([[10.0, -10.0]]), "b": np.array([1.0])}
returned = sgd_step(p, g, 0.1)
print(p)
assert np.allclose(p["W"], [[0.0, 3.0]]) and np.allclose(p["b"], [0.4]), (
    "expected W = [[0, 3]] and b = [0.4]: p -= step_size * grad, changing p in place"
)
assert returned is None, "sgd_step should return None; it changes params in place"
passed("sgd_step")

# %% hidden_tests="sgd_step" points=1
# Hidden tests check the updated parameters for random gradients and step sizes.

# %% [markdown]
# ## 5. The training loop
#
# Training repeats, `iterations` times, on the whole data set (full-batch gradient descent):
#
# 1. the forward pass, giving the scores and the cache;
# 2. the loss, `softmax_loss` of the scores plus the L2 penalty of `W1`, `W2` and `W3`;
# 3. backpropagation, giving the gradients;
# 4. a step of `sgd_step`.
#
# It also records, at every iteration, the loss (the one computed in step 2, before the step)
# and how large the gradient of each weight matrix is. For that we use the measure of the
# CS224n notebook whose experiment section 7 repeats, given below: the sum of the absolute values of the gradient, divided by the sum of
# the matrix's two dimensions,
#
# $$ \text{magnitude}(dW) = \frac{\sum_{j,k} |dW_{jk}|}{H_{\text{in}} + H_{\text{out}}} . $$

# %%
from solutions.three_layer_net import gradient_magnitude  # noqa: F401

# %% [markdown]
# **Exercise 5.** Write `train`. It trains `params` in place and returns the history: a dict
# with the keys `"loss"`, `"W1"`, `"W2"` and `"W3"`, each a list with one number per iteration
# (for `"W1"`, `gradient_magnitude(grads["W1"])`, and so on).

# %% exercise="train"
from solutions.three_layer_net import train

# %%
X_small, y_small = make_spiral(N=20, K=3, seed=1)
rng = np.random.default_rng(0)  # a network of 50 and 50 hidden units, made here (not by init_params)
sizes = {"W1": (2, 50), "b1": (50,), "W2": (50, 50), "b2": (50,), "W3": (50, 3), "b3": (3,)}
params = {name: 0.1 * rng.standard_normal(size) * name.startswith("W") for name, size in sizes.items()}
scores, _ = forward(X_small, params, "relu")
initial_loss = softmax_loss(scores, y_small)[0] + sum(l2_penalty(params[W], 1e-3)[0] for W in ("W1", "W2", "W3"))
W1_before = params["W1"].copy()

history = train(X_small, y_small, params, "relu", 200, step_size=0.5, reg=1e-3)
print(f"loss: first {history['loss'][0]:.4f}, last {history['loss'][-1]:.4f}")
assert sorted(history) == ["W1", "W2", "W3", "loss"], "the history should have the keys loss, W1, W2, W3"
assert all(len(history[key]) == 200 for key in history), "the history should hold one entry per iteration"
assert np.isclose(history["loss"][0], initial_loss), (
    "history['loss'][0] should be the loss (data loss plus L2 penalties) of the initial parameters"
)
if needs("forward", "backward", "sgd_step"):  # with these right, training must make progress
    assert not np.array_equal(params["W1"], W1_before), "train should update params in place"
    assert history["loss"][-1] < 0.9 * history["loss"][0], "the loss should fall during training"
    passed("train")

# %% hidden_tests="train" points=2
# Hidden tests check the trained parameters and the history on small random problems.

# %% [markdown]
# ## 6. Predictions
#
# The network predicts, for each example, the class with the largest score.
#
# **Exercise 6.** Write `predict`.

# %% exercise="predict"
from solutions.three_layer_net import predict

# %%
y_pred = predict(X_tiny, tiny, "relu")
print(y_pred)
assert y_pred.shape == (2,), "predict should return one class per example, shape (N,)"
assert np.issubdtype(y_pred.dtype, np.integer), "the predictions should be integer class indices"
if needs("forward"):  # the tiny network's scores are those of the forward test above
    assert list(y_pred) == [0, 0], "the largest scores of the tiny network are in column 0"
    print("training accuracy on the small spiral:", np.mean(predict(X_small, params, "relu") == y_small))
    passed("predict")

# %% hidden_tests="predict" points=1
# Hidden tests check the predictions of random networks, with both nonlinearities.

# %% [markdown]
# ## 7. Sigmoid against ReLU
#
# Now the experiment of the vanishing-gradient notebook of Stanford's CS224n (2017, see Further
# reading): the spiral of notebook 01 (300 points, 3 classes), hidden layers of 50 units,
# weights drawn as $0.1 \times$ standard normal, step size 0.1, $\lambda = 10^{-3}$, and 50,000
# iterations of full-batch gradient descent, once with each activation, from the same initial
# weights. A blog post that reran it in numpy (on CSDN, 2019) reports, after the 50,000
# iterations, a loss of 0.468 and a training accuracy of 0.96 with the sigmoid, and 0.1126
# and 0.99 with ReLU.
#
# **Why float32.** Training runs in single precision: the cell converts the data and the
# parameters with `.astype(np.float32)`, and your functions then compute in float32 throughout.
# On CPUs without AVX-512, numpy computes `exp` and `tanh` of float64 arrays one number at a
# time, but of float32 arrays several numbers per instruction, so float32 makes this training
# several times faster. Seven significant digits are plenty for gradient descent, whose steps
# are approximate anyway; the gradient checks above stay in float64, where the precision matters.
#
# **When the notebook is graded**, nbgrader sets the environment variable
# `NBGRADER_EXECUTION`, and the cell trains for 2,000 iterations instead of 50,000, so that
# grading takes seconds. The numbers and plots below describe the full run.
#
# Training takes between half a minute and a minute. The progress bar counts iterations; your `train` runs in
# chunks of 1,000 between its updates.

# %%
GRADING = bool(os.environ.get("NBGRADER_EXECUTION"))
ITERATIONS = 2_000 if GRADING else 50_000
STEP_SIZE, REG = 0.1, 1e-3
PUBLISHED = {"sigmoid": (0.468, 0.96), "relu": (0.1126, 0.99)}  # final loss and training accuracy

X, y = make_spiral(seed=0)
X32 = X.astype(np.float32)


def train_with_progress(X, y, params, nonlinearity, iterations, chunk=1_000):
    """Your train, run `chunk` iterations at a time under a progress bar; the joined history."""
    joined = {key: [] for key in ("loss", "W1", "W2", "W3")}
    with tqdm(total=iterations, desc=nonlinearity, unit="it") as bar:
        for done in range(0, iterations, chunk):
            steps = min(chunk, iterations - done)
            part = train(X, y, params, nonlinearity, steps, STEP_SIZE, REG)
            for key in joined:
                joined[key].extend(part[key])
            bar.update(steps)
    return joined


nets = {}
for nonlinearity in ("sigmoid", "relu"):
    params = {name: value.astype(np.float32) for name, value in init_params(seed=1).items()}
    history = train_with_progress(X32, y, params, nonlinearity, ITERATIONS)
    nets[nonlinearity] = params, history

# %%
print(f"after {ITERATIONS:,} iterations   final loss   training accuracy   |   published: loss   accuracy")
final = {}
for nonlinearity, (params, history) in nets.items():
    final[nonlinearity] = history["loss"][-1], np.mean(predict(X32, params, nonlinearity) == y)
    published_loss, published_accuracy = PUBLISHED[nonlinearity]
    print(
        f"{nonlinearity:>26}   {final[nonlinearity][0]:10.4f}   {final[nonlinearity][1]:17.3f}   |"
        f"   {published_loss:15.4f}   {published_accuracy:8.2f}"
    )
TRAINED = needs("init_params", "forward", "backward", "sgd_step", "train", "predict")
if TRAINED and not GRADING:
    (sigmoid_loss, sigmoid_accuracy), (relu_loss, relu_accuracy) = final["sigmoid"], final["relu"]
    assert relu_loss < sigmoid_loss and relu_accuracy > sigmoid_accuracy, (
        "the text below says that ReLU ends with the lower loss and the higher accuracy"
    )

# %% [markdown]
# ReLU ends with the lower loss and the higher accuracy, as in the published run. (The numbers
# need not equal the published ones exactly: its data and initial weights came from another
# random generator.) The loss curves show how each got there. The iteration axis is logarithmic,
# so that the first hundred iterations get as much room as the last forty thousand.

# %%
fig, ax = plt.subplots(figsize=(8, 4))
for nonlinearity, (_, history) in nets.items():
    iterations = np.arange(1, len(history["loss"]) + 1)
    ax.plot(iterations, history["loss"], label=nonlinearity)
ax.set(title="Training loss (data loss + L2 penalty)", xlabel="iteration", ylabel="loss")
ax.set(xscale="log", ylim=(0, 1.2))
ax.grid(alpha=0.3)
ax.legend()
plt.show()
losses = {nonlinearity: np.array(history["loss"]) for nonlinearity, (_, history) in nets.items()}
falls = {nonlinearity: int(np.argmax(loss < 0.9 * loss[0])) + 1 for nonlinearity, loss in losses.items()}
plateau = int(np.argmax(losses["sigmoid"] < 0.95 * losses["sigmoid"][0]))
print(f"iterations until the loss is 10% below its start: {falls}; the sigmoid's stays within 5% of it "
      f"for {plateau:,} iterations")  # fmt: skip
if TRAINED:
    assert 50 <= falls["relu"] <= 150 and plateau > 1_500, (
        "the text below says that ReLU's loss falls after about a hundred iterations, and that the sigmoid's "
        "stays on a plateau for more than 1,500"
    )

# %% [markdown]
# The ReLU network's loss has fallen by a tenth after about a hundred iterations. The sigmoid
# network's loss stays within 5% of its initial value, $\log 3 \approx 1.1$ plus the penalty,
# for more than 1,500 iterations: a **plateau**, where the network barely learns. To see why, look at the
# gradients.
#
# ### The vanishing gradient, measured
#
# Each panel shows the gradient magnitude of the three weight matrices at every iteration, on
# logarithmic axes.

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
for ax, (nonlinearity, (_, history)) in zip(axes, nets.items(), strict=True):
    iterations = np.arange(1, len(history["loss"]) + 1)
    for name in ("W1", "W2", "W3"):
        ax.plot(iterations, history[name], label=name, lw=1)
    ax.set(title=f"{nonlinearity}: gradient magnitude per layer", xlabel="iteration")
    ax.set(xscale="log", yscale="log")
    ax.legend()
axes[0].set_ylabel(r"$\sum |dW| \;/\; (H_{in} + H_{out})$")
plt.show()
first = {nonlinearity: {name: history[name][0] for name in ("W1", "W2", "W3")} for nonlinearity, (_, history) in nets.items()}
sigmoid_drop = first["sigmoid"]["W3"] / first["sigmoid"]["W1"]
relu_spread = max(first["relu"].values()) / min(first["relu"].values())
relu_over_sigmoid = first["relu"]["W1"] / first["sigmoid"]["W1"]
history = nets["sigmoid"][1]
settled = next(i + 1 for i in range(len(history["W3"])) if history["W3"][i] < max(history["W1"][i], history["W2"][i]))
print(f"first iteration: the sigmoid network's W3 gradient is {sigmoid_drop:.0f} times its W1 gradient; the ReLU "
      f"network's largest is {relu_spread:.1f} times its smallest, and its W1 gradient {relu_over_sigmoid:.1f} times "
      f"the sigmoid network's; the sigmoid network's W3 gradient falls below another layer's at iteration {settled}")  # fmt: skip
if TRAINED:
    assert 40 <= sigmoid_drop <= 65 and relu_spread < 2.5 and round(relu_over_sigmoid) == 5 and settled <= 10, (
        "the text below quotes these ratios (about fifty; same order, within a factor of 2.5; five) and 'within ten iterations'"
    )

# %% [markdown]
# What the two panels show:
#
# - **At the start, the sigmoid network's gradient shrinks layer by layer.** $W_3$, next to the
#   loss, has the largest gradient; $W_1$, two sigmoid layers further down, one about fifty
#   times smaller (the cell above prints the ratios). Backpropagation multiplies by $f'(h)$ at each sigmoid layer on the way down,
#   and the sigmoid's derivative is at most $\tfrac14$ (notebook 01): each sigmoid layer cuts
#   the gradient to a quarter or less, on top of whatever its weights do.
# - **The ReLU network's layers start with gradients of the same order** (within a factor of
#   2.5 of each other), and $W_1$'s is five times larger than in the sigmoid network: ReLU's
#   derivative is exactly 1 for every active unit, so the gradient crosses a layer without
#   shrinking.
# - Within ten iterations the sigmoid network's $W_3$ has learned what the last layer alone can
#   learn (with the hidden units all near 0.5, little more than a shift of the scores), and its
#   gradient drops to the level of the others. During the plateau every gradient is small, and
#   the first layers, which must build the features that separate the arms, change slowly.
#   Once they have, after some 1,500 iterations, the loss falls.
#
# (The measure, CS224n's, divides by the sum of a matrix's dimensions rather than by its number
# of entries, which favours the $50 \times 50$ matrix $W_2$; compare the shape of the curves,
# and the same layer across the two panels.)
#
# With two hidden layers, the vanishing gradient slows training down. A recurrent network
# applies its layer once per time step, tens or hundreds of times, and the same shrinking factor
# then wipes out the gradient that should connect distant time steps. Part II comes back to this.
#
# Finally, the decision regions the two networks learned:

# %%
from solutions.plots import class_style, plot_spiral, plot_decision_regions

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 5.5))
for ax, (nonlinearity, (params, _)) in zip(axes, nets.items(), strict=True):
    accuracy = np.mean(predict(X32, params, nonlinearity) == y)
    plot_decision_regions(
        ax, lambda points, p=params, n=nonlinearity: predict(points, p, n), X, y,
        f"{nonlinearity}: training accuracy {accuracy:.2f}",
    )
plt.show()

# %% [markdown]
# Unlike the linear classifier's three wedges, each network's regions curl around the arms.
#
# Next, in notebook 04: recurrent networks, which apply one layer at every step of a sequence.

# %% [markdown]
# ## Further reading
#
# - Stanford's CS224n (2017), "Vanishing Gradients Jupyter Notebook",
#   <https://web.stanford.edu/class/archive/cs/cs224n/cs224n.1174/lectures/vanishing_grad_example.html>:
#   the experiment of section 7, and the measure of the gradient per layer. A blog post that
#   reran it in numpy, "python实现循环神经网络RNN" (CSDN, 2019), reports the final losses and
#   accuracies quoted there.
# - Stanford's CS231n notes: "Minimal Neural Network Case Study", a network with one hidden
#   layer on the same spiral, <https://cs231n.github.io/neural-networks-case-study/>; and
#   "Backpropagation, Intuitions", <https://cs231n.github.io/optimization-2/>.
# - X. Glorot and Y. Bengio (2010), "Understanding the difficulty of training deep feedforward
#   neural networks", AISTATS: how the gradient's size changes from layer to layer, and the
#   initialisation that keeps it steady.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, section 6.5
#   (back-propagation), <https://www.deeplearningbook.org>.
