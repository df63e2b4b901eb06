"""How a grading run is configured: its settings and the nbgrader configuration it runs with."""

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COURSE = ROOT / "course"


@dataclass
class Settings:
    """How the grading runs; the defaults are the course's."""

    workers: int = 0  # 0: one per core
    timeout: int = 0  # seconds per cell; 0: the course's Execute.timeout
    memory: int = 0  # MB per kernel, all its processes; 0: the course's GradingExecute.memory_limit
    cpu: int = 0  # CPU seconds per kernel, all its processes; 0: the course's GradingExecute.cpu_limit
    max_cell_output: int = 1_000_000  # bytes of output kept per cell
    max_output: int = 20_000_000  # bytes of output kept per notebook
    feedback: bool = True
    notebook_timeout: int = 1800  # seconds of grading per notebook, on top of the per-cell timeout
    scheduler: str = ""  # a Dask scheduler's address: grade on that cluster instead of the local pool
    sandbox: bool = True  # False: grade without bubblewrap where it is missing (own notebooks only)
    warm: int = 1  # kernels each worker starts ahead of the notebook that needs them

    def fingerprint(self):
        # they change no grade that is recorded
        ignored = ("workers", "feedback", "notebook_timeout", "scheduler", "sandbox", "warm")
        kept = {k: v for k, v in asdict(self).items() if k not in ignored}
        return json.dumps(kept, sort_keys=True)


# ---------------------------------------------------------------- nbgrader configuration


def grading_config(course_root, settings):
    """The course's nbgrader configuration with the sandboxed executor and the limits."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from autograder.sandbox.execute import GradingExecute
    from course.nbgrader_api import course_config

    config = course_config(course_root)
    config.Autograde.autograde_preprocessors = [
        GradingExecute,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    if settings.timeout:
        config.Execute.timeout = settings.timeout
    timeout = config.Execute.get("timeout", 30)
    message = f"This cell ran longer than the limit of {timeout} s and was interrupted."
    config.Execute.error_on_timeout = {
        "ename": "CellTimeoutError",
        "evalue": message,
        "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: {message}"],
    }
    # Nothing is left to save in a kernel whose notebook is done: stop it at once (saves ~0.7 s each).
    config.GradingExecute.shutdown_kernel = "immediate"
    config.GradingExecute.max_cell_output = settings.max_cell_output
    config.GradingExecute.max_output = settings.max_output
    if settings.memory:
        config.GradingExecute.memory_limit = settings.memory
    if settings.cpu:
        config.GradingExecute.cpu_limit = settings.cpu
    return config


def course_assignments(course_root):
    """The assignments of a course: the folders of source/ that hold a notebook."""
    source = Path(course_root) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def ensure_generated(course_root, names):
    """Run nbgrader generate_assignment for assignments the gradebook does not know yet."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.nbgrader_api import course_api, succeeded

    api = course_api(course_root)
    missing = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for name in names:
            try:
                if not gradebook.find_assignment(name).notebooks:
                    missing.append(name)
            except MissingEntry:
                missing.append(name)
    for name in missing:
        print(f"{name} is not in the gradebook yet: running nbgrader generate_assignment", file=sys.stderr)
        succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")
    return api
