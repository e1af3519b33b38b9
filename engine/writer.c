/*
 * writer.c - the last stage: estimates out as JSON Lines, one JSON array,
 * CSV, or a table for people; and the learned source table (reckon
 * sources).  JSON Lines are formatted on the engine's threads
 * (parallel.c) and written in order.  Field names are a contract (README
 * "Output"): other tools and `reckon check` read them.
 */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "engine-private.h"
#include "parallel.h"
#include "reckon/error.h"

static cJSON *count_or_null(guint64 v)
{
  return v == RECKON_UNBOUNDED ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
}

static cJSON *string_or_null(const char *s)
{
  return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *flags_array(ReckonFlags flags)
{
  cJSON *arr = cJSON_CreateArray();
  for (int bit = 0; bit < RECKON_FLAG_COUNT; bit++)
    if (flags & (1u << bit))
      cJSON_AddItemToArray(arr, cJSON_CreateString(reckon_flag_to_string(1u << bit)));
  return arr;
}

static cJSON *member_json(const ReckonMember *m, const Claim *c)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", m->id);
  cJSON_AddStringToObject(o, "source", m->source);
  cJSON_AddStringToObject(o, "value", m->value);
  cJSON_AddItemToObject(o, "low", cJSON_CreateNumber((double)m->range.low));
  cJSON_AddItemToObject(o, "high", count_or_null(m->range.high));
  cJSON_AddStringToObject(o, "kind", reckon_kind_to_string(m->range.kind));
  cJSON_AddStringToObject(o, "role", reckon_role_to_string(m->role));
  cJSON_AddItemToObject(o, "flags", flags_array(m->flags));
  /* Three decimals: enough to read, and stable across platforms. */
  cJSON_AddItemToObject(o, "weight", cJSON_CreateNumber(round(m->weight * 1000) / 1000));
  cJSON_AddStringToObject(o, "origin", m->origin ? m->origin : m->source);
  if (claim_extra(c))
    cJSON_AddItemToObject(o, "extra", cJSON_Duplicate(claim_extra(c), TRUE));
  return o;
}

cJSON *reckon_estimate_to_json(const ReckonEstimate *e)
{
  g_return_val_if_fail(e != NULL, NULL);
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "incident", e->source_incident->id);
  cJSON_AddStringToObject(o, "label", e->source_incident->label);
  cJSON_AddItemToObject(o, "place", string_or_null(reckon_estimate_place(e)));
  cJSON_AddItemToObject(o, "when", string_or_null(reckon_estimate_when(e)));
  cJSON_AddItemToObject(o, "parent", string_or_null(reckon_estimate_parent(e)));
  cJSON_AddStringToObject(o, "metric", estimate_metric(e));
  cJSON_AddItemToObject(o, "who", string_or_null(estimate_who(e)));
  cJSON_AddItemToObject(o, "low", cJSON_CreateNumber((double)e->low));
  cJSON_AddItemToObject(o, "best", cJSON_CreateNumber(e->best));
  cJSON_AddItemToObject(o, "high", count_or_null(e->high));
  cJSON_AddItemToObject(o, "level", cJSON_CreateNumber(e->level));
  cJSON_AddItemToObject(o, "claims", cJSON_CreateNumber(e->n_members));
  cJSON_AddItemToObject(o, "sources", cJSON_CreateNumber(e->n_sources));
  cJSON_AddItemToObject(o, "flags", flags_array(e->flags));
  cJSON *members = cJSON_AddArrayToObject(o, "members");
  ReckonMember scratch[MEMBERS_SCRATCH], *held = NULL;
  const ReckonMember *records = members_view(e, scratch, MEMBERS_SCRATCH, &held);
  for (guint i = 0; i < e->n_members; i++)
    cJSON_AddItemToArray(members, member_json(&records[i], e->claims[i]));
  g_free(held);
  cJSON_AddItemToObject(o, "origins", cJSON_CreateNumber(e->n_origins));
  cJSON_AddStringToObject(o, "method", reckon_method_to_string(e->method));
  return o;
}

static void print_json(const ReckonEstimate *e, FILE *out)
{
  cJSON *o = reckon_estimate_to_json(e);
  char *text = cJSON_Print(o);
  fputs(text, out);
  cJSON_free(text);
  cJSON_Delete(o);
}

/* JSON Lines are written straight into a buffer, without building cJSON
 * trees: on large runs building and freeing the trees cost more than
 * estimating.  The bytes are those cJSON_PrintUnformatted() gives for
 * reckon_estimate_to_json() (tests/test-fixtures.c compares the two on
 * every fixture set), so numbers and strings follow cJSON's rules.  Field
 * names are literals with their quotes, comma and colon; counts are
 * written digit by digit and strings copied in runs between the bytes
 * that need escaping, since printf and a switch per byte were most of
 * the writing time. */
static inline void put_bytes(GString *out, const char *p, gsize n)
{
  /* g_string_append_len() without its call when the bytes fit. */
  if (out->len + n < out->allocated_len) {
    memcpy(out->str + out->len, p, n);
    out->len += n;
    out->str[out->len] = '\0';
  } else {
    g_string_append_len(out, p, (gssize)n);
  }
}

#define put_literal(out, lit) put_bytes((out), (lit), sizeof(lit) - 1)

static void put_int(GString *out, int v)
{
  char buf[16], *p = buf + sizeof buf;
  unsigned int u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
  do
    *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    *--p = '-';
  put_bytes(out, p, (gsize)(buf + sizeof buf - p));
}

/* A number that is a whole count of thousandths below a billion: every
 * member's weight (rounded to them), the level, a median between two
 * counts.  Such a number's decimal has at most twelve significant digits
 * and the double lies within half a unit in its last place of it, so
 * cJSON's "%1.15g" prints exactly those digits without trailing zeros,
 * and reading them back gives the same double: they are written here
 * digit by digit, without printf and the reading back, which were most
 * of the writing time (a weight seldom repeats among the few numbers
 * json_put_number() keeps).  FALSE for any other number. */
static gboolean put_thousandths(GString *out, double d)
{
  if (!(fabs(d) < 1e9))
    return FALSE;
  double k = round(d * 1000);
  if (k / 1000 != d)
    return FALSE;
  char buf[24], *p = buf + sizeof buf;
  guint64 u = (guint64)fabs(k);
  guint frac = (guint)(u % 1000), digits = 3;
  while (digits > 1 && frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  while (digits--) {
    *--p = (char)('0' + frac % 10);
    frac /= 10;
  }
  *--p = '.';
  u /= 1000;
  do
    *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (d < 0)
    *--p = '-';
  put_bytes(out, p, (gsize)(buf + sizeof buf - p));
  return TRUE;
}

void json_put_number(GString *out, double d)
{
  if (isnan(d) || isinf(d)) {
    put_literal(out, "null");
    return;
  }
  /* cJSON prints a number equal to its saturated int value as an int. */
  int as_int = d >= INT_MAX ? INT_MAX : d <= (double)INT_MIN ? INT_MIN : (int)d;
  if (d == (double)as_int) {
    put_int(out, as_int);
    return;
  }
  if (put_thousandths(out, d))
    return;
  /* The few other values repeat (a median's fractions), so each thread
   * keeps the texts of the values it formatted last, in 64 slots by a
   * hash of their bits. */
  static _Thread_local struct {
    double d;
    char text[G_ASCII_DTOSTR_BUF_SIZE];
  } seen[64];
  guint64 bits;
  memcpy(&bits, &d, sizeof bits);
  guint slot = (guint)((bits * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15)) >> 58);
  if (seen[slot].d != d || !seen[slot].text[0]) {
    char *buf = seen[slot].text;
    g_ascii_formatd(buf, sizeof seen[slot].text, "%1.15g", d);
    double back = g_ascii_strtod(buf, NULL);
    if (fabs(back - d) > MAX(fabs(back), fabs(d)) * DBL_EPSILON)
      g_ascii_formatd(buf, sizeof seen[slot].text, "%1.17g", d);
    seen[slot].d = d;
  }
  g_string_append(out, seen[slot].text);
}

/* The bytes cJSON escapes (controls, '"' and '\\') and the string's end,
 * looked up rather than compared: the scan for them is most of writing a
 * string. */
static const guint8 stops[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00-0x0f */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10-0x1f */
    ['"'] = 1, ['\\'] = 1,
};

void json_put_string(GString *out, const char *s)
{
  g_string_append_c(out, '"');
  const unsigned char *run = (const unsigned char *)s, *p = run;
  for (;; p++) {
    if (!stops[*p])
      continue;
    if (p > run)
      put_bytes(out, (const char *)run, (gsize)(p - run));
    if (!*p)
      break;
    run = p + 1;
    switch (*p) {
    case '"': put_literal(out, "\\\""); break;
    case '\\': put_literal(out, "\\\\"); break;
    case '\b': put_literal(out, "\\b"); break;
    case '\f': put_literal(out, "\\f"); break;
    case '\n': put_literal(out, "\\n"); break;
    case '\r': put_literal(out, "\\r"); break;
    case '\t': put_literal(out, "\\t"); break;
    default: g_string_append_printf(out, "\\u%04x", *p);
    }
  }
  g_string_append_c(out, '"');
}

static void put_string_or_null(GString *out, const char *s)
{
  if (s)
    json_put_string(out, s);
  else
    put_literal(out, "null");
}

static void put_count_or_null(GString *out, guint64 v)
{
  if (v == RECKON_UNBOUNDED)
    put_literal(out, "null");
  else
    json_put_number(out, (double)v);
}

/* ,"flags":[...] */
static void put_flags(GString *out, ReckonFlags flags)
{
  put_literal(out, ",\"flags\":[");
  gboolean first = TRUE;
  for (int bit = 0; flags && bit < RECKON_FLAG_COUNT; bit++)
    if (flags & (1u << bit)) {
      if (!first)
        g_string_append_c(out, ',');
      json_put_string(out, reckon_flag_to_string(1u << bit));
      first = FALSE;
    }
  g_string_append_c(out, ']');
}

/* ,"NAME":VALUE for a string (or null), a number, a count (null when
 * unbounded); the first field of an object is written without the comma. */
#define STRING_FIELD(out, name, s) (put_literal(out, ",\"" name "\":"), put_string_or_null(out, s))
#define NUMBER_FIELD(out, name, d) (put_literal(out, ",\"" name "\":"), json_put_number(out, d))
#define COUNT_FIELD(out, name, v) (put_literal(out, ",\"" name "\":"), put_count_or_null(out, v))

static void put_member(GString *out, const ReckonMember *m, const Claim *c, gboolean extras)
{
  put_literal(out, "{\"id\":");
  put_string_or_null(out, m->id);
  STRING_FIELD(out, "source", m->source);
  STRING_FIELD(out, "value", m->value);
  NUMBER_FIELD(out, "low", (double)m->range.low);
  COUNT_FIELD(out, "high", m->range.high);
  STRING_FIELD(out, "kind", reckon_kind_to_string(m->range.kind));
  STRING_FIELD(out, "role", reckon_role_to_string(m->role));
  put_flags(out, m->flags);
  NUMBER_FIELD(out, "weight", round(m->weight * 1000) / 1000);
  STRING_FIELD(out, "origin", m->origin ? m->origin : m->source);
  if (extras && claim_extra(c)) {
    char *text = cJSON_PrintUnformatted(claim_extra(c));
    put_literal(out, ",\"extra\":");
    g_string_append(out, text);
    cJSON_free(text);
  }
  g_string_append_c(out, '}');
}

void estimate_write_jsonl(const ReckonEstimate *e, gboolean extras, GString *out)
{
  put_literal(out, "{\"incident\":");
  put_string_or_null(out, e->source_incident->id);
  STRING_FIELD(out, "label", e->source_incident->label);
  STRING_FIELD(out, "place", reckon_estimate_place(e));
  STRING_FIELD(out, "when", reckon_estimate_when(e));
  STRING_FIELD(out, "parent", reckon_estimate_parent(e));
  STRING_FIELD(out, "metric", estimate_metric(e));
  STRING_FIELD(out, "who", estimate_who(e));
  NUMBER_FIELD(out, "low", (double)e->low);
  NUMBER_FIELD(out, "best", e->best);
  COUNT_FIELD(out, "high", e->high);
  NUMBER_FIELD(out, "level", e->level);
  NUMBER_FIELD(out, "claims", e->n_members);
  NUMBER_FIELD(out, "sources", e->n_sources);
  put_flags(out, e->flags);
  put_literal(out, ",\"members\":[");
  ReckonMember scratch[MEMBERS_SCRATCH], *held = NULL;
  const ReckonMember *records = members_view(e, scratch, MEMBERS_SCRATCH, &held);
  for (guint i = 0; i < e->n_members; i++) {
    if (i)
      g_string_append_c(out, ',');
    put_member(out, &records[i], e->claims[i], extras);
  }
  g_free(held);
  g_string_append_c(out, ']');
  NUMBER_FIELD(out, "origins", e->n_origins);
  STRING_FIELD(out, "method", reckon_method_to_string(e->method));
  g_string_append_c(out, '}');
}

static void format_count(char *buf, gsize size, guint64 v)
{
  if (v == RECKON_UNBOUNDED)
    g_strlcpy(buf, "", size); /* CSV: an empty field is an open bound */
  else
    g_snprintf(buf, size, "%" G_GUINT64_FORMAT, v);
}

static void format_best(char *buf, gsize size, double best)
{
  if (best == (double)(guint64)best)
    g_snprintf(buf, size, "%" G_GUINT64_FORMAT, (guint64)best);
  else
    g_snprintf(buf, size, "%.1f", best);
}

static char *flags_text(ReckonFlags flags, const char *sep)
{
  GString *s = g_string_new(NULL);
  for (int bit = 0; bit < RECKON_FLAG_COUNT; bit++)
    if (flags & (1u << bit)) {
      if (s->len)
        g_string_append(s, sep);
      g_string_append(s, reckon_flag_to_string(1u << bit));
    }
  return g_string_free(s, FALSE);
}

/* "80", "61-125" or "101+" */
static void format_range(char *buf, gsize size, guint64 low, guint64 high)
{
  if (high == RECKON_UNBOUNDED)
    g_snprintf(buf, size, "%" G_GUINT64_FORMAT "+", low);
  else if (low == high)
    g_snprintf(buf, size, "%" G_GUINT64_FORMAT, low);
  else
    g_snprintf(buf, size, "%" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT, low, high);
}

/* A readable block per estimate: the figures, then each claim and its role. */
static void print_table(const ReckonEngine *engine, FILE *out)
{
  for (guint i = 0; i < engine->estimates->len; i++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, i);
    char range[64], best[32];
    format_range(range, sizeof range, e->low, e->high);
    format_best(best, sizeof best, e->best);
    const char *who = estimate_who(e);
    char *flags = flags_text(e->flags, ", ");
    if (i)
      fputc('\n', out);
    fprintf(out, "%s  (%s)\n", e->source_incident->id, e->source_incident->label);
    if (reckon_estimate_parent(e))
      fprintf(out, "  inside %s\n", reckon_estimate_parent(e));
    fprintf(out, "  %s%s%s: best %s, range %s  [%u claim%s, %u source%s, %u origin%s]%s%s\n",
            estimate_metric(e), who ? " / " : "", who ? who : "", best, range, e->n_members,
            e->n_members == 1 ? "" : "s", e->n_sources, e->n_sources == 1 ? "" : "s",
            e->n_origins, e->n_origins == 1 ? "" : "s", flags[0] ? "  flags: " : "", flags);
    g_free(flags);
    ReckonMember scratch[MEMBERS_SCRATCH], *held = NULL;
    const ReckonMember *records = members_view(e, scratch, MEMBERS_SCRATCH, &held);
    for (guint j = 0; j < e->n_members; j++) {
      const ReckonMember *m = &records[j];
      format_range(range, sizeof range, m->range.low, m->range.high);
      fprintf(out, "    %-10s %.2f  %s: %s -> %s (%s)\n", reckon_role_to_string(m->role), m->weight,
              m->source, m->value, range, reckon_kind_to_string(m->range.kind));
    }
    g_free(held);
  }
}

static gboolean flush_output(FILE *out, const char *what, GError **error)
{
  if (fflush(out) != 0 || ferror(out)) {
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "cannot write %s: %s", what, g_strerror(errno));
    return FALSE;
  }
  return TRUE;
}

static void csv_field(FILE *out, const char *s)
{
  if (!s)
    return;
  if (!strpbrk(s, ",\"\r\n")) {
    fputs(s, out);
    return;
  }
  fputc('"', out);
  for (; *s; s++) {
    if (*s == '"')
      fputc('"', out);
    fputc(*s, out);
  }
  fputc('"', out);
}

static void print_csv(const ReckonEngine *engine, FILE *out)
{
  fputs("incident,label,metric,who,low,best,high,level,claims,sources,flags,place,when,parent,"
        "origins\n",
        out);
  for (guint i = 0; i < engine->estimates->len; i++) {
    const ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, i);
    char low[32], high[32], best[32];
    format_count(low, sizeof low, e->low);
    format_count(high, sizeof high, e->high);
    format_best(best, sizeof best, e->best);
    char *flags = flags_text(e->flags, ";");
    csv_field(out, e->source_incident->id);
    fputc(',', out);
    csv_field(out, e->source_incident->label);
    fputc(',', out);
    csv_field(out, estimate_metric(e));
    fputc(',', out);
    csv_field(out, estimate_who(e));
    fprintf(out, ",%s,%s,%s,%g,%u,%u,", low, best, high,
            e->level, e->n_members, e->n_sources);
    csv_field(out, flags);
    fputc(',', out);
    csv_field(out, reckon_estimate_place(e));
    fputc(',', out);
    csv_field(out, reckon_estimate_when(e));
    fputc(',', out);
    csv_field(out, reckon_estimate_parent(e));
    fprintf(out, ",%u\n", e->n_origins);
    g_free(flags);
  }
}

/* Estimates a thread formats at a time into one text. */
#define FORMAT_BLOCK 128

/* Blocks formatted between two writes: enough for every thread to take
 * several, few enough that the texts stay a few megabytes. */
#define FORMAT_ROUND 32

typedef struct {
  const GArray *estimates;
  guint first, n; /* the round's estimates */
  gboolean extras; /* the engine's any_extra */
  GString **texts; /* one per block */
} FormatJob;

static void format_blocks(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  const FormatJob *job = data;
  for (guint b = from; b < to; b++) {
    GString *text = job->texts[b];
    g_string_truncate(text, 0);
    guint start = job->first + b * FORMAT_BLOCK;
    guint end = MIN(start + FORMAT_BLOCK, job->first + job->n);
    for (guint i = start; i < end; i++) {
      estimate_write_jsonl(&g_array_index(job->estimates, ReckonEstimate, i), job->extras, text);
      g_string_append_c(text, '\n');
    }
  }
}

/* JSON Lines, formatted in blocks on the engine's threads and written in
 * order, a round of blocks at a time: the bytes do not depend on the
 * number of threads. */
static void write_jsonl(const ReckonEngine *engine, FILE *out)
{
  guint n = engine->estimates->len;
  guint n_threads = parallel_threads(&engine->opts);
  GString *texts[FORMAT_ROUND];
  for (guint b = 0; b < FORMAT_ROUND; b++)
    texts[b] = g_string_sized_new(FORMAT_BLOCK * 1024);
  for (guint first = 0; first < n; first += FORMAT_ROUND * FORMAT_BLOCK) {
    FormatJob job = {engine->estimates, first, MIN(FORMAT_ROUND * FORMAT_BLOCK, n - first),
                     engine->any_extra, texts};
    guint n_blocks = (job.n + FORMAT_BLOCK - 1) / FORMAT_BLOCK;
    parallel_run(n_blocks, 1, n_threads, NULL, format_blocks, &job);
    for (guint b = 0; b < n_blocks; b++)
      fwrite(texts[b]->str, 1, texts[b]->len, out);
  }
  for (guint b = 0; b < FORMAT_ROUND; b++)
    g_string_free(texts[b], TRUE);
}

gboolean reckon_engine_write(const ReckonEngine *engine, ReckonFormat format, FILE *out,
                             GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(out != NULL, FALSE);
  guint n = engine->estimates->len;
  switch (format) {
  case RECKON_FORMAT_TABLE:
    print_table(engine, out);
    break;
  case RECKON_FORMAT_CSV:
    print_csv(engine, out);
    break;
  case RECKON_FORMAT_JSON:
    fputs("[", out);
    for (guint i = 0; i < n; i++) {
      fputs(i ? ",\n" : "\n", out);
      print_json(&g_array_index(engine->estimates, ReckonEstimate, i), out);
    }
    fputs(n ? "\n]\n" : "]\n", out);
    break;
  case RECKON_FORMAT_JSONL:
  default:
    write_jsonl(engine, out);
    break;
  }
  return flush_output(out, "output", error);
}
/* A name as a table field: '|' would split it. */
static char *table_name(const char *name)
{
  char *s = g_strdup(name);
  for (char *p = s; *p; p++)
    if (*p == '|')
      *p = '/';
  return s;
}

static cJSON *source_json(const ReckonSource *s)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "source", s->name);
  cJSON_AddStringToObject(o, "kind", s->kind);
  cJSON_AddNumberToObject(o, "claims", s->claims);
  cJSON_AddNumberToObject(o, "judged", s->judged);
  cJSON_AddNumberToObject(o, "reliability", round(s->reliability * 1000) / 1000);
  cJSON_AddNumberToObject(o, "bias", round(s->bias * 1000) / 1000);
  cJSON_AddNumberToObject(o, "prior", round(s->prior * 1000) / 1000);
  cJSON_AddNumberToObject(o, "spread", round(s->spread * 1000) / 1000);
  return o;
}

gboolean reckon_engine_write_sources(const ReckonEngine *engine, ReckonFormat format, FILE *out,
                                     GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);
  g_return_val_if_fail(out != NULL, FALSE);
  guint n = engine->sources->len;
  if (format == RECKON_FORMAT_TABLE) {
    int width = 6;
    for (guint i = 0; i < n; i++)
      width = MAX(width, (int)g_utf8_strlen(reckon_engine_source(engine, i)->name, -1));
    fprintf(out, "# reckon sources, learned from the claims of one run: reliability (the probability\n"
                 "# that a claim is honest), bias (typical ratio of its figures to the consensus)\n"
                 "# and spread (how far, in ln, its honest figures stray); judged claims are those\n"
                 "# another origin could check.  'reckon run --priors FILE' gives them to a later run.\n"
                 "# %-*s | kind           | claims | judged | reliability | bias  | spread\n", width - 2, "source");
    for (guint i = 0; i < n; i++) {
      const ReckonSource *s = reckon_engine_source(engine, i);
      char *name = table_name(s->name);
      /* Pad by characters, not bytes, so names with accents line up. */
      int pad = width - (int)g_utf8_strlen(name, -1);
      fprintf(out, "%s%*s | %-14s | %6u | %6u | %11.3f | %.3f | %.3f\n", name, MAX(pad, 0), "", s->kind,
              s->claims, s->judged, s->reliability, s->bias, s->spread);
      g_free(name);
    }
  } else if (format == RECKON_FORMAT_CSV) {
    fputs("source,kind,claims,judged,reliability,bias,prior,spread\n", out);
    for (guint i = 0; i < n; i++) {
      const ReckonSource *s = reckon_engine_source(engine, i);
      csv_field(out, s->name);
      fputc(',', out);
      csv_field(out, s->kind);
      fprintf(out, ",%u,%u,%.3f,%.3f,%.3f,%.3f\n", s->claims, s->judged, s->reliability, s->bias, s->prior,
              s->spread);
    }
  } else {
    gboolean array = format == RECKON_FORMAT_JSON;
    if (array)
      fputs("[", out);
    for (guint i = 0; i < n; i++) {
      cJSON *o = source_json(reckon_engine_source(engine, i));
      char *text = cJSON_PrintUnformatted(o);
      fprintf(out, "%s%s%s", array ? (i ? ",\n" : "\n") : "", text, array ? "" : "\n");
      cJSON_free(text);
      cJSON_Delete(o);
    }
    if (array)
      fputs(n ? "\n]\n" : "]\n", out);
  }
  return flush_output(out, "sources", error);
}

