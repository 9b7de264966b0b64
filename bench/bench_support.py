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


class ApiUrl(str):
    """The base URL of a running API; .pid is its process (for its memory)."""
    pid = 0


def rss_mb(pid):
    """The resident memory of process `pid`, in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextlib.contextmanager
def running_api(binary, database_url, **settings):
    """streamscope-api on a free loopback port with 2 threads (its base URL, an ApiUrl), once
    it answers. `settings`: more environment, e.g. AUTH_MODE="keys"."""
    port = free_port()
    api = subprocess.Popen([binary], env=dict(os.environ, DATABASE_URL=database_url,
                                              API_PORT=str(port), API_HOST="127.0.0.1",
                                              API_THREADS="2", LOG_LEVEL="warn", **settings),
                           cwd=tempfile.gettempdir())
    base = ApiUrl(f"http://127.0.0.1:{port}")
    base.pid = api.pid
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
