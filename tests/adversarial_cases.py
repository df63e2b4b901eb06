"""The adversarial submissions of tests/test_adversarial.py: each is the solution notebook of 01
with one attack in it (or a damaged notebook), with the score it must get and the line its
feedback must show.

The attacks are written in the notebooks with placeholders: {course} (the course folder),
{root} (this repository), {port} (a port the test listens on), {marker} (a word the test
looks for among the machine's processes and files afterwards).
"""

import uuid

import nbformat
from conftest import nbgrader_cells, notebook, one_wrong

from autograder.sandbox.cgroups import available as cgroups_available

NAME = "01_spiral_and_activations"
FULL = 8  # make_spiral 2, sigmoid 2, sigmoid_grad 1, relu 1, relu_grad 1, tanh_grad 1
TIMEOUT = 30  # seconds per cell in this run; every honest cell of 01 takes well under one
MARKER = f"attack{uuid.uuid4().hex[:12]}"
SECRET = f"secret{uuid.uuid4().hex[:12]}"  # in the grading command's environment
HONEST = ("control-solution", "control-wrong-sigmoid", "control-release")


def source():
    return notebook("source", NAME)


def cell_of(nb, grade_id):
    return nbgrader_cells(nb, grade_id=grade_id)[0]


def appended(grade_id, code, nb=None):
    """The solution notebook with code added at the end of one cell."""
    nb = nb or source()
    cell_of(nb, grade_id).source += "\n" + code
    return nb


def replaced(grade_id, code, nb=None):
    nb = nb or source()
    cell_of(nb, grade_id).source = code
    return nb


def prepended(code, nb=None):
    """The notebook with a cell of the student's own at the top (after the imports)."""
    nb = nb or source()
    nb.cells.insert(2, nbformat.v4.new_code_cell(code))
    return nb


WRONG_SIGMOID = "def sigmoid(x):\n    return 1 / (1 + np.exp(-x))"


def wrong_sigmoid():
    return replaced("sigmoid", WRONG_SIGMOID)


def reordered():
    nb = source()
    solution = nb.cells.index(cell_of(nb, "sigmoid"))
    test = nb.cells.index(cell_of(nb, "sigmoid_tests"))
    nb.cells.insert(solution, nb.cells.pop(test))
    return nb


def types_changed():
    nb = source()
    for grade_id in ("sigmoid_tests", "relu"):
        old = cell_of(nb, grade_id)
        new = nbformat.v4.new_markdown_cell(old.source, metadata=old.metadata)
        new.id = old.id
        nb.cells[nb.cells.index(old)] = new
    return nb


def deleted_answer_and_test():
    nb = source()
    for grade_id in ("sigmoid", "sigmoid_tests"):
        nb.cells.remove(cell_of(nb, grade_id))
    return nb


def corrupted_metadata():
    nb = source()
    cell_of(nb, "relu_tests").metadata["nbgrader"]["points"] = None
    return nb


def deleted_test():
    nb = source()
    nb.cells.remove(cell_of(nb, "sigmoid_tests"))
    return nb


LYING = """
class AlwaysEqual:
    def __eq__(self, other):
        return True
    __array_priority__ = 1000

def relu(x):
    return AlwaysEqual()
"""

# student id -> (the submission: a notebook, raw bytes, or None for no notebook;
#                expected score; text its feedback must show)
CASES = {
    # honest controls: an attack must not change their grades
    "control-solution": (source, FULL, "hidden checks passed"),
    "control-wrong-sigmoid": (lambda: one_wrong(NAME, "sigmoid")[0], FULL - 2, "known mistake"),
    "control-release": (lambda: notebook("release", NAME), 0, "NotImplementedError"),
    # endless loops: one that ignores the interrupt (killed), one inside a graded function
    "loop-ignoring-interrupt": (
        lambda: appended(
            "relu", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
        ),
        FULL - 1,
        "did not stop when interrupted",
    ),
    "loop-in-function": (  # loops on the hidden tests' inputs only (the visible test's has 2 entries)
        lambda: replaced(
            "tanh_grad",
            "def tanh_grad(t):\n    while t.size not in (2, 601):\n        pass\n    return 1.0 - t * t",
        ),
        FULL - 1,
        f"ran longer than the limit of {TIMEOUT} s",
    ),
    # leaving: os._exit kills the kernel, sys.exit raises SystemExit, IPython's exit() stops it
    "os-exit": (lambda: appended("sigmoid", "import os\nos._exit(3)"), FULL - 2, "exited with status 3"),
    "sys-exit-in-function": (
        lambda: replaced("relu_grad", "import sys\n\ndef relu_grad(h):\n    sys.exit(1)"),
        FULL - 1,
        "SystemExit",
    ),
    "ipython-exit": (lambda: appended("tanh_grad", "exit()"), FULL - 1, "The kernel died while running"),
    "segfault": (
        lambda: appended("relu_grad", "import ctypes\nctypes.string_at(0)"),
        FULL - 1,
        "segmentation fault",
    ),
    "memory-hog": (
        lambda: replaced(
            "sigmoid",
            "def sigmoid(x):\n    hog = [np.empty(10**8, dtype=np.uint8) for _ in range(1000)]\n    return x",
        ),
        FULL - 2,
        "MemoryError",
    ),
    "background-process": (  # a process that would outlive its kernel and slow everyone down
        lambda: appended(
            "make_spiral",
            "import subprocess, sys\n"
            "child = subprocess.Popen([sys.executable, '-c', 'while True: pass', '{marker}'])\n"
            "print('started a background process')",
        ),
        FULL,
        "started a background process",
    ),
    "huge-output": (lambda: appended("make_spiral", "print('x' * 20_000_000)"), FULL, "output truncated"),
    # the notebook's structure
    "edited-test": (
        lambda: replaced("sigmoid_tests", "print('sigmoid: all 5 hidden checks passed.')", wrong_sigmoid()),
        FULL - 2,
        "known mistake",
    ),
    "deleted-test": (deleted_test, FULL, "was missing from the submission"),
    "reordered-cells": (reordered, FULL - 2, "name 'sigmoid' is not defined"),
    "cell-types-changed": (types_changed, FULL, "hidden checks passed"),
    # nbgrader itself fails on these two: graded as the release with the student's answers put back
    "deleted-answer-and-test": (deleted_answer_and_test, FULL - 2, "its structure was damaged"),
    "corrupted-metadata": (corrupted_metadata, FULL, "its structure was damaged"),
    "invalid-json": (lambda: b'{"cells": [{"cell_type": "code", ', 0, "not a readable notebook"),
    "missing-notebook": (lambda: None, 0, "no notebook in the submission"),
    "renamed-function": (
        lambda: replaced("sigmoid", "def my_sigmoid(x):\n    return 0.5 * (1.0 + np.tanh(0.5 * x))"),
        FULL - 2,
        "name 'sigmoid' is not defined",
    ),
    # taking the answers from the course
    "imports-solutions": (
        lambda: replaced("sigmoid", "from solutions.spiral_activations import sigmoid"),
        FULL - 2,
        "not available to graded notebooks",
    ),
    "imports-in-function": (
        lambda: replaced(
            "sigmoid", "def sigmoid(x):\n    return __import__('solutions.spiral_activations').sigmoid(x)"
        ),
        FULL - 2,
        "not available to graded notebooks",
    ),
    "imports-checker-internals": (
        lambda: replaced(
            "sigmoid",
            "from autograder.engine import EXERCISES, load_exercises\n"
            "load_exercises()\nsigmoid = EXERCISES['sigmoid'].reference",
        ),
        FULL - 2,
        "No module named",
    ),
    # patching what checks: numpy, the checker, check itself
    "patches-numpy": (
        lambda: prepended(
            "np.allclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\n"
            "np.testing.assert_allclose = lambda *a, **k: None\n"
            "np.abs = lambda x, *a, **k: np.zeros_like(x)",
            wrong_sigmoid(),
        ),
        FULL - 2,
        "known mistake",
    ),
    "patches-checker": (
        lambda: prepended(
            "import autograder.kernel.calls as calls, autograder.kernel.check as checking\n"
            "calls.ownership_problem = lambda *a, **k: None\n"
            "calls.isolated = lambda function, uses: function\n"
            "checking.CheckFailed = type('Passed', (Exception,), {})",
            wrong_sigmoid(),
        ),
        FULL - 2,
        "known mistake",
    ),
    "replaces-check": (
        lambda: prepended(
            "import autograder, autograder.kernel.check\n"
            "def fake(name, function):\n    print(f'{name}: all 5 hidden checks passed.')\n"
            "autograder.check = autograder.kernel.check.check = fake",
            wrong_sigmoid(),
        ),
        0,
        "did not report to the grader",
    ),
    "fake-check-in-builtins": (
        lambda: prepended(
            "import builtins, sys, types\n"
            "builtins.check = lambda *a: None\n"
            "fake = types.ModuleType('autograder')\nfake.check = lambda *a: None\n"
            "sys.modules['autograder'] = fake",
            wrong_sigmoid(),
        ),
        0,
        "did not report to the grader",
    ),
    "probes-hidden-tests": (
        lambda: appended("sigmoid", "from autograder import check\ncheck('sigmoid', sigmoid)"),
        FULL,
        "hidden tests run only in their own cells",
    ),
    # wrong answers that look right
    "lying-eq": (lambda: replaced("relu", LYING), FULL - 1, "but it is a AlwaysEqual"),
    "hard-coded": (
        lambda: replaced(
            "sigmoid", "def sigmoid(x):\n    return np.array([0.0, 0.26894142, 0.5, 0.73105858, 1.0])"
        ),
        FULL - 2,
        "sigmoid for random x",
    ),
    "mutates-input": (
        lambda: replaced("relu", "def relu(x):\n    x[x < 0] = 0\n    return x"),
        FULL - 1,
        "changed its argument",
    ),
}

# the file system: the worker's gradebook (relative path) and the course's (absolute)
CASES["writes-files"] = (
    lambda: appended(
        "make_spiral",
        "for path in ['../../../gradebook.db', '{course}/gradebook.db', '{course}/grades.csv',\n"
        "             '/tmp/{marker}-tmp', '{root}/{marker}-root', '{course}/../{marker}-beside']:\n"
        "    try:\n        open(path, 'w').write('overwritten')\n"
        "    except OSError as error:\n        print('refused:', path, type(error).__name__)",
    ),
    FULL,
    "refused:",
)
CASES["reads-solution-file"] = (
    lambda: replaced("sigmoid", "exec(open('{root}/solutions/spiral_activations.py').read())"),
    FULL - 2,
    "No such file or directory",
)
ATTACKS = {
    # its own notebook replaced by a link to the gradebook, for the grader to write through
    "symlink-notebook-to-gradebook": (
        f"import os\nname = '{NAME}.ipynb'\n"
        "try:\n    os.remove(name)\nexcept OSError as error:\n    print('remove:', type(error).__name__)\n"
        "os.symlink('{course}/gradebook.db', name)\n"
        "print('linked; the grader sees no notebook here:', sorted(os.listdir('.')))",
        "the grader sees no notebook here",
    ),
    # links for the grader to copy into the feedback: the source, a solution, a device, the gradebook
    "symlinks-to-secrets": (
        "import os\n"
        f"for target, name in [('{{course}}/source/{NAME}/{NAME}.ipynb', 'source.ipynb'),\n"
        "    ('{root}/solutions/spiral_activations.py', 'answers.py'), ('/dev/zero', 'zeros.bin'),\n"
        "    ('{course}/gradebook.db', 'grades.db'), ('{course}/submitted', 'others')]:\n"
        "    os.symlink(target, name)\n"
        "    print(name, 'readable' if os.path.exists(name) else 'leads nowhere')",
        "answers.py leads nowhere",
    ),
    # other processes and the grader's environment
    "reads-proc": (
        "import os\nvisible = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())\n"
        "print('processes it can see:', visible)\n"
        "for pid in visible + [os.getppid()]:\n"
        "    for what in ('environ', 'cmdline'):\n"
        "        try:\n            print(open(f'/proc/{pid}/{what}', 'rb').read()[:3000])\n"
        "        except OSError as error:\n            print(pid, what, type(error).__name__)",
        "processes it can see: [1, 2]",
    ),
    # the network: a port this test listens on, and a Jupyter server's
    "network": (
        "import socket\n"
        "for port in ({port}, 8888):\n"
        "    try:\n        socket.create_connection(('127.0.0.1', port), timeout=3)\n"
        "        print('connected to', port)\n"
        "    except OSError as error:\n        print('no connection to', port, type(error).__name__)\n"
        "try:\n    socket.create_connection(('1.1.1.1', 80), timeout=3)\n"
        "except OSError as error:\n    print('no way out:', error)",
        "no connection to 8888 ConnectionRefusedError",
    ),
    # processes that try to outlive the kernel
    "detached-process": (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{marker}'],"
        " start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)\n"
        "print('detached a process')",
        "detached a process",
    ),
    "double-fork": (
        "import os, sys\n"
        "if os.fork() == 0:\n    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        sleep = [sys.executable, '-c', 'import time; time.sleep(600)', '{marker}']\n"
        "        os.execv(sys.executable, sleep)\n"
        "    os._exit(0)\n"
        "os.wait()\nprint('double-forked a process')",
        "double-forked a process",
    ),
    # signals to the parent and to every process it can see (but itself)
    "signals": (
        "import os, signal\nsent = []\n"
        "for pid in [os.getppid(), -1] + [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
        "    if pid != os.getpid():\n"
        "        try:\n            os.kill(pid, signal.SIGKILL)\n            sent.append(pid)\n"
        "        except OSError as error:\n            sent.append(type(error).__name__)\n"
        "print('sent SIGKILL to', sent)",
        "sent SIGKILL to",
    ),
    # a fork bomb, bounded so that a broken limit cannot take the machine down
    "fork-bomb": (
        "import os, time\nchildren = 0\n"
        "try:\n    for _ in range(2000):\n        if os.fork() == 0:\n"
        "            time.sleep(600)\n            os._exit(0)\n        children += 1\n"
        "except OSError as error:\n"
        "    print('fork refused after', children, 'processes:', type(error).__name__)",
        "fork refused after",
    ),
    # 500 MB written in the working folder, in files of 50 MB (one file may not exceed 64 MB)
    "fills-disk": (
        "written = 0\n"
        "try:\n    for part in range(10):\n        with open(f'big{part}.bin', 'wb') as file:\n"
        "            for _ in range(50):\n                file.write(b'x' * 2**20)\n"
        "                file.flush()\n                written += 1\n"
        "except OSError as error:\n    print(f'wrote {written} MB, then: {error.strerror}')",
        "then: No space left on device",
    ),
}
for student, (code, explanation) in ATTACKS.items():
    CASES[student] = (lambda code=code: appended("make_spiral", code), FULL, explanation)
# a fork bomb costs its own cell: the kernel is replaced after it, and make_spiral was defined there;
# as root without cgroups nothing counts its processes: the time per cell ends it (README)
BOMB_ENDED = "started more processes than the notebook's limit" if cgroups_available() else "did not stop"
CASES["fork-bomb"] = (CASES["fork-bomb"][0], FULL - 2, BOMB_ENDED)
for run in (1, 2):  # a memory hog after a correct answer, twice: it must cost the same each time
    CASES[f"memory-hog-after-answer-{run}"] = (
        lambda: appended("sigmoid", "hog = [np.ones(10**8) for _ in range(100)]"),
        FULL - 2,
        "this cell ran out of memory",
    )
if cgroups_available():  # only cgroups limit the memory of a process tree (README: which limits hold where)
    CASES["memory-over-children"] = (  # 3 x 800 MB held at once, over the kernel's 2048 MB
        lambda: appended(
            "make_spiral",
            "import os, time\nchildren = []\nfor _ in range(3):\n    pid = os.fork()\n    if pid == 0:\n"
            "        hog = np.ones(100_000_000)\n        time.sleep(3)\n        os._exit(0)\n"
            "    children.append(pid)\n"
            "killed = sum(os.waitpid(pid, 0)[1] & 0x7F == 9 for pid in children)\n"
            "print('children killed for memory:', 'yes' if killed else 'none')",
        ),
        FULL,
        "children killed for memory: yes",
    )
