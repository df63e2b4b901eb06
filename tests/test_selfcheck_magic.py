"""`%selfcheck`, the self-check from a notebook cell: how it finds the notebook and what it says.

The full round trip (a notebook in JupyterLab graded with full marks) is in test_browser.py.
"""

import shutil

import nbformat
import pytest
from IPython.core.interactiveshell import InteractiveShell

from autograder.learner import magic
from course.build import COURSE, assignments

FIRST = assignments()[0]
MAGIC_LINE = "get_ipython().run_line_magic('selfcheck', '')"  # how IPython records `%selfcheck`


@pytest.fixture
def ipython(monkeypatch):
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "autograder.learner.magic")
    monkeypatch.delitem(shell.user_ns, "__session__", raising=False)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return shell


def said(ipython, capsys, line=""):
    ipython.run_line_magic("selfcheck", line)
    return capsys.readouterr().out


def test_it_says_what_to_do_when_it_cannot_grade(ipython, capsys, tmp_path):
    assert "Give its path: %selfcheck NOTEBOOK.ipynb" in said(ipython, capsys)
    missing = tmp_path / "nothing.ipynb"
    assert f"no notebook at {missing}" in said(ipython, capsys, f'"{missing}"')
    (tmp_path / "homework.ipynb").write_text("{}")
    text = said(ipython, capsys, str(tmp_path / "homework.ipynb"))
    assert "not one of the course's notebooks" in text and f"{FIRST}/{FIRST}.ipynb" in text
    assert "Grading" not in text and "Traceback" not in text


def test_it_finds_the_notebook_and_a_renamed_copy_by_its_folder(ipython, tmp_path, monkeypatch):
    folder = tmp_path / FIRST
    folder.mkdir()
    mine = folder / f"{FIRST} (mine, 2026-01-01 1200).ipynb"
    shutil.copy(COURSE / "release" / FIRST / f"{FIRST}.ipynb", mine)
    ipython.user_ns["__session__"] = str(mine)
    assert magic.this_notebook(ipython) == mine
    assert magic.assignment_of(mine) == FIRST
    monkeypatch.chdir(folder)  # a path relative to the server's root: the kernel runs beside it
    ipython.user_ns["__session__"] = f"{FIRST}/{mine.name}"
    assert magic.this_notebook(ipython) == mine
    mine.rename(folder / "elsewhere.ipynb")
    with pytest.raises(magic.NotGradable, match="Restart the kernel"):
        magic.this_notebook(ipython)


def test_unsaved_work_is_pointed_out(ipython, monkeypatch):
    notebook = COURSE / "source" / FIRST / f"{FIRST}.ipynb"
    saved = next(c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    monkeypatch.setitem(ipython.user_ns, "In", ["", saved + "\n", MAGIC_LINE])
    assert magic.unsaved_warning(ipython, notebook) == ""
    monkeypatch.setitem(ipython.user_ns, "In", ["", "my_new_line = 1\n", MAGIC_LINE])
    assert "Save (Ctrl+S" in magic.unsaved_warning(ipython, notebook)
