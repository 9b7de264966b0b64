#!/usr/bin/env python3
"""The shipped monitoring files against the real services: the collector (sweeping the mock's
Twitch and YouTube over TLS into a fresh database, so that YouTube's quota series are there too)
and the API, both as built.

Usage: monitoring_test.py COLLECTOR MOCK MODE API   (needs TEST_DATABASE_URL)
  MODE dashboard   every query of the Grafana dashboard names only series and labels that the
                   services' /metrics really export, and its datasource is the provisioned one;
                   docker-compose.yml mounts the monitoring files where their paths expect
  MODE prometheus  Debian's prometheus runs deploy/monitoring/prometheus.yml (targets pointed
                   at the live services) with alerts.yml: both targets are up, the key series
                   are stored, every alert and dashboard query evaluates, and no alert is
                   pending or firing while all is well
"""
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "integration", "collector"))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
# Both read sys.argv[1:4] as COLLECTOR MOCK SCENARIO: our argument order keeps that.
from collector_test import Mock  # noqa: E402
from daemon_test import Daemon, wait_for  # noqa: E402
from e2e import check, free_port, run  # noqa: E402
from platform_mock import YOUTUBE_API_KEY  # noqa: E402

API, MODE = sys.argv[4], sys.argv[3]
MONITORING = os.path.join(REPO, "deploy", "monitoring")
DASHBOARD = os.path.join(MONITORING, "grafana", "dashboards", "streamscope.json")
DATASOURCES = os.path.join(MONITORING, "grafana", "provisioning", "datasources", "prometheus.yml")
# Grafana's own variables, as Grafana would substitute them.
GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h"}


def http_get(port, path, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        res = conn.getresponse()
        return res.status, res.read().decode()
    finally:
        conn.close()


class Api:
    def __init__(self, work, database_url):
        self.port = free_port()
        self.log_path = os.path.join(work, "api.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("API_", "DATABASE"))}
        env.update({"DATABASE_URL": database_url, "API_HOST": "127.0.0.1",
                    "API_PORT": str(self.port), "API_THREADS": "2"})
        self.proc = subprocess.Popen([API], env=env, stdout=open(self.log_path, "w"),
                                     stderr=subprocess.STDOUT, cwd=work)
        if not wait_for(lambda: http_get(self.port, "/health")[0] == 200, 20, "the API is up"):
            raise RuntimeError("the API did not become healthy: " + open(self.log_path).read())

    def stop(self):
        self.proc.terminate()
        self.proc.wait(15)


def series_of(exposition):
    """{metric name: set of label names} of a Prometheus text exposition."""
    series = {}
    for line in exposition.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s", line)
        if not m:
            raise ValueError("not a sample line: " + line)
        labels = set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="', m.group(3) or ""))
        series.setdefault(m.group(1), set()).update(labels)
    return series


def dashboard_queries(dashboard):
    """(panel title, expr, legend) of every query, also those inside collapsed rows."""
    out = []
    for panel in dashboard["panels"]:
        for p in [panel] + panel.get("panels", []):
            for t in p.get("targets", []):
                out.append((p["title"], t["expr"], t.get("legendFormat", "")))
    return out


def grafana_to_promql(expr):
    for name, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(name, value)
    return expr


def check_dashboard(series):
    dashboard = json.load(open(DASHBOARD))
    provisioned = {d["uid"] for d in yaml.safe_load(open(DATASOURCES))["datasources"]}
    panels = [p for top in dashboard["panels"] for p in [top] + top.get("panels", [])]
    check(len({p["id"] for p in panels}) == len(panels), "panel ids are unique")
    for p in panels:
        if p["type"] == "row":
            continue
        uids = {p["datasource"]["uid"]} | {t["datasource"]["uid"] for t in p["targets"]}
        check(uids <= provisioned, f"'{p['title']}' uses the provisioned datasource ({uids})")
    # Prometheus' own series, always there once a target is scraped.
    known = dict(series, up={"job", "instance"})
    for title, expr, legend in dashboard_queries(dashboard):
        names = set(re.findall(r"\b(streamscope_[a-z0-9_]+|up)\b(?!\s*\()", expr))
        check(bool(names), f"'{title}': the query names a series: {expr}")
        missing = names - known.keys()
        check(not missing, f"'{title}': exported series {sorted(names)} (missing: {sorted(missing)})")
        labels = set()
        for group in re.findall(r"\b(?:by|without)\s*\(([^)]*)\)", expr):
            labels |= {l.strip() for l in group.split(",") if l.strip()}
        labels |= set(re.findall(r"\{\{\s*(\w+)\s*\}\}", legend))
        have = set().union(*(known.get(n, set()) for n in names)) | {"job", "instance"}
        check(labels <= have, f"'{title}': labels {sorted(labels)} exist on its series")


def check_wiring():
    """docker-compose.yml's monitoring profile and the files it mounts name the same paths,
    hosts and ports (the live test rewrites the targets, so it cannot see these)."""
    compose = yaml.safe_load(open(os.path.join(REPO, "docker-compose.yml")))["services"]
    mounts = {s: {v.split(":")[0]: v.split(":")[1] for v in compose[s].get("volumes", [])}
              for s in ("prometheus", "grafana")}
    prom = yaml.safe_load(open(os.path.join(MONITORING, "prometheus.yml")))
    config_dir = os.path.dirname(mounts["prometheus"]["./deploy/monitoring/prometheus.yml"])
    for rules in prom["rule_files"]:
        check(mounts["prometheus"].get("./deploy/monitoring/" + rules) == f"{config_dir}/{rules}",
              f"rule file {rules} is mounted beside prometheus.yml")
    ports = {"collector": compose["collector"]["environment"]["COLLECTOR_HEALTH_PORT"],
             "api": compose["api"]["environment"]["API_PORT"]}
    targets = {t for job in prom["scrape_configs"] for c in job["static_configs"] for t in c["targets"]}
    check(targets == {f"{name}:{port}" for name, port in ports.items()},
          f"prometheus.yml scrapes the services' ports in Compose ({sorted(targets)})")
    source = yaml.safe_load(open(DATASOURCES))["datasources"][0]
    check(source["url"] == "http://prometheus:9090", f"the datasource is the prometheus service ({source['url']})")
    providers = yaml.safe_load(open(os.path.join(MONITORING, "grafana", "provisioning", "dashboards",
                                                 "streamscope.yml")))["providers"]
    check(providers[0]["options"]["path"] == mounts["grafana"].get("./deploy/monitoring/grafana/dashboards"),
          "Grafana's dashboard provider reads the mounted dashboards folder")
    check(mounts["grafana"].get("./deploy/monitoring/grafana/provisioning") == "/etc/grafana/provisioning",
          "the provisioning folder is mounted where Grafana reads it")


class Prometheus:
    def __init__(self, work, collector_port, api_port):
        # install-deps.sh --deploy unpacks Prometheus there rather than installing the package.
        tools = os.environ.get("STREAMSCOPE_TOOLS_DIR", "/var/cache/streamscope-tools")
        binary = shutil.which("prometheus") or shutil.which(
            "prometheus", path=os.path.join(tools, "prometheus", "usr", "bin"))
        if not binary:
            raise RuntimeError("prometheus is not installed: run deploy/install-deps.sh --deploy")
        config = yaml.safe_load(open(os.path.join(MONITORING, "prometheus.yml")))
        # The shipped file with the live ports and a fast pace; everything else as shipped.
        config["global"].update(scrape_interval="1s", evaluation_interval="1s")
        config["rule_files"] = [os.path.join(MONITORING, f) for f in config["rule_files"]]
        ports = {"streamscope-collector": collector_port, "streamscope-api": api_port}
        jobs = {job["job_name"] for job in config["scrape_configs"]}
        check(jobs == set(ports), f"prometheus.yml scrapes exactly {sorted(ports)} ({jobs})")
        for job in config["scrape_configs"]:
            job["static_configs"] = [{"targets": [f"127.0.0.1:{ports[job['job_name']]}"]}]
        path = os.path.join(work, "prometheus.yml")
        yaml.safe_dump(config, open(path, "w"))
        self.port = free_port()
        self.log_path = os.path.join(work, "prometheus.log")
        self.proc = subprocess.Popen(
            [binary, f"--config.file={path}", f"--storage.tsdb.path={work}/tsdb",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        if not wait_for(lambda: http_get(self.port, "/-/ready")[0] == 200, 30, "prometheus"):
            raise RuntimeError("prometheus did not start: " + open(self.log_path).read()[-2000:])

    def api(self, path, **params):
        status, body = http_get(self.port, "/api/v1/" + path + "?" + urllib.parse.urlencode(params))
        reply = json.loads(body)
        if status != 200 or reply.get("status") != "success":
            raise ValueError(f"{path} {params}: {status} {reply.get('error', body[:200])}")
        return reply["data"]

    def query(self, expr):
        return self.api("query", query=expr)["result"]

    def stop(self):
        self.proc.terminate()
        self.proc.wait(15)


def check_prometheus(work, collector, api):
    prom = Prometheus(work, collector.port, api.port)
    try:
        def targets_up():
            active = prom.api("targets")["activeTargets"]
            return len(active) == 2 and all(t["health"] == "up" for t in active)
        check(wait_for(targets_up, 30, "both targets up"), "both scrape targets are up")
        for job in ("streamscope-collector", "streamscope-api"):
            result = prom.query(f'up{{job="{job}"}}')
            check([r["value"][1] for r in result] == ["1"], f"up{{job=\"{job}\"}} is 1 ({result})")
        key_series = ['streamscope_collector_sweeps_total{platform="twitch",status="complete"} >= 1',
                      "streamscope_collector_last_sweep_streams > 0",
                      "streamscope_collector_leader == 1",
                      'streamscope_collector_quota_units_daily{platform="youtube"} > 0',
                      'streamscope_api_requests_total{route=~".*live.*"}',
                      "streamscope_api_request_duration_seconds_bucket"]
        for expr in key_series:
            check(wait_for(lambda: prom.query(expr), 20, expr), f"prometheus has {expr}")

        # A sweep seen by Prometheus itself: before that, "no complete sweep in 20 minutes" is
        # rightly pending (it would fire only if none came for 5 more minutes).
        swept = 'increase(streamscope_collector_sweeps_total{platform="twitch",status="complete"}[1m]) > 0'
        check(wait_for(lambda: prom.query(swept), 30, swept), "prometheus saw a sweep complete")
        time.sleep(3)  # a few rule evaluations (every second here) after it
        rules = [r for g in prom.api("rules")["groups"] for r in g["rules"]]
        check(len(rules) >= 9, f"alerts.yml is loaded ({len(rules)} rules)")
        for r in rules:
            check(r["health"] == "ok", f"alert {r['name']} evaluates ({r.get('lastError', '')})")
            check(r["state"] == "inactive", f"alert {r['name']} is quiet on a well stack ({r['state']})")
            prom.query(r["query"])  # raises when Prometheus rejects it
        for title, expr, _ in dashboard_queries(json.load(open(DASHBOARD))):
            try:
                prom.query(grafana_to_promql(expr))
                check(True, f"dashboard '{title}' query evaluates")
            except ValueError as e:
                check(False, f"dashboard '{title}' query evaluates: {e}")
    finally:
        prom.stop()


# A quota far above what a sweep every few seconds spends: the planner keeps the interval,
# and the quota alerts stay quiet as they should on a well stack.
YOUTUBE_QUOTA = "100000000"


def youtube_settings(mock):
    watched = [c["id"] for c in mock.youtube_world()["channels"] if not c["terminated"]][:10]
    return {"YOUTUBE_API_KEY": YOUTUBE_API_KEY,
            "YOUTUBE_API_BASE_URL": f"{mock.url}/youtube/v3",
            "YOUTUBE_FEED_BASE_URL": f"{mock.url}/feeds",
            "YOUTUBE_CA_FILE": mock.ca,
            "YOUTUBE_CHANNELS": ",".join(watched),
            "YOUTUBE_DAILY_QUOTA": YOUTUBE_QUOTA,
            "YOUTUBE_FEED_REQUESTS_PER_SECOND": "5"}


def main(work, db):
    mock = Mock(work, "--youtube-channels", "40", "--youtube-daily-quota", YOUTUBE_QUOTA)
    collector = api = None
    try:
        collector = Daemon(work, "collector", db.url, mock, youtube_settings(mock))

        def complete():
            metrics = collector.get("/metrics")[1].splitlines()
            return all(any(line.startswith('streamscope_collector_sweeps_total{platform="'
                                           f'{platform}",status="complete"}}') and
                           float(line.split()[-1]) >= 1 for line in metrics)
                       for platform in ("twitch", "youtube"))
        if not wait_for(complete, 60, "a complete sweep of each platform"):
            raise RuntimeError("no complete Twitch and YouTube sweep within 60 s")
        api = Api(work, db.url)
        # Requests that give the API's series their labels: answers, a 404 and /metrics itself.
        for path in ("/live/top?limit=5", "/health", "/no-such-route", "/metrics"):
            http_get(api.port, path)
        series = series_of(collector.get("/metrics")[1])
        series.update(series_of(http_get(api.port, "/metrics")[1]))
        if MODE == "dashboard":
            check_dashboard(series)
            check_wiring()
        elif MODE == "prometheus":
            check_prometheus(work, collector, api)
        else:
            raise ValueError("MODE must be dashboard or prometheus, got " + MODE)
    finally:
        if api:
            api.stop()
        if collector and collector.proc.poll() is None:
            collector.terminate()
        mock.stop()


if __name__ == "__main__":
    run(f"monitoring {MODE}", main)
