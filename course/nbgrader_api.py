"""nbgrader's Python API on a course folder, in this process (importing nbgrader takes seconds)."""

import os
import sys
import warnings
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from sqlalchemy.exc import SAWarning
from traitlets.config.loader import PyFileConfigLoader

# nbgrader's own gradebook code trips these SQLAlchemy warnings; they say nothing to our users.
warnings.filterwarnings("ignore", category=SAWarning)


class NbgraderFailed(RuntimeError):
    """An nbgrader step failed; the message holds nbgrader's own log."""


def course_api(course_root):
    """An NbGraderAPI for the course at course_root, configured by its nbgrader_config.py."""
    # nbgrader runs programs of its own environment (alembic) by name.
    bin_folder = str(Path(sys.executable).parent)
    if bin_folder not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_folder + os.pathsep + os.environ.get("PATH", "")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()
    config.CourseDirectory.root = str(course_root)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def succeeded(result, step):
    """Raise NbgraderFailed unless an NbGraderAPI result dict says it succeeded."""
    if not result["success"]:
        raise NbgraderFailed(f"nbgrader {step} failed:\n{result.get('error') or result.get('log', '')}")
    return result
