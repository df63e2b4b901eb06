"""The summary of a grading run: a table of students by assignments and one line per problem."""

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.config import Settings

# ---------------------------------------------------------------- the summary


@dataclass
class Summary:
    results: dict  # "student/assignment" -> result
    assignments: list
    settings: Settings
    seconds: float
    graded: int
    csv: Path

    def failures(self):
        """One line per submission that lost points or met trouble."""
        lines = []
        for where, result in sorted(self.results.items()):
            if result.get("error"):
                lines.append(f"{where}: NOT GRADED: {result['error']}")
                continue
            reasons = [note[0] for note in result.get("notes", [])]
            reasons += [f"{kind}: {line}" for kind, line in result.get("incidents", [])]
            lost = result.get("lost", [])
            unreadable = any(reason.startswith("not graded as submitted") for reason in reasons)
            if lost and not unreadable:
                first_cell, first_message = lost[0]
                message = first_message.splitlines()[0] if first_message else ""
                more = f" (and {len(lost) - 1} more)" if len(lost) > 1 else ""
                reasons.append(f"lost points in {first_cell}: {message}{more}")
            if reasons:
                score = f"{result['score']:g}/{result['max_score']:g}"
                lines.append(shorten(f"{where} {score}: " + "; ".join(reasons), 220))
        return lines

    def table(self):
        students = sorted({where.split("/")[0] for where in self.results})
        short = {name: name.split("_")[0] for name in self.assignments}
        width = max([len("student"), *map(columns, students)])
        header = f"{'student':<{width}}  " + "  ".join(f"{short[a]:>9}" for a in self.assignments)
        rows = [header, "-" * len(header)]
        for student in students:
            cells = []
            for name in self.assignments:
                result = self.results.get(f"{student}/{name}")
                if result is None:
                    cells.append(f"{'-':>9}")
                elif result.get("error"):
                    cells.append(f"{'ERROR':>9}")
                else:
                    mark = "!" if result.get("incidents") or result.get("notes") else " "
                    cells.append(f"{result['score']:g}/{result['max_score']:g}{mark}".rjust(9))
            rows.append(student + " " * (width - columns(student) + 2) + "  ".join(cells))
        legend = ", ".join(f"{short[a]} = {a}" for a in self.assignments)
        return "\n".join(rows) + f"\n({legend}; ! = see below)"

    def text(self):
        skipped = sum(1 for r in self.results.values() if r.get("skipped"))
        head = (
            f"Graded {self.graded} submission(s) in {self.seconds:.0f} s with {self.settings.workers} "
            f"worker(s)"
            + (f"; {skipped} unchanged since the last run, not regraded" if skipped else "")
            + "."
        )
        failures = self.failures()
        body = "\n".join(f"  {line}" for line in failures) if failures else "  none"
        return (
            f"\n{head}\n\n{self.table()}\n\nLost points and incidents (one line per submission):\n{body}\n\n"
            f"Grades: {self.csv}"
        )

    @property
    def errors(self):
        return [where for where, result in self.results.items() if result.get("error")]


def columns(text):
    """How many terminal columns text takes: Chinese, Japanese and Korean characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def shorten(text, width):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
