"""Grades in the files that Canvas and Moodle import as they are.

Both systems hand out an assignment's submissions as one zip whose file names carry their own
id of each student (see intake.py); grading that zip can write the grades back in the format
the same system imports, keyed by the same ids:

- Canvas, Grades > Import: its gradebook CSV. Columns Student, ID, SIS User ID, SIS Login ID,
  Section and one column per assignment, whose title is the assignment's name; a second row
  "Points Possible". Canvas finds each student by ID (its user id, from the zip's file names);
  an assignment column whose title is not in the gradebook yet becomes a new assignment.
- Moodle, the assignment's "Upload grading worksheet" (the offline grading worksheet): columns
  Identifier ("Participant N", N from the zip's folder names), Full name, Email address,
  Status, Grade, Maximum Grade, Grade can be changed, Last modified (submission), Last modified
  (grade) and Feedback comments. Moodle reads Identifier, Grade, Last modified (grade) and the
  feedback column, and keeps a grade changed in Moodle after that date unless told otherwise.

After grading the zip (`make grade SUBMISSIONS=zip`), write the file to upload:

    python -m autograder.grading.lms canvas SUBMISSIONS.zip [--course course] [--to FILE]
    python -m autograder.grading.lms moodle SUBMISSIONS.zip [--course course] [--to FILE]

It reads the ids from the zip's names again and the scores from the course's gradebook.
"""

import argparse
import csv
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from autograder.grading import intake
from autograder.grading.config import DEFAULT_COURSE, course_assignments

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = [
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum Grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
    "Feedback comments",
]


@dataclass
class Grade:
    """One student's grade of one assignment, with the LMS's id of the student."""

    student: str  # the course's student id (nbgrader's)
    lms_id: str  # Canvas user id, or Moodle participant number
    assignment: str
    score: float
    max_score: float
    name: str = ""  # the student's name as the LMS shows it, when known
    comment: str = ""  # a line of feedback for the LMS's comment column


def write_canvas(grades, path):
    """Canvas's gradebook import CSV: one row per student, one column per assignment."""
    assignments = sorted({g.assignment for g in grades})
    possible = {g.assignment: g.max_score for g in grades}
    by_student = {}
    for grade in grades:
        by_student.setdefault(grade.lms_id, []).append(grade)
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(CANVAS_COLUMNS + assignments)
        out.writerow(["    Points Possible", "", "", "", ""] + [number(possible[a]) for a in assignments])
        for lms_id, theirs in by_student.items():
            scores = {g.assignment: number(g.score) for g in theirs}
            who = theirs[0]
            out.writerow(
                [who.name or who.student, lms_id, "", who.student, ""]
                + [scores.get(a, "") for a in assignments]
            )


def write_moodle(grades, path, when=None):
    """Moodle's offline grading worksheet of one assignment."""
    if len({g.assignment for g in grades}) > 1:
        raise ValueError("a Moodle grading worksheet holds the grades of one assignment")
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S %Z")
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(MOODLE_COLUMNS)
        for grade in grades:
            out.writerow(
                [
                    f"Participant {grade.lms_id}",
                    grade.name or grade.student,
                    "",
                    "Submitted for grading",
                    number(grade.score),
                    number(grade.max_score),
                    "Yes",
                    "",
                    stamp,
                    grade.comment,
                ]
            )


def number(value):
    """A score as both systems read it: 5 or 5.5, never 5.0000001."""
    return f"{round(float(value), 2):g}"


def lms_id(lms, origin):
    """The LMS's id of a student, from where intake found the submission, or None."""
    pattern = intake.CANVAS if lms == "canvas" else intake.MOODLE
    for part in reversed(Path(origin).parts):
        match = pattern.match(Path(part).stem if lms == "canvas" else part)
        if match:
            return match["user" if lms == "canvas" else "participant"]
    return None


def graded(lms, submissions, course_root):
    """A Grade per submission that has an id of that LMS; the other submissions' names."""
    from nbgrader.api import Gradebook, MissingEntry

    from course.nbgrader_api import course_api

    api = course_api(course_root)
    grades, unknown = [], []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        for submission in submissions:
            found = lms_id(lms, submission.origin)
            try:
                graded_one = gradebook.find_submission(submission.assignment, submission.student)
            except MissingEntry:
                graded_one = None
            if found is None or graded_one is None:
                unknown.append(submission.origin)
                continue
            possible = gradebook.find_assignment(submission.assignment).max_score
            score = max(0.0, graded_one.score - graded_one.late_submission_penalty)
            grades.append(Grade(submission.student, found, submission.assignment, score, possible))
    return grades, unknown


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder.grading.lms", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("lms", choices=["canvas", "moodle"])
    parser.add_argument("submissions", help="the zip (or its folder) the LMS gave, graded already")
    parser.add_argument("--course", default=str(DEFAULT_COURSE), help="the nbgrader course folder")
    parser.add_argument("--to", help="the file to write (default: <course>/<lms>-grades.csv)")
    args = parser.parse_args(argv)
    course_root = Path(args.course)
    with tempfile.TemporaryDirectory() as folder:
        try:
            submissions = intake.read_submissions(
                args.submissions, course_assignments(course_root), workdir=folder
            )
        except intake.IntakeError as error:
            print(f"Cannot read the submissions: {error}", file=sys.stderr)
            return 2
    grades, unknown = graded(args.lms, submissions, course_root)
    if unknown:
        print(
            f"Left out (no {args.lms} id in the name, or not graded yet):\n  " + "\n  ".join(unknown),
            file=sys.stderr,
        )
    if not grades:
        print("Nothing to write.", file=sys.stderr)
        return 1
    path = Path(args.to or course_root / f"{args.lms}-grades.csv")
    try:
        (write_canvas if args.lms == "canvas" else write_moodle)(grades, path)
    except ValueError as error:
        print(f"Cannot write {path}: {error}", file=sys.stderr)
        return 2
    print(f"{len(grades)} grade(s) for {args.lms}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
