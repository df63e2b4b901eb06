"""Answers as a learner writes them, for tests/test_visible_tests.py: correct forms that the
visible tests must accept, and typical wrong forms whose message must name what is wrong."""

import textwrap


def code(source):
    return textwrap.dedent(source).strip() + "\n"


# (notebook, exercise, what the form is, the answer cell as a learner writes it)
# fmt: off
ALTERNATIVES = [
    # 01: the sigmoid's two stable forms, and the usual ways of writing the others
    ("01", "sigmoid", "exp of -|x| only (the notebook's second method)", code("""
        def sigmoid(x):
            e = np.exp(-np.abs(x))
            return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        """)),
    ("01", "sigmoid", "exp of -|x| with boolean masks", code("""
        def sigmoid(x):
            out = np.empty_like(x, dtype=float)
            positive = x >= 0
            out[positive] = 1 / (1 + np.exp(-x[positive]))
            e = np.exp(x[~positive])
            out[~positive] = e / (1 + e)
            return out
        """)),
    ("01", "sigmoid", "the tanh identity", code("""
        def sigmoid(x):
            return (1 + np.tanh(x / 2)) / 2
        """)),
    ("01", "sigmoid_grad", "s - s**2", code("""
        def sigmoid_grad(s):
            return s - s**2
        """)),
    ("01", "relu", "x * (x > 0)", code("""
        def relu(x):
            return x * (x > 0)
        """)),
    ("01", "relu", "np.where", code("""
        def relu(x):
            return np.where(x > 0, x, 0.0)
        """)),
    ("01", "relu", "np.clip", code("""
        def relu(x):
            return np.clip(x, 0, None)
        """)),
    ("01", "relu_grad", "np.where", code("""
        def relu_grad(h):
            return np.where(h > 0, 1.0, 0.0)
        """)),
    ("01", "relu_grad", "np.heaviside", code("""
        def relu_grad(h):
            return np.heaviside(h, 0.0)
        """)),
    ("01", "tanh_grad", "(1 - t)(1 + t)", code("""
        def tanh_grad(t):
            return (1 - t) * (1 + t)
        """)),
    ("01", "make_spiral", "CS231n's np.c_ loop", code("""
        def make_spiral(N=100, K=3, noise=0.2, seed=None):
            rng = np.random.default_rng(seed)
            X = np.zeros((N * K, 2))
            y = np.zeros(N * K, dtype="uint8")
            for j in range(K):
                ix = range(N * j, N * (j + 1))
                r = np.linspace(0.0, 1, N)
                t = np.linspace(j * 4, (j + 1) * 4, N) + rng.standard_normal(N) * noise
                X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
                y[ix] = j
            return X, y
        """)),
    # 02: softmax with and without log-sum-exp; the loss from probabilities or log-probabilities
    ("02", "softmax", "log-sum-exp", code("""
        def softmax(scores):
            shifted = scores - scores.max(axis=1, keepdims=True)
            return np.exp(shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True)))
        """)),
    ("02", "softmax", "a loop over the rows", code("""
        def softmax(scores):
            probs = np.empty_like(scores)
            for i, row in enumerate(scores):
                e = np.exp(row - row.max())
                probs[i] = e / e.sum()
            return probs
        """)),
    ("02", "softmax_loss", "probabilities from your softmax, CS231n's indexing", code("""
        def softmax_loss(scores, y):
            N = scores.shape[0]
            probs = softmax(scores)
            loss = -np.mean(np.log(probs[np.arange(N), y]))
            dscores = probs.copy()
            dscores[np.arange(N), y] -= 1
            return loss, dscores / N
        """)),
    ("02", "softmax_loss", "log-probabilities (the notebook's hint)", code("""
        def softmax_loss(scores, y):
            N = scores.shape[0]
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            dscores = np.exp(log_probs)
            dscores[np.arange(N), y] -= 1
            return -log_probs[np.arange(N), y].mean(), dscores / N
        """)),
    ("02", "l2_penalty", "np.sum(W * W)", code("""
        def l2_penalty(W, reg):
            return 0.5 * reg * np.sum(W * W), reg * W
        """)),
    ("02", "eval_numerical_gradient", "CS231n's np.nditer", code("""
        def eval_numerical_gradient(f, x, h=1e-5):
            grad = np.zeros_like(x)
            it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
            while not it.finished:
                ix = it.multi_index
                old = x[ix]
                x[ix] = old + h
                plus = f(x)
                x[ix] = old - h
                minus = f(x)
                x[ix] = old
                grad[ix] = (plus - minus) / (2 * h)
                it.iternext()
            return grad
        """)),
    ("02", "rel_error", "np.abs(a) + np.abs(b) with np.maximum", code("""
        def rel_error(a, b):
            return np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b)))
        """)),
    # 03: backpropagation as a loop over the layers
    ("03", "backward", "a loop over the layers", code("""
        def backward(dscores, cache, params, nonlinearity, reg):
            _, f_grad = activation_functions(nonlinearity)
            inputs = dict(zip("123", cache))
            grads, delta = {}, dscores
            for layer in "321":
                grads["W" + layer] = inputs[layer].T @ delta + reg * params["W" + layer]
                grads["b" + layer] = delta.sum(axis=0)
                if layer != "1":
                    delta = delta @ params["W" + layer].T * f_grad(inputs[layer])
            return grads
        """)),
    ("03", "predict", "argmax of the scores alone", code("""
        def predict(X, params, nonlinearity):
            scores, _ = forward(X, params, nonlinearity)
            return scores.argmax(axis=1)
        """)),
    # 04: the column softmax, the forward pass with the cell inlined, the layouts three ways
    ("04", "softmax_columns", "log-sum-exp", code("""
        def softmax(z):
            shifted = z - z.max(axis=0, keepdims=True)
            return np.exp(shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True)))
        """)),
    ("04", "softmax_columns", "the softmax of the rows of z.T, transposed back", code("""
        def softmax(z):
            e = np.exp(z.T - z.T.max(axis=1, keepdims=True))
            return (e / e.sum(axis=1, keepdims=True)).T
        """)),
    ("04", "rnn_forward", "the cell written out in the loop", code("""
        def rnn_forward(x, a0, parameters):
            p = parameters
            n_x, m, T_x = x.shape
            n_y, n_a = p["Wya"].shape
            a = np.zeros((n_a, m, T_x), dtype=x.dtype)
            y_pred = np.zeros((n_y, m, T_x), dtype=x.dtype)
            caches, a_prev = [], a0
            for t in range(T_x):
                a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ x[:, :, t] + p["ba"])
                z = p["Wya"] @ a_next + p["by"]
                e = np.exp(z - z.max(axis=0, keepdims=True))
                a[:, :, t], y_pred[:, :, t] = a_next, e / e.sum(axis=0, keepdims=True)
                caches.append((a_next, a_prev, x[:, :, t], parameters))
                a_prev = a_next
            return a, y_pred, (caches, x)
        """)),
    ("04", "to_batch_first", "np.moveaxis", code("""
        def to_batch_first(x):
            return np.moveaxis(x, 0, -1)
        """)),
    ("04", "to_batch_first", "np.einsum", code("""
        def to_batch_first(x):
            return np.einsum("kit->itk", x)
        """)),
    ("04", "to_batch_first", "x.transpose(1, 2, 0).copy()", code("""
        def to_batch_first(x):
            return x.transpose(1, 2, 0).copy()
        """)),
    ("04", "to_time_major", "np.moveaxis", code("""
        def to_time_major(x_bf):
            return np.moveaxis(x_bf, -1, 0)
        """)),
    ("04", "to_time_major", "np.einsum", code("""
        def to_time_major(x_bf):
            return np.einsum("itk->kit", x_bf)
        """)),
    # 05: clipping written three ways
    ("05", "clip", "np.minimum of np.maximum", code("""
        def clip(gradients, max_value):
            return {name: np.minimum(np.maximum(g, -max_value), max_value) for name, g in gradients.items()}
        """)),
    ("05", "clip_by_norm", "a scale of min(1, max_norm / norm)", code("""
        def clip_by_norm(gradients, max_norm):
            norm = np.sqrt(sum(np.sum(g * g) for g in gradients.values()))
            scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
            return {name: g * scale for name, g in gradients.items()}
        """)),
    ("05", "clip_by_norm", "copies, scaled in place", code("""
        def clip_by_norm(gradients, max_norm):
            clipped = {name: g.copy() for name, g in gradients.items()}
            norm = np.sqrt(sum(np.sum(g**2) for g in clipped.values()))
            if norm > max_norm:
                for g in clipped.values():
                    g *= max_norm / norm
            return clipped
        """)),
    # 06: the four gates from one stacked matrix product, as fast LSTM code does
    ("06", "lstm_cell_forward", "the gates stacked into one matrix product", code("""
        def lstm_cell_forward(xt, a_prev, c_prev, parameters):
            p = parameters
            n_a = a_prev.shape[0]
            W = np.vstack([p["Wf"], p["Wi"], p["Wc"], p["Wo"]])
            b = np.vstack([p["bf"], p["bi"], p["bc"], p["bo"]])
            z = W @ np.vstack([a_prev, xt]) + b
            ft, it, ot = (sigmoid(z[k * n_a:(k + 1) * n_a]) for k in (0, 1, 3))
            cct = np.tanh(z[2 * n_a:3 * n_a])
            c_next = ft * c_prev + it * cct
            a_next = ot * np.tanh(c_next)
            yt_pred = softmax(p["Wy"] @ a_next + p["by"])
            return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
        """)),
    # 07: the data pipeline with numpy's shortcuts, the loss by a loop, sampling with the softmax of 04
    ("07", "one_hot", "rows of np.eye", code("""
        def one_hot(ix, vocab_size, dtype=np.float64):
            return np.eye(vocab_size, dtype=dtype)[ix].transpose(2, 0, 1)
        """)),
    ("07", "make_streams", "reshape of the first m * L characters", code("""
        def make_streams(ix, m):
            L = (len(ix) - 1) // m
            return ix[: m * L].reshape(m, L), ix[1 : m * L + 1].reshape(m, L)
        """)),
    ("07", "lm_forward", "a loop over the steps", code("""
        def lm_forward(X, Y, a0, parameters):
            a, y_pred, rnn_caches = rnn_forward(X, a0, parameters)
            m, T = Y.shape
            total = 0.0
            for t in range(T):
                total -= np.sum(np.log(y_pred[Y[:, t], np.arange(m), t]))
            return total / (m * T), (y_pred, a, Y, rnn_caches)
        """)),
    ("07", "sample", "the column softmax of notebook 04", code("""
        def sample(parameters, char_to_ix, seed=None, temperature=1.0, start="\\n", length=100):
            rng = np.random.default_rng(seed)
            vocab_size, n_a = parameters["Wya"].shape
            a = np.zeros((n_a, 1))
            indices = []
            for position in range(len(start) + length - 1):
                index = char_to_ix[start[position]] if position < len(start) else indices[-1]
                x = np.zeros((vocab_size, 1))
                x[index] = 1
                a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
                if position >= len(start) - 1:
                    z = parameters["Wya"] @ a + parameters["by"]
                    if temperature == 0:
                        indices.append(int(np.argmax(z)))
                    else:
                        indices.append(int(rng.choice(vocab_size, p=softmax(z / temperature).ravel())))
            return np.array(indices)
        """)),
    # 08: the output layer with einsum or a loop over the steps
    ("08", "adder_forward", "np.einsum", code("""
        def adder_forward(x, a0, parameters):
            a, _, rnn_caches = rnn_forward(x, a0, parameters)
            z = np.einsum("yh,hmt->ymt", parameters["Wya"], a) + parameters["by"][:, :, None]
            return 1 / (1 + np.exp(-z)), (a, rnn_caches)
        """)),
    ("08", "adder_backward", "a loop over the steps", code("""
        def adder_backward(dz, cache, parameters):
            a, rnn_caches = cache
            dWya, dby = np.zeros_like(parameters["Wya"]), np.zeros_like(parameters["by"])
            da = np.zeros_like(a)
            for t in range(a.shape[2]):
                dWya += dz[:, :, t] @ a[:, :, t].T
                dby += dz[:, :, t].sum(axis=1, keepdims=True)
                da[:, :, t] = parameters["Wya"].T @ dz[:, :, t]
            grads = rnn_backward(da, rnn_caches)
            grads = {name: grads[name] for name in ("dWax", "dWaa", "dba")}
            return {**grads, "dWya": dWya, "dby": dby}
        """)),
]

# (notebook, exercise, the wrong form, the answer cell, words the visible tests' message must hold)
WRONG_FORMS = [
    ("01", "sigmoid", "1 / (1 + exp(-x))", code("""
        def sigmoid(x):
            return 1 / (1 + np.exp(-x))
        """), "overflow"),
    ("02", "softmax", "no maximum subtracted", code("""
        def softmax(scores):
            e = np.exp(scores)
            return e / e.sum(axis=1, keepdims=True)
        """), "overflow"),
    ("04", "softmax_columns", "softmax over the rows", code("""
        def softmax(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        """), "each COLUMN (axis=0) should sum to 1"),
    ("04", "rnn_cell_forward", "the tanh missing", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"]
            return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, parameters)
        """), "the tanh is missing"),
    ("04", "rnn_cell_forward", "ReLU instead of tanh", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = np.maximum(0, p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
            return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, parameters)
        """), "tanh, not ReLU"),
    ("04", "rnn_cell_forward", "the sum of two tanhs", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = np.tanh(p["Waa"] @ a_prev + p["ba"]) + np.tanh(p["Wax"] @ xt)
            return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, parameters)
        """), "the tanh of the SUM"),
    ("04", "rnn_cell_forward", "Wax transposed and sliced to fit", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt[::-1] + p["ba"])
            return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, parameters)
        """), "the input term Wax @ xt is wrong"),
    ("04", "rnn_cell_forward", "Waa transposed", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = np.tanh(p["Waa"].T @ a_prev + p["Wax"] @ xt + p["ba"])
            return a_next, softmax(p["Wya"] @ a_next + p["by"]), (a_next, a_prev, xt, parameters)
        """), "Waa is transposed"),
    ("04", "rnn_cell_forward", "softmax over the rows, written out", code("""
        def rnn_cell_forward(xt, a_prev, parameters):
            p = parameters
            a_next = np.tanh(p["Waa"] @ a_prev + p["Wax"] @ xt + p["ba"])
            z = p["Wya"] @ a_next + p["by"]
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return a_next, e / e.sum(axis=1, keepdims=True), (a_next, a_prev, xt, parameters)
        """), "each column of yt_pred (one example) should sum to 1"),
    ("06", "lstm_cell_forward", "the candidate left out of the new cell state", code("""
        def lstm_cell_forward(xt, a_prev, c_prev, parameters):
            p = parameters
            concat = np.concatenate([a_prev, xt])
            ft = sigmoid(p["Wf"] @ concat + p["bf"])
            it = sigmoid(p["Wi"] @ concat + p["bi"])
            cct = np.tanh(p["Wc"] @ concat + p["bc"])
            c_next = ft * c_prev + it
            ot = sigmoid(p["Wo"] @ concat + p["bo"])
            a_next = ot * np.tanh(c_next)
            yt_pred = softmax(p["Wy"] @ a_next + p["by"])
            return a_next, c_next, yt_pred, (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
        """), "the update gate it multiplies cct"),
    ("07", "sample", "the temperature applied to the probabilities", code("""
        def sample(parameters, char_to_ix, seed=None, temperature=1.0, start="\\n", length=100):
            rng = np.random.default_rng(seed)
            vocab_size, n_a = parameters["Wya"].shape
            a = np.zeros((n_a, 1))
            for ch in start[:-1]:
                x = np.zeros((vocab_size, 1))
                x[char_to_ix[ch]] = 1
                a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
            index, indices = char_to_ix[start[-1]], []
            for _ in range(length):
                x = np.zeros((vocab_size, 1))
                x[index] = 1
                a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
                p = softmax(parameters["Wya"] @ a + parameters["by"]).ravel()
                if temperature == 0:
                    index = int(np.argmax(p))
                else:
                    p = p / temperature
                    index = int(rng.choice(vocab_size, p=p / p.sum()))
                indices.append(index)
            return np.array(indices)
        """), "divide the scores z by the temperature"),
    ("08", "adder_train_step", "no clipping", code("""
        def adder_train_step(x, y, parameters, learning_rate, max_norm):
            a0 = np.zeros((parameters["Waa"].shape[0], x.shape[1]))
            y_hat, cache = adder_forward(x, a0, parameters)
            loss, dz = adder_loss(y_hat, y)
            grads = adder_backward(dz, cache, parameters)
            for name in parameters:
                parameters[name] -= learning_rate * grads["d" + name]
            return loss
        """), "are the gradients clipped by their global norm"),
    ("04", "to_batch_first", "reshape", code("""
        def to_batch_first(x):
            n_x, m, T_x = x.shape
            return x.reshape(m, T_x, n_x)
        """), "'world'"),
]
# fmt: on
