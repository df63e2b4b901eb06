"""Which notebook is whose: reading a class's submissions as nbgrader and LMSs lay them out.

See ACCEPTED below: the layouts and names understood, which the command also prints when it
refuses a name.
"""

import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

# Canvas (lib/content_zipper.rb): <sortable name, lower case, only word characters>[_LATE]_<user id>
# _<attachment id>_<file name>; with anonymous grading "anon_<anonymous id>" stands for name and id.
CANVAS = re.compile(
    r"^(?:(?P<name>\w+?)_)??(?i:late_)?(?P<user>\d+|anon_[A-Za-z0-9-]+?)_(?P<attachment>\d+)_(?P<rest>.+)$"
)
# Moodle (mod/assign): <Full Name>_<participant id>_assignsubmission_file[_<file name>], or a folder
# named <Full Name>_<participant id>_assignsubmission_file[_] holding the files.
MOODLE = re.compile(
    r"^(?P<name>.+?)_(?P<participant>\d+)_assignsubmission_(?:file|onlinetext)(?:_(?P<rest>.*))?$"
)
RESUBMISSION = re.compile(r"-\d+$")  # Canvas appends -1, -2 to a file submitted again
ACCEPTED = """Accepted inputs (a folder, or a .zip holding one of these layouts):

  nbgrader       <student>/<assignment>/<notebook>.ipynb   (course/submitted; timestamp.txt kept)
  per student    <student>/<file>.ipynb                    (the file name names the assignment)
  flat           <file>.ipynb                              (the file name names both)

A file name names the assignment when it contains the assignment's full name
(01_spiral_and_activations) or its number as a separate token (01). What is left of the name
is the student. These LMS conventions are recognised first:

  Canvas         <name>[_LATE]_<user id>_<file id>_<original name>[-<n>].ipynb
                 the student is <name>_<user id> (anon_<id> when grading is anonymous)
  Moodle         <Full Name>_<participant id>_assignsubmission_file_<original name>.ipynb, or
                 a folder <Full Name>_<participant id>_assignsubmission_file[_]/ holding the file;
                 the student is <full_name>_<participant id> (lower case, underscores)
  generic        <student>_<assignment>.ipynb, <assignment>_<student>.ipynb, or with - or .
                 as separator

With --assignment, every notebook belongs to that assignment and the whole name (less the
assignment's name or number) is the student. Names that fit none of these are refused with a
message that lists them, before anything is graded.

Student names may be in any script (accents, Chinese, ...). A name read from a file name or an
LMS export is made safe (other characters become _); a folder name of the nbgrader layout is the
student's id and is kept as it is, or refused when it could break a path, a glob or grades.csv:
it must begin with a letter or a digit and hold only letters, digits, spaces and _ - . @ , ' +.
In the nbgrader layout, a folder that names no assignment of the course is refused by name
(--skip-unknown-assignments grades the rest).
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
    lms_id: str = ""  # the LMS's id of the student: Canvas user id (or anon_...), Moodle participant id


MAX_NAME = 100  # characters of a student id
FOLDER_PUNCTUATION = " _-.@,'+"  # besides letters and digits, in an nbgrader layout's student folder
MADE_PUNCTUATION = "_-.@"  # in an id made from a file name or an LMS export


def word_character(char):
    """A letter (with its accents), or a digit, of any script."""
    return unicodedata.category(char)[0] in "LMN"


def student_id(text):
    """A safe student id made from a name: letters and digits of any script and . _ - @ (any
    other character becomes _), beginning and ending with a letter or a digit."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(c if word_character(c) or c in MADE_PUNCTUATION else " " for c in text)
    return re.sub(r"\s+", "_", kept.strip()).strip(MADE_PUNCTUATION)[:MAX_NAME].strip(MADE_PUNCTUATION)


def name_problem(name):
    """Why a student id could break a path, a glob, grades.csv or nbgrader, or '' when it is safe."""
    if not name:
        return "it is empty"
    if len(name) > MAX_NAME:
        return f"it is longer than {MAX_NAME} characters"
    bad = sorted({c for c in name if not word_character(c) and c not in FOLDER_PUNCTUATION})
    if bad:
        return "it holds " + " ".join(repr(c) for c in bad)
    if not word_character(name[0]) or not word_character(name[-1]):
        return "it does not begin and end with a letter or a digit"
    return ""


def moodle_student(match):
    """<full_name>_<participant id>: the participant id keeps two students of one name apart."""
    return student_id(f"{match['name'].lower()}_{match['participant']}")


def canvas_student(match):
    """<name>_<user id>, or anon_<id> when the export is anonymous."""
    if match["user"].startswith("anon_") or not match["name"]:
        return student_id(match["user"])
    return student_id(f"{match['name']}_{match['user']}")


def lms_id(name):
    """The LMS's id of the student in a Canvas or Moodle file or folder name, or ''."""
    name = unicodedata.normalize("NFC", name.removesuffix(".ipynb"))
    canvas, moodle = CANVAS.match(name), MOODLE.match(name)
    return canvas["user"] if canvas else moodle["participant"] if moodle else ""


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
    stem = unicodedata.normalize("NFC", name.removesuffix(".ipynb"))
    student = folder_student
    for pattern, lms_student in ((CANVAS, canvas_student), (MOODLE, moodle_student)):
        match = pattern.match(stem)
        if match and student is None:
            student = lms_student(match)
            stem = RESUBMISSION.sub("", match["rest"] or "") or stem
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
    if not path.is_file() or path.is_symlink():
        return None
    with open(path, errors="replace") as file:
        text = file.read(100).strip()
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


def visible(path):
    return not path.name.startswith(".") and path.name != "__MACOSX"


def nbgrader_layout(root, assignments):
    """True when root holds <student>/<assignment>/ folders."""
    return any(
        sub.is_dir() and sub.name in assignments
        for student in root.iterdir()
        if student.is_dir()
        for sub in student.iterdir()
    )


def from_nbgrader(root, assignments, assignment):
    """(submissions, the <student>/<folder> that name no assignment)."""
    found, unknown = [], []
    for student in sorted(p for p in root.iterdir() if p.is_dir() and visible(p)):
        for folder in sorted(p for p in student.iterdir() if visible(p)):
            if folder.is_dir() and folder.name not in assignments:
                unknown.append(f"{student.name}/{folder.name}")
            if not folder.is_dir() or folder.name not in assignments or assignment not in (None, folder.name):
                continue
            notebooks = sorted(folder.glob("*.ipynb"))
            expected = folder / f"{folder.name}.ipynb"
            origin = str(folder)
            name = unicodedata.normalize("NFC", student.name)
            submission = Submission(name, folder.name, None, origin, read_timestamp(folder))
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
    return found, unknown


def from_files(root, assignments, assignment):
    """Flat files and per-student folders (Moodle's among them)."""
    found, unmapped = [], []
    for path in sorted(root.rglob("*.ipynb")):
        relative = path.relative_to(root)
        if not all(visible(Path(part)) for part in relative.parts):
            continue
        folder_student = None
        if len(relative.parts) > 1:
            folder = unicodedata.normalize("NFC", relative.parts[0])
            match = MOODLE.match(folder)
            folder_student = moodle_student(match) if match else student_id(folder)
        mapped = map_file(path.name, assignments, folder_student, assignment)
        if mapped is None:
            unmapped.append(str(relative))
            continue
        lms = lms_id(relative.parts[0]) if len(relative.parts) > 1 else lms_id(path.name)
        found.append(Submission(mapped[0], mapped[1], path, str(relative), lms_id=lms))
    return found, unmapped


# A class's export is a few hundred notebooks of a few hundred kB; a zip beyond these is refused
# before anything is written (a zip bomb: a small file that unpacks to gigabytes).
MAX_MEMBERS = 20_000
MAX_UNPACKED = 2 * 1024**3  # bytes, all members together
MAX_RATIO = 100  # unpacked size / zip size, once the unpacked size passes RATIO_FROM
RATIO_FROM = 64 * 1024**2


def zip_problem(path, archive):
    """Why a zip must not be unpacked (its declared sizes, checked before anything is written), or ''."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return f"it holds {len(members)} files, more than {MAX_MEMBERS}"
    for member in members:
        if member.file_size > MAX_NOTEBOOK:
            size, most = member.file_size // 2**20, MAX_NOTEBOOK // 2**20
            return f"{member.filename} unpacks to {size} MB, more than {most} MB"
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        return f"it unpacks to {unpacked // 2**20} MB, more than {MAX_UNPACKED // 2**20} MB"
    ratio = unpacked / max(1, Path(path).stat().st_size)
    if unpacked > RATIO_FROM and ratio > MAX_RATIO:
        return f"it unpacks to {unpacked // 2**20} MB, {ratio:.0f} times its size (a zip bomb?)"
    return ""


def unpack(path, workdir):
    """Unpack the zip at path into workdir, after checking its names and sizes."""
    workdir = Path(workdir)
    try:
        with zipfile.ZipFile(path) as archive:
            problem = zip_problem(path, archive)
            if problem:
                raise IntakeError(f"{path} is refused, nothing was unpacked: {problem}")
            for member in archive.infolist():
                target = (workdir / member.filename).resolve()
                if not target.is_relative_to(workdir.resolve()):
                    raise IntakeError(f"{path} holds a file outside its folder: {member.filename}")
            archive.extractall(workdir)  # zipfile stops each member at its declared size
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        shutil.rmtree(workdir, ignore_errors=True)
        raise IntakeError(f"{path} cannot be unpacked: {error}") from None
    return workdir


def read_submissions(path, assignments, assignment=None, workdir=None, skip_unknown=False):
    """The Submissions under path (a folder or a .zip). Raises IntakeError for unmappable or
    unsafe names, and for folders that name no assignment (unless skip_unknown)."""
    path = Path(path)
    if assignment is not None and assignment not in assignments:
        raise IntakeError(f"no assignment named {assignment}; known: {', '.join(assignments)}")
    if not path.exists():
        raise IntakeError(f"{path} does not exist")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise IntakeError(f"{path} is neither a folder nor a zip file")
        root = unpack(path, workdir or tempfile.mkdtemp(prefix="submissions-"))
        entries = [p for p in root.iterdir() if visible(p)]
        if len(entries) == 1 and entries[0].is_dir() and not nbgrader_layout(root, assignments):
            root = entries[0]  # a zip of one folder
    else:
        root = path
    unknown = []
    if nbgrader_layout(root, assignments):
        (found, unknown), unmapped = from_nbgrader(root, assignments, assignment), []
    else:
        found, unmapped = from_files(root, assignments, assignment)
    if unmapped:
        raise IntakeError(
            f"cannot tell the student and the assignment of {len(unmapped)} notebook(s):\n"
            f"  {listing(unmapped)}\n\n"
            f"Rename them, or pass --assignment NAME when they are all for one assignment.\n{ACCEPTED}"
        )
    if unknown and not skip_unknown:
        raise IntakeError(
            f"{len(unknown)} folder(s) name no assignment of the course:\n  {listing(unknown)}\n"
            f"The assignments are: {', '.join(assignments)}.\n"
            "Rename them, or pass --skip-unknown-assignments to grade the rest without them."
        )
    if unknown:
        print(f"Not graded (they name no assignment):\n  {listing(unknown)}", file=sys.stderr)
    unsafe = [f"{s.origin}: {name_problem(s.student)}" for s in found if name_problem(s.student)]
    if unsafe:
        raise IntakeError(
            f"{len(unsafe)} student name(s) could break a path, a glob or grades.csv:\n  {listing(unsafe)}\n"
            "Rename these folders: a student name begins and ends with a letter or a digit and holds "
            "only letters, digits, spaces and _ - . @ , ' +"
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
        notebook = submission.notebook
        if notebook is not None and (notebook.is_symlink() or not notebook.is_file()):  # never read
            submission.notebook, submission.problem = None, "the notebook is a link or a device, not a file"
        elif notebook is not None and not submission.problem:
            submission.problem = notebook_problem(notebook)
    if not found:
        raise IntakeError(f"no submissions found in {path}\n{ACCEPTED}")
    return found


def listing(lines, most=50):
    return "\n  ".join(lines[:most]) + ("\n  ..." if len(lines) > most else "")


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
