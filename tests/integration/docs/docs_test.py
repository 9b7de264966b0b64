#!/usr/bin/env python3
"""The examples of docs/ against the real API and database, so that they cannot go stale:
every `curl 'http://localhost:8000...'` line must answer 200, a sample answer that follows it
(a ```json block) must still have the live answer's shape (every key of the sample present,
lists compared by their first item), a live feed must start its event stream, and every ```sql
block must run and return rows.

Usage: docs_test.py SOURCE_DIR API SEED_STATS COLLECTOR   (needs TEST_DATABASE_URL)
"""
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

SOURCE, API, SEEDER, COLLECTOR = (os.path.abspath(a) for a in sys.argv[1:5])
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.argv = [sys.argv[0], API, "unused", "unused"]  # what api_test reads at import
from api_test import Api  # noqa: E402
from api_process import api_role_url  # noqa: E402
from e2e import check, run  # noqa: E402

DOCS = ["docs/API.md", "docs/EXAMPLES.md", "docs/QUICK_REFERENCE.md"]
CURL = re.compile(r"curl [^'\n]*'http://localhost:8000([^']+)'")
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def missing_keys(sample, live, where="$"):
    """Keys of the sample that the live answer lacks (recursively)."""
    if isinstance(sample, dict):
        if not isinstance(live, dict):
            return [where]
        out = []
        for key, value in sample.items():
            if key not in live:
                out.append(f"{where}.{key}")
            else:
                out += missing_keys(value, live[key], f"{where}.{key}")
        return out
    if isinstance(sample, list) and sample and isinstance(live, list) and live:
        return missing_keys(sample[0], live[0], where + "[0]")
    return []


def examples(text):
    """(path, sample or None) per curl line, and the SQL blocks, in document order."""
    curls, sqls = [], []
    blocks = [(m.start(), m.group(1), m.group(2)) for m in BLOCK.finditer(text)]
    for i, (_, lang, body) in enumerate(blocks):
        if lang == "sql":
            sqls.append(body)
        if lang != "sh":
            continue
        paths = CURL.findall(body)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        sample = json.loads(following[2]) if following and following[1] == "json" else None
        for n, path in enumerate(paths):
            curls.append((path, sample if n == len(paths) - 1 else None))
    return curls, sqls


def main(work, db):
    subprocess.run([SEEDER], env=dict(os.environ, DATABASE_URL=db), check=True,
                   capture_output=True, timeout=600)
    api = Api(work, api_role_url(COLLECTOR, db))
    try:
        for doc in DOCS:
            curls, sqls = examples(open(os.path.join(SOURCE, doc), encoding="utf-8").read())
            check(curls, f"{doc}: has curl examples ({len(curls)})")
            for path, sample in curls:
                if path.startswith("/live/events"):
                    # A feed never ends: it must answer 200 with an event stream that starts
                    # with its reconnection time.
                    with urllib.request.urlopen(f"http://127.0.0.1:{api.port}{path}",
                                                timeout=30) as res:
                        first = res.readline().decode()
                        check(res.status == 200 and first.startswith("retry:") and
                              res.headers["Content-Type"] == "text/event-stream",
                              f"{doc}: {path} ({res.status} {first.strip()})")
                    continue
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{api.port}{path}",
                                                timeout=30) as res:
                        status, body = res.status, res.read().decode()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read().decode()
                ok = status == 200
                detail = f"{status}"
                if ok and sample is not None:
                    lacking = missing_keys(sample, json.loads(body))
                    ok = not lacking
                    detail = f"the sample's shape; missing now: {lacking[:5]}" if lacking else \
                             "the sample's shape"
                check(ok, f"{doc}: {path} ({detail})")
            for sql in sqls:
                out = subprocess.run(["psql", db, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql],
                                     capture_output=True, text=True)
                first = sql.strip().splitlines()[0][:60]
                check(out.returncode == 0 and out.stdout.strip() != "",
                      f"{doc}: SQL runs and returns rows ({first}...) {out.stderr.strip()[:200]}")
    finally:
        api.stop()


if __name__ == "__main__":
    run("docs", lambda work, db: main(work, db.url))
