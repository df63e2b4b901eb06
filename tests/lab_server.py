"""The real `make lab`, started as a student starts it, for the tests that need a running lab."""

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port(count=1):
    """A free port on 127.0.0.1 whose next count - 1 ports are free too."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + count <= 65536 and all(is_free(port + offset) for offset in range(1, count)):
            return port


def is_free(port):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


class Lab:
    """`TOKEN=... make lab PORT=... WORKSPACE=...` in a subprocess of its own process group.

    Jupyter's per-user folders point into `home`, so the lab starts as on a newcomer's machine.
    Use as a context manager; `output` is everything make and Jupyter printed so far.
    """

    def __init__(self, workspace, home, token="browser-test-token", timeout=300, ports=1):
        self.workspace, self.home, self.token, self.timeout = Path(workspace), Path(home), token, timeout
        self.port = free_port(ports)
        self.url = f"http://127.0.0.1:{self.port}"
        self.lines = []
        self.process = None
        self.reader = None

    @property
    def output(self):
        return "".join(self.lines)

    def env(self):
        env = dict(os.environ)
        for variable, folder in [
            ("JUPYTER_CONFIG_DIR", "jupyter-config"),
            ("JUPYTER_DATA_DIR", "jupyter-data"),
            ("JUPYTER_RUNTIME_DIR", "jupyter-runtime"),
            ("IPYTHONDIR", "ipython"),
        ]:
            env[variable] = str(self.home / folder)
        for variable in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # not a sub-make of `make test`
            env.pop(variable, None)
        env["TOKEN"] = self.token  # as the README says: never on a command line
        return env

    @property
    def name(self):
        return " ".join(self.command()[:2])

    def command(self):
        return ["make", "lab", f"PORT={self.port}", f"WORKSPACE={self.workspace}"]

    def ready(self):
        return self.api("status") is not None

    def start(self):
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._collect, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + self.timeout
        while not self.ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.process.returncode}):\n{self.output}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: {self.url} silent for {self.timeout} s:\n{self.output}")
            time.sleep(0.25)
        return self

    def command_lines(self):
        """The command lines of make and of every process it started (its process group)."""
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and os.getpgid(int(proc.name)) == self.process.pid:
                    found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except (OSError, ProcessLookupError):  # a process that ended meanwhile
                continue
        return found

    def _collect(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def api(self, path):
        """GET /api/<path> as JSON, or None while the server is not answering."""
        request = urllib.request.Request(
            f"{self.url}/api/{path}", headers={"Authorization": f"token {self.token}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)
        except (OSError, urllib.error.URLError, ValueError):
            return None

    def status_of(self, path):
        """The HTTP status of a GET of a page of the server (with the token)."""
        try:
            with urllib.request.urlopen(f"{self.url}/{path}?token={self.token}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def stop(self):
        """Stop make and Jupyter (which shuts its kernels down first); wait until they are gone."""
        if self.process is None:
            return
        group = self.process.pid  # start_new_session: make leads a process group of its own
        for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and not self._gone(group):
                time.sleep(0.1)
            if self._gone(group):
                break
        self.process.wait(timeout=10)
        self.reader.join(timeout=10)  # the rest of what they printed

    def _gone(self, group):
        if self.process.poll() is None:
            return False
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        return False

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
