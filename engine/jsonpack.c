/*
 * jsonpack.c - claim trees in slabs, for the reading stage's blocks of
 * lines (lines.c).  A tree cJSON builds is a node and a string or two per
 * value, each from malloc(), freed one by one after reading: for the
 * short, flat objects claims are, allocating and freeing cost more than
 * parsing.  Here the common claim is parsed straight into its block's
 * slab, in the order the reader walks it: the thread that takes it finds
 * it in a few contiguous lines of memory, and the block's trees are freed
 * at once, on any thread.  (A tree cJSON built on one thread and freed on
 * another cost the allocator more than the parse.)
 *
 * The tree is the one cJSON_ParseWithLengthOpts() builds, field for field,
 * for the JSON this parser reads: objects, arrays, strings with the short
 * escapes, numbers as JSON writes them, true, false and null, nested no
 * deeper than the engine's limit.  Anything else (a \u escape, a number
 * JSON would not write, any error) is left to cJSON, so every message
 * about bad input stays what cJSON's parse gives.  tests/test-jsonpack.c
 * holds the two to the same trees.
 */
#include "jsonpack.h"

#include <string.h>

static cJSON *new_node(Slab *s)
{
  G_STATIC_ASSERT(G_ALIGNOF(cJSON) <= 8);
  return slab_alloc0(s, sizeof(cJSON));
}

/* Links @child after *last in @parent's list of children. */
static void append_child(cJSON *parent, cJSON **last, cJSON *child)
{
  if (*last) {
    (*last)->next = child;
    child->prev = *last;
  } else {
    parent->child = child;
  }
  *last = child;
}

cJSON *jsonpack_copy(Slab *s, const cJSON *item)
{
  cJSON *c = new_node(s);
  *c = *item;
  c->next = c->prev = c->child = NULL;
  if (item->string)
    c->string = slab_strdup(s, item->string);
  if (item->valuestring)
    c->valuestring = slab_strdup(s, item->valuestring);
  cJSON *last = NULL;
  for (const cJSON *child = item->child; child; child = child->next)
    append_child(c, &last, jsonpack_copy(s, child));
  if (c->child)
    c->child->prev = last; /* as cJSON links a list */
  return c;
}

typedef struct {
  Slab *slab;
  const char *p, *end;
  guint depth, max_depth;
  JsonpackNameFunc shared_name;
} Parser;

/* cJSON counts every byte up to 32 as white space. */
static void skip_space(Parser *ps)
{
  while (ps->p < ps->end && (guchar)*ps->p <= 32)
    ps->p++;
}

/* The first '"' or '\\' in [@q, @end), or @end.  Eight bytes at a time
 * while eight remain: a claim is mostly the text of its strings, and a
 * byte at a time the search was over a tenth of a load's instructions.
 * In each word, a byte equal to the one sought leaves a zero in the XOR,
 * and the lowest bit of the zero-byte test marks the first such byte
 * exactly (bits above it may be false). */
static const char *string_stop(const char *q, const char *end)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101);
  const guint64 high = G_GUINT64_CONSTANT(0x8080808080808080);
  for (; end - q >= 8; q += 8) {
    guint64 w, quote, slash;
    memcpy(&w, q, sizeof w);
    quote = w ^ (ones * '"');
    slash = w ^ (ones * '\\');
    guint64 found = ((quote - ones) & ~quote & high) | ((slash - ones) & ~slash & high);
    if (found)
      return q + (__builtin_ctzll(found) >> 3);
  }
#endif
  while (q < end && *q != '"' && *q != '\\')
    q++;
  return q;
}

/* A string at ps->p (its opening quote); NULL to leave it to cJSON.
 * @name: it is a member's name, which the caller may share. */
static char *parse_string(Parser *ps, gboolean name)
{
  const char *start = ++ps->p, *q = start;
  gboolean escaped = FALSE;
  for (;;) {
    q = string_stop(q, ps->end);
    if (q >= ps->end)
      return NULL;
    if (*q == '"')
      break;
    escaped = TRUE; /* a backslash: the byte after it is never the end */
    q += 2;
  }
  gsize n = (gsize)(q - start);
  const char *shared = name && !escaped && ps->shared_name ? ps->shared_name(start, n) : NULL;
  if (shared) {
    ps->p = q + 1;
    return (char *)shared; /* never freed nor written: the slab's tree is freed whole */
  }
  char *out = slab_alloc(ps->slab, n + 1);
  if (!escaped) {
    memcpy(out, start, n);
    out[n] = '\0';
  } else {
    char *o = out;
    for (const char *r = start; r < q; r++) {
      if (*r != '\\') {
        *o++ = *r;
        continue;
      }
      switch (*++r) {
      case 'b': *o++ = '\b'; break;
      case 'f': *o++ = '\f'; break;
      case 'n': *o++ = '\n'; break;
      case 'r': *o++ = '\r'; break;
      case 't': *o++ = '\t'; break;
      case '"': case '\\': case '/': *o++ = *r; break;
      default: return NULL; /* \u and bad escapes: cJSON's */
      }
    }
    *o = '\0';
  }
  ps->p = q + 1;
  return out;
}

static gboolean is_digit(const char *p, const char *end)
{
  return p < end && g_ascii_isdigit(*p);
}

/* A number as JSON writes it, converted as cJSON converts it. */
static gboolean parse_number(Parser *ps, cJSON *item)
{
  const char *p = ps->p, *end = ps->end;
  if (p < end && *p == '-')
    p++;
  if (!is_digit(p, end))
    return FALSE;
  if (*p == '0')
    p++;
  else
    while (is_digit(p, end))
      p++;
  if (p < end && *p == '.') {
    if (!is_digit(++p, end))
      return FALSE;
    while (is_digit(p, end))
      p++;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-'))
      p++;
    if (!is_digit(p, end))
      return FALSE;
    while (is_digit(p, end))
      p++;
  }
  /* cJSON reads at most 63 characters of a number, and any of these
   * after it: leave such text to cJSON. */
  char buf[64];
  gsize n = (gsize)(p - ps->p);
  if (n >= sizeof buf || (p < end && *p && strchr("0123456789+-eE.", *p)))
    return FALSE;
  memcpy(buf, ps->p, n);
  buf[n] = '\0';
  double number = g_ascii_strtod(buf, NULL);
  item->valuedouble = number;
  if (number >= G_MAXINT)
    item->valueint = G_MAXINT;
  else if (number <= (double)G_MININT)
    item->valueint = G_MININT;
  else
    item->valueint = (int)number;
  item->type = cJSON_Number;
  ps->p = p;
  return TRUE;
}

static gboolean parse_value(Parser *ps, cJSON *item);

/* The members of an object or the elements of an array, up to @close. */
static gboolean parse_list(Parser *ps, cJSON *item, char close)
{
  if (ps->depth == ps->max_depth)
    return FALSE;
  ps->depth++;
  ps->p++;
  skip_space(ps);
  cJSON *last = NULL;
  if (ps->p < ps->end && *ps->p == close) {
    ps->p++;
    ps->depth--;
    return TRUE;
  }
  for (;;) {
    cJSON *c = new_node(ps->slab);
    if (close == '}') {
      if (ps->p >= ps->end || *ps->p != '"' || !(c->string = parse_string(ps, TRUE)))
        return FALSE;
      skip_space(ps);
      if (ps->p >= ps->end || *ps->p != ':')
        return FALSE;
      ps->p++;
      skip_space(ps);
    }
    if (!parse_value(ps, c))
      return FALSE;
    append_child(item, &last, c);
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == ',') {
      ps->p++;
      skip_space(ps);
      continue;
    }
    if (ps->p < ps->end && *ps->p == close)
      break;
    return FALSE;
  }
  item->child->prev = last; /* as cJSON links a list */
  ps->p++;
  ps->depth--;
  return TRUE;
}

static gboolean literal(Parser *ps, const char *word, gsize n)
{
  if ((gsize)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
    return FALSE;
  ps->p += n;
  return TRUE;
}

static gboolean parse_value(Parser *ps, cJSON *item)
{
  if (ps->p >= ps->end)
    return FALSE;
  switch (*ps->p) {
  case '{':
    item->type = cJSON_Object;
    return parse_list(ps, item, '}');
  case '[':
    item->type = cJSON_Array;
    return parse_list(ps, item, ']');
  case '"':
    item->type = cJSON_String;
    return (item->valuestring = parse_string(ps, FALSE)) != NULL;
  case 'n':
    item->type = cJSON_NULL;
    return literal(ps, "null", 4);
  case 'f':
    item->type = cJSON_False;
    return literal(ps, "false", 5);
  case 't':
    item->type = cJSON_True;
    item->valueint = 1;
    return literal(ps, "true", 4);
  default:
    return parse_number(ps, item);
  }
}

cJSON *jsonpack_parse(Slab *slab, const char *text, gsize len, guint max_depth,
                      JsonpackNameFunc shared_name)
{
  Parser ps = {
      .slab = slab, .p = text, .end = text + len, .max_depth = max_depth,
      .shared_name = shared_name,
  };
  skip_space(&ps);
  if (ps.p >= ps.end || *ps.p != '{')
    return NULL;
  cJSON *root = new_node(slab);
  if (!parse_value(&ps, root))
    return NULL;
  /* Blanks may follow the object, as reader_blank() counts them. */
  for (; ps.p < ps.end; ps.p++)
    if (!g_ascii_isspace(*ps.p))
      return NULL;
  return root;
}
