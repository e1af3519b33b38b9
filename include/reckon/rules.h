/*
 * reckon/rules.h - the rule set: quantifier words, metric synonyms, places
 * (the gazetteer) and event types.
 *
 * Rules are data.  The defaults are embedded in the library; a profile
 * (for example "acled") overlays some of them, and user rule directories
 * overlay both.  A rule file that cannot be read fails the whole load with
 * RECKON_ERROR_RULES and a "FILE:LINE: reason" message.
 */
#ifndef RECKON_RULES_H
#define RECKON_RULES_H

#include "reckon/common.h"

G_BEGIN_DECLS

typedef struct _ReckonRules ReckonRules;

/**
 * reckon_rules_new:
 * @profile: (nullable): profile name, NULL or "default" for the defaults.
 * @dirs: (nullable) (array zero-terminated=1): user rule directories, each
 *   may hold files named like the defaults (quantifiers, metrics, ...);
 *   later directories override earlier ones.
 * @error: return location for a #GError.
 *
 * Returns: (transfer full): a new rule set, free with reckon_rules_free(),
 * or NULL with @error set (RECKON_ERROR_RULES).
 */
RECKON_API ReckonRules *reckon_rules_new(const char *profile, const char *const *dirs,
                                         GError **error);

/** reckon_rules_free: frees @rules; NULL is a no-op. */
RECKON_API void reckon_rules_free(ReckonRules *rules);

/**
 * reckon_rules_metric:
 * @rules: a rule set.
 * @name: a metric as written in a claim ("dead", "Wounded", ...).
 *
 * Returns: (transfer none) (nullable): the canonical metric ("killed",
 * "injured", ...), owned by @rules, or NULL when @name is not known.
 */
RECKON_API const char *reckon_rules_metric(const ReckonRules *rules, const char *name);

/**
 * reckon_rules_profiles:
 *
 * Returns: (transfer full) (array zero-terminated=1): the names of the
 * embedded profiles, "default" first; free with g_strfreev().
 */
RECKON_API char **reckon_rules_profiles(void);

G_END_DECLS

#endif /* RECKON_RULES_H */
