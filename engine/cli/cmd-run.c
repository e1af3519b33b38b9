/*
 * cmd-run.c - `reckon run`: the batch job.  Loads claim files, runs the
 * engine, prints the estimates, reports every rejected claim as
 * "reckon: FILE:LINE: reason" and a one-line summary on stderr that
 * accounts for every claim read: in an estimate, or rejected.
 * `reckon sources` is the same run printing the learned source table, and
 * `reckon explain` the same run explaining one incident.  On a terminal,
 * a run that takes longer than a second shows a progress line on stderr.
 * `reckon run --stream` prints each window of dates as the stream
 * (reckon/stream.h) closes it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The progress line: shown only on a terminal, only once a run has taken
 * PROGRESS_AFTER, redrawn at most every PROGRESS_EVERY and at each change
 * of stage, and erased before anything else is printed. */
#define PROGRESS_AFTER G_USEC_PER_SEC
#define PROGRESS_EVERY (G_USEC_PER_SEC / 5)

typedef struct {
  gint64 start, last;
  ReckonStage stage;
  gboolean shown;
} Progress;

static void show_progress(ReckonStage stage, guint64 claims, guint64 incidents, gpointer data)
{
  static const char *const doing[] = {"reading", "grouped", "estimating"};
  Progress *p = data;
  gint64 now = g_get_monotonic_time();
  if (now - p->start < PROGRESS_AFTER || (stage == p->stage && now - p->last < PROGRESS_EVERY))
    return;
  p->stage = stage;
  p->last = now;
  double seconds = (double)(now - p->start) / G_USEC_PER_SEC;
  fprintf(stderr, "\r\033[Kreckon: %s: %" G_GUINT64_FORMAT " claims read, %" G_GUINT64_FORMAT
          " incidents, %.0f claims/s", doing[stage], claims, incidents, (double)claims / seconds);
  fflush(stderr);
  p->shown = TRUE;
}

static void erase_progress(Progress *p)
{
  if (p->shown)
    fputs("\r\033[K", stderr);
  p->shown = FALSE;
}

/* Appends the rejects of @engine to @out as JSON Lines. */
static void write_reject_lines(const ReckonEngine *engine, FILE *out)
{
  for (guint i = 0; i < reckon_engine_n_rejects(engine); i++) {
    const ReckonReject *r = reckon_engine_reject(engine, i);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", r->file);
    cJSON_AddNumberToObject(o, "line", r->line);
    cJSON_AddItemToObject(o, "id", r->id ? cJSON_CreateString(r->id) : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "reason", r->reason);
    cJSON_AddItemToObject(o, "text", r->text ? cJSON_CreateString(r->text) : cJSON_CreateNull());
    char *text = cJSON_PrintUnformatted(o);
    fprintf(out, "%s\n", text);
    cJSON_free(text);
    cJSON_Delete(o);
  }
}

static gboolean close_rejects(FILE *out, const char *path)
{
  gboolean ok = fclose(out) == 0;
  if (!ok)
    cli_error("%s: cannot write rejects: %s", path, g_strerror(errno));
  return ok;
}

static FILE *open_rejects(const char *path)
{
  FILE *out = fopen(path, "w");
  if (!out)
    cli_error("%s: cannot write rejects: %s", path, g_strerror(errno));
  return out;
}

static gboolean write_rejects(const ReckonEngine *engine, const char *path)
{
  FILE *out = open_rejects(path);
  if (!out)
    return FALSE;
  write_reject_lines(engine, out);
  return close_rejects(out, path);
}

/* Prints the rejects from *seen on, in the order read, and moves *seen past them. */
static void report_rejects(const ReckonEngine *engine, guint *seen)
{
  for (; *seen < reckon_engine_n_rejects(engine); (*seen)++) {
    const ReckonReject *r = reckon_engine_reject(engine, *seen);
    cli_error("%s:%u: %s", r->file, r->line, r->reason);
  }
}

/* Writes the learned source table to @path in the table format. */
static gboolean save_sources(const ReckonEngine *engine, const char *path)
{
  FILE *out = fopen(path, "w");
  GError *error = NULL;
  if (!out) {
    cli_error("%s: cannot write sources: %s", path, g_strerror(errno));
    return FALSE;
  }
  gboolean ok = reckon_engine_write_sources(engine, RECKON_FORMAT_TABLE, out, &error);
  if (!ok) {
    cli_error("%s: %s", path, error->message);
    g_error_free(error);
  }
  if (fclose(out) != 0 && ok) {
    cli_error("%s: cannot write sources: %s", path, g_strerror(errno));
    ok = FALSE;
  }
  return ok;
}

typedef enum { MODE_ESTIMATES, MODE_SOURCES } RunMode;

/* --stream: where each closed window goes, and what the summary counts. */
typedef struct {
  gboolean print;      /* print the estimates (not for `reckon sources`) */
  ReckonFormat format;
  FILE *rejects;       /* --rejects FILE, or NULL */
  Progress *progress;
  guint64 used, estimates, rejected;
  gboolean written;    /* estimates already printed */
} StreamOut;

static gboolean write_window(const ReckonEngine *window, gpointer data, GError **error)
{
  StreamOut *o = data;
  erase_progress(o->progress);
  guint seen = 0;
  report_rejects(window, &seen);
  if (o->rejects)
    write_reject_lines(window, o->rejects);
  o->rejected += reckon_engine_n_rejects(window);
  guint n = reckon_engine_n_estimates(window);
  for (guint i = 0; i < n; i++)
    o->used += reckon_estimate_n_members(reckon_engine_estimate(window, i));
  o->estimates += n;
  if (!n || !o->print)
    return TRUE;
  /* Table blocks are separated by a blank line, across windows too. */
  if (o->written && o->format == RECKON_FORMAT_TABLE)
    fputc('\n', stdout);
  o->written = TRUE;
  return reckon_engine_write(window, o->format, stdout, error);
}

/* reckon run --stream: each window is printed as soon as it closes;
 * `reckon sources --stream` prints the sources of all windows at the end. */
static int run_stream(ReckonEngine *engine, const char *const *inputs, RunMode mode,
                      ReckonFormat format, const char *rejects_path, const char *sources_path,
                      gboolean strict, gboolean quiet, Progress *progress)
{
  StreamOut out = {mode == MODE_ESTIMATES, format, NULL, progress, 0, 0, 0, FALSE};
  if (rejects_path && !(out.rejects = open_rejects(rejects_path)))
    return EXIT_INPUT;
  int status = EXIT_OK;
  GError *error = NULL;
  ReckonStream *stream = reckon_stream_new(engine, write_window, &out);
  gboolean stopped = FALSE;
  for (const char *const *f = inputs; *f && !stopped; f++) {
    guint64 before = reckon_stream_n_read(stream), rejected = out.rejected;
    if (!reckon_stream_load_file(stream, *f, &error)) {
      /* A strict stop is the reject just printed; anything else needs a message. */
      if (!(strict && out.rejected > rejected))
        cli_error("%s", error->message);
      /* A file that cannot be read leaves the others to run, as in a batch run. */
      stopped = strict || !g_error_matches(error, RECKON_ERROR, RECKON_ERROR_IO);
      g_clear_error(&error);
      status = EXIT_INPUT;
    } else if (reckon_stream_n_read(stream) == before && !quiet) {
      cli_error("%s: no claims in this file", *f);
    }
  }
  guint64 rejected = out.rejected;
  if (!stopped && !reckon_stream_finish(stream, &error)) {
    if (!(strict && out.rejected > rejected))
      cli_error("%s", error->message);
    g_clear_error(&error);
    stopped = TRUE;
  }
  erase_progress(progress);
  if (out.rejected > 0 || stopped)
    status = EXIT_INPUT;
  if (out.rejects && !close_rejects(out.rejects, rejects_path))
    status = EXIT_INPUT;
  if (!stopped && mode == MODE_SOURCES && !reckon_engine_write_sources(engine, format, stdout, &error)) {
    cli_error("%s", error->message);
    status = EXIT_INPUT;
  }
  if (!stopped && sources_path && !save_sources(engine, sources_path))
    status = EXIT_INPUT;
  if (!quiet && !stopped) {
    guint64 read = reckon_stream_n_read(stream);
    fprintf(stderr, "reckon: %" G_GUINT64_FORMAT " claim%s read: %" G_GUINT64_FORMAT " in %"
            G_GUINT64_FORMAT " estimate%s, %" G_GUINT64_FORMAT " rejected\n", read,
            read == 1 ? "" : "s", out.used, out.estimates, out.estimates == 1 ? "" : "s",
            out.rejected);
  }
  g_clear_error(&error);
  reckon_stream_free(stream);
  return status;
}

static int run_main(int argc, char **argv, RunMode mode)
{
  char *format_name = NULL, *method_name = NULL, *rejects_path = NULL, *explain = NULL;
  char *sources_path = NULL, *priors_path = NULL;
  double level = 0.9;
  int date_tolerance = 0;
  gboolean strict = FALSE, quiet = FALSE, stream = FALSE;
  gint64 max_claim_bytes = RECKON_MAX_CLAIM_BYTES_DEFAULT;
  gint max_depth = RECKON_MAX_DEPTH_DEFAULT, max_incident_claims = RECKON_MAX_INCIDENT_CLAIMS_DEFAULT;
  gint threads = 0;
  char **files = NULL;
  CliRulesOptions rules_opts = {0};
  GOptionEntry entries[] = {
    {"format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
     "Output format: table (default on a terminal), jsonl (default otherwise), json, csv", "FMT"},
    {"method", 'm', 0, G_OPTION_ARG_STRING, &method_name,
     "Estimator: bayes (default), interval, median or acled", "M"},
    {"level", 0, 0, G_OPTION_ARG_DOUBLE, &level, "Level of the low-high range (default 0.9)",
     "L"},
    {"date-tolerance", 0, 0, G_OPTION_ARG_INT, &date_tolerance,
     "Days a month- or year-dated claim may miss an incident's day and still join it (default 0)",
     "DAYS"},
    {"strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Stop at the first claim that cannot be read",
     NULL},
    {"rejects", 0, 0, G_OPTION_ARG_FILENAME, &rejects_path,
     "Write rejected claims as JSON Lines with their reason", "FILE"},
    {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print no summary on stderr", NULL},
    {"max-claim-bytes", 0, 0, G_OPTION_ARG_INT64, &max_claim_bytes,
     "Reject a claim longer than N bytes (default 1048576)", "N"},
    {"max-depth", 0, 0, G_OPTION_ARG_INT, &max_depth,
     "Reject a claim nested deeper than N levels (default 32, at most 1000)", "N"},
    {"max-incident-claims", 0, 0, G_OPTION_ARG_INT, &max_incident_claims,
     "Reject the claims of an incident with more than N (default 10000)", "N"},
    {"threads", 'j', 0, G_OPTION_ARG_INT, &threads,
     "Read, group, estimate and write with N threads (default: one per processor); the output is the same for any N", "N"},
    {"explain", 0, 0, G_OPTION_ARG_STRING, &explain,
     "Instead of the estimates, explain how INCIDENT was grouped and estimated", "INCIDENT"},
    {"stream", 0, 0, G_OPTION_ARG_NONE, &stream,
     "Input sorted by incident date: print each window of dates as soon as it is complete, "
     "holding one window in memory (jsonl or table)", NULL},
    {"sources", 0, 0, G_OPTION_ARG_FILENAME, &sources_path,
     "Also write the learned source table (reliability, bias) to FILE", "FILE"},
    {"priors", 0, 0, G_OPTION_ARG_FILENAME, &priors_path,
     "Start from the source table in FILE, saved by an earlier run", "FILE"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "[FILE...|-]"},
    G_OPTION_ENTRY_NULL,
  };
  GOptionContext *ctx = g_option_context_new(mode == MODE_SOURCES ? "- learn how reliable each source is"
                                                                  : "- reconcile claims into estimates");
  if (mode == MODE_SOURCES)
    g_option_context_set_summary(
        ctx, "Runs the claims like 'reckon run' and prints, instead of the estimates, every\n"
             "source with its kind, how many claims it made and how many could be checked,\n"
             "its learned reliability and its bias (ratio to the consensus).  The table\n"
             "format (the default) can be given to a later run with --priors.\n"
             "Exit status: 0 ok, 2 usage, 3 bad rules, 4 claims rejected.");
  else
    g_option_context_set_summary(
        ctx, "Reads claims (JSON Lines, a JSON array or CSV; '-' or no FILE reads standard\n"
             "input), groups them into incidents and prints one estimate per incident, metric\n"
             "and sub-population.  Each claim that cannot be read is reported on stderr as\n"
             "FILE:LINE: reason and the others go on.  With --stream, JSON Lines sorted by\n"
             "incident date are estimated window by window as they are read.\n"
             "Exit status: 0 ok, 2 usage, 3 bad rules, 4 claims rejected or a file unreadable.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  GOptionGroup *rules_group = g_option_group_new("rules", "Rule options:", "Show rule options",
                                                 NULL, NULL);
  g_option_group_add_entries(rules_group, cli_rules_entries(&rules_opts));
  g_option_context_add_group(ctx, rules_group);

  int status = EXIT_OK;
  GError *error = NULL;
  ReckonRules *rules = NULL;
  ReckonEngine *engine = NULL;
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  ReckonFormat format = isatty(STDOUT_FILENO) || mode == MODE_SOURCES ? RECKON_FORMAT_TABLE
                                                                      : RECKON_FORMAT_JSONL;

  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    cli_error("%s", error->message);
    status = EXIT_USAGE;
    goto out;
  }
  if (format_name && !reckon_format_from_string(format_name, &format)) {
    cli_error("unknown format '%s' (table, jsonl, json, csv)", format_name);
    status = EXIT_USAGE;
    goto out;
  }
  if (method_name && !reckon_method_from_string(method_name, &opts.method)) {
    cli_error("unknown method '%s' (bayes, interval, median, acled)", method_name);
    status = EXIT_USAGE;
    goto out;
  }
  if (date_tolerance < 0) {
    cli_error("--date-tolerance must be 0 or more days, not %d", date_tolerance);
    status = EXIT_USAGE;
    goto out;
  }
  if (stream && explain) {
    cli_error("--stream cannot be used with --explain: it needs the whole run");
    status = EXIT_USAGE;
    goto out;
  }
  if (stream && mode == MODE_ESTIMATES && format != RECKON_FORMAT_JSONL &&
      format != RECKON_FORMAT_TABLE) {
    cli_error("--stream writes jsonl or table, not %s", reckon_format_to_string(format));
    status = EXIT_USAGE;
    goto out;
  }
  if (!(rules = cli_rules_load(&rules_opts, &status)))
    goto out;
  if (max_claim_bytes < 1 || max_depth < 1 || max_incident_claims < 1) {
    cli_error("--max-claim-bytes, --max-depth and --max-incident-claims must be at least 1");
    status = EXIT_USAGE;
    goto out;
  }
  if (threads < 0 || threads > 64) {
    cli_error("--threads must be from 1 to 64, or 0 for one per processor, not %d", threads);
    status = EXIT_USAGE;
    goto out;
  }
  opts.threads = (unsigned)threads;
  opts.level = level;
  opts.date_tolerance = (unsigned int)date_tolerance;
  opts.strict = strict;
  opts.rules = rules;
  opts.max_claim_bytes = (gsize)max_claim_bytes;
  opts.max_depth = (unsigned)max_depth;
  opts.max_incident_claims = (unsigned)max_incident_claims;
  opts.keep_explain = explain != NULL; /* 39 MB of the peak at 1e6 claims */
  if (!(engine = reckon_engine_new(&opts, &error))) {
    cli_error("%s", error->message);
    status = EXIT_USAGE;
    goto out;
  }
  if (priors_path && !reckon_engine_load_sources(engine, priors_path, &error)) {
    cli_error("%s", error->message);
    status = EXIT_INPUT;
    goto out;
  }

  Progress progress = {g_get_monotonic_time(), 0, RECKON_STAGE_READ, FALSE};
  if (!quiet && isatty(STDERR_FILENO))
    reckon_engine_set_progress(engine, show_progress, &progress);

  static const char *const stdin_only[] = {"-", NULL};
  const char *const *inputs = files && files[0] ? (const char *const *)files : stdin_only;
  if (stream) {
    status = run_stream(engine, inputs, mode, format, rejects_path, sources_path, strict, quiet,
                        &progress);
    goto out;
  }
  guint rejects_seen = 0;
  gboolean stopped = FALSE;
  for (const char *const *f = inputs; *f && !stopped; f++) {
    guint before = reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine);
    gboolean ok = reckon_engine_load_file(engine, *f, &error);
    erase_progress(&progress);
    guint seen_before = rejects_seen;
    report_rejects(engine, &rejects_seen);
    if (!ok) {
      /* A strict stop is the reject just printed; anything else needs a message. */
      if (!(strict && rejects_seen > seen_before))
        cli_error("%s", error->message);
      g_clear_error(&error);
      status = EXIT_INPUT;
      stopped = strict;
    } else if (reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine) == before &&
               !quiet) {
      cli_error("%s: no claims in this file", *f);
    }
  }
  /* Rejects may also come from the run: incidents over their claim limit. */
  gboolean ran = stopped || reckon_engine_run(engine, &error);
  erase_progress(&progress);
  if (!ran) {
    guint seen_before = rejects_seen;
    report_rejects(engine, &rejects_seen);
    if (rejects_seen == seen_before)
      cli_error("%s", error->message);
    g_clear_error(&error);
    stopped = TRUE;
  }
  report_rejects(engine, &rejects_seen);
  if (reckon_engine_n_rejects(engine) > 0)
    status = EXIT_INPUT;
  if (rejects_path && !write_rejects(engine, rejects_path))
    status = EXIT_INPUT;
  if (stopped)
    goto out;

  if (explain) {
    char *text = reckon_engine_explain(engine, explain, &error);
    if (!text) {
      cli_error("%s", error->message);
      status = EXIT_USAGE;
      goto out;
    }
    fputs(text, stdout);
    g_free(text);
  } else if (mode == MODE_SOURCES ? !reckon_engine_write_sources(engine, format, stdout, &error)
                                   : !reckon_engine_write(engine, format, stdout, &error)) {
    cli_error("%s", error->message);
    status = EXIT_INPUT;
    goto out;
  }
  if (sources_path && !save_sources(engine, sources_path)) {
    status = EXIT_INPUT;
    goto out;
  }
  if (!quiet) {
    guint used = 0;
    for (guint i = 0; i < reckon_engine_n_estimates(engine); i++)
      used += reckon_estimate_n_members(reckon_engine_estimate(engine, i));
    guint read = reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine);
    guint estimates = reckon_engine_n_estimates(engine);
    fprintf(stderr, "reckon: %u claim%s read: %u in %u estimate%s, %u rejected\n", read,
            read == 1 ? "" : "s", used, estimates, estimates == 1 ? "" : "s",
            reckon_engine_n_rejects(engine));
  }

out:
  g_clear_error(&error);
  reckon_engine_free(engine);
  reckon_rules_free(rules);
  cli_rules_options_clear(&rules_opts);
  g_free(format_name);
  g_free(method_name);
  g_free(rejects_path);
  g_free(explain);
  g_free(sources_path);
  g_free(priors_path);
  g_strfreev(files);
  g_option_context_free(ctx);
  return status;
}

int cmd_run(int argc, char **argv)
{
  return run_main(argc, argv, MODE_ESTIMATES);
}

int cmd_sources(int argc, char **argv)
{
  return run_main(argc, argv, MODE_SOURCES);
}

int cmd_explain(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    FILE *out = argc < 2 ? stderr : stdout;
    fprintf(out, "Usage:\n  reckon explain INCIDENT [OPTION...] [FILE...|-]\n\n"
                 "Runs the claims like 'reckon run' and explains, in plain words, why the\n"
                 "claims of INCIDENT (an id from the output) were grouped, which near-misses\n"
                 "were kept apart, and how each of its estimates and flags came about.\n"
                 "Takes the options of 'reckon run' (see 'reckon run --help').\n");
    return argc < 2 ? EXIT_USAGE : EXIT_OK;
  }
  /* The same as: reckon run --explain INCIDENT [OPTION...] [FILE...] */
  char **args = g_new0(char *, argc + 2);
  args[0] = argv[0];
  args[1] = (char *)"--explain";
  args[2] = argv[1];
  for (int i = 2; i < argc; i++)
    args[i + 1] = argv[i];
  int status = cmd_run(argc + 1, args);
  g_free(args);
  return status;
}
