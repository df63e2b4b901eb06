"""The student workspace: the student's own copies of the release notebooks.

    python -m course.workspace               copy in what is missing; report newer releases
    python -m course.workspace --take NAME   take the newer release of assignment NAME,
                                             keeping your version beside it

A student's notebook is never overwritten. `make lab` runs the first form every time. When
the course publishes a newer release of a notebook the student already has, the new version
is saved beside theirs and they are told; --take swaps it in and renames theirs.

A workspace holds one folder per assignment, <workspace>/<name>/<name>.ipynb, as the release
does. carried_from() says which earlier notebook's exercise a later notebook's
`from mywork import NAME` means (mywork.py loads it; the grader's references stand in for it).
"""

import argparse
import ast
import hashlib
import json
import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path

COURSE = Path(__file__).resolve().parent  # as course.build has it; importing that takes seconds
WORKSPACE = COURSE.parent / "workspace"
RECORD = ".releases.json"  # for each file copied in: the digest of the release it came from


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def release_files():
    """(relative path, release path) of every file of every released assignment."""
    release = COURSE / "release"
    return [(path.relative_to(release), path) for path in sorted(release.glob("*/*")) if path.is_file()]


def assignments():
    """The names of the released assignments, in course order: '01_spiral_and_activations', ..."""
    return sorted(path.name for path in (COURSE / "release").iterdir() if path.is_dir())


def notebook_path(folder, name):
    """Where a course folder (a workspace, course/source, course/release) keeps notebook `name`."""
    return Path(folder) / name / f"{name}.ipynb"


def exercise_functions(notebook):
    """{function name: exercise name} of a notebook's graded answer cells.

    An exercise's answer cell has grade id NAME and a hidden-test cell NAME_tests; the function
    is the one the answer cell defines (exercise softmax_columns defines `softmax`).
    """
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    grade_ids = {cell["metadata"].get("nbgrader", {}).get("grade_id") for cell in cells}
    functions = {}
    for cell in cells:
        nbgrader = cell["metadata"].get("nbgrader", {})
        if nbgrader.get("solution") and f"{nbgrader['grade_id']}_tests" in grade_ids:
            for node in ast.parse("".join(cell["source"])).body:
                if isinstance(node, ast.FunctionDef):
                    functions[node.name] = nbgrader["grade_id"]
    return functions


def course_exercises():
    """(assignment, {function name: exercise name}) of every released notebook, in course order."""
    return [(name, exercise_functions(notebook_path(COURSE / "release", name))) for name in assignments()]


def carried_from(name, function):
    """(assignment, exercise) that `from mywork import <function>` means in notebook `name`.

    It is the exercise of the latest notebook before `name` (before none: of any notebook)
    whose answer cell defines `function`, so `softmax` is notebook 02's in 03 and 04's later.
    Raises LookupError, saying why, for a function of this or a later notebook, or of none.
    """
    course = course_exercises()
    names = [assignment for assignment, _ in course]
    position = names.index(name) if name in names else len(names)
    for assignment, functions in reversed(course[:position]):
        if function in functions:
            return assignment, functions[function]
    for assignment, functions in course[position:]:
        if function in functions:
            where = "this notebook" if assignment == name else f"notebook {assignment}, after this one"
            raise LookupError(
                f"{function} is an exercise of {where}: mywork gives you your functions of earlier notebooks"
            )
    known = sorted({f for _, functions in course[:position] for f in functions})
    raise LookupError(
        f"no notebook before this one has a function {function!r}; "
        + (f"mywork has: {', '.join(known)}" if known else "this is the first notebook")
    )


def newer_copy(relative):
    """Where a newer release of a file the student already has is saved."""
    return relative.with_name(f"{relative.stem} (newer release){relative.suffix}")


def sync(workspace=WORKSPACE):
    """Copy missing release files into the workspace; return what the student should be told."""
    record_path = workspace / RECORD
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    messages = []
    for relative, source in release_files():
        target = workspace / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            record[str(relative)] = digest(source)
            messages.append(f"new: {relative}")
        elif record.get(str(relative)) not in (None, digest(source)):
            shutil.copy2(source, workspace / newer_copy(relative))
            where = "" if workspace.resolve() == WORKSPACE else f" --workspace {shlex.quote(str(workspace))}"
            messages.append(
                f"A newer release of {relative} is saved beside yours as '{newer_copy(relative).name}'.\n"
                f"  Your notebook is unchanged. To switch to the new one (yours is kept, renamed):\n"
                f"  .venv/bin/python -m course.workspace --take {relative.parent}{where}"
            )
    workspace.mkdir(parents=True, exist_ok=True)
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True))
    return messages


def take(name, workspace=WORKSPACE):
    """Swap in the newer release of assignment `name`; the student's version is renamed, not lost."""
    record_path = workspace / RECORD
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    stamp = datetime.now().strftime("%Y-%m-%d %H%M")
    taken = []
    for relative, source in release_files():
        if relative.parts[0] != name or record.get(str(relative)) == digest(source):
            continue
        target = workspace / relative
        if target.exists():
            target.rename(target.with_name(f"{relative.stem} (mine, {stamp}){relative.suffix}"))
        (workspace / newer_copy(relative)).unlink(missing_ok=True)
        shutil.copy2(source, target)
        record[str(relative)] = digest(source)
        taken.append(str(relative))
    record_path.write_text(json.dumps(record, indent=1, sort_keys=True))
    return taken


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--take", metavar="NAME", help="take the newer release of this assignment")
    parser.add_argument("--workspace", type=Path, default=WORKSPACE, help="the workspace folder")
    args = parser.parse_args(argv)
    if args.take:
        taken = take(args.take, args.workspace)
        print(
            "\n".join(f"took the newer release of {t}; yours is kept beside it" for t in taken)
            or f"nothing newer to take for {args.take}"
        )
        return 0
    for message in sync(args.workspace):
        print(message)
    print(f"Workspace: {args.workspace}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
