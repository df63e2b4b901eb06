"""Running nbgrader's command line against a course folder."""

import os
import subprocess
import sys
from pathlib import Path


def run_nbgrader(args, course_root, **options):
    """Run `nbgrader <args>` in course_root (where nbgrader_config.py is) with this Python.

    nbgrader calls other programs of its environment (alembic), so that environment's bin
    folder goes first on PATH. Extra keyword options go to subprocess.run.
    """
    bin_folder = str(Path(sys.executable).parent)
    env = {**os.environ, **options.pop("env", {})}
    env["PATH"] = bin_folder + os.pathsep + env.get("PATH", "")
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"],
        cwd=course_root,
        env=env,
        **{"check": True, **options},
    )
