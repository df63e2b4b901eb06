"""An argument that the student's function does not use as it should: the wrong answer is the
reference's answer for another value of one argument, one of the values its docstring names
("sigmoid" or "relu") or its default in the reference's signature:

    Your answer is the expected one for nonlinearity = 'sigmoid', but this case has
    nonlinearity = 'relu': is nonlinearity used as it should be?
"""

import inspect
import re

from autograder.engine.names import docstring_items
from autograder.kernel.calls import run

QUOTED = re.compile(r"""["']([^"'\s]+)["']""")


def other_values(reference, index, value):
    """Values that the reference's argument number `index` may take besides `value`: the quoted
    words of its docstring item (for a string argument), its default."""
    parameters = list(inspect.signature(reference).parameters.values())
    if index >= len(parameters):
        return []
    parameter = parameters[index]
    found = []
    if isinstance(value, str):
        text = dict(docstring_items(reference, "Inputs")).get(parameter.name, "")
        found = QUOTED.findall(text)
    if parameter.default is not inspect.Parameter.empty and isinstance(parameter.default, (str, int, float)):
        found.append(parameter.default)
    return [v for v in dict.fromkeys(found) if type(v) is type(value) and v != value]


def other_value_line(exercise, case, got, same, result, names):
    """The sentence above when one other value of one argument gives exactly the student's answer,
    else None. same(got, expected) compares answers; result(outcome) is what a call produced."""
    for index, value in enumerate(case.args):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            continue
        for other in other_values(exercise.reference, index, value):
            probe = (*case.args[:index], other, *case.args[index + 1 :])
            outcome = run(exercise.reference, probe)
            if outcome.error is None and same(got, result(outcome)):
                name = names[index]
                return (
                    f"Your answer is the expected one for {name} = {other!r}, but this case has "
                    f"{name} = {value!r}: is {name} used as it should be?"
                )
    return None
