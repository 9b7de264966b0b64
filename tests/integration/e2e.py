"""What every end-to-end test shares: checks that print and count, a fresh database of its own
on TEST_DATABASE_URL's server, free ports, and the main that runs a test and turns a crash into
a failure with its reason."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import uuid

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def psql(url, sql):
    out = subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True)
    if out.returncode != 0:
        # What the server said; the exception alone names only the command.
        sys.stderr.write(f"psql failed: {out.stderr}")
        out.check_returncode()
    return out.stdout.strip()


class Database:
    @classmethod
    def attach(cls, url):
        """A database that exists already (not dropped by this object)."""
        db = cls.__new__(cls)
        db.name, db.url = None, url
        return db

    def __init__(self, prefix="streamscope_it"):
        self.admin = os.environ["TEST_DATABASE_URL"]
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        psql(self.admin, f"CREATE DATABASE {self.name}")
        self.url = re.sub(r"/[^/?]*(\?|$)", "/" + self.name + r"\1",
                          self.admin.replace("postgresql://", "", 1), count=1)
        self.url = "postgresql://" + self.url

    def query(self, sql):
        return psql(self.url, sql)

    def json(self, sql):
        return json.loads(self.query(sql) or "null")

    def drop(self):
        psql(self.admin, f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(label, body, database=True, cleanup=None, prefix=None):
    """Runs body(work, db), or body(work) without a database, in a temporary folder, then exits
    0 when every check passed. A crash is a failure with its reason, never a pass; after any
    failure the end of each *.log file in the folder is printed. cleanup(work) runs last, also
    after a crash."""
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        os.chmod(work, 0o755)  # PostgreSQL clusters started as user postgres when we are root
        db = Database() if database else None
        try:
            if database:
                body(work, db)
            else:
                body(work)
        except Exception as e:
            check(False, f"{label} raised {type(e).__name__}: {e}")
        finally:
            if cleanup:
                cleanup(work)
            if failures:
                for name in sorted(os.listdir(work)):
                    if name.endswith(".log"):
                        with open(os.path.join(work, name), errors="replace") as log:
                            print(f"--- {name}\n" + log.read()[-3000:])
            if db:
                db.drop()
    print(f"{label}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)
