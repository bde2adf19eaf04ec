"""Every number of every shipped scenario is cited or marked as an assumption.

    check_evidence.py TECHROAD_CLI PATH...

PATH is a scenario file or a folder searched for *.yaml (references files in
refs/ folders are not scenarios). Reads `techroad audit --format csv` (the
library's own reading of `source:`/`sources:`, docs/MODEL.md "Provenance")
and fails when a number has only free text or no source at all. Prints the
share of numbers sourced per case.
"""
import csv
import io
import pathlib
import subprocess
import sys


def scenarios(path):
    p = pathlib.Path(path)
    if p.is_file():
        return [p]
    return sorted(f for f in p.rglob("*.yaml") if "refs" not in f.parts)


def main(cli, paths):
    bad, seen = [], {}
    for path in paths:
        for f in scenarios(path):
            out = subprocess.run([cli, "audit", str(f), "--format", "csv", "--no-ranking"], capture_output=True, text=True)
            if out.returncode != 0:
                bad.append(f"{f}: techroad audit failed: {out.stderr.strip()}")
                continue
            for row in csv.DictReader(io.StringIO(out.stdout)):
                if row["file"] == "total":
                    continue
                seen[row["file"]] = row     # a file counted by several scenarios: same numbers
    for name, row in sorted(seen.items()):
        for col in ("free_text", "neither"):
            if int(row[col]):
                bad.append(f"{name}: {row[col]} numbers with {col.replace('_', ' ')} (expected a citation key "
                           f"or an assumption; `techroad audit --numbers` lists them)")
    cases = {}
    for name, row in seen.items():
        case = pathlib.Path(name).parent.name
        c = cases.setdefault(case, [0, 0, 0])
        c[0] += int(row["numbers"])
        c[1] += int(row["sourced"])
        c[2] += int(row["assumption"])
    for case, (n, s, a) in sorted(cases.items()):
        print(f"{case}: {n} numbers, {s} sourced ({100 * s / max(n, 1):.0f} %), {a} assumptions")
    for b in bad:
        print(b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
