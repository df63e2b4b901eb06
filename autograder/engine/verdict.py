"""How an answer is judged: run the student's function and the reference on the same seeded
cases, compare, and explain what failed, in the student's terms.

A wrong output is described by the docstring names of the returned values (names.py). Each
wrong value is explained, where possible, by a known mistake that reproduces it and keeps the
right values right; otherwise by another value of one argument that gives it (options.py), or
by what it is (relations.py: a negative, a multiple, a transpose, one step late...) and by which
input's term is wrong (terms.py: probes with one input switched off). A hint is only ever about
what failed: a mutated argument or a warning is named as such, and a known mistake is named for
them only when it makes the same mutation or the same warning.
"""

import functools

import numpy as np

from autograder.engine.compare import as_numbers, matches, mutation_problem, output_problems, part
from autograder.engine.names import Names, argument_names, docstring_items, path_name, returned_names
from autograder.engine.options import other_value_line
from autograder.engine.registry import MISTAKES
from autograder.engine.relations import relation
from autograder.engine.seeds import case_seed
from autograder.engine.terms import mending_terms, simple_inputs_line, terms
from autograder.kernel.calls import argument_names as parameter_names
from autograder.kernel.calls import error_message, run

LISTED = 8  # wrong values named in a message at most
RELATIONS = 3  # sentences about what wrong values are, at most


def result(exercise, outcome):
    """What a call produced: its return value; for a function meant to change arguments, those
    arguments after the call, then what it returned (when its docstring says it returns anything)."""
    if exercise.mutates:
        changed = tuple(outcome.args_after[i] for i in exercise.mutates)
        return (*changed, outcome.value) if returns_something(exercise.reference) else changed
    return outcome.value


@functools.cache
def returns_something(reference):
    return bool(docstring_items(reference, "Returns"))


def same(exercise, got, expected):
    """True when two answers agree both ways: one in a list and one in an array are not the same
    answer, although an array of numbers may stand where a list of them is expected."""
    return matches(got, expected, exercise.rtol, exercise.atol) and matches(
        expected, got, exercise.rtol, exercise.atol
    )


def same_changes(exercise, case, after, theirs):
    """True when two calls left the arguments that are data (arrays, lists, dicts) in the same state."""
    kept = [i for i, value in enumerate(case.args) if isinstance(value, (np.ndarray, list, tuple, dict))]
    return same(exercise, [after[i] for i in kept], [theirs[i] for i in kept])


def listed(names):
    names = list(names)
    if len(names) > LISTED:
        names = [*names[: LISTED - 1], f"{len(names) - LISTED + 1} more"]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def value_names(exercise, function, case, expected):
    """The Names of what a call produces (result): the changed arguments by their names, and
    the return values by the docstring's names."""
    if not exercise.mutates:
        return returned_names(exercise.reference, exercise.uses, expected)
    names = parameter_names(function, len(case.args))
    changed = tuple(Names(names[i]) for i in exercise.mutates)
    if len(expected) == len(changed):
        return Names(None, changed)
    return Names(None, (*changed, returned_names(exercise.reference, exercise.uses, expected[-1])))


def known_mistakes(exercise, case, explains):
    """The descriptions of the known mistakes whose outcome explains(outcome) accepts."""
    for description, wrong in MISTAKES.get(exercise.name, []):
        outcome = run(wrong, case.args)
        if outcome.error is None and explains(outcome):
            yield description


def mistake_lines(descriptions):
    return [f"This looks like a known mistake: {d}." for d in descriptions]


def output_hints(exercise, function, case, got, expected, leaves, names):
    """The lines that explain wrong returned values: which, known mistakes, relations, terms."""
    wrong = [path for path, problem in leaves if problem]
    name = lambda path: path_name(names, path)  # noqa: E731
    at = lambda value, path: as_numbers(part(value, path))  # noqa: E731 (a list of losses as an array)
    lines = []
    if len(leaves) > 1:
        rest = "" if len(wrong) == len(leaves) else "; everything else is right"
        lines.append(f"Wrong: {listed(map(name, wrong))}{rest}.")
    explained = mistakes_per_value(exercise, case, got, expected, leaves)
    for description, paths in explained.items():
        where = "" if len(paths) == len(wrong) else f" in {listed(map(name, paths))}"
        lines.append(f"This looks like a known mistake{where}: {description}.")
    rest = [p for p in wrong if not any(p in paths for paths in explained.values())]
    if not rest:
        return lines
    option = not explained and other_option(exercise, function, case, got)
    if option:
        return [*lines, option]
    problems = dict(leaves)
    lines += [f"Also, {problems[p]}." for p in rest[1:] if not comparable(at(got, p), at(expected, p))][
        :RELATIONS
    ]
    args_names = argument_names(exercise.reference, exercise.uses, parameter_names(function, len(case.args)))
    inputs = [(t.label, part(case.args, t.paths[0])) for t in terms(case.args, args_names) if t.index is None]
    outputs = [(name(p), at(expected, p)) for p, _ in leaves]
    found = {
        name(p): relation(
            name(p),
            p[-1] if p and isinstance(p[-1], str) else None,
            at(got, p),
            at(expected, p),
            inputs,
            outputs,
            exercise.rtol,
            exercise.atol,
        )
        for p in rest
    }
    lines += relation_lines({key: sentence for key, sentence in found.items() if sentence})[:RELATIONS]
    table = simple_inputs_line(exercise, function, case.args, args_names)
    lines += [table] if table else []
    comparable_rest = [p for p in rest if comparable(at(got, p), at(expected, p))]
    if comparable_rest:
        lines += term_lines(exercise, function, case, expected, comparable_rest, name)
    return lines


def relation_lines(sentences):
    """The relations' sentences ({value's name: sentence}), the same sentence said once of several
    values: 'Each of your clipped['dWax'] and clipped['dWaa'] is 0.45 times the expected one.'"""
    grouped = {}
    for value, sentence in sentences.items():
        own = f"your {value} "
        tail = sentence[len(own) :] if sentence.startswith(own) else None
        grouped.setdefault(tail or sentence, []).append(value)
    lines = []
    for tail, values in grouped.items():
        if len(values) > 1:
            lines.append(f"Each of your {listed(values)} {tail}.")
        else:
            sentence = sentences[values[0]]
            lines.append(sentence[0].upper() + sentence[1:] + ".")
    return lines


def mistakes_per_value(exercise, case, got, expected, leaves):
    """{description: the wrong paths it explains} of the known mistakes that explain wrong values:
    a mistake reproduces the values of those paths, and keeps every right value right."""
    wrong = [path for path, problem in leaves if problem]
    right = [path for path, problem in leaves if not problem]
    explained = {}
    for description, wrong_function in MISTAKES.get(exercise.name, []):
        outcome = run(wrong_function, case.args)
        if outcome.error is not None:
            continue
        theirs = result(exercise, outcome)
        reproduced = [p for p in wrong if same(exercise, part(got, p), part(theirs, p))]
        if reproduced and all(same(exercise, part(theirs, p), part(expected, p)) for p in right):
            explained.setdefault(description, reproduced)
    return {  # a mistake that explains only part of what another explains is not the student's
        description: paths
        for description, paths in explained.items()
        if not any(set(paths) < set(other) for other in explained.values())
    }


def comparable(got, expected):
    """True for a wrong value that has the expected structure, shape and dtype (only its numbers differ)."""
    if isinstance(expected, np.ndarray):
        return type(got) is np.ndarray and got.shape == expected.shape and expected.dtype.kind in "fc"
    return isinstance(expected, (float, np.floating)) and isinstance(got, (int, float, np.number))


def term_lines(exercise, function, case, expected, wrong, name, mended=None):
    """'With Waa = 0, your a_next is right: what Waa contributes to it is wrong.' (terms.py)

    With `mended` (a case whose answer is verified, not compared), the answer as a whole."""
    args_names = argument_names(exercise.reference, exercise.uses, parameter_names(function, len(case.args)))
    labels = mending_terms(
        exercise, function, case.args, args_names, wrong, lambda o: result(exercise, o), mended, expected
    )
    if not labels:
        return []
    switched = " (or ".join(f"{label} = 0" for label in labels) + ")" * (len(labels) > 1)
    what = listed(labels).replace(" and ", " or ")
    if mended is not None:
        return [f"With {switched}, your {exercise.name} passes this check: what {what} contributes is wrong."]
    if len(wrong) > 2:
        values, pronoun = "every wrong value above is", "them"
    else:
        values = f"your {listed(map(name, wrong))} {'is' if len(wrong) == 1 else 'are'}"
        pronoun = "it" if len(wrong) == 1 else "them"
    return [f"With {switched}, {values} right: what {what} contributes to {pronoun} is wrong."]


def verified_hints(exercise, function, case, got, expected):
    """The lines that explain an answer that a case's verify() refused: a known mistake that gives
    the same answer, or else the inputs whose switching off makes it pass."""
    known = mistake_lines(known_mistakes(exercise, case, lambda o: same(exercise, got, result(exercise, o))))
    if known:
        return known[:1]
    option = other_option(exercise, function, case, got)
    if option:
        return [option]

    def mended(got, expected, probe):
        return case.verify(got, expected, probe, lambda *args: run(function, args)) is None

    return term_lines(exercise, function, case, expected, [()], None, mended)


def other_option(exercise, function, case, got):
    """'Your answer is the expected one for nonlinearity = 'sigmoid', but ...' (options.py), or None."""
    return other_value_line(
        exercise,
        case,
        got,
        lambda mine, theirs: same(exercise, mine, theirs),
        lambda outcome: result(exercise, outcome),
        parameter_names(function, len(case.args)),
    )


def case_problem(exercise, function, case):
    """Why the student's function fails one case, or None."""
    outcome = run(function, case.args)
    if outcome.error is not None:
        return error_message(exercise.name, outcome.error)
    got, expected = result(exercise, outcome), result(exercise, run(exercise.reference, case.args))
    label = f" for {case.label}" if case.label else ""

    def failed(problem, hints):
        return "\n".join([f"{exercise.name}{label}: {problem}.", *hints])

    if not exercise.mutates:
        problem = mutation_problem(case.args, outcome.args_after, parameter_names(function, len(case.args)))
        if problem:
            return failed(
                problem,
                mistake_lines(
                    known_mistakes(
                        exercise,
                        case,
                        lambda o: same_changes(exercise, case, outcome.args_after, o.args_after),
                    )
                )[:1],
            )
    if case.verify is not None:
        problem = case.verify(got, expected, case.args, lambda *args: run(function, args))
        if problem:
            return failed(problem, verified_hints(exercise, function, case, got, expected))
    else:
        names = value_names(exercise, function, case, expected)
        leaves = list(
            output_problems(got, expected, lambda path: path_name(names, path), exercise.rtol, exercise.atol)
        )
        problem = next((p for _, p in leaves if p), None)
        if problem:
            return failed(problem, output_hints(exercise, function, case, got, expected, leaves, names))
    if case.no_warnings and outcome.warning:

        def same_warning(theirs):
            return theirs.warning == outcome.warning and same(exercise, got, result(exercise, theirs))

        return failed(
            f"it warned `{outcome.warning}`", mistake_lines(known_mistakes(exercise, case, same_warning))[:1]
        )
    return None


def first_problem(exercise, function, seed=None):
    """(the first problem of function over the exercise's cases drawn with seed (default: the
    course's shared cases, seeds.py) or None, number of cases)."""
    rng = np.random.default_rng(case_seed(exercise.name) if seed is None else seed)
    cases = list(exercise.cases(rng))
    return next((p for p in (case_problem(exercise, function, c) for c in cases) if p), None), len(cases)


def passed_message(name, count):
    return f"{name}: all {count} hidden checks passed."
