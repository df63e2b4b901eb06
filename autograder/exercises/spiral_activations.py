"""Hidden tests and known mistakes of assignment 01: the spiral data and the activations."""

import numpy as np

from autograder.engine import Case, exercise, mistake, output_problem
from solutions import spiral_activations as ref


def random_array(rng, scale=3.0):
    shape = tuple(int(n) for n in rng.integers(1, 6, size=rng.integers(1, 3)))
    return scale * rng.standard_normal(shape)


# ---------------------------------------------------------------- make_spiral


def spiral_problem(got, expected, args, call):
    """The data need not match the reference draw for draw; check what defines a spiral."""
    N, K, noise, seed = args
    shape_problem = output_problem(
        tuple(np.zeros_like(a) for a in got) if isinstance(got, tuple) else got,
        tuple(np.zeros_like(a) for a in expected),
        "the output",
    )
    if shape_problem:
        return shape_problem
    X, y = got
    if not np.array_equal(y, expected[1]):
        return "y is wrong: rows N*j to N*(j+1) must have label j"
    radius = np.hypot(X[:, 0], X[:, 1])
    if not np.allclose(radius, np.tile(np.linspace(0.0, 1.0, N), K)):
        return "the radius of the points in each class must go from 0 to 1 in N even steps"
    angle = np.arctan2(X[:, 0], X[:, 1])  # the point is (r sin t, r cos t)
    planned = np.concatenate([np.linspace(4.0 * j, 4.0 * (j + 1), N) for j in range(K)])
    residual = np.angle(np.exp(1j * (angle - planned)))[radius > 0]
    if abs(residual.std() - noise) > 0.25 * noise + 1e-9 or abs(residual.mean()) > 0.1 * noise + 1e-9:
        return (
            f"the angles should be np.linspace(4j, 4(j+1), N) plus Gaussian noise of standard "
            f"deviation {noise}; the noise in yours has standard deviation {residual.std():.3g}"
        )
    again = call(*args)
    if again.error is None and output_problem(again.value, got, "a second call", 0.0, 0.0):
        return (
            "two calls with the same seed gave different data: "
            "draw the noise from np.random.default_rng(seed)"
        )
    return None


@exercise("make_spiral", ref.make_spiral)
def make_spiral_cases(rng):
    yield Case((100, 3, 0.0, 0), "N=100, K=3, noise=0")
    for _ in range(3):
        N, K = int(rng.integers(60, 200)), int(rng.integers(2, 6))
        seed = int(rng.integers(1000))
        yield Case((N, K, 0.2, seed), f"N={N}, K={K}, noise=0.2, seed={seed}", verify=spiral_problem)


@mistake("make_spiral", "x and y are swapped: each point is (r sin t, r cos t)")
def make_spiral_swapped(N=100, K=3, noise=0.2, seed=None):
    X, y = ref.make_spiral(N, K, noise, seed)
    return X[:, ::-1].copy(), y


# ---------------------------------------------------------------- sigmoid


@exercise("sigmoid", ref.sigmoid)
def sigmoid_cases(rng):
    for _ in range(4):
        yield Case((random_array(rng),), "random x")
    yield Case(
        (np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]),),
        "x = [-1000, -50, 0, 50, 1000]",
        no_warnings=True,
    )


@mistake(
    "sigmoid",
    "exp(-x) overflows for large negative x; use an expression that stays finite, "
    "for instance 0.5 * (1 + np.tanh(0.5 * x)), or exp(-|x|)",
)
def sigmoid_overflowing(x):
    return 1 / (1 + np.exp(-x))


@mistake("sigmoid", "the sign is flipped: sigmoid(x) = 1 / (1 + exp(-x)) goes to 1 for large x")
def sigmoid_flipped(x):
    return 1 / (1 + np.exp(x))


# ---------------------------------------------------------------- gradients from outputs


def activation_outputs(rng, activation):
    return activation(random_array(rng))


@exercise("sigmoid_grad", ref.sigmoid_grad)
def sigmoid_grad_cases(rng):
    for _ in range(4):
        yield Case((activation_outputs(rng, ref.sigmoid),), "s = sigmoid(random x)")


@mistake(
    "sigmoid_grad",
    "the sigmoid gradient is applied to the pre-activation: sigmoid_grad receives "
    "the sigmoid's OUTPUT s and returns s * (1 - s), without calling sigmoid again",
)
def sigmoid_grad_of_preactivation(s):
    return ref.sigmoid(s) * (1 - ref.sigmoid(s))


@exercise("relu", ref.relu)
def relu_cases(rng):
    for _ in range(4):
        yield Case((random_array(rng),), "random x")


@exercise("relu_grad", ref.relu_grad)
def relu_grad_cases(rng):
    for _ in range(3):
        yield Case((activation_outputs(rng, ref.relu),), "h = relu(random x)")
    yield Case((np.array([0.0, 0.0, 1.0]),), "h = [0, 0, 1]")


@mistake("relu_grad", "the gradient at h == 0 must be 0 (ReLU is flat there); use h > 0, not h >= 0")
def relu_grad_at_zero(h):
    return (h >= 0).astype(np.float64)


@mistake("relu_grad", "the result is boolean; convert it to floats with .astype(np.float64)")
def relu_grad_boolean(h):
    return h > 0


@exercise("tanh_grad", ref.tanh_grad)
def tanh_grad_cases(rng):
    for _ in range(4):
        yield Case((activation_outputs(rng, np.tanh),), "t = tanh(random x)")


@mistake(
    "tanh_grad",
    "the tanh derivative is taken from the pre-activation: tanh_grad receives the "
    "OUTPUT t = tanh(x) and returns 1 - t**2, without calling np.tanh again",
)
def tanh_grad_of_preactivation(t):
    return 1 - np.tanh(t) ** 2
