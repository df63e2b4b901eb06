"""BASELINE, not course code: the minimal character-level RNN algorithm, re-implemented.

A faithful re-implementation of the well-known minimal character-level language model (the
"min-char-rnn" that the seed material mentions): one sequence of `seq_length` characters at a
time, inputs as one-hot column vectors, hidden state and gradients computed step by step in
Python dicts, gradients clipped element-wise to [-5, 5], Adagrad updates, weights initialised
as 0.01 * standard normal. The only changes: the random numbers come from
np.random.default_rng(seed), the training loop runs for a given number of iterations without
printing, and the text is passed in. bench/bench_char_lm.py measures the course's batched
reference against it.
"""

import numpy as np


class MinCharRNN:
    def __init__(self, vocab_size, hidden_size=100, seq_length=25, learning_rate=1e-1, seed=0):
        rng = np.random.default_rng(seed)
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        self.seq_length, self.learning_rate = seq_length, learning_rate
        self.Wxh = rng.standard_normal((hidden_size, vocab_size)) * 0.01  # input to hidden
        self.Whh = rng.standard_normal((hidden_size, hidden_size)) * 0.01  # hidden to hidden
        self.Why = rng.standard_normal((vocab_size, hidden_size)) * 0.01  # hidden to output
        self.bh = np.zeros((hidden_size, 1))
        self.by = np.zeros((vocab_size, 1))
        self.memory = [np.zeros_like(p) for p in (self.Wxh, self.Whh, self.Why, self.bh, self.by)]

    def loss_fun(self, inputs, targets, hprev):
        """inputs, targets: lists of integers; hprev: (hidden_size, 1). Returns the summed loss,
        the gradients and the last hidden state."""
        xs, hs, ys, ps = {}, {}, {}, {}
        hs[-1] = np.copy(hprev)
        loss = 0
        for t in range(len(inputs)):
            xs[t] = np.zeros((self.vocab_size, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(np.dot(self.Wxh, xs[t]) + np.dot(self.Whh, hs[t - 1]) + self.bh)
            ys[t] = np.dot(self.Why, hs[t]) + self.by
            ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
            loss += -np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = np.zeros_like(self.Wxh), np.zeros_like(self.Whh), np.zeros_like(self.Why)
        dbh, dby = np.zeros_like(self.bh), np.zeros_like(self.by)
        dhnext = np.zeros_like(hs[0])
        for t in reversed(range(len(inputs))):
            dy = np.copy(ps[t])
            dy[targets[t]] -= 1
            dWhy += np.dot(dy, hs[t].T)
            dby += dy
            dh = np.dot(self.Why.T, dy) + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += np.dot(dhraw, xs[t].T)
            dWhh += np.dot(dhraw, hs[t - 1].T)
            dhnext = np.dot(self.Whh.T, dhraw)
        for dparam in (dWxh, dWhh, dWhy, dbh, dby):
            np.clip(dparam, -5, 5, out=dparam)
        return loss, (dWxh, dWhh, dWhy, dbh, dby), hs[len(inputs) - 1]

    def train(self, data, iterations):
        """data: the text as a list of indices. Returns the smoothed loss after `iterations` steps."""
        n, p = 0, 0
        hprev = np.zeros((self.hidden_size, 1))
        smooth_loss = -np.log(1.0 / self.vocab_size) * self.seq_length
        while n < iterations:
            if p + self.seq_length + 1 >= len(data) or n == 0:
                hprev = np.zeros((self.hidden_size, 1))
                p = 0
            inputs = data[p : p + self.seq_length]
            targets = data[p + 1 : p + self.seq_length + 1]
            loss, grads, hprev = self.loss_fun(inputs, targets, hprev)
            smooth_loss = smooth_loss * 0.999 + loss * 0.001
            params = (self.Wxh, self.Whh, self.Why, self.bh, self.by)
            for param, dparam, mem in zip(params, grads, self.memory, strict=True):
                mem += dparam * dparam
                param += -self.learning_rate * dparam / np.sqrt(mem + 1e-8)
            p += self.seq_length
            n += 1
        return smooth_loss
