"""The engine: what a hidden test is (registry), how outputs are compared (compare) and how an
answer is judged (verdict). It runs where the references are: in a learner's own kernel, or in
the grader's judge, never in a graded kernel."""

from autograder.engine.compare import output_problem
from autograder.engine.registry import (
    EXERCISES,
    MISTAKES,
    Case,
    Exercise,
    MistakeError,
    exercise,
    load_exercises,
)
from autograder.engine.verdict import case_problem, first_problem, passed_message

__all__ = [
    "EXERCISES",
    "MISTAKES",
    "Case",
    "Exercise",
    "case_problem",
    "exercise",
    "first_problem",
    "load_exercises",
    "MistakeError",
    "output_problem",
    "passed_message",
]
