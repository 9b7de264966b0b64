"""What the Python benchmarks share: a scratch database on TEST_DATABASE_URL's server and a
running streamscope-api over it."""
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from e2e import Database, free_port, psql  # noqa: E402,F401  (psql: for the benchmarks)


@contextlib.contextmanager
def scratch_database(prefix):
    """A new database on the server of TEST_DATABASE_URL (its URL), dropped afterwards."""
    db = Database(prefix)
    try:
        yield db.url
    finally:
        db.drop()


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
