/*
 * example.c - the smallest program that embeds reckon: load claims, run,
 * print each estimate.  Built by tests/example/run.sh against the
 * installed headers and library, found through pkg-config:
 *
 *   cc example.c $(pkg-config --cflags --libs reckon) -o example
 */
#include <reckon.h>
#include <stdio.h>
#include <string.h>

static const char claims[] =
    "{\"source\": \"Syrian Ministry of Health\", \"metric\": \"killed\", \"value\": \"80\","
    " \"incident\": {\"where\": \"Homs military college\", \"when\": \"2023-10-05\"}}\n"
    "{\"source\": \"Al Jazeera\", \"metric\": \"dead\", \"value\": \"over 100\","
    " \"incident\": {\"where\": \"Homs Military College\", \"when\": \"2023-10-05\"}}\n";

int main(void)
{
  GError *error = NULL;
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  ReckonEngine *engine = reckon_engine_new(&opts, &error);
  if (!engine || !reckon_engine_load_buffer(engine, "example", claims, strlen(claims), &error) ||
      !reckon_engine_run(engine, &error)) {
    fprintf(stderr, "example: %s\n", error->message);
    g_error_free(error);
    reckon_engine_free(engine);
    return 1;
  }
  printf("reckon %s\n", reckon_version());
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    printf("%s %s: %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT " from %u claims\n",
           reckon_estimate_incident(e), reckon_estimate_metric(e), reckon_estimate_low(e),
           reckon_estimate_high(e), reckon_estimate_n_members(e));
  }
  reckon_engine_free(engine);
  return 0;
}
