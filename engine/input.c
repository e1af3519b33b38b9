/*
 * input.c - the front of the first stage: finds the claims in a file's
 * text and holds each to the limits of ReckonOptions before it is parsed.
 * It refuses text in other Unicode encodings, skips a UTF-8 byte-order
 * mark, and tells the formats apart: JSON Lines (CR LF line ends too), one
 * JSON array split into its elements, or CSV (csv.c).  Each claim's text
 * then goes to reader.c, which checks the claim field by field.
 */
#include <string.h>

#include "jsonpack.h"
#include "reader.h"
#include "reckon/error.h"

/* The bytes at the start of @text that are ASCII and not NUL, sixteen and
 * then eight at a time: claims are mostly ASCII, and such a run needs no
 * decoding. */
static gsize ascii_prefix(const char *text, gsize len)
{
  const guint64 high = G_GUINT64_CONSTANT(0x8080808080808080);
  const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
  gsize i = 0;
  for (; i + 16 <= len; i += 16) {
    guint64 a, b;
    memcpy(&a, text + i, sizeof a);
    memcpy(&b, text + i + 8, sizeof b);
    if (((a | b) & high) || (((a - ones) & ~a) | ((b - ones) & ~b)) & high)
      break; /* the eight at a time below find where */
  }
  for (; i + 8 <= len; i += 8) {
    guint64 w;
    memcpy(&w, text + i, sizeof w);
    if ((w & high) || ((w - ones) & ~w & high)) /* a byte >= 0x80, or a NUL */
      break;
  }
  while (i < len && (guchar)text[i] - 1u < 0x7Fu)
    i++;
  return i;
}

gboolean reader_check_text(const ReckonEngine *engine, const char *text, gsize len,
                           char **reason, ReckonError *code)
{
  *code = RECKON_ERROR_LIMIT;
  if (len > engine->opts.max_claim_bytes) {
    *reason = g_strdup_printf("claim is %" G_GSIZE_FORMAT " bytes, longer than the limit of %"
                              G_GSIZE_FORMAT " bytes",
                              len, engine->opts.max_claim_bytes);
    return FALSE;
  }
  *code = RECKON_ERROR_INPUT;
  const char *bad;
  gsize ascii = ascii_prefix(text, len);
  if (!g_utf8_validate_len(text + ascii, len - ascii, &bad)) {
    gsize at = (gsize)(bad - text) + 1;
    *reason = *bad ? g_strdup_printf("invalid UTF-8 at byte %" G_GSIZE_FORMAT, at)
                   : g_strdup_printf("NUL byte at byte %" G_GSIZE_FORMAT, at);
    return FALSE;
  }
  return TRUE;
}

/* What scan_json() found that cJSON would not say clearly, or would not
 * notice at all. */
typedef enum {
  SCAN_OK,
  SCAN_TOO_DEEP,    /* more open brackets than max_depth, at *at */
  SCAN_NUL_ESCAPE,  /* "\u0000" in a string, at *at */
  SCAN_UNFINISHED,  /* the text ends inside a string or an open bracket */
} ScanResult;

/* One pass over a claim's JSON text before cJSON sees it.  It bounds the
 * nesting, since cJSON recurses once per level (and so do the copies of
 * fields passed through); it finds "\u0000", which cJSON would turn into
 * a string silently cut short; and it tells a truncated claim from one
 * that is malformed inside. */
static ScanResult scan_json(const char *text, gsize len, guint max_depth, gsize *at)
{
  char open[RECKON_MAX_DEPTH_LIMIT]; /* the brackets still open, innermost last */
  guint depth = 0;
  gboolean in_string = FALSE, mismatch = FALSE;
  for (gsize i = 0; i < len; i++) {
    if (in_string) /* nothing inside a string matters but its end and escapes */
      while (i < len && text[i] != '"' && text[i] != '\\')
        i++;
    if (i == len)
      break;
    char c = text[i];
    if (in_string) {
      if (c == '"') {
        in_string = FALSE;
      } else if (c == '\\' && i + 1 < len) {
        if (text[i + 1] == 'u' && i + 6 <= len && g_ascii_strncasecmp(text + i + 2, "0000", 4) == 0) {
          *at = i;
          return SCAN_NUL_ESCAPE;
        }
        i++;
      }
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '{' || c == '[') {
      if (depth == max_depth) {
        *at = i;
        return SCAN_TOO_DEEP;
      }
      open[depth++] = c == '{' ? '}' : ']';
    } else if (c == '}' || c == ']') {
      if (depth == 0 || open[depth - 1] != c)
        mismatch = TRUE;
      else
        depth--;
    }
  }
  return (in_string || depth > 0) && !mismatch ? SCAN_UNFINISHED : SCAN_OK;
}

/* input_parse() of a text within the limits. */
static void parse_checked(const ReckonEngine *engine, ParsedText *t)
{
  gsize at = 0, len = t->len;
  const char *text = t->text;
  ScanResult scan = scan_json(text, len, engine->opts.max_depth, &at);
  t->code = scan == SCAN_TOO_DEEP ? RECKON_ERROR_LIMIT : RECKON_ERROR_INPUT;
  if (scan == SCAN_TOO_DEEP) {
    t->reason = g_strdup_printf("JSON nested deeper than the limit of %u levels (at column %"
                                G_GSIZE_FORMAT ")", engine->opts.max_depth, at + 1);
    return;
  }
  if (scan == SCAN_NUL_ESCAPE) {
    t->reason = g_strdup_printf("string holds \\u0000, a NUL character (at column %"
                                G_GSIZE_FORMAT ")", at + 1);
    return;
  }
  /* On failure cJSON points @end at the error: unlike cJSON_GetErrorPtr()
   * that is not shared between threads.  (cJSON still records the error
   * in a global of its own as well, which nothing here reads.) */
  const char *end = NULL;
  t->obj = cJSON_ParseWithLengthOpts(text, len, &end, FALSE);
  if (!t->obj) {
    if (scan == SCAN_UNFINISHED)
      t->reason = g_strdup("JSON ends before the claim does (a truncated line?)");
    else if (end && end >= text && end <= text + len)
      t->reason = g_strdup_printf("malformed JSON at column %" G_GSIZE_FORMAT,
                                  (gsize)(end - text) + 1);
    else
      t->reason = g_strdup("malformed JSON");
  } else if (end && !reader_blank(end, text + len)) {
    /* Anything but blanks after the object means two values on one line. */
    t->reason = g_strdup("text after the JSON value");
    cJSON_Delete(t->obj);
    t->obj = NULL;
  }
}

void input_parse(const ReckonEngine *engine, ParsedText *t)
{
  t->obj = NULL;
  t->reason = NULL;
  if (reader_check_text(engine, t->text, t->full_len, &t->reason, &t->code))
    parse_checked(engine, t);
}

void input_parse_packed(const ReckonEngine *engine, ParsedText *t, Slab *slab)
{
  t->obj = NULL;
  t->reason = NULL;
  if (!reader_check_text(engine, t->text, t->full_len, &t->reason, &t->code))
    return;
  /* A claim jsonpack_parse() reads needs no scan: it would find nothing
   * scan_json() reports but nesting, which jsonpack_parse() bounds. */
  t->obj = jsonpack_parse(slab, t->text, t->len, engine->opts.max_depth, reader_shared_name);
  if (!t->obj) {
    parse_checked(engine, t);
    if (t->obj) {
      cJSON *packed = jsonpack_copy(slab, t->obj);
      cJSON_Delete(t->obj);
      t->obj = packed;
    }
  }
  t->packed = t->obj != NULL;
}

gboolean input_take(ReckonEngine *engine, const char *file, const ParsedText *t, GError **error)
{
  if (t->obj && t->found)
    return reader_take_fields(engine, file, t->line, t->obj, &t->fields, t->text, t->len, error);
  if (t->obj)
    return reader_take_claim(engine, file, t->line, t->obj, t->text, t->len, error);
  return reader_reject(engine, t->code, file, t->line, NULL, t->reason, t->text, t->len, error);
}

void input_clear(ParsedText *t)
{
  if (!t->packed)
    cJSON_Delete(t->obj);
  if (t->found)
    reader_fields_clear(&t->fields);
  t->found = FALSE;
  g_free(t->reason);
  t->obj = NULL;
  t->reason = NULL;
}

/* Checks and parses one JSON text (an element of an array) and takes it. */
static gboolean take_text(ReckonEngine *engine, const char *file, guint line, const char *text,
                          gsize len, GError **error)
{
  ParsedText t = {.text = text, .len = len, .full_len = len, .line = line};
  input_parse(engine, &t);
  gboolean ok = input_take(engine, file, &t, error);
  input_clear(&t);
  return ok;
}

gboolean reader_blank(const char *p, const char *end)
{
  for (; p < end; p++)
    if (!g_ascii_isspace(*p))
      return FALSE;
  return TRUE;
}

/* After a bracket that does not match, skip to the next line that starts a
 * new object, so one broken element does not swallow the ones after it. */
static const char *resync(const char *p, const char *stop, guint *line)
{
  for (; p < stop; p++) {
    if (*p != '\n')
      continue;
    const char *q = p + 1;
    while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    if (q < stop && *q == '{')
      return p;
    (*line)++;
  }
  return stop;
}

/* A JSON array is split into its elements by a small scanner that tracks
 * strings and bracket nesting, so one malformed element is rejected on its
 * own and each claim gets the line it starts on.  Each element then goes
 * through take_text() like a line of JSON Lines. */
static gboolean load_array(ReckonEngine *engine, const char *name, const char *data, gsize len,
                           const char *open, guint line, GError **error)
{
  const char *p = open + 1, *stop = data + len;
  for (;;) {
    while (p < stop && (g_ascii_isspace(*p) || *p == ',')) {
      line += *p == '\n';
      p++;
    }
    if (p >= stop)
      return reader_reject(engine, RECKON_ERROR_INPUT, name, line, NULL,
                           "JSON array is not closed with ']'", NULL, 0, error);
    if (*p == ']')
      break;
    const char *start = p;
    guint start_line = line;
    GString *closers = g_string_new(NULL); /* the brackets still open, innermost last */
    gboolean in_string = FALSE;
    for (; p < stop; p++) {
      char c = *p;
      line += c == '\n';
      if (in_string) {
        if (c == '\\' && p + 1 < stop) {
          p++;
          line += *p == '\n';
        } else if (c == '"') {
          in_string = FALSE;
        }
      } else if (c == '"') {
        in_string = TRUE;
      } else if (c == '{' || c == '[') {
        g_string_append_c(closers, c == '{' ? '}' : ']');
      } else if (c == '}' || c == ']') {
        if (closers->len == 0)
          break; /* the outer array's ']' (or a stray '}') */
        if (closers->str[closers->len - 1] != c) {
          p = resync(p, stop, &line);
          break;
        }
        g_string_truncate(closers, closers->len - 1);
        if (closers->len == 0) {
          p++;
          break;
        }
      } else if (c == ',' && closers->len == 0) {
        break;
      }
    }
    g_string_free(closers, TRUE);
    if (!take_text(engine, name, start_line, start, p - start, error))
      return FALSE;
    if (p < stop && *p == '}') {
      /* A stray closer at the top level: skip it, it was part of the element. */
      p++;
    }
  }
  if (!reader_blank(p + 1, stop))
    return reader_reject(engine, RECKON_ERROR_INPUT, name, line, NULL, "text after the JSON array",
                         NULL, 0, error);
  return TRUE;
}

/* Text in another Unicode encoding than UTF-8 is recognised by its
 * byte-order mark, or by NUL bytes between its first two characters (as
 * ASCII text is in UTF-16), and refused as a whole: read line by line it
 * would only give one baffling reject per line.  A NUL byte anywhere else
 * is one bad line, not a file in another encoding.  Returns the
 * encoding's name, or NULL. */
static const char *other_encoding(const guchar *p, gsize len)
{
  if (len >= 4 && memcmp(p, "\xFF\xFE\0\0", 4) == 0)
    return "UTF-32LE";
  if (len >= 4 && memcmp(p, "\0\0\xFE\xFF", 4) == 0)
    return "UTF-32BE";
  if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE)
    return "UTF-16LE";
  if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF)
    return "UTF-16BE";
  if (len >= 4 && p[0] && p[0] < 0x80 && !p[1] && p[2] && p[2] < 0x80 && !p[3])
    return "UTF-16LE";
  if (len >= 4 && !p[0] && p[1] && p[1] < 0x80 && !p[2] && p[3] && p[3] < 0x80)
    return "UTF-16BE";
  return NULL;
}

static gboolean named_csv(const char *name)
{
  gsize n = strlen(name);
  return n >= 4 && g_ascii_strcasecmp(name + n - 4, ".csv") == 0;
}

/* CSV is read when the name says so, else when the text does not start
 * like JSON and its first line names the "source" column. */
static gboolean is_csv(const char *name, const char *p, const char *stop)
{
  if (named_csv(name))
    return TRUE;
  if (p >= stop || *p == '{' || *p == '[')
    return FALSE;
  return csv_names_source(p, stop - p);
}

static gsize bom_length(const char *data, gsize len)
{
  return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* The choice reader_load_text() makes, made on the start of a file: JSON
 * Lines is text that starts with '{' (after a byte-order mark and blanks)
 * and is not named .csv. */
gboolean input_is_lines(const char *name, const char *data, gsize len, gsize *skip)
{
  *skip = 0;
  if (other_encoding((const guchar *)data, len) || named_csv(name))
    return FALSE;
  *skip = bom_length(data, len);
  const char *p = data + *skip, *stop = data + len;
  while (p < stop && g_ascii_isspace(*p))
    p++;
  return p < stop && *p == '{';
}

gboolean reader_load_text(ReckonEngine *engine, const char *name, const char *data, gsize len,
                          GError **error)
{
  const char *encoding = other_encoding((const guchar *)data, len);
  if (encoding) {
    char *reason = g_strdup_printf("the file is %s text; reckon reads UTF-8 (convert it, for "
                                   "example with iconv -f %s -t UTF-8)", encoding, encoding);
    gboolean ok = reader_reject(engine, RECKON_ERROR_INPUT, name, 1, NULL, reason, NULL, 0, error);
    g_free(reason);
    return ok;
  }
  /* A byte-order mark from some editors says nothing in UTF-8: skip it. */
  gsize skip = bom_length(data, len);
  data += skip;
  len -= skip;
  const char *p = data, *stop = data + len;
  guint line = 1;
  while (p < stop && g_ascii_isspace(*p)) {
    line += *p == '\n';
    p++;
  }
  if (is_csv(name, p, stop))
    return csv_load(engine, name, data, len, error);
  if (p < stop && *p == '[')
    return load_array(engine, name, data, len, p, line, error);
  return lines_load_text(engine, name, data, len, error);
}

/* How deep @json nests, counting up to @limit + 1 at most.  Iterative, so
 * a tree built deeper than any stack by a caller is measured safely. */
static guint json_depth(const cJSON *json, guint limit)
{
  typedef struct {
    const cJSON *item;
    guint depth;
  } Frame;
  GArray *stack = g_array_new(FALSE, FALSE, sizeof(Frame));
  Frame top = {json, 1};
  g_array_append_val(stack, top);
  guint deepest = 0;
  while (stack->len && deepest <= limit) {
    Frame f = g_array_index(stack, Frame, stack->len - 1);
    g_array_set_size(stack, stack->len - 1);
    if (!json_is_object(f.item) && !json_is_array(f.item))
      continue;
    deepest = MAX(deepest, f.depth);
    for (const cJSON *c = f.item->child; c; c = c->next) {
      Frame child = {c, f.depth + 1};
      g_array_append_val(stack, child);
    }
  }
  g_array_unref(stack);
  return deepest;
}

/* Takes one parsed claim, held to the nesting limit like a text one. */
static gboolean take_json(ReckonEngine *engine, const char *name, guint line, const cJSON *json,
                          GError **error)
{
  guint limit = engine->opts.max_depth;
  if (json_depth(json, limit) > limit) {
    char *reason = g_strdup_printf("JSON nested deeper than the limit of %u levels", limit);
    gboolean ok = reader_reject(engine, RECKON_ERROR_LIMIT, name, line, NULL, reason, NULL, 0, error);
    g_free(reason);
    return ok;
  }
  return reader_take_claim(engine, name, line, json, NULL, 0, error);
}

gboolean reader_load_json(ReckonEngine *engine, const char *name, const cJSON *json,
                          GError **error)
{
  if (json_is_array(json)) {
    guint n = 0;
    for (const cJSON *c = json->child; c; c = c->next)
      if (!take_json(engine, name, ++n, c, error))
        return FALSE;
    return TRUE;
  }
  return take_json(engine, name, 1, json, error);
}

gboolean reader_take_text(ReckonEngine *engine, const char *file, guint line, const char *text,
                          gsize len, GError **error)
{
  return take_text(engine, file, line, text, len, error);
}
