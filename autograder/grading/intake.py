"""Which notebook is whose: reading a class's submissions as nbgrader and LMSs lay them out.

See ACCEPTED below: the layouts and names understood, which the command also prints when it
refuses a name.
"""

import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

CANVAS = re.compile(r"^(?P<student>[A-Za-z0-9]+)(?:_LATE)?_(?P<user>\d+)_(?P<submission>\d+)_(?P<rest>.+)$")
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?:file|onlinetext)_(?P<rest>.*)$")
RESUBMISSION = re.compile(r"-\d+$")  # Canvas appends -1, -2 to a file submitted again
ACCEPTED = """Accepted inputs (a folder, or a .zip holding one of these layouts):

  nbgrader       <student>/<assignment>/<notebook>.ipynb   (course/submitted; timestamp.txt kept)
  per student    <student>/<file>.ipynb                    (the file name names the assignment)
  flat           <file>.ipynb                              (the file name names both)

A file name names the assignment when it contains the assignment's full name
(01_spiral_and_activations) or its number as a separate token (01). What is left of the name
is the student. These LMS conventions are recognised first:

  Canvas         <login>[_LATE]_<user id>_<submission id>_<original name>[-<n>].ipynb
                 the student is <login>
  Moodle         <Full Name>_<participant id>_assignsubmission_file_<original name>.ipynb, or
                 a folder <Full Name>_<participant id>_assignsubmission_file_/ holding the file;
                 the student is full_name (lower case, underscores)
  generic        <student>_<assignment>.ipynb, <assignment>_<student>.ipynb, or with - or .
                 as separator

With --assignment, every notebook belongs to that assignment and the whole name (less the
assignment's name or number) is the student. Names that fit none of these are refused with a
message that lists them, before anything is graded.
"""


class IntakeError(Exception):
    """Submissions that cannot be mapped to (student, assignment); the message lists them."""


@dataclass
class Submission:
    student: str
    assignment: str
    notebook: Path | None  # None when the submission holds no notebook
    origin: str  # where it came from, for messages
    timestamp: str | None = None
    problem: str = ""  # why it cannot be graded as submitted ("" when it can)


def student_id(text):
    """A student id nbgrader accepts in paths and the exchange: letters, digits, . _ - @."""
    text = re.sub(r"[^A-Za-z0-9._@-]+", "_", text.strip()).strip("._-")
    return text


def moodle_student(name):
    return student_id(name.lower().replace(" ", "_"))


def find_assignment(stem, assignments):
    """(assignment, rest of the name) for a file stem, or (None, stem)."""
    for name in sorted(assignments, key=len, reverse=True):
        if name in stem:
            rest = stem.replace(name, " ", 1)
            return name, rest
    tokens = re.split(r"[_\-. ]+", stem)
    for index, token in enumerate(tokens):
        if re.fullmatch(r"\d{1,2}", token):
            found = [a for a in assignments if a.split("_")[0].lstrip("0") == token.lstrip("0")]
            if len(found) == 1:
                return found[0], " ".join(tokens[:index] + tokens[index + 1 :])
    return None, stem


def map_file(name, assignments, folder_student=None, assignment=None):
    """(student, assignment) of a notebook file name, or None when it cannot be told."""
    stem = name.removesuffix(".ipynb")
    student = folder_student
    for pattern in (CANVAS, MOODLE):
        match = pattern.match(stem)
        if match and student is None:
            student = match["student"] if pattern is CANVAS else moodle_student(match["name"])
            stem = RESUBMISSION.sub("", match["rest"]) or stem
            break
    if assignment is not None:
        _, rest = find_assignment(stem, [assignment])
        found = assignment
    else:
        found, rest = find_assignment(stem, assignments)
    if found is None:
        return None
    if student is None:
        student = student_id(rest)
    return (student, found) if student else None


def read_timestamp(folder):
    path = folder / "timestamp.txt"
    if not path.is_file():
        return None
    text = path.read_text().strip()
    try:
        from nbgrader.utils import parse_utc

        parse_utc(text)
    except (ValueError, TypeError, OverflowError):
        return None
    return text or None


MAX_NOTEBOOK = 50 * 1024 * 1024  # bytes; a notebook of 01-08 is a few hundred kB


def notebook_problem(path):
    """Why a file is not a notebook nbgrader can grade, or ''."""
    size = Path(path).stat().st_size
    if size > MAX_NOTEBOOK:
        return f"the notebook is {size // 2**20} MB, more than the limit of {MAX_NOTEBOOK // 2**20} MB"
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # JSON errors, unknown versions, binary junk: all mean "unreadable"
        detail = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        return f"not a readable notebook ({detail})"
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        return f"not a valid notebook ({str(error).splitlines()[0][:160]})"
    return ""


def nbgrader_layout(root, assignments):
    """True when root holds <student>/<assignment>/ folders."""
    return any(
        sub.is_dir() and sub.name in assignments
        for student in root.iterdir()
        if student.is_dir()
        for sub in student.iterdir()
    )


def from_nbgrader(root, assignments, assignment):
    found = []
    for student in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for folder in sorted(p for p in student.iterdir() if p.is_dir() and p.name in assignments):
            if assignment and folder.name != assignment:
                continue
            notebooks = sorted(folder.glob("*.ipynb"))
            expected = folder / f"{folder.name}.ipynb"
            origin = str(folder)
            submission = Submission(student.name, folder.name, None, origin, read_timestamp(folder))
            if expected in notebooks:
                submission.notebook = expected
            elif len(notebooks) == 1:
                submission.notebook = notebooks[0]
                submission.problem = ""  # a renamed notebook is still the student's answer
                submission.origin = f"{notebooks[0]} (graded as {expected.name})"
            elif notebooks:
                names = ", ".join(n.name for n in notebooks)
                submission.problem = f"several notebooks ({names}) and none named {expected.name}"
            else:
                submission.problem = f"no notebook in the submission (expected {expected.name})"
            found.append(submission)
    return found


def from_files(root, assignments, assignment):
    """Flat files and per-student folders (Moodle's among them)."""
    found, unmapped = [], []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__MACOSX" for part in relative.parts):
            continue
        folder_student = None
        if len(relative.parts) > 1:
            folder = relative.parts[0]
            match = MOODLE.match(folder)
            folder_student = moodle_student(match["name"]) if match else student_id(folder)
        mapped = map_file(path.name, assignments, folder_student, assignment)
        if mapped is None:
            unmapped.append(str(relative))
            continue
        found.append(Submission(mapped[0], mapped[1], path, str(relative)))
    return found, unmapped


def read_submissions(path, assignments, assignment=None, workdir=None):
    """The Submissions under path (a folder or a .zip). Raises IntakeError for unmappable names."""
    path = Path(path)
    if assignment is not None and assignment not in assignments:
        raise IntakeError(f"no assignment named {assignment}; known: {', '.join(assignments)}")
    if not path.exists():
        raise IntakeError(f"{path} does not exist")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise IntakeError(f"{path} is neither a folder nor a zip file")
        workdir = Path(workdir or tempfile.mkdtemp(prefix="submissions-"))
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                target = (workdir / member.filename).resolve()
                if not str(target).startswith(str(workdir.resolve())):
                    raise IntakeError(f"{path} holds a file outside its folder: {member.filename}")
            archive.extractall(workdir)
        root = workdir
        entries = [p for p in root.iterdir() if not p.name.startswith(".") and p.name != "__MACOSX"]
        if len(entries) == 1 and entries[0].is_dir() and not nbgrader_layout(root, assignments):
            root = entries[0]  # a zip of one folder
    else:
        root = path
    if nbgrader_layout(root, assignments):
        found, unmapped = from_nbgrader(root, assignments, assignment), []
    else:
        found, unmapped = from_files(root, assignments, assignment)
    if unmapped:
        listed = "\n  ".join(unmapped[:50]) + ("\n  ..." if len(unmapped) > 50 else "")
        raise IntakeError(
            f"cannot tell the student and the assignment of {len(unmapped)} notebook(s):\n  {listed}\n\n"
            f"Rename them, or pass --assignment NAME when they are all for one assignment.\n{ACCEPTED}"
        )
    seen = {}
    for submission in found:
        key = (submission.student, submission.assignment)
        if key in seen:
            raise IntakeError(
                f"two submissions of {submission.assignment} by {submission.student}: "
                f"{seen[key].origin} and {submission.origin}; keep one"
            )
        seen[key] = submission
        if submission.notebook is not None and not submission.problem:
            submission.problem = notebook_problem(submission.notebook)
    if not found:
        raise IntakeError(f"no submissions found in {path}\n{ACCEPTED}")
    return found


def copy_submission(submission, course_root):
    """Place a submission in course_root/submitted/<student>/<assignment>/ as nbgrader expects it.

    Returns the folder. A notebook already there (the course's own submitted/) is left alone.
    """
    folder = Path(course_root) / "submitted" / submission.student / submission.assignment
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{submission.assignment}.ipynb"
    if submission.notebook is not None and submission.notebook.resolve() != target.resolve():
        shutil.copyfile(submission.notebook, target)
        submission.notebook = target
    if submission.timestamp and not (folder / "timestamp.txt").exists():
        (folder / "timestamp.txt").write_text(submission.timestamp)
    return folder
