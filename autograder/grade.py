"""Grade a class with nbgrader: in parallel, each notebook in a sandbox, with feedback and grades.csv.

    python -m autograder.grade release
    python -m autograder.grade grade SUBMISSIONS [--course DIR] [--assignment NAME] [--workers N]
                                     [--timeout S] [--memory MB] [--cpu S] [--force] [--no-feedback]

`release` builds the student release of every assignment (course.build). `grade` reads the
submissions (nbgrader's submitted/<student>/<assignment>/ layout, a folder of notebooks, or a
zip as an LMS exports it: see autograder/intake.py), copies them into the course's submitted/,
and autogrades each with nbgrader in one of N worker processes. Each worker has a scratch
copy of the course and its gradebook; the main process alone writes the results into the
course's gradebook, so the gradebook stays consistent. Each notebook runs in the grading
sandbox (autograder/execute.py, autograder/sandbox.py) and its hidden tests are judged
outside the student's kernel (autograder/judge.py). Feedback pages come from nbgrader
generate_feedback, grades.csv from nbgrader's CSV export of the course gradebook.

A submission is graded again only when its notebook, the course or the grader changed since
it was last graded (or with --force): grading one late submission does not regrade the class.
"""

import argparse
import concurrent.futures
import fcntl
import hashlib
import inspect
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder import intake, sandbox

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_COURSE = ROOT / "course"
STATE_FILE = ".grading-state.json"  # in <course>/autograded/
NOTES_CELL_ID = "grading-notes"
NO_LANDLOCK = (
    "Warning: this Linux kernel has no Landlock (5.13 or later needed), so the grading kernels run with\n"
    "their memory, CPU and file-size limits but without the file-system confinement: student code could\n"
    "read and write the files of the user who grades."
)


@dataclass
class Settings:
    """How the grading runs; the defaults are the course's."""

    workers: int = 0  # 0: one per core
    timeout: int = 0  # seconds per cell; 0: the course's Execute.timeout
    memory: int = sandbox.Limits.memory // sandbox.MiB  # MB of address space per kernel
    cpu: int = sandbox.Limits.cpu  # CPU seconds per kernel
    max_cell_output: int = 1_000_000  # bytes of output kept per cell
    max_output: int = 20_000_000  # bytes of output kept per notebook
    feedback: bool = True

    def fingerprint(self):
        kept = {k: v for k, v in asdict(self).items() if k not in ("workers", "feedback")}
        return json.dumps(kept, sort_keys=True)


@dataclass
class Job:
    student: str
    assignment: str
    notebook: str  # the file to grade: the submission, or a stand-in when it cannot be read
    timestamp: str | None
    notes: list = field(default_factory=list)  # (for the summary, for the feedback's top) pairs
    key: str = ""


# ---------------------------------------------------------------- nbgrader configuration


def grading_config(course_root, settings):
    """The course's nbgrader configuration with the sandboxed executor and the limits."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        IgnorePattern,
        LimitOutput,
        SaveAutoGrades,
    )

    from autograder.execute import GradingExecute
    from course.nbgrader_api import course_config

    config = course_config(course_root)
    config.Autograde.autograde_preprocessors = [
        GradingExecute,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    if settings.timeout:
        config.Execute.timeout = settings.timeout
    timeout = config.Execute.get("timeout", 30)
    message = f"This cell ran longer than the limit of {timeout} s and was interrupted."
    config.Execute.error_on_timeout = {
        "ename": "CellTimeoutError",
        "evalue": message,
        "traceback": [f"\x1b[0;31mCellTimeoutError\x1b[0m: {message}"],
    }
    # Nothing is left to save in a kernel whose notebook is done: stop it at once (saves ~0.7 s each).
    config.GradingExecute.shutdown_kernel = "immediate"
    config.GradingExecute.max_cell_output = settings.max_cell_output
    config.GradingExecute.max_output = settings.max_output
    return config


def course_assignments(course_root):
    """The assignments of a course: the folders of source/ that hold a notebook."""
    source = Path(course_root) / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def ensure_generated(course_root, names):
    """Run nbgrader generate_assignment for assignments the gradebook does not know yet."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.nbgrader_api import course_api, succeeded

    api = course_api(course_root)
    missing = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for name in names:
            try:
                if not gradebook.find_assignment(name).notebooks:
                    missing.append(name)
            except MissingEntry:
                missing.append(name)
    for name in missing:
        print(f"{name} is not in the gradebook yet: running nbgrader generate_assignment", file=sys.stderr)
        succeeded(api.generate_assignment(name, force=True), f"generate_assignment {name}")
    return api


# ---------------------------------------------------------------- the worker process

WORKER = None


class Worker:
    """A scratch copy of the course in which one process autogrades submissions one by one."""

    def __init__(self, course_root, base, snapshot, settings):
        from autograder import execute
        from autograder.judge import Judge
        from course.nbgrader_api import course_api

        self.course_root = Path(course_root)
        self.settings = settings
        self.root = Path(tempfile.mkdtemp(prefix="worker-", dir=base))
        shutil.copy(snapshot, self.root / "pristine.db")
        for name in course_assignments(course_root):
            # the files autograde copies next to each notebook (data sets); never the solutions
            source = self.course_root / "source" / name
            shutil.copytree(source, self.root / "source" / name, ignore=shutil.ignore_patterns("*.ipynb"))
            release = self.course_root / "release" / name / f"{name}.ipynb"
            if release.exists():
                (self.root / "release" / name).mkdir(parents=True, exist_ok=True)
                shutil.copy(release, self.root / "release" / name)
        limits = sandbox.Limits(memory=settings.memory * sandbox.MiB, cpu=settings.cpu)
        limits.landlock = sandbox.landlock_abi() > 0
        self.runtime = execute.Runtime(judge=Judge(), limits=limits, folder=self.root / "sandbox")
        execute.RUNTIME = self.runtime
        self.api = course_api(course_root, self.root, grading_config(course_root, settings))

    def grade(self, job):
        started = time.monotonic()
        result = {"student": job.student, "assignment": job.assignment, "key": job.key, "error": ""}
        try:
            result.update(self.autograde(job))
        except Exception as error:  # a failure of the grading itself: reported, never a made-up grade
            last_line = (str(error).strip().splitlines() or [""])[-1][:300]
            result["error"] = type(error).__name__ + (f": {last_line}" if last_line else "")
        result["seconds"] = round(time.monotonic() - started, 2)
        return result

    def reset(self, student, name, kinds):
        """A fresh gradebook and no trace of the student's earlier files of these kinds."""
        for kind in kinds:
            shutil.rmtree(self.root / kind / student / name, ignore_errors=True)
        shutil.copy(self.root / "pristine.db", self.root / "gradebook.db")

    def autograde(self, job):
        from autograder.scratch import error_text

        name, student = job.assignment, job.student
        self.reset(student, name, ("submitted", "autograded", "feedback"))
        folder = self.root / "submitted" / student / name
        submitted = self.course_root / "submitted" / student / name
        # the submission's other files too (nbgrader's submission_secret.txt, the student's data)
        shutil.copytree(submitted, folder, ignore=shutil.ignore_patterns("*.ipynb", ".*"))
        shutil.copyfile(job.notebook, folder / f"{name}.ipynb")
        if job.timestamp:
            (folder / "timestamp.txt").write_text(job.timestamp)
        notes = list(job.notes)
        outcome = self.api.autograde(name, student, force=True)
        if not outcome["success"]:
            release = self.root / "release" / name / f"{name}.ipynb"
            reason = nbgrader_reason(outcome)
            if not release.exists():
                raise RuntimeError(f"nbgrader could not autograde the notebook: {reason}")
            notes.append(
                (
                    f"damaged structure ({reason}): graded as the release with its answer cells",
                    f"nbgrader could not grade the notebook as submitted ({reason}): its structure was "
                    "damaged. It was graded as the released notebook with your answer cells put back.",
                )
            )
            nbformat.write(repaired(job.notebook, release), folder / f"{name}.ipynb")
            self.reset(student, name, ("autograded",))
            outcome = self.api.autograde(name, student, force=True)
            if not outcome["success"]:
                raise RuntimeError(f"nbgrader could not autograde the notebook: {nbgrader_reason(outcome)}")
        incidents = list(self.runtime.incidents)
        graded_path = self.root / "autograded" / student / name / f"{name}.ipynb"
        graded = nbformat.read(graded_path, as_version=4)
        scores = self.read_scores(name, student)
        lost = []
        for cell in graded.cells:
            meta = cell.metadata.get("nbgrader", {})
            grade_id = meta.get("grade_id")
            if meta.get("grade") and grade_id:
                for notebook in scores["notebooks"].values():
                    grade = notebook["grades"].get(grade_id)
                    if grade and grade["auto"] is not None and grade["auto"] < grade["max"]:
                        lost.append((grade_id, error_text(cell) or "no points"))
        if add_notes_cell(graded, notes, incidents):
            nbformat.write(graded, graded_path)
        if self.settings.feedback:
            feedback = self.api.generate_feedback(name, student, force=True)
            if not feedback["success"]:
                raise RuntimeError(f"nbgrader generate_feedback failed: {nbgrader_reason(feedback)}")
        for kind in ("autograded", "feedback"):
            source = self.root / kind / student / name
            target = self.course_root / kind / student / name
            if source.exists():
                shutil.rmtree(target, ignore_errors=True)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copytree(source, target)
        return {**scores, "notes": notes, "incidents": incidents, "lost": lost}

    def read_scores(self, name, student):
        from nbgrader.api import Gradebook

        with Gradebook(self.api.coursedir.db_url, self.api.coursedir.course_id) as gradebook:
            submission = gradebook.find_submission(name, student)
            notebooks = {}
            for notebook in submission.notebooks:
                notebooks[notebook.name] = {
                    "grades": {
                        g.name: {"auto": g.auto_score, "max": g.max_score, "manual": g.needs_manual_grade}
                        for g in notebook.grades
                    },
                    "comments": {c.name: c.auto_comment for c in notebook.comments},
                    "penalty": notebook.late_submission_penalty,
                }
            timestamp = submission.timestamp.isoformat() if submission.timestamp else None
        score = sum(g["auto"] or 0 for nb in notebooks.values() for g in nb["grades"].values())
        possible = sum(g["max"] for nb in notebooks.values() for g in nb["grades"].values())
        return {"notebooks": notebooks, "timestamp": timestamp, "score": score, "max_score": possible}


def nbgrader_reason(outcome):
    """The exception behind a failed nbgrader step, from its log: e.g. "KeyError: 'sigmoid'"."""
    text = (outcome.get("error") or "") + "\n" + (outcome.get("log") or "")
    exceptions = [
        line.strip()
        for line in text.splitlines()
        if re.match(r"\s*[\w.]*(Error|Exception|Exit)\b.*", line) and "NbGraderException" not in line
    ]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (exceptions or lines or ["unknown error"])[-1][:300]


def repaired(submitted, release_path):
    """The released notebook with the student's answer cells (matched by grade_id) put back."""
    answers = {}
    try:
        student = nbformat.read(submitted, as_version=4)
        for cell in student.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") and isinstance(cell.get("source"), str):
                answers.setdefault(meta["grade_id"], cell.source)
    except Exception:  # unreadable: the release alone
        pass
    notebook = nbformat.read(release_path, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def add_notes_cell(notebook, notes, incidents):
    """Put what happened during grading at the top of the autograded notebook (and so the
    feedback); True when there was something to say."""
    if not notes and not incidents:
        return False
    lines = ["**Grading notes**", ""]
    lines += [f"- {note}" for _, note in notes]
    lines += [f"- {kind}: {line}" for kind, line in incidents]
    cell = nbformat.v4.new_markdown_cell("\n".join(lines))
    taken = {c.get("id") for c in notebook.cells}
    cell.id = NOTES_CELL_ID
    while cell.id in taken:  # a student's cell of that id
        cell.id += "-1"
    notebook.cells.insert(0, cell)
    return True


def worker_init(course_root, base, snapshot, settings):
    global WORKER
    WORKER = Worker(course_root, base, snapshot, settings)


def worker_grade(job):
    return WORKER.grade(job)


# ---------------------------------------------------------------- the main process


def merge(gradebook, result):
    """Write one worker's result into the course gradebook, as nbgrader's SaveAutoGrades would."""
    from nbgrader.utils import parse_utc

    student, name = result["student"], result["assignment"]
    gradebook.update_or_create_student(student)
    extra = {"timestamp": parse_utc(result["timestamp"])} if result.get("timestamp") else {}
    gradebook.update_or_create_submission(name, student, **extra)
    for notebook_name, notebook in result["notebooks"].items():
        for grade_id, values in notebook["grades"].items():
            grade = gradebook.find_grade(grade_id, notebook_name, name, student)
            grade.auto_score = values["auto"]
            grade.needs_manual_grade = grade.manual_score is not None or values["auto"] is None
        for comment_id, text in notebook["comments"].items():
            gradebook.find_comment(comment_id, notebook_name, name, student).auto_comment = text
        submitted = gradebook.find_submission_notebook(notebook_name, name, student)
        submitted.late_submission_penalty = notebook["penalty"]
    gradebook.db.commit()


GRADING_MODULES = ("checking.py", "wire.py", "judge.py", "execute.py", "sandbox.py")


def grader_fingerprint(course_root, name, settings):
    """What a grade depends on besides the notebook: the source of the assignment, its hidden
    tests and references, the grading machinery and the settings (nothing else, so that work
    on other assignments does not regrade this one)."""
    from autograder import checking
    from autograder.execute import exercise_checked

    checking.load_exercises()
    digest = hashlib.sha256(settings.fingerprint().encode())
    source = Path(course_root) / "source" / name
    files = [Path(course_root) / "nbgrader_config.py", *sorted(source.rglob("*"))]
    files += [ROOT / "autograder" / module for module in GRADING_MODULES]
    for path in sorted(source.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            exercise = checking.EXERCISES.get(exercise_checked(cell.source) or "")
            if exercise is not None:
                files += project_sources(sys.modules[exercise.cases.__module__])
                files.append(Path(inspect.getsourcefile(exercise.reference)))
                files += [
                    Path(inspect.getsourcefile(f)) for f in exercise.uses.values() if inspect.isfunction(f)
                ]
    for path in sorted(set(files)):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def project_sources(module):
    """The module's source file and those of the project's modules it imports from (the case
    helpers and references its hidden tests draw their inputs with)."""
    folders = (ROOT / "autograder", ROOT / "solutions")
    files = [Path(module.__file__)]
    for value in vars(module).values():
        origin = value if inspect.ismodule(value) else inspect.getmodule(value)
        path = Path(getattr(origin, "__file__", None) or "/")
        if any(path.is_relative_to(folder) for folder in folders):
            files.append(path)
    return files


def submission_key(submission, fingerprint):
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(submission.notebook.read_bytes() if submission.notebook else b"<missing>")
    digest.update((submission.timestamp or "").encode())
    return digest.hexdigest()


def stand_in(submission, release, folder):
    """The notebook graded in place of one that cannot be read: the release, with a note on top."""
    notebook = nbformat.read(release, as_version=4)
    note = nbformat.v4.new_markdown_cell(
        f"**This submission could not be graded: {submission.problem}.** "
        "What follows is the released notebook, graded as it is (zero points)."
    )
    note.id = "unreadable-submission"
    notebook.cells.insert(0, note)
    path = Path(folder) / f"{submission.student}--{submission.assignment}.ipynb"
    nbformat.write(notebook, path)
    return path


def load_state(course_root):
    path = Path(course_root) / "autograded" / STATE_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def save_state(course_root, state):
    path = Path(course_root) / "autograded" / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True))
    temporary.replace(path)


def up_to_date(course_root, previous, submission, key, settings):
    if not previous or previous.get("key") != key or previous.get("error"):
        return False
    course_root = Path(course_root)
    where = f"{submission.student}/{submission.assignment}"
    if not (course_root / "autograded" / where / f"{submission.assignment}.ipynb").exists():
        return False
    return (
        not settings.feedback or (course_root / "feedback" / where / f"{submission.assignment}.html").exists()
    )


def pool_context():
    """fork where it is safe (workers inherit the imported nbgrader: no start-up cost), else spawn."""
    single_threaded = threading.active_count() == 1
    fork = "fork" in multiprocessing.get_all_start_methods() and single_threaded
    return multiprocessing.get_context("fork" if fork else "spawn")


def run_jobs(jobs, course_root, base, snapshot, settings, on_result, quiet):
    """Grade jobs in worker processes; call on_result(result) here, in one process, as each finishes."""
    from tqdm import tqdm

    pending, progress = list(jobs), None
    for _attempt in range(3):
        if not pending:
            break
        workers = min(settings.workers, len(pending))
        with concurrent.futures.ProcessPoolExecutor(
            workers,
            mp_context=pool_context(),
            initializer=worker_init,
            initargs=(course_root, base, snapshot, settings),
        ) as pool:
            futures = {pool.submit(worker_grade, job): job for job in pending}
            if progress is None:  # after the workers started: no thread of this process is forked
                progress = tqdm(
                    total=len(jobs), unit="notebook", desc="grading", disable=quiet, file=sys.stderr
                )
            done = set()
            try:
                for future in concurrent.futures.as_completed(futures):
                    result = future.result()
                    done.add(id(futures[future]))
                    on_result(result)
                    progress.update(1)
            except concurrent.futures.process.BrokenProcessPool:
                pass  # a worker died (not a kernel: the grading process itself); retry what is left
        pending = [job for job in pending if id(job) not in done]
    for job in pending:
        error = "the grading process crashed three times on this batch"
        on_result({"student": job.student, "assignment": job.assignment, "key": job.key, "error": error})
        progress.update(1)
    if progress is not None:
        progress.close()


def grade(
    path, course_root=DEFAULT_COURSE, assignment=None, settings=None, force=False, csv=None, quiet=False
):
    """Grade the submissions at path into the course at course_root; return the summary's results."""
    from nbgrader.api import Gradebook

    settings = settings or Settings()
    settings.workers = settings.workers or os.cpu_count() or 1
    course_root = Path(course_root).resolve()
    started = time.monotonic()
    lock = None
    base = Path(tempfile.mkdtemp(prefix="rnn-grading-"))
    if not quiet and not sandbox.landlock_abi():
        print(NO_LANDLOCK, file=sys.stderr)
    try:
        known = course_assignments(course_root)
        submissions = intake.read_submissions(path, known, assignment, workdir=base / "input")
        lock = grading_lock(course_root)  # from here on, this run writes into the course
        names = sorted({s.assignment for s in submissions})
        api = ensure_generated(course_root, names)
        fingerprints = {name: grader_fingerprint(course_root, name, settings) for name in names}
        state = load_state(course_root)
        jobs, results = [], {}
        (base / "stand-ins").mkdir()
        for submission in submissions:
            intake.copy_submission(submission, course_root)
            where = f"{submission.student}/{submission.assignment}"
            key = submission_key(submission, fingerprints[submission.assignment])
            if not force and up_to_date(course_root, state.get(where), submission, key, settings):
                results[where] = {**state[where], "skipped": True}
                continue
            notebook, notes = submission.notebook, []
            if submission.problem:
                release = course_root / "release" / submission.assignment / f"{submission.assignment}.ipynb"
                notebook = stand_in(submission, release, base / "stand-ins")
                notes.append(
                    (
                        f"not graded as submitted: {submission.problem}",
                        f"The submission could not be graded: {submission.problem}.",
                    )
                )
            jobs.append(
                Job(
                    submission.student, submission.assignment, str(notebook), submission.timestamp, notes, key
                )
            )
        snapshot = base / "snapshot.db"
        shutil.copy(Path(api.coursedir.db_url.removeprefix("sqlite:///")), snapshot)

        def on_result(result):
            where = f"{result['student']}/{result['assignment']}"
            if not result["error"]:
                try:
                    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
                        merge(gradebook, result)
                except Exception as error:  # e.g. the assignment changed in the gradebook meanwhile
                    result["error"] = f"could not record the grades: {type(error).__name__}: {error}"
            results[where] = state[where] = result
            save_state(course_root, state)

        run_jobs(jobs, str(course_root), str(base), str(snapshot), settings, on_result, quiet)
        csv_path = Path(csv) if csv else course_root / "grades.csv"
        export_csv(api, csv_path)
        summary = Summary(results, names, settings, time.monotonic() - started, len(jobs), csv_path)
        if not quiet:
            print(summary.text())
        return summary
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if lock is not None:
            lock.close()


def grading_lock(course_root):
    """Hold <course>/autograded/.grading.lock for the run: two runs on one course would race."""
    path = Path(course_root) / "autograded" / ".grading.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise intake.IntakeError(
            f"another grading run is using {course_root}; wait for it to finish"
        ) from None
    return handle


def export_csv(api, path):
    """nbgrader export (its CSV plugin) of the course gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin

    plugin = CsvExportPlugin(to=str(path))
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        plugin.export(gradebook)


# ---------------------------------------------------------------- the summary


@dataclass
class Summary:
    results: dict  # "student/assignment" -> result
    assignments: list
    settings: Settings
    seconds: float
    graded: int
    csv: Path

    def failures(self):
        """One line per submission that lost points or met trouble."""
        lines = []
        for where, result in sorted(self.results.items()):
            if result.get("error"):
                lines.append(f"{where}: NOT GRADED: {result['error']}")
                continue
            reasons = [note[0] for note in result.get("notes", [])]
            reasons += [f"{kind}: {line}" for kind, line in result.get("incidents", [])]
            lost = result.get("lost", [])
            unreadable = any(reason.startswith("not graded as submitted") for reason in reasons)
            if lost and not unreadable:
                first_cell, first_message = lost[0]
                message = first_message.splitlines()[0] if first_message else ""
                more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
                reasons.append(f"lost points in {first_cell}: {message}{more}")
            if reasons:
                score = f"{result['score']:g}/{result['max_score']:g}"
                lines.append(shorten(f"{where} {score}: " + "; ".join(reasons), 220))
        return lines

    def table(self):
        students = sorted({where.split("/")[0] for where in self.results})
        short = {name: name.split("_")[0] for name in self.assignments}
        width = max([len("student"), *map(len, students)])
        header = f"{'student':<{width}}  " + "  ".join(f"{short[a]:>9}" for a in self.assignments)
        rows = [header, "-" * len(header)]
        for student in students:
            cells = []
            for name in self.assignments:
                result = self.results.get(f"{student}/{name}")
                if result is None:
                    cells.append(f"{'-':>9}")
                elif result.get("error"):
                    cells.append(f"{'ERROR':>9}")
                else:
                    mark = "!" if result.get("incidents") or result.get("notes") else " "
                    cells.append(f"{result['score']:g}/{result['max_score']:g}{mark}".rjust(9))
            rows.append(f"{student:<{width}}  " + "  ".join(cells))
        legend = ", ".join(f"{short[a]} = {a}" for a in self.assignments)
        return "\n".join(rows) + f"\n({legend}; ! = see below)"

    def text(self):
        skipped = sum(1 for r in self.results.values() if r.get("skipped"))
        head = (
            f"Graded {self.graded} submission(s) in {self.seconds:.0f} s with {self.settings.workers} "
            f"worker(s)"
            + (f"; {skipped} unchanged since the last run, not regraded" if skipped else "")
            + "."
        )
        failures = self.failures()
        body = "\n".join(f"  {line}" for line in failures) if failures else "  none"
        return (
            f"\n{head}\n\n{self.table()}\n\nLost points and incidents (one line per submission):\n{body}\n\n"
            f"Grades: {self.csv}"
        )

    @property
    def errors(self):
        return [where for where, result in self.results.items() if result.get("error")]


def shorten(text, width):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------- command line


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.grade", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("release", help="build the student release of every assignment")
    grading = commands.add_parser("grade", help="autograde submissions, write feedback and grades.csv")
    grading.add_argument("submissions", help="submitted/ folder, folder of notebooks, or LMS zip")
    grading.add_argument("--course", default=str(DEFAULT_COURSE), help="the nbgrader course folder")
    grading.add_argument("--assignment", help="all the notebooks are for this assignment")
    grading.add_argument("--workers", type=int, default=0, help="parallel workers (default: one per core)")
    grading.add_argument("--timeout", type=int, default=0, help="seconds per cell (default: the course's)")
    grading.add_argument("--memory", type=int, default=Settings.memory, help="MB of memory per kernel")
    grading.add_argument("--cpu", type=int, default=Settings.cpu, help="CPU seconds per kernel")
    grading.add_argument("--force", action="store_true", help="regrade submissions graded before")
    grading.add_argument("--no-feedback", action="store_true", help="do not generate feedback pages")
    grading.add_argument("--csv", help="where to write the grades (default: <course>/grades.csv)")
    grading.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    args = parser.parse_args(argv)
    if args.command == "release":
        from course import build

        return build.main([])
    settings = Settings(
        workers=args.workers,
        timeout=args.timeout,
        memory=args.memory,
        cpu=args.cpu,
        feedback=not args.no_feedback,
    )
    try:
        summary = grade(
            args.submissions, args.course, args.assignment, settings, args.force, args.csv, args.quiet
        )
    except intake.IntakeError as error:
        print(f"Cannot grade: {error}", file=sys.stderr)
        return 2
    return 1 if summary.errors else 0


if __name__ == "__main__":
    sys.exit(main())
