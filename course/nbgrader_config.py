"""nbgrader configuration of the course; nbgrader reads it when run from this folder."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "rnn-from-scratch"

# What a student finds where an answer was removed.
c.ClearSolutions.code_stub = {
    "python": '# YOUR CODE HERE\nraise NotImplementedError("replace this line with your code")'
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Seconds per cell: long enough for a training cell, short enough to stop an endless loop.
c.Execute.timeout = 300
# Kernels keep no history file and log only errors.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=ERROR"]
# A deleted or edited test cell comes back from the gradebook and is graded as written.
c.OverwriteCells.add_missing_cells = True

# nbgrader gives zero to a test cell that writes to stderr. A numpy warning is not a wrong
# answer, so stderr output that is only a warning is dropped before grading.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w+Warning: "

# What a notebook's kernel may use under the grading command (autograder/sandbox/execute.py):
# memory and processes of all its processes together, their CPU time, and what it may write
# (its working folder and /tmp are each a memory file system of this size).
c.GradingExecute.memory_limit = 2048  # MB
c.GradingExecute.cpu_limit = 900  # CPU seconds
c.GradingExecute.process_limit = 128  # processes and threads
c.GradingExecute.disk_limit = 256  # MB
