"""streamscope-api from Python, for the API's end-to-end tests."""
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse

from e2e import free_port


# The API role's password in every test (tests/integration/db/api_role_test.cpp's too): the role
# belongs to the whole test server, and tests running side by side each set it.
API_ROLE_PASSWORD = "test-only-api-password"


def api_role_url(collector, database_url):
    """The DATABASE_URL of the API as every deployment runs it: the role that `streamscope-collector
    migrate` makes when given API_DATABASE_PASSWORD (it reads, and writes only api_keys)."""
    subprocess.run([collector, "migrate"], env=dict(os.environ, DATABASE_URL=database_url,
                                                    API_DATABASE_PASSWORD=API_ROLE_PASSWORD),
                   check=True, capture_output=True, timeout=120, cwd=tempfile.gettempdir())
    url = urllib.parse.urlsplit(database_url)
    host = url.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(url._replace(
        netloc=f"streamscope_api:{API_ROLE_PASSWORD}@{host}"))


class ApiProcess:
    """The real streamscope-api on a free loopback port, stopped with SIGTERM."""

    def __init__(self, binary, work, database_url, **settings):
        self.port = free_port()
        self.env = dict(os.environ, DATABASE_URL=database_url, API_HOST="127.0.0.1",
                        API_PORT=str(self.port), API_THREADS="2", API_DB_POOL_SIZE="2")
        self.env.update(settings)
        self.log = open(os.path.join(work, "api.log"), "a")
        self.proc = subprocess.Popen([binary], env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT, cwd=tempfile.gettempdir())
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("the API did not start")

    def call(self, method, path, headers=None, raw=False, body=None):
        """(status, headers, body): the body as text, or as bytes when raw."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        body = res.read()
        conn.close()
        return res.status, dict(res.getheaders()), body if raw else body.decode()

    def get_json(self, path):
        status, headers, body = self.call("GET", path)
        return status, headers, json.loads(body) if body else None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(15)
