/*
 * group.c - the grouping stage: claims into incidents, and each incident's
 * claims into one estimate per metric and sub-population.  Places are read
 * by place.c (rules/places), event types by event.c (rules/events);
 * incident.c names the incidents and links them to the aggregates they
 * lie inside.
 *
 * Two claims are about the same incident when they carry the same
 * explicit incident.key; otherwise when they name the same places (after
 * folding, spelling keys and gazetteer aliases), the same date and
 * compatible event types:
 *   - a day: only the same day;
 *   - a month or year ("2024-12"): the one incident at the place whose day
 *     it covers, widened by the date tolerance; when there are several or
 *     none, its own incident;
 *   - a period (an interval), several places, or a country, region,
 *     governorate or district: an aggregate, grouped only with claims
 *     about the same places and period, never merged into the incidents
 *     it contains.
 * Places outside the gazetteer are compared by spelling key, and within
 * a key by spelling (different names can share a key).
 * Blocking makes this near-linear: claims are hashed by places and date
 * ("cells"), so only claims in one cell are compared (for spelling and
 * event types); places outside the gazetteer spelled one letter apart
 * are found through their keys with one letter deleted, hashed with the
 * date; a vague date is looked up in the place's incidents sorted by day.
 * Nothing depends on input order: cells, groups and names are keyed by
 * content.  Most steps run on ReckonOptions.threads threads (parallel.c):
 * finding the distinct where texts (in shares by address) and reading
 * their places, the claims' event types and cell ids, finding each
 * claim's cell (in shares of the cells by hash), the cells' keys,
 * filing cells for close places and finding those one letter apart,
 * making the incidents of each cell, deciding which incident a
 * month-dated claim joins (vague.c), describing and naming the incidents
 * (incident.c), linking parents and making the estimates (buckets.c).
 * Each piece depends only on its own text, claim, cell or incident, and
 * pieces are put together in a fixed order, so the output does not
 * depend on the number of threads.  What stays on one thread: numbering
 * place sets and incident keys, putting the shares' findings in order,
 * uniting cells, joining month-dated claims to the incidents decided,
 * making ids unique and cutting the parents' filings into shelves.
 * Incidents and what they point to live in slabs of the run (slab.c),
 * freed at once with it; the cells are freed once the incidents are
 * made.
 */
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "fold.h"
#include "cells.h"
#include "group.h"
#include "parallel.h"

/* Claims of one cell whose event types are compatible. */
typedef struct {
  char *name;     /* the group's type ("air-strike"), "other" for no type */
  GArray *claims; /* of guint */
} EventGroup;

void group_run_free(GroupRun *run)
{
  if (!run)
    return;
  g_free(run->readings);
  g_free(run->how);
  g_free(run->events);
  if (run->place_sets)
    g_ptr_array_unref(run->place_sets);
  if (run->types)
    g_ptr_array_unref(run->types);
  slab_free(run->cell_slab);
  if (run->key_slabs)
    g_ptr_array_unref(run->key_slabs);
  slab_free(run->slab);
  if (run->incident_key_slabs)
    g_ptr_array_unref(run->incident_key_slabs);
  if (run->thread_slabs)
    g_ptr_array_unref(run->thread_slabs);
  g_free(run);
}

void group_forget_readings(ReckonEngine *engine)
{
  GroupRun *run = engine->group;
  for (guint i = 0; i < engine->incidents->len; i++)
    ((Incident *)g_ptr_array_index(engine->incidents, i))->places = NULL;
  g_clear_pointer(&run->readings, g_free);
  g_clear_pointer(&run->how, g_free);
  g_clear_pointer(&run->place_sets, g_ptr_array_unref);
#ifdef __GLIBC__
  /* What was freed lies in the middle of the heap, among what grouping
   * keeps; estimation's largest blocks are mappings of their own and its
   * small ones come from the threads' arenas, so without handing the
   * free pages back they would stay resident beside them (39 MB at the
   * height of a run of 1e6 claims instead of 18).  A small run (a
   * --stream window) has too little to hand back to pay for the walk. */
  if (engine->claims->len >= 65536)
    malloc_trim(0);
#endif
}

gboolean group_explainable(const ReckonEngine *engine)
{
  return engine->group && engine->group->readings;
}

static void event_group_free(gpointer data)
{
  EventGroup *g = data;
  g_free(g->name);
  if (g->claims)
    g_array_unref(g->claims);
  g_free(g);
}

/* The date part of a cell key, in @buf (DATE_SPAN_TEXT_MAX bytes). */
static const char *when_key(const DateSpan *span, char *buf)
{
  DateSpan s = normal_when(span);
  date_span_format_to(&s, buf);
  return buf;
}

/* The number of @text in @numbers (text -> number + 1), given on first
 * sight; the table keeps a copy of @text when @copy. */
static guint text_number(GHashTable *numbers, const char *text, gboolean copy)
{
  gpointer n = g_hash_table_lookup(numbers, text);
  if (!n) {
    n = GUINT_TO_POINTER(g_hash_table_size(numbers) + 1);
    g_hash_table_insert(numbers, copy ? g_strdup(text) : (gpointer)text, n);
  }
  return GPOINTER_TO_UINT(n) - 1;
}

/* A distinct where text, read as one place or (@wide) as a wide area. */
typedef struct {
  const char *where;
  gboolean wide;
  PlaceSet *set;
} WhereRead;

typedef struct {
  const Places *places;
  WhereRead *reads;
} WhereJob;

static void read_wheres(guint from, guint to, gpointer memo, gpointer data)
{
  const WhereJob *job = data;
  for (guint k = from; k < to; k++)
    job->reads[k].set = place_set_read(job->places, memo, job->reads[k].where, job->reads[k].wide);
}

/* Frees memos [from, to) of @data: side by side, as they are large. */
static void free_memos(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  for (guint t = from; t < to; t++)
    place_memo_free(((gpointer *)data)[t]);
}

/* Distinct where texts shared out among threads at a time: small enough
 * that every thread gets several blocks. */
#define WHERE_BLOCK 256

/* Puts together items found in @n_shares shares, each share's in the
 * order of their first claims (@firsts[s], increasing): sets
 * @places[s][k] to item k of share s's place in the order of first claims
 * over all shares, as one pass over the claims would have found them.
 * Returns the number of items. */
static guint merge_shares(guint n_shares, GArray *const *firsts, guint **places)
{
  guint *next = g_new0(guint, n_shares);
  guint n = 0;
  for (;; n++) {
    guint from = G_MAXUINT, least = G_MAXUINT;
    for (guint s = 0; s < n_shares; s++)
      if (next[s] < firsts[s]->len && g_array_index(firsts[s], guint, next[s]) < least) {
        least = g_array_index(firsts[s], guint, next[s]);
        from = s;
      }
    if (from == G_MAXUINT)
      break;
    places[from][next[from]++] = n;
  }
  g_free(next);
  return n;
}

/* The distinct where texts of one share of them (by address), in the
 * order of their first claims. */
typedef struct {
  GArray *reads;  /* of WhereRead */
  GArray *firsts; /* of guint: each read's first claim */
  guint *global;  /* each read's place among the reads of all shares */
} WhereShare;

/* What read_all_places() knows of each claim, found on the threads. */
typedef struct {
  const ReckonEngine *engine;
  const char **wheres;    /* each claim's where text, or NULL */
  guint8 *wide;           /* ... read as a wide area */
  guint *which;           /* the distinct text each claim's where is in its share, or G_MAXUINT */
  guint n_shares;
  WhereShare *shares;
  const WhereRead *reads; /* the distinct texts read, of all shares */
} ClaimWheres;

/* Claims looked at at a time. */
#define CLAIM_BLOCK 4096

static void sense_wheres(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const ClaimWheres *job = data;
  for (guint i = from; i < to; i++) {
    const Claim *c = &g_array_index(job->engine->claims, Claim, i);
    job->wheres[i] = c->where;
    job->wide[i] = c->where && (strstr(c->where, " + ") ||
                                date_span_shape(&c->when) == DATE_SHAPE_PERIOD);
  }
}

/* The share of claim @i's where text and sense. */
static guint where_share(const ClaimWheres *job, guint i)
{
  guint64 h = ((guint64)(guintptr)job->wheres[i] ^ job->wide[i]) * 0x9e3779b97f4a7c15ull;
  return (guint)((h >> 32) % job->n_shares);
}

/* The distinct where texts of shares [from, to), each found in tables
 * of the share's own.  Where texts are interned by the reader (memo.c):
 * equal texts are one pointer, so texts are told apart by address. */
static void find_wheres(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const ClaimWheres *job = data;
  guint n = job->engine->claims->len;
  for (guint s = from; s < to; s++) {
    WhereShare *share = &job->shares[s];
    share->reads = g_array_new(FALSE, FALSE, sizeof(WhereRead));
    share->firsts = g_array_new(FALSE, FALSE, sizeof(guint));
    GHashTable *seen[2] = {g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL)};
    for (guint i = 0; i < n; i++) {
      const char *where = job->wheres[i];
      if (!where || where_share(job, i) != s)
        continue;
      gboolean wide = job->wide[i];
      gpointer known = g_hash_table_lookup(seen[wide], where);
      if (!known) {
        WhereRead read = {where, wide, NULL};
        g_array_append_val(share->reads, read);
        g_array_append_val(share->firsts, i);
        known = GUINT_TO_POINTER(share->reads->len);
        g_hash_table_insert(seen[wide], (gpointer)where, known);
      }
      job->which[i] = GPOINTER_TO_UINT(known) - 1;
    }
    g_hash_table_unref(seen[0]);
    g_hash_table_unref(seen[1]);
  }
}

static void give_places(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const ClaimWheres *job = data;
  for (guint i = from; i < to; i++)
    if (job->wheres[i])
      job->engine->group->readings[i].places =
          job->reads[job->shares[where_share(job, i)].global[job->which[i]]].set;
}

/* Reads the places of every claim.  Reading is the costly part of
 * grouping and each reading depends only on its text, so each distinct
 * text (and sense: "Idlib" means the governorate in a claim about several
 * places or a period) is read once, the texts shared out among threads,
 * each with a memo of its own.  The distinct texts are found in shares
 * on the threads and put in the order of their first claims; only that
 * and numbering their readings run on one thread. */
static void read_all_places(ReckonEngine *engine)
{
  GroupRun *run = engine->group;
  guint n = engine->claims->len;
  guint n_claim_threads = parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN);
  guint claim_block = parallel_block(n, n_claim_threads, CLAIM_BLOCK);
  ClaimWheres claims = {engine,
                        g_new(const char *, n + 1),
                        g_new(guint8, n + 1),
                        g_new(guint, n + 1),
                        n_claim_threads,
                        g_new0(WhereShare, n_claim_threads),
                        NULL};
  parallel_run(n, claim_block, n_claim_threads, NULL, sense_wheres, &claims);
  parallel_run(claims.n_shares, 1, claims.n_shares, NULL, find_wheres, &claims);
  GArray **firsts = g_new(GArray *, claims.n_shares);
  guint **places = g_new(guint *, claims.n_shares);
  for (guint s = 0; s < claims.n_shares; s++) {
    firsts[s] = claims.shares[s].firsts;
    places[s] = claims.shares[s].global = g_new(guint, firsts[s]->len + 1);
  }
  GArray *reads = g_array_new(FALSE, FALSE, sizeof(WhereRead));
  g_array_set_size(reads, merge_shares(claims.n_shares, firsts, places));
  for (guint s = 0; s < claims.n_shares; s++)
    for (guint k = 0; k < firsts[s]->len; k++)
      g_array_index(reads, WhereRead, places[s][k]) =
          g_array_index(claims.shares[s].reads, WhereRead, k);
  g_free(firsts);
  g_free(places);
  guint n_threads = parallel_threads(&engine->opts);
  gpointer *memos = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++)
    memos[t] = place_memo_new();
  WhereJob job = {engine->rules->places, (WhereRead *)reads->data};
  guint block = parallel_block(reads->len, n_threads, WHERE_BLOCK);
  parallel_run(reads->len, block, n_threads, memos, read_wheres, &job);
  parallel_run(n_threads, 1, reads->len < GROUP_PARALLEL_MIN ? 1 : n_threads, NULL, free_memos,
               memos);
  g_free(memos);

  /* Sets of different texts can read as the same places: numbered by
   * ref, so that cells and the vague claims' lists go by number. */
  GHashTable *numbers = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint k = 0; k < reads->len; k++) {
    PlaceSet *set = g_array_index(reads, WhereRead, k).set;
    set->number = text_number(numbers, set->ref, FALSE);
    g_ptr_array_add(run->place_sets, set);
  }
  run->n_refs = g_hash_table_size(numbers);
  g_hash_table_unref(numbers);
  claims.reads = (const WhereRead *)reads->data;
  parallel_run(n, claim_block, n_claim_threads, NULL, give_places, &claims);
  for (guint s = 0; s < claims.n_shares; s++) {
    g_array_unref(claims.shares[s].reads);
    g_array_unref(claims.shares[s].firsts);
    g_free(claims.shares[s].global);
  }
  g_free(claims.shares);
  g_free(claims.which);
  g_free(claims.wheres);
  g_free(claims.wide);
  g_array_unref(reads);
}

/* The event type of @what, through @events (what text, by address ->
 * EventType* or NULL): what texts are interned (memo_word()). */
static const EventType *read_event(const ReckonEngine *engine, GHashTable *events,
                                   const char *what)
{
  gpointer type;
  if (!what)
    return NULL;
  if (!g_hash_table_lookup_extended(events, what, NULL, &type)) {
    type = (gpointer)events_read(engine->rules->events, what);
    g_hash_table_insert(events, (gpointer)what, type);
  }
  return type;
}

static void cell_add(const ReckonEngine *engine, GHashTable *index, GPtrArray *cells,
                     const char *key, guint claim)
{
  Cell *cell = g_hash_table_lookup(index, key);
  if (!cell) {
    cell = cells_add(engine, cells, key);
    g_hash_table_insert(index, (gpointer)cell->key, cell);
  }
  g_array_append_val(cell->claims, claim);
}

/* The hash of @c, kept in it (CellId.hash). */
static guint cell_id_hash_of(const CellId *c)
{
  guint h = (guint)c->tag * 31u + c->text;
  h = h * 1000003u ^ c->when.start;
  h = h * 1000003u ^ c->when.end;
  return h * 31u + ((guint)c->when.start_prec << 8 | (guint)c->when.end_prec << 4 |
                    (guint)(c->when.interval != 0));
}

static guint cell_id_hash(gconstpointer p)
{
  return ((const CellId *)p)->hash;
}

static gboolean cell_id_equal(gconstpointer pa, gconstpointer pb)
{
  const CellId *a = pa, *b = pb;
  return a->tag == b->tag && a->text == b->text && date_span_compare(&a->when, &b->when) == 0;
}

/* Splits the claims of one cell into groups of compatible event types
 * (event_split()). */
static GPtrArray *split_by_event(const GroupRun *run, GArray *claims)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func(event_group_free);
  /* A cell split by spelling can be left with no claims: no group. */
  if (claims->len == 0)
    return groups;
  /* Most cells hold one type (or none): one group, as event_split() would make. */
  const EventType *only = NULL;
  gboolean one = TRUE;
  for (guint i = 0; one && i < claims->len; i++) {
    const EventType *t = run->events[g_array_index(claims, guint, i)];
    one = !t || !only || t == only;
    only = t ? t : only;
  }
  if (one) {
    EventGroup *g = g_new0(EventGroup, 1);
    g->name = g_strdup(only ? only->node.slug : "other");
    g->claims = g_array_ref(claims);
    g_ptr_array_add(groups, g);
    return groups;
  }
  const EventType **types = g_new(const EventType *, claims->len + 1);
  guint *group_of = g_new(guint, claims->len + 1);
  for (guint i = 0; i < claims->len; i++)
    types[i] = run->events[g_array_index(claims, guint, i)];
  char **names = event_split(types, claims->len, group_of);
  for (char **name = names; *name; name++) {
    EventGroup *g = g_new0(EventGroup, 1);
    g->name = g_strdup(*name);
    g->claims = g_array_new(FALSE, FALSE, sizeof(guint));
    g_ptr_array_add(groups, g);
  }
  for (guint i = 0; i < claims->len; i++)
    g_array_append_val(((EventGroup *)g_ptr_array_index(groups, group_of[i]))->claims,
                       g_array_index(claims, guint, i));
  g_strfreev(names);
  g_free(group_of);
  g_free(types);
  return groups;
}

/* Where a thread makes incidents: the slab they live in (one of the
 * run's), the slab of their keys (freed when grouping ends), its scratch
 * space and the event names it has copied into the slab: a few hundred,
 * shared by its incidents (a copy each was 3 MB at 1e6 claims). */
typedef struct {
  Slab *slab;
  Slab *keys;
  GPtrArray *types;
  GString *key;
  GHashTable *event_names; /* name -> its copy in @slab */
} Maker;

/* Sets the types of @inc: the distinct known event types of its members,
 * in the order they first appear. */
static void set_types(const GroupRun *run, Maker *m, Incident *inc)
{
  g_ptr_array_set_size(m->types, 0);
  for (guint i = 0; i < inc->n_members; i++) {
    const EventType *t = run->events[inc->members[i]];
    if (t && !g_ptr_array_find(m->types, t, NULL))
      g_ptr_array_add(m->types, (gpointer)t);
  }
  inc->n_types = m->types->len;
  inc->types = slab_memdup(m->slab, m->types->pdata, m->types->len * sizeof(gpointer));
}

/* A new incident of @claims, keyed @key; both are copied into @m's slab.
 * Only its claims' readings are written, so incidents of different cells
 * are made on different threads. */
static Incident *incident_new(const ReckonEngine *engine, Maker *m, const char *key,
                              const GArray *claims, JoinHow how, const char *event_name,
                              guint cell)
{
  GroupRun *run = engine->group;
  Incident *inc = slab_alloc0(m->slab, sizeof *inc);
  inc->cell = cell;
  /* A keyed incident's key is its claims' key, which explain quotes. */
  inc->key = slab_strdup(how == JOIN_KEY ? m->slab : m->keys, key);
  inc->members = slab_memdup(m->slab, claims->data, claims->len * sizeof(guint));
  inc->n_members = claims->len;
  if (event_name) {
    inc->event_name = g_hash_table_lookup(m->event_names, event_name);
    if (!inc->event_name) {
      inc->event_name = slab_strdup(m->slab, event_name);
      g_hash_table_add(m->event_names, (gpointer)inc->event_name);
    }
  }
  inc->keyed = how == JOIN_KEY;
  for (guint i = 0; i < claims->len; i++) {
    run->readings[inc->members[i]].incident = inc;
    run->how[inc->members[i]] = (guint8)how;
  }
  set_types(run, m, inc);
  if (!inc->keyed)
    inc->when = normal_when(&g_array_index(engine->claims, Claim, inc->members[0]).when);
  return inc;
}

gboolean incident_accepts(const Incident *inc, const EventType *type)
{
  if (!type || inc->n_types == 0)
    return TRUE;
  for (guint i = 0; i < inc->n_types; i++)
    if (event_compatible(inc->types[i], type))
      return TRUE;
  return FALSE;
}

typedef struct {
  const ReckonEngine *engine;
  GPtrArray *cells;
  const guint8 *root; /* the cells that are their component's root */
  guint first_id;     /* the cell id (Incident.cell) of the first cell */
  guint block;
  GPtrArray **made;   /* each block's incidents, in cell order */
} MakeJob;

/* Cells made into incidents at a time. */
#define MAKE_BLOCK 512

/* The incidents of the root cells among [from, to): one per group of
 * compatible event types; keyed cells stay whole. */
static void make_incidents(guint from, guint to, gpointer worker, gpointer data)
{
  const MakeJob *job = data;
  Maker *m = worker;
  GPtrArray *made = job->made[from / job->block] = g_ptr_array_new();
  for (guint i = from; i < to; i++) {
    if (!job->root[i])
      continue;
    const Cell *cell = g_ptr_array_index(job->cells, i);
    if (cell->key[0] == 'k') {
      g_ptr_array_add(made, incident_new(job->engine, m, cell->key, cell->claims, JOIN_KEY, NULL,
                                         job->first_id + i));
      continue;
    }
    GPtrArray *groups = split_by_event(job->engine->group, cell->claims);
    for (guint g = 0; g < groups->len; g++) {
      EventGroup *eg = g_ptr_array_index(groups, g);
      g_string_assign(m->key, cell->key);
      g_string_append_c(m->key, '\x1f');
      g_string_append(m->key, eg->name);
      g_ptr_array_add(made, incident_new(job->engine, m, m->key->str, eg->claims, JOIN_SAME,
                                         eg->name, job->first_id + i));
    }
    g_ptr_array_unref(groups);
  }
}

/* Cells (with those united by cells_merge_close_places()) into incidents,
 * on the threads: each root cell's incidents depend on it alone, and are
 * added to engine->incidents block after block, in cell order.  Cell
 * ids are the cells' places in @cells, after those of earlier calls. */
static void cells_to_incidents(ReckonEngine *engine, GPtrArray *cells)
{
  GroupRun *run = engine->group;
  guint8 *root = g_new0(guint8, cells->len + 1);
  for (guint i = 0; i < cells->len; i++) {
    guint r = cells_find_root(cells, i);
    root[i] = r == i;
    if (r == i)
      continue;
    /* A component is named by its smallest key, whatever the input order. */
    Cell *top = g_ptr_array_index(cells, r), *cell = g_ptr_array_index(cells, i);
    g_array_append_vals(top->claims, cell->claims->data, cell->claims->len);
    if (strcmp(cell->key, top->key) < 0) {
      const char *t = top->key;
      top->key = cell->key;
      cell->key = t;
    }
  }
  guint n_threads = parallel_threads_for(&engine->opts, cells->len, GROUP_PARALLEL_MIN);
  Maker *makers = g_new(Maker, n_threads);
  gpointer *workers = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    makers[t] = (Maker){slab_new(), slab_new(), g_ptr_array_new(), g_string_new(NULL),
                        g_hash_table_new(g_str_hash, g_str_equal)};
    g_ptr_array_add(run->thread_slabs, makers[t].slab);
    g_ptr_array_add(run->incident_key_slabs, makers[t].keys);
    workers[t] = &makers[t];
  }
  guint block = parallel_block(cells->len, n_threads, MAKE_BLOCK);
  guint n_blocks = (cells->len + block - 1) / block;
  MakeJob job = {engine, cells, root, run->n_cells, block, g_new0(GPtrArray *, n_blocks + 1)};
  parallel_run(cells->len, block, n_threads, workers, make_incidents, &job);
  for (guint b = 0; b < n_blocks; b++)
    g_ptr_array_extend_and_steal(engine->incidents, job.made[b]);
  run->n_cells += cells->len;
  for (guint t = 0; t < n_threads; t++) {
    g_ptr_array_unref(makers[t].types);
    g_string_free(makers[t].key, TRUE);
    g_hash_table_unref(makers[t].event_names);
  }
  g_free(job.made);
  g_free(workers);
  g_free(makers);
  g_free(root);
}

/* Claims dated only by month or year ("2024-12") join the one incident at
 * their place whose day falls in their span, widened by the tolerance
 * (vague.c decides which); the others group among themselves. */
static void place_vague_claims(ReckonEngine *engine, const GArray *vague)
{
  GroupRun *run = engine->group;
  Incident **target = vague_targets(engine, vague);

  GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *cells = g_ptr_array_new_with_free_func(cell_free);
  /* The members of the incidents joined, gathered first: they live in the slab. */
  GHashTable *joins = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
  GPtrArray *joined = g_ptr_array_new();
  for (guint v = 0; v < vague->len; v++) {
    guint c = g_array_index(vague, guint, v);
    Reading *r = &run->readings[c];
    if (target[v]) {
      GArray *members = g_hash_table_lookup(joins, target[v]);
      if (!members) {
        members = g_array_new(FALSE, FALSE, sizeof(guint));
        g_array_append_vals(members, target[v]->members, target[v]->n_members);
        g_hash_table_insert(joins, target[v], members);
        g_ptr_array_add(joined, target[v]);
      }
      g_array_append_val(members, c);
      r->incident = target[v];
      run->how[c] = JOIN_VAGUE;
    } else {
      char when[DATE_SPAN_TEXT_MAX];
      when_key(&g_array_index(engine->claims, Claim, c).when, when);
      char *key = g_strjoin("\x1f", "v", r->places->ref, when, NULL);
      cell_add(engine, index, cells, key, c);
      g_free(key);
    }
  }
  for (guint k = 0; k < joined->len; k++) {
    Incident *inc = g_ptr_array_index(joined, k);
    GArray *members = g_hash_table_lookup(joins, inc);
    inc->members = slab_memdup(run->slab, members->data, members->len * sizeof(guint));
    inc->n_members = members->len;
    set_types(run, &(Maker){run->slab, NULL, run->types, NULL, NULL}, inc);
  }
  g_ptr_array_unref(joined);
  g_hash_table_unref(joins);
  cells_to_incidents(engine, cells);
  g_free(target);
  g_ptr_array_unref(cells);
  g_hash_table_unref(index);
}

typedef struct {
  const ReckonEngine *engine;
  CellId *ids; /* parallel to the claims */
} CellJob;

/* Claims given their event types and cell ids at a time. */
#define CELL_BLOCK 4096

/* The event types and cell ids of claims [from, to), with @worker's
 * table of what texts read: a keyed claim's id is 'k' alone (its key is
 * numbered on one thread), a claim dated by month or year at one place
 * is 'v' (it is placed later); the others' ids are whole. */
static void cell_ids(guint from, guint to, gpointer worker, gpointer data)
{
  const CellJob *job = data;
  const ReckonEngine *engine = job->engine;
  for (guint i = from; i < to; i++) {
    const Claim *c = &g_array_index(engine->claims, Claim, i);
    const Reading *r = &engine->group->readings[i];
    DateShape shape = date_span_shape(&c->when);
    engine->group->events[i] = read_event(engine, worker, c->what);
    CellId id = {0};
    if (claim_key(c)) {
      id.tag = 'k';
    } else if (shape == DATE_SHAPE_VAGUE && !r->places->wide) {
      id.tag = 'v';
    } else {
      id.tag = r->places->wide || shape == DATE_SHAPE_PERIOD ? 'a' : 'd';
      id.text = r->places->number;
      if (date_span_is_set(&c->when))
        id.when = normal_when(&c->when);
      id.hash = cell_id_hash_of(&id);
    }
    job->ids[i] = id;
  }
}

/* Every claim's event type and cell id (cell_ids()), on the threads. */
static CellId *find_cell_ids(const ReckonEngine *engine)
{
  guint n = engine->claims->len;
  guint n_threads = parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN);
  gpointer *events = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++)
    events[t] = g_hash_table_new(NULL, NULL);
  CellJob job = {engine, g_new(CellId, n + 1)};
  parallel_run(n, parallel_block(n, n_threads, CELL_BLOCK), n_threads, events, cell_ids, &job);
  for (guint t = 0; t < n_threads; t++)
    g_hash_table_unref(events[t]);
  g_free(events);
  return job.ids;
}

typedef struct {
  const ReckonEngine *engine;
  GPtrArray *cells;
} KeyJob;

/* A thread's slab for cell keys, and its scratch text. */
typedef struct {
  Slab *slab;
  GString *text;
} Keyer;

/* Cells keyed at a time. */
#define KEY_BLOCK 1024

/* Keys cells [from, to) that have none yet: the tag, the ref of their
 * places and their date, as their first claim (like every claim of the
 * cell) has them. */
static void key_some_cells(guint from, guint to, gpointer worker, gpointer data)
{
  const KeyJob *job = data;
  Keyer *keyer = worker;
  for (guint k = from; k < to; k++) {
    Cell *cell = g_ptr_array_index(job->cells, k);
    if (cell->key)
      continue;
    guint first = g_array_index(cell->claims, guint, 0);
    const PlaceSet *places = job->engine->group->readings[first].places;
    char when[DATE_SPAN_TEXT_MAX];
    g_string_assign(keyer->text, cell->id.tag == 'a' ? "a\x1f" : "d\x1f");
    g_string_append(keyer->text, places->ref);
    g_string_append_c(keyer->text, '\x1f');
    g_string_append(keyer->text,
                    when_key(&g_array_index(job->engine->claims, Claim, first).when, when));
    cell->key = slab_strndup(keyer->slab, keyer->text->str, keyer->text->len);
  }
}

/* Gives every cell without a key its key, on the threads; the keys live
 * in slabs added to the run's, freed when grouping ends. */
static void key_cells(const ReckonEngine *engine, GPtrArray *cells)
{
  guint n_threads = parallel_threads_for(&engine->opts, cells->len, GROUP_PARALLEL_MIN);
  Keyer *keyers = g_new(Keyer, n_threads);
  gpointer *workers = g_new(gpointer, n_threads);
  for (guint t = 0; t < n_threads; t++) {
    keyers[t] = (Keyer){slab_new(), g_string_new(NULL)};
    g_ptr_array_add(engine->group->key_slabs, keyers[t].slab);
    workers[t] = &keyers[t];
  }
  KeyJob job = {engine, cells};
  parallel_run(cells->len, parallel_block(cells->len, n_threads, KEY_BLOCK), n_threads, workers,
               key_some_cells, &job);
  for (guint t = 0; t < n_threads; t++)
    g_string_free(keyers[t].text, TRUE);
  g_free(workers);
  g_free(keyers);
}

typedef struct {
  const ReckonEngine *engine;
  const CellId *ids;       /* parallel to the claims */
  const char *const *keys; /* the folded incident keys, by number */
  guint n_shares;
  GPtrArray **found;       /* each share's cells, in the order of their first claims */
  GArray **firsts;         /* of guint: the first claim of each */
  Slab **slabs;            /* each share's slab for its cells and keys: the run's cell slab
                            * for the first (cells_add() uses it only after), new ones for
                            * the others */
} FindJob;

/* The cells of shares [from, to): a share is the cells whose hash is
 * the share's number modulo the shares, each found in a table of the
 * share's own, so shares are found side by side. */
static void find_shares(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FindJob *job = data;
  guint n = job->engine->claims->len;
  for (guint share = from; share < to; share++) {
    GHashTable *index = g_hash_table_new(cell_id_hash, cell_id_equal); /* &cell->id -> cell */
    GPtrArray *found = job->found[share] = g_ptr_array_new();
    GArray *firsts = job->firsts[share] = g_array_new(FALSE, FALSE, sizeof(guint));
    Slab *slab = job->slabs[share];
    for (guint i = 0; i < n; i++) {
      const CellId *id = &job->ids[i];
      if (id->tag == 'v' || id->hash % job->n_shares != share)
        continue;
      Cell *cell = g_hash_table_lookup(index, id);
      if (!cell) {
        cell = slab_alloc0(slab, sizeof *cell);
        cell->id = *id;
        if (id->tag == 'k') { /* the others' keys on the threads (key_cells()) */
          const char *key = job->keys[id->text];
          gsize len = strlen(key);
          char *text = slab_alloc(slab, len + 3);
          memcpy(text, "k\x1f", 2);
          memcpy(text + 2, key, len + 1);
          cell->key = text;
        }
        cell->claims = g_array_new(FALSE, FALSE, sizeof(guint));
        g_hash_table_insert(index, &cell->id, cell);
        g_ptr_array_add(found, cell);
        g_array_append_val(firsts, i);
      }
      g_array_append_val(cell->claims, i);
    }
    g_hash_table_unref(index);
  }
}

/* Each claim's cell (the claims with equal CellIds), appended to @cells
 * in the order of their first claims; the claims dated by month or year
 * at one place to @vague.  Incident keys are folded and numbered on one
 * thread, then the cells found in shares on the threads and put in
 * order: the same cells in the same order for any number of threads. */
static void find_cells(ReckonEngine *engine, CellId *ids, GPtrArray *cells, GArray *vague)
{
  guint n = engine->claims->len;
  GHashTable *numbers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *keys = g_ptr_array_new();
  for (guint i = 0; i < n; i++) {
    if (ids[i].tag == 'v') {
      g_array_append_val(vague, i);
    } else if (ids[i].tag == 'k') {
      char *folded = fold_words(claim_key(&g_array_index(engine->claims, Claim, i)));
      gpointer known = g_hash_table_lookup(numbers, folded);
      if (!known) {
        g_ptr_array_add(keys, folded);
        known = GUINT_TO_POINTER(keys->len);
        g_hash_table_insert(numbers, folded, known);
      } else {
        g_free(folded);
      }
      ids[i].text = GPOINTER_TO_UINT(known) - 1;
      ids[i].hash = cell_id_hash_of(&ids[i]);
    }
  }
  guint n_shares = parallel_threads_for(&engine->opts, n, GROUP_PARALLEL_MIN);
  FindJob job = {engine, ids, (const char *const *)keys->pdata, n_shares,
                 g_new(GPtrArray *, n_shares), g_new(GArray *, n_shares), g_new(Slab *, n_shares)};
  job.slabs[0] = engine->group->cell_slab;
  for (guint s = 1; s < n_shares; s++)
    job.slabs[s] = slab_new();
  parallel_run(n_shares, 1, n_shares, NULL, find_shares, &job);
  guint **places = g_new(guint *, n_shares);
  for (guint s = 0; s < n_shares; s++)
    places[s] = g_new(guint, job.found[s]->len + 1);
  guint base = cells->len;
  g_ptr_array_set_size(cells, base + merge_shares(n_shares, job.firsts, places));
  for (guint s = 0; s < n_shares; s++) {
    for (guint k = 0; k < job.found[s]->len; k++) {
      Cell *cell = g_ptr_array_index(job.found[s], k);
      cell->root = base + places[s][k];
      cells->pdata[cell->root] = cell;
    }
    g_ptr_array_unref(job.found[s]);
    g_array_unref(job.firsts[s]);
    g_free(places[s]);
    if (s > 0)
      g_ptr_array_add(engine->group->key_slabs, job.slabs[s]);
  }
  g_free(places);
  g_free(job.firsts);
  g_free(job.found);
  g_free(job.slabs);
  g_ptr_array_unref(keys);
  g_hash_table_unref(numbers);
}

void group_claims(ReckonEngine *engine)
{
  GroupRun *run = g_new0(GroupRun, 1);
  engine->group = run;
  run->readings = g_new0(Reading, engine->claims->len + 1);
  run->how = g_new0(guint8, engine->claims->len + 1);
  run->events = g_new0(const EventType *, engine->claims->len + 1);
  run->place_sets = g_ptr_array_new_with_free_func((GDestroyNotify)place_set_free);
  run->slab = slab_new();
  run->types = g_ptr_array_new();
  run->cell_slab = slab_new();
  run->key_slabs = g_ptr_array_new_with_free_func((GDestroyNotify)slab_free);
  run->thread_slabs = g_ptr_array_new_with_free_func((GDestroyNotify)slab_free);
  run->incident_key_slabs = g_ptr_array_new_with_free_func((GDestroyNotify)slab_free);
  read_all_places(engine);

  GPtrArray *cells = g_ptr_array_new_with_free_func(cell_free);
  GArray *vague = g_array_new(FALSE, FALSE, sizeof(guint));
  CellId *ids = find_cell_ids(engine);
  find_cells(engine, ids, cells, vague);
  key_cells(engine, cells);
  g_free(ids);
  cells_split_spellings(engine, cells);
  cells_merge_close_places(engine, cells);
  cells_to_incidents(engine, cells);
  place_vague_claims(engine, vague);
  /* The incidents are made: cells, their keys and claim lists are
   * scaffolding, freed before the steps that allocate the most (names,
   * estimates) so that those reuse the memory instead of adding to the
   * peak. */
  g_array_unref(vague);
  g_ptr_array_unref(cells);
  g_clear_pointer(&run->types, g_ptr_array_unref);
  g_clear_pointer(&run->events, g_free);
  g_clear_pointer(&run->cell_slab, slab_free);
  g_clear_pointer(&run->key_slabs, g_ptr_array_unref);
  incidents_describe(engine);
  incidents_name(engine);
  incidents_link(engine);
  /* Keys ordered the incidents while they were made, named and linked;
   * ids name them from now on (8 bytes a claim at 1e6).  A keyed
   * incident keeps its key (in the slab of the incident). */
  for (guint i = 0; i < engine->incidents->len; i++) {
    Incident *inc = g_ptr_array_index(engine->incidents, i);
    if (!inc->keyed)
      inc->key = NULL;
  }
  g_clear_pointer(&run->incident_key_slabs, g_ptr_array_unref);
  buckets_make_estimates(engine);
}
