"""A worker: autogrades one notebook at a time, with nbgrader, in a scratch copy of the course, and
returns its scores, notes and incidents as data. The class grading command runs one per core
(run.py); the self-check and the grading-contract tests run one in their own process.

What it takes from a submission and gives back to the course never follows a link: the
submission's regular files go into the scratch course; only the graded notebook (autograded/)
and the feedback page (feedback/) go back into the course."""

import multiprocessing.util
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.grading.config import course_assignments, grading_config
from autograder.sandbox.files import copy_files

NOTES_CELL_ID = "grading-notes"
MAX_FILES = 100 * 1024 * 1024  # bytes of a submission's files besides the notebook
NBGRADER_RECEIPTS = ("timestamp.txt", "submission_secret.txt")  # written by nbgrader submit


@dataclass
class Job:
    student: str
    assignment: str
    notebook: str  # the file to grade: the submission, or a stand-in when it cannot be read
    timestamp: str | None
    notes: list = field(default_factory=list)  # (for the summary, for the feedback's top) pairs
    key: str = ""


# ---------------------------------------------------------------- the worker process

WORKER = None


class Worker:
    """A scratch copy of the course in which one process autogrades submissions one by one."""

    def __init__(self, course_root, base, snapshot, settings):
        from autograder.sandbox import kernels
        from autograder.sandbox.judge import Judge
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
        sandboxed = settings.sandbox or not kernels.bwrap_problem()
        self.api = course_api(course_root, self.root, grading_config(course_root, settings))
        judge = Judge(self.root / "judge", self.api.coursedir.course_id)
        self.runtime = kernels.Runtime(self.root / "sandbox", judge, sandboxed, settings.warm)
        kernels.RUNTIME = self.runtime

    def close(self):
        """Stop the kernels started ahead of time."""
        self.runtime.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

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
        name, student = job.assignment, job.student
        self.reset(student, name, ("submitted", "autograded", "feedback"))
        folder = self.root / "submitted" / student / name
        submitted = self.course_root / "submitted" / student / name
        # the submission's other files too (the student's data), never through a link
        copy_files(submitted, folder, MAX_FILES)
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
        cells = graded_cells(graded, scores)
        lost = [(c["cell"], c["message"] or "no points") for c in cells if c["score"] < c["max"]]
        if add_notes_cell(graded, notes, incidents):
            nbformat.write(graded, graded_path)
        if self.settings.feedback:
            feedback = self.api.generate_feedback(name, student, force=True)
            if not feedback["success"]:
                raise RuntimeError(f"nbgrader generate_feedback failed: {nbgrader_reason(feedback)}")
        for kind, kept in (
            # what nbgrader's generate_feedback and release_feedback read beside the notebook
            ("autograded", (f"{name}.ipynb", *NBGRADER_RECEIPTS)),
            ("feedback", (f"{name}.html", *NBGRADER_RECEIPTS)),
        ):
            target = self.course_root / kind / student / name
            shutil.rmtree(target, ignore_errors=True)
            for file_name in kept:
                if (self.root / kind / student / name / file_name).is_file():
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(self.root / kind / student / name / file_name, target / file_name)
        return {**scores, "notes": notes, "incidents": incidents, "lost": lost, "cells": cells}

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


def graded_cells(graded, scores):
    """Each graded cell of the autograded notebook, in order: its grade id, auto score (None
    when it needs manual grading), maximum, and the error it printed."""
    from autograder.learner.scratch import error_text

    grades = {
        grade_id: grade for nb in scores["notebooks"].values() for grade_id, grade in nb["grades"].items()
    }
    cells = []
    for cell in graded.cells:
        grade = grades.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
        if cell.metadata.get("nbgrader", {}).get("grade") and grade and grade["auto"] is not None:
            cell_id = cell.metadata["nbgrader"]["grade_id"]
            cells.append(
                {"cell": cell_id, "score": grade["auto"], "max": grade["max"], "message": error_text(cell)}
            )
    return cells


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
    multiprocessing.util.Finalize(None, WORKER.close, exitpriority=10)  # as the pool's process ends


def worker_grade(job):
    return WORKER.grade(job)
