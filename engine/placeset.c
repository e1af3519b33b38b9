/*
 * placeset.c - a where text's reading as a whole (PlaceSet): its texts
 * joined by " + " read one by one (place.c), repeats and parts inside
 * another dropped, and how a reading is named and described for labels
 * and explain.
 */
#include "place.h"

#include <string.h>

#include "fold.h"

static int compare_parts(gconstpointer a, gconstpointer b)
{
  return strcmp(((const PlacePart *)a)->ref, ((const PlacePart *)b)->ref);
}

PlaceSet *place_set_read(const Places *places, PlaceMemo *memo, const char *where, gboolean wide)
{
  GArray *all = g_array_new(FALSE, FALSE, sizeof(PlacePart));
  if (!strstr(where, " + ")) {
    /* One text, as nearly all are: read without splitting (as
     * g_strsplit() does, "" gives none). */
    if (where[0])
      places_read(places, memo, where, wide, all);
  } else {
    char **texts = g_strsplit(where, " + ", -1);
    for (char **t = texts; *t; t++)
      places_read(places, memo, *t, wide, all);
    g_strfreev(texts);
  }
  g_array_sort(all, compare_parts);

  /* "Idlib and Sarmin" is Idlib: drop repeats and parts inside another. */
  PlaceSet *set = g_new0(PlaceSet, 1);
  set->parts = g_array_new(FALSE, FALSE, sizeof(PlacePart));
  g_array_set_clear_func(set->parts, (GDestroyNotify)place_part_clear);
  gboolean *drop = g_new0(gboolean, all->len + 1);
  for (guint i = 0; i < all->len; i++) {
    const PlacePart *p = &g_array_index(all, PlacePart, i);
    for (guint j = 0; !drop[i] && j < all->len; j++) {
      const PlacePart *q = &g_array_index(all, PlacePart, j);
      /* Of equal parts the first stays. */
      drop[i] = j != i && place_part_within(p, q) && (!place_part_within(q, p) || j < i);
    }
  }
  GString *ref = g_string_new(NULL);
  for (guint i = 0; i < all->len; i++) {
    PlacePart *p = &g_array_index(all, PlacePart, i);
    if (drop[i]) {
      place_part_clear(p);
      continue;
    }
    if (ref->len)
      g_string_append(ref, " + ");
    g_string_append(ref, p->ref);
    g_array_append_val(set->parts, *p);
  }
  g_free(drop);
  g_array_unref(all);
  set->ref = fold_text_exact(ref);
  const PlacePart *first = set->parts->len ? &g_array_index(set->parts, PlacePart, 0) : NULL;
  set->wide = set->parts->len > 1 || (first && first->place && place_kind_wide(first->place->kind));
  return set;
}

void place_set_free(PlaceSet *set)
{
  if (!set)
    return;
  g_array_unref(set->parts);
  g_free(set->ref);
  g_free(set);
}

gboolean place_set_within(const PlaceSet *inner, const PlaceSet *outer)
{
  for (guint i = 0; i < inner->parts->len; i++) {
    gboolean inside = FALSE;
    for (guint j = 0; !inside && j < outer->parts->len; j++)
      inside = place_part_within(&g_array_index(inner->parts, PlacePart, i),
                                 &g_array_index(outer->parts, PlacePart, j));
    if (!inside)
      return FALSE;
  }
  return TRUE;
}

char *place_part_name(const PlacePart *part)
{
  if (part->place)
    return g_strdup(part->place->node.name);
  /* A place outside the gazetteer keeps its folded words, capitalised;
   * every incident is named by one, so ASCII names skip the Unicode tables. */
  const char *q = part->name;
  while (*q && !(*q & 0x80))
    q++;
  if (!*q) {
    char *out = g_strdup(part->name);
    for (char *p = out; *p; p++)
      if (p == out || p[-1] == ' ')
        *p = g_ascii_toupper(*p);
    return out;
  }
  GString *s = g_string_new(NULL);
  gboolean start = TRUE;
  for (const char *p = part->name; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    g_string_append_unichar(s, start ? g_unichar_totitle(c) : c);
    start = c == ' ';
  }
  return g_string_free(s, FALSE);
}

static int compare_depth(gconstpointer a, gconstpointer b)
{
  const Place *x = *(Place *const *)a, *y = *(Place *const *)b;
  if (x->node.depth != y->node.depth)
    return x->node.depth > y->node.depth ? -1 : 1;
  return strcmp(x->node.slug, y->node.slug);
}

void place_part_describe(const PlacePart *part, GString *out)
{
  char *name = place_part_name(part);
  g_string_append(out, name);
  g_free(name);
  if (!part->place) {
    g_string_append(out, part->how == PLACE_READ_AMBIGUOUS
                             ? " (a name of several places, read as written)"
                             : " (not in the gazetteer)");
  } else {
    g_string_append_printf(out, " (%s", place_kind_name(part->place->kind));
    GPtrArray *around = g_ptr_array_copy(part->place->node.ancestors, NULL, NULL);
    g_ptr_array_sort(around, compare_depth);
    for (guint i = 0; i < around->len; i++)
      g_string_append_printf(out, "%s%s", i ? ", " : ", in ",
                             ((const Place *)g_ptr_array_index(around, i))->node.name);
    g_ptr_array_unref(around);
    g_string_append_c(out, ')');
  }
  if (part->site)
    g_string_append_printf(out, ", at the site \"%s\"", part->site);
}

void place_set_describe_reading(const PlaceSet *set, GString *out)
{
  for (guint i = 0; i < set->parts->len; i++) {
    const PlacePart *part = &g_array_index(set->parts, PlacePart, i);
    char *name = place_part_name(part);
    g_string_append_printf(out, "%s%s", i ? " + " : "", name);
    g_free(name);
    if (part->how == PLACE_READ_SPELLING)
      g_string_append_printf(out, " (spelled like \"%s\")", part->alias);
    else if (part->how == PLACE_READ_CLOSE)
      g_string_append_printf(out, " (one letter off \"%s\")", part->alias);
    else if (part->how == PLACE_READ_ALIAS && part->alias &&
             strcmp(part->alias, part->place->node.name))
      g_string_append_printf(out, " (alias \"%s\")", part->alias);
    if (part->site)
      g_string_append_printf(out, " at \"%s\"", part->site);
  }
}
