"""Carried-forward work: the functions a notebook may take from the earlier notebooks of the course
(`from mywork import rnn_forward`). Under grading the references stand in for them, served to
the kernel by the judge (autograder.kernel.course_function), so that one mistake costs points once.
"""


def course_functions(assignment):
    """name -> reference of every function a notebook of `assignment` may take from an earlier
    notebook: the function of each exercise of the assignments before it, by the name its answer
    cell defines (softmax_columns defines `softmax`); where two define a name, the later one.

    Never a function of `assignment` itself or of a later one.
    """
    from autograder.engine.registry import EXERCISES, load_exercises
    from course.outline import assignments, exercise_markers

    order = assignments()
    if assignment not in order:
        raise KeyError(f"no assignment named {assignment!r}")
    if not EXERCISES:
        load_exercises()
    found = {}
    for name, lesson in exercise_markers():
        if order.index(lesson) < order.index(assignment):
            reference = EXERCISES[name].reference
            found[reference.__name__] = reference
    return found
