/*
 * cells.c - cells at places outside the gazetteer, between reading places
 * and making incidents (group.c): a spelling key can be shared by names
 * that are not one place, so each day cell is split by spelling; and
 * places spelled one letter apart on the same day are one place, found
 * without comparing all pairs.  Nothing here depends on input order: the
 * groups and unions are keyed by content.
 */
#include <string.h>

#include "cells.h"
#include "fold.h"
#include "group.h"
#include "parallel.h"

static int compare_part_names(gconstpointer a, gconstpointer b)
{
  return strcmp((*(const PlacePart *const *)a)->name, (*(const PlacePart *const *)b)->name);
}

Cell *cells_add(const ReckonEngine *engine, GPtrArray *cells, const char *key)
{
  Cell *cell = slab_alloc0(engine->group->cell_slab, sizeof *cell);
  cell->key = key ? slab_strdup(engine->group->cell_slab, key) : NULL;
  cell->claims = g_array_new(FALSE, FALSE, sizeof(guint));
  cell->root = cells->len;
  g_ptr_array_add(cells, cell);
  return cell;
}

void cell_free(gpointer data)
{
  Cell *cell = data;
  if (cell->claims)
    g_array_unref(cell->claims);
}

guint cells_find_root(GPtrArray *cells, guint i)
{
  Cell *cell = g_ptr_array_index(cells, i);
  if (cell->root != i)
    cell->root = cells_find_root(cells, cell->root);
  return cell->root;
}

static void unite(GPtrArray *cells, guint a, guint b)
{
  a = cells_find_root(cells, a);
  b = cells_find_root(cells, b);
  if (a != b)
    ((Cell *)g_ptr_array_index(cells, MAX(a, b)))->root = MIN(a, b);
}

/* The one place of a cell when the gazetteer does not know it, or NULL. */
const PlacePart *cells_unknown_part(const ReckonEngine *engine, guint claim)
{
  const PlaceSet *set = engine->group->readings[claim].places;
  const PlacePart *part = &g_array_index(set->parts, PlacePart, 0);
  return set->parts->len == 1 && !part->place ? part : NULL;
}

static guint part_root(guint *root, guint i)
{
  while (root[i] != i)
    i = root[i] = root[root[i]];
  return i;
}

/* TRUE, with the cell's name set, when all claims of @cell (at a place
 * outside the gazetteer) spell it alike: most do, and need no split. */
static gboolean one_spelling(const ReckonEngine *engine, Cell *cell)
{
  const Reading *readings = engine->group->readings;
  guint first = g_array_index(cell->claims, guint, 0);
  const PlacePart *part = cells_unknown_part(engine, first);
  for (guint i = 1; i < cell->claims->len; i++) {
    guint c = g_array_index(cell->claims, guint, i);
    const PlacePart *other = cells_unknown_part(engine, c);
    if (readings[c].places != readings[first].places &&
        (!other || strcmp(other->name, part->name) != 0))
      return FALSE;
  }
  cell->name = part;
  return TRUE;
}

typedef struct {
  const ReckonEngine *engine;
  GPtrArray *cells;
  guint8 *split; /* the cells to split: spelled more than one way */
} SpellJob;

/* Cells looked at for spellings at a time. */
#define SPELL_BLOCK 1024

/* Which of cells [from, to), day cells at a place outside the
 * gazetteer, are spelled more than one way; the others take their name
 * here. */
static void find_splits(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const SpellJob *job = data;
  for (guint ci = from; ci < to; ci++) {
    Cell *cell = g_ptr_array_index(job->cells, ci);
    job->split[ci] = cell->key[0] == 'd' &&
                     cells_unknown_part(job->engine, g_array_index(cell->claims, guint, 0)) &&
                     !one_spelling(job->engine, cell);
  }
}

/* Places outside the gazetteer are hashed by spelling key, which different
 * names can share ("Khayqar", "Kaqir").  Splits each day cell of such a
 * place into the names spelled closely (place_part_close(), linked in
 * chains); the group with the smallest spelling keeps the cell's key.
 * The cells spelled one way (most) are found on the threads, the others
 * split on one thread, the new cells added in order. */
void cells_split_spellings(ReckonEngine *engine, GPtrArray *cells)
{
  guint n_cells = cells->len;
  guint n_threads = parallel_threads_for(&engine->opts, n_cells, GROUP_PARALLEL_MIN);
  SpellJob job = {engine, cells, g_new(guint8, n_cells + 1)};
  parallel_run(n_cells, parallel_block(n_cells, n_threads, SPELL_BLOCK), n_threads, NULL,
               find_splits, &job);
  for (guint ci = 0; ci < n_cells; ci++) {
    if (!job.split[ci])
      continue;
    Cell *cell = g_ptr_array_index(cells, ci);
    /* The distinct spellings, smallest first, and which are close. */
    GPtrArray *names = g_ptr_array_new();
    for (guint i = 0; i < cell->claims->len; i++) {
      const PlacePart *part = cells_unknown_part(engine, g_array_index(cell->claims, guint, i));
      gboolean seen = FALSE;
      for (guint k = 0; !seen && k < names->len; k++)
        seen = strcmp(((const PlacePart *)g_ptr_array_index(names, k))->name, part->name) == 0;
      if (!seen)
        g_ptr_array_add(names, (gpointer)part);
    }
    g_ptr_array_sort(names, compare_part_names);
    guint *root = g_new(guint, names->len);
    for (guint a = 0; a < names->len; a++) {
      root[a] = a;
      for (guint b = 0; b < a; b++)
        if (place_part_close(g_ptr_array_index(names, a), g_ptr_array_index(names, b)))
          root[part_root(root, a)] = part_root(root, b);
    }
    cell->name = g_ptr_array_index(names, 0);
    Cell **groups = g_new0(Cell *, names->len);
    groups[0] = cell;
    GArray *claims = cell->claims;
    cell->claims = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < claims->len; i++) {
      guint c = g_array_index(claims, guint, i);
      const PlacePart *part = cells_unknown_part(engine, c);
      guint k = 0;
      while (strcmp(((const PlacePart *)g_ptr_array_index(names, k))->name, part->name) != 0)
        k++;
      guint r = part_root(root, k);
      if (!groups[r]) {
        const PlacePart *name = g_ptr_array_index(names, r);
        char *key = g_strjoin("\x1f", cell->key, name->name, NULL);
        groups[r] = cells_add(engine, cells, key);
        groups[r]->name = name;
        g_free(key);
      }
      g_array_append_val(groups[r]->claims, c);
    }
    g_array_unref(claims);
    g_free(groups);
    g_free(root);
    g_ptr_array_unref(names);
  }
  g_free(job.split);
}

/* The place of a day cell outside the gazetteer with a key long enough to
 * be matched one letter off, or NULL. */
static const PlacePart *unknown_place(const ReckonEngine *engine, const Cell *cell)
{
  const PlacePart *part = cell->name;
  return part && strlen(part->key) >= CLOSE_MIN_KEY ? part : NULL;
}

/* A cell filed in a bucket of cells_merge_close_places(): the bucket is the
 * text day, site and key with letter @skip deleted (none when @skip is
 * the key's length), known by its hash so that no text is built. */
typedef struct {
  guint64 hash;
  guint cell, skip;
} Filed;

static int compare_filed(gconstpointer pa, gconstpointer pb, gpointer data)
{
  (void)data;
  const Filed *a = pa, *b = pb;
  return a->hash < b->hash ? -1 : a->hash > b->hash;
}

/* FNV-1a over @len bytes of @s, on from @h. */
static guint64 hash_bytes(guint64 h, const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    h = (h ^ (guchar)s[i]) * 0x100000001b3ull;
  return h;
}

/* The day of a day cell's key ("d", ref, day, and for a cell split off
 * by spelling the spelling): its third field, @len bytes long. */
static const char *filed_day(const Cell *cell, gsize *len)
{
  const char *day = strchr(strchr(cell->key, '\x1f') + 1, '\x1f') + 1;
  const char *end = strchr(day, '\x1f');
  *len = end ? (gsize)(end - day) : strlen(day);
  return day;
}

/* Whether two filed cells are in the same bucket, not just the same hash. */
static gboolean same_bucket(GPtrArray *cells, const Filed *a, const Filed *b)
{
  const Cell *ca = g_ptr_array_index(cells, a->cell), *cb = g_ptr_array_index(cells, b->cell);
  const PlacePart *pa = ca->name, *pb = cb->name; /* filed: not NULL */
  gsize la = strlen(pa->key), lb = strlen(pb->key);
  gsize da, db;
  const char *day_a = filed_day(ca, &da), *day_b = filed_day(cb, &db);
  if (la - (a->skip < la) != lb - (b->skip < lb) || da != db || memcmp(day_a, day_b, da) != 0 ||
      strcmp(pa->site ? pa->site : "", pb->site ? pb->site : "") != 0)
    return FALSE;
  for (gsize i = 0, j = 0;; i++, j++) {
    i += i == a->skip;
    j += j == b->skip;
    if (i >= la || j >= lb)
      return TRUE;
    if (pa->key[i] != pb->key[j])
      return FALSE;
  }
}

/* Day cells at places outside the gazetteer whose keys are one letter
 * apart ("Abzimo" and "Abzimoz"), with the same site and day, are one
 * place.  Each key is filed with each of its letters deleted, so pairs
 * within one edit share a bucket without comparing all pairs.  Buckets
 * are runs of one hash within a part (cells_merge_close_places() below);
 * within a run the texts are compared in case two buckets share a hash.
 * The order cells are united in does not matter: a component is rooted
 * at its first cell. */
typedef struct {
  const ReckonEngine *engine;
  GPtrArray *cells;
  guint *first; /* each cell's first Filed; cells + 1 of them */
  Filed *filed;
} FileJob;

/* Cells filed at a time. */
#define FILE_BLOCK 1024

/* How many times each of cells [from, to) is filed: once per letter of
 * its key and once whole, or not at all. */
static void count_filed(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FileJob *job = data;
  for (guint i = from; i < to; i++) {
    const PlacePart *part = unknown_place(job->engine, g_ptr_array_index(job->cells, i));
    job->first[i + 1] = part ? (guint)strlen(part->key) + 1 : 0;
  }
}

/* Files cells [from, to) at their places in @job->filed. */
static void file_cells(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FileJob *job = data;
  for (guint i = from; i < to; i++) {
    const Cell *cell = g_ptr_array_index(job->cells, i);
    const PlacePart *part = unknown_place(job->engine, cell);
    if (!part)
      continue;
    gsize dlen;
    const char *day = filed_day(cell, &dlen), *site = part->site ? part->site : "";
    guint64 head = hash_bytes(0xcbf29ce484222325ull, day, dlen);
    head = hash_bytes(head, "", 1);
    head = hash_bytes(head, site, strlen(site) + 1);
    gsize klen = strlen(part->key);
    for (gsize k = 0; k <= klen; k++) {
      guint64 h = hash_bytes(head, part->key, k);
      if (k < klen)
        h = hash_bytes(h, part->key + k + 1, klen - k - 1);
      job->filed[job->first[i] + k] = (Filed){h, i, (guint)k};
    }
  }
}

/* Filings are cut into parts by the top bits of their hash (at most
 * this many: about 32 filings a part), each part sorted by hash on its
 * own, so that a bucket's filings (one hash) are a run within one part. */
#define PART_BITS 16

/* Filings spread into parts at a time, each block with its own counts. */
#define SPREAD_BLOCK (1u << 18)

/* Parts looked through for pairs at a time. */
#define PAIR_BLOCK 1024

typedef struct {
  GPtrArray *cells;
  const Filed *filed; /* as filed */
  Filed *parted;      /* the same, part after part */
  guint n, n_blocks;
  guint bits;         /* parts are 1 << @bits, by the top @bits of the hash */
  gboolean placing;   /* spread_parts() places, the counts done */
  guint *at;          /* each block's next place in each part: n_blocks << @bits */
  guint *start;       /* each part's first filing; parts + 1 of them */
  guint pair_block;   /* parts looked through at a time */
  GArray **pairs;     /* of guint pairs: cells to unite, found in each block of parts */
} PartJob;

static guint part_of(const PartJob *job, const Filed *f)
{
  return (guint)(f->hash >> (64 - job->bits));
}

/* Counts the filings of blocks [from, to) in each part, or once the
 * counts are places (@job->placing), places them. */
static void spread_parts(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const PartJob *job = data;
  for (guint b = from; b < to; b++) {
    guint *at = job->at + ((gsize)b << job->bits);
    for (guint i = b * SPREAD_BLOCK; i < MIN((b + 1) * SPREAD_BLOCK, job->n); i++) {
      guint *place = &at[part_of(job, &job->filed[i])];
      if (job->placing)
        job->parted[*place] = job->filed[i];
      ++*place;
    }
  }
}

/* The pairs of cells in one bucket, spelled one letter apart, in parts
 * [from, to): the filings of a part sorted by hash, and the cells of
 * each run of one hash compared two by two. */
static void find_pairs(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const PartJob *job = data;
  GArray *pairs = job->pairs[from / job->pair_block] = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint p = from; p < to; p++) {
    Filed *part = job->parted + job->start[p];
    guint n = job->start[p + 1] - job->start[p];
    g_qsort_with_data(part, (gint)n, sizeof *part, compare_filed, NULL);
    for (guint first = 0, end; first < n; first = end) {
      for (end = first + 1; end < n && part[end].hash == part[first].hash; end++)
        ;
      for (guint a = first; a < end; a++)
        for (guint b = a + 1; b < end; b++) {
          const Filed *fa = &part[a], *fb = &part[b];
          if (fa->cell == fb->cell || !same_bucket(job->cells, fa, fb))
            continue;
          const PlacePart *pa = ((const Cell *)g_ptr_array_index(job->cells, fa->cell))->name;
          const PlacePart *pb = ((const Cell *)g_ptr_array_index(job->cells, fb->cell))->name;
          if (fold_distance(pa->key, pb->key, 1) <= 1 && place_part_close(pa, pb)) {
            g_array_append_val(pairs, fa->cell);
            g_array_append_val(pairs, fb->cell);
          }
        }
    }
  }
}

void cells_merge_close_places(ReckonEngine *engine, GPtrArray *cells)
{
  /* Counted and filed on the threads, each cell at its place in cell
   * order, as if filed one after the other. */
  guint n_threads = parallel_threads_for(&engine->opts, cells->len, GROUP_PARALLEL_MIN);
  guint block = parallel_block(cells->len, n_threads, FILE_BLOCK);
  FileJob job = {engine, cells, g_new(guint, cells->len + 1), NULL};
  job.first[0] = 0;
  parallel_run(cells->len, block, n_threads, NULL, count_filed, &job);
  for (guint i = 0; i < cells->len; i++)
    job.first[i + 1] += job.first[i];
  GArray *filed = g_array_sized_new(FALSE, FALSE, sizeof(Filed), job.first[cells->len]);
  g_array_set_size(filed, job.first[cells->len]);
  job.filed = (Filed *)filed->data;
  parallel_run(cells->len, block, n_threads, NULL, file_cells, &job);
  g_free(job.first);

  /* Spread into parts on the threads (each block of filings counted,
   * then placed), the parts sorted and searched for pairs on the
   * threads, the pairs united on one thread: the components do not
   * depend on the order cells are united in. */
  guint bits = 1;
  while (bits < PART_BITS && filed->len >> (bits + 5))
    bits++;
  guint n_parts = 1u << bits, pair_block = parallel_block(n_parts, n_threads, PAIR_BLOCK);
  guint n_pair_blocks = (n_parts + pair_block - 1) / pair_block;
  PartJob parts = {cells,
                   job.filed,
                   g_new(Filed, filed->len + 1),
                   filed->len,
                   (filed->len + SPREAD_BLOCK - 1) / SPREAD_BLOCK,
                   bits,
                   FALSE,
                   NULL,
                   g_new(guint, n_parts + 1),
                   pair_block,
                   g_new0(GArray *, n_pair_blocks)};
  guint spread_threads = MIN(n_threads, parts.n_blocks);
  parts.at = g_new0(guint, ((gsize)parts.n_blocks << bits) + 1);
  parallel_run(parts.n_blocks, 1, spread_threads, NULL, spread_parts, &parts);
  guint sum = 0;
  for (guint p = 0; p < n_parts; p++) {
    parts.start[p] = sum;
    for (guint b = 0; b < parts.n_blocks; b++) {
      guint *at = &parts.at[((gsize)b << bits) + p], count = *at;
      *at = sum;
      sum += count;
    }
  }
  parts.start[n_parts] = sum;
  parts.placing = TRUE;
  parallel_run(parts.n_blocks, 1, spread_threads, NULL, spread_parts, &parts);
  g_free(parts.at);
  g_array_unref(filed);
  parallel_run(n_parts, pair_block, n_threads, NULL, find_pairs, &parts);
  for (guint k = 0; k < n_pair_blocks; k++) {
    const guint *pair = (const guint *)parts.pairs[k]->data;
    for (guint i = 0; i + 1 < parts.pairs[k]->len; i += 2)
      unite(cells, pair[i], pair[i + 1]);
    g_array_unref(parts.pairs[k]);
  }
  g_free(parts.pairs);
  g_free(parts.start);
  g_free(parts.parted);
}
