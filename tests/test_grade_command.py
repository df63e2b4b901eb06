"""The grading command: which notebook is whose, and grading again only what changed."""

import csv
import os
import struct
import zipfile
import zlib

import nbformat
import pytest
from conftest import notebook
from grading_course import generated_course, grades_csv, make_course, run_grade, state
from nbgrader.api import Gradebook

from autograder.grading.gradebook import export_csv
from autograder.grading.intake import IntakeError, map_file, name_problem, read_submissions, student_id
from course.build import COURSE

NAME = "01_spiral_and_activations"
ASSIGNMENTS = ["01_spiral_and_activations", "02_softmax_classifier", "03_three_layer_net"]
COURSE_ID = "rnn-from-scratch"


@pytest.mark.parametrize(
    "file_name, student, assignment",
    [
        ("alice_01_spiral_and_activations.ipynb", "alice", NAME),
        ("01_spiral_and_activations_alice.ipynb", "alice", NAME),
        ("jean-luc.picard-02_softmax_classifier.ipynb", "jean-luc.picard", "02_softmax_classifier"),
        ("bob_03.ipynb", "bob", "03_three_layer_net"),
        ("03-bob.ipynb", "bob", "03_three_layer_net"),
        # Canvas: login, [LATE], user id, submission id, the file's own name (with -1 when resubmitted)
        ("smithjane_12345_6789012_01_spiral_and_activations.ipynb", "smithjane_12345", NAME),
        ("smithjane_LATE_12345_6789012_01_spiral_and_activations-1.ipynb", "smithjane_12345", NAME),
        ("smithjane_late_12345_6789012_01_spiral_and_activations.ipynb", "smithjane_12345", NAME),
        ("anon_x2Ab9_6789012_01_spiral_and_activations.ipynb", "anon_x2Ab9", NAME),
        ("LATE_anon_x2Ab9_6789012_01_spiral_and_activations.ipynb", "anon_x2Ab9", NAME),
        ("张伟_12346_6789013_01_spiral_and_activations.ipynb", "张伟_12346", NAME),
        # Moodle: full name, participant id, assignsubmission_file_, the file's own name
        ("Jane Smith_4242_assignsubmission_file_01_spiral_and_activations.ipynb", "jane_smith_4242", NAME),
        ("José Núñez_4243_assignsubmission_file_01_spiral_and_activations.ipynb", "josé_núñez_4243", NAME),
        ("Participant_4244_assignsubmission_file_01_spiral_and_activations.ipynb", "participant_4244", NAME),
    ],
)
def test_file_names_map_to_student_and_assignment(file_name, student, assignment):
    assert map_file(file_name, ASSIGNMENTS) == (student, assignment)


def test_a_moodle_folder_names_the_student():
    mapped = map_file("01_spiral_and_activations.ipynb", ASSIGNMENTS, "jane_smith_4242")
    assert mapped == ("jane_smith_4242", NAME)


def test_names_without_an_assignment_or_a_student_are_not_guessed():
    assert map_file("homework.ipynb", ASSIGNMENTS) is None
    assert map_file("01_spiral_and_activations.ipynb", ASSIGNMENTS) is None  # whose is it?
    assert map_file("alice_homework.ipynb", ASSIGNMENTS, assignment=NAME) == ("alice_homework", NAME)


def write(path, nb=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb or notebook("release", NAME), path)
    return path


def test_folders_flat_and_zipped_are_read_alike(tmp_path):
    flat = tmp_path / "flat"
    write(flat / f"alice_{NAME}.ipynb")
    write(flat / "Bob Stone_77_assignsubmission_file_" / f"{NAME}.ipynb")
    write(flat / "carol" / "my_01_attempt.ipynb")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in flat.rglob("*.ipynb"):
            zipped.write(path, "export/" + str(path.relative_to(flat)))
    for source in (flat, archive):
        found = read_submissions(source, ASSIGNMENTS, workdir=tmp_path / f"work-{source.name}")
        assert sorted((s.student, s.assignment) for s in found) == [
            ("alice", NAME),
            ("bob_stone_77", NAME),
            ("carol", NAME),
        ]
        assert not any(s.problem for s in found)


def test_unmappable_names_and_duplicates_are_refused_with_the_accepted_patterns(tmp_path):
    write(tmp_path / "a" / "homework.ipynb")
    with pytest.raises(IntakeError, match=r"homework\.ipynb[\s\S]*Canvas[\s\S]*Moodle"):
        read_submissions(tmp_path / "a", ASSIGNMENTS)
    write(tmp_path / "b" / f"alice_{NAME}.ipynb")
    write(tmp_path / "b" / f"{NAME}-alice.ipynb")
    with pytest.raises(IntakeError, match="two submissions of 01_spiral_and_activations by alice"):
        read_submissions(tmp_path / "b", ASSIGNMENTS)


def test_a_zip_cannot_write_outside_its_folder(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(f"../../alice_{NAME}.ipynb", "{}")
    with pytest.raises(IntakeError, match="outside its folder"):
        read_submissions(archive, ASSIGNMENTS, workdir=tmp_path / "work")


def test_the_command_refuses_unmappable_names_before_grading(tmp_path):
    course = make_course(tmp_path / "course", [NAME])
    write(tmp_path / "in" / "homework.ipynb")
    result = run_grade("grade", tmp_path / "in", "--course", course, check=False)
    assert result.returncode == 2
    assert "cannot tell the student and the assignment" in result.stderr and "homework.ipynb" in result.stderr
    assert not (course / "autograded").exists()


def test_grading_again_grades_only_what_changed(tmp_path):
    """A zip as Canvas exports it, graded; the same again (nothing to do); then one late submission."""
    course = make_course(tmp_path / "course", [NAME])
    canvas = tmp_path / "canvas"
    write(canvas / f"alice_1_11_{NAME}.ipynb", notebook("source", NAME))
    write(canvas / f"bob_2_22_{NAME}.ipynb")
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in canvas.iterdir():
            zipped.write(path, path.name)

    first = run_grade("grade", archive, "--course", course, "--workers", 2)
    assert "Graded 2 submission(s)" in first.stdout
    assert grades_csv(course) == {("alice_1", NAME): 8.0, ("bob_2", NAME): 0.0}
    keys = {where: entry["key"] for where, entry in state(course).items()}

    again = run_grade("grade", archive, "--course", course)
    assert "Graded 0 submission(s)" in again.stdout and "2 unchanged" in again.stdout
    assert {where: entry["key"] for where, entry in state(course).items()} == keys

    late = tmp_path / "late"
    write(late / f"carol_LATE_3_33_{NAME}.ipynb", notebook("source", NAME))
    third = run_grade("grade", late, "--course", course)
    assert "Graded 1 submission(s)" in third.stdout
    assert grades_csv(course) == {("alice_1", NAME): 8.0, ("bob_2", NAME): 0.0, ("carol_3", NAME): 8.0}
    students = ("alice_1", "bob_2", "carol_3")
    assert all((course / "feedback" / s / NAME / f"{NAME}.html").exists() for s in students)

    # what was graded is decided by the gradebook: a student removed from it is graded again
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        gradebook.remove_student("bob_2")
    fourth = run_grade("grade", archive, "--course", course)
    assert "Graded 1 submission(s)" in fourth.stdout and "1 unchanged" in fourth.stdout
    assert grades_csv(course) == {("alice_1", NAME): 8.0, ("bob_2", NAME): 0.0, ("carol_3", NAME): 8.0}


def test_grades_csv_is_quoted_so_a_comma_in_a_name_shifts_no_column(tmp_path):
    course, _ = generated_course(tmp_path / "course", [NAME])
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        gradebook.update_or_create_student("a,b", last_name='Smith, "Jr."')
        gradebook.add_submission(NAME, "a,b")
        export_csv(gradebook, course / "grades.csv")
    with open(course / "grades.csv", newline="") as file:
        (row,) = csv.DictReader(file)
    assert (row["student_id"], row["last_name"], row["raw_score"], row["max_score"]) == (
        "a,b",
        'Smith, "Jr."',
        "0.0",
        "8.0",
    )


# ---------------------------------------------------------------- names and zips from the outside


@pytest.mark.parametrize("name", ["a,b", "Zoë Nuñez", "张伟", "O'Brien", "jane+cs@uni.edu", "Ngô Bảo Châu"])
def test_names_a_real_class_has_are_student_ids(name):
    assert name_problem(name) == ""


@pytest.mark.parametrize(
    "name, reason",
    [
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("a[1]", "'[' ']'"),
        ("b*", "'*'"),
        ("c?d", "'?'"),
        ("..", "begin and end"),
        ("-rf", "begin and end"),
        ("=1+2", "'='"),
        ("tab\there", "'\\t'"),
        ("", "empty"),
        ("x" * 101, "longer than 100"),
    ],
)
def test_names_that_could_break_a_path_a_glob_or_grades_csv_are_refused(name, reason):
    assert reason in name_problem(name)


@pytest.mark.parametrize(
    "text, made",
    [
        ("AC/DC", "AC_DC"),
        ("a[1]*?", "a_1"),
        ("Zoe\u0308 Nun\u0303ez", "Zoë_Nuñez"),  # as a Mac writes it (NFD): one id either way
        ("张伟", "张伟"),
        (" --.x,y. ", "x_y"),
    ],
)
def test_ids_made_from_file_names_are_safe(text, made):
    assert student_id(text) == made and name_problem(made) == ""


def test_unsafe_folder_names_are_refused_by_name_before_grading(tmp_path):
    course = make_course(tmp_path / "course", [NAME])
    for student in ("alice", "a[1]", "b*", "c\\d"):
        write(tmp_path / "in" / student / NAME / f"{NAME}.ipynb")
    result = run_grade("grade", tmp_path / "in", "--course", course, check=False)
    assert result.returncode == 2
    assert "3 student name(s) could break a path, a glob or grades.csv" in result.stderr
    assert all(f"{student}/{NAME}: it" in result.stderr for student in ("a[1]", "b*", "c\\d"))
    assert not (course / "submitted").exists()


def test_a_notebook_that_is_a_link_or_a_device_is_never_read(tmp_path):
    """A link to the solutions graded as a student's notebook would score full marks; a pipe hangs."""
    write(tmp_path / "in" / "alice" / NAME / f"{NAME}.ipynb")
    for student in ("mallory", "trudy"):
        (tmp_path / "in" / student / NAME).mkdir(parents=True)
    solution = COURSE / "source" / NAME / f"{NAME}.ipynb"
    (tmp_path / "in" / "mallory" / NAME / f"{NAME}.ipynb").symlink_to(solution)
    os.mkfifo(tmp_path / "in" / "trudy" / NAME / f"{NAME}.ipynb")
    found = {s.student: s for s in read_submissions(tmp_path / "in", ASSIGNMENTS)}
    assert found["alice"].notebook is not None and not found["alice"].problem
    for student in ("mallory", "trudy"):
        assert found[student].notebook is None and "a link or a device" in found[student].problem


def test_a_class_exported_by_moodle_keeps_two_students_of_one_name_apart(tmp_path):
    """Two Jane Smiths, a Chinese name and an accented one written as a Mac does (NFD)."""
    course = make_course(tmp_path / "course", [NAME])
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for entry, kind in [
            (f"Jane Smith_4242_assignsubmission_file/{NAME}.ipynb", "source"),
            (f"Jane Smith_4243_assignsubmission_file/{NAME}.ipynb", "release"),
            (f"张伟_4244_assignsubmission_file/{NAME}.ipynb", "source"),
            (f"Zoe\u0308 Nun\u0303ez_4245_assignsubmission_file_{NAME}.ipynb", "release"),
        ]:
            zipped.writestr(entry, nbformat.writes(notebook(kind, NAME)))
    run_grade("grade", archive, "--course", course)
    students = {"jane_smith_4242": 8, "jane_smith_4243": 0, "张伟_4244": 8, "zoë_nuñez_4245": 0}
    assert grades_csv(course) == {(student, NAME): score for student, score in students.items()}
    assert all((course / "feedback" / student / NAME / f"{NAME}.html").exists() for student in students)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        assert {s.id: s.lms_user_id for s in gradebook.students} == {s: s[-4:] for s in students}


def test_a_folder_that_names_no_assignment_is_reported_unless_skipped(tmp_path):
    course = make_course(tmp_path / "course", [NAME])
    write(tmp_path / "in" / "a,b" / NAME / f"{NAME}.ipynb", notebook("source", NAME))
    write(tmp_path / "in" / "bob" / "01_spiral_activations" / "01_spiral_activations.ipynb")
    refused = run_grade("grade", tmp_path / "in", "--course", course, check=False)
    assert refused.returncode == 2
    assert "1 folder(s) name no assignment of the course:\n  bob/01_spiral_activations" in refused.stderr
    assert "--skip-unknown-assignments" in refused.stderr
    assert not (course / "submitted").exists()

    graded = run_grade("grade", tmp_path / "in", "--course", course, "--skip-unknown-assignments")
    assert "Not graded (they name no assignment):\n  bob/01_spiral_activations" in graded.stderr
    assert grades_csv(course) == {("a,b", NAME): 8.0}  # the comma stays in its column


def zip_bomb(path, members):
    """A zip whose members (name -> unpacked MiB of spaces) take about 1 kB per MiB, written at once:
    one compressed MiB is repeated (after a full flush, deflate blocks can be concatenated)."""
    mib = b" " * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    directory = []
    with open(path, "wb") as file:
        for name, mibs in members.items():
            crc = 0
            for _ in range(mibs):
                crc = zlib.crc32(mib, crc)
            packed, encoded, offset = len(block) * mibs + len(end), name.encode(), file.tell()
            fields = (0, 8, 0, 0x21, crc, packed, mibs * 2**20, len(encoded))  # flags, deflate, date...
            file.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *fields, 0) + encoded)
            file.write(block * mibs + end)
            central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, *fields, 0, 0, 0, 0, 0, offset)
            directory.append(central + encoded)
        start = file.tell()
        file.write(b"".join(directory))
        count = len(members)
        file.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, file.tell() - start, start, 0))
    return path


def test_the_zip_bomb_helper_makes_a_zip_that_unpacks(tmp_path):
    with zipfile.ZipFile(zip_bomb(tmp_path / "small.zip", {"a.ipynb": 3, "b/c.ipynb": 1})) as archive:
        assert archive.testzip() is None and archive.read("a.ipynb") == b" " * 3 * 2**20


@pytest.mark.parametrize(
    "members, refusal",
    [
        ({f"alice_{NAME}.ipynb": 1024}, "unpacks to 1024 MB, more than 50 MB"),  # one member of 1 GiB
        ({f"s{i}_{NAME}.ipynb": 16 for i in range(64)}, "times its size (a zip bomb?)"),  # 64 of 16 MiB
    ],
)
def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path, members, refusal):
    bomb = zip_bomb(tmp_path / "bomb.zip", members)
    assert bomb.stat().st_size < 1.2 * 2**20  # about 1 MB that unpacks to 1 GiB
    with pytest.raises(IntakeError, match="nothing was unpacked") as refused:
        read_submissions(bomb, ASSIGNMENTS, workdir=tmp_path / "work")
    assert refusal in str(refused.value)
    assert not (tmp_path / "work").exists()

    course = make_course(tmp_path / "course", [NAME])
    (tmp_path / "tmp").mkdir()
    result = run_grade("grade", bomb, "--course", course, check=False, env={"TMPDIR": str(tmp_path / "tmp")})
    assert result.returncode == 2 and refusal in result.stderr
    assert not any((tmp_path / "tmp").iterdir()) and not (course / "submitted").exists()
