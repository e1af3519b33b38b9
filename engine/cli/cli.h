/*
 * cli.h - the command-line tool's subcommands.  The CLI is a thin shell over
 * the public API (reckon.h): it parses options, calls the library, prints.
 *
 * Exit codes (documented in README.md):
 *   0 ok, 1 findings (a fixture regression), 2 usage, 3 bad rules,
 *   4 bad input (claims rejected, phrases that did not parse).
 */
#ifndef RECKON_CLI_H
#define RECKON_CLI_H

#include <reckon.h>

enum {
  EXIT_OK = 0,
  EXIT_FINDINGS = 1,
  EXIT_USAGE = 2,
  EXIT_RULES = 3,
  EXIT_INPUT = 4,
};

/* Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns an exit code. */
int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_range(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_sources(int argc, char **argv);

/* Prints "reckon: MESSAGE" to stderr. */
void cli_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* Options every rule-using subcommand shares: --profile NAME, --rules DIR
 * (repeatable).  cli_rules_entries() returns GOptionEntry rows bound to
 * @opts; cli_rules_load() builds the rule set or prints the error and sets
 * *exit_code to EXIT_RULES (also for an unknown profile). */
typedef struct {
  char *profile;
  char **dirs;
} CliRulesOptions;

const GOptionEntry *cli_rules_entries(CliRulesOptions *opts);
ReckonRules *cli_rules_load(const CliRulesOptions *opts, int *exit_code);
void cli_rules_options_clear(CliRulesOptions *opts);

#endif /* RECKON_CLI_H */
