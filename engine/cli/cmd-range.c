/*
 * cmd-range.c - `reckon range`: shows how value phrases are read, one JSON
 * object per phrase per line, in order.  A window onto reckon_range_parse()
 * for checking a phrase or a rules change before a full run.
 *
 *   {"text":"over 100","low":101,"high":null,"figure":101,"kind":"more_than"}
 *   {"text":"banana","error":"no number in phrase"}
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static char *count_json(guint64 n)
{
  /* Raw digits: counts up to 10^12 print exactly, never as 1e+12. */
  return g_strdup_printf("%" G_GUINT64_FORMAT, n);
}

/* Prints the line for one phrase; FALSE when it did not parse. */
static gboolean print_phrase(const ReckonRules *rules, const char *text)
{
  cJSON *obj = cJSON_CreateObject();
  /* The echo must be valid JSON even when the input is not valid UTF-8. */
  char *shown = g_utf8_make_valid(text, -1);
  cJSON_AddStringToObject(obj, "text", shown);
  g_free(shown);

  ReckonRange range;
  GError *error = NULL;
  gboolean ok = reckon_range_parse(rules, text, &range, &error);
  if (ok) {
    char *low = count_json(range.low), *figure = count_json(range.figure);
    char *high = range.high == RECKON_UNBOUNDED ? g_strdup("null") : count_json(range.high);
    cJSON_AddRawToObject(obj, "low", low);
    cJSON_AddRawToObject(obj, "high", high);
    cJSON_AddRawToObject(obj, "figure", figure);
    cJSON_AddStringToObject(obj, "kind", reckon_kind_to_string(range.kind));
    g_free(low);
    g_free(high);
    g_free(figure);
  } else {
    cJSON_AddStringToObject(obj, "error", error->message);
    g_error_free(error);
  }
  char *line = cJSON_PrintUnformatted(obj);
  puts(line);
  cJSON_free(line);
  cJSON_Delete(obj);
  return ok;
}

/* Phrases from standard input, one per line ("\r\n" endings too). */
static gboolean read_stdin(const ReckonRules *rules, gboolean *all_ok)
{
  GIOChannel *in = g_io_channel_unix_new(0);
  GError *error = NULL;
  /* Raw bytes: a line that is not UTF-8 is that phrase's error, not the
   * end of the input. */
  g_io_channel_set_encoding(in, NULL, NULL);
  char *line;
  gsize len, term;
  GIOStatus st;
  while ((st = g_io_channel_read_line(in, &line, &len, &term, &error)) == G_IO_STATUS_NORMAL) {
    line[term] = '\0';
    /* A NUL inside a line would silently cut the phrase short: refuse the
     * line as not being text. */
    const char *text = strlen(line) == term ? line : "\xff";
    if (!print_phrase(rules, text))
      *all_ok = FALSE;
    g_free(line);
  }
  g_io_channel_unref(in);
  if (st == G_IO_STATUS_ERROR) {
    cli_error("range: reading standard input: %s", error->message);
    g_error_free(error);
    return FALSE;
  }
  return TRUE;
}

int cmd_range(int argc, char **argv)
{
  char **phrases = NULL;
  CliRulesOptions rules_opts = {0};
  GOptionEntry entries[] = {
    /* Filenames, not strings: phrases reach the parser as the bytes given,
     * whatever the locale, and the parser judges their UTF-8. */
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &phrases, NULL, "PHRASE...|-"},
    G_OPTION_ENTRY_NULL,
  };
  /* The REMAINING entry prints "PHRASE...|-" itself. */
  GOptionContext *context = g_option_context_new("- show how value phrases are read as ranges");
  g_option_context_set_summary(
      context,
      "Prints one JSON object per phrase per line, in order:\n"
      "  {\"text\":\"over 100\",\"low\":101,\"high\":null,\"figure\":101,\"kind\":\"more_than\"}\n"
      "  {\"text\":\"banana\",\"error\":\"no number in phrase\"}\n"
      "high is null when the range is unbounded.  '-' reads phrases from standard input,\n"
      "one per line.  A phrase that starts with '-' goes after '--'.\n"
      "Exit status: 0 ok, 2 usage, 3 bad rules, 4 a phrase did not parse.");
  g_option_context_add_main_entries(context, entries, NULL);
  /* The rule options are this command's only options: show them in --help
   * itself rather than behind --help-rules. */
  g_option_context_add_main_entries(context, cli_rules_entries(&rules_opts), NULL);

  GError *error = NULL;
  int status = EXIT_OK;
  ReckonRules *rules = NULL;
  if (!g_option_context_parse(context, &argc, &argv, &error)) {
    gboolean dash_phrase = g_error_matches(error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION);
    cli_error("%s%s", error->message,
              dash_phrase ? " (a phrase that starts with '-' goes after '--')" : "");
    g_error_free(error);
    status = EXIT_USAGE;
    goto out;
  }
  if (!phrases || !phrases[0]) {
    cli_error("range: no phrases (give PHRASE... or - to read them from standard input)");
    status = EXIT_USAGE;
    goto out;
  }
  if (!(rules = cli_rules_load(&rules_opts, &status)))
    goto out;

  gboolean all_ok = TRUE;
  for (char **ph = phrases; *ph; ph++) {
    if (strcmp(*ph, "-") == 0) {
      if (!read_stdin(rules, &all_ok)) {
        status = EXIT_INPUT;
        goto out;
      }
    } else if (!print_phrase(rules, *ph)) {
      all_ok = FALSE;
    }
  }
  if (fflush(stdout) != 0) {
    cli_error("range: writing output failed");
    status = EXIT_INPUT;
  } else if (!all_ok) {
    status = EXIT_INPUT;
  }

out:
  reckon_rules_free(rules);
  cli_rules_options_clear(&rules_opts);
  g_strfreev(phrases);
  g_option_context_free(context);
  return status;
}
