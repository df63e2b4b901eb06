"""Grades in the CSV formats that Canvas and Moodle import as they are (autograder/grading/lms.py).

Each file is read back the way the system's importer reads it: Canvas's gradebook import finds
the students by the ID column and the assignments by column title, with a "Points Possible"
row; Moodle's worksheet upload (mod/assign/feedback/offline) needs the columns Identifier,
Grade and Last modified (grade), and takes the participant number after "Participant ".
"""

import csv
import subprocess
import sys
from datetime import UTC, datetime

import nbformat
import pytest
from conftest import notebook, one_wrong
from grading_course import ROOT, generated_course, run_grade

from autograder.grading.lms import Grade, write_canvas, write_moodle

GRADES = [
    Grade("alice", "1001", "04_rnn_forward", 7, 7, name="Alice Smith"),
    Grade("bob", "1002", "04_rnn_forward", 5, 7, comment="rnn_cell_forward: a_next is wrong"),
    Grade("alice", "1001", "05_rnn_backward", 8.5, 10),
]


def rows(path):
    with open(path, newline="") as file:
        return list(csv.reader(file))


def test_canvas_gradebook_import(tmp_path):
    path = tmp_path / "canvas.csv"
    write_canvas(GRADES, path)
    header, possible, *students = rows(path)
    assert header == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "04_rnn_forward",
        "05_rnn_backward",
    ]
    assert possible[0].strip() == "Points Possible" and possible[5:] == ["7", "10"]
    by_id = {row[header.index("ID")]: dict(zip(header, row, strict=True)) for row in students}
    assert by_id["1001"]["Student"] == "Alice Smith" and by_id["1001"]["SIS Login ID"] == "alice"
    assert (by_id["1001"]["04_rnn_forward"], by_id["1001"]["05_rnn_backward"]) == ("7", "8.5")
    assert (by_id["1002"]["04_rnn_forward"], by_id["1002"]["05_rnn_backward"]) == ("5", "")  # not submitted


def test_moodle_grading_worksheet(tmp_path):
    path = tmp_path / "moodle.csv"
    when = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    write_moodle(GRADES[:2], path, when)
    header, *records = rows(path)
    identifier, grade, modified = (header.index(c) for c in ("Identifier", "Grade", "Last modified (grade)"))
    feedback = header.index("Feedback comments")
    read = {r[identifier].removeprefix("Participant "): (r[grade], r[modified], r[feedback]) for r in records}
    assert read == {
        "1001": ("7", "2026-11-28 09:30:00 UTC", ""),
        "1002": ("5", "2026-11-28 09:30:00 UTC", "rnn_cell_forward: a_next is wrong"),
    }
    assert all(r[header.index("Maximum Grade")] == "7" for r in records)


def test_a_moodle_worksheet_holds_one_assignment(tmp_path):
    with pytest.raises(ValueError, match="one assignment"):
        write_moodle(GRADES, tmp_path / "moodle.csv")


def test_grades_of_an_lms_zip_go_back_with_its_ids(tmp_path):
    """Grade notebooks named as Canvas and Moodle name them, then write each system's file."""
    name = "01_spiral_and_activations"
    course = generated_course(tmp_path / "course", [name])[0]
    folder = tmp_path / "downloaded"
    folder.mkdir()
    nbformat.write(notebook("source", name), folder / f"smithjane_1001_5001_{name}.ipynb")
    nbformat.write(
        one_wrong(name, "sigmoid")[0], folder / f"Bob Jones_2002_assignsubmission_file_{name}.ipynb"
    )
    run_grade("grade", folder, "--course", course, "--no-feedback", "--quiet")

    canvas = run_lms("canvas", folder, "--course", course)
    assert "Left out" in canvas.stderr and "Bob Jones_2002" in canvas.stderr  # no Canvas id in his name
    header, possible, jane = rows(course / "canvas-grades.csv")
    assert dict(zip(header, jane, strict=True)) | {"Points": possible[5]} == {
        "Student": "smithjane_1001",
        "ID": "1001",
        "SIS User ID": "",
        "SIS Login ID": "smithjane_1001",
        "Section": "",
        name: "8",
        "Points": "8",
    }

    run_lms("moodle", folder, "--course", course, "--to", tmp_path / "worksheet.csv")
    header, bob = rows(tmp_path / "worksheet.csv")
    assert bob[header.index("Identifier")] == "Participant 2002"
    assert (bob[header.index("Grade")], bob[header.index("Maximum Grade")]) == ("6", "8")


def run_lms(*args):
    result = subprocess.run(
        [sys.executable, "-m", "autograder.grading.lms", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result
