/*
 * test-place.c - where texts read against the default gazetteer (table in
 * place-cases.txt): aliases, translations, spellings, context, sites and
 * places the gazetteer does not know; containment; and the reasons a
 * malformed rules/places file is refused.
 */
#include <glib/gstdio.h>
#include <string.h>

#include "rules.h"
#include "textmap.h"
#include "testutil.h"

static const char *const how_names[] = {"alias", "spelling", "close", "unknown", "ambiguous"};

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("A where text reads as the places an analyst would name");
  g_assert_cmpuint(row->n_fields, ==, 4);
  gboolean wide = g_str_equal(row->fields[1], "wide");
  g_assert_true(wide || g_str_equal(row->fields[1], "one"));
  PlaceSet *set = place_set_read(rules_default()->places, NULL, row->fields[0], wide);
  g_assert_cmpstr(set->ref, ==, row->fields[2]);
  const PlacePart *first = &g_array_index(set->parts, PlacePart, 0);
  g_assert_cmpstr(how_names[first->how], ==, row->fields[3]);
  place_set_free(set);
}

/* How @set was read, every part: refs, places found, sites, aliases. */
static char *reading(const PlaceSet *set)
{
  GString *out = g_string_new(set->ref);
  g_string_append(out, " = ");
  place_set_describe_reading(set, out);
  for (guint i = 0; i < set->parts->len; i++)
    g_string_append_printf(out, " /%s", how_names[g_array_index(set->parts, PlacePart, i).how]);
  return g_string_free(out, FALSE);
}

static void test_memo(gconstpointer data)
{
  const Table *table = data;
  g_test_summary("Reading through a memo of runs and unknown names gives every where text the "
                 "reading it has alone, whatever was read before it");
  const Places *places = rules_default()->places;
  guint n = table->rows->len;
  PlaceMemo *memo = place_memo_new();
  /* Forwards, then backwards, with one memo: each text is read after
   * texts sharing its words have filled the memo. */
  for (guint k = 0; k < 2 * n; k++) {
    const TableRow *row = g_ptr_array_index(table->rows, k < n ? k : 2 * n - 1 - k);
    for (int wide = 0; wide < 2; wide++) {
      PlaceSet *alone = place_set_read(places, NULL, row->fields[0], wide);
      PlaceSet *memoised = place_set_read(places, memo, row->fields[0], wide);
      char *want = reading(alone), *got = reading(memoised);
      g_assert_cmpstr(got, ==, want);
      g_free(want);
      g_free(got);
      place_set_free(alone);
      place_set_free(memoised);
    }
  }
  place_memo_free(memo);
}

static void test_containment(void)
{
  g_test_summary(
      "Containment follows parents: central Idlib in Idlib city in Idlib governorate in Syria");
  const Places *places = rules_default()->places;
  const Place *centre = places_get(places, "central Idlib"), *city = places_get(places, "Idlib");
  const Place *gov = places_get(places, "Idlib Governorate"), *syria = places_get(places, "Syria");
  const Place *aleppo = places_get(places, "Aleppo Governorate");
  g_assert_nonnull(centre);
  g_assert_true(place_within(centre, city));
  g_assert_true(place_within(city, gov));
  g_assert_true(place_within(centre, syria));
  g_assert_false(place_within(gov, city));
  g_assert_false(place_within(city, aleppo));
  g_assert_cmpstr(place_kind_name(centre->kind), ==, "area");
  g_assert_true(place_kind_wide(gov->kind));
  g_assert_false(place_kind_wide(city->kind));
}

static void test_user_rules(void)
{
  g_test_summary("A rules directory adds places and replaces rows of the default gazetteer");
  char *dir = g_dir_make_tmp("reckon-places-XXXXXX", NULL);
  char *path = g_build_filename(dir, "places", NULL);
  g_assert_true(g_file_set_contents(path,
                                    "Tarmanin | village | Idlib Governorate | Termain, Tirmanin\n"
                                    "Ariha | town | Ariha District | Areeha\n",
                                    -1, NULL));
  const char *dirs[] = {dir, NULL};
  GError *error = NULL;
  ReckonRules *rules = reckon_rules_new(NULL, dirs, &error);
  g_assert_no_error(error);
  PlaceSet *set = place_set_read(rules->places, NULL, "the town of Termain", FALSE);
  g_assert_cmpstr(set->ref, ==, "g:tarmanin");
  place_set_free(set);
  /* The replaced row has lost its "Jericho" alias. */
  set = place_set_read(rules->places, NULL, "Jericho", FALSE);
  g_assert_cmpstr(set->ref, ==, "u:jrsh");
  place_set_free(set);
  g_assert_cmpint(places_get(rules->places, "Ariha")->kind, ==, PLACE_TOWN);
  reckon_rules_free(rules);
  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

static const TestRulesCase rules_cases[] = {
    {"places", "Nowhere | village | Syria | Nowheria\n", NULL},
    {"places", "# one place\nNowhere | hamlet | Syria\n",
     "places:2: unknown place kind 'hamlet' (country, region, governorate, district, city, town, "
     "village, area, site)"},
    {"places", "Nowhere | village\n",
     "places:1: expected 'place | kind | parents | aliases', got 2 fields"},
    {"places", "Nowhere | village | Atlantis\n",
     "places:1: unknown parent 'Atlantis' of 'Nowhere' (list it as a place first)"},
    {"places", "A | region | B\nB | region | A\n",
     "places:1: place 'A' lies inside itself through its parents"},
    {"places", " - | village | Syria\n", "places:1: empty place name"},
};

static void test_text_map(void)
{
  g_test_summary("The map under place reading's memo and gazetteer indexes finds every text "
                 "put in it, by its bytes, and no other: not a prefix, an extension or a text "
                 "of the same length");
  TextMap *map = text_map_new(g_free);
  guint n = 5000;
  for (guint i = 0; i < n; i++) {
    char *text = g_strdup_printf("%u %.*s", i, (int)(i % 20), "abcdefghijklmnopqrst");
    text_map_insert(map, text, strlen(text), text_map_hash(text, strlen(text)),
                    g_strdup_printf("%u", i));
    g_free(text);
  }
  text_map_insert(map, "", 0, text_map_hash("", 0), g_strdup("empty"));
  for (guint i = 0; i < n; i++) {
    char *text = g_strdup_printf("%u %.*s", i, (int)(i % 20), "abcdefghijklmnopqrst");
    char *want = g_strdup_printf("%u", i);
    gsize len = strlen(text);
    g_assert_cmpstr(text_map_lookup(map, text, len, text_map_hash(text, len)), ==, want);
    g_assert_null(text_map_lookup(map, text, len - 1, text_map_hash(text, len - 1)));
    char *longer = g_strconcat(text, "u", NULL), *other = g_strdup(text);
    other[len - 1] = 'z';
    g_assert_null(text_map_lookup(map, longer, len + 1, text_map_hash(longer, len + 1)));
    g_assert_null(text_map_lookup(map, other, len, text_map_hash(other, len)));
    g_free(other);
    g_free(longer);
    g_free(want);
    g_free(text);
  }
  g_assert_cmpstr(text_map_lookup(map, "", 0, text_map_hash("", 0)), ==, "empty");
  text_map_free(map);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("place-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/place/read/%02u-%s", i + 1, row->fields[0]);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_data_func("/place/memo", table, test_memo);
  g_test_add_func("/place/containment", test_containment);
  g_test_add_func("/place/text-map", test_text_map);
  g_test_add_func("/place/user-rules", test_user_rules);
  for (gsize i = 0; i < G_N_ELEMENTS(rules_cases); i++) {
    char *name = g_strdup_printf("/place/rules/%zu", i + 1);
    g_test_add_data_func(name, &rules_cases[i], test_rules_case);
    g_free(name);
  }
  int status = g_test_run();
  table_free(table);
  return status;
}
