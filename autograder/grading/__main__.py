"""Grade a class with nbgrader: in parallel, each notebook in a sandbox, with feedback and grades.csv.

    python -m autograder.grading release
    python -m autograder.grading grade SUBMISSIONS [--course DIR] [--assignment NAME] [--workers N]
                                     [--timeout S] [--notebook-timeout S] [--memory MB] [--cpu S]
                                     [--scheduler ADDRESS] [--force] [--no-feedback]
                                     [--skip-unknown-assignments]

`release` builds the student release of every assignment (course.build). `grade` reads the
submissions (nbgrader's submitted/<student>/<assignment>/ layout, a folder of notebooks, or a
zip as an LMS exports it: see autograder/grading/intake.py), copies them into the course's submitted/,
and autogrades each with nbgrader in one of N worker processes (or on a Dask cluster with
--scheduler: autograder/grading/dask.py). Each worker has a scratch copy of the course and its
gradebook; the main process alone writes the results into the course's gradebook, so the
gradebook stays consistent. Each notebook runs in the grading
sandbox (bubblewrap: autograder/sandbox/kernels.py) and its hidden tests are judged
outside the student's kernel (autograder/sandbox/judge.py). Feedback pages come from nbgrader
generate_feedback, grades.csv from the course gradebook (nbgrader export's columns, quoted).

A submission is graded again only when its notebook, the course or the grader changed since
it was last graded, or when the gradebook no longer holds its grades (or with --force): grading
one late submission does not regrade the class. So a run stopped by Ctrl-C, a crash or kill -9
is resumed by running the same command again: it grades exactly what is missing.
"""

import argparse
import sys

from autograder.grading import intake
from autograder.grading.config import DEFAULT_COURSE, Settings
from autograder.grading.run import GradingError, Interrupted, grade

# ---------------------------------------------------------------- command line


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m autograder.grading", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("release", help="build the student release of every assignment")
    grading = commands.add_parser("grade", help="autograde submissions, write feedback and grades.csv")
    grading.add_argument("submissions", help="submitted/ folder, folder of notebooks, or LMS zip")
    grading.add_argument("--course", default=str(DEFAULT_COURSE), help="the nbgrader course folder")
    grading.add_argument("--assignment", help="all the notebooks are for this assignment")
    grading.add_argument("--workers", type=int, default=0, help="parallel workers (default: one per core)")
    grading.add_argument("--timeout", type=int, default=0, help="seconds per cell (default: the course's)")
    grading.add_argument(
        "--notebook-timeout",
        type=int,
        default=Settings.notebook_timeout,
        help="seconds of grading per notebook; one that takes longer is not graded (default: %(default)s)",
    )
    grading.add_argument(
        "--scheduler",
        default="",
        help="grade on the Dask cluster of this scheduler (tcp://HOST:8786) instead of local workers",
    )
    grading.add_argument("--memory", type=int, default=0, help="MB per kernel (default: the course's)")
    grading.add_argument("--cpu", type=int, default=0, help="CPU seconds per kernel (default: the course's)")
    grading.add_argument(
        "--unsandboxed", action="store_true", help="grade where bubblewrap is missing (never a class's work)"
    )
    grading.add_argument("--force", action="store_true", help="regrade submissions graded before")
    grading.add_argument("--no-feedback", action="store_true", help="do not generate feedback pages")
    grading.add_argument("--csv", help="where to write the grades (default: <course>/grades.csv)")
    grading.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    grading.add_argument(
        "--skip-unknown-assignments",
        action="store_true",
        help="grade the rest when a folder names no assignment of the course (they are listed)",
    )
    args = parser.parse_args(argv)
    if args.command == "release":
        from course import build

        return build.main([])
    settings = Settings(
        workers=args.workers,
        timeout=args.timeout,
        memory=args.memory,
        cpu=args.cpu,
        feedback=not args.no_feedback,
        notebook_timeout=args.notebook_timeout,
        scheduler=args.scheduler,
        sandbox=not args.unsandboxed,
    )
    try:
        summary = grade(
            args.submissions,
            args.course,
            args.assignment,
            settings,
            args.force,
            args.csv,
            args.quiet,
            args.skip_unknown_assignments,
        )
    except (intake.IntakeError, GradingError) as error:
        print(f"Cannot grade: {error}", file=sys.stderr)
        return 2
    except Interrupted as stopped:
        again = "Run the same command again to grade what is missing (and to write grades.csv)."
        print(f"\nInterrupted. {stopped}.\n{again}", file=sys.stderr)
        return 130
    return 1 if summary.errors else 0


if __name__ == "__main__":
    sys.exit(main())
