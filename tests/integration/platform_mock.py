"""streamscope-mock from Python: starts the real binary on a free loopback port with its own
certificate, and talks to each platform it serves (Twitch at /oauth2/ and /helix/, Kick at
/oauth/token and /public/, YouTube at /youtube/v3/ and /feeds/) and to their admin APIs
(/_mock/..., /_mock/kick/..., /_mock/youtube/...)."""
import http.client
import json
import os
import ssl
import subprocess
import time
import urllib.parse

KICK_CLIENT_ID, KICK_SECRET = "it-kick-client", "it-kick-secret-do-not-log"
YOUTUBE_API_KEY = "mock-youtube-api-key"


class PlatformMock:
    def __init__(self, binary, work, *flags):
        self.ca = os.path.join(work, "mock-ca.pem")
        port_file = os.path.join(work, "mock.port")
        for stale in (self.ca, port_file):  # from an earlier mock in the same folder
            if os.path.exists(stale):
                os.remove(stale)
        self.log = open(os.path.join(work, "mock.log"), "w")
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", "--port-file", port_file, "--ca-out", self.ca,
             "--kick-client-id", KICK_CLIENT_ID, "--kick-client-secret", KICK_SECRET, *flags],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and os.path.exists(self.ca)):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("the mock did not start; see " + self.log.name)
            time.sleep(0.05)
        self.port = int(open(port_file).read().strip())
        self.url = f"https://127.0.0.1:{self.port}"
        self.tls = ssl.create_default_context(cafile=self.ca)

    def call(self, method, path, body=None, headers=None):
        """(status, headers as a dict with lower-case names, body bytes), whatever the status."""
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.tls, timeout=60)
        conn.request(method, path, body=body, headers=headers or {})
        res = conn.getresponse()
        data = res.read()
        conn.close()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, data

    def request(self, method, path, body=None):
        """An admin call: its JSON answer; raises unless 2xx."""
        status, _, data = self.call(method, path, None if body is None else json.dumps(body))
        if status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {status} {data[:200]!r}")
        return json.loads(data) if data else None

    # Twitch's admin API.
    def world(self):
        return self.request("GET", "/_mock/world")

    def stats(self):
        return self.request("GET", "/_mock/stats")

    def faults(self, rules):
        self.request("POST", "/_mock/faults", rules)

    # Kick's admin API.
    def kick_world(self):
        return self.request("GET", "/_mock/kick/world")

    def kick_stats(self):
        return self.request("GET", "/_mock/kick/stats")

    def kick_faults(self, rules):
        self.request("POST", "/_mock/kick/faults", rules)

    def kick_tick(self, n=1):
        return self.request("POST", f"/_mock/kick/world/tick?n={n}")

    def kick_revoke_tokens(self):
        return self.request("POST", "/_mock/kick/tokens/revoke")

    # Kick as a client sees it.
    def kick_token(self, client_id=KICK_CLIENT_ID, secret=KICK_SECRET,
                   grant="client_credentials"):
        """(status, JSON answer) of POST /oauth/token."""
        form = urllib.parse.urlencode({"grant_type": grant, "client_id": client_id,
                                       "client_secret": secret})
        status, _, data = self.call("POST", "/oauth/token", form,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
        return status, json.loads(data)

    def kick_get(self, path, token, params=()):
        """(status, headers, JSON answer or text) of GET path?params with the bearer token;
        params is a list of (name, value) pairs, repeated names allowed."""
        query = urllib.parse.urlencode(list(params))
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        status, res_headers, data = self.call("GET", path + ("?" + query if query else ""),
                                              headers=headers)
        try:
            body = json.loads(data)
        except ValueError:
            body = data.decode(errors="replace")
        return status, res_headers, body

    # YouTube's admin API.
    def youtube_world(self):
        return self.request("GET", "/_mock/youtube/world")

    def youtube_stats(self):
        return self.request("GET", "/_mock/youtube/stats")

    def youtube_quota(self):
        return self.request("GET", "/_mock/youtube/quota")

    def youtube_set_quota(self, **spent):
        """spent: units=N and/or search_calls=N (and key=K), for the current Pacific day."""
        return self.request("POST", "/_mock/youtube/quota", spent)

    def youtube_channel(self, channel_id, **changes):
        """changes: state="live"|"upcoming"|"ended"|"auto", viewers_hidden=bool,
        feed_status=0|4xx|5xx."""
        return self.request("POST", "/_mock/youtube/channel", {"channel_id": channel_id,
                                                                **changes})

    def youtube_advance(self, seconds):
        return self.request("POST", f"/_mock/youtube/clock/advance?seconds={seconds}")

    def youtube_faults(self, rules):
        self.request("POST", "/_mock/youtube/faults", rules)

    # YouTube as a client sees it.
    def youtube_get(self, method, params=(), key=YOUTUBE_API_KEY):
        """(status, headers, JSON answer or text) of GET /youtube/v3/<method>?params&key=..."""
        pairs = list(params) + ([("key", key)] if key is not None else [])
        status, headers, data = self.call("GET", f"/youtube/v3/{method}?"
                                          + urllib.parse.urlencode(pairs))
        try:
            return status, headers, json.loads(data)
        except ValueError:
            return status, headers, data.decode(errors="replace")

    def youtube_feed(self, channel_id):
        """(status, headers, body bytes) of GET /feeds/videos.xml?channel_id=..."""
        return self.call("GET", "/feeds/videos.xml?" + urllib.parse.urlencode(
            {"channel_id": channel_id}))

    def kick_settings(self):
        """The collector's Kick settings for this mock."""
        return {"KICK_CLIENT_ID": KICK_CLIENT_ID, "KICK_CLIENT_SECRET": KICK_SECRET,
                "KICK_API_BASE_URL": self.url, "KICK_AUTH_BASE_URL": self.url,
                "KICK_CA_FILE": self.ca}

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
