"""The student bundle holds no answers (invariant 6) and works without solutions/."""

import ast
import re
import textwrap

import pytest
from conftest import nbgrader_cells, notebook, solution_regions
from nbclient import NotebookClient

from course.build import COURSE, assignments
from course.workspace import exercise_functions, notebook_path

SHIM = "raise ImportError('{0} is not part of the student bundle')\n"


def statements(source):
    """The simple statements (assignments, returns) of python source, unparsed; strings never match."""
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError:
        return set()
    kinds = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return)
    return {ast.unparse(node) for node in ast.walk(tree) if isinstance(node, kinds)}


def leaked(solution_code, release_code):
    """Substantial statements of the solution code that the release code also holds."""
    answers = {statement for region in solution_code for statement in statements(region)}
    shown = set().union(*(statements(code) for code in release_code))
    return sorted(s for s in answers & shown if len(s) > 12)


def test_a_copied_answer_is_caught():
    cell = "def f(x):\n    ### BEGIN SOLUTION\n    y = np.tanh(x / 2)\n    return 1 + y\n    ### END SOLUTION"
    given = "def g(x):\n    y = np.tanh(x / 2)  # the same statement\n    return y"
    assert leaked(solution_regions(cell), [given]) == ["y = np.tanh(x / 2)"]
    assert leaked(solution_regions(cell), ['print("y = np.tanh(x / 2)")']) == []


@pytest.mark.parametrize("name", assignments())
def test_release_holds_no_solution_and_no_hidden_test(name):
    text = (COURSE / "release" / name / f"{name}.ipynb").read_text()
    answers = [
        r
        for cell in nbgrader_cells(notebook("source", name), solution=True)
        for r in solution_regions(cell.source)
    ]
    release_code = [c.source for c in notebook("release", name).cells if c.cell_type == "code"]
    found = leaked(answers, release_code)
    assert not found, f"solution code in the release of {name}: {found[:3]}"
    for secret in ("BEGIN HIDDEN", "autograder", "check(", "solutions"):
        assert secret not in text, f"the release of {name} contains {secret!r}"


def defined_functions(source):
    """{name: source} of the functions a code cell defines at its top level (% and ! lines left out)."""
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return {
        node.name: ast.get_source_segment(source, node)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
    }


def exercise_answers():
    """{function name: [answer regions]} of every exercise of the course, from the source notebooks."""
    answers = {}
    for name in assignments():
        functions = exercise_functions(notebook_path(COURSE / "source", name))
        for cell in nbgrader_cells(notebook("source", name), solution=True):
            function = next((f for f, e in functions.items() if e == cell.metadata.nbgrader.grade_id), None)
            if function:
                answers.setdefault(function, []).extend(solution_regions(cell.source))
    return answers


@pytest.mark.parametrize("name", assignments())
def test_release_gives_no_answer_of_an_earlier_notebook(name):
    """Outside its answer cells a release defines no exercise's function with that exercise's answer
    in it (a later notebook imports the learner's own: `from mywork import ...`)."""
    answers = exercise_answers()
    for cell in notebook("release", name).cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        for function, source in defined_functions(cell.source).items():
            found = leaked(answers.get(function, []), [source])
            assert not found, f"the release of {name} gives the answer of exercise {function}: {found[:3]}"


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
