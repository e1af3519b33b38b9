/*
 * claim.h - a claim as the engine holds it after reading: every field of
 * claims format v1 checked and normalised.  Strings live in the engine's
 * string chunk, so a claim is a flat record with no allocations of its own
 * but the unknown fields it passes through.  Its via array is shared by the
 * claims with the same list and owned by the reader's memo (memo.c; a
 * string chunk does not align what it holds, so an array of pointers
 * cannot live there).
 *
 * A batch run holds a record per claim, so a record keeps only what a
 * stage after reading reads.  "quote", "doc" and "published" are checked
 * but not kept (published lives on as the default of as_of and in dated),
 * nor is the folded key of "where" (grouping reads places from the text);
 * sources, values, metric and who are shared (ClaimSource, ClaimValue,
 * ClaimMeasure), and so are the explicit incident key and via list,
 * which most claims lack (ClaimRare).
 * The dates, dated and line sit together, as the estimators read them
 * together.
 */
#ifndef RECKON_CLAIM_H
#define RECKON_CLAIM_H

#include <cjson/cJSON.h>
#include <glib.h>

#include "date.h"
#include "reckon/range.h"

/* A claim's value: the range it reads as, and its text as written (the
 * phrase, or the JSON text of a number or of {"low", "high"}).  The
 * reader's memo holds one per distinct value and every claim that gives
 * it points there: claims repeat a few thousand values, and a copy of
 * its own (40 bytes) was a quarter of a claim's record. */
typedef struct {
  ReckonRange range;
  const char *text;
} ClaimValue;

/* A claim's source: the memo holds one per spelling (a few thousand),
 * shared by every claim that names it. */
typedef struct {
  const char *text;      /* as written */
  const char *key;       /* canonical source (rules/sources aliases), folded */
  const char *name;      /* canonical source as the rules spell it, else as written */
} ClaimSource;

/* What most claims lack: an explicit incident key, the outlets that
 * relayed it, fields reckon does not know; every claim holds one pointer
 * for the three instead of three.  A claim with none points at none;
 * claims with the same key and via list and no unknown fields share the
 * reader's record of them (ReckonEngine.shared_rares); a claim with
 * unknown fields owns its record. */
typedef struct {
  const char *key;       /* explicit incident key, may be NULL */
  const char **via;      /* NULL-terminated, the memo's, may be NULL */
  cJSON *extra;          /* unknown fields, passed through; NULL in a shared record */
} ClaimRare;

/* What a claim counts: its metric and sub-population.  Claims repeat a
 * few dozen pairs; the reader keeps one record per pair
 * (ReckonEngine.measures) and every claim that counts it points there,
 * so that equal pairs have equal addresses. */
typedef struct {
  const char *metric;    /* canonical */
  const char *who;       /* folded sub-population, NULL for everyone */
} ClaimMeasure;

typedef struct {
  const char *id;        /* "id", else "FILE:LINE" */
  const ClaimSource *source; /* the memo's */
  const char *where;     /* as written; several places joined with " + " */
  const char *what;      /* event type as written, may be NULL */
  const ClaimRare *rare; /* its key, via and unknown fields, NULL without any (claim_key()) */
  const ClaimMeasure *measure; /* its metric and who, the reader's */
  const ClaimValue *value; /* the memo's */
  const char *file;
  DateSpan as_of;        /* defaults to published, else the end of when */
  DateSpan when;
  gboolean dated;        /* as_of or published was given: when the count was made is known */
  guint line;
} Claim;

/* @claim's explicit incident key, or NULL. */
static inline const char *claim_key(const Claim *claim)
{
  return claim->rare ? claim->rare->key : NULL;
}

/* The outlets that relayed @claim, NULL-terminated (aligned as the
 * memo's string chunk leaves it), or NULL. */
static inline const char **claim_via(const Claim *claim)
{
  return claim->rare ? claim->rare->via : NULL;
}

/* @claim's unknown fields, or NULL. */
static inline const cJSON *claim_extra(const Claim *claim)
{
  return claim->rare ? claim->rare->extra : NULL;
}

/* Frees what @claim owns (a record of its own, with its unknown fields);
 * the claim itself is not freed. */
static inline void claim_clear(Claim *claim)
{
  if (claim->rare && claim->rare->extra) {
    cJSON_Delete(claim->rare->extra);
    g_free((ClaimRare *)claim->rare);
  }
  claim->rare = NULL;
}

#endif /* RECKON_CLAIM_H */
