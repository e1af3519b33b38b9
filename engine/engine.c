/*
 * engine.c - the public entry points: options, loading, running and the
 * accessors of estimates and rejects.  It holds no stage logic: reading is
 * reader.c, grouping group.c, estimating roles.c, estimate.c, bayes.c and
 * reliability.c, parts and totals bounds.c, output writer.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "memo.h"
#include "reader.h"
#include "reckon/error.h"

void reckon_options_init(ReckonOptions *opts)
{
  g_return_if_fail(opts != NULL);
  ReckonOptions init = RECKON_OPTIONS_INIT;
  *opts = init;
}

static const char *const method_names[] = {"interval", "median", "bayes", "acled"};
static const char *const format_names[] = {"table", "jsonl", "json", "csv"};
static const char *const role_names[] = {"used", "echo", "superseded", "outlier"};
static const char *const flag_names[RECKON_FLAG_COUNT] = {
  "conflict", "outlier", "superseded", "echo", "single_source", "vague_only", "wide", "exceeds_total",
};

static gboolean name_lookup(const char *const *names, gsize n, const char *name, int *out)
{
  for (gsize i = 0; name && i < n; i++)
    if (strcmp(names[i], name) == 0) {
      *out = (int)i;
      return TRUE;
    }
  return FALSE;
}

const char *reckon_method_to_string(ReckonMethod method)
{
  return (guint)method < G_N_ELEMENTS(method_names) ? method_names[method] : NULL;
}

gboolean reckon_method_from_string(const char *name, ReckonMethod *method)
{
  int v;
  if (!name_lookup(method_names, G_N_ELEMENTS(method_names), name, &v))
    return FALSE;
  *method = (ReckonMethod)v;
  return TRUE;
}

const char *reckon_format_to_string(ReckonFormat format)
{
  return (guint)format < G_N_ELEMENTS(format_names) ? format_names[format] : NULL;
}

gboolean reckon_format_from_string(const char *name, ReckonFormat *format)
{
  int v;
  if (!name_lookup(format_names, G_N_ELEMENTS(format_names), name, &v))
    return FALSE;
  *format = (ReckonFormat)v;
  return TRUE;
}

const char *reckon_role_to_string(ReckonRole role)
{
  return (guint)role < G_N_ELEMENTS(role_names) ? role_names[role] : NULL;
}

const char *reckon_flag_to_string(ReckonFlags flag)
{
  for (int bit = 0; bit < RECKON_FLAG_COUNT; bit++)
    if (flag == (1u << bit))
      return flag_names[bit];
  return NULL;
}

ReckonEngine *reckon_engine_new(const ReckonOptions *opts, GError **error)
{
  ReckonOptions o = RECKON_OPTIONS_INIT;
  if (opts) {
    if (opts->version != RECKON_OPTIONS_VERSION) {
      g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE,
                  "options version %u is not supported (expected %u)", opts->version,
                  RECKON_OPTIONS_VERSION);
      return NULL;
    }
    o = *opts;
  }
  if (!(o.level > 0.0 && o.level < 1.0)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE, "level must be between 0 and 1, not %g",
                o.level);
    return NULL;
  }
  if (!reckon_method_to_string(o.method)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE, "unknown method %d", (int)o.method);
    return NULL;
  }
  if (o.max_claim_bytes < 1 || o.max_incident_claims < 1) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE,
                "max_claim_bytes and max_incident_claims must be at least 1");
    return NULL;
  }
  if (o.max_depth < 1 || o.max_depth > RECKON_MAX_DEPTH_LIMIT) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE,
                "max_depth must be between 1 and %d, not %u", RECKON_MAX_DEPTH_LIMIT, o.max_depth);
    return NULL;
  }
  ReckonEngine *engine = g_new0(ReckonEngine, 1);
  engine->opts = o;
  engine->rules = o.rules ? o.rules : rules_default();
  engine->strings = g_string_chunk_new(1 << 16);
  engine->claims = g_array_new(FALSE, FALSE, sizeof(Claim));
  engine->rejects = g_array_new(FALSE, FALSE, sizeof(ReckonReject));
  engine->memo = memo_new();
  engine->estimates = g_array_new(FALSE, FALSE, sizeof(ReckonEstimate));
  engine->incidents = g_ptr_array_new();
  engine->sources = g_array_new(FALSE, FALSE, sizeof(SourceStat));
  engine->source_index = g_hash_table_new(g_str_hash, g_str_equal);
  return engine;
}

static void clear_estimates(ReckonEngine *engine)
{
  for (guint i = 0; i < engine->estimates->len; i++)
    estimate_clear(&g_array_index(engine->estimates, ReckonEstimate, i));
  g_array_set_size(engine->estimates, 0);
  g_clear_pointer(&engine->infos, g_free);
  g_clear_pointer(&engine->marks, g_free);
  g_clear_pointer(&engine->member_claims, g_free);
  engine->any_extra = FALSE;
  g_ptr_array_set_size(engine->incidents, 0);
  g_clear_pointer(&engine->group, group_run_free);
}

void reckon_engine_set_progress(ReckonEngine *engine, ReckonProgressFunc func, gpointer data)
{
  g_return_if_fail(engine != NULL);
  engine->progress = func;
  engine->progress_data = data;
}

void engine_progress(const ReckonEngine *engine, ReckonStage stage)
{
  if (!engine->progress)
    return;
  guint64 claims = engine->claims->len + engine->rejects->len;
  guint64 incidents = stage == RECKON_STAGE_READ ? 0 : engine->incidents->len;
  engine->progress(stage, claims, incidents, engine->progress_data);
}

void reckon_engine_free(ReckonEngine *engine)
{
  if (!engine)
    return;
  clear_estimates(engine);
  g_array_unref(engine->estimates);
  g_array_unref(engine->sources);
  g_hash_table_unref(engine->source_index);
  if (engine->priors)
    g_hash_table_unref(engine->priors);
  g_ptr_array_unref(engine->incidents);
  for (guint i = 0; i < engine->claims->len; i++)
    claim_clear(&g_array_index(engine->claims, Claim, i));
  g_array_unref(engine->claims);
  if (engine->shared_rares)
    g_hash_table_unref(engine->shared_rares);
  if (engine->measures)
    g_hash_table_unref(engine->measures);
  g_array_unref(engine->rejects);
  memo_free(engine->memo);
  g_string_chunk_free(engine->strings);
  g_free(engine);
}

gboolean reckon_engine_load_buffer(ReckonEngine *engine, const char *name, const char *data,
                                   gsize len, GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(name != NULL, FALSE);
  g_return_val_if_fail(data != NULL || len == 0, FALSE);
  gboolean ok = reader_load_text(engine, name, data ? data : "", len, error);
  engine_progress(engine, RECKON_STAGE_READ);
  return ok;
}

gboolean reckon_engine_load_json(ReckonEngine *engine, const char *name, const cJSON *json,
                                 GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(name != NULL, FALSE);
  g_return_val_if_fail(json != NULL, FALSE);
  gboolean ok = reader_load_json(engine, name, json, error);
  engine_progress(engine, RECKON_STAGE_READ);
  return ok;
}

int engine_open_input(const char *path, GError **error)
{
  if (strcmp(path, "-") == 0)
    return STDIN_FILENO;
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "%s: is a directory, not a claims file",
                path);
    return -1;
  }
  int fd = g_open(path, O_RDONLY, 0);
  if (fd < 0)
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "%s: cannot open: %s", path,
                g_strerror(errno));
  return fd;
}

gboolean reckon_engine_load_file(ReckonEngine *engine, const char *path, GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(path != NULL, FALSE);
  /* Read, not mapped: the pages of a mapped file count in the resident
   * memory as they are read, and a named pipe or a shell's <(...) would
   * map as empty. */
  int fd = engine_open_input(path, error);
  if (fd < 0)
    return FALSE;
  gboolean ok = lines_load_fd(engine, path, fd, error);
  engine_progress(engine, RECKON_STAGE_READ);
  if (fd != STDIN_FILENO)
    close(fd);
  return ok;
}

/* Rejects every claim of an incident with more than max_incident_claims,
 * in input order, and takes them out of the claims.  Rejecting them all
 * rather than the ones past the limit keeps the result independent of
 * input order.  Estimates are cleared first when any is: they point into
 * the claims array.  A strict run rejects only the first and returns
 * FALSE with its reason. */
static gboolean reject_crowded(ReckonEngine *engine, GError **error)
{
  guint limit = engine->opts.max_incident_claims;
  GHashTable *crowded = NULL; /* claim index -> the reason, in the string chunk */
  for (guint i = 0; i < engine->estimates->len; i++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, i);
    if (e->source_incident->n_members <= limit)
      continue;
    if (!crowded)
      crowded = g_hash_table_new(NULL, NULL);
    char *reason = g_strdup_printf("incident '%s' has %u claims, more than the limit of %u",
                                   e->source_incident->id, e->source_incident->n_members, limit);
    const char *kept = g_string_chunk_insert_const(engine->strings, reason);
    g_free(reason);
    const Claim *first = &g_array_index(engine->claims, Claim, 0);
    for (guint j = 0; j < e->n_members; j++)
      g_hash_table_insert(crowded, GUINT_TO_POINTER(e->claims[j] - first), (gpointer)kept);
  }
  if (!crowded)
    return TRUE;
  clear_estimates(engine);
  gboolean ok = TRUE;
  guint kept = 0;
  for (guint i = 0; i < engine->claims->len; i++) {
    Claim *c = &g_array_index(engine->claims, Claim, i);
    const char *reason = g_hash_table_lookup(crowded, GUINT_TO_POINTER(i));
    if (!reason || !ok) { /* a strict run stops at the first */
      g_array_index(engine->claims, Claim, kept++) = *c;
      continue;
    }
    memo_id_gone(engine, c);
    ok = reader_reject(engine, RECKON_ERROR_LIMIT, c->file, c->line, c->id, reason, NULL, 0, error);
    claim_clear(c);
  }
  g_array_set_size(engine->claims, kept);
  memo_id_release(engine); /* the ids name claims by their place */
  g_hash_table_unref(crowded);
  return ok;
}

gboolean reckon_engine_run(ReckonEngine *engine, GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  memo_id_release(engine); /* made again if more claims are read after the run */
  clear_estimates(engine);
  group_claims(engine);
  guint n_claims = engine->claims->len;
  if (!reject_crowded(engine, error))
    return FALSE;
  if (engine->claims->len != n_claims)
    group_claims(engine); /* what is left after the crowded incidents */
  engine_progress(engine, RECKON_STAGE_GROUP);
  if (!engine->opts.keep_explain)
    group_forget_readings(engine); /* before estimation's allocations, which reuse it */
  estimate_prepare_all(engine);
  reliability_prepare(engine);
  reliability_run(engine);
  bounds_apply(engine);
  return TRUE;
}

guint reckon_engine_n_claims(const ReckonEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->claims->len;
}

guint reckon_engine_n_estimates(const ReckonEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->estimates->len;
}

const ReckonEstimate *reckon_engine_estimate(const ReckonEngine *engine, guint i)
{
  g_return_val_if_fail(engine != NULL, NULL);
  g_return_val_if_fail(i < engine->estimates->len, NULL);
  return &g_array_index(engine->estimates, ReckonEstimate, i);
}

guint reckon_engine_n_rejects(const ReckonEngine *engine)
{
  g_return_val_if_fail(engine != NULL, 0);
  return engine->rejects->len;
}

const ReckonReject *reckon_engine_reject(const ReckonEngine *engine, guint i)
{
  g_return_val_if_fail(engine != NULL, NULL);
  g_return_val_if_fail(i < engine->rejects->len, NULL);
  return &g_array_index(engine->rejects, ReckonReject, i);
}

#define GETTER(type, name, field, fallback)                \
  type reckon_estimate_##name(const ReckonEstimate *e)      \
  {                                                         \
    g_return_val_if_fail(e != NULL, fallback);              \
    return e->field;                                        \
  }
GETTER(const char *, incident, source_incident->id, NULL)
GETTER(const char *, label, source_incident->label, NULL)
GETTER(guint64, low, low, 0)
GETTER(double, best, best, 0)
GETTER(guint64, high, high, 0)
GETTER(double, level, level, 0)
GETTER(ReckonFlags, flags, flags, 0)
GETTER(guint, n_sources, n_sources, 0)
GETTER(guint, n_origins, n_origins, 0)
GETTER(guint, n_members, n_members, 0)
#undef GETTER

const char *reckon_estimate_metric(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  return estimate_metric(e);
}

const char *reckon_estimate_who(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  return estimate_who(e);
}

const char *reckon_estimate_place(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  return e->source_incident->place;
}

const char *reckon_estimate_when(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  return e->source_incident->when_text;
}

const char *reckon_estimate_parent(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  return e->source_incident->parent ? e->source_incident->parent->id : NULL;
}

const ReckonMember *reckon_estimate_member(const ReckonEstimate *e, guint i)
{
  g_return_val_if_fail(e != NULL, NULL);
  g_return_val_if_fail(i < e->n_members, NULL);
  return &members_get(e)[i];
}

char *reckon_engine_explain(const ReckonEngine *engine, const char *incident, GError **error)
{
  g_return_val_if_fail(engine != NULL, NULL);
  g_return_val_if_fail(incident != NULL, NULL);
  if (!group_explainable(engine)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE,
                "the last run kept nothing to explain (ReckonOptions.keep_explain)");
    return NULL;
  }
  const Incident *inc = NULL;
  for (guint i = 0; !inc && i < engine->incidents->len; i++) {
    const Incident *candidate = g_ptr_array_index(engine->incidents, i);
    if (strcmp(candidate->id, incident) == 0)
      inc = candidate;
  }
  if (!inc) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE, "no incident '%s' in this run", incident);
    return NULL;
  }
  GString *out = g_string_new(NULL);
  group_explain(engine, inc, out);
  for (guint i = 0; i < engine->estimates->len; i++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, i);
    if (e->source_incident == inc) {
      g_string_append_c(out, '\n');
      estimate_explain(engine, e, out);
    }
  }
  return g_string_free(out, FALSE);
}
