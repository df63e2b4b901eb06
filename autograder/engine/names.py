"""What the parts of a value are called, read from the reference's docstring.

Feedback says `cache[0] (a_next)` and `gradients['dWax']` rather than `output[2][0]`: the
names are those of the docstring's "Returns:" (and "Inputs:") items, `- name: description`.
A description that starts with `tuple (a_next, a_prev, ...)` or `(X, h1, h2)` names the
positions of the tuple; `list of the T_x caches of rnn_cell_forward` names each element as
that function's cache; `... from lstm_forward` (an input) takes that function's description
of the value of the same name. Dict entries are named by their keys.
"""

import inspect
import re
import sys
from dataclasses import dataclass

ITEM = re.compile(r"(\s*)- ([A-Za-z_]\w*):\s*(.*)")
SECTION = re.compile(r"\s*[A-Z][\w ]*:\s*$")
TUPLE = re.compile(r"(?:tuple\s*)?\(([^()]*)\)")
CACHES_OF = re.compile(r"^list of .*\bof (\w+)$")
FROM = re.compile(r"\bfrom (\w+)\b")
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Names:
    """The name of a value (or None) and those of its parts: tuple positions, list elements."""

    name: str | None = None
    items: tuple = ()
    element: "Names | None" = None

    def item(self, index):
        return self.items[index] if index < len(self.items) else Names()


def docstring_items(function, section):
    """[(name, description)] of the top-level `- name: description` items of a docstring section."""
    lines = (inspect.getdoc(function) or "").splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == f"{section}:") + 1
    except StopIteration:
        return []
    items, indent = [], None
    for line in lines[start:]:
        if not line.strip() or SECTION.fullmatch(line):
            break
        match = ITEM.fullmatch(line)
        if match and (indent is None or len(match[1]) <= indent):
            indent = len(match[1])
            items.append([match[2], match[3]])
        elif items:
            items[-1][1] += " " + line.strip()
    return [(name, text) for name, text in items]


def described(name, text, functions, depth=0):
    """The Names of a value called `name` that a docstring describes with `text`."""
    source = FROM.search(text)
    if source and depth < 4 and source[1] in functions:
        found = dict(docstring_items(functions[source[1]], "Returns"))
        if name in found:
            return described(name, found[name], functions, depth + 1)
    shape = TUPLE.match(text)
    if not shape:
        return Names(name)
    return Names(name, tuple(part_names(part.strip(), functions, depth) for part in shape[1].split(",")))


def part_names(text, functions, depth):
    """The Names of one position of a tuple that a docstring lists as `text`."""
    if IDENTIFIER.fullmatch(text):
        return Names(text)
    of = CACHES_OF.match(text)
    if of and depth < 4 and of[1] in functions:
        for name, description in docstring_items(functions[of[1]], "Returns"):
            if name == "cache":
                return Names(None, element=described(name, description, functions, depth + 1))
    return Names()


def course_functions(reference, uses):
    """The functions a docstring of `reference` may refer to by name."""
    module = sys.modules.get(reference.__module__)
    return {**{k: v for k, v in vars(module).items() if callable(v)}, **uses} if module else dict(uses)


def returned_names(reference, uses, expected):
    """The Names of what `reference` returned (`expected`), from its docstring."""
    functions = course_functions(reference, uses)
    items = [described(name, text, functions) for name, text in docstring_items(reference, "Returns")]
    if len(items) == 1:
        return items[0]
    if isinstance(expected, tuple) and len(items) == len(expected):
        return Names(None, tuple(items))
    return Names("the output")


def argument_names(reference, uses, names):
    """The Names of the arguments `names` of `reference`, as a tuple's, from its docstring."""
    functions = course_functions(reference, uses)
    found = dict(docstring_items(reference, "Inputs"))
    return Names(None, tuple(described(n, found.get(n, ""), functions) for n in names))


def path_name(names, path):
    """How feedback calls the part of a value at `path` (tuple/list indices and dict keys).

    For instance `cache[0] (a_next)`, `gradients['dWax']`, `caches[0][2][1] (a_prev)`.
    """
    text, last = names.name, names.name
    for step in path:
        if isinstance(step, str):
            text, last, names = f"{text or 'the output'}['{step}']", None, Names()
            continue
        if text is None:  # a position of the returned tuple: its own name
            names = names.item(step)
            if names.name is None and names.items:
                continue  # an unnamed tuple inside it (what a function that changes arguments returned)
            text = last = names.name or f"the output[{step}]"
            continue
        names = names.element if names.element is not None else names.item(step)
        text, last = f"{text}[{step}]", names.name
    text = text or "the output"
    return f"{text} ({last})" if last and last != text and not text.endswith(f"['{last}']") else text


def term_name(names, path):
    """The short name of the input at `path`: a dict key, or the name of a tuple position."""
    label = None
    for step in path:
        if isinstance(step, str):
            label, names = step, Names()
        else:
            names = names.element if names.element is not None else names.item(step)
            label = names.name or label
    return label
