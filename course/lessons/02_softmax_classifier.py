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
# # 02 · A softmax classifier
#
# A classifier gives each example one **score** per class and predicts the class with the
# largest score. To train it we need a single number that says how wrong the scores are, the
# **loss**, and the **gradient** of that loss with respect to everything we can change. This
# notebook builds those pieces, which every later network reuses:
#
# 1. **softmax**, which turns a row of scores into probabilities;
# 2. the **cross-entropy loss** of those probabilities and its gradient with respect to the scores;
# 3. an **L2 penalty** on the weights, which keeps them small;
# 4. a **numerical gradient** and a **relative error**, to check any gradient we derive by hand.
#
# Then we train the simplest classifier there is, a linear one, on the spiral data of notebook
# 01 and see exactly why it fails.
#
# <!-- shared: how_to_work -->
#
# Shapes, as in all of Part I: `X` is `(N, D)`, one example per row; scores are `(N, K)`, one
# row per example and one column per class; labels `y` are `(N,)`, integers in $[0, K)$.

# %%
import matplotlib.pyplot as plt
import numpy as np

# %% [markdown]
# One check at the end of section 4 builds on three exercises at once. It runs only once their
# own visible tests have passed, so that a mistake is reported by the tests of the function that
# makes it. These two given helpers keep track:

# %%
from solutions.visible_tests import passed, needs

# %% [markdown]
# ## 0. Your spiral data from notebook 01
#
# Section 5 trains a classifier on the spiral data, made by your `make_spiral` of notebook 01.
#
# <!-- shared: earlier_work -->

# %%
from mywork import make_spiral

# %%
X, y = make_spiral(N=100, K=3, noise=0.2, seed=0)
assert X.shape == (300, 2) and y.shape == (300,), "make_spiral should return X (N*K, 2) and y (N*K,)"
assert list(y[::100]) == [0, 1, 2], "rows N*j to N*(j+1) should have label j"
print("make_spiral works: X", X.shape, " y", y.shape)

# %% [markdown]
# ## 1. Softmax
#
# A linear classifier computes the scores $S = XW + b$, an $(N, K)$ array. Softmax turns row
# $i$ of $S$ into a probability distribution over the $K$ classes:
#
# $$ p_{ik} = \frac{e^{s_{ik}}}{\sum_{j=1}^{K} e^{s_{ij}}} . $$
#
# Every $p_{ik}$ is positive, each row sums to 1, and a larger score gives a larger probability.
#
# **Numerical stability.** `np.exp(1000)` overflows to `inf`, and `inf / inf` is `nan`. Adding
# the same constant $c$ to every score of a row does not change its softmax (the factor $e^{c}$
# cancels between numerator and denominator). Take $c = -\max_j s_{ij}$, the row's maximum:
#
# $$ p_{ik} = \frac{e^{s_{ik} - m_i}}{\sum_{j} e^{s_{ij} - m_i}}, \qquad m_i = \max_j s_{ij} . $$
#
# Now the largest exponent is $e^0 = 1$, so nothing overflows, and the denominator is at least 1.
#
# **Exercise 1.** Write `softmax`. It works row by row: the maximum and the sum are taken over
# each row (`axis=1`). `keepdims=True` keeps them as an `(N, 1)` column, which broadcasts
# against the `(N, K)` scores the right way.

# %% exercise="softmax"
from solutions.softmax_classifier import softmax

# %%
probs = softmax(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]))
print(probs)
assert probs.shape == (2, 3), "softmax should keep the shape (N, K) of the scores"
assert np.allclose(probs.sum(axis=1), 1.0), "each ROW should sum to 1"
assert np.allclose(probs, [[0.09003057, 0.24472847, 0.66524096], [1 / 3, 1 / 3, 1 / 3]]), (
    "expected [[0.090, 0.245, 0.665], [1/3, 1/3, 1/3]]"
)
with np.errstate(over="raise", invalid="raise", divide="raise"):  # overflow is an error here, so you see it
    big = softmax(np.array([[1000.0, 1001.0, 1002.0]]))
assert np.allclose(big, probs[0]), "adding 1000 to every score of a row should not change its softmax"
assert np.allclose(softmax(np.array([[5.0, 5.0]])), [[0.5, 0.5]]), "a single row (N=1) should work"
passed("softmax")

# %% hidden_tests="softmax" points=2
# Hidden tests check softmax on random scores, on scores near +-1000 and on a single row.

# %% [markdown]
# ## 2. The cross-entropy loss and its gradient
#
# The classifier is good when it gives the correct class $y_i$ a high probability. The
# **cross-entropy loss** is the mean, over the $N$ examples, of minus the log-probability of
# the correct class:
#
# $$ L = \frac{1}{N} \sum_{i=1}^{N} -\log p_{i, y_i} . $$
#
# It is 0 when every correct class gets probability 1, and grows without bound as a correct
# class's probability goes to 0. With $K$ classes and all scores equal, $L = \log K$.
#
# **The gradient.** Training needs $\partial L / \partial s_{ik}$ for every score, an $(N, K)$
# array that we call `dscores`. Derive it before you read on. Hint: write the loss of one
# example with the scores only, $-\log p_{i,y_i} = -s_{i,y_i} + \log \sum_j e^{s_{ij}}$, and
# differentiate each of the two terms with respect to $s_{ik}$; treat $k = y_i$ and
# $k \neq y_i$ separately, then write both cases as one formula.
#
# **Exercise 2.** Write `softmax_loss`. It returns the loss (a float) and `dscores`. You may
# call your `softmax`. The probability of the correct class of every example, in one step, is
# `probs[np.arange(N), y]`. (If you work with log-probabilities directly,
# $\log p_{ik} = s_{ik} - m_i - \log \sum_j e^{s_{ij} - m_i}$, no probability that rounds to 0
# ever reaches `np.log`.)
#
# <details>
# <summary><b>Check your derivation</b> (open it once you have tried)</summary>
#
# The first term, $-s_{i,y_i}$, gives $-1$ when $k = y_i$ and 0 otherwise. The second gives
# $e^{s_{ik}} / \sum_j e^{s_{ij}} = p_{ik}$. Only example $i$'s loss depends on $s_{ik}$, and
# the mean divides it by $N$. With the one-hot labels $\mathbb{1}[k = y_i]$:
#
# $$ \frac{\partial L}{\partial s_{ik}} = \frac{1}{N}\left(p_{ik} - \mathbb{1}[k = y_i]\right). $$
#
# So the gradient pushes the correct class's score up and every other score down, each in
# proportion to how much probability it holds; each row of `dscores` sums to 0.
#
# </details>

# %% exercise="softmax_loss"
from solutions.softmax_classifier import softmax_loss

# %%
loss, dscores = softmax_loss(np.zeros((4, 3)), np.array([0, 1, 2, 0]))
print("equal scores: loss", loss, " (log 3 =", np.log(3), ")")
print(dscores)
assert np.isclose(loss, np.log(3)), "with all scores equal, the loss should be log K"
assert dscores.shape == (4, 3), "dscores should have the shape of the scores, (N, K)"
assert np.allclose(dscores[0], [(1 / 3 - 1) / 4, 1 / 12, 1 / 12]), (
    "dscores[0] should be (probs[0] - one_hot(y[0])) / N = [(1/3 - 1)/4, 1/12, 1/12]"
)
assert np.allclose(dscores.sum(axis=1), 0.0), "each row of dscores should sum to 0"

scores = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
loss, dscores = softmax_loss(scores, np.array([0, 2]))
print("loss", loss)
assert np.isclose(loss, 1.4185398), "expected a loss of 1.4185 for these scores"
loss, _ = softmax_loss(scores + 1000.0, np.array([0, 2]))
assert np.isclose(loss, 1.4185398), "adding 1000 to every score should not change the loss"
passed("softmax_loss")

# %% hidden_tests="softmax_loss" points=2
# Hidden tests check the loss and dscores on random scores and labels, near 1000 and with N=1.

# %% [markdown]
# ## 3. L2 regularisation
#
# Many weight matrices give the same low loss. L2 regularisation prefers the ones with small
# weights, by adding a penalty to the loss; the regularisation strength $\lambda$ (`reg`) sets
# how strongly:
#
# $$ R(W) = \tfrac{1}{2} \lambda \sum_{j,k} W_{jk}^2, \qquad
#    \frac{\partial R}{\partial W} = \lambda W . $$
#
# The $\frac{1}{2}$ is a convention that makes the gradient come out as $\lambda W$. Biases are
# not penalised.
#
# **Exercise 3.** Write `l2_penalty`, which returns both the penalty (a float) and its gradient.

# %% exercise="l2_penalty"
from solutions.softmax_classifier import l2_penalty

# %%
W = np.array([[1.0, -2.0], [0.0, 3.0]])
penalty, dW = l2_penalty(W, 0.1)
print("penalty", penalty, " dW", dW.tolist())
assert np.isclose(penalty, 0.7), "expected 0.5 * 0.1 * (1 + 4 + 0 + 9) = 0.7"
assert np.allclose(dW, [[0.1, -0.2], [0.0, 0.3]]), "expected dW = reg * W"
assert W[0, 1] == -2.0, "l2_penalty must not change W"
passed("l2_penalty")

# %% hidden_tests="l2_penalty" points=1
# Hidden tests check the penalty and its gradient on random weights and strengths.

# %% [markdown]
# ## 4. Checking gradients numerically
#
# A gradient derived by hand can be wrong in ways that still let training run, only worse. We
# check it against the definition of the derivative. For a function $f$ of an array $x$, and
# each entry $x_i$ in turn, the **centered difference**
#
# $$ \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h} , $$
#
# where $e_i$ is 1 at entry $i$ and 0 elsewhere, has an error proportional to $h^2$; the
# one-sided difference $\frac{f(x + h e_i) - f(x)}{h}$ has an error proportional to $h$, which
# for a small $h$ such as $10^{-5}$ is far larger.
#
# **Exercise 4.** Write `eval_numerical_gradient(f, x, h)`. `f` takes an array shaped like `x`
# and returns a number. Nudge one entry of `x` at a time (the loop
# `for i in np.ndindex(x.shape)` visits every index of an array of any shape) and put it back
# before the next: when the function returns, `x` must hold its original values.
#
# To compare two gradients we use the **relative error**, the largest over all entries of
#
# $$ \frac{|a_i - b_i|}{\max\left(10^{-8},\ |a_i| + |b_i|\right)} , $$
#
# where the floor $10^{-8}$ avoids dividing 0 by 0 where both are 0. For a correct gradient in
# float64 it is typically below $10^{-7}$; above $10^{-3}$ the gradient is almost surely wrong.
#
# **Exercise 5.** Write `rel_error(a, b)`, returning that largest relative error as a float.

# %% exercise="eval_numerical_gradient"
from solutions.softmax_classifier import eval_numerical_gradient

# %%
x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]])
grad = eval_numerical_gradient(lambda v: np.sum(v**3), x)
print(grad)
assert grad.shape == x.shape, "the gradient should have the shape of x"
assert np.allclose(grad, 3 * x**2, atol=1e-6), "the gradient of sum(x**3) is 3 x**2"
assert np.array_equal(x, [[1.0, -2.0, 0.5], [3.0, 0.0, -1.0]]), (
    "x must hold its original values when eval_numerical_gradient returns"
)
assert np.isclose(eval_numerical_gradient(lambda v: np.sum(v**3), np.array([1.0]), h=0.1)[0], 3.01), (
    "the centered difference of x**3 at x=1 with h=0.1 is (1.1**3 - 0.9**3) / 0.2 = 3.01"
)
passed("eval_numerical_gradient")

# %% hidden_tests="eval_numerical_gradient" points=2
# Hidden tests check the numerical gradient of random smooth functions, and that x is restored.

# %% exercise="rel_error"
from solutions.softmax_classifier import rel_error

# %%
print(rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])))
assert np.isclose(rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])), 0.2 / 4.2), (
    "expected the largest |a - b| / (|a| + |b|), here 0.2 / 4.2"
)
assert rel_error(np.zeros(3), np.zeros(3)) == 0.0, "two zero arrays have relative error 0"
passed("rel_error")

# %% hidden_tests="rel_error" points=1
# Hidden tests check rel_error on random arrays, including entries where both are zero.

# %% [markdown]
# ### Your gradients, checked
#
# Now the tools check each other: the analytic `dscores` of `softmax_loss` against the numerical
# gradient of its loss, and the gradient of `l2_penalty` likewise. (In float64; both relative
# errors should be tiny.) The check runs once the visible tests of all four functions it uses
# have passed.

# %%
if needs("softmax_loss", "l2_penalty", "eval_numerical_gradient", "rel_error"):
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((5, 4))
    labels = rng.integers(0, 4, size=5)
    _, dscores = softmax_loss(scores, labels)
    numerical = eval_numerical_gradient(lambda s: softmax_loss(s, labels)[0], scores)
    print(f"softmax_loss: relative error of dscores {rel_error(dscores, numerical):.2e}")
    assert rel_error(dscores, numerical) < 1e-7, "dscores does not match the numerical gradient"

    W = rng.standard_normal((3, 4))
    _, dW = l2_penalty(W, 0.3)
    numerical = eval_numerical_gradient(lambda w: l2_penalty(w, 0.3)[0], W)
    print(f"l2_penalty:   relative error of dW      {rel_error(dW, numerical):.2e}")
    assert rel_error(dW, numerical) < 1e-7, "dW does not match the numerical gradient"

# %% [markdown]
# ## 5. A linear classifier on the spiral
#
# The simplest classifier computes its scores directly from the inputs, $S = XW + b$, with $W$
# of shape $(D, K)$ and $b$ of shape $(K,)$. Its loss is the cross-entropy plus the penalty,
# $L = L_{\text{data}} + R(W)$, and since $\partial L / \partial S$ is `dscores`, the chain rule
# gives
#
# $$ \frac{\partial L}{\partial W} = X^{\top} \, \frac{\partial L}{\partial S} + \lambda W,
#    \qquad \frac{\partial L}{\partial b} = \sum_{i} \frac{\partial L}{\partial s_{i}} . $$
#
# **Gradient descent** repeats: compute the loss and gradients, then step every parameter a
# little against its gradient, $W \leftarrow W - \alpha\, \partial L / \partial W$ with step
# size $\alpha$. The loop below is given; it uses your `softmax_loss` and `l2_penalty`.

# %%
D, K = X.shape[1], 3
rng = np.random.default_rng(0)
W = 0.01 * rng.standard_normal((D, K))
b = np.zeros(K)
step_size, reg = 1.0, 1e-3

for iteration in range(201):
    scores = X @ W + b
    data_loss, dscores = softmax_loss(scores, y)
    penalty, dW_penalty = l2_penalty(W, reg)
    if iteration % 50 == 0:
        accuracy = np.mean(np.argmax(scores, axis=1) == y)
        print(f"iteration {iteration:3d}: loss {data_loss + penalty:.4f}, training accuracy {accuracy:.2f}")
    W -= step_size * (X.T @ dscores + dW_penalty)
    b -= step_size * dscores.sum(axis=0)

# %%
final_loss = data_loss + penalty
accuracy = np.mean(np.argmax(X @ W + b, axis=1) == y)
print(f"after training: loss {final_loss:.3f}, training accuracy {accuracy:.0%}")
if needs("softmax_loss", "l2_penalty"):
    assert (f"{final_loss:.2f}", f"{accuracy:.0%}") == ("0.75", "53%"), (
        "the text below quotes a final loss of about 0.75 and a training accuracy of 53%"
    )

# %% [markdown]
# The loss stops falling at about 0.75, and only 53% of the training points are classified
# correctly (guessing gives a third). Training did not go wrong: this is the best a linear
# classifier can do here. The plot shows why. Each class wins where its score
# $x \cdot W_{:,k} + b_k$ is the largest, and the set where one linear function beats the
# others is an intersection of half-planes: a **convex** wedge. Three wedges cannot follow
# three interleaved spiral arms. The plot uses these given helpers:

# %%
from solutions.plots import class_style, plot_spiral, plot_decision_regions

# %%
fig, ax = plt.subplots(figsize=(5.5, 5.5))
plot_decision_regions(
    ax, lambda points: np.argmax(points @ W + b, axis=1), X, y,
    f"Linear softmax classifier: training accuracy {accuracy:.2f}",
)
plt.show()

# %% [markdown]
# To bend the boundaries, the classifier needs to compute its scores from **non-linear features**
# of the input rather than from the input itself. A hidden layer $h = f(XW_1 + b_1)$ with one of
# the activations of notebook 01 computes such features, and learns them. Notebook 03 stacks two
# hidden layers, trains them with the loss and gradients you wrote here, and compares the
# sigmoid with ReLU.

# %% [markdown]
# ## Further reading
#
# - Stanford's CS231n notes: "Linear classification" (the softmax classifier and its
#   cross-entropy loss), <https://cs231n.github.io/linear-classify/>; "Putting it together:
#   Minimal Neural Network Case Study", the spiral and the linear classifier of this notebook,
#   <https://cs231n.github.io/neural-networks-case-study/>; "Neural Networks Part 3", gradient
#   checks with the relative error, <https://cs231n.github.io/neural-networks-3/>.
# - I. Goodfellow, Y. Bengio and A. Courville (2016), *Deep Learning*, MIT Press, section 4.1
#   (overflow, underflow and the stable softmax) and section 6.2.2 (softmax output units and
#   the cross-entropy), <https://www.deeplearningbook.org>.
