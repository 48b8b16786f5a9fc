#!/usr/bin/env python3
# check-fixtures.py - every fixture folder is registered in cases.txt, and back
# SPDX-License-Identifier: MIT
"""usage: check-fixtures.py FIXTURES_DIR

A fixture case is a folder under FIXTURES_DIR that holds an `args` file
(folders inside an `expected/` folder do not count). FIXTURES_DIR/cases.txt
lists the cases, one path relative to FIXTURES_DIR per line; `#` starts a
comment. Fails (exit 1, one line per problem on stderr) when a case folder
is not listed, a listed case has no folder or no args file, or a case is
listed twice. Prints nothing and exits 0 when all is well.
"""
import os
import sys


def listed_cases(path):
    """The cases of cases.txt in order, and the problems found reading it."""
    cases, problems = [], []
    with open(path, encoding="utf-8") as fh:
        for num, line in enumerate(fh, 1):
            case = line.split("#", 1)[0].strip()
            if not case:
                continue
            norm = os.path.normpath(case)
            if case != norm or case.startswith(("/", "..")):
                problems.append(f"cases.txt:{num}: '{case}' is not a plain "
                                f"relative path (write '{norm}')")
            elif case in cases:
                problems.append(f"cases.txt:{num}: '{case}' is listed twice")
            else:
                cases.append(case)
    return cases, problems


def case_folders(root):
    """Every folder under root with an args file, outside expected/ folders."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "expected")
        if "args" in filenames and dirpath != root:
            found.add(os.path.relpath(dirpath, root).replace(os.sep, "/"))
    return found


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    root = argv[1]
    cases_txt = os.path.join(root, "cases.txt")
    if not os.path.isfile(cases_txt):
        print(f"{cases_txt}: missing (list the fixture cases there)",
              file=sys.stderr)
        return 1
    cases, problems = listed_cases(cases_txt)
    folders = case_folders(root)
    for case in cases:
        where = os.path.join(root, case)
        if not os.path.isdir(where):
            problems.append(f"case '{case}' is in cases.txt but "
                            f"fixtures/{case}/ does not exist")
        elif not os.path.isfile(os.path.join(where, "args")):
            problems.append(f"case '{case}' is in cases.txt but "
                            f"fixtures/{case}/ has no args file")
    for folder in sorted(folders - set(cases)):
        problems.append(f"fixture folder 'fixtures/{folder}' has an args "
                        f"file but is not listed in fixtures/cases.txt")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
