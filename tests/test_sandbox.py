"""The grading sandbox where bubblewrap is missing or fails, and below a long temporary folder: a
clear refusal, a clear reason, a self-check that still grades (the attacks are in test_adversarial.py)."""

import os
import re
import sys
import tempfile

import nbformat
import pytest
from conftest import ON_CI

from autograder.grading import intake, run
from autograder.grading.config import Settings
from autograder.learner import selfcheck
from autograder.learner.scratch import GradingFailed, scratch_course
from autograder.sandbox import kernels
from autograder.sandbox.files import copy_files
from course.build import COURSE

NAME = "01_spiral_and_activations"
SOLUTION = COURSE / "source" / NAME / f"{NAME}.ipynb"


@pytest.fixture
def no_bwrap(monkeypatch):
    """This machine as if bubblewrap were not installed."""
    monkeypatch.setattr(kernels, "bwrap_problem", lambda: kernels.INSTALL_BWRAP)
    monkeypatch.setattr(run, "bwrap_problem", lambda: kernels.INSTALL_BWRAP)


def test_class_grading_refuses_to_run_without_the_sandbox_and_says_how_to_install_it(no_bwrap, tmp_path):
    with pytest.raises(intake.IntakeError) as refused:
        run.grade(tmp_path, COURSE, settings=Settings())
    assert "apt-get install bubblewrap" in str(refused.value)
    assert "--unsandboxed" in str(refused.value)


def test_without_bubblewrap_the_self_check_grades_unsandboxed_and_says_so(no_bwrap, capsys):
    result = selfcheck.grade(SOLUTION)
    assert result["score"] == result["max_score"] == 8, result
    assert "without the grading sandbox" in capsys.readouterr().err


def test_a_sandbox_that_cannot_start_says_why(monkeypatch):
    require_bwrap()
    view = kernels.Runtime.view
    broken = ["--ro-bind", "/nonexistent", "/x"]
    monkeypatch.setattr(kernels.Runtime, "view", lambda self: [*view(self), *broken])
    with scratch_course([NAME], Settings(feedback=False, warm=0)) as course:
        course.submit(NAME, "student", SOLUTION)
        with pytest.raises(GradingFailed) as failed:
            course.grade(NAME, "student")
    assert "the grading kernel did not start" in str(failed.value)
    assert "/nonexistent" in str(failed.value)  # bubblewrap's own message


def require_bwrap():
    problem = kernels.bwrap_problem()
    if problem:
        if ON_CI:
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandboxed", "unsandboxed"])
def test_grading_works_below_a_temporary_folder_too_long_for_a_unix_socket(sandboxed, tmp_path, monkeypatch):
    if sandboxed:
        require_bwrap()
    else:
        monkeypatch.setattr(kernels, "bwrap_problem", lambda: kernels.INSTALL_BWRAP)
    long = tmp_path / ("a-long-temporary-folder-" * 5)  # as pytest's or a grading run's can be
    long.mkdir()
    monkeypatch.setenv("TMPDIR", str(long))
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    with scratch_course([NAME], Settings(feedback=False, warm=1, sandbox=sandboxed)) as course:
        course.submit(NAME, "student", SOLUTION)
        result = course.grade(NAME, "student")
        sockets = [p for p in course.root.rglob("*") if p.is_socket()]
    assert result["score"] == result["max_score"] == 8, result
    # the judge's and the kernel's sockets were there, at paths no Unix socket address can hold
    assert sockets and all(len(str(p).encode()) > 108 for p in sockets), sockets


def test_a_submissions_files_are_copied_without_following_a_link_and_within_a_size(tmp_path):
    """What the worker copies from course/submitted/<student>/<assignment> into the kernel."""
    secret = tmp_path / "solutions.py"
    secret.write_text("the answers")
    given = tmp_path / "given"
    (given / "data").mkdir(parents=True)
    (given / "data" / "points.csv").write_text("1,2\n")
    (given / "notes.txt").write_text("mine")
    (given / "answers.py").symlink_to(secret)
    (given / "linked").symlink_to(tmp_path, target_is_directory=True)
    os.mkfifo(given / "pipe")
    (given / "big.bin").write_bytes(b"x" * 2000)
    (given / ".hidden").write_text("x")
    (given / "other.ipynb").write_text("{}")
    copied = tmp_path / "copied"
    left_out = copy_files(given, copied, limit=1000)
    found = sorted(str(p.relative_to(copied)) for p in copied.rglob("*") if not p.is_dir())
    assert found == ["data/points.csv", "notes.txt"]
    assert sorted(left_out) == ["answers.py", "big.bin", "linked", "pipe"]
    assert not any(p.is_symlink() for p in copied.rglob("*"))


def test_a_python_installation_below_tmp_is_seen_by_the_kernel(tmp_path, monkeypatch):
    """A clone below /tmp (as CI's can be) keeps its .venv there, under the kernel's own /tmp."""
    require_bwrap()
    venv = tmp_path / "venv"
    venv.symlink_to(sys.prefix, target_is_directory=True)
    roots = kernels.python_roots()
    monkeypatch.setattr(kernels, "python_roots", lambda: [*roots, str(venv)])
    monkeypatch.setattr(sys, "executable", str(venv / "bin" / "python"))
    with scratch_course([NAME], Settings(feedback=False, warm=0)) as course:
        course.submit(NAME, "student", SOLUTION)
        result = course.grade(NAME, "student")
    assert result["score"] == result["max_score"] == 8, result


def test_an_update_of_earlier_displays_counts_against_the_output_limit(tmp_path):
    """Ten small displays of one id, then one 3 MB update: 30 MB kept in the notebook before."""
    require_bwrap()
    flood = (
        "from IPython.display import display\n"
        "for _ in range(10):\n    display('x', display_id='flood')\n"
        "display('x' * 3_000_000, display_id='flood', update=True)"
    )
    nb = nbformat.read(SOLUTION, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(flood))
    nbformat.write(nb, tmp_path / f"{NAME}.ipynb")
    with scratch_course([NAME], Settings(feedback=False, warm=0)) as course:
        course.submit(NAME, "student", tmp_path / f"{NAME}.ipynb")
        result = course.grade(NAME, "student")
        graded = next(course.root.glob(f"autograded/student/{NAME}/{NAME}.ipynb"))
        size = graded.stat().st_size
    assert result["score"] == result["max_score"] == 8, result
    assert size < 2_000_000, f"the graded notebook holds {size} bytes"
    assert any("an update of a display" in line for _, line in result["incidents"]), result["incidents"]


LIVE_ATTRIBUTE = re.compile(r"<[a-z]+[^<>]*\s(on[a-z]+=|href=.javascript)")  # in a tag, not its text
SCRIPTS = (  # a notebook's displays that would run code where the graded notebook is read
    "from IPython.display import HTML, SVG, Javascript, Markdown, display\n"
    "display(HTML('<b>kept</b><script>document.title = \"xss-1\"</script>'))\n"
    "display(HTML('<img src=x onerror=\"document.title = \\'xss-2\\'\">'))\n"
    "display(Javascript('document.title = \"xss-3\"'))\n"
    'display(SVG(\'<svg xmlns="http://www.w3.org/2000/svg" onload="document.title=1"/>\'))\n'
    "display(Markdown('<script>document.title = \"xss-4\"</script>'))\n"
    "display({'text/html': '<a href=\"javascript:document.title=5\">link</a>'}, raw=True)\n"
    "display(HTML('x'), display_id='later')\n"
    "display(HTML('<script>document.title = \"xss-6\"</script>'), display_id='later', update=True)"
)


def test_no_output_that_runs_in_the_readers_browser_is_kept(tmp_path):
    """Scripts, event handlers, javascript: links, JavaScript, SVG and Markdown outputs, and
    HTML in a Markdown or raw cell the student added, are not live in the autograded notebook
    or the feedback page (formgrader shows the notebook to the instructor); an HTML output's
    harmless part is."""
    require_bwrap()
    nb = nbformat.read(SOLUTION, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(SCRIPTS))
    nb.cells.insert(
        4, nbformat.v4.new_markdown_cell("A note <img src=x onerror=alert(1)> <https://cs231n.github.io>")
    )
    raw = {"raw_mimetype": "text/html", "format": "text/html"}
    nb.cells.insert(5, nbformat.v4.new_raw_cell("<svg onload=alert(2)>", metadata=raw))
    nbformat.write(nb, tmp_path / f"{NAME}.ipynb")
    with scratch_course([NAME], Settings(warm=0)) as course:
        course.submit(NAME, "student", tmp_path / f"{NAME}.ipynb")
        result = course.grade(NAME, "student")
        graded_path = next(course.root.glob(f"autograded/student/{NAME}/{NAME}.ipynb"))
        graded = nbformat.read(graded_path, as_version=4)
        feedback = next(course.root.glob(f"feedback/student/{NAME}/{NAME}.html")).read_text()
    assert result["score"] == 8, result
    outputs = str(graded.cells[3].outputs)
    assert "<b>kept</b>" in outputs
    for shown in (outputs, feedback):  # the cell's code, and a script's text, may be shown as text
        assert "<script>document" not in shown and "<svg" not in shown
        assert not LIVE_ATTRIBUTE.search(shown), LIVE_ATTRIBUTE.search(shown)
    assert "application/javascript" not in outputs and "image/svg+xml" not in outputs
