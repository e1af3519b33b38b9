#!/usr/bin/env python3
"""population-models.py - why the Population benchmark is hard, in figures.

Two parts, both reading the data set where it lies (never copied here):

1. Where reckon's answer goes wrong (with --reckon): how many objects
   are off by more than 1%, by class of failure, and with --failures every
   such object with its claims (file order, source, kind, value, role,
   weight) and the truth.

2. What the claims can and cannot tell: how often a figure is right when
   the most prolific contributor (a bot) is agreed with or contested by
   anonymous and named contributors, and a discrete model of reckon's
   posterior for exact counts run with variants of source dependence
   (copying), scored on all objects and on two halves split by a fixed
   hash of the object name, so that a constant picked on one half can be
   judged on the other.

The truths are used only to score, except in the rows marked "ceiling",
which set each source's reliability from the truths (its share of right
figures on the objects with a truth, with its kind's prior) to show how far
a perfect reliability table would get, and whether the EM, started there,
stays.

The discrete model: every claim of the benchmark is an exact count, so
the posterior lives on the distinct figures of an object.  A claim is a
copy with probability q (its figure then says nothing: it was carried
along), else honest with its source's reliability r (it hits the truth)
or false (in the ballpark or wild, as in bayes.c: it hits a given figure
with a small chance).  Best is the posterior median; reliabilities are
learned by EM with each source's prior counting PRIOR_WEIGHT claims and
each object left out of its own sources' reliabilities, as reckon does.

    python3 bench/population-models.py [--reckon build/reckon [--failures]] [DIR]
"""
import argparse
import collections
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import population  # noqa: E402  (read_claims, read_truth, anonymous)

SLOPPY_SHARE, SLOPPY_SD, WILD_SPAN = 0.8, 0.4, 6.9  # bayes.c: a false claim is in the ballpark or wild
PRIOR_WEIGHT = 4.0   # rules/sources: claims' worth of a kind's prior
PRIOR = {"anonymous": 0.40, "individual": 0.55}
ROUNDS = 15


def kind(source):
    return "anonymous" if population.anonymous(source) else "individual"


def load(data):
    by = collections.defaultdict(list)
    for obj, source, value in population.read_claims(os.path.join(data, "claims.tsv")):
        if value <= 10 ** 12:  # reckon rejects larger counts
            by[obj].append((source, value))
    truth = population.read_truth(os.path.join(data, "truth.txt"))
    return by, {k: v for k, v in truth.items() if k in by}


class Model:
    """EM over sources for all-exact claims, with a copy probability per claim."""

    def __init__(self, by, copies=None, ceiling=None, start=None):
        self.by = by
        self.copies = copies or (lambda claims, r: [0.0] * len(claims))
        self.sources = sorted({s for cs in by.values() for s, _ in cs})
        self.ceiling = ceiling  # fixed reliabilities, not learned
        self.start = start      # reliabilities the EM starts from, instead of the priors
        self.learned = {}

    @staticmethod
    def false_hit(c, v):
        """The chance that a false claim of figure c is said when the truth is v:
        bayes.c's ballpark-or-wild density in u = ln(N + 1), over v's unit cell."""
        z = (math.log1p(c) - math.log1p(v)) / SLOPPY_SD
        dens = SLOPPY_SHARE * math.exp(-0.5 * z * z) / (SLOPPY_SD * math.sqrt(2 * math.pi)) + \
            (1 - SLOPPY_SHARE) / WILD_SPAN
        return dens / (v + 1)

    def hit(self, r, c, v):
        return r * (c == v) + (1 - r) * self.false_hit(c, v)

    @staticmethod
    def copy(q, c, v):
        """A copy says its figure c whatever the truth v: a peak at c, as dense
        as an honest one, scaled like hit() to v's cell."""
        return q * (c + 1) / (v + 1)

    def posterior(self, claims, q, r):
        figures = sorted({v for _, v in claims})
        logp = []
        for v in figures:
            # A peak one count wide, on the uniform prior in u, is (v + 1)
            # times as dense as a false claim's density per unit of u.
            lp = (len(claims) - 1) * math.log1p(v)
            for (s, c), qc in zip(claims, q):
                lp += math.log(self.copy(qc, c, v) + (1 - qc) * self.hit(r(s), c, v))
            logp.append(lp)
        top = max(logp)
        p = [math.exp(x - top) for x in logp]
        total = sum(p)
        return figures, [x / total for x in p]

    def learn(self):
        """Reliabilities by EM; returns a function object -> (source -> r) (leave one out)."""
        prior = {s: PRIOR[kind(s)] for s in self.sources}
        if self.ceiling:
            return lambda obj: (lambda s: self.ceiling[s])
        r_all = dict(self.start or prior)
        own = {}
        for _ in range(ROUNDS):
            num = collections.defaultdict(float)
            den = collections.defaultdict(float)
            last, own = own, {}
            for obj, claims in self.by.items():
                if len({s for s, _ in claims}) < 2:
                    continue
                r = self._r_without(r_all, last, obj, prior)
                q = self.copies(claims, r)
                figures, p = self.posterior(claims, q, r)
                mine = collections.defaultdict(lambda: [0.0, 0.0])
                for (s, c), qc in zip(claims, q):
                    honest = indep = 0.0
                    for v, pv in zip(figures, p):
                        hit = self.hit(r(s), c, v)
                        like = self.copy(qc, c, v) + (1 - qc) * hit
                        honest += pv * (1 - qc) * r(s) * (c == v) / like
                        indep += pv * (1 - qc) * hit / like
                    mine[s][0] += honest
                    mine[s][1] += indep
                own[obj] = mine
                for s, (h, n) in mine.items():
                    num[s] += h
                    den[s] += n
            self.num, self.den = num, den
            r_all = {s: self._shrink(prior[s], num[s], den[s]) for s in self.sources}
        self.learned = r_all
        return lambda obj: self._r_without(r_all, own, obj, prior)

    @staticmethod
    def _shrink(prior, num, den):
        return min(0.99, max(0.01, (prior * PRIOR_WEIGHT + num) / (PRIOR_WEIGHT + den)))

    def _r_without(self, r_all, own, obj, prior):
        mine = own.get(obj)
        if not mine or not hasattr(self, "num"):
            return lambda s: r_all[s]
        return lambda s: (self._shrink(prior[s], self.num[s] - mine[s][0], self.den[s] - mine[s][1])
                          if s in mine else r_all[s])

    def estimates(self, objects):
        r_of = self.learn()
        out = {}
        for obj in objects:
            claims = self.by[obj]
            r = r_of(obj)
            figures, p = self.posterior(claims, self.copies(claims, r), r)
            acc = 0.0
            for v, pv in zip(figures, p):
                acc += pv
                if acc >= 0.5:
                    out[obj] = v
                    break
        return out


def shared_figures(claims):
    """The claims of each figure that two sources or more give, as index lists."""
    groups = collections.defaultdict(list)
    for i, (_, v) in enumerate(claims):
        groups[v].append(i)
    return [idx for idx in groups.values() if len({claims[i][0] for i in idx}) > 1]


def anonymous_copies(q):
    """An anonymous claim repeating another source's figure is a copy with probability q."""
    def copies(claims, r):
        out = [0.0] * len(claims)
        for idx in shared_figures(claims):
            for i in idx:
                if population.anonymous(claims[i][0]):
                    out[i] = q
            if all(out[i] > 0 for i in idx):
                out[idx[0]] = 0.0
        return out
    return copies


def repeat_copies(by, q):
    """A source whose figures others share is a copier in proportion to how
    often they do (shrunk towards none); in each shared figure the least
    copying holder is the original."""
    n = collections.Counter()
    shared = collections.Counter()
    for claims in by.values():
        if len({s for s, _ in claims}) < 2:
            continue
        repeated = {i for idx in shared_figures(claims) for i in idx}
        for i, (s, _) in enumerate(claims):
            n[s] += 1
            shared[s] += i in repeated
    rate = {s: shared[s] / (n[s] + PRIOR_WEIGHT) for s in n}

    def copies(claims, r):
        out = [0.0] * len(claims)
        for idx in shared_figures(claims):
            for i in idx:
                out[i] = q * rate.get(claims[i][0], 0.0)
            out[min(idx, key=lambda i: (out[i], i))] = 0.0
        return out
    return copies


def score(est, truth, objects):
    objects = list(objects)
    wrong = sum(1 for k in objects if abs(est[k] - truth[k]) > 0.01 * truth[k])
    mae = sum(abs(est[k] - truth[k]) for k in objects) / len(objects)
    return 100.0 * wrong / len(objects), mae


def agreement_table(by, truth):
    """How often the most prolific source is right, by who agrees or contests it."""
    count = collections.Counter(s for cs in by.values() for s, _ in cs)
    top = count.most_common(1)[0][0]
    rows = collections.defaultdict(lambda: [0, 0])
    for obj, t in truth.items():
        claims = by[obj]
        mine = [v for s, v in claims if s == top]
        if not mine:
            continue
        v = mine[0]
        others = [(s, w) for s, w in claims if s != top]
        tags = []
        for k in ("anonymous", "individual"):
            if any(w == v and kind(s) == k for s, w in others):
                tags.append("agreed by %s" % k)
            if any(w != v and abs(w - v) < 0.5 * v and kind(s) == k for s, w in others):
                tags.append("contested by %s" % k)
        for tag in ["all"] + (tags or ["neither (no other figure near)"]):
            rows[tag][0] += v == t
            rows[tag][1] += 1
    return top, count[top], rows


def failures(reckon, data, truth, listing):
    """Runs reckon on the benchmark (with contributor kinds) and counts its
    wrong objects by class; with @listing, lists them with their claims."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, os.path.join(HERE, "population.py"), "--kinds", data, work], check=True)
        p = subprocess.run([reckon, "run", "--quiet", "--format", "jsonl", "--rules", os.path.join(work, "rules"),
                            os.path.join(work, "claims.jsonl")], capture_output=True, text=True)
        if p.returncode not in (0, 4):  # 4: some claims rejected (counts above 10^12)
            sys.exit("population-models: reckon failed (%d): %s" % (p.returncode, p.stderr))
        with open(os.path.join(work, "claims.jsonl"), encoding="utf-8") as f:
            raw = [json.loads(line) for line in f]
    order = {c["id"]: n for n, c in enumerate(raw, 1)}
    est = {}
    for line in filter(None, p.stdout.split("\n")):
        e = json.loads(line)
        est[e["incident"]] = e
    classes = collections.Counter()
    if listing:
        print("Objects reckon gets wrong by more than 1% (claims in file order: line, source, kind, value, role, "
              "weight)")
    for obj in sorted(truth):
        e = est[obj]
        t = truth[obj]
        if abs(e["best"] - t) <= 0.01 * t:
            continue
        members = sorted(e["members"], key=lambda m: order[m["id"]])
        if listing:
            print("  %s: truth %d, reckon %d [%d, %s]" % (obj, t, e["best"], e["low"], e["high"]))
            for m in members:
                print("    %5d  %-40s %-10s %12s  %-8s %.2f%s" %
                      (order[m["id"]], m["source"][:40], kind(m["source"]), m["value"], m["role"], m["weight"],
                       "  = truth" if m["low"] == t == m["high"] else ""))
        said = [m for m in members if m["low"] == t == m["high"]]
        won = [m for m in members if m["low"] == e["best"] == m["high"]]
        if not said:
            classes["no claim gives the truth"] += 1
        elif len(won) > len(said):
            classes["more claims repeat the chosen figure than the truth"] += 1
        else:
            classes["as many claims each way (or fewer): reliabilities decided"] += 1
    print("reckon (bayes, contributor kinds): %d of %d objects wrong by more than 1%%, by class:" %
          (sum(classes.values()), len(truth)))
    for name, n in classes.most_common():
        print("    %3d  %s" % (n, name))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", nargs="?", default=os.path.join(HERE, "..", "..", "shared", "data", "population"))
    ap.add_argument("--reckon", default=None, help="also count where this reckon goes wrong, by class")
    ap.add_argument("--failures", action="store_true", help="with --reckon, list every wrong object with its claims")
    args = ap.parse_args()
    by, truth = load(args.data)
    halves = [[k for k in truth if population.half(k) == h] for h in (0, 1)]

    if args.reckon:
        failures(args.reckon, args.data, truth, args.failures)

    top, n, rows = agreement_table(by, truth)
    print("The most prolific source (%s, %d claims) on the %d objects with a truth where it speaks:" %
          (top, n, sum(1 for k in truth if any(s == top for s, _ in by[k]))))
    for tag in sorted(rows, key=lambda t: (t != "all", t)):
        right, total = rows[tag]
        print("  %-26s right %3d of %3d (%.0f%%)" % (tag, right, total, 100.0 * right / total))

    ok = collections.Counter()
    seen = collections.Counter()
    for k, t in truth.items():
        for s, v in by[k]:
            seen[s] += 1
            ok[s] += v == t
    ceiling = {s: Model._shrink(PRIOR[kind(s)], ok[s], seen[s]) for s in {s for cs in by.values() for s, _ in cs}}

    variants = [("no copying (reckon's model)", Model(by))]
    for q in (0.5, 0.9):
        variants.append(("anonymous repeats copies, q=%.1f" % q, Model(by, anonymous_copies(q))))
    for q in (0.3, 0.5, 0.8):
        variants.append(("repeat rate x %.1f" % q, Model(by, repeat_copies(by, q))))
    variants.append(("ceiling: reliabilities from truths", Model(by, ceiling=ceiling)))
    variants.append(("ceiling + anonymous copies q=0.9", Model(by, anonymous_copies(0.9), ceiling=ceiling)))
    variants.append(("EM started from the ceiling", Model(by, start=ceiling)))
    print("Discrete model of the posterior, %d objects (half A %d, half B %d): wrong by >1%%, MAE" %
          (len(truth), len(halves[0]), len(halves[1])))
    print("  %-38s %16s %16s %16s" % ("variant", "all", "half A", "half B"))
    for name, model in variants:
        est = model.estimates(truth)
        cells = [score(est, truth, objs) for objs in (truth, halves[0], halves[1])]
        print("  %-38s %s" % (name, " ".join("%6.1f%% %8.0f" % c for c in cells)))
        if model.start:
            print("  %-38s %s: reliability %.2f at the start, %.2f learned" %
                  ("", top.split(": ")[-1], model.start[top], model.learned[top]))


if __name__ == "__main__":
    main()
