"""Who the learner is, for the hidden-test cases drawn for them (autograder/engine/seeds.py).

The self-check grades a notebook as this student, and %check (which runs check() in the
learner's kernel) draws for the same one, so the two agree.
"""

import getpass
import os
import re

LEARNER_ENV = "RNN_LEARNER"


def learner():
    """RNN_LEARNER when set; else the JupyterHub user (the student id nbgrader's exchange gives
    them on a hub); else the name of the OS user."""
    return student_id(os.environ.get(LEARNER_ENV) or os.environ.get("JUPYTERHUB_USER") or getpass.getuser())


def named_learner():
    """The learner RNN_LEARNER names, or None (then check() draws the course's shared cases)."""
    name = os.environ.get(LEARNER_ENV)
    return student_id(name) if name else None


def student_id(name):
    """name as an nbgrader student id (a folder name): letters, digits and . _ - @ + only."""
    return re.sub(r"[^\w.@+-]", "_", name).strip(".") or "learner"
