"""Run every benchmark (bench/bench_*.py) in turn; exit non-zero if any misses its target."""

import subprocess
import sys
from pathlib import Path

failed = []
for script in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"\n== {script.name}", flush=True)
    if subprocess.run([sys.executable, str(script)]).returncode:
        failed.append(script.name)
print(f"\n{'missed their targets: ' + ', '.join(failed) if failed else 'all benchmarks met their targets'}")
sys.exit(1 if failed else 0)
