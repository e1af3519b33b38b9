/*
 * common.c - what the subcommands share: error printing and the rule
 * options (--profile, --rules).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *format, ...)
{
  va_list args;
  va_start(args, format);
  fputs("reckon: ", stderr);
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
}

const GOptionEntry *cli_rules_entries(CliRulesOptions *opts)
{
  /* Per-call storage would outlive nothing useful: each process runs one
   * subcommand, so one static table bound to the caller's struct is enough. */
  static GOptionEntry entries[3];
  GOptionEntry e[] = {
    {"profile", 0, 0, G_OPTION_ARG_STRING, &opts->profile,
     "Rule profile: default or acled (ACLED's conservative coding)", "NAME"},
    {"rules", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opts->dirs,
     "Directory of rule files that override the defaults (repeatable)", "DIR"},
    G_OPTION_ENTRY_NULL,
  };
  memcpy(entries, e, sizeof e);
  return entries;
}

ReckonRules *cli_rules_load(const CliRulesOptions *opts, int *exit_code)
{
  GError *error = NULL;
  ReckonRules *rules =
      reckon_rules_new(opts->profile, (const char *const *)opts->dirs, &error);
  if (!rules) {
    cli_error("%s", error->message);
    g_error_free(error);
    *exit_code = EXIT_RULES;
  }
  return rules;
}

void cli_rules_options_clear(CliRulesOptions *opts)
{
  g_clear_pointer(&opts->profile, g_free);
  g_clear_pointer(&opts->dirs, g_strfreev);
}
