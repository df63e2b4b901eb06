"""The course gradebook: a worker's result merged in (by the main process alone), grades.csv."""

import csv
import os
import shutil
from pathlib import Path

# nbgrader's CSV export columns (nbgrader export), in its order
CSV_COLUMNS = (
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
)


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


def holds(gradebook, result):
    """True when the gradebook holds every auto score of this result (it was merged and not
    removed or changed since)."""
    from nbgrader.api import MissingEntry

    student, name = result["student"], result["assignment"]
    try:
        for notebook_name, notebook in result["notebooks"].items():
            for grade_id, values in notebook["grades"].items():
                if gradebook.find_grade(grade_id, notebook_name, name, student).auto_score != values["auto"]:
                    return False
    except MissingEntry:
        return False
    return bool(result["notebooks"])


def export_csv(gradebook, path):
    """grades.csv from the gradebook: nbgrader export's columns, one row per assignment and
    student (0 where nothing was submitted), quoted by the csv module; replaced atomically."""
    from nbgrader.api import MissingEntry

    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(CSV_COLUMNS)
        for assignment in gradebook.assignments:
            for student in gradebook.students:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                    timestamp, raw = submission.timestamp, submission.score
                    penalty = submission.late_submission_penalty or 0.0
                except MissingEntry:
                    timestamp, raw, penalty = None, 0.0, 0.0
                row = (
                    assignment.name,
                    assignment.duedate,
                    timestamp,
                    student.id,
                    student.last_name,
                    student.first_name,
                    student.email,
                    raw,
                    penalty,
                    max(0.0, raw - penalty),
                    assignment.max_score,
                )
                writer.writerow("" if value is None else value for value in row)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


def snapshot(db_url, path):
    """Copy the course gradebook at db_url (SQLite or a server such as PostgreSQL) into a SQLite
    file at path: the gradebook each worker starts every notebook from."""
    from nbgrader.api import Base, Gradebook
    from sqlalchemy import create_engine

    if db_url.startswith("sqlite:///"):
        shutil.copy(db_url.removeprefix("sqlite:///"), path)
        return
    Gradebook(f"sqlite:///{path}").close()  # nbgrader's tables and its schema version
    source, target = create_engine(db_url), create_engine(f"sqlite:///{path}")
    try:
        with source.connect() as read, target.begin() as write:
            for table in reversed(Base.metadata.sorted_tables):  # the row the new gradebook made
                write.execute(table.delete())
            for table in Base.metadata.sorted_tables:
                rows = [dict(row._mapping) for row in read.execute(table.select())]
                if rows:
                    write.execute(table.insert(), rows)
    finally:
        source.dispose()
        target.dispose()
