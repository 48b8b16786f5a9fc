#!/usr/bin/env python3
# gen.py - inputs for the diff benchmark: Ingresses, and "existing" objects
# SPDX-License-Identifier: MIT
"""usage: gen.py ingresses N OUT.yaml
       gen.py existing GEN.yaml OUT.yaml

ingresses: N Ingresses of class nginx in N/100 namespaces (at least one),
each with one host and one path, so that gwshift makes one HTTPRoute each.

existing: the output of 'gwshift convert' (GEN.yaml) made to look like a
cluster that is partly migrated: every object gets server-set fields
(uid, resourceVersion, status), every 10th HTTPRoute a different backend
port (a change), every 20th is left out (a create), and one orphan route
per 20 routes is added.
"""
import sys


def ingresses(n, out):
    nns = max(1, n // 100)
    with open(out, "w", encoding="utf-8") as fh:
        for i in range(n):
            ns = "team-%d" % (i % nns)
            fh.write(
                "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                "metadata:\n  name: app-%d\n  namespace: %s\nspec:\n"
                "  ingressClassName: nginx\n  rules:\n"
                "  - host: app-%d.example.com\n    http:\n      paths:\n"
                "      - path: /\n        pathType: Prefix\n"
                "        backend:\n          service:\n"
                "            name: app-%d\n            port:\n"
                "              number: 80\n" % (i, ns, i, i))


def server_fields(doc, i):
    doc = doc.replace("metadata:\n", "metadata:\n  uid: 00000000-%012d\n"
                      "  resourceVersion: \"%d\"\n  generation: 1\n" % (i, i),
                      1)
    return doc + "status:\n  conditions: []\n"


def existing(gen, out):
    with open(gen, encoding="utf-8") as fh:
        docs = [d for d in fh.read().split("---\n") if d.strip()]
    kept, routes = [], 0
    for i, doc in enumerate(docs):
        if "\nkind: HTTPRoute\n" in "\n" + doc:
            routes += 1
            if routes % 20 == 0:
                orphan = doc.replace("  name: app-", "  name: old-app-", 1)
                orphan = orphan.replace("gwshift.io/source: ",
                                        "gwshift.io/source: old/", 1)
                kept.append(server_fields(orphan, i + len(docs)))
                continue
            if routes % 10 == 5:
                doc = doc.replace("      port: 80\n", "      port: 8080\n")
        kept.append(server_fields(doc, i))
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("".join("---\n" + d for d in kept))


def main(argv):
    if len(argv) == 4 and argv[1] == "ingresses":
        ingresses(int(argv[2]), argv[3])
    elif len(argv) == 4 and argv[1] == "existing":
        existing(argv[2], argv[3])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
