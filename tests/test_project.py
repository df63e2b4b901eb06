"""The project's derived files agree with their single source of truth."""

import re
import subprocess
import sys
import tomllib

from course.build import COURSE, check

ROOT = COURSE.parent


def requirement(text):
    """'numpy>=1.26' -> ('numpy', '>=1.26'), with the name normalised (pip's extras dropped:
    'psycopg[binary]>=3.1' -> ('psycopg', '>=3.1'))."""
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)", text).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    """environment.yml is the student's environment: the dependencies, without the dev extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {requirement(r) for r in project["dependencies"]}
    dependencies = (ROOT / "environment.yml").read_text().split("\ndependencies:\n")[1]
    listed = {requirement(line.strip()[2:]) for line in dependencies.splitlines() if line.startswith("  - ")}
    listed -= {("python", ">=3.11"), ("pip", "")}
    assert listed == wanted, (
        f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"
    )
    assert project["requires-python"] == ">=3.11"


def test_generated_notebooks_are_up_to_date():
    stale = check()
    assert not stale, f"run `make release` and commit: {stale}"


def test_code_is_linted():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
