#!/usr/bin/env python3
# gen-export.py - a cluster export of N Ingresses, as kubectl writes it
# SPDX-License-Identifier: MIT
"""usage: gen-export.py N [--out FILE] [--seed S]

Writes what `kubectl get ingress,ingressclass,service -A -o yaml` prints
for a cluster with N Ingresses: one `kind: List` document whose items are
the Ingresses, then the IngressClass, then one Service per Ingress, each
with the fields the API server adds (status, managedFields, uid,
resourceVersion, creationTimestamp, generation) and kubectl's keys in
alphabetical order. The Ingresses carry a mix of ingress-nginx annotations
drawn with fixed weights, one to three paths, and TLS on every other one;
a third were applied with kubectl and carry its last-applied annotation.
The same N and seed always give the same bytes.
"""
import argparse
import json
import random
import re
import sys

# (weight in %, annotation, value choices) - a typical ingress-nginx estate
ANNOTATIONS = [
    (40, "nginx.ingress.kubernetes.io/proxy-body-size", ["1m", "8m", "50m"]),
    (30, "nginx.ingress.kubernetes.io/proxy-read-timeout", ["60", "120", "3600"]),
    (25, "nginx.ingress.kubernetes.io/ssl-redirect", ["true", "false"]),
    (20, "nginx.ingress.kubernetes.io/rewrite-target", ["/", "/$2"]),
    (15, "nginx.ingress.kubernetes.io/backend-protocol", ["HTTP", "HTTPS", "GRPC"]),
    (12, "nginx.ingress.kubernetes.io/force-ssl-redirect", ["true"]),
    (10, "nginx.ingress.kubernetes.io/enable-cors", ["true"]),
    (10, "nginx.ingress.kubernetes.io/cors-allow-origin",
     ["https://app.example.com", "*"]),
    (8, "nginx.ingress.kubernetes.io/whitelist-source-range",
     ["10.0.0.0/8", "10.0.0.0/8,192.168.0.0/16"]),
    (8, "nginx.ingress.kubernetes.io/affinity", ["cookie"]),
    (8, "nginx.ingress.kubernetes.io/session-cookie-name", ["route"]),
    (6, "nginx.ingress.kubernetes.io/auth-type", ["basic"]),
    (6, "nginx.ingress.kubernetes.io/auth-secret", ["basic-auth"]),
    (5, "nginx.ingress.kubernetes.io/limit-rps", ["10", "100"]),
    (4, "nginx.ingress.kubernetes.io/configuration-snippet",
     ["more_set_headers \"X-Frame-Options: DENY\";\n"]),
    (3, "nginx.ingress.kubernetes.io/app-root", ["/app"]),
    (3, "nginx.ingress.kubernetes.io/permanent-redirect",
     ["https://new.example.com"]),
    (2, "prometheus.io/scrape", ["true"]),
]

TS = "2025-11-03T08:15:30Z"


PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9./$()|_-]*")


def q(s):
    """a YAML double-quoted scalar, as kubectl quotes strings that need it"""
    return json.dumps(s)


def scalar(s):
    """plain when YAML reads it back as this string, else quoted"""
    if PLAIN.fullmatch(s) and s not in ("true", "false", "null", "y", "n"):
        return s
    return q(s)


def uid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def ingress(i, n_ns, rng, out):
    ns = "team-%05d" % (i % n_ns)
    name = "app-%07d" % i
    host = "%s.%s.example.com" % (name, ns)
    svc = name
    tls = i % 2 == 0
    annotations = {}
    for weight, key, values in ANNOTATIONS:
        if rng.randrange(100) < weight:
            annotations[key] = values[rng.randrange(len(values))]
    regex = annotations.get("nginx.ingress.kubernetes.io/rewrite-target") == "/$2"
    if regex:
        annotations["nginx.ingress.kubernetes.io/use-regex"] = "true"
    npaths = 1 + rng.randrange(3)
    paths = []
    for p in range(npaths):
        if regex:
            path, ptype = "/api%d(/|$)(.*)" % p, "ImplementationSpecific"
        elif p == 0:
            path, ptype = "/", "Prefix"
        else:
            path, ptype = "/v%d" % p, ["Prefix", "Exact"][p % 2]
        port = ("number", "80") if p % 2 == 0 else ("name", "http")
        paths.append((path, ptype, svc if p == 0 else "%s-%d" % (svc, p), port))
    applied = i % 3 == 0
    if applied:
        last = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                "metadata": {"annotations": dict(annotations),
                             "name": name, "namespace": ns},
                "spec": {"ingressClassName": "nginx"}}
        annotations["kubectl.kubernetes.io/last-applied-configuration"] = \
            json.dumps(last, separators=(",", ":"), sort_keys=True) + "\n"

    w = out.append
    w("- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n")
    if annotations:
        w("    annotations:\n")
        for k in sorted(annotations):
            v = annotations[k]
            if v.endswith("\n"):
                w("      %s: |\n        %s\n" % (k, v.rstrip("\n")))
            else:
                w("      %s: %s\n" % (k, scalar(v)))
    w("    creationTimestamp: %s\n    generation: %d\n" % (q(TS), 1 + i % 4))
    w("    labels:\n      app.kubernetes.io/name: %s\n" % name)
    w("      app.kubernetes.io/part-of: %s\n" % ns)
    w("    managedFields:\n")
    w("    - apiVersion: networking.k8s.io/v1\n      fieldsType: FieldsV1\n")
    w("      fieldsV1:\n        f:metadata:\n")
    if annotations:
        w("          f:annotations:\n            .: {}\n")
        for k in sorted(annotations):
            w("            f:%s: {}\n" % k)
    w("          f:labels:\n            .: {}\n")
    w("            f:app.kubernetes.io/name: {}\n")
    w("            f:app.kubernetes.io/part-of: {}\n")
    w("        f:spec:\n          f:ingressClassName: {}\n          f:rules: {}\n")
    if tls:
        w("          f:tls: {}\n")
    w("      manager: %s\n      operation: Update\n      time: %s\n"
      % ("kubectl-client-side-apply" if applied else "argocd-controller", q(TS)))
    w("    - apiVersion: networking.k8s.io/v1\n      fieldsType: FieldsV1\n")
    w("      fieldsV1:\n        f:status:\n          f:loadBalancer:\n")
    w("            f:ingress: {}\n      manager: nginx-ingress-controller\n")
    w("      operation: Update\n      subresource: status\n      time: %s\n" % q(TS))
    w("    name: %s\n    namespace: %s\n" % (name, ns))
    w("    resourceVersion: %s\n    uid: %s\n" % (q(str(100000 + i)), uid(rng)))
    w("  spec:\n    ingressClassName: nginx\n    rules:\n")
    w("    - host: %s\n      http:\n        paths:\n" % host)
    for path, ptype, backend, (pkind, pval) in paths:
        w("        - backend:\n            service:\n              name: %s\n"
          % backend)
        w("              port:\n                %s: %s\n" % (pkind, pval))
        w("          path: %s\n          pathType: %s\n"
          % (scalar(path), ptype))
    if tls:
        w("    tls:\n    - hosts:\n      - %s\n      secretName: %s-tls\n"
          % (host, name))
    w("  status:\n    loadBalancer:\n      ingress:\n      - ip: 203.0.113.10\n")
    return [(ns, b, p) for _, _, b, p in paths]


def service(ns, name, i, rng, out):
    w = out.append
    w("- apiVersion: v1\n  kind: Service\n  metadata:\n")
    w("    creationTimestamp: %s\n" % q(TS))
    w("    labels:\n      app.kubernetes.io/name: %s\n" % name)
    w("    name: %s\n    namespace: %s\n" % (name, ns))
    w("    resourceVersion: %s\n    uid: %s\n" % (q(str(500000 + i)), uid(rng)))
    w("  spec:\n    clusterIP: 10.96.%d.%d\n" % (i // 250 % 250, i % 250 + 1))
    w("    clusterIPs:\n    - 10.96.%d.%d\n" % (i // 250 % 250, i % 250 + 1))
    w("    internalTrafficPolicy: Cluster\n    ipFamilies:\n    - IPv4\n")
    w("    ipFamilyPolicy: SingleStack\n    ports:\n    - name: http\n")
    w("      port: 80\n      protocol: TCP\n      targetPort: 8080\n")
    w("    selector:\n      app.kubernetes.io/name: %s\n" % name)
    w("    sessionAffinity: None\n    type: ClusterIP\n")
    w("  status:\n    loadBalancer: {}\n")


INGRESS_CLASS = """\
- apiVersion: networking.k8s.io/v1
  kind: IngressClass
  metadata:
    annotations:
      ingressclass.kubernetes.io/is-default-class: "true"
    creationTimestamp: "2025-01-10T10:00:00Z"
    generation: 1
    labels:
      app.kubernetes.io/name: ingress-nginx
    name: nginx
    resourceVersion: "1183"
    uid: 0f3a1c52-3b8e-4a52-9a39-0f7c1e1a7c11
  spec:
    controller: k8s.io/ingress-nginx
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of Ingresses")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n_ns = max(1, args.n // 20)
    fp = sys.stdout if args.out == "-" else open(args.out, "w")
    fp.write("apiVersion: v1\nitems:\n")
    backends = []
    chunk = []
    for i in range(args.n):
        backends.extend(ingress(i, n_ns, rng, chunk))
        if len(chunk) > 4096:
            fp.write("".join(chunk))
            chunk.clear()
    chunk.append(INGRESS_CLASS)
    seen = set()
    for j, (ns, name, _) in enumerate(backends):
        if (ns, name) in seen:
            continue
        seen.add((ns, name))
        service(ns, name, j, rng, chunk)
        if len(chunk) > 4096:
            fp.write("".join(chunk))
            chunk.clear()
    chunk.append('kind: List\nmetadata:\n  resourceVersion: ""\n')
    fp.write("".join(chunk))
    if fp is not sys.stdout:
        fp.close()


if __name__ == "__main__":
    main()
