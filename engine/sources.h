/*
 * sources.h - the source table (rules/sources): which names are one
 * source, what kind of body each is, and the prior reliability of each
 * kind.  The reader asks it for a claim's canonical source key (so
 * "SOHR" and "Syrian Observatory for Human Rights" are one origin);
 * reliability.c asks it for the prior of a source it has not learned yet.
 */
#ifndef RECKON_ENGINE_SOURCES_H
#define RECKON_ENGINE_SOURCES_H

#include <glib.h>

typedef struct _Sources Sources;

typedef struct {
  char *name;         /* as the rule file spells it */
  double reliability; /* prior probability that a claim is honest */
  double weight;      /* how many claims' worth of evidence the prior is */
  double spread;      /* prior spread of its honest figures, in ln (0: taken at its word) */
} SourceKind;

typedef struct {
  char *name;             /* canonical name, as the rule file spells it */
  const SourceKind *kind;
} SourceRule;

Sources *sources_new(void);
void sources_free(Sources *sources);

/* Parses one sources rule file and merges it into @sources: a kind or a
 * source already present is replaced, aliases point at the latest row
 * naming them.  Fails with RECKON_ERROR_RULES "FILE:LINE: reason". */
gboolean sources_load(Sources *sources, const char *filename, const char *text, gsize len,
                      GError **error);

/* The key a source is compared by: its canonical name when @name is a
 * known source or alias, else @name itself, folded with fold_name().
 * Newly allocated. */
char *sources_key(const Sources *sources, const char *name);

/* The rule for a key from sources_key(), or NULL for a source no row names. */
const SourceRule *sources_rule(const Sources *sources, const char *key);

/* A kind by name (folded), or NULL.  "unknown" is the kind of sources no
 * row names, and exists in every loaded table. */
const SourceKind *sources_kind(const Sources *sources, const char *name);

#endif /* RECKON_ENGINE_SOURCES_H */
