/*
 * engine-private.h - the engine's state, shared by the stages: reader.c
 * fills claims and rejects, group.c and estimate.c turn claims into
 * estimates, writer.c prints them.  engine.c holds the public entry points.
 */
#ifndef RECKON_ENGINE_PRIVATE_H
#define RECKON_ENGINE_PRIVATE_H

#include "claim.h"
#include "reckon/engine.h"
#include "rules.h"

/* An incident as grouping found it; owned by the engine until the next run. */
typedef struct {
  char *key;            /* internal grouping key */
  const Claim *first;   /* any claim, for the place and date */
  GHashTable *wheres;   /* where text -> count */
  GHashTable *whats;    /* what text -> count */
  const char *id;
  const char *label;
  guint n_claims;
} Incident;

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
