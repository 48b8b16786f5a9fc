#!/usr/bin/env python3
# migrate-check.py - migrate's promises, checked on the migrate fixture repos
# SPDX-License-Identifier: MIT
"""usage: migrate-check.py GWSHIFT CASE_DIR...

Each CASE_DIR is a golden fixture case of `gwshift migrate` (see
tests/golden.sh): its `args` and its input folders. For each case, in
fresh copies of the inputs:

  dry-run    `--dry-run` writes nothing (a --report file aside)
  git-apply  `git apply` of the dry-run diff gives the same tree, byte for
             byte and link for link, as a real run; both exit the same
  modes      files that were edited keep their permission bits
  preserve   every byte outside the Ingress documents is kept: the lines
             of each file outside its Ingress documents (found here with
             PyYAML, not with gwshift's parser) equal the lines of the new
             file outside the documents generated from them (a '---' line
             that held the start of an Ingress keeps what came before it;
             a removed file had only white space around its Ingresses);
             and a kustomization only gains or loses lines of its
             resources list
  idempotent a second run changes nothing and prints no diff

Prints one line per check and case; exits 1 if any check failed.
"""
import difflib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

SOURCE = "gwshift.io/source"


def read_args(case):
    with open(os.path.join(case, "args"), encoding="utf-8") as fh:
        args = [ln.rstrip("\r\n") for ln in fh if ln.strip()]
    args = [a for a in args if a != "--dry-run"]
    report = None
    if "--report" in args:
        report = args[args.index("--report") + 1]
    return args, report


def copy_inputs(case, dest):
    os.makedirs(dest)
    for name in sorted(os.listdir(case)):
        if name.startswith("expected") or name in ("args", "stdin"):
            continue
        src = os.path.join(case, name)
        if os.path.isdir(src) and not os.path.islink(src):
            shutil.copytree(src, os.path.join(dest, name), symlinks=True)
        else:
            shutil.copy2(src, os.path.join(dest, name), follow_symlinks=False)


def snapshot(root, skip=()):
    """{relative path: ('link', target) | ('file', bytes, mode)}"""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if rel in skip:
                continue
            if os.path.islink(full):
                out[rel] = ("link", os.readlink(full))
            elif os.path.isfile(full):
                with open(full, "rb") as fh:
                    out[rel] = ("file", fh.read(),
                                stat.S_IMODE(os.lstat(full).st_mode))
    return out


def same_tree(a, b):
    """Differences between two snapshots, content and links only."""
    diffs = []
    for rel in sorted(set(a) | set(b)):
        if rel not in a or rel not in b:
            diffs.append(f"'{rel}' only in one tree")
        elif a[rel][:2] != b[rel][:2]:
            diffs.append(f"'{rel}' differs")
    return diffs


def run(gwshift, args, cwd):
    return subprocess.run([gwshift] + args, cwd=cwd, capture_output=True,
                          env=dict(os.environ, LC_ALL="C", TZ="UTC"))


# ---- where the documents are, as PyYAML sees them ----

def lines_of(text):
    """the lines of text as YAML (and PyYAML's marks) count them: a line
    ends with CRLF, LF or a lone CR"""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)


def last_line(node):
    """The last line holding a token of node (0-based)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        end = node.end_mark
        return end.line if end.column > 0 else end.line - 1
    if isinstance(node, yaml.MappingNode):
        kids = [n for kv in node.value for n in kv]
    else:
        kids = node.value
    return max([last_line(k) for k in kids] + [node.start_mark.line])


def documents(text):
    """[(marker line or None, first line, last line, end marker, root)]"""
    loader = yaml.SafeLoader(text)
    docs = []
    try:
        loader.get_event()
        while not loader.check_event(yaml.StreamEndEvent):
            start = loader.get_event()
            root = loader.compose_node(None, None)
            end = loader.get_event()
            loader.anchors = {}
            if isinstance(root, yaml.ScalarNode) and root.value == "":
                continue
            docs.append((start.start_mark.line if start.explicit else None,
                         root.start_mark.line, last_line(root),
                         end.start_mark.line if end.explicit else None, root))
    finally:
        loader.dispose()
    return docs


def get(node, *keys):
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == key), None)
    return node


def text(node):
    return node.value if isinstance(node, yaml.ScalarNode) else None


def ingress_id(root):
    if text(get(root, "kind")) != "Ingress":
        return None
    ns = text(get(root, "metadata", "namespace")) or "default"
    return f"{ns}/{text(get(root, 'metadata', 'name'))}"


def owner(root):
    """The Ingress a generated document replaced (migrate's documented rule)."""
    src = text(get(root, "metadata", "annotations", SOURCE))
    if src is None:
        return None
    ids = [s.strip() for s in src.split(",") if "/" in s]
    ns = text(get(root, "metadata", "namespace")) or "default"
    own = f"{ns}/{text(get(root, 'metadata', 'name'))}"
    return own if own in ids else ids[0]


def regions_new(docs):
    """{owner: (first line, last line)} of each run of generated documents"""
    out, prev = {}, None
    for _, first, last, _, root in docs:
        who = owner(root)
        if who and who == prev:
            out[who] = (out[who][0], last)
        elif who:
            out[who] = (first, last)
        prev = who
    return out


def regions_old(docs, new_docs, replaced):
    """[(first line, last line)] of the replaced and removed documents, and
    {line: column} of the '---' lines whose rest (the content, an anchor
    or a tag) was replaced: the new text starts on the next line"""
    kept = {ingress_id(d[4]) for d in new_docs} - {None}
    out, cuts = [], {}
    for marker, first, last, end, root in docs:
        iid = ingress_id(root)
        if iid is None or iid in kept:
            continue
        if iid in replaced and marker == first:
            cuts[first] = root.start_mark.column
            out.append((first + 1, last))
        elif iid in replaced:
            out.append((first, last))
        else:   # folded away: the whole document with its markers
            out.append((first if marker is None else marker,
                        last if end is None else end))
    return out, cuts


def outside(lines, regions, cuts=None):
    drop = set()
    for first, last in regions:
        drop.update(range(first, last + 1))
    cuts = cuts or {}
    return "".join(l[:cuts[i]] + l[len(strip_eol(l)):] if i in cuts else l
                   for i, l in enumerate(lines) if i not in drop)


def strip_eol(s):
    return s[:-2] if s.endswith("\r\n") else \
        s[:-1] if s.endswith(("\n", "\r")) else s


def check_preserved(old_bytes, new_bytes):
    """None, or what was not preserved"""
    old, new = old_bytes.decode("utf-8"), new_bytes.decode("utf-8")
    old_docs, new_docs = documents(old), documents(new) if new.strip() else []
    news = regions_new(new_docs)
    olds, cuts = regions_old(old_docs, new_docs, news)
    a = outside(lines_of(old), olds, cuts)
    b = outside(lines_of(new), news.values())
    if not new:     # removed: only white space was left
        return None if not a.strip(" \t\n\v\f\r") else \
            "a removed file had more than white space around its Ingresses"
    # a file that ended without a line break still does: when its last
    # document goes, the line before it gives up its line break
    same = a == b if old.endswith("\n") else strip_eol(a) == strip_eol(b)
    if not same:
        return "bytes outside the Ingress documents changed"
    if new and old.endswith("\n") != new.endswith("\n"):
        return "the line break at the end was not kept"
    if new and old.startswith("\ufeff") != new.startswith("\ufeff"):
        return "the byte-order mark was not kept"
    return None


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def check_kustomization(old_bytes, new_bytes):
    """None, or the changed line that is not a resources entry"""
    old = lines_of(old_bytes.decode("utf-8"))
    new = lines_of(new_bytes.decode("utf-8"))
    for line in difflib.ndiff(old, new):
        if line[:2] not in ("- ", "+ "):
            continue
        body = line[2:]
        if not re.match(r"\s*- ", body) and \
                not re.match(r"resources:\s*\[", body):
            return f"a line other than a resources entry changed: {body!r}"
    return None


# ---- the checks of one case ----

class Case:
    def __init__(self, gwshift, case, tmp):
        self.gwshift, self.case, self.tmp = gwshift, case, tmp
        self.name = case.rstrip("/").split("fixtures/")[-1]
        self.args, self.report = read_args(case)
        self.failed = 0

    def result(self, check, problems):
        for p in problems:
            print(f"migrate-check: {self.name}: {check}: FAIL: {p}")
        if not problems:
            print(f"migrate-check: {self.name}: {check}: ok")
        self.failed += len(problems) > 0

    def copy(self, name):
        where = os.path.join(self.tmp, name)
        copy_inputs(self.case, where)
        return where

    def skip(self):
        return {self.report} if self.report else set()

    def dry_run(self):
        tree = self.copy("dry")
        before = snapshot(tree, self.skip())
        res = run(self.gwshift, ["migrate", "--dry-run"] + self.args[1:], tree)
        self.result("dry-run", same_tree(before, snapshot(tree, self.skip())))
        return tree, res

    def git_apply(self, dry, dry_res, real, real_res):
        problems = []
        patch = os.path.join(self.tmp, "dry.diff")
        with open(patch, "wb") as fh:
            fh.write(dry_res.stdout)
        if dry_res.stdout:
            app = subprocess.run(["git", "apply", "--whitespace=nowarn",
                                  patch], cwd=dry, capture_output=True)
            if app.returncode:
                problems.append("git apply: " + app.stderr.decode().strip())
        if dry_res.returncode != real_res.returncode:
            problems.append(f"exit {dry_res.returncode} with --dry-run, "
                            f"{real_res.returncode} without")
        problems += same_tree(snapshot(dry, self.skip()),
                              snapshot(real, self.skip()))
        self.result("git-apply", problems)

    def modes(self, before, after):
        problems = [f"'{rel}' mode {oct(after[rel][2])}, was "
                    f"{oct(before[rel][2])}"
                    for rel in before if before[rel][0] == "file" and
                    rel in after and after[rel][0] == "file" and
                    after[rel][1] != before[rel][1] and
                    after[rel][2] != before[rel][2]]
        self.result("modes", problems)

    def preserve(self, before, after):
        problems = []
        for rel, old in sorted(before.items()):
            new = after.get(rel, ("file", b"", 0))
            if old[0] != "file" or not rel.endswith((".yaml", ".yml")) or \
                    new[1] == old[1]:
                continue
            try:
                if os.path.basename(rel) in KUSTOMIZATIONS:
                    why = check_kustomization(old[1], new[1])
                else:
                    why = check_preserved(old[1], new[1])
            except yaml.YAMLError as err:
                why = f"PyYAML cannot read it: {err}"
            if why:
                problems.append(f"'{rel}': {why}")
        self.result("preserve", problems)

    def idempotent(self, real):
        before = snapshot(real, self.skip())
        again = run(self.gwshift, self.args, real)
        dry = run(self.gwshift, ["migrate", "--dry-run"] + self.args[1:], real)
        problems = same_tree(before, snapshot(real, self.skip()))
        if dry.stdout:
            problems.append("a second --dry-run prints a diff")
        if again.returncode != dry.returncode:
            problems.append("the second runs exit differently")
        self.result("idempotent", problems)

    def run_all(self):
        dry, dry_res = self.dry_run()
        real = self.copy("real")
        for dirpath, _, files in os.walk(real):
            for f in files:
                full = os.path.join(dirpath, f)
                if not os.path.islink(full):
                    os.chmod(full, 0o640)
        before = snapshot(real, self.skip())
        real_res = run(self.gwshift, self.args, real)
        after = snapshot(real, self.skip())
        self.git_apply(dry, dry_res, real, real_res)
        self.modes(before, after)
        self.preserve(before, after)
        self.idempotent(real)
        return self.failed


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    if shutil.which("git") is None:
        print("migrate-check: git is needed (scripts/setup.sh --test)",
              file=sys.stderr)
        return 1
    gwshift = os.path.abspath(argv[1])
    failed = 0
    for case in argv[2:]:
        with tempfile.TemporaryDirectory(prefix="gws-migrate-") as tmp:
            failed += Case(gwshift, os.path.abspath(case), tmp).run_all()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
