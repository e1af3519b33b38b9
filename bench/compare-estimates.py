#!/usr/bin/env python3
"""compare-estimates.py - how far two runs' estimates differ, estimate by estimate.

Reads two `reckon run --format jsonl` outputs of the same claims, pairs
their estimates by incident id, metric and sub-population, and prints how
many lines differ, how many moved low, best or high (and by more than
max(1, 1%)), and the largest relative change of each of the three with
the estimate it happened in.  An open high counts as an infinite change.

    python3 bench/compare-estimates.py BEFORE.jsonl AFTER.jsonl
"""
import json
import sys

FIELDS = ("low", "best", "high")


def load(path):
    """(incident, metric, who) -> (line, estimate without its members)."""
    out = {}
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            cut = line.find(',"members"')  # the members are not compared field by field
            e = json.loads(line[:cut] + "}" if cut > 0 else line)
            out[(e["incident"], e["metric"], e["who"])] = (line, e)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n")[-1].strip())
    a, b = load(sys.argv[1]), load(sys.argv[2])
    if a.keys() != b.keys():
        sys.exit("compare-estimates: the two runs have different estimates (%d and %d, %d in common)" %
                 (len(a), len(b), len(a.keys() & b.keys())))
    lines = moved = far = 0
    largest = {f: (0.0, None) for f in FIELDS}
    best_moves = []          # relative change of best, every estimate whose best moved
    by_size = [[0, 0], [0, 0]]  # [estimates, of which best moved by more than 1%]: up to 16 claims, more
    for key in sorted(a, key=lambda k: (k[0], k[1], k[2] or "")):
        (la, ea), (lb, eb) = a[key], b[key]
        size = by_size[ea["claims"] > 16]
        size[0] += 1
        if ea["best"] != eb["best"]:
            rel_best = abs(eb["best"] - ea["best"]) / max(abs(ea["best"]), 1)
            best_moves.append(rel_best)
            size[1] += rel_best > 0.01
        if la == lb:
            continue
        lines += 1
        changed = False
        for f in FIELDS:
            x, y = ea[f], eb[f]
            if x == y:
                continue
            changed = True
            if x is None or y is None:
                rel = float("inf")
            else:
                rel = abs(y - x) / max(abs(x), 1)
                far += abs(y - x) > max(1, 0.01 * abs(x))
            if rel > largest[f][0]:
                largest[f] = (rel, "%s %s %s: %s -> %s (%d claims)" % (key + (x, y, ea["claims"])))
        moved += changed
    print("estimates %d; lines that differ %d; low, best or high moved in %d; "
          "values moved by more than max(1, 1%%): %d" % (len(a), lines, moved, far))
    best_moves.sort()
    if best_moves:
        print("  best moved in %d estimates: median relative change %.4f, 90th percentile %.4f, "
              "99th %.4f" % (len(best_moves), best_moves[len(best_moves) // 2],
                             best_moves[int(0.9 * len(best_moves))], best_moves[int(0.99 * len(best_moves))]))
    for label, (n, big) in zip(("up to 16 claims", "more than 16 claims"), by_size):
        print("  estimates of %s: %d, best moved by more than 1%% in %d" % (label, n, big))
    for f in FIELDS:
        rel, where = largest[f]
        print("  largest relative change of %-4s %.3f%s" % (f + ":", rel, "  (" + where + ")" if where else ""))


if __name__ == "__main__":
    main()
