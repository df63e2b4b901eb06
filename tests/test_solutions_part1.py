"""The Part I reference: gradients against numerical gradients, and the seed's results."""

import numpy as np
import pytest

from solutions.softmax_classifier import (
    eval_numerical_gradient,
    l2_penalty,
    rel_error,
    softmax_loss,
)
from solutions.spiral_activations import make_spiral, relu, sigmoid, tanh_grad
from solutions.three_layer_net import backward, forward, init_params, predict, train

rng = np.random.default_rng(0)


def test_softmax_loss_gradient():
    scores, y = rng.standard_normal((7, 4)), rng.integers(0, 4, 7)
    _, dscores = softmax_loss(scores, y)
    numerical = eval_numerical_gradient(lambda s: softmax_loss(s, y)[0], scores.copy())
    assert rel_error(dscores, numerical) < 1e-7


def test_l2_penalty_gradient():
    W = rng.standard_normal((3, 5))
    _, dW = l2_penalty(W, 0.3)
    assert rel_error(dW, eval_numerical_gradient(lambda w: l2_penalty(w, 0.3)[0], W.copy())) < 1e-7


@pytest.mark.parametrize("nonlinearity", ["sigmoid", "relu"])
def test_network_gradients(nonlinearity):
    X, y = make_spiral(N=5, K=3, seed=1)
    params = init_params(D=2, H1=6, H2=5, K=3, seed=2)
    params = {k: v + 0.1 * rng.standard_normal(v.shape) for k, v in params.items()}  # nonzero biases
    reg = 0.1

    def loss(_):
        scores, _cache = forward(X, params, nonlinearity)
        penalty = sum(l2_penalty(params[W], reg)[0] for W in ("W1", "W2", "W3"))
        return softmax_loss(scores, y)[0] + penalty

    scores, cache = forward(X, params, nonlinearity)
    grads = backward(softmax_loss(scores, y)[1], cache, params, nonlinearity, reg)
    for name, value in params.items():
        assert rel_error(grads[name], eval_numerical_gradient(loss, value)) < 1e-7, name


def test_activations_are_stable_and_exact():
    with np.errstate(all="raise"):
        assert np.array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
    x = rng.standard_normal(50)
    assert np.allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    assert np.allclose(tanh_grad(np.tanh(x)), 1 / np.cosh(x) ** 2)
    assert relu(x).min() >= 0


SEED = {"sigmoid": (0.468, 0.96), "relu": (0.1126, 0.99)}


@pytest.mark.slow
@pytest.mark.parametrize("nonlinearity", ["sigmoid", "relu"])
def test_seed_results_are_reproduced(nonlinearity):
    """The seed's run: 50,000 iterations, step 0.1, reg 1e-3, trained in float32 as notebook 03 does."""
    X, y = make_spiral(seed=0)
    X = X.astype(np.float32)
    params = {k: v.astype(np.float32) for k, v in init_params(seed=1).items()}
    history = train(X, y, params, nonlinearity, iterations=50_000, step_size=0.1, reg=1e-3)
    accuracy = np.mean(predict(X, params, nonlinearity) == y)
    seed_loss, seed_accuracy = SEED[nonlinearity]
    loss = history["loss"][-1]
    print(f"{nonlinearity}: loss {loss:.4f} vs {seed_loss}, accuracy {accuracy:.3f} vs {seed_accuracy}")
    assert accuracy >= seed_accuracy
    assert loss <= seed_loss * 1.05
