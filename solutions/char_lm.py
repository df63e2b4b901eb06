"""Assignment 07: a character-level language model, trained on batches of text streams.

Layout as in assignments 04 and 05: time is the last axis, examples are columns. A batch of m
character sequences of length T is, one-hot encoded, an array of shape (vocab_size, m, T).
The model is the vanilla RNN of assignment 04, whose output layer gives, at every step, the
probabilities of the next character.
"""

import numpy as np

from solutions.rnn_backward import clip_by_norm, rnn_backward
from solutions.rnn_forward import rnn_forward


def make_corpus(n_sentences=3000, seed=0):
    """The course's corpus: short English-like sentences from a small random grammar.

    Inputs:
    - n_sentences: number of sentences, one per line.
    - seed: seed of np.random.default_rng.

    Returns:
    - text: a str, every line a sentence that starts with a capital and ends with a full stop.
    """
    return "".join(sentence + "\n" for sentence, _ in corpus_sentences(n_sentences, seed))


def corpus_sentences(n_sentences=3000, seed=0):
    """The sentences of the course's corpus, each with its probability under the grammar.

    A clause is a noun phrase, a verb (with an object if it is transitive) and perhaps a place
    or a time; a sentence is a clause, sometimes followed by a connective and a second clause.
    Every choice is random. The probability of a sentence is the product of the probabilities
    of the choices that wrote it: no two sets of choices write the same words, so each sentence
    has exactly one.

    Inputs:
    - n_sentences: number of sentences.
    - seed: seed of np.random.default_rng.

    Returns:
    - sentences: list of (sentence, log_prob): the text of a line (without its line break) and
      the natural logarithm of the probability that the grammar writes exactly that sentence.
    """
    rng = np.random.default_rng(seed)
    words = {
        "animal": "fox dog cat bird horse rabbit wolf bear mouse owl goat duck".split(),
        "person": "farmer miller baker girl boy king queen sailor teacher child".split(),
        "thing": "apple stone letter basket lamp ring coat bell key loaf".split(),
        "place": "river forest garden village market hill bridge kitchen meadow tower".split(),
        "adjective": "old young little quiet brave tired clever hungry happy small red grey".split(),
        "intransitive": "slept waited sang laughed ran walked rested danced wept listened".split(),
        "transitive": "saw found carried followed watched lost helped called painted wanted".split(),
        "preposition": "near by in under behind beside across over".split(),
        "time": [
            "in the morning",
            "at night",
            "after dinner",
            "before the storm",
            "all day",
            "every spring",
            "that evening",
        ],
        "connective": "and but so while because".split(),
        "determiner": "the the a her his one".split(),
    }
    log_prob = 0.0  # of the sentence being written

    def chance(p):
        """True with probability p."""
        nonlocal log_prob
        happens = rng.random() < p
        log_prob += np.log(p if happens else 1 - p)
        return happens

    def pick(kind):
        """A word of the kind, each entry of the list equally likely ("the" is listed twice)."""
        nonlocal log_prob
        options = words[kind]
        word = options[int(rng.integers(len(options)))]
        log_prob += np.log(options.count(word) / len(options))
        return word

    def noun_phrase(kinds):
        nonlocal log_prob
        kind = kinds[int(rng.integers(len(kinds)))]
        log_prob += np.log(1 / len(kinds))
        if chance(0.5):
            return f"{pick('determiner')} {pick('adjective')} {pick(kind)}"
        return f"{pick('determiner')} {pick(kind)}"

    def clause():
        nonlocal log_prob
        text = noun_phrase(["animal", "person"])
        if chance(0.5):
            text += f" {pick('intransitive')}"
        else:
            text += f" {pick('transitive')} {noun_phrase(['animal', 'person', 'thing'])}"
        roll = rng.random()  # a place (0.4), a time (0.2) or neither (0.4)
        if roll < 0.4:
            text += f" {pick('preposition')} the {pick('place')}"
        elif roll < 0.6:
            text += f" {pick('time')}"
        log_prob += np.log(0.2 if 0.4 <= roll < 0.6 else 0.4)
        return text

    sentences = []
    for _ in range(n_sentences):
        log_prob = 0.0
        sentence = clause()
        if chance(0.35):
            comma = "," if chance(0.5) else ""
            sentence += f"{comma} {pick('connective')} {clause()}"
        sentences.append((sentence[0].upper() + sentence[1:] + ".", float(log_prob)))
    return sentences


def build_vocabulary(text):
    """The characters of a text, in sorted order, and the index of each.

    Inputs:
    - text: a non-empty str.

    Returns:
    - chars: list of the distinct characters of text, sorted (so a text always gives the same
      vocabulary), of length vocab_size.
    - char_to_ix: dict mapping each character to its position in chars, an int in
      [0, vocab_size).
    """
    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty str")
    chars = sorted(set(text))
    return chars, {ch: i for i, ch in enumerate(chars)}


def encode(text, char_to_ix):
    """The indices of the characters of a text.

    Inputs:
    - text: a str, of length N.
    - char_to_ix: dict from build_vocabulary.

    Returns:
    - ix: shape (N,), dtype int64, ix[i] = char_to_ix[text[i]].
    """
    unknown = sorted(set(text) - set(char_to_ix))
    if unknown:
        raise ValueError(f"characters not in the vocabulary: {unknown!r}")
    return np.array([char_to_ix[ch] for ch in text], dtype=np.int64)


def one_hot(ix, vocab_size, dtype=np.float64):
    """One-hot vectors of a batch of index sequences, in the course layout.

    Inputs:
    - ix: integer indices, shape (m, T): m sequences of T characters, each in [0, vocab_size).
    - vocab_size: the number of characters, an int.
    - dtype: float dtype of the result.

    Returns:
    - X: shape (vocab_size, m, T); X[:, i, t] is the one-hot vector of ix[i, t]: 1 at
      position ix[i, t], 0 elsewhere.
    """
    ix = np.asarray(ix)
    if ix.ndim != 2:
        raise ValueError(f"ix should have shape (m, T), not {ix.shape}")
    X = np.zeros((vocab_size, *ix.shape), dtype=dtype)
    m, T = ix.shape
    X[ix, np.arange(m)[:, None], np.arange(T)[None, :]] = 1
    return X


def make_streams(ix, m):
    """Cut a long index sequence into m parallel streams of inputs and next-character targets.

    Stream i is the i-th of m consecutive pieces of the text, each of length L = (N - 1) // m;
    the characters left over at the end are dropped. The target of every input character is
    the character that follows it in the text.

    Inputs:
    - ix: character indices of the whole text, shape (N,), with N > m.
    - m: the number of streams, an int.

    Returns:
    - inputs: shape (m, L), inputs[i] = ix[i * L : (i + 1) * L].
    - targets: shape (m, L), targets[i] = ix[i * L + 1 : (i + 1) * L + 1].
    """
    L = (len(ix) - 1) // m
    if L < 1:
        raise ValueError(f"a text of {len(ix)} characters is too short for {m} streams")
    inputs = ix[: m * L].reshape(m, L)
    targets = ix[1 : m * L + 1].reshape(m, L)
    return inputs, targets


def lm_forward(X, Y, a0, parameters):
    """Forward pass of the language model over a batch, and its loss.

    The loss is the cross-entropy of the predicted next-character distributions, averaged over
    the m * T characters of the batch:
    loss = -(1 / (m T)) * sum over i, t of log y_pred[Y[i, t], i, t].

    Inputs:
    - X: one-hot inputs, shape (vocab_size, m, T).
    - Y: target indices, shape (m, T), integers in [0, vocab_size).
    - a0: initial hidden state, shape (n_a, m).
    - parameters: dictionary with Wax (n_a, vocab_size), Waa (n_a, n_a), Wya (vocab_size, n_a),
      ba (n_a, 1), by (vocab_size, 1).

    Returns:
    - loss: the mean cross-entropy, a float.
    - cache: tuple (y_pred, a, Y, rnn_caches) for lm_backward: y_pred of shape
      (vocab_size, m, T) and a of shape (n_a, m, T) from rnn_forward, Y, and the caches that
      rnn_forward returned.
    """
    a, y_pred, rnn_caches = rnn_forward(X, a0, parameters)
    m, T = Y.shape
    p_target = y_pred[Y, np.arange(m)[:, None], np.arange(T)[None, :]]
    loss = float(-np.mean(np.log(p_target)))
    return loss, (y_pred, a, Y, rnn_caches)


def lm_backward(cache):
    """Gradients of lm_forward's loss with respect to every parameter.

    Inputs:
    - cache: tuple (y_pred, a, Y, rnn_caches) from lm_forward.

    Returns:
    - gradients: dictionary with dWax (n_a, vocab_size), dWaa (n_a, n_a), dWya (vocab_size, n_a),
      dba (n_a, 1), dby (vocab_size, 1), each of the shape of its parameter.
    """
    y_pred, a, Y, rnn_caches = cache
    parameters = rnn_caches[0][0][3]
    m, T = Y.shape
    dz = y_pred.copy()
    dz[Y, np.arange(m)[:, None], np.arange(T)[None, :]] -= 1
    dz /= m * T
    dWya = np.tensordot(dz, a, axes=([1, 2], [1, 2]))
    dby = dz.sum(axis=(1, 2))[:, None]
    da = np.tensordot(parameters["Wya"].T, dz, axes=1)
    grads = rnn_backward(da, rnn_caches)
    return {"dWax": grads["dWax"], "dWaa": grads["dWaa"], "dWya": dWya, "dba": grads["dba"], "dby": dby}


def optimize(X, Y, a_prev, parameters, learning_rate, max_norm):
    """One training step: forward, backward, clipping by global norm, gradient descent.

    Every parameter p is updated in place with its clipped gradient dp:
    p -= learning_rate * dp.

    Inputs:
    - X: one-hot inputs, shape (vocab_size, m, T).
    - Y: target indices, shape (m, T).
    - a_prev: hidden state before the batch, shape (n_a, m).
    - parameters: dictionary of the model's parameters (as in lm_forward), changed in place.
    - learning_rate: the step size, a float.
    - max_norm: the largest global norm of the gradients (clip_by_norm), a float.

    Returns:
    - loss: the loss of the batch before the update, a float.
    - gradients: the clipped gradients (keys dWax, dWaa, dWya, dba, dby).
    - a_last: the hidden state after the last step of the batch, shape (n_a, m).
    """
    loss, cache = lm_forward(X, Y, a_prev, parameters)
    gradients = clip_by_norm(lm_backward(cache), max_norm)
    for name in parameters:
        parameters[name] -= learning_rate * gradients["d" + name]
    return loss, gradients, cache[1][:, :, -1]


def train_epoch(inputs, targets, parameters, seq_length, learning_rate, max_norm):
    """One pass over the streams, seq_length characters at a time, updating parameters in place.

    The hidden state starts at zero and is carried from each batch to the next, so that the
    model sees every stream as one continuous text. Batch k holds the columns
    k * seq_length to (k + 1) * seq_length of inputs and targets; the last batch may be shorter.
    The inputs are one-hot encoded in the dtype of the parameters.

    Inputs:
    - inputs: shape (m, L), character indices (from make_streams).
    - targets: shape (m, L), the next characters.
    - parameters: dictionary of the model's parameters, changed in place.
    - seq_length: the number of characters per batch (T), an int.
    - learning_rate, max_norm: as in optimize.

    Returns:
    - losses: list with the loss of every batch, in order.
    """
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m), dtype=parameters["Waa"].dtype)
    losses = []
    for start in range(0, L, seq_length):
        X = one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, _, a_prev = optimize(X, Y, a_prev, parameters, learning_rate, max_norm)
        losses.append(loss)
    return losses


def evaluate(inputs, targets, parameters, seq_length):
    """The mean cross-entropy per character of the model on streams of text, without training.

    As in train_epoch, the hidden state starts at zero and is carried from chunk to chunk of
    seq_length characters (the last chunk may be shorter). Every character counts once: the
    result is the mean over all m * L characters.

    Inputs:
    - inputs: shape (m, L), character indices.
    - targets: shape (m, L), the next characters.
    - parameters: dictionary of the model's parameters (left unchanged).
    - seq_length: the number of characters per chunk, an int.

    Returns:
    - loss: the mean cross-entropy per character, a float (the perplexity is exp(loss)).
    """
    m, L = inputs.shape
    vocab_size, n_a = parameters["Wya"].shape
    a_prev = np.zeros((n_a, m), dtype=parameters["Waa"].dtype)
    total = 0.0
    for start in range(0, L, seq_length):
        X = one_hot(inputs[:, start : start + seq_length], vocab_size, parameters["Waa"].dtype)
        Y = targets[:, start : start + seq_length]
        loss, cache = lm_forward(X, Y, a_prev, parameters)
        total += loss * Y.size
        a_prev = cache[1][:, :, -1]
    return total / (m * L)


def sample(parameters, char_to_ix, seed=None, temperature=1.0, start="\n", length=100):
    """Generate characters from the model, one at a time, each fed back as the next input.

    The model first reads the prompt `start`, from a zero hidden state. Then, at each step, the
    hidden state is updated, a_t = tanh(Wax x_t + Waa a_{t-1} + ba), and the scores
    z_t = Wya a_t + by give the next character: at temperature 0 the index of the largest score
    (greedy, no random draw); otherwise a draw from softmax(z_t / temperature), made from
    rng = np.random.default_rng(seed), created once, with exactly one call
    `rng.choice(vocab_size, p=p)` per character, p of shape (vocab_size,).
    The character picked is the input x_{t+1} of the next step. The first character generated
    is the one that follows the last character of the prompt.

    Inputs:
    - parameters: dictionary of the model's parameters (as in lm_forward).
    - char_to_ix: dict from build_vocabulary.
    - seed: seed of the random generator, used as described above and for nothing else.
    - temperature: a float >= 0; lower values give likelier, less varied text.
    - start: the prompt, a non-empty str of characters of the vocabulary (not part of the output).
    - length: the number of characters to generate, an int.

    Returns:
    - indices: shape (length,), dtype int64, the indices of the generated characters.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, not {temperature}")
    if not start:
        raise ValueError("the prompt `start` must hold at least one character")
    rng = np.random.default_rng(seed=seed)
    vocab_size, n_a = parameters["Wya"].shape
    a = np.zeros((n_a, 1))
    for ch in start[:-1]:  # the prompt but its last character: it only sets the hidden state
        x = np.zeros((vocab_size, 1))
        x[char_to_ix[ch]] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
    index = char_to_ix[start[-1]]
    indices = np.zeros(length, dtype=np.int64)
    for t in range(length):
        x = np.zeros((vocab_size, 1))
        x[index] = 1
        a = np.tanh(parameters["Wax"] @ x + parameters["Waa"] @ a + parameters["ba"])
        z = (parameters["Wya"] @ a + parameters["by"]).ravel()
        if temperature == 0:
            index = int(np.argmax(z))
        else:
            e = np.exp((z - z.max()) / temperature)
            index = int(rng.choice(vocab_size, p=e / e.sum()))
        indices[t] = index
    return indices


def smooth(values, beta=0.95):
    """An exponential moving average of a curve, to see its trend through the noise.

    s_0 = values[0] and s_k = beta * s_{k-1} + (1 - beta) * values[k].

    Inputs:
    - values: a sequence of numbers, of length K >= 1.
    - beta: how much of the average is kept at each step, a float in [0, 1).

    Returns:
    - smoothed: shape (K,), float64.
    """
    values = np.asarray(values, dtype=np.float64)
    smoothed = np.empty_like(values)
    running = values[0]
    for k, value in enumerate(values):
        running = beta * running + (1 - beta) * value
        smoothed[k] = running
    return smoothed
