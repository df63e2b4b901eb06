"""The student bundle holds no answers (invariant 6) and works without solutions/."""

import re

import pytest
from conftest import nbgrader_cells, notebook
from nbclient import NotebookClient

from course.build import COURSE, assignments

SHIM = "raise ImportError('{0} is not part of the student bundle')\n"


def solution_lines(name):
    """The substantial lines of every solution region of an assignment's source notebook."""
    lines = set()
    for cell in nbgrader_cells(notebook("source", name), solution=True):
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and len(line.strip()) > 12 and not line.strip().startswith("#"):
                lines.add(line.strip())
    return lines


@pytest.mark.parametrize("name", assignments())
def test_release_holds_no_solution_and_no_hidden_test(name):
    text = (COURSE / "release" / name / f"{name}.ipynb").read_text()
    sources = "\n".join(c.source for c in notebook("release", name).cells if c.cell_type == "code")
    leaked = [line for line in solution_lines(name) if line in sources]
    assert not leaked, f"solution code in the release of {name}: {leaked[:3]}"
    for secret in ("BEGIN HIDDEN", "autograder", "check(", "solutions"):
        assert secret not in text, f"the release of {name} contains {secret!r}"


@pytest.mark.parametrize("name", assignments())
def test_release_runs_up_to_its_stubs_without_the_answer_key(name, tmp_path):
    """Run every cell with solutions/ and autograder/ unimportable: only the stubs may fail."""
    for package in ("solutions", "autograder"):
        (tmp_path / "shims" / package).mkdir(parents=True)
        (tmp_path / "shims" / package / "__init__.py").write_text(SHIM.format(package))
    nb = notebook("release", name)
    workdir = tmp_path / name
    workdir.mkdir()
    for extra in (COURSE / "release" / name).iterdir():  # data files released with the notebook
        if extra.suffix != ".ipynb":
            (workdir / extra.name).write_bytes(extra.read_bytes())
    client = NotebookClient(
        nb, timeout=120, allow_errors=True, resources={"metadata": {"path": str(workdir)}}
    )
    client.execute(env={"PYTHONPATH": str(tmp_path / "shims"), "PATH": "/usr/bin:/bin"})
    errors = [
        (output.ename, output.evalue)
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert errors, f"no stub of {name} raised: is there an exercise?"
    unexpected = [e for e in errors if e[0] not in ("NotImplementedError", "NameError")]
    assert not unexpected, f"the release of {name} fails for another reason than its stubs: {unexpected}"
    for ename, evalue in errors:
        if ename == "NameError":  # a name that a stubbed cell would have defined
            assert re.match(r"name '\w+' is not defined", evalue)
