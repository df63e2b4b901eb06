"""nbgrader's Execute, made safe for untrusted notebooks: the preprocessor the grading command uses.

On top of nbgrader's Execute (per-cell timeout, interrupt on timeout), GradingExecute

- runs the notebook in the sandbox kernel (autograder/sandbox/launcher.py: memory, CPU and file-size
  limits, a confined file system, no course code but the kernel side of check());
- survives a kernel that dies (a crash, os._exit, exit(), a memory or CPU limit) or hangs (a
  loop that ignores the interrupt): the cell gets an error saying what happened, a new kernel
  re-runs the cells above it, and grading goes on from the next cell. nbgrader's own Execute
  would abandon the whole notebook;
- keeps at most max_cell_output bytes of output per cell and max_output per notebook;
- asks the judge (autograder/sandbox/judge.py) for the verdict of every hidden-test cell and writes
  that cell's outputs from the verdict alone; a hidden test that never reached the judge
  scores zero;
- removes frames of the grading code from tracebacks.

The worker process sets RUNTIME (a Runtime) before nbgrader instantiates this class.
"""

import ast
import copy
import os
import re
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from autograder.kernel.check import JUDGE_ENV
from autograder.sandbox import launcher as sandbox

KERNEL_DIED = "KernelDied"
NOT_RUN = "CellNotRun"
HIDDEN_TEST_BYPASSED = "HiddenTestNotRun"
HIDDEN_FRAMES = "[... frames of the grading code hidden ...]"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FRAME_FILE = re.compile(r"\s*File (\S+?):\d+")  # how IPython heads a frame of a file


@dataclass
class Runtime:
    """What a grading process shares with the executors it runs: the judge, the limits, folders."""

    judge: object
    limits: sandbox.Limits
    folder: Path  # the process's scratch folder: kernelspec, kernel lib, per-notebook temporaries
    incidents: list = field(default_factory=list)  # (kind, one line) of the notebook just run

    def __post_init__(self):
        self.folder = Path(self.folder)
        self.jupyter = sandbox.write_kernelspec(self.folder / "jupyter")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            [str(self.jupyter), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
        )
        self.lib = self.folder / "lib"
        self.fonts = self.folder / "fonts"
        build_font_cache(self.fonts)


RUNTIME = None


def build_font_cache(folder):
    """Let matplotlib build its font list once, so that every kernel does not have to."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.glob("fontlist*.json")):
        import subprocess
        import sys

        subprocess.run(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env={**os.environ, "MPLCONFIGDIR": str(folder)},
            capture_output=True,
        )


def exercise_checked(source):
    """The exercise name of a hidden-test cell `check("name", function)`, or None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "check"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            return node.args[0].value
    return None


def is_hidden_test(cell):
    meta = cell.metadata.get("nbgrader", {})
    return cell.cell_type == "code" and meta.get("grade") and not meta.get("solution")


def cell_name(cell, index):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index + 1}"


def error_output(ename, evalue):
    return new_output("error", ename=ename, evalue=evalue, traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def death_reason(code, limits):
    """Why a kernel process ended, from its exit status."""
    if code is None:
        return "it stopped responding"
    if code >= 0:
        return f"it exited with status {code} (os._exit(), exit() or a fatal error)"
    number = -code
    reasons = {
        signal.SIGSEGV: "it crashed with a segmentation fault (an invalid memory access)",
        signal.SIGABRT: "it aborted (a library gave up, often for lack of memory)",
        signal.SIGKILL: "it was killed (out of memory?)",
        signal.SIGXCPU: f"it used up its CPU time limit of {limits.cpu} s",
        signal.SIGXFSZ: f"it wrote a file larger than the limit of {limits.file_size // sandbox.MiB} MB",
        signal.SIGBUS: "it crashed with a bus error (an invalid memory access)",
        signal.SIGFPE: "it crashed with a floating-point exception",
        signal.SIGILL: "it crashed on an illegal instruction",
    }
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = f"signal {number}"
    return reasons.get(number, f"it was stopped by {name}")


class GradingExecute(Execute):
    max_cell_output = Integer(
        1_000_000, help="Bytes of output kept per cell; the rest is dropped with a note."
    ).tag(config=True)
    max_output = Integer(
        20_000_000, help="Bytes of output kept per notebook; the rest is dropped with a note."
    ).tag(config=True)
    max_restarts = Integer(
        4, help="Kernels started again after a death or a hang before the rest of a notebook is skipped."
    ).tag(config=True)

    # ------------------------------------------------------------ the notebook

    def preprocess(self, nb, resources, retry=None):
        runtime = RUNTIME
        if runtime is None:
            raise RuntimeError("GradingExecute runs inside the grading command (autograder.grading)")
        self.runtime = runtime
        self.kernel_name = sandbox.KERNEL_NAME
        self.session = runtime.judge.open_session(resources.get("nbgrader", {}).get("assignment"))
        self.private = Path(tempfile.mkdtemp(prefix="kernel-", dir=runtime.folder))
        self.setup_sandbox()
        self.executed, self.killers, self.restarts, self.gave_up = [], set(), 0, False
        self.output_total, self.replaying, self.kernel_groups = 0, False, set()
        runtime.incidents = []
        try:
            return super().preprocess(nb, resources, retry)
        finally:
            self.kill_leftovers()
            runtime.judge.close_session()
            shutil.rmtree(self.private, ignore_errors=True)

    def setup_sandbox(self):
        """A fresh kernel lib and private folders; the sandbox settings in the environment."""
        runtime, private = self.runtime, self.private
        sandbox.prepare_kernel_lib(runtime.lib)
        home = private / "home"
        (home / "matplotlib").mkdir(parents=True)
        for font_list in runtime.fonts.glob("fontlist*.json"):
            shutil.copy(font_list, home / "matplotlib")
        limits = copy.deepcopy(runtime.limits)
        limits.read = [*sandbox.system_read_paths(), str(runtime.lib), *limits.read]
        limits.write = [str(home), *limits.write]
        limits.log = str(home / "kernel.log")
        limits.env = {
            "PYTHONPATH": str(runtime.lib),
            "HOME": str(home),
            "TMPDIR": str(home),
            "MPLCONFIGDIR": str(home / "matplotlib"),
            "IPYTHONDIR": str(home / "ipython"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONFAULTHANDLER": "1",
            JUDGE_ENV: self.session.address,
            **limits.env,
        }
        os.environ[sandbox.ENV_VAR] = limits.to_env()

    def incident(self, kind, line):
        self.runtime.incidents.append((kind, line))

    # ------------------------------------------------------------ one cell

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self.gave_up:
            if cell.source.strip():
                cell.outputs = [error_output(NOT_RUN, self.gave_up)]
            return cell, resources
        hidden = is_hidden_test(cell)
        exercise = exercise_checked(cell.source) if hidden else None
        if exercise:
            self.session.expect(cell_name(cell, index), exercise)
        self.cell_output = 0
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell = self.nb.cells[index]
            reason = self.ended_kernel_reason()
            cell.outputs.append(
                error_output(
                    KERNEL_DIED,
                    f"The kernel died while running this cell: {reason}. "
                    "The cells above were run again in a new kernel, and "
                    "grading went on from the next cell.",
                )
            )
            self.incident("kernel died", f"{cell_name(cell, index)}: {reason}")
            self.recover(index)
        except CellTimeoutError:
            cell = self.nb.cells[index]
            cell.outputs.append(
                error_output(
                    "CellTimeoutError",
                    (
                        f"This cell ran longer than the limit of {self.timeout} s and did not stop when "
                        "interrupted, so its kernel was stopped. The cells above were run again in a new "
                        "kernel, and grading went on from the next cell."
                    ),
                )
            )
            self.incident(
                "timeout", f"{cell_name(cell, index)}: ran over {self.timeout} s and ignored the interrupt"
            )
            self.recover(index)
        else:
            self.executed.append(index)
        finally:
            verdicts = self.session.finish() if exercise else []
        if exercise:
            self.apply_verdicts(cell, index, exercise, verdicts)
        self.hide_grading_frames(cell)
        return cell, resources

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell, reply = kwargs["cell"], kwargs["execute_reply"]
        if reply is None:
            return
        if reply["content"].get("status") == "error" and reply["content"].get("ename") == "CellTimeoutError":
            self.incident(
                "timeout",
                f"{cell_name(cell, kwargs['cell_index'])}: ran over {self.timeout} s and was interrupted",
            )
        payloads = reply["content"].get("payload") or []
        if any(p.get("source") == "ask_exit" for p in payloads if isinstance(p, dict)):
            # exit() or quit(): the kernel stops after this cell; treat it as a death right away.
            raise DeadKernelError("the notebook called exit()")

    def apply_verdicts(self, cell, index, exercise, verdicts):
        """The outputs of a hidden-test cell, from the judge's verdicts alone."""
        failed = [message for passed, message in verdicts if not passed]
        if verdicts and not failed:
            cell.outputs = [new_output("stream", name="stdout", text=verdicts[0][1] + "\n")]
        elif failed:
            cell.outputs = [error_output("CheckFailed", failed[0])]
        elif not any(o.output_type == "error" for o in cell.outputs):
            message = (
                f"The hidden test of {exercise} did not report to the grader: the notebook "
                "replaced, patched or bypassed check(). This cell scores zero."
            )
            cell.outputs = [error_output(HIDDEN_TEST_BYPASSED, message)]
            self.incident(
                "hidden test bypassed", f"{cell_name(cell, index)}: check() never reached the judge"
            )

    def hide_grading_frames(self, cell):
        """Drop the traceback frames whose code is the grading code's (the kernel's autograder)."""
        for output in cell.get("outputs", []):
            if output.output_type != "error":
                continue
            kept, hidden = [], False
            for entry in output.traceback:
                if self.is_grading_frame(entry):
                    if not hidden:
                        kept.append(HIDDEN_FRAMES)
                    hidden = True
                else:
                    kept.append(entry)
                    hidden = False
            output.traceback = kept

    def is_grading_frame(self, entry):
        match = FRAME_FILE.match(ANSI.sub("", entry))
        if not match:
            return False
        path = match.group(1)
        return path.startswith(str(self.runtime.lib)) or any(
            f"/{package}/" in path for package in ("autograder", "solutions")
        )

    # ------------------------------------------------------------ output limits

    def output(self, outs, msg, display_id, cell_index):
        if self.replaying:
            return None  # the outputs of a re-run are not kept
        size = output_size(msg)
        if self.cell_output + size > self.max_cell_output or self.output_total + size > self.max_output:
            if self.cell_output <= self.max_cell_output:
                limit = (
                    self.max_cell_output
                    if self.cell_output + size > self.max_cell_output
                    else self.max_output
                )
                what = "cell" if limit == self.max_cell_output else "notebook"
                outs.append(
                    new_output(
                        "stream",
                        name="stdout",
                        text=(
                            f"\n[grading: output truncated: this {what} printed more than "
                            f"{limit // 1000} kB]\n"
                        ),
                    )
                )
                self.incident(
                    "output truncated",
                    f"{cell_name(self.nb.cells[cell_index], cell_index)}: "
                    f"more than {limit // 1000} kB of output",
                )
                self.cell_output = self.max_cell_output + 1
            return None
        self.cell_output += size
        self.output_total += size
        return super().output(outs, msg, display_id, cell_index)

    # ------------------------------------------------------------ dead and hung kernels

    def ended_kernel_reason(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = None
        if process is not None:
            try:
                code = process.wait(timeout=5)
            except Exception:
                code = None
        return death_reason(code, self.runtime.limits)

    def recover(self, index):
        """Start a new kernel and re-run the cells that ran before `index` (hidden tests excepted)."""
        self.killers.add(index)
        while True:
            self.restarts += 1
            if self.restarts > self.max_restarts:
                self.gave_up = (
                    f"Not run: the kernel died or hung {self.max_restarts + 1} times, "
                    "so grading stopped here."
                )
                self.incident("gave up", f"the kernel died or hung {self.max_restarts + 1} times")
                self.stop_kernel()
                self.start_kernel()
                return
            self.stop_kernel()
            self.start_kernel()
            if self.replay(index):
                return

    def replay(self, index):
        """Re-run the cells before index in the new kernel; False when the kernel died again."""
        self.replaying = True
        try:
            for previous in [i for i in self.executed if i < index and i not in self.killers]:
                cell = self.nb.cells[previous]
                if is_hidden_test(cell):
                    continue
                try:
                    self.execute_cell(copy.deepcopy(cell), previous, store_history=False)
                except (DeadKernelError, CellTimeoutError):
                    self.killers.add(previous)
                    return False
                finally:
                    self.nb.cells[previous] = cell
        finally:
            self.replaying = False
        return True

    def stop_kernel(self):
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:
                pass
            try:
                self._cleanup_kernel()
            except Exception:
                pass
        self.kc = self.km = None
        self.kill_leftovers()

    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        group = getattr(getattr(self.km, "provisioner", None), "pgid", None)
        if group and group != os.getpgrp():
            self.kernel_groups.add(group)

    start_new_kernel = run_sync(async_start_new_kernel)

    def kill_leftovers(self):
        """Kill what a kernel left running in its process group (a student's background process):
        a kernel that died on its own is not shut down, and its children would outlive it."""
        for group in self.kernel_groups:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass
        self.kernel_groups = set()

    def start_kernel(self):
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()


def output_size(msg):
    content = msg.get("content", {})
    if msg.get("msg_type") == "stream":
        return len(content.get("text", ""))
    if msg.get("msg_type") == "error":
        return sum(len(line) for line in content.get("traceback", [])) + len(content.get("evalue", ""))
    data = content.get("data", {})
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())
