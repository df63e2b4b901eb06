"""Time the numpy RNN, LSTM and GRU against PyTorch's nn.RNN, nn.LSTM and nn.GRU.

Run from the repository root:  python bench/bench_recurrent_vs_torch.py [--threads N]

The numpy side is the reference RNN (solutions/) and the LSTM and GRU arranged for speed
(bench/fast/lstm_gru.py; the answer key's loops over the cell give the same results).
Both sides do the same work on the CPU, with the same shapes and the same number of threads
(default: all cores, for numpy's BLAS and for torch): a forward pass over the sequence that also
computes the softmax output layer at every step (the numpy side always does; on the torch side an
nn.Linear + softmax head), then backpropagation from a random upstream gradient on every hidden
state to the inputs, the initial hidden state and every recurrent parameter.

After a warm-up, numpy and torch runs alternate, so that both see the same machine load; each
timing is the median of the repeats. The target is numpy time / torch time <= 2 for every
(model, dtype); the exit status is 1 if any row misses it.
"""

import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--threads",
    type=int,
    default=os.cpu_count() or 1,
    help="threads for numpy's BLAS and for torch (default: all cores)",
)
parser.add_argument("--repeats", type=int, default=21, help="timed runs of each side")
parser.add_argument("--models", nargs="+", default=["RNN", "LSTM", "GRU"], help="models to time")
parser.add_argument("--dtypes", nargs="+", default=["float64", "float32"], help="dtypes to time")
ARGS = parser.parse_args() if __name__ == "__main__" else parser.parse_args([])
# The BLAS thread count is read when numpy is imported, so it is set before the imports.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from fast.lstm_gru import gru_backward, gru_forward, lstm_backward, lstm_forward  # noqa: E402

from solutions.lstm_gru import init_gru_parameters, init_lstm_parameters  # noqa: E402
from solutions.rnn_backward import rnn_backward  # noqa: E402
from solutions.rnn_forward import init_rnn_parameters, rnn_forward  # noqa: E402

N_X, N_A, M, T_X, N_Y = 64, 128, 32, 50, 64
WARMUP = 3
TARGET_RATIO = 2.0
MODELS = {
    "RNN": (init_rnn_parameters, rnn_forward, rnn_backward, torch.nn.RNN),
    "LSTM": (init_lstm_parameters, lstm_forward, lstm_backward, torch.nn.LSTM),
    "GRU": (init_gru_parameters, gru_forward, gru_backward, torch.nn.GRU),
}


def numpy_step(model, dtype, rng):
    """A function running forward + backward of the numpy side once."""
    init, forward, backward, _ = MODELS[model]
    parameters = init(N_X, N_A, N_Y, seed=0, dtype=dtype)
    x = rng.standard_normal((N_X, M, T_X)).astype(dtype)
    a0 = rng.standard_normal((N_A, M)).astype(dtype)
    da = rng.standard_normal((N_A, M, T_X)).astype(dtype)

    def step():
        caches = forward(x, a0, parameters)[-1]
        backward(da, caches)

    return step


def torch_step(model, dtype, rng):
    """A function running forward + backward of the torch module (and softmax head) once."""
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    rnn = MODELS[model][3](N_X, N_A, batch_first=True).to(tdtype)
    head = torch.nn.Linear(N_A, N_Y).to(tdtype)
    x = torch.tensor(rng.standard_normal((M, T_X, N_X)), dtype=tdtype, requires_grad=True)
    h0 = torch.tensor(rng.standard_normal((1, M, N_A)), dtype=tdtype, requires_grad=True)
    da = torch.tensor(rng.standard_normal((M, T_X, N_A)), dtype=tdtype)
    state = (h0, torch.zeros_like(h0)) if model == "LSTM" else h0

    def step():
        rnn.zero_grad(set_to_none=True)
        x.grad = h0.grad = None
        h, _ = rnn(x, state)
        torch.softmax(head(h), dim=-1)  # the output layer, as in the numpy forward pass
        (h * da).sum().backward()

    return step


def median_times_ms(step_a, step_b, repeats):
    """Median wall-clock times (ms) of step_a() and step_b(), timed alternately."""
    for _ in range(WARMUP):
        step_a()
        step_b()
    times = np.zeros((repeats, 2))
    for i in range(repeats):
        for j, step in enumerate((step_a, step_b)):
            start = time.perf_counter()
            step()
            times[i, j] = time.perf_counter() - start
    return 1000 * np.median(times, axis=0)


def main():
    """Print one row per (model, dtype); return 1 if any row misses the target, else 0."""
    torch.set_num_threads(ARGS.threads)
    rng = np.random.default_rng(0)
    print(
        f"numpy {np.__version__}, torch {torch.__version__}, {ARGS.threads} threads, "
        f"n_x={N_X} n_a={N_A} m={M} T_x={T_X} n_y={N_Y}, median of {ARGS.repeats} runs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(f"{'model':<6}{'dtype':<9}{'numpy ms':>10}{'torch ms':>10}{'ratio':>8}  result")
    all_pass = True
    for model in ARGS.models:
        for dtype in (np.dtype(name).type for name in ARGS.dtypes):
            numpy_ms, torch_ms = median_times_ms(
                numpy_step(model, dtype, rng), torch_step(model, dtype, rng), ARGS.repeats
            )
            ratio = numpy_ms / torch_ms
            all_pass &= bool(ratio <= TARGET_RATIO)
            verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
            print(
                f"{model:<6}{dtype.__name__:<9}{numpy_ms:>10.2f}{torch_ms:>10.2f}{ratio:>8.2f}"
                f"  {verdict} (target <= {TARGET_RATIO:g})"
            )
    print(f"load average {os.getloadavg()[0]:.2f} at the end (other processes skew timings)")
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
