/*
 * fuzz-range.c - libFuzzer target for the phrase parser,
 * reckon_range_parse(), with the default rules and the acled profile.
 * The input up to its first NUL byte is the phrase.  Besides crashes and
 * sanitizer reports it stops on a broken contract: a range with low above
 * high, a figure outside it, a count above RECKON_COUNT_MAX, or a failure
 * without a RECKON_ERROR_PHRASE reason.
 */
#include <reckon.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse(const ReckonRules *rules, const char *text)
{
  ReckonRange r;
  GError *error = NULL;
  if (reckon_range_parse(rules, text, &r, &error)) {
    if (r.low > r.high || r.figure < r.low || r.figure > r.high || r.low > RECKON_COUNT_MAX ||
        (r.high != RECKON_UNBOUNDED && r.high > RECKON_COUNT_MAX) || !reckon_kind_to_string(r.kind))
      abort();
  } else if (!g_error_matches(error, RECKON_ERROR, RECKON_ERROR_PHRASE) || !error->message[0]) {
    abort();
  }
  g_clear_error(&error);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static ReckonRules *acled;
  if (!acled && !(acled = reckon_rules_new("acled", NULL, NULL)))
    abort();
  char *text = g_strndup((const char *)data, size);
  parse(NULL, text);
  parse(acled, text);
  g_free(text);
  return 0;
}
