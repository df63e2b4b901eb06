"""Hidden tests and known mistakes of assignment 02: softmax, the loss, L2 and gradient checking."""

import numpy as np

from autograder.engine import Case, exercise
from solutions import softmax_classifier as ref


def random_scores(rng, N=None, K=None, scale=3.0, offset=0.0):
    N = int(rng.integers(2, 9)) if N is None else N
    K = int(rng.integers(2, 7)) if K is None else K
    return offset + scale * rng.standard_normal((N, K))


def random_labels(rng, N, K, dtype=np.int64):
    return rng.integers(0, K, size=N).astype(dtype)


# ---------------------------------------------------------------- softmax


@exercise(ref.softmax)
def softmax(rng):
    yield Case((random_scores(rng, N=4, K=4),), "random scores of shape (4, 4)")
    for _ in range(2):
        yield Case((random_scores(rng),), "random scores")
    yield Case((random_scores(rng, N=1),), "a single row (N=1)")
    yield Case((random_scores(rng, offset=1000.0),), "scores around 1000", no_warnings=True)
    rows = random_scores(rng, N=5, K=3) + np.array([[-1000.0], [-10.0], [0.0], [10.0], [1000.0]])
    yield Case((rows,), "rows around -1000, -10, 0, 10 and 1000", no_warnings=True)


ROW_MAX, ROW_SUM = "scores.max(axis=1, keepdims=True)", "exp.sum(axis=1, keepdims=True)"
softmax.mistake(
    "the softmax is taken over the wrong axis: each ROW (axis=1) must sum to 1",
    {ROW_MAX: "scores.max(axis=0, keepdims=True)", ROW_SUM: "exp.sum(axis=0, keepdims=True)"},
)
softmax.mistake(
    "the maximum is not subtracted, so exp overflows for large scores; subtract "
    "each row's maximum first (it does not change the result)",
    {f"scores - {ROW_MAX}": "scores"},
)
softmax.mistake(
    "the maximum of the whole array is subtracted; subtract each row's own "
    "maximum, or rows far below it underflow to 0/0",
    {ROW_MAX: "scores.max()"},
)
softmax.mistake(
    "the row maxima are subtracted without keepdims=True, so an array of shape "
    "(N,) is subtracted along the columns; use scores.max(axis=1, keepdims=True)",
    {ROW_MAX: "scores.max(axis=1)"},
)
softmax.mistake(
    "the row sums are taken without keepdims=True, so an array of shape (N,) "
    "divides the columns; use exp.sum(axis=1, keepdims=True)",
    {ROW_SUM: "exp.sum(axis=1)"},
)


# ---------------------------------------------------------------- softmax_loss


@exercise(ref.softmax_loss)
def softmax_loss(rng):
    for _ in range(2):
        scores = random_scores(rng)
        yield Case((scores, random_labels(rng, *scores.shape)), "random scores and labels")
    scores = random_scores(rng, N=6)
    yield Case((scores, random_labels(rng, *scores.shape, dtype=np.uint8)), "labels of dtype uint8")
    scores = random_scores(rng, N=1)
    yield Case((scores, random_labels(rng, *scores.shape)), "a single example (N=1)")
    scores = random_scores(rng, offset=1000.0)
    yield Case((scores, random_labels(rng, *scores.shape)), "scores around 1000", no_warnings=True)


softmax_loss.mistake(
    "the loss is the sum over the examples; divide it by N to get the mean",
    {"np.vdot(one_hot, log_probs) / N": "np.vdot(one_hot, log_probs)"},
)
softmax_loss.mistake(
    "dscores is not divided by N; the loss is a mean over the N examples, "
    "so its gradient is (probs - one_hot(y)) / N",
    {"    dscores /= N\n": ""},
)
softmax_loss.mistake(
    "in dscores, 1 must be subtracted from the probability of the correct "
    "class: dscores = (probs - one_hot(y)) / N",
    {"np.exp(log_probs) - one_hot": "np.exp(log_probs)"},
)
softmax_loss.mistake(
    "the sign of dscores is flipped: it is (probs - one_hot(y)) / N",
    {"np.exp(log_probs) - one_hot": "one_hot - np.exp(log_probs)"},
)
softmax_loss.mistake(
    "the loss has the wrong sign: it is MINUS the mean log-probability of "
    "the correct class, a positive number",
    {"-np.vdot": "np.vdot"},
)
softmax_loss.mistake(
    "the exponentials are taken of the raw scores, which overflow for large "
    "scores; subtract each row's maximum first, or call your softmax",
    {
        "shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))": (
            "np.log(np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True))"
        )
    },
)


# ---------------------------------------------------------------- l2_penalty


@exercise(ref.l2_penalty)
def l2_penalty(rng):
    for _ in range(3):
        shape = tuple(int(n) for n in rng.integers(1, 7, size=2))
        reg = float(rng.uniform(0.01, 2.0))
        yield Case((rng.standard_normal(shape), reg), f"W of shape {shape}, reg={reg:.3g}")
    yield Case((rng.standard_normal(5), 0.0), "reg=0")


WITHOUT_HALF = "the factor 0.5 is missing: the penalty is 0.5 * reg * sum(W**2), and its gradient reg * W"
l2_penalty.mistake(WITHOUT_HALF, {"return 0.5 * reg": "return reg"})
l2_penalty.mistake(
    WITHOUT_HALF,
    {"return 0.5 * reg * float(np.vdot(W, W)), reg": "return reg * float(np.vdot(W, W)), 2 * reg"},
)
l2_penalty.mistake(
    "the gradient of 0.5 * reg * sum(W**2) is reg * W: the 0.5 cancels the 2 of the square",
    {"), reg * W": "), 0.5 * reg * W"},
)
l2_penalty.mistake(
    "the weights are not squared: the penalty is 0.5 * reg * sum(W * W)", {"np.vdot(W, W)": "np.sum(W)"}
)


# ---------------------------------------------------------------- eval_numerical_gradient


class Cubic:
    """A smooth scalar test function of x: sum(a * x**3 + b * x**2 + c * x) + sum(sin(x))."""

    def __init__(self, rng, shape):
        self.a, self.b, self.c = (rng.standard_normal(shape) for _ in range(3))

    def __call__(self, x):
        return float(np.sum(self.a * x**3 + self.b * x**2 + self.c * x + np.sin(x)))


@exercise(ref.eval_numerical_gradient)
def eval_numerical_gradient(rng):
    shape = (3, 4)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape), 1e-3), "x of shape (3, 4), h=1e-3")
    shape = (5,)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape), 1e-4), "x of shape (5,), h=1e-4")
    shape = (2, 3, 2)
    yield Case((Cubic(rng, shape), rng.standard_normal(shape)), "x of shape (2, 3, 2), default h")
    yield Case((Cubic(rng, (1,)), rng.standard_normal(1)), "x of shape (1,), default h")


eval_numerical_gradient.mistake(
    "this is the forward difference (f(x + h) - f(x)) / h; use "
    "the centered difference (f(x + h) - f(x - h)) / (2 h), which is far more accurate",
    {"x[i] = original - h": "x[i] = original", "(f_plus - f_minus) / (2 * h)": "(f_plus - f_minus) / h"},
)
eval_numerical_gradient.mistake(
    "x is not restored after nudging an entry: put each entry "
    "back to its original value before moving on to the next",
    {"        x[i] = original\n": ""},
)
eval_numerical_gradient.mistake(
    "the difference is divided by h; the two points x + h and x - h are 2 h apart, so divide by 2 h",
    {"/ (2 * h)": "/ h"},
)


# ---------------------------------------------------------------- rel_error


@exercise(ref.rel_error)
def rel_error(rng):
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


rel_error.mistake(
    "entries where a and b are both 0 divide 0 by 0; the denominator is max(1e-8, |a| + |b|)",
    {"np.maximum(1e-8, np.abs(a) + np.abs(b))": "(np.abs(a) + np.abs(b))"},
)
rel_error.mistake(
    "this is the mean of the entries' relative errors; take the largest (np.max)", {"np.max(": "np.mean("}
)
rel_error.mistake(
    "this divides the largest difference by the largest |a| + |b|; compute "
    "the relative error of each entry first, then take the largest",
    {
        "np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))": (
            "np.max(np.abs(a - b)) / np.maximum(1e-8, np.max(np.abs(a) + np.abs(b)))"
        )
    },
)
rel_error.mistake("the difference needs its absolute value: |a - b|", {"np.abs(a - b)": "(a - b)"})
