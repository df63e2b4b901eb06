"""nbgrader's Execute, made safe for untrusted notebooks: the preprocessor the grading command uses.

On top of nbgrader's Execute (per-cell timeout, interrupt on timeout), GradingExecute

- runs the notebook in a sandboxed kernel (autograder/sandbox/kernels.py: bubblewrap, limits on
  memory, processes, CPU time and disk for the kernel's whole process tree), taken from a pool
  of kernels started ahead of time, with the notebook's files copied in; its limits are traits,
  set in course/nbgrader_config.py;
- survives a kernel that dies (a crash, os._exit, exit(), a limit) or hangs (a loop that ignores
  the interrupt), or runs out of memory (a MemoryError): the cell gets an error saying what
  happened, a new kernel re-runs the cells above it (not the one that failed), and grading goes
  on from the next cell. nbgrader's own Execute would abandon the whole notebook;
- keeps at most max_cell_output bytes of output per cell and max_output per notebook, and of
  each display only what cannot run in a reader's browser (outputs.py);
- asks the judge (autograder/sandbox/judge.py) for the verdict of every hidden-test cell and writes
  that cell's outputs from the verdict alone; a hidden test that never reached the judge
  scores zero;
- removes frames of the grading code from tracebacks.

The worker process sets kernels.RUNTIME (the judge, the kernel pool) before nbgrader runs this.
"""

import ast
import copy
import re

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Integer

from autograder.sandbox import kernels
from autograder.sandbox.outputs import safe_data, safe_markdown

KERNEL_DIED = "KernelDied"
NOT_RUN = "CellNotRun"
HIDDEN_TEST_BYPASSED = "HiddenTestNotRun"
HIDDEN_FRAMES = "[... frames of the grading code hidden ...]"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FRAME_FILE = re.compile(r"\s*File (\S+?):\d+")  # how IPython heads a frame of a file
RECEIVE = "__import__('autograder.kernel.boot').kernel.boot.receive()"
AFTER = "The cells above were run again in a new kernel, and grading went on from the next cell."


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


class GradingExecute(Execute):
    memory_limit = Integer(
        2048, help="MB of memory for a notebook's kernel, all its processes together."
    ).tag(config=True)
    cpu_limit = Integer(900, help="CPU seconds for a notebook's kernel, all its processes together.").tag(
        config=True
    )
    process_limit = Integer(128, help="Processes (and threads) a notebook's kernel may run at once.").tag(
        config=True
    )
    disk_limit = Integer(256, help="MB a notebook may write in its working folder, and in /tmp.").tag(
        config=True
    )
    max_cell_output = Integer(
        1_000_000, help="Bytes of output kept per cell; the rest is dropped with a note."
    ).tag(config=True)
    max_output = Integer(
        20_000_000, help="Bytes of output kept per notebook; the rest is dropped with a note."
    ).tag(config=True)
    max_restarts = Integer(
        4, help="Kernels started again after a death or a hang before the rest of a notebook is skipped."
    ).tag(config=True)

    def limits(self):
        return kernels.Limits(self.memory_limit, self.cpu_limit, self.process_limit, self.disk_limit)

    # ------------------------------------------------------------ the notebook

    def preprocess(self, nb, resources, retry=None):
        runtime = kernels.RUNTIME
        if runtime is None:
            raise RuntimeError("GradingExecute runs inside the grading command (autograder.grading)")
        self.runtime, self.kernel = runtime, None
        self.pool = runtime.kernels(self.limits(), self.extra_arguments)
        graded = resources.get("nbgrader", {})  # its student: the hidden tests draw their cases
        self.session = runtime.judge.open_session(
            graded.get("assignment"),
            student=graded.get("student"),
            limits=(self.memory_limit, self.cpu_limit),
        )
        self.files = resources.get("metadata", {}).get("path")
        self.executed, self.killers, self.restarts, self.gave_up = [], set(), 0, False
        self.output_total, self.replaying = 0, False
        runtime.incidents = []
        try:
            return super().preprocess(nb, resources, retry)
        finally:
            if self.kernel is not None:
                self.stop_kernel()
            runtime.judge.close_session()

    def create_kernel_manager(self):
        """A kernel from the pool (already started): the judge takes its token from now on."""
        self.kernel = self.pool.take()
        self.session.token = self.kernel.token
        self.km = self.kernel.manager
        return self.km

    async def async_start_new_kernel_client(self):
        kernel = self.kernel
        try:
            await super().async_start_new_kernel_client()
        except Exception as error:  # the sandbox or the kernel did not start: say why
            raise RuntimeError(f"the grading kernel did not start ({error}): {kernel.last_log}") from None
        self.kernel.ready()
        self.kernel.receive(self.files, self.disk_limit * kernels.MiB)
        reply = await self.async_wait_for_reply(self.kc.execute(RECEIVE, silent=True, store_history=False))
        if reply is None or reply["content"]["status"] != "ok":
            raise RuntimeError("the sandboxed kernel could not receive the notebook's files")
        return self.kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    async def _async_cleanup_kernel(self):
        try:
            if self.km is not None:
                await super()._async_cleanup_kernel()
        finally:
            if self.kernel is not None:
                self.kernel.remove()
                self.kernel = None

    _cleanup_kernel = run_sync(_async_cleanup_kernel)

    def incident(self, kind, line):
        self.runtime.incidents.append((kind, line))

    # ------------------------------------------------------------ one cell

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = safe_markdown(cell.source)
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
        self.cell_output, failure = 0, None
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell, reason = self.nb.cells[index], self.kernel.end_reason(self.exit_code())
            failure = (
                KERNEL_DIED,
                f"The kernel died while running this cell: {reason}.",
                "kernel died",
                reason,
            )
        except CellTimeoutError:
            cell = self.nb.cells[index]
            message = (
                f"This cell ran longer than the limit of {self.timeout} s and did not stop when "
                "interrupted, so its kernel was stopped."
            )
            failure = (
                "CellTimeoutError",
                message,
                "timeout",
                f"ran over {self.timeout} s and ignored the interrupt",
            )
        except ValueError as error:  # a message that does not decode: the kernel broke its channel
            cell = self.nb.cells[index]
            message = "The kernel's messages could not be read (it broke its channel), so it was stopped."
            failure = (KERNEL_DIED, message, "kernel died", f"its messages could not be read ({error})"[:120])
        else:
            self.executed.append(index)
            failure = self.over_limit()
        finally:
            verdicts = self.session.finish() if exercise else []
        if exercise:
            self.apply_verdicts(cell, index, exercise, verdicts)
        if failure is None and ran_out_of_memory(cell):
            note = "\n[grading: this cell ran out of memory. " + AFTER.replace("above", "above it") + "]\n"
            cell.outputs.append(new_output("stream", name="stdout", text=note))
            self.incident("out of memory", f"{cell_name(cell, index)}: MemoryError, the kernel was replaced")
            self.recover(index)
        elif failure is not None:
            ename, message, kind, line = failure
            cell.outputs.append(error_output(ename, f"{message} {AFTER}"))
            self.incident(kind, f"{cell_name(cell, index)}: {line}")
            self.recover(index)
        self.hide_grading_frames(cell)
        return cell, resources

    def over_limit(self):
        """The failure of a cell after which the kernel's processes are over a limit, or None."""
        if self.kernel.over_cpu():
            message = (
                f"The notebook's processes used more than their CPU time limit of {self.cpu_limit} s "
                "by the end of this cell, so its kernel was stopped."
            )
            return ("CPUTimeLimit", message, "CPU time", f"over {self.cpu_limit} s of CPU time")
        if self.kernel.at_process_limit():
            message = (
                f"This cell started more processes than the notebook's limit of {self.process_limit}, "
                "so its kernel was stopped."
            )
            return ("ProcessLimit", message, "processes", f"over {self.process_limit} processes")
        return None

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
        return path.startswith((kernels.LIB, str(self.runtime.lib))) or any(
            f"/{package}/" in path for package in ("autograder", "solutions")
        )

    # ------------------------------------------------------------ output limits

    def output(self, outs, msg, display_id, cell_index):
        if self.replaying:
            return None  # the outputs of a re-run are not kept
        size = output_size(msg)
        if self.cell_output + size > self.max_cell_output or self.output_total + size > self.max_output:
            if self.cell_output <= self.max_cell_output:
                cell_over = self.cell_output + size > self.max_cell_output
                limit, what = (self.max_cell_output, "cell") if cell_over else (self.max_output, "notebook")
                note = f"\n[grading: output truncated: this {what} printed more than {limit // 1000} kB]\n"
                outs.append(new_output("stream", name="stdout", text=note))
                where = cell_name(self.nb.cells[cell_index], cell_index)
                self.incident("output truncated", f"{where}: more than {limit // 1000} kB of output")
                self.cell_output = self.max_cell_output + 1
            return None
        self.cell_output += size
        self.output_total += size
        return super().output(outs, safe(msg), display_id, cell_index)

    def _update_display_id(self, display_id, msg):
        """An update of earlier displays counts against the notebook's limit as new outputs would."""
        places = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        size = output_size(msg) * places
        if self.replaying or size > self.max_cell_output or self.output_total + size > self.max_output:
            if not self.replaying:
                self.incident("output truncated", f"an update of a display: {size // 1000} kB dropped")
            return
        self.output_total += size
        super()._update_display_id(display_id, safe(msg))

    # ------------------------------------------------------------ dead and hung kernels

    def exit_code(self):
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        try:
            return process.wait(timeout=5) if process is not None else None
        except Exception:  # still running after all (a hang), or already reaped
            return None

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
        try:
            self._cleanup_kernel()
        except Exception:  # a kernel that is already gone
            pass
        self.kc = self.km = None

    def start_kernel(self):
        self.create_kernel_manager()
        self.start_new_kernel_client()


def ran_out_of_memory(cell):
    """True when the cell's code (or the student's function in a hidden test) got a MemoryError."""
    return any(
        output.output_type == "error"
        and (output.ename == "MemoryError" or "raised MemoryError" in output.get("evalue", ""))
        for output in cell.get("outputs", [])
    )


def safe(msg):
    """The message with only what may be shown of its display (outputs.py)."""
    data = msg.get("content", {}).get("data")
    if not isinstance(data, dict):
        return msg
    return {**msg, "content": {**msg["content"], "data": safe_data(data)}}


def output_size(msg):
    content = msg.get("content", {})
    if msg.get("msg_type") == "stream":
        return len(content.get("text", ""))
    if msg.get("msg_type") == "error":
        return sum(len(line) for line in content.get("traceback", [])) + len(content.get("evalue", ""))
    data = content.get("data", {})
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in data.values())
