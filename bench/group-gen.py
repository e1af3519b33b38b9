#!/usr/bin/env python3
"""group-gen.py - synthetic claims for the grouping benchmark, with the truth.

Writes claims (claims format v1, JSON Lines) about made-up incidents at
the gazetteer's towns and villages (rules/places) and at invented village
names outside it, each claim spelling its place, event type and date as
reports do, and carrying its true incident in the field "truth" (and, for
an incident inside a regional total, the total's truth in "truth_parent").
reckon passes unknown fields through, so bench/group-score.py can score its
output alone.

What varies between the claims of one incident:
  - the place: a gazetteer name or alias, or the invented name, with
    transliteration changes (vowels ou/u, ee/i, ei/ay, e/i; gh/g, kh/k,
    q/k, sh/ch; a letter doubled or undoubled; a final h; the article
    al-/el-/ash-; hyphens and spaces; a space inside the name taken out;
    case and accents) and, for some claims, a typo (a letter dropped,
    doubled or two swapped);
  - the event words: synonyms of its type from rules/events, plurals, a
    broader word ("strike"), a compatible type (a missile strike reported
    as a rocket attack), or none;
  - the date: the day, or for some claims only the month.
Near-misses that must stay apart: the same place a few days later, the
same place and day with an incompatible event type, an invented name one
consonant away from another on the same day, and weekly governorate
totals (aggregates) next to the incidents inside them.

  group-gen.py --claims N [--seed S] [--rules DIR] > claims.jsonl
"""
import argparse
import datetime
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# Event types incidents get, with how often (the rest of rules/events is
# read for their words).
TYPES = [("air strike", 40), ("shelling", 22), ("drone strike", 10), ("missile strike", 8),
         ("rocket attack", 7), ("incendiary attack", 3), ("clashes", 6), ("car bombing", 4)]
SITES = ["market", "displacement camp", "hospital", "school", "residential area", "mosque",
         "bakery", "main square"]
SOURCES = ["Monitor %d" % i for i in range(12)] + ["Outlet %d" % i for i in range(30)] + \
          ["Rescue service", "Health authority", "Local council %d" % 1, "Local council %d" % 2]
PREFIXES = ["Kafr", "Tal", "Ain", "Deir", "Maarat", "Khirbet", "Beit", "Umm", "Abu", "Bir",
            "Qasr", "Jabal", "Hazm", "Sheikh"]
CONSONANTS = ["b", "t", "j", "h", "kh", "d", "r", "z", "s", "sh", "f", "q", "k", "l", "m", "n",
              "gh", "w", "y"]
VOWELS = ["a", "i", "u", "a", "ou", "ee", "ay", "e"]


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                rows.append([field.strip() for field in line.split("|")])
    return rows


def split_list(field):
    return [x.strip() for x in field.split(",") if x.strip()]


class Rules:
    def __init__(self, rules_dir):
        self.places = {}
        for row in read_table(os.path.join(rules_dir, "places")):
            self.places[row[0]] = {
                "kind": row[1], "parents": split_list(row[2]),
                "aliases": [row[0]] + split_list(row[3] if len(row) > 3 else "")}
        self.events = {}
        for row in read_table(os.path.join(rules_dir, "events")):
            self.events[row[0]] = {
                "broader": split_list(row[1]), "compatible": split_list(row[2]),
                "synonyms": split_list(row[3] if len(row) > 3 else "")}

    def ancestors(self, name, table, key):
        out, todo = set(), list(table[name][key])
        while todo:
            n = todo.pop()
            if n not in out:
                out.add(n)
                todo.extend(table[n][key])
        return out

    def governorate(self, place):
        for a in self.ancestors(place, self.places, "parents"):
            if self.places[a]["kind"] == "governorate":
                return a
        return None

    def covers(self, outer, inner):
        """Whether an aggregate of type outer contains an incident of type inner."""
        return (outer == inner or outer in self.ancestors(inner, self.events, "broader")
                or outer in self.events[inner]["compatible"]
                or inner in self.events[outer]["compatible"])


def latin_alias(name):
    return all(ord(c) < 0x370 for c in name)


# Transliteration changes: each rewrites one occurrence, chosen at random.
def sub_one(rng, s, old, new):
    spots = [i for i in range(len(s)) if s.startswith(old, i)]
    if not spots:
        return s
    i = rng.choice(spots)
    return s[:i] + new + s[i + len(old):]


def swap_vowel(rng, s):
    pairs = [("ou", "u"), ("u", "ou"), ("ee", "i"), ("i", "ee"), ("ei", "ay"), ("ay", "ei"),
             ("e", "i"), ("i", "e"), ("a", "e"), ("aa", "a"), ("a", "aa"), ("o", "u")]
    old, new = rng.choice(pairs)
    return sub_one(rng, s, old, new)


def swap_consonant(rng, s):
    pairs = [("gh", "g"), ("kh", "k"), ("q", "k"), ("k", "q"), ("sh", "ch"), ("j", "dj")]
    old, new = rng.choice(pairs)
    if old == "k":
        s = s.replace("kh", "\0")  # a k of kh is not a q
    s = sub_one(rng, s, old, new)
    return s.replace("\0", "kh")


ARTICLES = ("al", "el", "ash", "as", "ad", "an", "ar", "az", "at", "ech", "ach")


def in_article(s, i):
    """Whether letter i is in an article word ("al-", "ash ")."""
    start = max(s.rfind(" ", 0, i), s.rfind("-", 0, i)) + 1
    end = len(s)
    for sep in " -":
        j = s.find(sep, i)
        if j >= 0:
            end = min(end, j)
    return s[start:end].lower() in ARTICLES and end < len(s)


def double_letter(rng, s):
    # Transliterations double consonants of the Arabic (shadda), never h, w,
    # y, nor the article's.
    spots = [i for i in range(1, len(s)) if s[i] in "bdfjklmnqrstz" and not in_article(s, i)]
    if not spots:
        return s
    i = rng.choice(spots)
    if i + 1 < len(s) and s[i + 1] == s[i]:
        return s[:i] + s[i + 1:]
    return s[:i] + s[i] + s[i:]


def final_h(rng, s):
    if s.endswith("ah") or s.endswith("eh"):
        return s[:-1]
    if s[-1:] in ("a", "e"):
        return s + "h"
    return s


def article(rng, s):
    for art in ("al-", "Al-", "el-", "ash-", "ad-", "an-", "ar-", "az-"):
        if art in s:
            return s.replace(art, rng.choice(["al-", "Al ", "el-", "al ", "Al-"]), 1)
    return s


def spacing(rng, s):
    if "-" in s:
        return s.replace("-", rng.choice([" ", ""]), 1)
    words = s.split(" ")
    if len(words) > 1 and len(words[0]) <= 5:
        return words[0] + rng.choice(["", "-"]) + " ".join(words[1:])
    return s


def case_accent(rng, s):
    r = rng.random()
    if r < 0.3:
        return s.lower()
    if r < 0.4:
        return s.upper()
    return sub_one(rng, s, "a", "á")


CHANGES = [swap_vowel, swap_vowel, swap_consonant, double_letter, final_h, article, spacing,
           case_accent]


def typo(rng, s):
    letters = [i for i in range(1, len(s) - 1) if s[i].isalpha()]
    if not letters:
        return s
    i = rng.choice(letters)
    kind = rng.randrange(3)
    if kind == 0:
        return s[:i] + s[i + 1:]
    if kind == 1:
        return s[:i] + s[i] + s[i:]
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]


def spell(rng, name, typo_rate):
    for change in rng.sample(CHANGES, rng.choice([0, 1, 1, 2, 2, 3])):
        name = change(rng, name)
    if rng.random() < typo_rate:
        name = typo(rng, name)
    return name


def invent_name(rng):
    root = ""
    for _ in range(rng.choice([2, 2, 3])):
        root += rng.choice(CONSONANTS) + rng.choice(VOWELS)
    root += rng.choice(["n", "r", "l", "m", "b", "sh", "t", "h", ""])
    root = root.capitalize()
    if rng.random() < 0.5:
        return rng.choice(PREFIXES) + " " + root
    return root


def neighbour_name(rng, name):
    """A different village one consonant away: a near-miss by spelling."""
    spots = [i for i in range(1, len(name)) if name[i] in "bdfjlmnrstz"]
    if not spots:
        return None
    i = rng.choice(spots)
    other = rng.choice([c for c in "bdfjlmnrstz" if c != name[i]])
    return name[:i] + other + name[i + 1:]


def event_words(rng, rules, etype):
    r = rng.random()
    if r < 0.05:
        return None
    if r < 0.12:
        broader = sorted(rules.ancestors(etype, rules.events, "broader") - {"civil war", "fighting"})
        if broader:
            return rng.choice(broader)
    compatible = rules.events[etype]["compatible"]
    if compatible and r < 0.3:
        etype = rng.choice(compatible)
    words = rng.choice([etype] + rules.events[etype]["synonyms"])
    if rng.random() < 0.3 and not words.endswith("s"):
        words += "s"
    if rng.random() < 0.2:
        words = words.capitalize()
    return words


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.rules = Rules(args.rules)
        self.args = args
        self.known = sorted(p for p, v in self.rules.places.items()
                            if v["kind"] in ("city", "town", "village") and
                            self.rules.governorate(p))
        n_unknown = max(300, args.claims // 30)
        names = set()
        while len(names) < n_unknown:
            names.add(invent_name(self.rng))
        self.unknown = sorted(names)
        self.days = args.days or max(365, args.claims // 100)
        self.start = datetime.date(2022, 1, 1)
        self.incidents = []   # dicts: truth, place, known, day, type, site, parent
        self.claims = 0

    def day(self, n):
        return (self.start + datetime.timedelta(days=n)).isoformat()

    def incident(self, place, known, day, etype, site=None):
        inc = {"truth": "i%d" % len(self.incidents), "place": place, "known": known,
               "day": day, "type": etype, "site": site, "parent": None}
        self.incidents.append(inc)
        return inc

    def pick_type(self, avoid=None):
        while True:
            t = self.rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
            if avoid is None or not self.compatible(t, avoid):
                return t

    def compatible(self, a, b):
        r = self.rules
        return r.covers(a, b) or r.covers(b, a)

    def make_incidents(self, n):
        rng = self.rng
        while len(self.incidents) < n:
            known = rng.random() < 0.3
            place = rng.choice(self.known if known else self.unknown)
            day = rng.randrange(self.days)
            site = rng.choice(SITES) if rng.random() < 0.12 else None
            etype = self.pick_type()
            self.incident(place, known, day, etype, site)
            r = rng.random()
            if r < 0.12:    # the same place a few days later
                self.incident(place, known, min(self.days - 1, day + rng.randint(1, 3)), etype, site)
            elif r < 0.17:  # the same place and day, another kind of event
                self.incident(place, known, day, self.pick_type(avoid=etype), site)
            elif r < 0.21 and not known:  # a village one consonant away, the same day
                other = neighbour_name(rng, place)
                if other:
                    self.incident(other, False, day, etype, site)

    def make_totals(self):
        """Weekly governorate totals over some of the weeks with incidents."""
        rng, rules = self.rng, self.rules
        weeks = {}
        for inc in self.incidents:
            if inc["known"]:
                gov = rules.governorate(inc["place"])
                weeks.setdefault((gov, inc["day"] // 7), []).append(inc)
        totals = []
        for (gov, week), parts in sorted(weeks.items()):
            if rng.random() >= 0.25:
                continue
            etype = rng.choice(["air strike", "strike", "fighting"])
            total = self.incident(gov, True, week * 7, etype)
            total["total"] = True
            totals.append(total)
            for inc in parts:
                if rules.covers(etype, inc["type"]):
                    inc["parent"] = total["truth"]
        return totals

    def where(self, inc):
        rng = self.rng
        if inc.get("total"):
            names = [a for a in self.rules.places[inc["place"]]["aliases"] if latin_alias(a)]
            return spell(rng, rng.choice(names), 0)
        if inc["known"]:
            names = self.rules.places[inc["place"]]["aliases"]
            name = rng.choice(names)
            if latin_alias(name):
                name = spell(rng, name, self.args.typos)
        else:
            name = spell(rng, inc["place"], self.args.typos)
        if inc["site"]:
            name = rng.choice(["%s in %s", "%s near %s", "a %s in %s"]) % (inc["site"], name)
        return name

    def when(self, inc):
        if inc.get("total"):
            return "%s/%s" % (self.day(inc["day"]), self.day(inc["day"] + 6))
        if self.rng.random() < self.args.vague:
            return self.day(inc["day"])[:7]
        return self.day(inc["day"])

    def write(self, out):
        rng = self.rng
        n_incidents = int(self.args.claims / 2.3)
        self.make_incidents(n_incidents)
        totals = self.make_totals()
        order = []
        for inc in self.incidents:
            k = 1 + min(int(rng.expovariate(0.5)), 11)
            order.extend([inc] * k)
        rng.shuffle(order)
        for n, inc in enumerate(order[:self.args.claims]):
            what = ("air strikes" if inc["type"] == "air strike" else inc["type"]) \
                if inc.get("total") else event_words(rng, self.rules, inc["type"])
            claim = {"id": "c%d" % n, "source": rng.choice(SOURCES),
                     "incident": {"where": self.where(inc), "when": self.when(inc)},
                     "metric": "killed" if rng.random() < 0.85 else "injured",
                     "value": rng.randint(1, 40),
                     "truth": inc["truth"]}
            claim["when_written"] = claim["incident"]["when"]
            if what:
                claim["incident"]["what"] = what
            if inc["parent"]:
                claim["truth_parent"] = inc["parent"]
            if inc.get("total"):
                claim["truth_total"] = True
            out.write(json.dumps(claim, ensure_ascii=False) + "\n")
        sys.stderr.write("group-gen: %d claims, %d incidents (%d weekly totals), %d days, "
                         "%d invented place names\n" % (min(len(order), self.args.claims),
                                                        len(self.incidents), len(totals),
                                                        self.days, len(self.unknown)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--claims", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--days", type=int, default=0,
                    help="days the incidents spread over (default: claims/100, at least 365)")
    ap.add_argument("--typos", type=float, default=0.05, help="share of place names with a typo")
    ap.add_argument("--vague", type=float, default=0.02, help="share of claims dated by month")
    ap.add_argument("--rules", default=os.path.join(HERE, "..", "rules"))
    args = ap.parse_args()
    Generator(args).write(sys.stdout)


if __name__ == "__main__":
    main()
