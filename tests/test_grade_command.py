"""The grading command: which notebook is whose, and grading again only what changed."""

import csv
import zipfile

import nbformat
import pytest
from conftest import notebook
from grading_course import generated_course, grades_csv, make_course, run_grade, state
from nbgrader.api import Gradebook

from autograder.grading.gradebook import export_csv
from autograder.grading.intake import IntakeError, map_file, read_submissions

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
        ("smithjane_12345_6789012_01_spiral_and_activations.ipynb", "smithjane", NAME),
        ("smithjane_LATE_12345_6789012_01_spiral_and_activations-1.ipynb", "smithjane", NAME),
        # Moodle: full name, participant id, assignsubmission_file_, the file's own name
        ("Jane Smith_4242_assignsubmission_file_01_spiral_and_activations.ipynb", "jane_smith", NAME),
    ],
)
def test_file_names_map_to_student_and_assignment(file_name, student, assignment):
    assert map_file(file_name, ASSIGNMENTS) == (student, assignment)


def test_a_moodle_folder_names_the_student():
    mapped = map_file("01_spiral_and_activations.ipynb", ASSIGNMENTS, "jane_smith")
    assert mapped == ("jane_smith", NAME)


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
            ("bob_stone", NAME),
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
    assert grades_csv(course) == {("alice", NAME): 8.0, ("bob", NAME): 0.0}
    keys = {where: entry["key"] for where, entry in state(course).items()}

    again = run_grade("grade", archive, "--course", course)
    assert "Graded 0 submission(s)" in again.stdout and "2 unchanged" in again.stdout
    assert {where: entry["key"] for where, entry in state(course).items()} == keys

    late = tmp_path / "late"
    write(late / f"carol_LATE_3_33_{NAME}.ipynb", notebook("source", NAME))
    third = run_grade("grade", late, "--course", course)
    assert "Graded 1 submission(s)" in third.stdout
    assert grades_csv(course) == {("alice", NAME): 8.0, ("bob", NAME): 0.0, ("carol", NAME): 8.0}
    assert all((course / "feedback" / s / NAME / f"{NAME}.html").exists() for s in ("alice", "bob", "carol"))

    # what was graded is decided by the gradebook: a student removed from it is graded again
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", COURSE_ID) as gradebook:
        gradebook.remove_student("bob")
    fourth = run_grade("grade", archive, "--course", course)
    assert "Graded 1 submission(s)" in fourth.stdout and "1 unchanged" in fourth.stdout
    assert grades_csv(course) == {("alice", NAME): 8.0, ("bob", NAME): 0.0, ("carol", NAME): 8.0}


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
