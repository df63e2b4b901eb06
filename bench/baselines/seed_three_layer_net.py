"""The seed material's three-layer network, transcribed as the benchmark baseline.

This is the blog post's `three_layer_net` loop (see ../shared/seed), kept as close to the
original as possible: the same operations in the same order, including the per-iteration
fancy indexing and the gradient-magnitude bookkeeping. Only the printing is removed and
the iteration count made a parameter. It is not course code; it is what we measure against.
"""

import numpy as np


def sigmoid(x):
    x = 1 / (1 + np.exp(-x))
    return x


def sigmoid_grad(x):
    return (x) * (1 - x)


def relu(x):
    return np.maximum(0, x)


def three_layer_net(NONLINEARITY, X, y, model, step_size, reg, iterations=50000):
    W1, W2, W3 = model["W1"], model["W2"], model["W3"]
    b1, b2, b3 = model["b1"], model["b2"], model["b3"]
    num_examples = X.shape[0]
    plot_array_1 = []
    plot_array_2 = []
    losses = []
    for i in range(iterations):
        if NONLINEARITY == "RELU":
            hidden_layer = relu(np.dot(X, W1) + b1)
            hidden_layer2 = relu(np.dot(hidden_layer, W2) + b2)
            scores = np.dot(hidden_layer2, W3) + b3
        elif NONLINEARITY == "SIGM":
            hidden_layer = sigmoid(np.dot(X, W1) + b1)
            hidden_layer2 = sigmoid(np.dot(hidden_layer, W2) + b2)
            scores = np.dot(hidden_layer2, W3) + b3
        exp_scores = np.exp(scores)
        probs = exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
        corect_logprobs = -np.log(probs[range(num_examples), y])
        data_loss = np.sum(corect_logprobs) / num_examples
        reg_loss = 0.5 * reg * np.sum(W1 * W1) + 0.5 * reg * np.sum(W2 * W2) + 0.5 * reg * np.sum(W3 * W3)
        loss = data_loss + reg_loss
        losses.append(loss)
        dscores = probs
        dscores[range(num_examples), y] -= 1
        dscores /= num_examples
        dW3 = (hidden_layer2.T).dot(dscores)
        db3 = np.sum(dscores, axis=0, keepdims=True)
        if NONLINEARITY == "RELU":
            dhidden2 = np.dot(dscores, W3.T)
            dhidden2[hidden_layer2 <= 0] = 0
            dW2 = np.dot(hidden_layer.T, dhidden2)
            plot_array_2.append(np.sum(np.abs(dW2)) / np.sum(np.abs(dW2.shape)))
            db2 = np.sum(dhidden2, axis=0)
            dhidden = np.dot(dhidden2, W2.T)
            dhidden[hidden_layer <= 0] = 0
        elif NONLINEARITY == "SIGM":
            dhidden2 = dscores.dot(W3.T) * sigmoid_grad(hidden_layer2)
            dW2 = (hidden_layer.T).dot(dhidden2)
            plot_array_2.append(np.sum(np.abs(dW2)) / np.sum(np.abs(dW2.shape)))
            db2 = np.sum(dhidden2, axis=0)
            dhidden = dhidden2.dot(W2.T) * sigmoid_grad(hidden_layer)
        dW1 = np.dot(X.T, dhidden)
        plot_array_1.append(np.sum(np.abs(dW1)) / np.sum(np.abs(dW1.shape)))
        db1 = np.sum(dhidden, axis=0)
        dW3 += reg * W3
        dW2 += reg * W2
        dW1 += reg * W1
        W1 += -step_size * dW1
        b1 += -step_size * db1
        W2 += -step_size * dW2
        b2 += -step_size * db2
        W3 += -step_size * dW3
        b3 += -step_size * db3
    if NONLINEARITY == "RELU":
        hidden_layer = relu(np.dot(X, W1) + b1)
        hidden_layer2 = relu(np.dot(hidden_layer, W2) + b2)
    elif NONLINEARITY == "SIGM":
        hidden_layer = sigmoid(np.dot(X, W1) + b1)
        hidden_layer2 = sigmoid(np.dot(hidden_layer, W2) + b2)
    scores = np.dot(hidden_layer2, W3) + b3
    accuracy = np.mean(np.argmax(scores, axis=1) == y)
    return losses, accuracy


def seed_model(D, h, h2, K, rng):
    """The seed's initialisation (0.1 * standard normal weights, (1, h) zero biases)."""
    return {
        "W1": 0.1 * rng.standard_normal((D, h)),
        "b1": np.zeros((1, h)),
        "W2": 0.1 * rng.standard_normal((h, h2)),
        "b2": np.zeros((1, h2)),
        "W3": 0.1 * rng.standard_normal((h2, K)),
        "b3": np.zeros((1, K)),
    }
