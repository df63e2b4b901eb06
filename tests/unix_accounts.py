"""Real Unix accounts for the tests of a class (as root): created for a test, removed after it.

Every account carries a mark in its comment field, so an account of an earlier, interrupted run
is recognised and removed, and an account of a real person is never touched.
"""

import contextlib
import grp
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

MARK = "rnn-from-scratch test account"
PASSWORD = "a-test-password-1"


def run(*command, **options):
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


@contextlib.contextmanager
def class_accounts(instructor, students, group):
    """Yield a world-readable scratch folder whose home/ holds the accounts of a class: the
    instructor and the students (members of `group`), all with PASSWORD. Removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="rnn-class-test-"))
    base.chmod(0o755)
    (base / "home").mkdir(mode=0o755)
    everyone = (instructor, *students)
    for name in everyone:
        remove_account(name)
    try:
        grp.getgrnam(group)
    except KeyError:
        run("groupadd", group)
    try:
        for name in everyone:
            groups = [] if name == instructor else ["-G", group]
            home = base / "home" / name
            run("useradd", "-m", "-d", str(home), "-s", "/bin/bash", "-c", MARK, *groups, name)
            run("chpasswd", input=f"{name}:{PASSWORD}\n")
        yield base
    finally:
        for name in everyone:
            remove_account(name)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def remove_account(name):
    """Remove a leftover account of an earlier run (and only an account a test created)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    if entry.pw_gecos != MARK:
        pytest.fail(f"a user {name} exists that no test created; remove it or rename the test's users")
    for _attempt in range(50):
        if not kill_processes_of(entry.pw_uid):
            break
        time.sleep(0.2)
    run("userdel", "--force", name)


def processes_of(uid, command=""):
    """The ids of the processes of a user whose command line contains `command`."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            owner = process.stat().st_uid
            line = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if owner == uid and command in line:
            found.append(int(process.name))
    return found


def kill_processes_of(uid):
    """SIGKILL every process of a test account; return how many there were."""
    found = processes_of(uid)
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(found)


def as_user(user, path):
    """Give a file or a folder (recursively) to a user, as if they had written it."""
    entry = pwd.getpwnam(user)
    for item in [Path(path), *Path(path).rglob("*")] if Path(path).is_dir() else [Path(path)]:
        os.chown(item, entry.pw_uid, entry.pw_gid)
