/*
 * group.h - what the grouping stage shares between its files: group.c
 * puts claims into incidents (cells.c splits and unites the cells of
 * places outside the gazetteer; vague.c finds the day incident a claim
 * dated by month or year joins), group-explain.c says why, incident.c
 * describes and names the incidents and links each to the smallest
 * incident it lies inside, buckets.c makes their empty estimates.
 */
#ifndef RECKON_GROUP_H
#define RECKON_GROUP_H

#include "engine-private.h"
#include "event.h"
#include "slab.h"

/* How a claim came to its incident. */
typedef enum {
  JOIN_KEY,   /* an explicit incident.key */
  JOIN_SAME,  /* the same places (or one letter off), date and a compatible event type */
  JOIN_VAGUE, /* a month or year that fits one incident's day only */
} JoinHow;

/* How grouping read one claim (kept for explain; its event type and how
 * it joined are in GroupRun's arrays of their own, which keeps this
 * record at 16 bytes). */
typedef struct {
  const PlaceSet *places; /* NULL for a keyed claim without where */
  Incident *incident;
} Reading;

struct _GroupRun {
  Reading *readings;      /* parallel to engine->claims */
  guint8 *how;            /* parallel to engine->claims: how each joined its incident (JoinHow) */
  const EventType **events; /* parallel to engine->claims: each one's event type, NULL when
                             * its what names no known type; only while grouping */
  GPtrArray *place_sets;  /* of PlaceSet (owned): each distinct where text's reading */
  Slab *slab;             /* incidents' member and type lists changed on one thread */
  GPtrArray *types;       /* scratch for an incident's types while grouping */
  Slab *cell_slab;        /* cells and their keys; only while grouping */
  GPtrArray *key_slabs;   /* of Slab: the cells found by shares after the first, and the
                           * cells' keys, one per thread; only while grouping */
  GPtrArray *thread_slabs; /* of Slab: incidents, their date texts and labels made on the
                           * threads, a slab per thread of a step */
  GPtrArray *incident_key_slabs; /* of Slab: the keys of incidents not keyed, one per thread
                                  * of a step; only while grouping */
  guint n_cells;          /* cell ids (Incident.cell) given so far */
  guint n_refs;           /* distinct refs of the place sets (PlaceSet.number) */
};

/* Below this many claims, cells or incidents, the steps of grouping
 * shared out among threads (all but reading places) run on one thread
 * (parallel_threads_for()). */
#define GROUP_PARALLEL_MIN 2048

/* The date as grouping compares it: a day-long interval is its day. */
static inline DateSpan normal_when(const DateSpan *span)
{
  DateSpan s = *span;
  if (date_span_shape(span) == DATE_SHAPE_DAY)
    s.interval = FALSE;
  return s;
}

/* TRUE when a claim of type @type may belong to @inc: no type on either
 * side, or one of the incident's types compatible with it. */
gboolean incident_accepts(const Incident *inc, const EventType *type);

/* vague.c: for each of the claims numbered in @vague (dated by month or
 * year), the one day incident of engine->incidents it joins, or NULL;
 * g_free() the array. */
Incident **vague_targets(const ReckonEngine *engine, const GArray *vague);

/* buckets.c: one empty estimate per incident, metric and who, appended
 * to engine->estimates in output order (the incidents in id order). */
void buckets_make_estimates(ReckonEngine *engine);

/* describe.c: what the claims of each incident say together: its where
 * and what texts, for a keyed incident the span of its dates, its places
 * (those of the most common where among the claims of its cell) and
 * whether it is an aggregate.  Cells are described on the threads. */
void incidents_describe(ReckonEngine *engine);

/* incident.c: gives every incident of engine->incidents its id, label,
 * place and date texts, and sorts them by id. */
void incidents_name(ReckonEngine *engine);

/* incident.c: sets each incident's parent, the smallest incident whose
 * places, dates and event type contain it. */
void incidents_link(ReckonEngine *engine);

/* incident.c: TRUE when @outer contains @inner (see incidents_link()). */
gboolean incident_contains(const Incident *outer, const Incident *inner);

#endif /* RECKON_GROUP_H */
