/*
 * engine-private.h - the engine's state, shared by the stages: reader.c
 * fills claims and rejects, group.c and estimate.c turn claims into
 * estimates, writer.c prints them.  engine.c holds the public entry points.
 */
#ifndef RECKON_ENGINE_PRIVATE_H
#define RECKON_ENGINE_PRIVATE_H

#include "claim.h"
#include "place.h"
#include "reckon/engine.h"
#include "rules.h"

/* An incident as grouping found it; owned by the engine until the next run. */
typedef struct _Incident Incident;
struct _Incident {
  char *key;              /* internal, from content: fixes the order of incidents */
  char *event_name;       /* its group of event types ("air-strike"); NULL when keyed */
  GArray *members;        /* of guint: indices of its claims in engine->claims */
  guint cell;             /* the claims' cell (same places and date) in grouping */
  const char *where;      /* the most common where text of its claims, or NULL */
  const char *what;       /* the most common what text of its claims, or NULL */
  const PlaceSet *places; /* the reading of its most common where; NULL without one */
  GPtrArray *types;       /* the distinct known event types of its claims */
  DateSpan when;          /* its day, vague date or period (keyed: the claims' hull) */
  gboolean keyed;         /* grouped by an explicit incident.key */
  gboolean aggregate;     /* several places, a wide place or a period */
  const Incident *parent; /* the smallest incident it lies inside, or NULL */
  const char *id;
  const char *label;
  const char *place;      /* canonical place names, " + "-joined; NULL without a where */
  const char *when_text;  /* "" when no date */
};

/* group.c: how the last run read each claim, kept for explain. */
typedef struct _GroupRun GroupRun;

struct _ReckonEstimate {
  const Incident *source_incident;
  const char *incident;
  const char *label;
  const char *metric;
  const char *who;
  guint64 low, high;
  double best;
  double level;
  ReckonFlags flags;
  guint n_sources;
  guint n_members;
  ReckonMember *members;  /* n_members, sorted */
  const Claim **claims;   /* parallel to members */
};

struct _ReckonEngine {
  ReckonOptions opts;
  const ReckonRules *rules;
  GStringChunk *strings;
  GArray *claims;         /* of Claim */
  GArray *rejects;        /* of ReckonReject, strings in @strings */
  GHashTable *ids;        /* claim id -> "FILE:LINE" where first seen */
  GArray *estimates;      /* of ReckonEstimate */
  GPtrArray *incidents;   /* of Incident*, sorted by id */
  GroupRun *group;        /* what grouping read, until the next run */
};

/* reader.c: read claims from text or parsed JSON into @engine.  Returns
 * FALSE only with strict set, at the first reject. */
gboolean reader_load_text(ReckonEngine *engine, const char *name, const char *data, gsize len,
                          GError **error);
gboolean reader_load_json(ReckonEngine *engine, const char *name, const cJSON *json,
                          GError **error);

/* group.c: fills engine->incidents, and engine->estimates with one empty
 * estimate per incident, metric and who (incident, label, metric, who,
 * members), in output order. */
void group_claims(ReckonEngine *engine);

/* group.c: frees an Incident (a GDestroyNotify for engine->incidents). */
void incident_free(gpointer incident);

/* group.c: frees what group_claims() kept of a run; NULL is a no-op. */
void group_run_free(GroupRun *run);

/* group.c: appends to @out, in plain words, why the claims of @incident
 * were grouped and which near-misses were kept apart. */
void group_explain(const ReckonEngine *engine, const Incident *incident, GString *out);

/* estimate.c: computes low, best, high, flags and roles of @estimate. */
void estimate_compute(ReckonEstimate *estimate, const ReckonOptions *opts);

/* estimate.c: appends to @out, in plain words, how @estimate's range, best
 * value and flags came about from its claims. */
void estimate_explain(const ReckonEstimate *estimate, const ReckonOptions *opts, GString *out);

/* Frees what an estimate owns (members and claims arrays). */
void estimate_clear(ReckonEstimate *estimate);

#endif /* RECKON_ENGINE_PRIVATE_H */
