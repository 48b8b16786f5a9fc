#!/usr/bin/env python3
# gen.py - a generated GitOps repo for the migrate benchmark
# SPDX-License-Identifier: MIT
"""usage: gen.py DIR [FILES [INGRESSES_PER_FILE [NAMESPACES]]]

Writes DIR (which must not exist): NAMESPACES folders (default 100), each
with a kustomization.yaml, holding FILES manifest files in all (default
10000). Each file has a comment block, a Service with a named port and
INGRESSES_PER_FILE Ingresses (default 2) of class nginx, one host each;
every tenth Ingress has TLS and an annotation or two. The output depends
only on the arguments.
"""
import os
import sys

SERVICE = """\
# {app}: generated for the gwshift migrate benchmark
apiVersion: v1
kind: Service
metadata:
  name: {app}
  namespace: {ns}
  labels:
    app: {app}
spec:
  selector:
    app: {app}
  ports:
  - name: http
    port: 8080
    targetPort: 8080
"""

INGRESS = """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {app}
{annotations}spec:
  ingressClassName: nginx
{tls}  rules:
  - host: {host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {app}
            port:
              name: http
      - path: /static
        pathType: Prefix
        backend:
          service:
            name: {app}
            port:
              number: 8080
"""

ANNOTATIONS = """\
  annotations:
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
"""

TLS = """\
  tls:
  - hosts:
    - {host}
    secretName: {name}-tls
"""


def manifest(ns, app, per_file, serial):
    out = [SERVICE.format(app=app, ns=ns)]
    for k in range(per_file):
        name = app if k == 0 else f"{app}-{k}"
        host = f"{name}.{ns}.example.com"
        special = (serial + k) % 10 == 0
        out.append(INGRESS.format(
            name=name, ns=ns, app=app, host=host,
            annotations=ANNOTATIONS if special else "",
            tls=TLS.format(host=host, name=name) if special else ""))
    return "".join(out)


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.stderr.write(__doc__)
        return 2
    root = argv[1]
    files = int(argv[2]) if len(argv) > 2 else 10000
    per_file = int(argv[3]) if len(argv) > 3 else 2
    namespaces = int(argv[4]) if len(argv) > 4 else 100
    os.makedirs(root)
    names = {}
    for i in range(files):
        ns = f"team-{i % namespaces:03d}"
        app = f"app-{i:05d}"
        os.makedirs(os.path.join(root, ns), exist_ok=True)
        with open(os.path.join(root, ns, app + ".yaml"), "w",
                  encoding="utf-8") as fh:
            fh.write(manifest(ns, app, per_file, i * per_file))
        names.setdefault(ns, []).append(app + ".yaml")
    for ns, files_of in names.items():
        with open(os.path.join(root, ns, "kustomization.yaml"), "w",
                  encoding="utf-8") as fh:
            fh.write("apiVersion: kustomize.config.k8s.io/v1beta1\n"
                     "kind: Kustomization\n"
                     f"namespace: {ns}\nresources:\n")
            fh.writelines(f"- {f}\n" for f in files_of)
    with open(os.path.join(root, "kustomization.yaml"), "w",
              encoding="utf-8") as fh:
        fh.write("resources:\n")
        fh.writelines(f"- {ns}\n" for ns in sorted(names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
