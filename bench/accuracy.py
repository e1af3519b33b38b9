#!/usr/bin/env python3
"""accuracy.py - reckon's accuracy against known truths, next to baselines.

Two benchmarks, each scored for reckon (the default bayes method, which
learns source reliability across the run) and for baselines computed here
from the same claims:

  median          the median of the claims' figures
  conservative    the smallest figure (ACLED's "most conservative")
  latest          the figure of the claim whose count is latest (as_of;
                  the Population set has no dates, so its file order)
  CRH             Li et al. 2014: source weights -log(normalised loss),
                  truth the weighted median (on log counts)
  CATD            Li et al. 2015: weights chi2(alpha/2, claims) / squared
                  error, truth the weighted mean (on log counts)

A claim's figure is the number a reader would quote (reckon range): 101
for "over 100", 36 for "dozens".  Echoes (the same source repeating a
figure through outlets) are given to the baselines as they come, like
any naive tally would see them.

Synthetic (bench/synth.py): mean |ln(estimate / truth)| over incidents
(counts +1), and for reckon how often the truth lies in [low, high].
Population (bench/population.py, read from ../shared/data/population at run
time): share of objects wrong by more than 1%, and mean absolute error;
then bench/population-models.py: reckon's failures by class, how often
the most prolific source is right when agreed with or contested, and a
discrete model of the posterior with variants of source dependence.

    python3 bench/accuracy.py [--reckon build/reckon] [--population DIR]
                              [--seeds 1,2,3] [--incidents N] [--work DIR]
                              [--reporters N] [--synthetic-only]
"""
import argparse
import collections
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from population import half as population_half  # noqa: E402


def run(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if p.returncode not in (0, 4):  # 4: some claims rejected, the rest estimated
        sys.exit("accuracy: %s failed (%d): %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout


def figures(reckon, phrases):
    """phrase -> figure, read by reckon itself."""
    phrases = sorted(set(phrases))
    out = run([reckon, "range", "-"], "\n".join(phrases) + "\n")
    table = {}
    for line in filter(None, out.split("\n")):
        o = json.loads(line)
        if "figure" in o:
            table[o["text"]] = o["figure"]
    return table


def load_claims(path, reckon):
    """key -> list of (source, figure, as_of, order) for claims reckon can read."""
    with open(path, encoding="utf-8", newline="\n") as f:
        raw = [json.loads(line) for line in f]
    fig = figures(reckon, [c["value"] for c in raw if isinstance(c["value"], str)])
    by_key = collections.defaultdict(list)
    for n, c in enumerate(raw):
        v = c["value"]
        f = fig.get(v) if isinstance(v, str) else (v if v <= 10 ** 12 else None)
        if f is None:
            continue
        by_key[c["incident"]["key"]].append((c["source"], float(f), c.get("as_of", ""), n))
    return by_key, {c["id"]: c["incident"]["key"] for c in raw}


def run_reckon(reckon, claims, rules, ids):
    """key -> (low, best, high) from reckon's estimates."""
    out = run([reckon, "run", "--quiet", "--format", "jsonl", "--rules", rules, claims])
    result = {}
    for line in filter(None, out.split("\n")):  # names may hold other line breaks (U+0085)
        e = json.loads(line)
        if e["who"] is not None:
            continue
        key = ids[e["members"][0]["id"]]
        high = e["high"] if e["high"] is not None else math.inf
        result[key] = (e["low"], e["best"], high)
    return result


def weighted_median(values, weights):
    pairs = sorted(zip(values, weights))
    total = sum(weights)
    acc = 0.0
    for v, w in pairs:
        acc += w
        if acc >= total / 2:
            return v
    return pairs[-1][0]


def chi2_quantile(p, k):
    """Wilson-Hilferty approximation of the chi-squared quantile."""
    z = statistics.NormalDist().inv_cdf(p)
    return k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3


def truth_discovery(by_key, method, rounds=10):
    """CRH or CATD on log counts; key -> estimate."""
    logs = {k: [(s, math.log1p(f)) for s, f, _, _ in cs] for k, cs in by_key.items()}
    truth = {k: statistics.median(x for _, x in cs) for k, cs in logs.items()}
    for _ in range(rounds):
        loss = collections.defaultdict(float)
        count = collections.Counter()
        for k, cs in logs.items():
            spread = statistics.pstdev([x for _, x in cs]) if len(cs) > 1 else 0
            for s, x in cs:
                if method == "crh":
                    loss[s] += abs(x - truth[k]) / (spread or 1)
                else:
                    loss[s] += (x - truth[k]) ** 2
                count[s] += 1
        weight = {}
        total = sum(loss.values()) or 1
        for s in count:
            if method == "crh":
                weight[s] = -math.log(max(loss[s], 1e-6) / total)
            else:
                weight[s] = chi2_quantile(0.025, count[s]) / max(loss[s], 1e-6)
        for k, cs in logs.items():
            ws = [max(weight[s], 1e-9) for s, _ in cs]
            xs = [x for _, x in cs]
            truth[k] = weighted_median(xs, ws) if method == "crh" else sum(w * x for w, x in zip(ws, xs)) / sum(ws)
    return {k: math.expm1(v) for k, v in truth.items()}


def baselines(by_key, dated):
    est = {"median": {}, "conservative": {}, "latest": {}}
    for k, cs in by_key.items():
        fs = [f for _, f, _, _ in cs]
        est["median"][k] = statistics.median(fs)
        est["conservative"][k] = min(fs)
        order = (lambda c: (c[2], c[3])) if dated else (lambda c: c[3])
        est["latest"][k] = max(cs, key=order)[1]
    est["CRH"] = truth_discovery(by_key, "crh")
    est["CATD"] = truth_discovery(by_key, "catd")
    return est


def read_truth(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        return {k: float(v) for k, v in (line.rstrip("\n").split("\t") for line in f)}


def synthetic(args, reckon):
    rows = collections.defaultdict(list)
    for seed in args.seeds:
        out = os.path.join(args.work, "synth-%d" % seed)
        subprocess.run([sys.executable, os.path.join(HERE, "synth.py"), "--seed", str(seed),
                        "--incidents", str(args.incidents), "--reporters", str(args.reporters), out],
                       check=True)
        truth = read_truth(os.path.join(out, "truth.tsv"))
        by_key, ids = load_claims(os.path.join(out, "claims.jsonl"), reckon)
        got = run_reckon(reckon, os.path.join(out, "claims.jsonl"), os.path.join(out, "rules"), ids)
        est = baselines(by_key, dated=True)
        est["reckon"] = {k: v[1] for k, v in got.items()}
        for name, e in est.items():
            rows[name].append(statistics.mean(abs(math.log1p(e[k]) - math.log1p(t)) for k, t in truth.items()))
        rows["coverage"].append(statistics.mean(1.0 if got[k][0] <= t <= got[k][2] else 0.0
                                                for k, t in truth.items()))
        rows["multi"].append(statistics.mean(1.0 if got[k][0] <= t <= got[k][2] else 0.0
                                             for k, t in truth.items() if len(by_key[k]) > 1))
    return rows


def population(args, reckon, kinds):
    out = os.path.join(args.work, "population" + ("-kinds" if kinds else ""))
    subprocess.run([sys.executable, os.path.join(HERE, "population.py")] + (["--kinds"] if kinds else []) +
                   [args.population, out], check=True)
    truth = read_truth(os.path.join(out, "truth.tsv"))
    by_key, ids = load_claims(os.path.join(out, "claims.jsonl"), reckon)
    got = run_reckon(reckon, os.path.join(out, "claims.jsonl"), os.path.join(out, "rules"), ids)
    est = baselines(by_key, dated=False)
    est["reckon"] = {k: v[1] for k, v in got.items()}
    scores = {}
    for name, e in est.items():
        scores[name] = score_population(e, truth, truth)
    halves = [score_population(est["reckon"], truth, [k for k in truth if population_half(k) == h]) for h in (0, 1)]
    return scores, len(truth), halves


def score_population(e, truth, keys):
    """Share of @keys wrong by more than 1%, and the mean absolute error."""
    keys = list(keys)
    wrong = sum(1 for k in keys if abs(e[k] - truth[k]) > 0.01 * truth[k])
    return wrong / len(keys), statistics.mean(abs(e[k] - truth[k]) for k in keys)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reckon", default=os.path.join(ROOT, "build", "reckon"))
    ap.add_argument("--population", default=os.path.join(ROOT, "..", "shared", "data", "population"))
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--incidents", type=int, default=600)
    ap.add_argument("--work", default=None, help="keep the generated files here")
    ap.add_argument("--reporters", type=int, default=0,
                    help="synthetic incidents reported by N/2 to N sources (synth.py), not 1 to 8")
    ap.add_argument("--synthetic-only", action="store_true", help="skip the Population set")
    args = ap.parse_args()
    args.seeds = [int(s) for s in args.seeds.split(",")]
    tmp = None
    if not args.work:
        tmp = tempfile.TemporaryDirectory()
        args.work = tmp.name
    reckon = os.path.abspath(args.reckon)

    rows = synthetic(args, reckon)
    print("Synthetic: %d incidents x %d seeds%s; mean |ln(estimate+1) - ln(truth+1)|" %
          (args.incidents, len(args.seeds),
           ", %d to %d sources each" % (max(1, args.reporters // 2), args.reporters) if args.reporters else ""))
    base = {k: statistics.mean(v) for k, v in rows.items() if k not in ("reckon", "coverage", "multi")}
    best = min(base, key=base.get)
    print("  %-14s %s" % ("method", "  ".join("seed %-4d" % s for s in args.seeds)) + "  mean")
    for name in ["reckon"] + sorted(base, key=base.get):
        print("  %-14s %s  %.3f" % (name, "  ".join("%9.3f" % v for v in rows[name]), statistics.mean(rows[name])))
    print("  reckon / best baseline (%s): %.2f" % (best, statistics.mean(rows["reckon"]) / base[best]))
    print("  truth inside [low, high] (level 0.9): %.1f%% (incidents with 2+ claims: %.1f%%)" %
          (100 * statistics.mean(rows["coverage"]), 100 * statistics.mean(rows["multi"])))

    if args.synthetic_only:
        pass
    elif os.path.exists(os.path.join(args.population, "claims.tsv")):
        for kinds in (False, True):
            scores, n, halves = population(args, reckon, kinds)
            print("Population (%s, %d objects with truth): wrong by >1%%, MAE" %
                  ("contributors anonymous/individual" if kinds else "every contributor of unknown kind", n))
            for name in sorted(scores, key=lambda k: scores[k]):
                print("  %-14s %6.1f%%  %8.0f" % (name, 100 * scores[name][0], scores[name][1]))
            print("  reckon on the halves split by a hash of the object name: A %.1f%% %.0f, B %.1f%% %.0f" %
                  (100 * halves[0][0], halves[0][1], 100 * halves[1][0], halves[1][1]))
        # Why the rest is hard: failure classes, what agreement says, model variants.
        sys.stdout.flush()
        subprocess.run([sys.executable, os.path.join(HERE, "population-models.py"), "--reckon", reckon,
                        args.population], check=True)
    else:
        print("Population: %s not found, skipped" % args.population)
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
