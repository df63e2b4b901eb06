"""Assignment 09's references: the data file, the gradients, Adam, and the accuracy the notebook states.

The backward pass is checked against centred differences in float64; Adam against the
algorithm of Kingma and Ba written out step by step (and against torch.optim.Adam where PyTorch
is installed); the full training run of the notebook against the accuracy its text states.
"""

import hashlib

import numpy as np
import pytest
from conftest import optional_import
from gradcheck import assert_gradient_close

from course.build import COURSE
from solutions.lstm_gru import init_lstm_parameters
from solutions.sequence_classifier import (
    accuracy,
    adam_step,
    classifier_backward,
    classifier_forward,
    classifier_loss,
    confusion_matrix,
    images_to_sequences,
    init_adam,
    load_digits,
    minibatches,
    split,
    train_classifier,
)
from solutions.softmax_classifier import eval_numerical_gradient

FOLDER = COURSE / "source" / "09_sequence_classifier"
DIGITS = FOLDER / "digits.csv.gz"


def test_the_data_file_is_the_one_its_note_describes():
    digest = hashlib.sha256(DIGITS.read_bytes()).hexdigest()
    assert digest in (FOLDER / "digits.md").read_text(), "digits.md names another file"
    images, labels = load_digits(DIGITS)
    assert images.shape == (1797, 8, 8) and images.dtype == np.float64
    assert images.min() == 0.0 and images.max() == 1.0
    assert np.array_equal(np.bincount(labels), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])


def test_images_become_sequences_of_rows():
    images = np.random.default_rng(0).random((5, 3, 4))
    x = images_to_sequences(images)
    assert x.shape == (4, 5, 3)
    for i in range(5):
        for t in range(3):
            assert np.array_equal(x[:, i, t], images[i, t])


@pytest.mark.numerical
@pytest.mark.parametrize("seed", range(5))
def test_classifier_backward_matches_numerical_gradients(seed):
    rng = np.random.default_rng(seed)
    parameters = init_lstm_parameters(3, 4, 5, seed=seed)
    for name in parameters:  # larger weights and non-zero biases, so that every term shows
        parameters[name] += 0.5 * rng.standard_normal(parameters[name].shape)
    x = rng.standard_normal((3, 6, 5))
    labels = rng.integers(0, 5, size=6)
    probs, cache = classifier_forward(x, parameters)
    loss, dscores = classifier_loss(probs, labels)
    gradients = classifier_backward(dscores, cache, parameters)
    assert sorted(gradients) == sorted("d" + name for name in parameters)

    def loss_now(_):
        return classifier_loss(classifier_forward(x, parameters)[0], labels)[0]

    for name, value in parameters.items():
        numerical = eval_numerical_gradient(loss_now, value)
        assert_gradient_close(gradients["d" + name], numerical, loss, name=f"d{name}")


def test_loss_is_finite_for_certain_wrong_predictions():
    loss, dscores = classifier_loss(np.eye(3)[:, [0, 1]], np.array([1, 1]))
    assert np.isclose(loss, -np.log(1e-12) / 2)
    assert np.allclose(dscores, (np.eye(3)[:, [0, 1]] - np.eye(3)[:, [1, 1]]) / 2)


def test_minibatches_use_every_example_once():
    for m, batch_size in ((10, 3), (12, 4), (5, 8)):
        batches = minibatches(m, batch_size, seed=m)
        assert [len(b) for b in batches[:-1]] == [batch_size] * (len(batches) - 1)
        assert 1 <= len(batches[-1]) <= batch_size
        assert sorted(np.concatenate(batches)) == list(range(m))
    assert not np.array_equal(minibatches(50, 50, seed=(0, 0))[0], minibatches(50, 50, seed=(0, 1))[0])


def adam_by_hand(theta, gradients, learning_rate, beta1, beta2, eps):
    """Algorithm 1 of Kingma and Ba (2015) for one array, every step written out."""
    m, v, path = np.zeros_like(theta), np.zeros_like(theta), []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        theta = theta - learning_rate * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
        path.append(theta)
    return path


@pytest.mark.parametrize("options", [(0.01, 0.9, 0.999, 1e-8), (0.1, 0.5, 0.9, 1e-3)])
def test_adam_follows_the_algorithm_of_the_paper(options):
    rng = np.random.default_rng(1)
    gradients = [rng.standard_normal((3, 2)) for _ in range(6)]
    theta = {"w": rng.standard_normal((3, 2))}
    expected = adam_by_hand(theta["w"].copy(), gradients, *options)
    state = init_adam(theta)
    for t, g in enumerate(gradients):
        adam_step(theta, {"dw": g}, state, *options)
        assert state["t"] == t + 1
        assert np.allclose(theta["w"], expected[t], rtol=1e-13, atol=1e-15)


def test_adam_matches_pytorch():
    torch = optional_import("torch", "pip install torch==2.13.0 (the torch extra)")
    rng = np.random.default_rng(2)
    gradients = [rng.standard_normal((4, 3)) for _ in range(8)]
    theta = {"w": rng.standard_normal((4, 3))}
    weight = torch.tensor(theta["w"].copy(), dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.Adam([weight], lr=0.05, betas=(0.9, 0.999), eps=1e-8)
    state = init_adam(theta)
    for g in gradients:
        adam_step(theta, {"dw": g}, state, 0.05)
        weight.grad = torch.tensor(g, dtype=torch.float64)
        optimiser.step()
        assert np.allclose(theta["w"], weight.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_accuracy_and_confusion_matrix_agree():
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 6, size=300)
    probs = rng.random((6, 300))
    counts = confusion_matrix(labels, probs.argmax(axis=0), 6)
    assert counts.dtype == np.int64 and counts.sum() == 300
    assert np.array_equal(counts.sum(axis=1), np.bincount(labels, minlength=6))
    assert np.isclose(np.trace(counts) / 300, accuracy(probs, labels))


@pytest.mark.numerical
def test_the_notebook_training_reaches_the_stated_accuracy():
    """The run of notebook 09 (same data, split, seeds and schedule) reaches a test accuracy >= 0.97.

    (The notebook itself asserts the exact figure its text states, when nbval runs it.)"""
    images, labels = load_digits(DIGITS)
    train, test = split(len(labels), 500, seed=0)
    x_train, x_test = images_to_sequences(images[train]), images_to_sequences(images[test])
    data = (x_train, labels[train], x_test, labels[test])
    parameters = init_lstm_parameters(8, 64, 10, seed=0)
    state = init_adam(parameters)
    history = train_classifier(parameters, lambda p, g: adam_step(p, g, state, 0.01), data, 20, 32, seed=0,
                               progress=None)  # fmt: skip
    assert history["test_accuracy"][-1] >= 0.97
