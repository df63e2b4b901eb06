"""Hidden tests and known mistakes of assignment 05: backpropagation through time and clipping."""

import numpy as np

from autograder.engine import Case, exercise
from autograder.exercises.rnn_forward import random_parameters, random_sizes, sizes_label
from solutions import rnn_backward as ref
from solutions import rnn_forward as ref04

# ---------------------------------------------------------------- rnn_cell_backward


@exercise(ref.rnn_cell_backward)
def rnn_cell_backward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, _ = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        xt, a_prev = rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m))
        _, _, cache = ref04.rnn_cell_forward(xt, a_prev, parameters)
        da_next = rng.standard_normal((n_a, m))
        yield Case((da_next, cache), sizes_label(n_x, n_a, n_y, m))
    parameters = random_parameters(rng, 3, 4, 2)
    _, _, cache = ref04.rnn_cell_forward(rng.standard_normal((3, 1)), rng.standard_normal((4, 1)), parameters)
    yield Case((rng.standard_normal((4, 1)), cache), "one example (m=1)")


rnn_cell_backward.mistake(
    "the tanh derivative is computed as if a_next were the pre-activation: a_next already is "
    "tanh(z), so the derivative is 1 - a_next**2, not 1 - tanh(a_next)**2",
    {"(1 - a_next**2)": "(1 - np.tanh(a_next) ** 2)"},
)
rnn_cell_backward.mistake(
    "the tanh derivative is missing: multiply da_next by 1 - a_next**2 before going through the weights",
    {"da_next * (1 - a_next**2)": "da_next"},
)
rnn_cell_backward.mistake(
    "da_prev goes through Waa untransposed: the gradient flows back through the transpose, "
    "da_prev = Waa.T @ dz",
    {'parameters["Waa"].T @ dz': 'parameters["Waa"] @ dz'},
)
rnn_cell_backward.mistake(
    "dWaa is taken with a_next; Waa multiplies a_prev, so dWaa = dz @ a_prev.T",
    {"dz @ a_prev.T": "dz @ a_next.T"},
)
rnn_cell_backward.mistake(
    "dba is averaged over the examples; the bias is added to every column, so its gradient is "
    "the SUM over the examples (axis=1, keepdims=True)",
    {"dz.sum(axis=1": "dz.mean(axis=1"},
)


# ---------------------------------------------------------------- rnn_backward


@exercise(ref.rnn_backward)
def rnn_backward(rng):
    for _ in range(3):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        _, _, caches = ref04.rnn_forward(x, a0, parameters)
        da = rng.standard_normal((n_a, m, T_x))
        yield Case((da, caches), sizes_label(n_x, n_a, n_y, m, T_x))
    n_x, n_a, n_y, m, T_x = 3, 4, 2, 2, 6
    parameters = random_parameters(rng, n_x, n_a, n_y)
    x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
    _, _, caches = ref04.rnn_forward(x, a0, parameters)
    da = np.zeros((n_a, m, T_x))
    da[:, :, -1] = rng.standard_normal((n_a, m))
    yield Case((da, caches), "a gradient on the last hidden state only, which must reach every step")


rnn_backward.mistake(
    "the gradient is not carried from step t+1 into step t: the gradient reaching a<t> is "
    "da[:, :, t] PLUS the da_prev that the cell of step t+1 sent back",
    {"da[:, :, t] + da_prevt": "da[:, :, t]"},
)
rnn_backward.mistake(
    "the parameter gradients are overwritten at every step; the same parameters are used at "
    "every time step, so their gradients are SUMMED over the steps (dWax += ...)",
    {"dWax += ": "dWax = ", "dWaa += ": "dWaa = ", "dba += ": "dba = "},
)
rnn_backward.mistake(
    "the steps are visited forwards in time; backpropagation goes from the last step T_x - 1 "
    "back to step 0, so that da_prev of step t+1 is known when step t is processed",
    {"reversed(range(T_x))": "range(T_x)"},
)
rnn_backward.mistake(
    "only the gradient carried back from later steps enters step t; da[:, :, t], the gradient "
    "from the output at step t, must be added to it",
    {
        "da_prevt = np.zeros((n_a, m), dtype=da.dtype)": "da_prevt = da[:, :, T_x - 1]",
        "da[:, :, t] + da_prevt": "da_prevt",
    },
)


# ---------------------------------------------------------------- gradient_norms_through_time


@exercise(ref.gradient_norms_through_time)
def gradient_norms_through_time(rng):
    for scale in (0.5, 1.0, 2.0):
        n_x, n_a, n_y, m, T_x = random_sizes(rng)
        parameters = random_parameters(rng, n_x, n_a, n_y)
        parameters["Waa"] *= scale
        x, a0 = rng.standard_normal((n_x, m, T_x)), rng.standard_normal((n_a, m))
        yield Case((x, a0, parameters), f"{sizes_label(n_x, n_a, n_y, m, T_x)}, Waa scaled by {scale}")
    parameters = random_parameters(rng, 3, 4, 2)
    yield Case(
        (rng.standard_normal((3, 2, 1)), rng.standard_normal((4, 2)), parameters), "one time step (T_x=1)"
    )


RECORD, STEP_BACK = (
    "norms[t] = np.linalg.norm(da_t)",
    'da_t = rnn_cell_backward(da_t, cache_list[t])["da_prev"]',
)
gradient_norms_through_time.mistake(
    "the norms are shifted by one step: norms[t] is the norm of the gradient reaching a<t> "
    "itself, recorded BEFORE going back through the cell of step t (norms[T_x - 1] = sqrt(n_a * m))",
    {f"{RECORD}\n        {STEP_BACK}": f"{STEP_BACK}\n        {RECORD}"},
)
gradient_norms_through_time.mistake(
    "the norms are those of the gradient after the tanh (dz = da * (1 - a**2)); record the "
    "norm of dL/da_t, the gradient reaching the hidden state",
    {RECORD: "norms[t] = np.linalg.norm(da_t * (1 - a[:, :, t] ** 2))"},
)
gradient_norms_through_time.mistake(
    "the gradient is not carried back: each step starts again from ones; the gradient reaching "
    "a<t-1> is the da_prev that the cell of step t returns",
    {"rnn_cell_backward(da_t,": "rnn_cell_backward(np.ones_like(da_t),"},
)


# ---------------------------------------------------------------- clipping


def random_gradients(rng, scale):
    """A dict of gradients with the names and shapes of an RNN's, of the given typical size."""
    n_x, n_a, n_y = (int(v) for v in rng.integers(2, 7, size=3))
    shapes = {"dWax": (n_a, n_x), "dWaa": (n_a, n_a), "dba": (n_a, 1), "dWya": (n_y, n_a), "dby": (n_y, 1)}
    return {name: scale * rng.standard_normal(shape) for name, shape in shapes.items()}


@exercise(ref.clip)
def clip(rng):
    for _ in range(2):
        max_value = float(rng.uniform(1.0, 5.0))
        yield Case((random_gradients(rng, 5.0), max_value), f"max_value={max_value:.3g}")
    yield Case((random_gradients(rng, 0.1), 10.0), "gradients far below max_value=10, left unchanged")
    yield Case(
        ({"dW": np.array([[-7.0, -0.5, 0.0, 0.5, 7.0]])}, 1.0), "dW=[[-7, -0.5, 0, 0.5, 7]], max_value=1"
    )


clip.mistake(
    "the gradients are clipped in place, which changes the caller's dict; return a new dict of "
    "new arrays (np.clip without out=)",
    {"max_value, max_value)": "max_value, max_value, out=g)"},
)
clip.mistake(
    "only large positive values are clipped; the interval is [-max_value, max_value], so large "
    "negative values must be clipped too",
    {"np.clip(g, -max_value, max_value)": "np.minimum(g, max_value)"},
)


@exercise(ref.clip_by_norm)
def clip_by_norm(rng):
    for _ in range(2):
        max_norm = float(rng.uniform(1.0, 5.0))
        yield Case((random_gradients(rng, 3.0), max_norm), f"a global norm above max_norm={max_norm:.3g}")
    gradients = random_gradients(rng, 1.0)
    norms = [float(np.linalg.norm(g)) for g in gradients.values()]
    total = float(np.sqrt(sum(n**2 for n in norms)))
    max_norm = (max(norms) + total) / 2  # above every array's own norm, below the global norm
    label = f"max_norm={max_norm:.3g}: above the norm of every array, below their global norm"
    yield Case((gradients, max_norm), label)
    yield Case((random_gradients(rng, 0.01), 5.0), "a global norm below max_norm=5, left unchanged")
    gradients = {"dW": np.array([[3.0, 0.0]]), "db": np.array([[4.0]])}
    yield Case((gradients, 1.0), "dW=[[3, 0]], db=[[4]] (global norm 5), max_norm=1")


clip_by_norm.mistake(
    "the gradients are rescaled in place, which changes the caller's dict; return a new dict of new arrays",
    {
        "return {name: g * scale for name, g in gradients.items()}": (
            "for g in gradients.values():\n        g *= scale\n    return gradients"
        )
    },
)


@clip_by_norm.mistake(
    "each array is rescaled by its own norm; the norm to compare with max_norm is the GLOBAL "
    "norm of all the arrays together, and every array is scaled by the same factor"
)
def clip_by_norm_each_array(gradients, max_norm):
    clipped = {}
    for name, g in gradients.items():
        norm = float(np.sqrt(np.sum(g * g)))
        clipped[name] = g * (max_norm / norm) if norm > max_norm else g.copy()
    return clipped


clip_by_norm.mistake(
    "the gradients are rescaled even when their global norm is below max_norm; they are "
    "only scaled down, when the global norm is larger than max_norm",
    {" if global_norm > max_norm else 1.0": ""},
)
