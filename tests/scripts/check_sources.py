#!/usr/bin/env python3
"""Every number in a shipped scenario carries its source.

A line of a scenario file that gives a number must have a comment on the
line, or belong to an item (a plant, technology, carrier, species, policy,
product, ...) or section whose block has a `source:` field. Years that only
place the horizon or a policy's window are not data and need no source.
Prints each unsourced line; exits 1 if there is any.
"""
import re
import sys
from pathlib import Path

NUM = re.compile(r"(?<![\w.])[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?(?![\w.])")
EXEMPT_KEYS = {"format", "horizon", "start", "end", "years", "from", "name", "description", "extends",
               "interp", "notes", "source", "applies_to", "technologies", "plants", "type", "indicator",
               "species", "technology", "group", "per_plant", "objective", "currency", "region", "unit",
               "product", "per", "on", "closable", "reopenable"}


def strip_comment(line):
    out, q = [], None
    for i, ch in enumerate(line):
        if q:
            if ch == q:
                q = None
        elif ch in "\"'":
            q = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return "".join(out), line[i:]
        out.append(ch)
    return "".join(out), ""


def check(path):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    bad = []
    parsed = []
    for ln in lines:
        body, comment = strip_comment(ln)
        ind = len(body) - len(body.lstrip(" "))
        parsed.append((ind, body.strip(), comment))
    in_block_scalar = None
    for i, (ind, body, comment) in enumerate(parsed):
        if in_block_scalar is not None:
            if body == "" or ind > in_block_scalar:
                continue
            in_block_scalar = None
        if not body or body.startswith("#"):
            continue
        if re.search(r":\s*[>|][-+]?$", body):
            in_block_scalar = ind
            continue
        m = re.match(r"^(-\s*)?([\w\-\"']+)\s*:\s*(.*)$", body)
        key, value = (m.group(2).strip("\"'"), m.group(3)) if m else (None, body)
        if key in EXEMPT_KEYS or (key and key.isdigit() and not value):
            continue
        if not NUM.search(value if m else body):
            continue
        if key and key.isdigit() and parsed_parent_key(parsed, i) in EXEMPT_KEYS:
            continue
        if comment:
            continue
        if has_source_above(parsed, i):
            continue
        bad.append(f"{path}:{i + 1}: {lines[i].strip()}")
    return bad


def parsed_parent_key(parsed, i):
    ind = parsed[i][0]
    for j in range(i - 1, -1, -1):
        pind, body, _ = parsed[j]
        if body and pind < ind:
            m = re.match(r"^(-\s*)?([\w\-\"']+)\s*:", body)
            return m.group(2).strip("\"'") if m else None
    return None


def has_source_above(parsed, i):
    """Is there a `source:` key in an enclosing block (any ancestor but the file's top)?"""
    ind = parsed[i][0]
    j = i
    while ind > 0:
        # find the parent line
        k = j - 1
        while k >= 0 and (not parsed[k][1] or parsed[k][0] >= ind or parsed[k][1].startswith("#")):
            k -= 1
        if k < 0:
            return False
        pind = parsed[k][0]
        # scan the parent's block for a source key at the child indentation
        m = k + 1
        while m < len(parsed) and (not parsed[m][1] or parsed[m][0] > pind):
            if parsed[m][0] == ind and re.match(r"^source\s*:", parsed[m][1]):
                return True
            m += 1
        # a flow map on the parent line itself may hold source
        if "source:" in parsed[k][1]:
            return True
        j, ind = k, pind
    return False


def main(argv):
    files = []
    for a in argv[1:]:
        p = Path(a)
        # references*.yaml are citation files (PROVENANCE.md), not scenarios
        files += sorted(f for f in p.rglob("*.yaml") if not f.name.startswith("references")) if p.is_dir() else [p]
    bad = []
    for f in files:
        bad += check(f)
    for b in bad:
        print("unsourced number:", b)
    print(f"{len(files)} scenario files checked, {len(bad)} unsourced numbers")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
