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


def course_config(course_root):
    """The configuration in course_root's nbgrader_config.py."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config()


def course_api(course_root, root=None, config=None):
    """An NbGraderAPI on the course folder `root` (default: course_root), configured by `config`
    (default: course_root's nbgrader_config.py). A `root` of its own gets a SQLite gradebook of its own."""
    # nbgrader runs programs of its own environment (alembic) by name.
    bin_folder = str(Path(sys.executable).parent)
    if bin_folder not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_folder + os.pathsep + os.environ.get("PATH", "")
    config = config or course_config(course_root)
    config.CourseDirectory.root = str(root or course_root)
    if root is not None:  # a scratch copy: its own gradebook, also when the course's is a database server
        config.CourseDirectory.db_url = f"sqlite:///{Path(root) / 'gradebook.db'}"
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def succeeded(result, step):
    """Raise NbgraderFailed unless an NbGraderAPI result dict says it succeeded."""
    if not result["success"]:
        raise NbgraderFailed(f"nbgrader {step} failed:\n{result.get('error') or result.get('log', '')}")
    return result
