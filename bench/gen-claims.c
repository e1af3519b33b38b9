/*
 * gen-claims.c - writes realistic synthetic claims (JSON Lines) for the
 * performance harness: many sources, places written in several spellings,
 * relays, every phrase kind, and a skewed number of claims per incident
 * (most incidents have one to four claims, a few have dozens).
 *
 *   gen-claims N [SEED [DAYS]] > claims.jsonl
 *
 * Incidents fall on DAYS days from 2022-01-01 (default 1095, three
 * years); more days at the same N means fewer claims a day, which is what
 * a streaming run holds at once.  The same N, SEED and DAYS always give
 * the same file.
 */
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const syllables[] = {
  "kafr", "tal", "ain", "deir", "jisr", "maarat", "sar", "min", "hass", "ari",
  "nab", "bin", "nish", "ham", "dan", "tar", "mas", "raq", "qus", "bal",
  "zab", "dar", "at", "ib", "lat", "shugh", "our", "han", "bil", "sir",
};

static const char *const metrics[] = {"killed", "killed", "killed", "dead", "deaths",
                                      "injured", "wounded", "injured", "displaced"};
static const char *const whos[] = {"civilians", "children", "women", "soldiers"};
static const char *const whats[] = {"air strike", "airstrike", "shelling", "drone attack",
                                    "missile strike", "rocket attack", "clashes"};
static const char *const words[] = {"zero", "one", "two", "three", "four", "five", "six",
                                    "seven", "eight", "nine", "ten", "eleven", "twelve"};

/* A place name of two or three syllables; variant 0 is the plain form. */
static void place_name(GString *out, guint32 place, int variant)
{
  guint32 a = place % G_N_ELEMENTS(syllables), b = (place / 30) % G_N_ELEMENTS(syllables);
  guint32 c = (place / 900) % G_N_ELEMENTS(syllables);
  const char *parts[3] = {syllables[a], syllables[b], syllables[c]};
  int n = place < 900 ? 2 : 3;
  for (int i = 0; i < n; i++) {
    const char *s = parts[i];
    if (i)
      g_string_append_c(out, variant == 1 ? '-' : ' ');
    /* Variant 2 capitalises; variant 3 writes "al-" before the last part. */
    if (variant == 3 && i == n - 1)
      g_string_append(out, "al-");
    g_string_append_c(out, (variant == 2 || i == 0) ? g_ascii_toupper(s[0]) : s[0]);
    g_string_append(out, s + 1);
  }
  g_string_append_printf(out, " %u", place / 27000); /* keeps names unique at any size */
}

static void value_phrase(GString *out, GRand *r, guint32 toll)
{
  guint32 t = MAX(toll, 1);
  switch (g_rand_int_range(r, 0, 12)) {
  case 0:
  case 1:
    g_string_append_printf(out, "\"%u\"", toll);
    break;
  case 2:
    g_string_append_printf(out, "\"at least %u\"", t - g_rand_int_range(r, 0, (gint32)t / 3 + 1));
    break;
  case 3:
    g_string_append_printf(out, "\"more than %u\"", t - 1 - g_rand_int_range(r, 0, (gint32)t / 3 + 1) / 2);
    break;
  case 4:
    g_string_append_printf(out, "\"up to %u\"", t + g_rand_int_range(r, 0, (gint32)t / 2 + 1));
    break;
  case 5:
    g_string_append_printf(out, "\"about %u\"", (t + 5) / 10 * 10 + (t < 10 ? t : 0));
    break;
  case 6:
    g_string_append_printf(out, "\"%u-%u\"", t - t / 5, t + t / 5 + 1);
    break;
  case 7:
    if (t < G_N_ELEMENTS(words))
      g_string_append_printf(out, "\"%s\"", words[t]);
    else
      g_string_append_printf(out, "\"nearly %u\"", t + t / 20 + 1);
    break;
  case 8:
    g_string_append(out, t < 24 ? "\"several\"" : t < 100 ? "\"dozens\"" : "\"hundreds\"");
    break;
  case 9:
    g_string_append_printf(out, "{\"low\": %u, \"high\": null}", t / 2 + 1);
    break;
  case 10:
    g_string_append_printf(out, "%u", toll);
    break;
  default:
    g_string_append_printf(out, "\"over %u\"", t > 10 ? t / 10 * 10 - 1 : t - 1);
    break;
  }
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: gen-claims N [SEED [DAYS]]\n");
    return 2;
  }
  guint64 n = g_ascii_strtoull(argv[1], NULL, 10);
  guint32 seed = argc > 2 ? (guint32)atoi(argv[2]) : 1;
  gint32 days = argc > 3 ? atoi(argv[3]) : 3 * 365;
  if (days < 1) {
    fprintf(stderr, "gen-claims: DAYS must be at least 1\n");
    return 2;
  }
  GRand *r = g_rand_new_with_seed(seed);
  guint32 n_sources = 5000, n_places = 20000;
  GString *line = g_string_sized_new(512);
  guint64 written = 0, incident = 0;
  GDate base;
  g_date_clear(&base, 1);
  g_date_set_dmy(&base, 1, G_DATE_JANUARY, 2022);

  while (written < n) {
    /* Claims per incident: 1 + geometric with mean 3, capped at 60. */
    guint32 k = 1;
    while (k < 60 && g_rand_double(r) < 0.75)
      k++;
    guint32 place = g_rand_int_range(r, 0, (gint32)n_places);
    GDate day = base;
    g_date_add_days(&day, g_rand_int_range(r, 0, days));
    guint32 toll = (guint32)exp(g_rand_double_range(r, 0, 7)); /* 1 .. ~1100, log-uniform */
    const char *what = whats[g_rand_int_range(r, 0, G_N_ELEMENTS(whats))];
    int variants = g_rand_int_range(r, 1, 5);
    for (guint32 j = 0; j < k && written < n; j++, written++) {
      g_string_truncate(line, 0);
      /* Skewed sources: a few big outlets report most claims. */
      guint32 src = (guint32)(n_sources * pow(g_rand_double(r), 3));
      GDate published = day;
      g_date_add_days(&published, g_rand_int_range(r, 0, 4));
      g_string_append_printf(line, "{\"id\": \"c%" G_GUINT64_FORMAT "\", \"source\": \"Source %u\"",
                             written, src);
      if (g_rand_double(r) < 0.3)
        g_string_append_printf(line, ", \"via\": [\"Outlet %u\"]", g_rand_int_range(r, 0, 300));
      g_string_append_printf(line, ", \"published\": \"%04u-%02u-%02u\"", g_date_get_year(&published),
                             g_date_get_month(&published), g_date_get_day(&published));
      g_string_append_printf(line, ", \"incident\": {\"what\": \"%s\", \"where\": \"", what);
      place_name(line, place, g_rand_int_range(r, 0, variants));
      g_string_append_printf(line, "\", \"when\": \"%04u-%02u-%02u\"}", g_date_get_year(&day),
                             g_date_get_month(&day), g_date_get_day(&day));
      g_string_append_printf(line, ", \"metric\": \"%s\"", metrics[g_rand_int_range(r, 0, G_N_ELEMENTS(metrics))]);
      if (g_rand_double(r) < 0.15)
        g_string_append_printf(line, ", \"who\": \"%s\"", whos[g_rand_int_range(r, 0, G_N_ELEMENTS(whos))]);
      /* Early reports run low: a toll grows as counting goes on. */
      guint32 seen = (guint32)(toll * g_rand_double_range(r, 0.6, 1.15));
      g_string_append(line, ", \"value\": ");
      value_phrase(line, r, seen);
      g_string_append_printf(line, ", \"quote\": \"report %" G_GUINT64_FORMAT " of incident %" G_GUINT64_FORMAT "\"}\n",
                             written, incident);
      fwrite(line->str, 1, line->len, stdout);
    }
    incident++;
  }
  g_string_free(line, TRUE);
  g_rand_free(r);
  return fflush(stdout) == 0 ? 0 : 1;
}
