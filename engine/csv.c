/*
 * csv.c - claims as CSV (RFC 4180): a header row naming the columns, then
 * one claim per record.  Columns carry the names of claims format v1 with
 * the incident's fields as columns of their own (where, when, what, key)
 * and via separated by ';'.  Each record becomes the JSON object the same
 * claim would be in JSON Lines and goes through the same checks
 * (reader.c), so a claim reads alike in both formats.  input.c decides
 * that a text is CSV; this file only reads it.
 *
 * A record that cannot be split (a quote left open, text after a closing
 * quote) is rejected with its first line only and reading goes on at the
 * next line, so one stray quote does not swallow the claims after it.
 */
#include <string.h>

#include "reader.h"

static const char *const incident_columns[] = {"where", "when", "what", "key", NULL};

/* Finds the end of the record at @p: the line end that is not inside
 * quotes, or @stop.  Copies nothing, so a runaway record costs one pass.
 * Sets *lines to the line ends inside quoted fields.  Returns NULL, or why
 * the record cannot be split. */
static const char *record_end(const char *p, const char *stop, const char **end, guint *lines)
{
  gboolean field_start = TRUE;
  *lines = 0;
  while (p < stop && *p != '\n') {
    if (field_start) {
      const char *q = p;
      while (q < stop && (*q == ' ' || *q == '\t'))
        q++;
      if (q < stop && *q == '"') {
        for (p = q + 1;; p++) {
          if (p >= stop)
            return "quoted field is not closed";
          if (*p == '"' && p + 1 < stop && p[1] == '"')
            p++;
          else if (*p == '"')
            break;
          else
            *lines += *p == '\n';
        }
        p++;
        while (p < stop && (*p == ' ' || *p == '\t' || (*p == '\r' && (p + 1 == stop || p[1] == '\n'))))
          p++;
        if (p < stop && *p != ',' && *p != '\n')
          return "text after a closing quote";
        field_start = FALSE;
        continue;
      }
    }
    field_start = *p == ',';
    p++;
  }
  *end = p;
  return NULL;
}

/* Splits a record that record_end() accepted into its fields, unquoted
 * and trimmed. */
static GPtrArray *split_fields(const char *p, const char *end)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
  GString *cell = g_string_new(NULL);
  for (;;) {
    g_string_truncate(cell, 0);
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t'))
      q++;
    if (q < end && *q == '"') {
      for (p = q + 1; p < end; p++) {
        if (*p == '"' && p + 1 < end && p[1] == '"')
          p++;
        else if (*p == '"')
          break;
        g_string_append_c(cell, *p);
      }
      while (p < end && *p != ',')
        p++;
    } else {
      const char *comma = memchr(p, ',', end - p);
      const char *stop = comma ? comma : end;
      g_string_append_len(cell, p, stop - p);
      p = stop;
    }
    g_ptr_array_add(fields, g_strstrip(g_strdup(cell->str)));
    if (p >= end)
      break;
    p++; /* the comma */
  }
  g_string_free(cell, TRUE);
  return fields;
}

/* The column names of a header, normalised: the names of the format are
 * matched without regard to case or surrounding blanks ("Source"), other
 * names are kept as written, for the fields passed through.  NULL with
 * *reason when a name repeats or flattening would be ambiguous. */
static GPtrArray *read_header(GPtrArray *fields, char **reason)
{
  static const char *const format_columns[] = {
    "id", "source", "via", "doc", "published", "as_of", "metric", "who", "value", "quote",
    "where", "when", "what", "key", NULL,
  };
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal); /* a header may be wide */
  for (guint i = 0; i < fields->len && !*reason; i++) {
    const char *f = g_ptr_array_index(fields, i);
    char *lower = g_ascii_strdown(f, -1);
    char *name = g_strv_contains(format_columns, lower) ? g_strdup(lower) : g_strdup(f);
    g_free(lower);
    g_ptr_array_add(names, name);
    if (strcmp(name, "incident") == 0)
      *reason = g_strdup("CSV header: column 'incident' cannot be flattened (use the columns "
                         "where, when, what and key)");
    else if (name[0] && !g_hash_table_add(seen, name))
      *reason = g_strdup_printf("CSV header: column '%s' appears twice", name);
  }
  g_hash_table_unref(seen);
  if (*reason) {
    g_ptr_array_unref(names);
    return NULL;
  }
  if (!g_ptr_array_find_with_equal_func(names, "source", g_str_equal, NULL)) {
    *reason = g_strdup("CSV header has no 'source' column");
    g_ptr_array_unref(names);
    return NULL;
  }
  return names;
}

/* The claim object of one record; NULL with *reason when its cells do not
 * fit the header. */
static cJSON *record_object(const GPtrArray *names, const GPtrArray *cells, char **reason)
{
  if (cells->len != names->len) {
    *reason = g_strdup_printf("CSV record has %u fields, the header %u", cells->len, names->len);
    return NULL;
  }
  cJSON *obj = cJSON_CreateObject();
  cJSON *incident = cJSON_CreateObject();
  for (guint i = 0; i < cells->len; i++) {
    const char *name = g_ptr_array_index(names, i), *cell = g_ptr_array_index(cells, i);
    if (!cell[0])
      continue; /* an empty cell is an absent field */
    if (!name[0]) {
      *reason = g_strdup_printf("CSV column %u has a value but no name in the header", i + 1);
      cJSON_Delete(incident);
      cJSON_Delete(obj);
      return NULL;
    }
    if (g_strv_contains(incident_columns, name)) {
      cJSON_AddStringToObject(incident, name, cell);
    } else if (strcmp(name, "via") == 0) {
      cJSON *via = cJSON_AddArrayToObject(obj, "via");
      char **parts = g_strsplit(cell, ";", -1);
      for (char **v = parts; *v; v++)
        if (g_strstrip(*v)[0])
          cJSON_AddItemToArray(via, cJSON_CreateString(*v));
      g_strfreev(parts);
    } else {
      cJSON_AddStringToObject(obj, name, cell);
    }
  }
  /* Always there, so a record without where or when is told what it lacks. */
  cJSON_AddItemToObject(obj, "incident", incident);
  return obj;
}

/* The first line of the record at @start, for a record that could not be
 * split: where reading goes on, and the text its reject shows. */
static const char *first_line_end(const char *start, const char *stop)
{
  const char *nl = memchr(start, '\n', stop - start);
  return nl ? nl : stop;
}

gboolean csv_names_source(const char *data, gsize len)
{
  const char *end;
  guint lines;
  /* A header is a line of names: a longer first line is not one. */
  if (record_end(data, data + MIN(len, 65536), &end, &lines) || end == data + 65536)
    return FALSE;
  GPtrArray *fields = split_fields(data, end);
  gboolean found = FALSE;
  for (guint i = 0; i < fields->len && !found; i++)
    found = g_ascii_strcasecmp(g_ptr_array_index(fields, i), "source") == 0;
  g_ptr_array_unref(fields);
  return found;
}

gboolean csv_load(ReckonEngine *engine, const char *name, const char *data, gsize len,
                  GError **error)
{
  const char *p = data, *stop = data + len;
  guint line = 1;
  GPtrArray *header = NULL;
  gboolean ok = TRUE;
  while (ok && p < stop) {
    const char *start = p, *end;
    guint start_line = line, inner;
    char *reason = NULL;
    ReckonError code = RECKON_ERROR_INPUT;
    const char *why = record_end(p, stop, &end, &inner);
    if (why) {
      end = first_line_end(start, stop);
      reason = header ? g_strdup(why) : g_strdup_printf("CSV header: %s", why);
      line++;
    } else {
      line += inner + 1;
    }
    p = end < stop ? end + 1 : stop;
    const char *text_end = end > start && end[-1] == '\r' ? end - 1 : end;
    if (!reason && reader_blank(start, text_end))
      continue;

    if (!reason)
      reader_check_text(engine, start, text_end - start, &reason, &code);
    GPtrArray *cells = reason ? NULL : split_fields(start, text_end);
    cJSON *obj = NULL;
    if (cells && !header)
      header = read_header(cells, &reason);
    else if (cells)
      obj = record_object(header, cells, &reason);
    if (cells)
      g_ptr_array_unref(cells);

    if (obj)
      ok = reader_take_claim(engine, name, start_line, obj, start, text_end - start, error);
    else if (reason)
      ok = reader_reject(engine, code, name, start_line, NULL, reason, start, text_end - start,
                         error);
    cJSON_Delete(obj);
    g_free(reason);
    /* Without a header no record can be read: the file is one reject. */
    if (!header)
      break;
  }
  if (header)
    g_ptr_array_unref(header);
  return ok;
}
