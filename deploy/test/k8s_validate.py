#!/usr/bin/env python3
"""Offline checks of deploy/k8s (no cluster and no kubectl here): every manifest parses, has the
fields its kind requires, and the objects agree with each other and with the binaries.

Usage: k8s_validate.py COLLECTOR API   (the built binaries: their --help lists the settings)

Checked: apiVersion/kind pairs we use, names, one namespace; kustomization lists every file;
Deployments: selector matches the template, images, resource requests and limits, probes on
declared ports, non-root with a read-only root filesystem, no privilege escalation, all
capabilities dropped, mounts backed by volumes; every ConfigMap/Secret reference resolves; every
ConfigMap/Secret key is a setting one of the binaries knows; ports agree with the settings;
the Service selects the API pods and targets a declared port. Least privilege: the API's
pods read only their own Secret (its own role's URL) and no platform credential; the
collector's pods make that role first (a `migrate` init container given its password).
"""
import os
import re
import subprocess
import sys
import urllib.parse

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
K8S = os.path.join(os.path.dirname(HERE), "k8s")
KINDS = {("v1", "Namespace"), ("v1", "Secret"), ("v1", "ConfigMap"), ("v1", "Service"),
         ("apps/v1", "Deployment"), ("kustomize.config.k8s.io/v1beta1", "Kustomization")}
NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def settings_of(binary):
    """The environment names of a binary's settings, from its generated --help."""
    text = subprocess.run([binary, "--help"], check=True, capture_output=True, text=True).stdout
    names = set(re.findall(r" / ([A-Z][A-Z0-9_]*)", text))
    if not names:
        raise RuntimeError(f"no settings found in {binary} --help")
    return names


def load():
    objects, kustomization = [], None
    for name in sorted(os.listdir(K8S)):
        if not name.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(K8S, name)) as f:
            docs = [d for d in yaml.safe_load_all(f) if d is not None]
        check(bool(docs), f"{name} parses and is not empty")
        for d in docs:
            kind = (d.get("apiVersion"), d.get("kind"))
            check(kind in KINDS, f"{name}: known apiVersion/kind {kind}")
            if d.get("kind") == "Kustomization":
                kustomization = (name, d)
            else:
                objects.append((name, d))
    return objects, kustomization


def check_pod(deployment, by_kind, known_settings, config):
    name = deployment["metadata"]["name"]
    spec = deployment["spec"]
    template = spec["template"]
    selector = spec["selector"]["matchLabels"]
    labels = template["metadata"].get("labels", {})
    check(selector.items() <= labels.items(), f"{name}: selector matches the pod labels")
    pod = template["spec"]
    pod_security = pod.get("securityContext", {})
    check(pod.get("automountServiceAccountToken") is False, f"{name}: no API token mounted")
    volumes = {v["name"] for v in pod.get("volumes", [])}
    init = pod.get("initContainers", [])
    for c in pod["containers"] + init:
        where = f"{name}/{c['name']}"
        security = c.get("securityContext", {})
        check(bool(c.get("image")), f"{where}: has an image")
        for part in ("requests", "limits"):
            res = c.get("resources", {}).get(part, {})
            check({"cpu", "memory"} <= res.keys(), f"{where}: resources.{part} has cpu and memory")
        run_as = security.get("runAsUser", pod_security.get("runAsUser"))
        check(security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True and
              isinstance(run_as, int) and run_as != 0, f"{where}: runs as a non-root uid ({run_as})")
        check(security.get("allowPrivilegeEscalation") is False, f"{where}: no privilege escalation")
        check(security.get("readOnlyRootFilesystem") is True, f"{where}: read-only root filesystem")
        check(security.get("capabilities", {}).get("drop") == ["ALL"], f"{where}: drops all capabilities")
        ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
        if c in init:  # runs to its end: no probes, no ports
            check("livenessProbe" not in c and not ports, f"{where}: an init container")
            continue
        for probe in ("livenessProbe", "readinessProbe"):
            get = c.get(probe, {}).get("httpGet", {})
            check(get.get("path", "").startswith("/") and
                  (get.get("port") in ports or get.get("port") in ports.values()),
                  f"{where}: {probe} is an HTTP GET on a declared port ({get})")
        for m in c.get("volumeMounts", []):
            check(m["name"] in volumes, f"{where}: volume {m['name']} is defined")
        for source in c.get("envFrom", []):
            for ref_kind, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                if ref_kind in source:
                    ref = source[ref_kind]["name"]
                    check(ref in by_kind[kind], f"{where}: {kind} {ref} exists")
        for env in c.get("env", []):
            check(env["name"] in known_settings, f"{where}: {env['name']} is a setting")
            ref = env.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                secret = by_kind["Secret"].get(ref["name"], {})
                check(ref["key"] in secret.get("stringData", {}) or ref["key"] in secret.get("data", {}),
                      f"{where}: secret key {ref['name']}/{ref['key']} exists")
        # The port the binary listens on (from the ConfigMap) is the one declared and probed.
        setting = {"collector": "COLLECTOR_HEALTH_PORT", "api": "API_PORT"}.get(c["name"])
        if setting:
            check(str(sorted(ports.values())[0]) == config.get(setting),
                  f"{where}: containerPort {list(ports.values())} is {setting}={config.get(setting)}")
    return labels, pod


def secrets_read(containers):
    """(Secret name, key or None for all of it) for each Secret the containers read."""
    out = []
    for c in containers:
        out += [(e["secretRef"]["name"], None) for e in c.get("envFrom", []) if "secretRef" in e]
        out += [(e["valueFrom"]["secretKeyRef"]["name"], e["valueFrom"]["secretKeyRef"]["key"])
                for e in c.get("env", []) if "secretKeyRef" in e.get("valueFrom", {})]
    return out


def check_least_privilege(by_kind, pods):
    api_pod = pods["streamscope-api"][1]
    api_containers = api_pod["containers"] + api_pod.get("initContainers", [])
    read = secrets_read(api_containers)
    check(read and all(name == "streamscope-api" for name, _ in read),
          f"the API's pods read only the Secret streamscope-api ({read})")
    platform = [e["name"] for c in api_containers for e in c.get("env", [])
                if e["name"].startswith(("TWITCH_", "KICK_", "YOUTUBE_"))]
    check(not platform, f"the API's pods get no platform credential ({platform})")
    api_secret = by_kind["Secret"].get("streamscope-api", {}).get("stringData", {})
    owner = urllib.parse.urlsplit(by_kind["Secret"]["streamscope"]["stringData"]["DATABASE_URL"])
    url = urllib.parse.urlsplit(api_secret.get("DATABASE_URL", ""))
    check(url.username == "streamscope_api" and
          url.password == api_secret.get("API_DATABASE_PASSWORD") and
          url.password != owner.password and (url.hostname, url.path) == (owner.hostname, owner.path),
          "the API's DATABASE_URL is streamscope_api's, with API_DATABASE_PASSWORD, on the "
          "collector's server and database")

    collector_pod = pods["streamscope-collector"][1]
    migrate = [c for c in collector_pod.get("initContainers", []) if c.get("args") == ["migrate"]]
    check(len(migrate) == 1 and
          ("streamscope-api", "API_DATABASE_PASSWORD") in secrets_read(migrate) and
          ("streamscope", "DATABASE_URL") in secrets_read(migrate),
          "a collector pod first migrates as the owner and makes the API's role with its password")
    check(all(name == "streamscope" for name, _ in secrets_read(collector_pod["containers"])),
          "the collector itself reads only its own Secret")


def main():
    known = settings_of(sys.argv[1]) | settings_of(sys.argv[2])
    objects, kustomization = load()
    by_kind = {}
    for file, o in objects:
        meta = o.get("metadata", {})
        check(bool(NAME.match(meta.get("name", ""))), f"{file}: {o['kind']} name {meta.get('name')!r} is valid")
        if o["kind"] != "Namespace":
            check(meta.get("namespace") == "streamscope", f"{file}: {o['kind']} {meta.get('name')} is in namespace streamscope")
        by_kind.setdefault(o["kind"], {})[meta.get("name")] = o
    check(kustomization is not None, "a kustomization.yaml exists")
    files = {f for f, _ in objects}
    check(set(kustomization[1]["resources"]) == files,
          f"kustomization lists every manifest ({sorted(files)})")
    check({i["name"] for i in kustomization[1].get("images", [])} ==
          {c["image"] for d in by_kind["Deployment"].values() for c in d["spec"]["template"]["spec"]["containers"]},
          "kustomization sets every image")

    config = by_kind["ConfigMap"]["streamscope"]["data"]
    for key in config:
        check(key in known, f"ConfigMap key {key} is a setting of the binaries")
    for name, secret in by_kind["Secret"].items():
        for key in secret.get("stringData", {}) | secret.get("data", {}):
            check(key in known, f"Secret {name} key {key} is a setting of the binaries")
    check(config.get("SPOOL_DIR", "").startswith("/"), "SPOOL_DIR is an absolute path (a volume)")

    pods = {}
    for name, d in by_kind["Deployment"].items():
        pods[name] = check_pod(d, by_kind, known, config)
    collector_mounts = [m["mountPath"] for c in pods["streamscope-collector"][1]["containers"]
                        for m in c.get("volumeMounts", [])]
    check(config.get("SPOOL_DIR") in collector_mounts, "the collector's SPOOL_DIR is a mounted volume")
    check(by_kind["Deployment"]["streamscope-api"]["spec"]["replicas"] >= 2, "the API has 2+ replicas")
    check_least_privilege(by_kind, pods)

    for name, svc in by_kind.get("Service", {}).items():
        selected = [d for d, (labels, _) in pods.items() if svc["spec"]["selector"].items() <= labels.items()]
        check(selected == ["streamscope-api"], f"Service {name} selects the API pods only ({selected})")
        api_ports = {p["name"] for c in pods["streamscope-api"][1]["containers"] for p in c["ports"]}
        for p in svc["spec"]["ports"]:
            check(p["targetPort"] in api_ports, f"Service {name} targets declared port {p['targetPort']}")


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a crash is a failure with its reason, never a pass
        check(False, f"k8s validation raised {type(e).__name__}: {e}")
    print(f"k8s manifests: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)
