"""What was graded already: a fingerprint of everything a grade depends on, and the state file."""

import hashlib
import inspect
import json
import sys
from pathlib import Path

import nbformat

from autograder.grading.config import ROOT

STATE_FILE = ".grading-state.json"  # in <course>/autograded/


GRADING_PACKAGES = ("kernel", "engine", "sandbox")  # how any notebook is run and judged


def grader_fingerprint(course_root, name, settings):
    """What a grade depends on besides the notebook: the source of the assignment, its hidden
    tests and references, the grading machinery and the settings (nothing else, so that work
    on other assignments does not regrade this one)."""
    from autograder import engine
    from autograder.sandbox.execute import exercise_checked

    engine.load_exercises()
    digest = hashlib.sha256(settings.fingerprint().encode())
    source = Path(course_root) / "source" / name
    files = [Path(course_root) / "nbgrader_config.py", *sorted(source.rglob("*"))]
    files += [
        path for package in GRADING_PACKAGES for path in sorted((ROOT / "autograder" / package).glob("*.py"))
    ]
    for path in sorted(source.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            exercise = engine.EXERCISES.get(exercise_checked(cell.source) or "")
            if exercise is not None:
                files += project_sources(sys.modules[exercise.cases.__module__])
                files.append(Path(inspect.getsourcefile(exercise.reference)))
                files += [
                    Path(inspect.getsourcefile(f)) for f in exercise.uses.values() if inspect.isfunction(f)
                ]
    for path in sorted(set(files)):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def project_sources(module):
    """The module's source file and those of the project's modules it imports from (the case
    helpers and references its hidden tests draw their inputs with)."""
    folders = (ROOT / "autograder", ROOT / "solutions")
    files = [Path(module.__file__)]
    for value in vars(module).values():
        origin = value if inspect.ismodule(value) else inspect.getmodule(value)
        path = Path(getattr(origin, "__file__", None) or "/")
        if any(path.is_relative_to(folder) for folder in folders):
            files.append(path)
    return files


def submission_key(submission, fingerprint):
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(submission.notebook.read_bytes() if submission.notebook else b"<missing>")
    digest.update((submission.timestamp or "").encode())
    return digest.hexdigest()


def load_state(course_root):
    path = Path(course_root) / "autograded" / STATE_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save_state(course_root, state):
    path = Path(course_root) / "autograded" / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True))
    temporary.replace(path)


def up_to_date(course_root, gradebook, previous, key, settings):
    """True when previous (this state's entry) graded exactly this submission (key: its checksum
    and the grader's fingerprint), the gradebook still holds those grades, and its files exist."""
    from autograder.grading.gradebook import holds

    if not previous or previous.get("key") != key or previous.get("error") or not holds(gradebook, previous):
        return False
    where = Path(course_root) / "autograded" / previous["student"] / previous["assignment"]
    if not (where / f"{previous['assignment']}.ipynb").exists():
        return False
    feedback = Path(course_root) / "feedback" / previous["student"] / previous["assignment"]
    return not settings.feedback or (feedback / f"{previous['assignment']}.html").exists()
