"""Helpers of the grading-command tests: a throw-away course, the command, what it wrote."""

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from course.build import COURSE

ROOT = COURSE.parent


def make_course(folder, names, extra_config=""):
    """A course folder holding the named assignments' sources (nbgrader generates the rest)."""
    course = Path(folder)
    course.mkdir(parents=True, exist_ok=True)
    config = (COURSE / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(config + extra_config)
    for name in names:
        shutil.copytree(COURSE / "source" / name, course / "source" / name)
    return course


def generated_course(folder, names, extra_config=""):
    """make_course, then nbgrader's generate_assignment of each name; returns (course, api)."""
    from course.nbgrader_api import course_api, succeeded  # imports nbgrader, which takes seconds

    course = make_course(folder, names, extra_config)
    api = course_api(course)
    for name in names:
        succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")
    return course, api


def run_grade(*args, check=True, env=None):
    """python -m autograder.grading ..., as an instructor runs it (env: variables to add)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "autograder.grading", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"grade failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def grades_csv(course):
    with open(Path(course) / "grades.csv") as file:
        return {
            (row["student_id"], row["assignment"]): float(row["raw_score"]) for row in csv.DictReader(file)
        }


def state(course):
    return json.loads((Path(course) / "autograded" / ".grading-state.json").read_text())


def feedback_text(course, student, name):
    """The feedback page's text, tags removed."""
    page = (Path(course) / "feedback" / student / name / f"{name}.html").read_text()
    page = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def autograded(course, student, name):
    return nbformat.read(Path(course) / "autograded" / student / name / f"{name}.ipynb", as_version=4)


def output_text(notebook):
    """Everything a notebook's cells printed, errors and tracebacks included."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("evalue", ""))
            parts.extend(output.get("traceback", []))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)
