"""The self-check's watchdog: a cell that runs long says, in its output, which function it is in."""

import nbformat
from nbclient import NotebookClient

from autograder.kernel.watchdog import LINE

LOOPING = '''\
import time


def rnn_cell_forward(xt, a_prev, parameters):
    start = time.monotonic()
    while time.monotonic() - start < 2.6:  # a loop that would not end, cut short for the test
        pass


rnn_cell_forward(None, None, None)'''


def run(*sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    NotebookClient(nb, timeout=60, allow_errors=True).execute()
    return ["".join(o.get("text", "") for o in cell.outputs) for cell in nb.cells]


def test_a_long_cell_names_the_function_it_is_in_and_a_short_one_says_nothing():
    start = "import autograder.kernel.watchdog as w\nw.EVERY = 1\n%load_ext autograder.kernel.watchdog"
    top_level = "import time\nend = time.monotonic() + 1.6\nwhile time.monotonic() < end:\n    pass"
    _, looping, short, top = run(start, LOOPING, "x = 1", top_level)
    lines = looping.splitlines()
    assert len(lines) == 2, looping  # after 1 s and after 2 s
    assert lines[0].startswith(f"{LINE} 1 s, in rnn_cell_forward, line 6: `while time.monotonic()"), lines
    assert short == ""
    assert top.startswith(f"{LINE} 1 s, in the cell itself, line 3: `while time.monotonic() < end:`"), top
