"""The training run of notebook 09 in numpy (the course's references) and the same model in PyTorch.

Run from the repository root:  python bench/bench_sequence_classifier_vs_torch.py [--epochs N]

Both sides train the same model on the same data: an LSTM of 64 hidden units over the 8 rows
of the 8x8 digits, with a softmax read-out of the last hidden state; the same initial weights
(the course's init_lstm_parameters, copied into torch.nn.LSTM and nn.Linear), the same
mini-batches in the same order, Adam with the same settings, float64, one thread (as the
notebook runs). Each side is timed over the whole run (forward, loss, backward and update of
every batch, and the test accuracy after every epoch); the two runs alternate `--repeats`
times and the medians are compared. Printed: the time of each side, their ratio, and each
side's test accuracy.

Targets (exit status 1 if one is missed): both reach the notebook's accuracy floor of 0.97
and agree within 0.01 (the same model trained the same way; rounding alone separates them),
the first batch's loss agrees to 1e-9 (the same model), and numpy takes at most
TARGET_RATIO times as long as PyTorch.
"""

import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--epochs", type=int, default=20, help="epochs of training (the notebook: 20)")
parser.add_argument("--repeats", type=int, default=3, help="timed runs of each side")
ARGS = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # read when numpy and torch are imported

import numpy as np  # noqa: E402
import torch  # noqa: E402

from course.build import COURSE  # noqa: E402
from solutions.lstm_gru import init_lstm_parameters  # noqa: E402
from solutions.sequence_classifier import (  # noqa: E402
    adam_step,
    images_to_sequences,
    init_adam,
    load_digits,
    minibatches,
    split,
    train_classifier,
)

N_A, BATCH_SIZE, LEARNING_RATE, SEED = 64, 32, 0.01, 0  # as in notebook 09
TARGET_RATIO = 3.0  # numpy time / PyTorch time: plain numpy loops against a fused LSTM kernel
ACCURACY_FLOOR, ACCURACY_AGREEMENT, FIRST_LOSS_AGREEMENT = 0.97, 0.01, 1e-9


def digits():
    """(x_train, labels_train, x_test, labels_test) as notebook 09 makes them."""
    images, labels = load_digits(COURSE / "source" / "09_sequence_classifier" / "digits.csv.gz")
    train, test = split(len(labels), 500, seed=SEED)
    return images_to_sequences(images[train]), labels[train], images_to_sequences(images[test]), labels[test]


def numpy_run(data, epochs):
    """Train with the course's functions; return (test accuracy, loss of the first batch)."""
    parameters = init_lstm_parameters(8, N_A, 10, seed=SEED)
    state = init_adam(parameters)
    update = lambda p, g: adam_step(p, g, state, LEARNING_RATE)  # noqa: E731
    history = train_classifier(parameters, update, data, epochs, BATCH_SIZE, seed=SEED, progress=None)
    return history["test_accuracy"][-1], history["loss"][0]


class TorchClassifier(torch.nn.Module):
    """nn.LSTM over the rows, nn.Linear on the last hidden state; the course's weights copied in."""

    def __init__(self, parameters):
        super().__init__()
        n_a = parameters["Wy"].shape[1]
        self.lstm = torch.nn.LSTM(8, n_a, batch_first=True, dtype=torch.float64)
        self.readout = torch.nn.Linear(n_a, 10, dtype=torch.float64)
        order = "ifco"  # PyTorch stacks the gates i, f, g (our candidate c), o; ours act on [a; x]
        weights = {
            "weight_ih_l0": np.vstack([parameters["W" + g][:, n_a:] for g in order]),
            "weight_hh_l0": np.vstack([parameters["W" + g][:, :n_a] for g in order]),
            "bias_ih_l0": np.concatenate([parameters["b" + g][:, 0] for g in order]),
            "bias_hh_l0": np.zeros(4 * n_a),
        }
        with torch.no_grad():
            for name, value in weights.items():
                getattr(self.lstm, name).copy_(torch.from_numpy(value))
            self.readout.weight.copy_(torch.from_numpy(parameters["Wy"]))
            self.readout.bias.copy_(torch.from_numpy(parameters["by"][:, 0]))

    def forward(self, x):  # x: (m, T_x, n_x)
        hidden, _ = self.lstm(x)
        return self.readout(hidden[:, -1])


def torch_run(data, epochs):
    """The same training in PyTorch; return (test accuracy, loss of the first batch)."""
    x_train, labels_train, x_test, labels_test = data
    to_batch_first = lambda x: torch.from_numpy(np.ascontiguousarray(x.transpose(1, 2, 0)))  # noqa: E731
    x_train_t, x_test_t = to_batch_first(x_train), to_batch_first(x_test)
    labels_train_t = torch.from_numpy(labels_train)
    model = TorchClassifier(init_lstm_parameters(8, N_A, 10, seed=SEED))
    # The bias correction and eps outside the square root, as in the course's adam_step.
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8)
    first_loss = None
    for epoch in range(epochs):
        for batch in minibatches(len(labels_train), BATCH_SIZE, seed=(SEED, epoch)):
            index = torch.from_numpy(batch)
            loss = torch.nn.functional.cross_entropy(model(x_train_t[index]), labels_train_t[index])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            first_loss = float(loss.detach()) if first_loss is None else first_loss
        with torch.no_grad():
            accuracy = float((model(x_test_t).argmax(dim=1).numpy() == labels_test).mean())
    return accuracy, first_loss


def timed(run, data, epochs):
    start = time.perf_counter()
    result = run(data, epochs)
    return time.perf_counter() - start, result


def main():
    torch.set_num_threads(1)
    data = digits()
    print(
        f"numpy {np.__version__}, torch {torch.__version__}, 1 thread, float64, {ARGS.epochs} epochs of "
        f"{-(-len(data[1]) // BATCH_SIZE)} batches of {BATCH_SIZE}, n_a={N_A}, median of {ARGS.repeats} "
        f"runs, load average {os.getloadavg()[0]:.2f}"
    )
    times, results = {"numpy": [], "torch": []}, {}
    for _ in range(ARGS.repeats):
        for name, run in (("numpy", numpy_run), ("torch", torch_run)):
            seconds, results[name] = timed(run, data, ARGS.epochs)
            times[name].append(seconds)
    numpy_s, torch_s = np.median(times["numpy"]), np.median(times["torch"])
    (numpy_accuracy, numpy_first), (torch_accuracy, torch_first) = results["numpy"], results["torch"]
    ratio = numpy_s / torch_s
    print(f"{'':8}{'seconds':>9}{'test accuracy':>15}{'first loss':>14}")
    print(f"{'numpy':8}{numpy_s:9.2f}{numpy_accuracy:15.3f}{numpy_first:14.10f}")
    print(f"{'PyTorch':8}{torch_s:9.2f}{torch_accuracy:15.3f}{torch_first:14.10f}")
    checks = {
        f"numpy / PyTorch time {ratio:.2f} <= {TARGET_RATIO:g}": ratio <= TARGET_RATIO,
        f"both test accuracies >= {ACCURACY_FLOOR}": min(numpy_accuracy, torch_accuracy) >= ACCURACY_FLOOR,
        f"test accuracies agree within {ACCURACY_AGREEMENT}": abs(numpy_accuracy - torch_accuracy)
        <= ACCURACY_AGREEMENT,
        f"first losses agree within {FIRST_LOSS_AGREEMENT:g} (the same model)": abs(numpy_first - torch_first)
        <= FIRST_LOSS_AGREEMENT,
    }
    if ARGS.epochs < 20:
        del checks[f"both test accuracies >= {ACCURACY_FLOOR}"]  # a short run is not the notebook's
    for check, passed in checks.items():
        print(f"{'PASS' if passed else 'FAIL'}  {check}")
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other processes skew timings)")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
