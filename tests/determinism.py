#!/usr/bin/env python3
# determinism.py - same objects in any order give the same bytes; one state per field
# SPDX-License-Identifier: MIT
"""usage: determinism.py GWSHIFT INPUT... -- ARGS...

For each INPUT (a YAML stream or List export): convert it as it is, then with
its objects reversed and spread over several files (read in another order),
then rotated, then written by no writer thread and by four (--jobs 0, 4);
the manifests on stdout must be byte-identical every time.
The JSON report of the first run must give no field of an object two
different states (design.md: every field ends in exactly one state).
ARGS are extra convert arguments. Needs python3-yaml."""
import json
import os
import subprocess
import sys
import tempfile

import yaml


def objects(path):
    with open(path, encoding='utf-8') as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    out = []
    for d in docs:
        out.extend(d['items'] if d.get('kind') == 'List' else [d])
    return out


def convert(gwshift, files, args, report=None):
    cmd = [gwshift, 'convert'] + files + args
    if report:
        cmd += ['--report', report]
    res = subprocess.run(cmd, capture_output=True, check=False)
    if res.returncode != 0:
        sys.exit(f'determinism: {" ".join(cmd)} exited {res.returncode}:\n'
                 + res.stderr.decode())
    return res.stdout


def write_stream(tmp, name, objs):
    path = os.path.join(tmp, name)
    with open(path, 'w', encoding='utf-8') as f:
        yaml.safe_dump_all(objs, f, sort_keys=False)
    return path


def check_states(report):
    with open(report, encoding='utf-8') as f:
        rep = json.load(f)
    seen, bad = {}, 0
    for fd in rep['findings']:
        src = fd['source']
        key = (src.get('kind'), src.get('namespace'), src['name'], src['field'])
        if key in seen and seen[key] != fd['state']:
            print(f'determinism: {key} is both {seen[key]} and {fd["state"]}')
            bad += 1
        seen.setdefault(key, fd['state'])
    return bad


def main():
    argv = sys.argv[1:]
    sep = argv.index('--') if '--' in argv else len(argv)
    gwshift, inputs, args = argv[0], argv[1:sep], argv[sep + 1:]
    bad = 0
    for inp in inputs:
        objs = objects(inp)
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, 'report.json')
            want = convert(gwshift, [inp], args, report)
            bad += check_states(report)
            rev = list(reversed(objs))
            half = len(rev) // 2
            # z-file holds the first half: files are read in name order
            files = [write_stream(tmp, 'z.yaml', rev[:half]),
                     write_stream(tmp, 'a.yaml', rev[half:])]
            rot = objs[half:] + objs[:half]
            for name, got in (('reversed', convert(gwshift, files, args)),
                              ('rotated', convert(gwshift,
                               [write_stream(tmp, 'r.yaml', rot)], args)),
                              ('--jobs 0', convert(gwshift, [inp],
                                                   args + ['--jobs', '0'])),
                              ('--jobs 4', convert(gwshift, [inp],
                                                   args + ['--jobs', '4']))):
                if got != want:
                    print(f'determinism: {inp}: {name} objects give other output')
                    bad += 1
    print(f'determinism: {len(inputs)} input(s), {bad} problem(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
