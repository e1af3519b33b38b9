/*
 * roles.c - the first estimating step: which claims of an estimate are
 * independent evidence.  Runs on the members group.c sorted (by the date
 * their count was true, then source), before any estimator.
 *
 *   origin      claims from one source (after aliasing) share an origin, and
 *               so do claims relayed through the same outlets with the same
 *               value: the outlets are then the origin.
 *   echo        a claim that repeats the range of an earlier claim of its
 *               origin adds nothing: it counts once.
 *   superseded  tolls of cumulative metrics only grow, so an earlier count
 *               below a later claim's floor is a count of its moment, not a
 *               contradiction: it stays as a lower bound.  Caps ("up to")
 *               are not counts and are not superseded.  An origin's later
 *               word replaces its own earlier one (revised): for other
 *               metrics always, for cumulative ones when it is higher.
 *   later lower a later count of an origin below its own earlier count is
 *               suspicious (a toll that shrank); estimate.c flags it.
 */
#include <string.h>

#include "engine-private.h"

static guint find(guint *parent, guint i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static void unite(guint *parent, guint a, guint b)
{
  a = find(parent, a);
  b = find(parent, b);
  /* The earlier member stays the representative, so origins are numbered
   * in member order. */
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

/* Outlet @i of a claim's via list, NULL past the end.  The reader keeps the
 * list in its string chunk, which does not align it for pointers, so the
 * pointer is copied out rather than loaded in place. */
static const char *via_at(const Claim *c, guint i)
{
  const char *v;
  memcpy(&v, (const char *)claim_via(c) + i * sizeof v, sizeof v);
  return v;
}

static gboolean relayed(const Claim *c)
{
  return claim_via(c) && via_at(c, 0);
}

/* Orders relayed claims by their chain of outlets, then their value.  The
 * reader shares equal via lists and interns the outlets, so most
 * comparisons end at a pointer. */
static gint relay_cmp(const Claim *ca, const Claim *cb)
{
  if (claim_via(ca) != claim_via(cb))
    for (guint i = 0;; i++) {
      const char *va = via_at(ca, i), *vb = via_at(cb, i);
      if (va == vb) {
        if (!va)
          break;
        continue;
      }
      if (!va || !vb)
        return va ? 1 : -1;
      int c = strcmp(va, vb);
      if (c)
        return c;
    }
  const ReckonRange *ra = &ca->value->range, *rb = &cb->value->range;
  if (ra->low != rb->low)
    return ra->low < rb->low ? -1 : 1;
  if (ra->high != rb->high)
    return ra->high < rb->high ? -1 : 1;
  return 0;
}

/* Claims relayed through the same outlets with the same value together,
 * then by member index. */
static gint by_relay(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const ReckonEstimate *e = data;
  guint a = *(const guint *)pa, b = *(const guint *)pb;
  gint c = relay_cmp(e->claims[a], e->claims[b]);
  if (c)
    return c;
  return a < b ? -1 : a > b;
}

/* Member order of claims from one source (source keys are interned, so
 * equal keys are equal pointers), then by member index. */
static gint by_source(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const ReckonEstimate *e = data;
  guint a = *(const guint *)pa, b = *(const guint *)pb;
  const char *ka = e->claims[a]->source->key, *kb = e->claims[b]->source->key;
  if (ka != kb)
    return (guintptr)ka < (guintptr)kb ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* Claims of one origin with one range together, then by member index. */
static gint by_origin_range(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const ReckonEstimate *e = data;
  guint a = *(const guint *)pa, b = *(const guint *)pb;
  const ReckonRange *ra = member_range(e, a), *rb = member_range(e, b);
  if (e->info[a].origin != e->info[b].origin)
    return e->info[a].origin < e->info[b].origin ? -1 : 1;
  if (ra->low != rb->low)
    return ra->low < rb->low ? -1 : 1;
  if (ra->high != rb->high)
    return ra->high < rb->high ? -1 : 1;
  return a < b ? -1 : a > b;
}

/* Sorts the members' indices into @idx with @cmp, so that equal members
 * come in runs, each led by its earliest member: sorting, not a hash of
 * formatted keys, since roles are assigned for every estimate. */
static void sort_members(ReckonEstimate *e, guint *idx, GCompareDataFunc cmp)
{
  for (guint i = 0; i < e->n_members; i++)
    idx[i] = i;
  g_qsort_with_data(idx, (gint)e->n_members, sizeof *idx, cmp, e);
}

static void assign_origins(ReckonEstimate *e, guint *parent, guint *idx)
{
  guint n = e->n_members;
  for (guint i = 0; i < n; i++)
    parent[i] = i;
  sort_members(e, idx, by_source);
  e->n_sources = n ? 1 : 0;
  for (guint k = 1; k < n; k++) {
    if (e->claims[idx[k]]->source->key == e->claims[idx[k - 1]]->source->key)
      unite(parent, idx[k - 1], idx[k]);
    else
      e->n_sources++;
  }
  /* Relayed claims: sorted by chain and value, each run is one origin. */
  guint n_relayed = 0;
  for (guint i = 0; i < n; i++)
    if (relayed(e->claims[i]))
      idx[n_relayed++] = i;
  if (n_relayed > 1)
    g_qsort_with_data(idx, (gint)n_relayed, sizeof *idx, by_relay, e);
  for (guint k = 1, first = n_relayed ? idx[0] : 0; k < n_relayed; k++) {
    if (relay_cmp(e->claims[first], e->claims[idx[k]]) == 0)
      unite(parent, first, idx[k]);
    else
      first = idx[k];
  }
  guint n_origins = 0;
  for (guint i = 0; i < n; i++) {
    guint root = find(parent, i);
    if (root == i)
      e->info[i].origin = (gint)n_origins++;
    else
      e->info[i].origin = e->info[root].origin;
  }
  e->n_origins = n_origins;
}

static gboolean same_origin_range(const ReckonEstimate *e, guint a, guint b)
{
  const ReckonRange *ra = member_range(e, a), *rb = member_range(e, b);
  return e->info[a].origin == e->info[b].origin && ra->low == rb->low && ra->high == rb->high;
}

static void mark_echoes(ReckonEstimate *e, guint *idx)
{
  if (!e->n_members)
    return;
  sort_members(e, idx, by_origin_range);
  for (guint k = 1, first = idx[0]; k < e->n_members; k++) {
    if (same_origin_range(e, idx[k], first))
      e->info[idx[k]].echo_of = (gint)first;
    else
      first = idx[k];
  }
}

/* @a's count was true strictly before @b's. */
static gboolean before(const Claim *a, const Claim *b)
{
  return date_span_is_set(&a->as_of) && date_span_is_set(&b->as_of) && a->as_of.end < b->as_of.start;
}

static gboolean active(const ReckonEstimate *e, guint i, const gboolean *excluded)
{
  return e->info[i].echo_of < 0 && !(excluded && excluded[i]);
}

/* Cumulative tolls: an earlier count wholly below a later claim's floor is
 * superseded by it (an open "over 60" is not: it still holds).  Members are sorted by date, so the candidates for
 * member i are those after it; the suffix maximum of their lows finds the
 * highest floor among the strictly later ones without comparing pairs. */
static void mark_superseded(ReckonEstimate *e, const gboolean *excluded)
{
  guint n = e->n_members;
  gint *best = g_new(gint, n + 1); /* member with the largest low among [k, n) */
  best[n] = -1;
  for (guint k = n; k-- > 0;) {
    best[k] = best[k + 1];
    if (active(e, k, excluded) &&
        (best[k] < 0 || member_range(e, k)->low > member_range(e, best[k])->low))
      best[k] = (gint)k;
  }
  for (guint i = 0; i < n; i++) {
    /* A cap ("up to 50") is an estimate of the most there could be, not
     * a count of its moment: a later, higher claim contradicts it. */
    ReckonKind kind = member_range(e, i)->kind;
    if (!active(e, i, excluded) || kind == RECKON_KIND_AT_MOST || kind == RECKON_KIND_LESS_THAN)
      continue;
    /* The first member whose count was true strictly after member i's:
     * "after" only grows along the sorted members, so bisect. */
    guint lo = i + 1, hi = n;
    while (lo < hi) {
      guint mid = lo + (hi - lo) / 2;
      if (before(e->claims[i], e->claims[mid]))
        hi = mid;
      else
        lo = mid + 1;
    }
    gint b = best[lo];
    if (b < 0 || member_range(e, i)->high >= member_range(e, b)->low)
      continue;
    /* Name the earliest claim that replaced it, as a reader would. */
    for (guint k = lo; k < n; k++)
      if (active(e, k, excluded) && member_range(e, i)->high < member_range(e, k)->low) {
        e->info[i].superseded_by = (gint)k;
        break;
      }
  }
  g_free(best);
}

/* Within one origin: for cumulative tolls a later count below an earlier
 * one is suspicious and a higher one replaces it; for other metrics the
 * later word replaces the earlier. */
static void mark_within_origins(ReckonEstimate *e, const gboolean *excluded)
{
  guint n = e->n_members;
  gint *last = g_new(gint, e->n_origins); /* the latest active member of each origin so far */
  for (guint o = 0; o < e->n_origins; o++)
    last[o] = -1;
  for (guint i = 0; i < n; i++) {
    if (!active(e, i, excluded))
      continue;
    gint o = e->info[i].origin;
    gint prev = last[o];
    if (prev >= 0 && before(e->claims[prev], e->claims[i])) {
      const ReckonRange *now = member_range(e, i), *then = member_range(e, prev);
      if (e->cumulative && now->high < then->low)
        e->info[i].later_lower = prev;
      else if (!e->cumulative || now->low > then->high)
        e->info[prev].revised_by = (gint)i;
    }
    last[o] = (gint)i;
  }
  /* A revision chain: everything but the latest word is revised by it. */
  for (guint i = n; i-- > 0;) {
    gint r = e->info[i].revised_by;
    if (r >= 0 && e->info[r].revised_by >= 0)
      e->info[i].revised_by = e->info[r].revised_by;
  }
  g_free(last);
}

/* The roles that rest on dates and on which claims are believed: what
 * roles_reassign() assigns again. */
static void assign_dated(ReckonEstimate *e, const gboolean *excluded)
{
  for (guint i = 0; i < e->n_members; i++) {
    MemberInfo *m = &e->info[i];
    m->superseded_by = m->revised_by = m->later_lower = -1;
  }
  if (e->n_members < 2)
    return;
  mark_within_origins(e, excluded);
  if (e->cumulative)
    mark_superseded(e, excluded);
}

void roles_assign(ReckonEstimate *e)
{
  guint n = e->n_members;
  for (guint i = 0; i < n; i++)
    e->info[i].echo_of = -1;
  if (n == 1) {
    /* A claim alone is its own origin and repeats or replaces nothing:
     * most estimates, spared the sorting and the scratch space. */
    e->info[0].origin = 0;
    e->n_origins = e->n_sources = 1;
  } else {
    guint *parent = g_new(guint, 2 * n), *idx = parent + n;
    assign_origins(e, parent, idx);
    mark_echoes(e, idx);
    g_free(parent);
  }
  assign_dated(e, NULL);
}

void roles_reassign(ReckonEstimate *e, const gboolean *excluded)
{
  /* Origins and echoes rest on the claims alone: they stay. */
  assign_dated(e, excluded);
}
