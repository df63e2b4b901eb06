"""JupyterHub for a class on one machine: `make hub` (as root) starts it with this file.

Local Unix users log in with their passwords (PAM). One of them is the instructor: their lab
opens on the folder holding the course, with nbgrader's formgrader and the repository's own
environment, so `make grade` and the nbgrader commands work in its terminal. Students are the
members of one Unix group: their lab runs in a separate student environment that holds no
answer key (no solutions/, no hidden tests), with the course's student settings (course/lab:
Validate counting every cell, no formgrader) and nbgrader's Assignment List working against the
exchange. %selfcheck is left out on a hub: it grades with the hidden tests, which a student's
own process must not hold.

Everything is set by environment variables, which `make hub` passes from its own variables:

    RNN_HUB_INSTRUCTOR    the instructor's user name (required)
    RNN_HUB_STUDENTS      the Unix group of the students                 [students]
    RNN_HUB_COURSE        the nbgrader course folder                     [the repository's course/]
    RNN_HUB_EXCHANGE      nbgrader's exchange, shared by everyone        [/srv/nbgrader/exchange]
    RNN_HUB_DIR           the hub's own files (database, cookie secret)  [/srv/rnn-hub]
    RNN_HUB_STUDENT_ENV   the students' Python environment               [$RNN_HUB_DIR/student-env]
    RNN_HUB_INSTRUCTOR_ENV  the instructor's (with this repository in it) [the repository's .venv]
    RNN_HUB_IP, RNN_HUB_PORT   where the hub listens [127.0.0.1, 8000]; the hub's API and the
                          proxy's API take the next two ports on 127.0.0.1
"""

import os
import shutil
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

REPO = Path(__file__).resolve().parent.parent
INSTRUCTOR_BIN = Path(os.environ.get("RNN_HUB_INSTRUCTOR_ENV", REPO / ".venv")) / "bin"
INSTRUCTOR = os.environ["RNN_HUB_INSTRUCTOR"]
STUDENTS = os.environ.get("RNN_HUB_STUDENTS", "students")
COURSE = Path(os.environ.get("RNN_HUB_COURSE", REPO / "course")).resolve()
EXCHANGE = Path(os.environ.get("RNN_HUB_EXCHANGE", "/srv/nbgrader/exchange"))
HUB_DIR = Path(os.environ.get("RNN_HUB_DIR", "/srv/rnn-hub"))
STUDENT_ENV = Path(os.environ.get("RNN_HUB_STUDENT_ENV", HUB_DIR / "student-env"))
IP = os.environ.get("RNN_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("RNN_HUB_PORT", "8000"))
COURSE_ID = PyFileConfigLoader("nbgrader_config.py", str(COURSE)).load_config().CourseDirectory.course_id


def exchange_settings():
    """nbgrader configuration lines that every lab of the hub shares."""
    return f"\nc.CourseDirectory.course_id = {COURSE_ID!r}\nc.Exchange.root = {str(EXCHANGE)!r}\n"


def prepare():
    """The hub's folders and the Jupyter settings of each role (rewritten at every start)."""
    HUB_DIR.mkdir(parents=True, exist_ok=True)
    HUB_DIR.chmod(0o755)
    # nbgrader's exchange: everyone writes (students submit into it, the instructor releases).
    EXCHANGE.mkdir(parents=True, exist_ok=True)
    EXCHANGE.chmod(0o777)
    # Students: the settings of `make lab` (course/lab) without its %selfcheck kernel, plus the
    # exchange. The instructor: only the lab's defaults, and the course's nbgrader configuration.
    lab_defaults = ["jupyter_lab_config.py", "settings"]
    students = lab_settings("student-jupyter", [*lab_defaults, "labconfig", "jupyter_server_config.json"])
    instructor = lab_settings("instructor-jupyter", lab_defaults)
    nbgrader_config = (REPO / "course" / "lab" / "nbgrader_config.py").read_text()
    (students / "nbgrader_config.py").write_text(nbgrader_config + exchange_settings())
    (instructor / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nload_subconfig({str(COURSE / 'nbgrader_config.py')!r})\n"
        + exchange_settings()
    )
    for folder in (students, instructor):  # a terminal keeps the lab's PATH (a login shell resets it)
        (folder / "jupyter_server_config.py").write_text(
            'c.ServerApp.terminado_settings = {"shell_command": ["/bin/bash"]}  # noqa: F821\n'
        )


def lab_settings(name, parts):
    """HUB_DIR/name (readable by all) holding the named parts of course/lab."""
    folder = HUB_DIR / name
    shutil.rmtree(folder, ignore_errors=True)
    for part in parts:
        source = REPO / "course" / "lab" / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        else:
            folder.mkdir(exist_ok=True)
            shutil.copy(source, folder / part)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def per_role(spawner):
    """Start the instructor's lab on the course with the repository's environment, a student's in
    the student environment with the student settings."""
    if spawner.user.name == INSTRUCTOR:
        spawner.cmd = [str(INSTRUCTOR_BIN / "jupyterhub-singleuser")]
        spawner.notebook_dir = str(COURSE.parent)
        spawner.environment = {
            **spawner.environment,
            "JUPYTER_CONFIG_PATH": str(HUB_DIR / "instructor-jupyter"),
            "PATH": f"{INSTRUCTOR_BIN}:/usr/local/bin:/usr/bin:/bin",
        }
    else:
        folder = str(HUB_DIR / "student-jupyter")
        spawner.cmd = [str(STUDENT_ENV / "bin" / "jupyterhub-singleuser")]
        spawner.environment = {
            **spawner.environment,
            "JUPYTER_CONFIG_PATH": folder,
            "JUPYTER_PATH": folder,
            "PATH": f"{STUDENT_ENV / 'bin'}:/usr/bin:/bin",
        }


prepare()

c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [str(REPO / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{HUB_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")

# Local Unix users and their passwords; the instructor and the students' group may log in.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {INSTRUCTOR}
c.Authenticator.admin_users = {INSTRUCTOR}
c.LocalAuthenticator.allowed_groups = {STUDENTS}

# Each user's lab runs as that user (the hub runs as root), in their home folder.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.pre_spawn_hook = per_role
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300  # a lab's first start on a busy machine
c.Spawner.http_timeout = 300
