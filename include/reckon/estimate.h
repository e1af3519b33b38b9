/*
 * reckon/estimate.h - the result of a run: one estimate per incident,
 * metric and sub-population, with the claims it was made from.
 *
 * Estimates belong to the engine that produced them: every pointer here is
 * (transfer none) and valid until the engine is freed or run again.
 */
#ifndef RECKON_ESTIMATE_H
#define RECKON_ESTIMATE_H

#include "reckon/common.h"
#include "reckon/range.h"

G_BEGIN_DECLS

typedef struct _ReckonEstimate ReckonEstimate;

/** ReckonRole: what a claim did in its estimate. */
typedef enum {
  RECKON_ROLE_USED,       /* counted as evidence */
  RECKON_ROLE_ECHO,       /* relays an origin already counted */
  RECKON_ROLE_SUPERSEDED, /* an early count replaced by a later one */
  RECKON_ROLE_OUTLIER,    /* judged false */
} ReckonRole;

/** ReckonFlags: why sources disagree, or why to be careful; a bit set. */
typedef enum {
  RECKON_FLAG_CONFLICT = 1 << 0,      /* credible ranges that cannot all be true */
  RECKON_FLAG_OUTLIER = 1 << 1,       /* a claim was judged false */
  RECKON_FLAG_SUPERSEDED = 1 << 2,    /* an early count was replaced */
  RECKON_FLAG_ECHO = 1 << 3,          /* fewer independent origins than reports */
  RECKON_FLAG_SINGLE_SOURCE = 1 << 4, /* only one source */
  RECKON_FLAG_VAGUE_ONLY = 1 << 5,    /* every claim is a vague word */
  RECKON_FLAG_WIDE = 1 << 6,          /* high/low above the threshold */
  RECKON_FLAG_EXCEEDS_TOTAL = 1 << 7, /* a part larger than its total */
} ReckonFlags;

#define RECKON_FLAG_COUNT 8

/**
 * ReckonMember:
 * @id: the claim's id (its "id" field, else "FILE:LINE").
 * @source: who asserts the number.
 * @value: the value as the claim wrote it (a phrase, or a number or object
 *   rendered as JSON).
 * @range: the value as a range.
 * @role: what the claim did in the estimate.
 * @flags: the flags of the estimate this claim caused.
 * @file: (nullable): where the claim was read, with @line.
 * @line: 1-based line of the claim in @file.
 * @weight: how much the claim counted, from 0 to 1: for the bayes method
 *   the probability that it is honest given all the claims; for the other
 *   methods 1 when it was used and 0 otherwise.
 * @origin: the independent origin the claim counts under: its source after
 *   aliasing (rules/sources), or the first source of the claims it was
 *   found to relay.
 *
 * One claim of an estimate.  Fields may be added at the end in later
 * versions; the engine allocates members, so that is compatible.
 */
typedef struct {
  const char *id;
  const char *source;
  const char *value;
  ReckonRange range;
  ReckonRole role;
  ReckonFlags flags;
  const char *file;
  guint line;
  double weight;
  const char *origin;
} ReckonMember;

RECKON_API const char *reckon_role_to_string(ReckonRole role);
/** reckon_flag_to_string: the name of one flag bit ("conflict", ...). */
RECKON_API const char *reckon_flag_to_string(ReckonFlags flag);

/** reckon_estimate_incident: the incident id, e.g. "homs-military-college@2023-10-05". */
RECKON_API const char *reckon_estimate_incident(const ReckonEstimate *estimate);
/** reckon_estimate_label: a readable name for the incident. */
RECKON_API const char *reckon_estimate_label(const ReckonEstimate *estimate);
/**
 * reckon_estimate_place: (nullable): the incident's canonical place, from
 * the gazetteer ("Jisr al-Shughur"); several are joined by " + "; NULL
 * when its claims name no place (an explicit key alone).
 */
RECKON_API const char *reckon_estimate_place(const ReckonEstimate *estimate);
/**
 * reckon_estimate_when: the incident's date as claims write dates: a day
 * ("2023-10-05"), a month or year ("2024-12"), or a period
 * ("2024-11-26/2024-12-01"); "" when no claim gives one.
 */
RECKON_API const char *reckon_estimate_when(const ReckonEstimate *estimate);
/**
 * reckon_estimate_parent: (nullable): the id of the smallest incident this
 * one lies inside (an aggregate, or a whole day at a place for one site
 * there), or NULL.
 */
RECKON_API const char *reckon_estimate_parent(const ReckonEstimate *estimate);
/** reckon_estimate_metric: the canonical metric, e.g. "killed". */
RECKON_API const char *reckon_estimate_metric(const ReckonEstimate *estimate);
/** reckon_estimate_who: (nullable): the sub-population, NULL for everyone. */
RECKON_API const char *reckon_estimate_who(const ReckonEstimate *estimate);
RECKON_API guint64 reckon_estimate_low(const ReckonEstimate *estimate);
RECKON_API double reckon_estimate_best(const ReckonEstimate *estimate);
/** reckon_estimate_high: the upper end, or %RECKON_UNBOUNDED. */
RECKON_API guint64 reckon_estimate_high(const ReckonEstimate *estimate);
RECKON_API double reckon_estimate_level(const ReckonEstimate *estimate);
RECKON_API ReckonFlags reckon_estimate_flags(const ReckonEstimate *estimate);
/** reckon_estimate_n_sources: distinct sources among the claims, after aliasing. */
RECKON_API guint reckon_estimate_n_sources(const ReckonEstimate *estimate);
/** reckon_estimate_n_origins: independent origins among the claims (echoes count once). */
RECKON_API guint reckon_estimate_n_origins(const ReckonEstimate *estimate);
RECKON_API guint reckon_estimate_n_members(const ReckonEstimate *estimate);
/**
 * reckon_estimate_member: (transfer none): member @i, in output order,
 * owned by the engine until its next run or reckon_engine_free().  An
 * estimate's member records are made the first time one is asked for;
 * that is safe from several threads at once.
 */
RECKON_API const ReckonMember *reckon_estimate_member(const ReckonEstimate *estimate, guint i);

G_END_DECLS

#endif /* RECKON_ESTIMATE_H */
