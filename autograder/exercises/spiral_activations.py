"""Hidden tests and known mistakes of assignment 01: the spiral data and the activations."""

import numpy as np

from autograder.engine import Case, exercise, output_problem
from autograder.exercises.shared import same_seed_problem
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
    # n draws of N(0, noise): their mean and standard deviation lie within 5 standard errors
    # (noise / sqrt(n) and noise / sqrt(2 n)) but once in 10^6 samples
    n = residual.size
    if (
        abs(residual.std() - noise) > 5 * noise / np.sqrt(2 * n) + 1e-9
        or abs(residual.mean()) > 5 * noise / np.sqrt(n) + 1e-9
    ):
        return (
            f"the angles should be np.linspace(4j, 4(j+1), N) plus Gaussian noise of standard "
            f"deviation {noise}; the noise in yours has mean {residual.mean():.3g} and standard deviation "
            f"{residual.std():.3g}"
        )
    return same_seed_problem(got, args, call, "data")


@exercise(ref.make_spiral)
def make_spiral(rng):
    yield Case((100, 3, 0.0, 0), "N=100, K=3, noise=0")
    for _ in range(3):
        N, K = int(rng.integers(60, 200)), int(rng.integers(2, 6))
        seed = int(rng.integers(1000))
        yield Case((N, K, 0.2, seed), f"N={N}, K={K}, noise=0.2, seed={seed}", verify=spiral_problem)


make_spiral.mistake(
    "x and y are swapped: each point is (r sin t, r cos t)",
    {"radius * np.sin(angle), radius * np.cos(angle)": "radius * np.cos(angle), radius * np.sin(angle)"},
)


# ---------------------------------------------------------------- sigmoid


@exercise(ref.sigmoid)
def sigmoid(rng):
    for _ in range(4):
        yield Case((random_array(rng),), "random x")
    yield Case(
        (np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]),),
        "x = [-1000, -50, 0, 50, 1000]",
        no_warnings=True,
    )


sigmoid.mistake(
    "exp(-x) overflows for large negative x; use an expression that stays finite, "
    "for instance 0.5 * (1 + np.tanh(0.5 * x)), or exp(-|x|)",
    {"0.5 * (1.0 + np.tanh(0.5 * x))": "1 / (1 + np.exp(-x))"},
)
sigmoid.mistake(
    "the sign is flipped: sigmoid(x) = 1 / (1 + exp(-x)) goes to 1 for large x",
    {"0.5 * (1.0 + np.tanh(0.5 * x))": "1 / (1 + np.exp(x))"},
)


# ---------------------------------------------------------------- gradients from outputs


def activation_outputs(rng, activation):
    return activation(random_array(rng))


@exercise(ref.sigmoid_grad)
def sigmoid_grad(rng):
    for _ in range(4):
        yield Case((activation_outputs(rng, ref.sigmoid),), "s = sigmoid(random x)")


sigmoid_grad.mistake(
    "the sigmoid gradient is applied to the pre-activation: sigmoid_grad receives "
    "the sigmoid's OUTPUT s and returns s * (1 - s), without calling sigmoid again",
    {"s * (1.0 - s)": "sigmoid(s) * (1.0 - sigmoid(s))"},
)


@exercise(ref.relu)
def relu(rng):
    for _ in range(4):
        yield Case((random_array(rng),), "random x")


@exercise(ref.relu_grad)
def relu_grad(rng):
    for _ in range(3):
        yield Case((activation_outputs(rng, ref.relu),), "h = relu(random x)")
    yield Case((np.array([0.0, 0.0, 1.0]),), "h = [0, 0, 1]")


relu_grad.mistake(
    "the gradient at h == 0 must be 0 (ReLU is flat there); use h > 0, not h >= 0", {"(h > 0)": "(h >= 0)"}
)
relu_grad.mistake(
    "the result is boolean; convert it to floats with .astype(np.float64)",
    {"(h > 0).astype(h.dtype)": "h > 0"},
)


@exercise(ref.tanh_grad)
def tanh_grad(rng):
    for _ in range(4):
        yield Case((activation_outputs(rng, np.tanh),), "t = tanh(random x)")


tanh_grad.mistake(
    "the tanh derivative is taken from the pre-activation: tanh_grad receives the "
    "OUTPUT t = tanh(x) and returns 1 - t**2, without calling np.tanh again",
    {"t * t": "np.tanh(t) ** 2"},
)
