/*
 * main.c - `reckon`: dispatches to a subcommand.  Every subcommand is a
 * thin shell over the public API; see cli.h for the exit codes.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
  {"run", cmd_run, "reconcile claims into estimates with flags"},
  {"check", cmd_check, "run fixture sets and compare with their expected output"},
  {"explain", cmd_explain, "explain how one incident was grouped and estimated"},
  {"sources", cmd_sources, "learn how reliable each source is, and its bias"},
  {"range", cmd_range, "show how value phrases are read as ranges"},
};

static void usage(FILE *out)
{
  fprintf(out, "Usage: reckon COMMAND [OPTION...] [ARG...]\n\n"
               "Reconciles numeric claims that different sources make about the same incident.\n\n"
               "Commands:\n");
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\nOptions:\n"
               "  -h, --help     show this help; 'reckon COMMAND --help' for a command\n"
               "  --version      print the version\n\n"
               "Exit status: 0 ok, 1 findings (fixture regressions), 2 usage,\n"
               "3 bad rules, 4 bad input (claims or phrases rejected).\n");
}

int main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    usage(stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return EXIT_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("reckon %s\n", reckon_version());
    return EXIT_OK;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(cmd, commands[i].name) == 0) {
      /* GOption names the program in usage lines: "reckon run [OPTION…]". */
      char *prgname = g_strconcat("reckon ", cmd, NULL);
      g_set_prgname(prgname);
      g_free(prgname);
      return commands[i].run(argc - 1, argv + 1);
    }
  cli_error("unknown command '%s' (try 'reckon --help')", cmd);
  return EXIT_USAGE;
}
