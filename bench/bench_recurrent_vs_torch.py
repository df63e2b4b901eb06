"""Time the numpy reference RNN, LSTM and GRU against PyTorch's nn.RNN, nn.LSTM and nn.GRU.

Run from the repository root:  python bench/bench_recurrent_vs_torch.py

Both sides do the same work on the CPU, with the same shapes and threads: a forward pass over the
sequence that also computes the softmax output layer at every step (the reference cells always
do; on the torch side an nn.Linear + softmax head), then backpropagation from a random upstream
gradient on every hidden state to the inputs, the initial hidden state and every recurrent
parameter. Each timing is the median of several repeats after a warm-up. The target is
numpy time / torch time <= 2 for every (model, dtype).
"""

import os
import sys
import time

N_THREADS = os.cpu_count() or 1
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, str(N_THREADS))  # must be set before numpy is imported

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from solutions.lstm_gru import (  # noqa: E402
    gru_backward,
    gru_forward,
    init_gru_parameters,
    init_lstm_parameters,
    lstm_backward,
    lstm_forward,
)
from solutions.rnn_backward import rnn_backward  # noqa: E402
from solutions.rnn_forward import init_rnn_parameters, rnn_forward  # noqa: E402

N_X, N_A, M, T_X, N_Y = 64, 128, 32, 50, 64
WARMUP, REPEATS = 3, 21
TARGET_RATIO = 2.0


def median_ms(fn):
    """Median wall-clock time of fn() in milliseconds, after WARMUP untimed calls."""
    for _ in range(WARMUP):
        fn()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def numpy_step(model, dtype, rng):
    """A closure running forward + backward of the numpy reference once."""
    x = rng.standard_normal((N_X, M, T_X)).astype(dtype)
    a0 = rng.standard_normal((N_A, M)).astype(dtype)
    da = rng.standard_normal((N_A, M, T_X)).astype(dtype)
    init, forward, backward = {
        "RNN": (init_rnn_parameters, rnn_forward, rnn_backward),
        "LSTM": (init_lstm_parameters, lstm_forward, lstm_backward),
        "GRU": (init_gru_parameters, gru_forward, gru_backward),
    }[model]
    parameters = init(N_X, N_A, N_Y, seed=0, dtype=dtype)

    def step():
        caches = forward(x, a0, parameters)[-1]
        return backward(da, caches)

    return step


def torch_step(model, dtype, rng):
    """A closure running forward + backward of the torch module once."""
    tdtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    module = {"RNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[model]
    rnn = module(N_X, N_A, batch_first=True).to(tdtype)
    head = torch.nn.Linear(N_A, N_Y).to(tdtype)
    x = torch.tensor(rng.standard_normal((M, T_X, N_X)), dtype=tdtype, requires_grad=True)
    h0 = torch.tensor(rng.standard_normal((1, M, N_A)), dtype=tdtype, requires_grad=True)
    da = torch.tensor(rng.standard_normal((M, T_X, N_A)), dtype=tdtype)

    def step():
        rnn.zero_grad(set_to_none=True)
        x.grad = h0.grad = None
        if model == "LSTM":
            h, _ = rnn(x, (h0, torch.zeros_like(h0)))
        else:
            h, _ = rnn(x, h0)
        torch.softmax(head(h), dim=-1)  # the output layer, as in the reference forward pass
        (h * da).sum().backward()

    return step


def main():
    """Print one table row per (model, dtype) and exit with status 1 if any row fails."""
    torch.set_num_threads(N_THREADS)
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, torch {torch.__version__}, {N_THREADS} threads, "
          f"n_x={N_X} n_a={N_A} m={M} T_x={T_X} n_y={N_Y}, median of {REPEATS} runs")
    print(f"{'model':<6}{'dtype':<9}{'numpy ms':>10}{'torch ms':>10}{'ratio':>8}  result")
    all_pass = True
    for model in ("RNN", "LSTM", "GRU"):
        for dtype in (np.float64, np.float32):
            numpy_ms = median_ms(numpy_step(model, dtype, rng))
            torch_ms = median_ms(torch_step(model, dtype, rng))
            ratio = numpy_ms / torch_ms
            ok = ratio <= TARGET_RATIO
            all_pass &= ok
            print(f"{model:<6}{dtype.__name__:<9}{numpy_ms:>10.2f}{torch_ms:>10.2f}{ratio:>8.2f}"
                  f"  {'PASS' if ok else 'FAIL'} (target <= {TARGET_RATIO:g})")
    return 0 if all_pass else 1


if __name__ == "__main__":
    sys.exit(main())
