"""Where a long-running cell is: a line in the cell's output every 30 s, naming the function.

    [still running after 30 s, in rnn_cell_forward, line 9: `while t < T:`]

An IPython extension (`--ext=autograder.kernel.watchdog`) for the kernels of the self-check:
when a cell has run for 30 s, a daemon thread looks at the main thread's stack
(sys._current_frames) and prints the innermost frame of the notebook's own code, again every
30 s. It prints to stdout (a graded cell loses no points for it) and never interrupts: the
grading's own time limits decide. LINE starts every such line, so a reader can pick them out.
"""

import linecache
import sys
import sysconfig
import threading
import time
from pathlib import Path

EVERY = 30  # seconds between two reports on one cell
LINE = "[still running after"
LIBRARIES = tuple(
    {str(Path(path).resolve()) for path in sysconfig.get_paths().values()} | {sys.prefix, sys.base_prefix}
)
ROOT = Path(__file__).resolve().parent.parent.parent
OURS = (str(ROOT / "autograder"), str(ROOT / "mywork.py"))  # the course's code a notebook calls through


def notebook_frame(frame):
    """The innermost frame of the notebook's own code (not Python's, a library's or ours), or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith((*LIBRARIES, *OURS, "<frozen")):
            return frame
        frame = frame.f_back
    return None


def where(thread_id):
    """', in NAME, line N: `code`' for the innermost notebook frame of a thread, or ''."""
    frame = notebook_frame(sys._current_frames().get(thread_id))
    if frame is None:
        return ""
    code = linecache.getline(frame.f_code.co_filename, frame.f_lineno).strip()
    name = frame.f_code.co_name
    place = "the cell itself" if name == "<module>" else name
    return f", in {place}, line {frame.f_lineno}" + (f": `{code}`" if code else "")


class Watchdog:
    """Reports a cell that runs long; pre_run_cell and post_run_cell are IPython's events."""

    def __init__(self, every=None):
        self.every, self.started, self.reported = every, None, 0  # every: default EVERY, read as it runs
        self.main = threading.main_thread().ident
        threading.Thread(target=self.watch, name="watchdog", daemon=True).start()

    def pre_run_cell(self, info=None):
        self.started, self.reported = time.monotonic(), 0

    def post_run_cell(self, result=None):
        self.started = None

    def watch(self):
        while True:
            every = self.every or EVERY
            time.sleep(min(1.0, every / 10))
            started = self.started
            if started is None:
                continue
            elapsed = time.monotonic() - started
            if elapsed >= (self.reported + 1) * every:
                self.reported += 1
                print(f"{LINE} {elapsed:.0f} s{where(self.main)}]", flush=True)


def load_ipython_extension(ipython):
    watchdog = Watchdog()
    ipython.events.register("pre_run_cell", watchdog.pre_run_cell)
    ipython.events.register("post_run_cell", watchdog.post_run_cell)
