/*
 * rules.h - what a loaded rule set holds, for the stages that read it.
 *
 * rules.c finds the rule files (embedded defaults, then the profile's
 * overlay, then user directories) and hands each file to the module that
 * understands it: quantifiers.c for "quantifiers", place.c for "places",
 * event.c for "events", sources.c for "sources", bounds.c for "who",
 * rules.c itself for "metrics".  Later files
 * override earlier rows with the same key.
 */
#ifndef RECKON_ENGINE_RULES_H
#define RECKON_ENGINE_RULES_H

#include "bounds.h"
#include "event.h"
#include "place.h"
#include "quantifiers.h"
#include "reckon/rules.h"
#include "sources.h"

struct _ReckonRules {
  char *profile;
  Quantifiers *quantifiers;
  GHashTable *metrics;    /* folded name or synonym -> canonical metric (owned) */
  GHashTable *cumulative; /* canonical metric -> itself, for tolls that only grow */
  Places *places;         /* the gazetteer */
  Events *events;         /* event types */
  Sources *sources;       /* kinds, aliases, priors */
  WhoTable *who;          /* sub-populations and the totals they are part of */
};

/* The default rule set, loaded once per process and never freed. */
const ReckonRules *rules_default(void);

/* TRUE when @metric (canonical) is a cumulative toll. */
gboolean rules_metric_cumulative(const ReckonRules *rules, const char *metric);

/* A rule set with no rules loaded: for loading rule text held in memory
 * (the rules fuzzer), free with reckon_rules_free(). */
ReckonRules *rules_new_empty(void);

/* The name of rule file @i ("metrics", "quantifiers", ...) in load order,
 * NULL past the last. */
const char *rules_file_name(guint i);

/* Loads @text as the rule file @name over what @rules holds, as a file of
 * that name in a --rules directory would be; @filename names it in
 * messages.  FALSE with RECKON_ERROR_RULES "FILE:LINE: reason". */
gboolean rules_load_text(ReckonRules *rules, const char *name, const char *filename,
                         const char *text, gsize len, GError **error);

#endif /* RECKON_ENGINE_RULES_H */
