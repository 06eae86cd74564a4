#!/usr/bin/env python3
"""check_manifests.py - lints and renders the Helm chart and checks what it renders.

    python3 deploy/check_manifests.py [--helm HELM] deploy/helm/wasmsh

For each values file in the chart's ci/ folder: `helm lint` and `helm template`, then every
rendered object is checked: required fields, the chart's labels, selectors that match their pods,
probes and resources on every container, a locked-down security context, services, PDBs, HPAs and
the StatefulSet pointing at objects that exist, a NetworkPolicy allowing DNS and little else, the
ServiceMonitor selecting real services and ports. Also that `helm template` refuses to render
without client tokens. Ends with "helm: N passed, N failed" (one per check group).
"""
import argparse
import os
import subprocess
import sys

import yaml

LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version",
          "app.kubernetes.io/managed-by", "helm.sh/chart"]
WORKLOADS = ("Deployment", "StatefulSet")


class Checker:
    def __init__(self, name):
        self.name = name
        self.errors = []

    def expect(self, cond, msg):
        if not cond:
            self.errors.append(msg)
        return cond


def render(helm, chart, values):
    args = [helm, "template", "wasmsh", chart, "--namespace", "agents", "-f", values]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"helm template -f {values} failed: {out.stderr.strip()}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def matches(selector, labels):
    ml = (selector or {}).get("matchLabels", {})
    if not all(labels.get(k) == v for k, v in ml.items()):
        return False
    for e in (selector or {}).get("matchExpressions", []):
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
    return bool(ml) or bool((selector or {}).get("matchExpressions"))


def check_common(c, d):
    kind = d.get("kind")
    meta = d.get("metadata", {})
    where = f"{kind}/{meta.get('name')}"
    c.expect(d.get("apiVersion"), f"{where}: no apiVersion")
    c.expect(kind, f"{where}: no kind")
    c.expect(meta.get("name"), f"{where}: no metadata.name")
    c.expect(len(meta.get("name", "")) <= 63, f"{where}: name longer than 63")
    labels = meta.get("labels", {})
    for label in LABELS:
        c.expect(label in labels, f"{where}: missing label {label}")
    return where


def check_container(c, where, ct, ports):
    n = f"{where} container {ct.get('name')}"
    c.expect(ct.get("image") and ":" in ct["image"], f"{n}: image without a tag")
    res = ct.get("resources", {})
    for part in ("requests", "limits"):
        for r in ("cpu", "memory"):
            c.expect(r in res.get(part, {}), f"{n}: no resources.{part}.{r}")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        p = ct.get(probe)
        if not c.expect(p and p.get("httpGet"), f"{n}: no {probe} (httpGet)"):
            continue
        port = p["httpGet"].get("port")
        c.expect(port in ports, f"{n}: {probe} port {port} is not a declared port ({sorted(map(str, ports))})")
        c.expect(p["httpGet"].get("path") in ("/healthz", "/readyz"), f"{n}: {probe} path {p['httpGet'].get('path')}")
    sc = ct.get("securityContext", {})
    c.expect(sc.get("readOnlyRootFilesystem") is True, f"{n}: root filesystem not read-only")
    c.expect(sc.get("allowPrivilegeEscalation") is False, f"{n}: privilege escalation allowed")
    c.expect("ALL" in sc.get("capabilities", {}).get("drop", []), f"{n}: capabilities not dropped")


def check_workload(c, d, byname):
    where = check_common(c, d)
    spec = d["spec"]
    tmpl = spec["template"]
    podlabels = tmpl["metadata"].get("labels", {})
    c.expect(matches(spec.get("selector"), podlabels), f"{where}: selector does not match the pod labels")
    pod = tmpl["spec"]
    psc = pod.get("securityContext", {})
    c.expect(psc.get("runAsNonRoot") is True, f"{where}: pods may run as root")
    c.expect(pod.get("automountServiceAccountToken") is False, f"{where}: service account token mounted")
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for ct in pod.get("containers", []):
        ports = {p.get("name") for p in ct.get("ports", [])} | {p.get("containerPort") for p in ct.get("ports", [])}
        check_container(c, where, ct, ports)
        for m in ct.get("volumeMounts", []):
            c.expect(m["name"] in volumes, f"{where}: mount of undefined volume {m['name']}")
        for e in ct.get("env", []):
            c.expect(e.get("name", "").isupper() or "_" in e.get("name", ""), f"{where}: odd env name {e.get('name')}")
    for v in volumes.values():
        s = v.get("secret")
        if s and s.get("secretName") in byname.get("Secret", {}):
            keys = set(byname["Secret"][s["secretName"]].get("stringData", {}))
            for item in s.get("items", []):
                c.expect(item["key"] in keys, f"{where}: secret key {item['key']} not in the Secret")
    if d["kind"] == "StatefulSet":
        svc = byname.get("Service", {}).get(spec.get("serviceName"))
        c.expect(svc is not None, f"{where}: serviceName {spec.get('serviceName')} is not a rendered Service")
        if svc:
            c.expect(svc["spec"].get("clusterIP") == "None", f"{where}: its service is not headless")


def check_service(c, d, pods):
    where = check_common(c, d)
    sel = d["spec"].get("selector", {})
    hits = [p for p in pods if all(p["labels"].get(k) == v for k, v in sel.items())]
    c.expect(sel and hits, f"{where}: selects no rendered pod")
    for port in d["spec"].get("ports", []):
        tp = port.get("targetPort")
        c.expect(any(tp in p["ports"] for p in hits), f"{where}: targetPort {tp} is no port of its pods")
    if d["spec"].get("clusterIP") == "None":
        c.expect(d["spec"].get("publishNotReadyAddresses") is True,
                 f"{where}: a headless runner service must publish not-ready (draining) pods")


def check_refs(c, d, byname, pods):
    where = check_common(c, d)
    kind = d["kind"]
    spec = d.get("spec", {})
    if kind == "PodDisruptionBudget":
        c.expect(any(matches(spec.get("selector"), p["labels"]) for p in pods), f"{where}: selects no pod")
        c.expect(("minAvailable" in spec) != ("maxUnavailable" in spec), f"{where}: set one of minAvailable/maxUnavailable")
    elif kind in ("HorizontalPodAutoscaler", "ScaledObject"):
        ref = spec["scaleTargetRef"]
        c.expect(ref["name"] in byname.get(ref.get("kind", "Deployment"), {}), f"{where}: scaleTargetRef {ref} not rendered")
        if kind == "HorizontalPodAutoscaler":
            c.expect(spec["minReplicas"] <= spec["maxReplicas"], f"{where}: minReplicas > maxReplicas")
            c.expect(spec.get("metrics"), f"{where}: no metrics")
            target = byname.get(ref["kind"], {}).get(ref["name"])
            if target:
                c.expect("replicas" not in target["spec"], f"{where}: its target also sets replicas")
    elif kind == "NetworkPolicy":
        c.expect(set(spec.get("policyTypes", [])) == {"Ingress", "Egress"}, f"{where}: not both Ingress and Egress")
        c.expect(any(matches(spec.get("podSelector"), p["labels"]) for p in pods), f"{where}: selects no pod")
        egress = spec.get("egress", [])
        dns = [r for r in egress if any(p.get("port") == 53 for p in r.get("ports", []))]
        c.expect(dns, f"{where}: no DNS egress rule")
        for r in egress:
            c.expect(r.get("to"), f"{where}: an egress rule without `to` lets everything out")
            for t in r.get("to", []):
                if "ipBlock" in t:
                    c.expect(t["ipBlock"]["cidr"] not in ("0.0.0.0/0", "::/0"), f"{where}: egress to everywhere")
    elif kind == "ServiceMonitor":
        svcs = [s for s in byname.get("Service", {}).values() if matches(spec["selector"], s["metadata"]["labels"])]
        c.expect(svcs, f"{where}: selects no Service")
        names = {p.get("name") for s in svcs for p in s["spec"]["ports"]}
        for ep in spec["endpoints"]:
            c.expect(ep["port"] in names, f"{where}: endpoint port {ep['port']} not on the services")
    elif kind == "Secret":
        data = d.get("stringData", {})
        c.expect(data.get("runner-token"), f"{where}: empty runner-token")
        c.expect(data.get("client-tokens", "").strip(), f"{where}: no client tokens")


def check_values_file(helm, chart, values):
    c = Checker(os.path.basename(values))
    lint = subprocess.run([helm, "lint", chart, "-f", values, "--strict"], capture_output=True, text=True)
    c.expect(lint.returncode == 0, f"helm lint: {lint.stdout.strip()} {lint.stderr.strip()}")
    try:
        docs = render(helm, chart, values)
    except RuntimeError as e:
        c.errors.append(str(e))
        return c, []
    byname = {}
    for d in docs:
        byname.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    pods = []
    for d in docs:
        if d["kind"] in WORKLOADS:
            t = d["spec"]["template"]
            ports = set()
            for ct in t["spec"]["containers"]:
                for p in ct.get("ports", []):
                    ports |= {p.get("name"), p.get("containerPort")}
            pods.append({"labels": t["metadata"].get("labels", {}), "ports": ports})
    for d in docs:
        if d["kind"] in WORKLOADS:
            check_workload(c, d, byname)
        elif d["kind"] == "Service":
            check_service(c, d, pods)
        else:
            check_refs(c, d, byname, pods)
    kinds = sorted({d["kind"] for d in docs})
    c.expect({"Deployment", "Service"} <= set(kinds), f"missing workloads: {kinds}")
    return c, kinds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--helm", default="helm")
    ap.add_argument("chart")
    a = ap.parse_args()
    results = []
    ci = os.path.join(a.chart, "ci")
    for f in sorted(os.listdir(ci)):
        if f.endswith(".yaml"):
            c, kinds = check_values_file(a.helm, a.chart, os.path.join(ci, f))
            results.append(c)
            print(f"{'ok  ' if not c.errors else 'FAIL'} {f}: {', '.join(kinds)}")
            for e in c.errors:
                print(f"     {e}")
    # no client tokens and no existing Secret: refused with a clear message
    c = Checker("required tokens")
    out = subprocess.run([a.helm, "template", "wasmsh", a.chart], capture_output=True, text=True)
    c.expect(out.returncode != 0 and "auth.clientTokens" in out.stderr, "renders without client tokens")
    results.append(c)
    print(f"{'ok  ' if not c.errors else 'FAIL'} without client tokens: refused")
    for e in c.errors:
        print(f"     {e}")
    failed = sum(1 for r in results if r.errors)
    print(f"helm: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
