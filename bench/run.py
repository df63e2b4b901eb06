"""Run every benchmark (bench/bench_*.py) in turn; exit non-zero if any misses its target."""

import importlib.util
import subprocess
import sys
from pathlib import Path

NEEDS_TORCH = {"bench_recurrent_vs_torch.py", "bench_sequence_classifier_vs_torch.py"}

failed = []
for script in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"\n== {script.name}", flush=True)
    if script.name in NEEDS_TORCH and importlib.util.find_spec("torch") is None:
        print("skipped: PyTorch is not installed (.venv/bin/pip install torch==2.13.0)", flush=True)
        continue
    if subprocess.run([sys.executable, str(script)]).returncode:
        failed.append(script.name)
print(f"\n{'missed their targets: ' + ', '.join(failed) if failed else 'all benchmarks met their targets'}")
sys.exit(1 if failed else 0)
