"""The self-check's progress: where it is, each exercise's hidden tests as they finish, and a
function that loops, named within 30 s (here within 1 s: the watchdog's period, shortened)."""

import io

import nbformat
from nbclient import NotebookClient

from autograder.learner.progress import AT, WATCHDOG, Progress

LOOPS = '''\
import time


def rnn_forward(x, a0, parameters):
    while time.monotonic() < END:  # a loop that would not end, cut short for the test
        pass'''


def graded_cell(source, grade_id):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata.nbgrader = {"grade": True, "solution": False, "grade_id": grade_id, "points": 1}
    return cell


def test_progress_names_the_cell_the_exercise_and_the_looping_function():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# a notebook"),
            nbformat.v4.new_code_cell("import autograder.kernel.watchdog as w\nw.EVERY = 1\nimport time"),
            nbformat.v4.new_code_cell(LOOPS),
            graded_cell("END = time.monotonic() + 2.5\nrnn_forward(None, None, None)", "rnn_forward_tests"),
            graded_cell("raise AssertionError('rnn_backward: wrong')", "rnn_backward_tests"),
        ]
    )
    said = io.StringIO()
    progress = Progress(said)
    hooks = progress.hooks()
    client = NotebookClient(nb, timeout=60, allow_errors=True, extra_arguments=[WATCHDOG], **hooks)
    client.execute()
    progress.finished()
    lines = said.getvalue().splitlines()
    assert lines[0] == f"{AT}1 of 4" and f"{AT}4 of 4" in lines
    looping = [line for line in lines if "still running" in line]
    assert looping, lines
    assert looping[0].startswith("[still running after 1 s, in rnn_forward, line 5: `while"), lines
    assert lines.index(looping[0]) < lines.index("rnn_forward: hidden tests passed"), "reported while it runs"
    assert lines[-1] == "rnn_backward: hidden tests failed"
