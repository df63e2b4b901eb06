"""`check(name, student_function)`: the single call of every hidden test; `course_function(name)`:
a function of an earlier notebook, for carried-forward work.

In a learner's lab, check() judges in this process with the engine (autograder/engine). In a
kernel run by the grading command (the environment names a judge), it only relays: the judge
outside the kernel draws the cases, calls the student's function through the wire and decides
(autograder/kernel/wire.py, autograder/sandbox/judge.py). Likewise a course function runs its
reference here in a lab, and outside the kernel under grading (autograder/sandbox/references.py).
"""

import os
import sys

JUDGE_ENV = "RNN_JUDGE"  # set in kernels run by the grading command (see autograder/kernel/wire.py)


class CheckFailed(AssertionError):
    """A hidden test failed; the message says why, in the student's terms."""


def check(name, function):
    """Run the hidden tests of exercise `name` on the student's `function`.

    Prints a line when every case passes; raises CheckFailed with an explanation otherwise.
    """
    __tracebackhide__ = True
    show_check_failures_plainly()
    judge = os.environ.get(JUDGE_ENV)
    if judge:  # a kernel run by the grading command: the judge outside this process decides
        from autograder.kernel.wire import judged_check

        return judged_check(name, function, judge)
    from autograder.engine import EXERCISES, first_problem, load_exercises, passed_message
    from autograder.engine.seeds import case_seed, with_seed
    from autograder.kernel.calls import isolated, ownership_problem
    from autograder.learner.identity import named_learner

    if not EXERCISES:
        load_exercises()
    if name not in EXERCISES:
        raise KeyError(f"no exercise named {name!r}")  # a bug in a notebook, not the student's
    exercise = EXERCISES[name]
    problem = ownership_problem(name, function, exercise.reference)
    if problem is not None:
        raise CheckFailed(problem) from None
    student = named_learner()  # whose cases: RNN_LEARNER (%selfcheck, %check), else the course's
    seed = case_seed(name, student)
    problem, count = first_problem(exercise, isolated(function, exercise.uses), seed)
    if problem:
        raise CheckFailed(with_seed(problem, student, seed)) from None
    print(with_seed(passed_message(name, count), student, seed))


def course_function(name, assignment=None):
    """The function `name` of an earlier notebook, for a notebook of `assignment` (what
    `from mywork import name` gives under grading, where the reference stands in for it).

    In a kernel run by the grading command the reference runs outside it and the judge decides
    which names the notebook may have (`assignment` is not needed); elsewhere it runs here.
    """
    judge = os.environ.get(JUDGE_ENV)
    if judge:
        from autograder.kernel.wire import CourseFunction

        return CourseFunction(name, judge)
    if assignment is None:
        raise ValueError(f"course_function({name!r}) outside grading needs the assignment")
    from autograder.engine.carried import course_functions

    functions = course_functions(assignment)
    if name not in functions:
        raise ImportError(f"{name} is not a function of a notebook before {assignment}")
    return functions[name]


def show_check_failures_plainly():
    """In IPython, show a failed check as its message only: a traceback would show this module."""
    try:
        shell = sys.modules["IPython"].get_ipython()
    except (KeyError, AttributeError):
        return
    if shell is not None and CheckFailed not in getattr(shell, "custom_exceptions", ()):
        shell.set_custom_exc((CheckFailed,), plain_check_failure)


def plain_check_failure(shell, etype, value, tb, tb_offset=None):
    """IPython's handler of CheckFailed: shows the error line, no frames."""
    shell._showtraceback(etype, value, [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"])
