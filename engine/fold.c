/*
 * fold.c - Unicode-aware folding of names (see fold.h), built on GLib's
 * normalisation and case folding.
 */
#include "fold.h"

#include <string.h>

static char *fold(const char *text, gboolean names_only)
{
  /* Decompose so accents become separate combining marks we can drop,
   * and compatibility forms (ligatures, full-width digits) become plain. */
  char *nfkd = g_utf8_normalize(text, -1, G_NORMALIZE_ALL);
  if (!nfkd)
    return g_strdup("");
  char *folded = g_utf8_casefold(nfkd, -1);
  g_free(nfkd);

  GString *out = g_string_sized_new(strlen(folded));
  gboolean pending_space = FALSE;
  for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    GUnicodeType type = g_unichar_type(c);
    if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
        type == G_UNICODE_ENCLOSING_MARK || type == G_UNICODE_FORMAT)
      continue;
    gboolean blank = g_unichar_isspace(c) || (names_only && !g_unichar_isalnum(c));
    /* Apostrophes inside names ("Ma'arrat") join rather than split. */
    if (names_only && (c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x02BF || c == 0x02BE))
      continue;
    if (blank) {
      pending_space = out->len > 0;
      continue;
    }
    if (pending_space)
      g_string_append_c(out, ' ');
    pending_space = FALSE;
    g_string_append_unichar(out, c);
  }
  g_free(folded);
  return g_string_free(out, FALSE);
}

char *fold_words(const char *text)
{
  return fold(text, FALSE);
}

char *fold_name(const char *text)
{
  return fold(text, TRUE);
}

char *fold_slug(const char *text)
{
  char *slug = fold(text, TRUE);
  for (char *p = slug; *p; p++)
    if (*p == ' ')
      *p = '-';
  return slug;
}
