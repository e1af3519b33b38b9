/*
 * reckon/sources.h - the sources of a run: what kind of body each is, how
 * reliable it proved across the run's incidents and how it runs relative
 * to the consensus (its bias).
 *
 * The bayes method learns these by an EM loop across all the incidents of
 * a run, starting from a prior by kind (rules/sources) so that a source
 * seen once is not judged on one claim.  A table saved from one run can be
 * given to a later run as its priors.
 */
#ifndef RECKON_SOURCES_H
#define RECKON_SOURCES_H

#include <stdio.h>

#include "reckon/common.h"
#include "reckon/engine.h"

G_BEGIN_DECLS

/**
 * ReckonSource:
 * @name: the canonical name (rules/sources), else the first spelling in
 *   sort order.
 * @kind: its kind ("government", "monitor", ..., "unknown").
 * @claims: claims from it in the run.
 * @judged: those that could be checked against another origin; only they
 *   move the reliability away from the prior.
 * @reliability: the probability that a claim from it is honest, learned.
 * @bias: the typical ratio of its figures to the consensus (0.7 = it
 *   reports 70% of what the others establish); 1 when unknown.
 * @prior: the reliability it started from (its kind's, or a loaded table's).
 * @spread: how far (in ln) its honest figures of tolls stray from the
 *   consensus: 0 when it is taken at its word, 0.1 for about 10%; learned
 *   from its kind's prior spread.
 *
 * One source.  Fields may be added at the end in later versions.
 */
typedef struct {
  const char *name;
  const char *kind;
  guint claims;
  guint judged;
  double reliability;
  double bias;
  double prior;
  double spread;
} ReckonSource;

/** reckon_engine_n_sources: distinct sources (after aliasing) of the last run. */
RECKON_API guint reckon_engine_n_sources(const ReckonEngine *engine);

/**
 * reckon_engine_source:
 *
 * Returns: (transfer none): source @i of the last run, ordered by name;
 * valid until the engine is run again or freed.
 */
RECKON_API const ReckonSource *reckon_engine_source(const ReckonEngine *engine, guint i);

/**
 * reckon_engine_write_sources:
 * @format: RECKON_FORMAT_TABLE writes the '|'-separated table that
 *   reckon_engine_load_sources() reads back; JSONL, JSON and CSV write the
 *   same fields for other tools.
 *
 * Returns: FALSE with RECKON_ERROR_IO when writing fails.
 */
RECKON_API gboolean reckon_engine_write_sources(const ReckonEngine *engine, ReckonFormat format,
                                                FILE *out, GError **error);

/**
 * reckon_engine_load_sources:
 * @path: a table written by reckon_engine_write_sources() in the table
 *   format.
 *
 * Gives the reliabilities and biases learned by an earlier run to the next
 * runs of @engine as their priors, each as strong as the claims it was
 * judged on.  Sources are matched after aliasing.
 *
 * Returns: FALSE with RECKON_ERROR_IO when the file cannot be read, or
 * RECKON_ERROR_INPUT "FILE:LINE: reason" when a row is malformed (nothing
 * is loaded then).
 */
RECKON_API gboolean reckon_engine_load_sources(ReckonEngine *engine, const char *path,
                                               GError **error);

G_END_DECLS

#endif /* RECKON_SOURCES_H */
