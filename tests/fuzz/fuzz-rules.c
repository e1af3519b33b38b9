/*
 * fuzz-rules.c - libFuzzer target for the rule file parsers: the input is
 * loaded as each rule file reckon knows (metrics, quantifiers, ...) into
 * an empty rule set, then once more over itself, as a user's --rules
 * directory overlays the defaults; a set that loads then reads a few
 * phrases and metrics.  Besides crashes and sanitizer reports it stops
 * when a failure is not RECKON_ERROR_RULES "FILE:LINE: reason".
 */
#include <stdint.h>
#include <stdlib.h>

#include "reckon/error.h"
#include "reckon/range.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const phrases[] = {"dozens", "several hundred", "a few", "at least many",
                                      "tens of thousands", "80", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  const char *name;
  for (guint i = 0; (name = rules_file_name(i)); i++) {
    ReckonRules *rules = rules_new_empty();
    GError *error = NULL;
    gboolean ok = rules_load_text(rules, name, "fuzz", text, size, &error) &&
                  rules_load_text(rules, name, "fuzz", text, size, &error);
    if (!ok && (!g_error_matches(error, RECKON_ERROR, RECKON_ERROR_RULES) ||
                !g_str_has_prefix(error->message, "fuzz:")))
      abort();
    g_clear_error(&error);
    if (ok) {
      for (const char *const *p = phrases; *p; p++) {
        ReckonRange r;
        if (!reckon_range_parse(rules, *p, &r, &error))
          g_clear_error(&error);
      }
      reckon_rules_metric(rules, "killed");
    }
    reckon_rules_free(rules);
  }
  return 0;
}
