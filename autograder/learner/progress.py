"""What the self-check says while it grades, on stderr, line by line:

    cell 14 of 52                                       (AT: where it is; %selfcheck shows the last)
    rnn_cell_backward: hidden tests passed              (after each hidden-test cell)
    rnn_backward: hidden tests failed
    [still running after 30 s, in rnn_backward, line 14: `while t >= 0:`]

The notebook client that grades calls `start` before every cell (nbclient's on_cell_start
hook; `configure` sets it in the self-check's nbgrader configuration). A cell has ended when
the next one starts, or when the grading calls `finished`: nbgrader's Execute keeps
nbclient's on_cell_executed hook for itself, and by then it has put the cell's error, if any,
among its outputs. A thread repeats the lines that the kernel's watchdog
(autograder/kernel/watchdog.py, loaded with WATCHDOG) prints into the running cell, as soon
as they appear.
"""

import sys
import threading
import time

from autograder.kernel.watchdog import LINE

AT = "cell "  # a line that only says where the grading is
WATCHDOG = "--ext=autograder.kernel.watchdog"  # the kernel argument that loads the watchdog


class Progress:
    def __init__(self, out=None):
        self.out = out or sys.stderr
        self.code_cells = []  # indexes of the notebook's code cells
        self.cell, self.seen = None, 0
        self.lock = threading.Lock()
        threading.Thread(target=self.watch, name="progress", daemon=True).start()

    def __deepcopy__(self, memo):
        return self  # traitlets copies a configuration; its hooks must still report here

    def say(self, line):
        print(line, file=self.out, flush=True)

    def notebook(self, notebook, **_):
        """nbclient's on_notebook_start."""
        self.code_cells = [i for i, cell in enumerate(notebook.cells) if runs(cell)]

    def start(self, cell, cell_index, **_):
        """nbclient's on_cell_start (for every cell): the cell before has ended, a code cell begins."""
        self.finished()
        if not runs(cell):
            return
        with self.lock:
            self.cell, self.seen = cell, 0
        if cell_index in self.code_cells:
            self.say(f"{AT}{self.code_cells.index(cell_index) + 1} of {len(self.code_cells)}")

    def finished(self):
        """The running code cell has ended; a hidden-test cell says how it went."""
        with self.lock:
            self.report_watchdog()
            cell, self.cell = self.cell, None
        nbgrader = (cell or {}).get("metadata", {}).get("nbgrader", {})
        if nbgrader.get("grade") and not nbgrader.get("solution"):
            failed = any(output.get("output_type") == "error" for output in cell.get("outputs", []))
            exercise = nbgrader.get("grade_id", "").removesuffix("_tests")
            self.say(f"{exercise}: hidden tests {'failed' if failed else 'passed'}")

    def watch(self):
        while True:
            time.sleep(0.5)
            with self.lock:
                self.report_watchdog()

    def report_watchdog(self):
        """Say the watchdog lines the running cell has printed since the last look."""
        if self.cell is None:
            return
        lines = [
            line
            for output in list(self.cell.get("outputs", []))
            if output.get("output_type") == "stream"
            for line in output.get("text", "").splitlines()
            if line.startswith(LINE)
        ]
        for line in lines[self.seen :]:
            self.say(line)
        self.seen = len(lines)

    def hooks(self):
        """The NotebookClient settings that report to this Progress."""
        return {"on_notebook_start": self.notebook, "on_cell_start": self.start}

    def configure(self, config):
        """Make nbgrader's Execute (the grading's notebook client) report here, its kernels watched."""
        for hook, function in self.hooks().items():
            config.Execute[hook] = function
        config.Execute.extra_arguments = [*config.Execute.get("extra_arguments", []), WATCHDOG]


def runs(cell):
    return cell.get("cell_type") == "code" and bool(cell.get("source", "").strip())
