"""The student's work is never lost: make lab's workspace sync, a rebuild, a newer release."""

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from lab_server import Lab

from course import workspace
from course.build import COURSE, assignments


@pytest.fixture
def release(tmp_path, monkeypatch):
    """A private copy of the release folder, so a test can publish a 'newer' release."""
    course = tmp_path / "course"
    shutil.copytree(COURSE / "release", course / "release")
    monkeypatch.setattr(workspace, "COURSE", course)
    return course / "release"


def edit(path, text):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(text))
    nbformat.write(nb, path)


def test_sync_copies_every_release_notebook(tmp_path):
    workspace.sync(tmp_path / "ws")
    for name in assignments():
        assert (tmp_path / "ws" / name / f"{name}.ipynb").exists()


def test_make_lab_and_a_rebuild_keep_the_students_edit(tmp_path):
    """The real commands: the workspace step of make lab, then make release's build."""
    ws = tmp_path / "ws"
    first = assignments()[0]
    run = [sys.executable, "-m", "course.workspace", "--workspace", str(ws)]
    subprocess.run(run, cwd=COURSE.parent, check=True, capture_output=True)
    mine = ws / first / f"{first}.ipynb"
    edit(mine, "my_answer = 42")
    subprocess.run(
        [sys.executable, "-m", "course.build", first],
        cwd=COURSE.parent,
        check=True,
        capture_output=True,
    )
    subprocess.run(run, cwd=COURSE.parent, check=True, capture_output=True)
    assert "my_answer = 42" in mine.read_text()


def test_a_newer_release_is_offered_and_taken_without_loss(tmp_path, release):
    ws = tmp_path / "ws"
    first = assignments()[0]
    workspace.sync(ws)
    mine = ws / first / f"{first}.ipynb"
    edit(mine, "my_answer = 42")
    edit(release / first / f"{first}.ipynb", "# a fix published by the instructor")

    messages = workspace.sync(ws)
    assert any("newer release" in m for m in messages)
    assert "my_answer = 42" in mine.read_text()
    assert "a fix published" in (ws / first / f"{first} (newer release).ipynb").read_text()

    assert workspace.take(first, ws) == [f"{first}/{first}.ipynb"]
    assert "a fix published" in mine.read_text()
    kept = list((ws / first).glob(f"{first} (mine, *).ipynb"))
    assert len(kept) == 1 and "my_answer = 42" in kept[0].read_text()
    assert not any("newer release" in m for m in workspace.sync(ws))


def test_the_real_make_lab_keeps_the_edit_and_announces_a_newer_release(tmp_path):
    """`make lab` twice on one workspace, as a student runs it: the second time after an edit and
    with a newer release published (simulated: the workspace records that the student's copy
    came from another release, so course/release itself is not touched)."""
    ws, home, first = tmp_path / "ws", tmp_path / "home", assignments()[0]
    relative = f"{first}/{first}.ipynb"
    with Lab(ws, home) as lab:
        assert lab.api("contents/" + first)["type"] == "directory"
        running = lab.command_lines()
        assert lab.status_of("formgrader") == 404, "the instructor's formgrader should be off"
        assert lab.status_of("assignments") == 404, "outside a class the exchange's assignment list is off"
    assert any("jupyter" in line and "lab" in line for line in running), running
    assert not [line for line in running if lab.token in line], "the token is on a command line"
    assert f"new: {relative}" in lab.output
    assert f"{lab.url}/lab?token={lab.token}" in lab.output, "make lab should print the URL to open"

    mine = ws / relative
    edit(mine, "my_answer = 42")
    record = json.loads((ws / workspace.RECORD).read_text())
    record[relative] = "0" * 64
    (ws / workspace.RECORD).write_text(json.dumps(record))
    with Lab(ws, home) as lab:
        pass
    assert "my_answer = 42" in mine.read_text()
    assert f"A newer release of {relative} is saved beside yours" in lab.output, lab.output
    assert f"--take {first}" in lab.output
    newer = ws / first / f"{first} (newer release).ipynb"
    assert newer.read_bytes() == (COURSE / "release" / relative).read_bytes()
