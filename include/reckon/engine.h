/*
 * reckon/engine.h - the engine: load claims, run, read or write estimates.
 *
 *   ReckonOptions opts = RECKON_OPTIONS_INIT;
 *   ReckonEngine *engine = reckon_engine_new(&opts, &error);
 *   reckon_engine_load_file(engine, "claims.jsonl", &error);
 *   reckon_engine_run(engine, &error);
 *   reckon_engine_write(engine, RECKON_FORMAT_JSONL, stdout, &error);
 *   reckon_engine_free(engine);
 *
 * A claim that cannot be read does not fail the load: it is kept as a
 * reject (file, line, reason) and the other claims go on, unless
 * ReckonOptions.strict is set.  Every claim read ends up either in exactly
 * one estimate's members or among the rejects.
 */
#ifndef RECKON_ENGINE_H
#define RECKON_ENGINE_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "reckon/common.h"
#include "reckon/estimate.h"
#include "reckon/rules.h"

G_BEGIN_DECLS

typedef struct _ReckonEngine ReckonEngine;

/** ReckonMethod: how the claims of an estimate are combined (README "Estimators"). */
typedef enum {
  RECKON_METHOD_INTERVAL, /* tightest range all claims allow, else their hull */
  RECKON_METHOD_MEDIAN,   /* median of the claims' figures */
  RECKON_METHOD_BAYES,    /* robust probabilistic fusion with learned reliability (default) */
  RECKON_METHOD_ACLED,    /* the most conservative figure, as ACLED codes */
} ReckonMethod;

typedef enum {
  RECKON_FORMAT_TABLE,
  RECKON_FORMAT_JSONL,
  RECKON_FORMAT_JSON,
  RECKON_FORMAT_CSV,
} ReckonFormat;

#define RECKON_OPTIONS_VERSION 4

/**
 * RECKON_MAX_CLAIM_BYTES_DEFAULT: the longest claim text read by default,
 * in bytes (1 MiB): a line of JSON Lines, an element of a JSON array or a
 * CSV record.  Real claims are well under a kilobyte; the bound keeps a
 * stray binary file or a runaway line from being parsed at all.
 */
#define RECKON_MAX_CLAIM_BYTES_DEFAULT 1048576

/**
 * RECKON_MAX_DEPTH_DEFAULT: the deepest nesting of JSON objects and arrays
 * in one claim by default; the claim object itself is depth 1, its
 * incident.where array depth 3, and the rest is room for fields passed
 * through.  RECKON_MAX_DEPTH_LIMIT is the most an engine accepts: cJSON's
 * own nesting limit, past which it cannot parse at all.
 */
#define RECKON_MAX_DEPTH_DEFAULT 32
#define RECKON_MAX_DEPTH_LIMIT CJSON_NESTING_LIMIT

/**
 * RECKON_MAX_INCIDENT_CLAIMS_DEFAULT: the most claims one incident may
 * gather by default.  Estimation time grows with an incident's claims; no
 * real incident comes near the bound.
 */
#define RECKON_MAX_INCIDENT_CLAIMS_DEFAULT 10000

/**
 * ReckonOptions:
 * @version: RECKON_OPTIONS_VERSION; lets later versions add fields.
 * @method: the estimator.
 * @level: the stated level of low/high, in (0, 1); default 0.9.
 * @strict: stop loading at the first claim that cannot be read.
 * @rules: (nullable): rules to use, NULL for the embedded defaults; not
 *   copied: must outlive the engine.
 * @date_tolerance: days by which a date known only to its month or year
 *   ("2024-12") may miss an incident's day and still join it; default 0.
 *   Two exact days never join, whatever the tolerance.
 * @max_claim_bytes: a claim text longer than this many bytes is rejected
 *   unread; at least 1.
 * @max_depth: a claim nested deeper than this is rejected; 1 to
 *   %RECKON_MAX_DEPTH_LIMIT.
 * @max_incident_claims: when an incident gathers more claims than this,
 *   all of them are rejected by reckon_engine_run(); at least 1.
 * @threads: how many threads reckon_engine_load_file() parses JSON Lines
 *   with, reckon_engine_run() reads places and estimates with, and
 *   reckon_engine_write() formats JSON Lines with; 0 (the default) for one
 *   per processor, at most 64.  The claims, rejects and output are the
 *   same for any number.
 * @keep_explain: keep, after reckon_engine_run(), how grouping read each
 *   claim, which reckon_engine_explain() tells; default TRUE.  FALSE
 *   frees it before estimating (39 MB of the 473 MB a batch run of a
 *   million claims peaked at), and reckon_engine_explain() then fails.
 *   The estimates are the same either way.
 */
typedef struct {
  unsigned int version;
  ReckonMethod method;
  double level;
  gboolean strict;
  const ReckonRules *rules;
  unsigned int date_tolerance;
  gsize max_claim_bytes;
  unsigned int max_depth;
  unsigned int max_incident_claims;
  unsigned int threads;
  gboolean keep_explain;
} ReckonOptions;

#define RECKON_OPTIONS_INIT                                                              \
  {RECKON_OPTIONS_VERSION, RECKON_METHOD_BAYES, 0.9, FALSE, NULL, 0,                     \
   RECKON_MAX_CLAIM_BYTES_DEFAULT, RECKON_MAX_DEPTH_DEFAULT,                              \
   RECKON_MAX_INCIDENT_CLAIMS_DEFAULT, 0, TRUE}

/** reckon_options_init: sets @opts to RECKON_OPTIONS_INIT. */
RECKON_API void reckon_options_init(ReckonOptions *opts);

RECKON_API const char *reckon_method_to_string(ReckonMethod method);
RECKON_API gboolean reckon_method_from_string(const char *name, ReckonMethod *method);
RECKON_API const char *reckon_format_to_string(ReckonFormat format);
RECKON_API gboolean reckon_format_from_string(const char *name, ReckonFormat *format);

/**
 * reckon_engine_new:
 * @opts: (nullable): options, copied; NULL for the defaults.
 *
 * Returns: (transfer full): a new engine (free with reckon_engine_free()),
 * or NULL with RECKON_ERROR_USAGE when an option is out of range.
 */
RECKON_API ReckonEngine *reckon_engine_new(const ReckonOptions *opts, GError **error);

/** reckon_engine_free: frees @engine and everything it returned; NULL is a no-op. */
RECKON_API void reckon_engine_free(ReckonEngine *engine);

/** ReckonStage: what an engine is doing when it reports progress. */
typedef enum {
  RECKON_STAGE_READ,     /* loading claims */
  RECKON_STAGE_GROUP,    /* claims grouped into incidents */
  RECKON_STAGE_ESTIMATE, /* a round of estimates done */
} ReckonStage;

/**
 * ReckonProgressFunc:
 * @stage: what the engine is doing.
 * @claims: claims read so far, rejects included.
 * @incidents: incidents found by the last grouping; 0 while reading.
 * @data: the pointer given to reckon_engine_set_progress().
 *
 * Called while reading every few thousand claims and at the end of each
 * file, once after grouping and after each round of estimates, from the
 * thread that called the engine.  It may print; the library itself never does.
 */
typedef void (*ReckonProgressFunc)(ReckonStage stage, guint64 claims, guint64 incidents, gpointer data);

/**
 * reckon_engine_set_progress:
 * @func: (nullable): called as the engine works; NULL for none.
 *
 * Long runs (millions of claims) take minutes; a caller can show how far
 * they are.
 */
RECKON_API void reckon_engine_set_progress(ReckonEngine *engine, ReckonProgressFunc func, gpointer data);

/**
 * reckon_engine_load_file:
 * @path: a JSON Lines file, a file holding one JSON array of claims, or
 *   CSV (a name ending in ".csv", or a header naming a "source" column);
 *   "-" reads standard input.  JSON Lines (from a file, standard input or
 *   a pipe) is read a block of lines at a time, the blocks parsed on
 *   ReckonOptions.threads threads; CSV and a JSON array are read whole.
 *
 * Each claim is held to the limits of ReckonOptions before it is parsed.
 *
 * Returns: FALSE with @error set when the file cannot be read
 * (RECKON_ERROR_IO), or, with strict set, at the first bad claim
 * (RECKON_ERROR_INPUT, or RECKON_ERROR_LIMIT for a limit; the message is
 * "FILE:LINE: reason").  Bad claims otherwise become rejects and the load
 * returns TRUE.
 */
RECKON_API gboolean reckon_engine_load_file(ReckonEngine *engine, const char *path,
                                            GError **error);

/**
 * reckon_engine_load_buffer:
 * @name: the name used in claim ids and messages, like a file name.
 * @data: (array length=len): JSON Lines, a JSON array or CSV (by @name's
 *   ".csv" or a header); need not be NUL-terminated; not kept.
 *
 * As reckon_engine_load_file(), from memory.
 */
RECKON_API gboolean reckon_engine_load_buffer(ReckonEngine *engine, const char *name,
                                              const char *data, gsize len, GError **error);

/**
 * reckon_engine_load_json:
 * @name: the name used in claim ids and messages.
 * @json: one claim object, or an array of them; not kept.
 *
 * As reckon_engine_load_buffer() for parsed JSON; line numbers count the
 * claims from 1.  The nesting limit is checked without recursion, so a
 * tree of any depth is safe to pass.
 */
RECKON_API gboolean reckon_engine_load_json(ReckonEngine *engine, const char *name,
                                            const cJSON *json, GError **error);

/**
 * reckon_engine_run:
 *
 * Groups the loaded claims and estimates every incident, metric and
 * sub-population.  With the bayes method it also learns every source's
 * reliability and bias across the run (see reckon/sources.h).  Every claim
 * of an incident with more claims than max_incident_claims becomes a
 * reject.  Can be called again after loading more claims; earlier
 * estimates and sources are then invalid.
 *
 * Returns: TRUE; FALSE only with strict set, at the first claim of a
 * crowded incident (RECKON_ERROR_LIMIT, "FILE:LINE: reason"), with no
 * estimates.
 */
RECKON_API gboolean reckon_engine_run(ReckonEngine *engine, GError **error);

/** reckon_engine_n_claims: claims read successfully so far. */
RECKON_API guint reckon_engine_n_claims(const ReckonEngine *engine);
RECKON_API guint reckon_engine_n_estimates(const ReckonEngine *engine);
/** reckon_engine_estimate: (transfer none): estimate @i, in output order. */
RECKON_API const ReckonEstimate *reckon_engine_estimate(const ReckonEngine *engine, guint i);

/**
 * ReckonReject:
 * @file: where the claim was read.
 * @line: its 1-based line.
 * @id: (nullable): its id, when it could be read.
 * @reason: why it was rejected.
 * @text: (nullable): the claim's text, when read from a file or buffer:
 *   at most 64 KiB of it, cut at a character boundary, valid UTF-8 (bytes
 *   that are not, and NUL, replaced by U+FFFD).
 *
 * Every claim read is either in exactly one estimate's members or a
 * reject.
 */
typedef struct {
  const char *file;
  guint line;
  const char *id;
  const char *reason;
  const char *text;
} ReckonReject;

RECKON_API guint reckon_engine_n_rejects(const ReckonEngine *engine);
/** reckon_engine_reject: (transfer none): reject @i, in the order read. */
RECKON_API const ReckonReject *reckon_engine_reject(const ReckonEngine *engine, guint i);

/**
 * reckon_engine_write:
 * @out: where to write; not closed.
 *
 * Writes the estimates of the last run in @format (README "Output").
 * Returns: FALSE with RECKON_ERROR_IO when writing fails.
 */
RECKON_API gboolean reckon_engine_write(const ReckonEngine *engine, ReckonFormat format, FILE *out,
                                        GError **error);

/**
 * reckon_engine_explain:
 * @incident: an incident id, as in the output of the last run.
 *
 * Explains, in plain words, why the incident's claims were grouped and
 * which near-misses were kept apart, and for each of its estimates how the
 * range, best value and flags came about from the claims.
 *
 * Returns: (transfer full): the explanation (free with g_free()), or NULL
 * with RECKON_ERROR_USAGE when the last run has no such incident, or ran
 * without ReckonOptions.keep_explain.
 */
RECKON_API char *reckon_engine_explain(const ReckonEngine *engine, const char *incident,
                                       GError **error);

/**
 * reckon_estimate_to_json:
 *
 * Returns: (transfer full): the estimate as the JSON object one line of
 * `--format jsonl` holds; free with cJSON_Delete().
 */
RECKON_API cJSON *reckon_estimate_to_json(const ReckonEstimate *estimate);

G_END_DECLS

#endif /* RECKON_ENGINE_H */
