"""Hidden-test cases drawn per student: the seed of (course, assignment, student, exercise).

Each student's cases are their own, so expected values copied from a classmate's feedback do not
pass; a student gets the same cases at every regrade, so feedback is reproducible, and the
message of a hidden test says which seed it used. The judge draws for the student nbgrader
grades; check() in a learner's own kernel draws for RNN_LEARNER (%selfcheck and %check set it,
autograder/learner/identity.py). Where no student is named (the course's own tests) the cases are
the course's shared ones, seeded by the exercise's name.
"""

import hashlib
import zlib

from course.outline import lesson_of_exercise

COURSE_ID = "rnn-from-scratch"  # c.CourseDirectory.course_id of course/nbgrader_config.py


def case_seed(exercise, student=None, course=None):
    """The seed of the cases of exercise (a name) for student, in course (default COURSE_ID)."""
    if not student:
        return zlib.crc32(exercise.encode())
    assignment = lesson_of_exercise().get(exercise, "")
    key = "\0".join((course or COURSE_ID, assignment, student, exercise))
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big")


def with_seed(message, student, seed):
    """A hidden test's message, with the line that says for whom its cases were drawn."""
    if not student:
        return message
    return f"{message}\n(Hidden-test cases drawn for {student}: seed {seed}; a regrade draws the same.)"
