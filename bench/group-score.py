#!/usr/bin/env python3
"""group-score.py - scores reckon's grouping of group-gen.py claims.

Reads `reckon run --format jsonl` output (whose members carry the claims'
"truth" fields under "extra") and prints pairwise precision, recall and F1
of the grouping against the true incidents: of all pairs of claims reckon
put in one incident, the share that truly are one (precision), and of all
pairs that truly are one, the share reckon put together (recall).  Also
counts the merges that must never happen (claims of two different exact
days in one incident; a regional total with a claim of another incident)
and how many incidents inside a regional total are linked to it (parent,
or a parent's parent).

  reckon run --quiet --format jsonl claims.jsonl | group-score.py
"""
import collections
import json
import sys


def pairs(n):
    return n * (n - 1) // 2


def main():
    claim_incident = {}    # claim id -> reckon incident
    truth = {}             # claim id -> true incident
    truth_parent = {}      # true incident -> true total containing it
    totals = set()         # true incidents that are regional totals
    written_when = {}      # claim id -> its incident.when as written
    parent = {}            # reckon incident -> its parent
    for line in sys.stdin:
        est = json.loads(line)
        inc = est["incident"]
        parent[inc] = est.get("parent")
        for m in est["members"]:
            extra = m.get("extra", {})
            claim_incident[m["id"]] = inc
            truth[m["id"]] = extra["truth"]
            written_when[m["id"]] = extra["when_written"]
            if extra.get("truth_parent"):
                truth_parent[extra["truth"]] = extra["truth_parent"]
            if extra.get("truth_total"):
                totals.add(extra["truth"])
    cells = collections.Counter((claim_incident[c], truth[c]) for c in truth)
    found = collections.Counter(claim_incident[c] for c in truth)
    real = collections.Counter(truth[c] for c in truth)
    tp = sum(pairs(n) for n in cells.values())
    fp = sum(pairs(n) for n in found.values()) - tp
    fn = sum(pairs(n) for n in real.values()) - tp
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    # Merges that must never happen.
    truths_in = collections.defaultdict(set)
    days_in = collections.defaultdict(set)
    for c, inc in claim_incident.items():
        truths_in[inc].add(truth[c])
        if len(written_when[c]) == 10:  # an exact day, not a month or a period
            days_in[inc].add(written_when[c])
    total_merged = sum(1 for ts in truths_in.values()
                       if len(ts) > 1 and any(t in totals for t in ts))
    days_merged = sum(1 for ds in days_in.values() if len(ds) > 1)

    # Parent links: the incident most of a part's claims are in lies,
    # through parents, inside the incident most of its total's claims are in.
    by_truth = collections.defaultdict(collections.Counter)
    for c, t in truth.items():
        by_truth[t][claim_incident[c]] += 1
    main_incident = {t: cnt.most_common(1)[0][0] for t, cnt in by_truth.items()}
    linked = checked = 0
    for t, total in truth_parent.items():
        if total not in main_incident:
            continue
        checked += 1
        inc, seen = parent.get(main_incident[t]), set()
        while inc and inc not in seen:
            if inc == main_incident[total]:
                linked += 1
                break
            seen.add(inc)
            inc = parent.get(inc)

    print("claims %d, true incidents %d, reckon incidents %d" % (len(truth), len(real), len(found)))
    print("pairs: true %d, found %d, both %d" % (tp + fn, tp + fp, tp))
    print("precision %.4f  recall %.4f  F1 %.4f" % (precision, recall, f1))
    print("incidents with claims of two different days: %d" % days_merged)
    print("regional totals merged with other incidents: %d" % total_merged)
    print("incidents inside a regional total linked to it: %d of %d" % (linked, checked))


if __name__ == "__main__":
    main()
