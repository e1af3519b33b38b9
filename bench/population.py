#!/usr/bin/env python3
"""population.py - the Population truth-discovery benchmark as reckon claims.

Reads the data set where it lies (never copies it into the project):

  DIR/claims.tsv   object<TAB>source<TAB>value<TAB>year   (Latin-1)
  DIR/truth.txt    city, state, year, value

Each object ("cleveland, ohio_2000") becomes one incident with that key;
each line one claim: the contributor is the source, the value an exact
count of the non-cumulative metric "population", added by a rules
directory written next to the claims.  Contributors known only by an IP
address ("contributor #0 (1.2.3.4)") are anonymous edits: with
--kinds they get the kind "anonymous" in that rules directory, the others
"individual"; without it every contributor has the kind "unknown".

Writes, into OUT (created):
  claims.jsonl   reckon claims
  truth.tsv      incident key, true value (objects that have claims only)
  rules/metrics  population | no
  rules/sources  (with --kinds) contributor kinds

    python3 bench/population.py [--kinds] [DIR] OUT
"""
import argparse
import json
import os
import zlib


def read_claims(path):
    """(object, source, value) per line, in file order."""
    out = []
    with open(path, encoding="latin-1") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                continue
            obj, source, value, _year = fields
            out.append((obj.strip(), source.strip(), int(value)))
    return out


def read_truth(path):
    """object -> true value; the object name is the city and state, '_', the year."""
    truth = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            parts = [p.strip() for p in line.split(",")]
            if len(parts) < 3:
                continue
            truth["%s_%s" % (", ".join(parts[:-2]), parts[-2])] = int(parts[-1])
    return truth


def anonymous(source):
    return source.startswith("contributor #0 (")


def half(obj):
    """0 or 1, fixed by the object's name: halves for choosing a constant on
    one and judging it on the other."""
    return zlib.crc32(obj.encode("utf-8")) & 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                            "shared", "data", "population"))
    ap.add_argument("out")
    ap.add_argument("--kinds", action="store_true", help="anonymous and individual kinds for contributors")
    args = ap.parse_args()
    claims = read_claims(os.path.join(args.data, "claims.tsv"))
    truth = read_truth(os.path.join(args.data, "truth.txt"))
    os.makedirs(os.path.join(args.out, "rules"), exist_ok=True)
    with open(os.path.join(args.out, "rules", "metrics"), "w") as f:
        f.write("# The Population benchmark counts inhabitants; a count is not a toll that grows.\n"
                "population | no | inhabitants\n")
    sources_path = os.path.join(args.out, "rules", "sources")
    if args.kinds:
        with open(sources_path, "w") as f:
            f.write("# Contributors of the Population benchmark: IP addresses are anonymous edits.\n")
            for source in sorted({s for _, s, _ in claims}):
                # A '|' or ',' would split the row; no contributor name here has one.
                if "|" in source or "," in source:
                    continue
                f.write("source | %s | %s\n" % (source, "anonymous" if anonymous(source) else "individual"))
    elif os.path.exists(sources_path):
        os.remove(sources_path)
    with open(os.path.join(args.out, "claims.jsonl"), "w", encoding="utf-8") as f:
        for n, (obj, source, value) in enumerate(claims, 1):
            year = obj.rsplit("_", 1)[-1]
            claim = {"id": "p%05d" % n, "source": source, "metric": "population", "value": value,
                     "incident": {"key": obj, "where": obj.rsplit("_", 1)[0], "when": year}}
            f.write(json.dumps(claim, ensure_ascii=False) + "\n")
    objects = {o for o, _, _ in claims}
    with open(os.path.join(args.out, "truth.tsv"), "w", encoding="utf-8") as f:
        for obj in sorted(truth):
            if obj in objects:
                f.write("%s\t%d\n" % (obj, truth[obj]))


if __name__ == "__main__":
    main()
