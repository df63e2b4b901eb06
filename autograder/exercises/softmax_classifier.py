"""Hidden tests and known mistakes of assignment 02: softmax, the loss, L2 and gradient checking."""

import numpy as np

from autograder.engine import Case, exercise, mistake
from solutions import softmax_classifier as ref


def random_scores(rng, N=None, K=None, scale=3.0, offset=0.0):
    N = int(rng.integers(2, 9)) if N is None else N
    K = int(rng.integers(2, 7)) if K is None else K
    return offset + scale * rng.standard_normal((N, K))


def random_labels(rng, N, K, dtype=np.int64):
    return rng.integers(0, K, size=N).astype(dtype)


# ---------------------------------------------------------------- softmax


@exercise("softmax", ref.softmax)
def softmax_cases(rng):
    yield Case((random_scores(rng, N=4, K=4),), "random scores of shape (4, 4)")
    for _ in range(2):
        yield Case((random_scores(rng),), "random scores")
    yield Case((random_scores(rng, N=1),), "a single row (N=1)")
    yield Case((random_scores(rng, offset=1000.0),), "scores around 1000", no_warnings=True)
    rows = random_scores(rng, N=5, K=3) + np.array([[-1000.0], [-10.0], [0.0], [10.0], [1000.0]])
    yield Case((rows,), "rows around -1000, -10, 0, 10 and 1000", no_warnings=True)


@mistake("softmax", "the softmax is taken over the wrong axis: each ROW (axis=1) must sum to 1")
def softmax_wrong_axis(scores):
    exp = np.exp(scores - scores.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


@mistake(
    "softmax",
    "the maximum is not subtracted, so exp overflows for large scores; subtract "
    "each row's maximum first (it does not change the result)",
)
def softmax_unstable(scores):
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@mistake(
    "softmax",
    "the maximum of the whole array is subtracted; subtract each row's own "
    "maximum, or rows far below it underflow to 0/0",
)
def softmax_global_max(scores):
    exp = np.exp(scores - scores.max())
    return exp / exp.sum(axis=1, keepdims=True)


@mistake(
    "softmax",
    "the row maxima are subtracted without keepdims=True, so an array of shape "
    "(N,) is subtracted along the columns; use scores.max(axis=1, keepdims=True)",
)
def softmax_max_without_keepdims(scores):
    exp = np.exp(scores - scores.max(axis=1))
    return exp / exp.sum(axis=1, keepdims=True)


@mistake(
    "softmax",
    "the row sums are taken without keepdims=True, so an array of shape (N,) "
    "divides the columns; use exp.sum(axis=1, keepdims=True)",
)
def softmax_sum_without_keepdims(scores):
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1)


# ---------------------------------------------------------------- softmax_loss


@exercise("softmax_loss", ref.softmax_loss)
def softmax_loss_cases(rng):
    for _ in range(2):
        scores = random_scores(rng)
        yield Case((scores, random_labels(rng, *scores.shape)), "random scores and labels")
    scores = random_scores(rng, N=6)
    yield Case((scores, random_labels(rng, *scores.shape, dtype=np.uint8)), "labels of dtype uint8")
    scores = random_scores(rng, N=1)
    yield Case((scores, random_labels(rng, *scores.shape)), "a single example (N=1)")
    scores = random_scores(rng, offset=1000.0)
    yield Case((scores, random_labels(rng, *scores.shape)), "scores around 1000", no_warnings=True)


@mistake("softmax_loss", "the loss is the sum over the examples; divide it by N to get the mean")
def softmax_loss_summed(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.sum(np.log(probs[np.arange(N), y]))), dscores / N


@mistake(
    "softmax_loss",
    "dscores is not divided by N; the loss is a mean over the N examples, "
    "so its gradient is (probs - one_hot(y)) / N",
)
def softmax_loss_gradient_not_averaged(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), dscores


@mistake(
    "softmax_loss",
    "in dscores, 1 must be subtracted from the probability of the correct "
    "class: dscores = (probs - one_hot(y)) / N",
)
def softmax_loss_gradient_without_one_hot(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(probs[np.arange(N), y]))), probs / N


@mistake("softmax_loss", "the sign of dscores is flipped: it is (probs - one_hot(y)) / N")
def softmax_loss_gradient_flipped(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), -dscores / N


@mistake(
    "softmax_loss",
    "the loss has the wrong sign: it is MINUS the mean log-probability of "
    "the correct class, a positive number",
)
def softmax_loss_sign(scores, y):
    N, K = scores.shape
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp / exp.sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(np.mean(np.log(probs[np.arange(N), y]))), dscores / N


@mistake(
    "softmax_loss",
    "the exponentials are taken of the raw scores, which overflow for large "
    "scores; subtract each row's maximum first, or call your softmax",
)
def softmax_loss_unstable(scores, y):
    N, K = scores.shape
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return float(-np.mean(np.log(probs[np.arange(N), y]))), dscores / N


# ---------------------------------------------------------------- l2_penalty


@exercise("l2_penalty", ref.l2_penalty)
def l2_penalty_cases(rng):
    for _ in range(3):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
        reg = float(rng.uniform(0.01, 2.0))
        yield Case((rng.standard_normal(shape), reg), f"W of shape {shape}, reg={reg:.3g}")
    yield Case((rng.standard_normal(5), 0.0), "reg=0")


@mistake(
    "l2_penalty",
    "the factor 0.5 is missing: the penalty is 0.5 * reg * sum(W**2), and its gradient reg * W",
)
def l2_penalty_without_half(W, reg):
    return reg * float(np.sum(W * W)), reg * W


@mistake(
    "l2_penalty",
    "the factor 0.5 is missing: the penalty is 0.5 * reg * sum(W**2), and its gradient reg * W",
)
def l2_penalty_without_half_consistent(W, reg):
    return reg * float(np.sum(W * W)), 2 * reg * W


@mistake(
    "l2_penalty",
    "the gradient of 0.5 * reg * sum(W**2) is reg * W: the 0.5 cancels the 2 of the square",
)
def l2_penalty_gradient_halved(W, reg):
    return 0.5 * reg * float(np.sum(W * W)), 0.5 * reg * W


@mistake("l2_penalty", "the weights are not squared: the penalty is 0.5 * reg * sum(W * W)")
def l2_penalty_not_squared(W, reg):
    return 0.5 * reg * float(np.sum(W)), reg * W


# ---------------------------------------------------------------- eval_numerical_gradient


class Cubic:
    """A smooth scalar test function of x: sum(a * x**3 + b * x**2 + c * x) + sum(sin(x))."""

    def __init__(self, rng, shape):
        self.a, self.b, self.c = (rng.standard_normal(shape) for _ in range(3))

    def __call__(self, x):
        return float(np.sum(self.a * x**3 + self.b * x**2 + self.c * x + np.sin(x)))


@exercise("eval_numerical_gradient", ref.eval_numerical_gradient)
def eval_numerical_gradient_cases(rng):
    shape = (3, 4)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape), 1e-3), "x of shape (3, 4), h=1e-3")
    shape = (5,)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape), 1e-4), "x of shape (5,), h=1e-4")
    shape = (2, 3, 2)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape)), "x of shape (2, 3, 2), default h")
    yield Case((Cubic(rng, (1,)), rng.standard_normal(1)), "x of shape (1,), default h")


@mistake(
    "eval_numerical_gradient",
    "this is the forward difference (f(x + h) - f(x)) / h; use "
    "the centered difference (f(x + h) - f(x - h)) / (2 h), which is far more accurate",
)
def eval_numerical_gradient_forward(f, x, h=1e-5):
    grad = np.zeros_like(x)
    f_x = f(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        grad[i] = (f(x) - f_x) / h
        x[i] = original
    return grad


@mistake(
    "eval_numerical_gradient",
    "x is not restored after nudging an entry: put each entry "
    "back to its original value before moving on to the next",
)
def eval_numerical_gradient_not_restored(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


@mistake(
    "eval_numerical_gradient",
    "the difference is divided by h; the two points x + h and x - h are 2 h apart, so divide by 2 h",
)
def eval_numerical_gradient_half_step(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f(x)
        x[i] = original - h
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / h
    return grad


# ---------------------------------------------------------------- rel_error


@exercise("rel_error", ref.rel_error)
def rel_error_cases(rng):
    a = rng.standard_normal((3, 4))
    yield Case((a, a + 1e-3 * rng.standard_normal((3, 4))), "two close arrays of shape (3, 4)")
    a, b = rng.standard_normal(6), rng.standard_normal(6)
    yield Case((a, b), "two unrelated arrays of shape (6,)")
    a = rng.standard_normal(5)
    a[[1, 3]] = 0.0
    yield Case((a, a.copy()), "equal arrays with zero entries", no_warnings=True)
    a = 1e-3 * rng.standard_normal((2, 3))
    yield Case((a, a + 1e-9 * rng.standard_normal((2, 3))), "small entries, around 1e-3")
    a, b = np.array([1.0, 2.0, -1.0]), np.array([1.0, 3.0, -1.2])
    yield Case((a, b), "a = [1, 2, -1], b = [1, 3, -1.2]")


@mistake(
    "rel_error",
    "entries where a and b are both 0 divide 0 by 0; the denominator is max(1e-8, |a| + |b|)",
)
def rel_error_no_floor(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


@mistake("rel_error", "this is the mean of the entries' relative errors; take the largest (np.max)")
def rel_error_mean(a, b):
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


@mistake(
    "rel_error",
    "this divides the largest difference by the largest |a| + |b|; compute "
    "the relative error of each entry first, then take the largest",
)
def rel_error_ratio_of_maxima(a, b):
    return float(np.max(np.abs(a - b)) / np.maximum(1e-8, np.max(np.abs(a) + np.abs(b))))


@mistake("rel_error", "the difference needs its absolute value: |a - b|")
def rel_error_signed(a, b):
    return float(np.max((a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
