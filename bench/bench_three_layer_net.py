"""Reference 3-layer training against the seed's own code: same data, hyperparameters, iterations.

    python bench/bench_three_layer_net.py [--iterations 50000]

Both runs start from the same weights (0.1 * standard normal) on the same spiral data, with
step size 0.1 and reg 1e-3, on this machine, one after the other. The seed's loop runs in
float64 as written; the reference trains in float32, as notebook 03 does. Target: reference
time / seed time <= 0.5 for both nonlinearities together, < 1 for each, at equal or better
training accuracy.
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as `make` sets it; before numpy loads
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from baselines.seed_three_layer_net import three_layer_net  # noqa: E402

from solutions.spiral_activations import make_spiral  # noqa: E402
from solutions.three_layer_net import init_params, predict, train  # noqa: E402

SEED_NAMES = {"sigmoid": "SIGM", "relu": "RELU"}


def run_seed(X, y, params, nonlinearity, iterations):
    model = {k: (v.reshape(1, -1) if k.startswith("b") else v).copy() for k, v in params.items()}
    start = time.perf_counter()
    losses, accuracy = three_layer_net(SEED_NAMES[nonlinearity], X, y, model, 1e-1, 1e-3, iterations)
    return time.perf_counter() - start, losses[-1], accuracy


def run_reference(X, y, params, nonlinearity, iterations):
    X32 = X.astype(np.float32)
    params = {k: v.astype(np.float32) for k, v in params.items()}
    start = time.perf_counter()
    history = train(X32, y, params, nonlinearity, iterations, step_size=0.1, reg=1e-3)
    seconds = time.perf_counter() - start
    return seconds, history["loss"][-1], float(np.mean(predict(X32, params, nonlinearity) == y))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=50_000)
    args = parser.parse_args(argv)
    X, y = make_spiral(seed=0)
    params = init_params(seed=1)
    print(f"three-layer net, {args.iterations} iterations, spiral N=100 K=3")
    print(f"{'':8} {'seed s':>8} {'ref s':>8} {'ratio':>6}  {'seed loss/acc':>14} {'ref loss/acc':>14}")
    totals = np.zeros(2)
    ok = True
    for nonlinearity in ("sigmoid", "relu"):
        seed_s, seed_loss, seed_acc = run_seed(X, y, params, nonlinearity, args.iterations)
        ref_s, ref_loss, ref_acc = run_reference(X, y, params, nonlinearity, args.iterations)
        totals += seed_s, ref_s
        ok &= ref_s < seed_s and ref_acc >= seed_acc
        print(
            f"{nonlinearity:8} {seed_s:8.2f} {ref_s:8.2f} {ref_s / seed_s:6.2f}  "
            f"{seed_loss:7.4f}/{seed_acc:.3f} {ref_loss:7.4f}/{ref_acc:.3f}"
        )
    ratio = totals[1] / totals[0]
    ok &= ratio <= 0.5
    print(f"{'both':8} {totals[0]:8.2f} {totals[1]:8.2f} {ratio:6.2f}  target <= 0.50 (each < 1)")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
