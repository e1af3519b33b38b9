#!/usr/bin/env python3
"""synth.py - synthetic claims with known true tolls, for the accuracy benchmark.

Each incident has a final toll T.  The count known on day d after it rises
towards T (tolls grow as the badly wounded die and bodies are found):

    K(d) = T * (1 - (1 - f0) * exp(-d / tau))

with f0 (the share known on the first day, from 40% to all of it) and
tau (how many days it takes to find most of the rest, half a day to three)
drawn per incident.  Sources differ in honesty (the chance that a
report is the count they know), bias (a government that counts 0.7 of
its side's dead, an outlet that runs high), speed (how many days after the
incident they report) and style (how they phrase a number).  A dishonest
report is sloppy (the count times a random factor) or wild (off by up to
a factor of 100: typos, another metric, another incident).  Some reports
are relayed by outlets (the same origin again, with "via"); some sources
update their count later.  Phrases cover every kind reckon reads: exact,
"at least", "more than", "about", "between", "nearly", "up to" and vague
words.

Writes, into OUT (created):
  claims.jsonl   reckon claims, one incident key per incident
  truth.tsv      incident key, true final toll
  rules/sources  the synthetic sources and their kinds, for --rules

    python3 bench/synth.py [--incidents N] [--seed S] [--reporters N] OUT
"""
import argparse
import json
import math
import os
import random

KINDS = [
    # kind, share of sources, honesty range, chance of a bias, speed (days) range
    ("government", 0.15, (0.75, 0.9), 0.5, (0, 2)),
    ("monitor", 0.12, (0.85, 0.97), 0.1, (1, 6)),
    ("rescue service", 0.10, (0.8, 0.95), 0.1, (0, 1)),
    ("UN agency", 0.08, (0.85, 0.97), 0.0, (3, 10)),
    ("media", 0.30, (0.65, 0.9), 0.3, (0, 4)),
    ("individual", 0.15, (0.4, 0.8), 0.4, (0, 5)),
    ("anonymous", 0.10, (0.25, 0.6), 0.4, (0, 3)),
]

STYLES = ["exact", "at_least", "more_than", "about", "between", "nearly", "up_to", "vague"]

VAGUE = [  # word, low, high (as in rules/quantifiers)
    ("several", 3, 7), ("dozens", 24, 99), ("scores", 40, 199), ("hundreds", 200, 999),
    ("thousands", 2000, 9999), ("tens of thousands", 20000, 99999),
]


def round_sig(x, digits, how):
    """Rounds x to `digits` significant digits, down, up or nearest."""
    if x <= 0:
        return 0
    mag = 10 ** max(0, int(math.floor(math.log10(x))) - digits + 1)
    f = {"down": math.floor, "up": math.ceil, "near": round}[how]
    return int(f(x / mag) * mag)


def phrase(v, style, rng):
    """A phrase for the count v in a source's style, as a reporter writes it."""
    if v <= 0:
        return "none"
    if style == "exact" or v < 3:
        return str(v)
    if style == "at_least":
        return "at least %d" % v
    if style == "more_than":
        r = round_sig(v - 1, rng.choice([1, 2]), "down")
        return "more than %d" % r if r >= 1 else str(v)
    if style == "about":
        return "about %d" % round_sig(v, rng.choice([1, 2]), "near")
    if style == "between":
        lo = round_sig(v * rng.uniform(0.75, 0.95), 2, "down")
        hi = round_sig(v * rng.uniform(1.05, 1.3), 2, "up")
        return "between %d and %d" % (lo, hi) if lo < hi else str(v)
    if style == "nearly":
        r = round_sig(v, 1, "up")
        return "nearly %d" % r if v >= 0.9 * r and r > v else str(v)
    if style == "up_to":  # an upper estimate, not the count so far
        return "up to %d" % round_sig(v * rng.uniform(1.0, 1.4), 2, "up")
    for word, lo, hi in VAGUE:
        if lo <= v <= hi:
            return word
    return "about %d" % round_sig(v, 2, "near")


def make_sources(n, rng):
    sources = []
    for i in range(n):
        r = rng.random()
        for kind, share, honesty, p_bias, speed in KINDS:
            r -= share
            if r <= 0:
                break
        bias = 1.0
        if rng.random() < p_bias:
            bias = rng.choice([rng.uniform(0.55, 0.85), rng.uniform(1.15, 1.6)])
        styles = rng.sample(STYLES, 3)
        sources.append({
            "name": "%s %02d" % (kind.title().replace(" ", ""), i),
            "kind": kind,
            "honesty": rng.uniform(*honesty),
            "bias": bias,
            "delay": rng.uniform(*speed),
            "styles": styles,
            "outlets": rng.sample(["Wire A", "Wire B", "Outlet C", "Outlet D", "Outlet E"], 2),
        })
    return sources


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--incidents", type=int, default=600)
    ap.add_argument("--sources", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reporters", type=int, default=0,
                    help="each incident reported by N/2 to N sources (at most --sources), "
                         "instead of 1 to 8: large estimates")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "rules"), exist_ok=True)
    sources = make_sources(args.sources, rng)

    with open(os.path.join(args.out, "rules", "sources"), "w") as f:
        f.write("# Synthetic sources (bench/synth.py) and their kinds.\n")
        for s in sources:
            f.write("source | %s | %s\n" % (s["name"], s["kind"]))

    claims = open(os.path.join(args.out, "claims.jsonl"), "w")
    truth = open(os.path.join(args.out, "truth.tsv"), "w")
    n_claims = 0
    for k in range(args.incidents):
        key = "inc-%04d" % k
        total = max(1, int(round(math.exp(rng.uniform(math.log(1), math.log(20000))))))
        f0 = rng.uniform(0.4, 1.0)
        tau = rng.uniform(0.5, 3)
        truth.write("%s\t%d\n" % (key, total))
        if args.reporters:
            reporters = rng.sample(sources, rng.randint(max(1, args.reporters // 2), args.reporters))
        else:
            reporters = rng.sample(sources, rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 8]))
        for s in reporters:
            reports = 2 if rng.random() < 0.2 else 1
            day = s["delay"] + rng.expovariate(1.0)
            for r in range(reports):
                if r:
                    day += rng.uniform(1, 5)
                known = total * (1 - (1 - f0) * math.exp(-day / tau))
                v = known * s["bias"]
                if rng.random() > s["honesty"]:
                    if rng.random() < 0.75:
                        v *= math.exp(rng.gauss(0, 0.5))
                    else:
                        v *= 10 ** rng.uniform(-2, 2)
                v = max(0, int(round(v)))
                text = phrase(v, rng.choice(s["styles"]), rng)
                as_of = "2024-01-%02d" % (1 + min(27, int(day)))
                relays = [[]] + ([[o] for o in s["outlets"]] if rng.random() < 0.3 else [])
                for via in relays:
                    n_claims += 1
                    claim = {
                        "id": "c%06d" % n_claims, "source": s["name"], "via": via,
                        "as_of": as_of, "metric": "killed", "value": text,
                        "incident": {"key": key, "where": "Town %d" % k, "when": "2024-01-01"},
                    }
                    claims.write(json.dumps(claim) + "\n")
    claims.close()
    truth.close()


if __name__ == "__main__":
    main()
