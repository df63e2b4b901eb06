"""A real PostgreSQL server (Debian's `postgresql` package) in a temporary folder, for the tests.

initdb makes a cluster in a new temporary folder; the server listens on a free loopback port and
on a Unix socket in the folder, trusts local connections, and is stopped and removed at the
end. PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the
package creates (so the folder is not under pytest's, which only root may enter).
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from lab_server import free_port

VERSIONS = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
BIN = VERSIONS[-1].parent if VERSIONS else None


class Postgres:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="rnn-postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None

    def run(self, program, *args):
        command = [str(BIN / program), *map(str, args)]
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True)

    def url(self, database="gradebook"):
        """The SQLAlchemy URL of a database of this server (psycopg 3)."""
        return f"postgresql+psycopg://grader@127.0.0.1:{self.port}/{database}"

    def __enter__(self):
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            os.chmod(self.folder, 0o700)
        self.run("initdb", "-D", self.data, "-U", "grader", "-A", "trust", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off"
        self.run("pg_ctl", "-D", self.data, "-o", options, "-l", self.folder / "server.log", "-w", "start")
        self.run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "grader", "gradebook")
        return self

    def __exit__(self, *exc):
        if (self.data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
