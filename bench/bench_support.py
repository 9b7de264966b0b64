"""What the Python benchmarks share: a scratch database on TEST_DATABASE_URL's server and a
running streamscope-api over it."""
import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid


def psql(url, sql):
    return subprocess.run(["psql", url, "-XAtq", "-c", sql], check=True, capture_output=True,
                          text=True).stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def scratch_database(prefix):
    """A new database on the server of TEST_DATABASE_URL (its URL), dropped afterwards."""
    admin = os.environ["TEST_DATABASE_URL"]
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    psql(admin, f"CREATE DATABASE {name}")
    try:
        yield "postgresql://" + re.sub(r"/[^/?]*(\?|$)", "/" + name + r"\1",
                                       admin.replace("postgresql://", "", 1), count=1)
    finally:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextlib.contextmanager
def running_api(binary, database_url):
    """streamscope-api on a free loopback port with 2 threads (its base URL), once it answers."""
    port = free_port()
    api = subprocess.Popen([binary], env=dict(os.environ, DATABASE_URL=database_url,
                                              API_PORT=str(port), API_HOST="127.0.0.1",
                                              API_THREADS="2", LOG_LEVEL="warn"),
                           cwd=tempfile.gettempdir())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # it answers (503 would say the database is down: the routes will tell)
            except OSError:
                if api.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamscope-api did not start")
                time.sleep(0.1)
        yield base
    finally:
        api.terminate()
        api.wait(15)
