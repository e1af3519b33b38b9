/*
 * place.c - the reading of one where text against the gazetteer
 * (gazetteer.c; see place.h), for grouping in group.c; placeset.c reads
 * texts joined by " + " through it.
 *
 * A where text is folded into words, in segments between commas and
 * brackets; every run of words in a segment that does not start or end
 * with a small word ("in", "near", "the") is looked up, first as folded
 * text, then by spelling key (fold.c) with a check that the two spellings
 * are close, so "home" never reads as Hama.  The longest runs win.  A run
 * glued to words that are not small, generic or common is part of a
 * longer name the gazetteer does not know ("Qasr Halab").  When several
 * places are named ("Ariha, Idlib") and one lies inside the others, it is
 * the place and the others are context.  Words left over name a site at
 * the place ("medical complex in Idlib").  A segment the gazetteer does
 * not know is read as a place of its own, named by its words after the
 * last "in"/"near"/"of", or a typo off a known name when only one fits.
 */
#include "gazetteer.h"

#include <string.h>

#include "fold.h"

/* Words that never start or end a place name. */
static const char *const small_words[] = {
  "the", "a", "an", "of", "in", "near", "at", "on", "outside", "by", "to", "from", "around",
  "close", "and", "between", "inside", "into", "within", "off", "its", "their", NULL,
};

/* Words that split a site from the place it is at. */
static const char *const site_words[] = {"in", "near", "at", "outside", "of", "on", NULL};

/* Words that say what kind of place follows, not which. */
static const char *const generic_words[] = {
  "city", "town", "village", "province", "governorate", "governate", "district", "region",
  "countryside", "rural", "outskirts", "suburb", "suburbs", "vicinity", NULL,
};

/* Common English words of where texts.  A run of words holding one is
 * matched only as written, never by spelling key: "homes" has the key of
 * Homs, "center" that of Quneitra. */
static const char *const common_words[] = {
  "home", "homes", "house", "houses", "building", "buildings", "area", "areas", "camp", "camps",
  "market", "markets", "school", "schools", "mosque", "mosques", "hospital", "hospitals", "clinic",
  "center", "centre", "central", "square", "park", "street", "streets", "road", "roads", "highway",
  "farm", "farms", "field", "fields", "base", "bases", "post", "checkpoint", "station", "bridge",
  "border", "crossing", "factory", "bakery", "university", "college", "academy", "prison",
  "airport", "port", "neighborhood", "neighbourhood", "quarter", "zone", "plain", "plains",
  "mountain", "mountains", "hill", "hills", "valley", "river", "lake", "dam", "north", "northern",
  "south", "southern", "east", "eastern", "west", "western", "middle", "residential",
  "displacement", "displaced", "medical", "complex", "shelter", "tent", "tents", "convoy",
  "vehicle", "car", "bus", "military", "army", "government", "rebel", "rebels", "position",
  "positions", "office", "headquarters", "gathering", "church", "convent", "shop", "shops", "store",
  "fuel", "oil", "water", "power", "plant", "industrial", "people", "city", "town", "village",
  "new", "old", "upper", "lower", "greater", NULL,
};

/* What a word is, from the lists above. */
enum {
  WORD_SMALL = 1 << 0,
  WORD_SITE = 1 << 1,
  WORD_GENERIC = 1 << 2,
  WORD_COMMON = 1 << 3,
  WORD_ARTICLE = 1 << 4, /* fold_is_article(), set by word_kinds() */
};

static void add_words(GHashTable *kinds, const char *const *words, guint kind)
{
  for (; *words; words++)
    g_hash_table_insert(kinds, (gpointer)*words,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(kinds, *words)) | kind));
}

/* The WORD_ kinds of @word; the table is built once per process (a
 * TextMap: every word of every text read is asked about). */
static guint word_kind(const char *word)
{
  static gsize once = 0;
  static TextMap *kinds;
  if (g_once_init_enter(&once)) {
    GHashTable *table = g_hash_table_new(g_str_hash, g_str_equal);
    add_words(table, small_words, WORD_SMALL);
    add_words(table, site_words, WORD_SITE);
    add_words(table, generic_words, WORD_GENERIC);
    add_words(table, common_words, WORD_COMMON);
    kinds = text_map_new(NULL);
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init(&iter, table);
    while (g_hash_table_iter_next(&iter, &key, &value))
      text_map_insert(kinds, key, strlen(key), text_map_hash(key, strlen(key)), value);
    g_hash_table_unref(table);
    g_once_init_leave(&once, 1);
  }
  gsize len = strlen(word);
  return GPOINTER_TO_UINT(text_map_lookup(kinds, word, len, text_map_hash(word, len)));
}

/* The WORD_ kinds of each of @n words, articles marked: a text's words are
 * asked about again and again (matches, sites, leftovers). */
static guint *word_kinds(char **words, guint n)
{
  guint *kinds = g_new(guint, n + 1);
  for (guint k = 0; k < n; k++)
    kinds[k] = word_kind(words[k]) | (fold_is_article(words[k]) ? WORD_ARTICLE : 0);
  kinds[n] = 0;
  return kinds;
}


/* A run of words as lookup_run() found it; places NULL when not found. */
typedef struct {
  GPtrArray *places;
  PlaceReadHow how;
  const char *alias;
} RunFound;

/* What an unknown name's words come to: its spelling key, and the
 * gazetteer place one letter off it (NULL for none). */
typedef struct {
  char *key;
  const Alias *close;
} NameFound;

struct _PlaceMemo {
  TextMap *runs;    /* words_key() of a run of words -> RunFound* */
  TextMap *starts;  /* first word of a run -> may_start() + 1 */
  TextMap *unknown; /* name of read_unknown() -> NameFound* */
  TextMap *readings; /* words_key() of a text's words -> GArray of PlacePart, its reading */
  GString *key;     /* scratch for the keys */
};

static void name_found_free(gpointer data)
{
  NameFound *f = data;
  g_free(f->key);
  g_free(f);
}

static void run_found_free(gpointer data)
{
  RunFound *f = data;
  if (f->places)
    g_ptr_array_unref(f->places);
  g_free(f);
}

PlaceMemo *place_memo_new(void)
{
  /* Memos are made before the threads that read with them start: build
   * the word table here, so that no thread waits on another to build it
   * (and thread checkers see it built before it is read). */
  (void)word_kind("");
  PlaceMemo *memo = g_new0(PlaceMemo, 1);
  memo->runs = text_map_new(run_found_free);
  memo->starts = text_map_new(NULL);
  memo->unknown = text_map_new(name_found_free);
  memo->readings = text_map_new((GDestroyNotify)g_array_unref);
  memo->key = g_string_new(NULL);
  return memo;
}

void place_memo_free(PlaceMemo *memo)
{
  if (!memo)
    return;
  text_map_free(memo->runs);
  text_map_free(memo->starts);
  text_map_free(memo->unknown);
  text_map_free(memo->readings);
  g_string_free(memo->key, TRUE);
  g_free(memo);
}


/* A run of words found in the gazetteer. */
typedef struct {
  guint start, end; /* words [start, end) */
  PlaceReadHow how;
  GPtrArray *places; /* distinct places the run names */
  const char *alias;
} Match;

/* How many letters two spellings of one name may differ by: two in five.
 * Looser limits read other names as gazetteer places ("Madan" as
 * Mayadin), and short outlines say little ("Hama" and "home" are "hm"). */
static guint spelling_limit(const char *a, const char *b)
{
  return MAX(1u, (guint)(2 * MAX(strlen(a), strlen(b)) / 5));
}

/* TRUE when @text is spelled close to alias @a; sets *@distance. */
static gboolean spelled_close(const char *text, const Alias *a, guint *distance)
{
  guint limit = spelling_limit(text, a->text);
  *distance = fold_distance(text, a->text, limit);
  return *distance <= limit;
}

/* The places of @aliases, all of them when @text is NULL (an exact match),
 * else those spelled closest to @text ("Diraa" is Daraa, one letter off,
 * rather than Daraya, two). */
static void add_places(GPtrArray *places, const GPtrArray *aliases, const char *text,
                       const char **alias_out)
{
  guint best = G_MAXUINT, d;
  for (guint i = 0; text && i < aliases->len; i++)
    if (spelled_close(text, g_ptr_array_index(aliases, i), &d))
      best = MIN(best, d);
  for (guint i = 0; i < aliases->len; i++) {
    const Alias *a = g_ptr_array_index(aliases, i);
    if (text && (!spelled_close(text, a, &d) || d > best))
      continue;
    if (!g_ptr_array_find(places, a->place, NULL))
      g_ptr_array_add(places, (gpointer)a->place);
    if (!*alias_out)
      *alias_out = a->alias;
  }
}

static gboolean has_common_word(char **words, guint start, guint end)
{
  for (guint k = start; k < end; k++)
    if (word_kind(words[k]) & WORD_COMMON)
      return TRUE;
  return FALSE;
}

/* Looks up @n words as an alias, then by spelling key; adds the places
 * found to @found and returns how. */
static PlaceReadHow lookup_words(const Places *places, char **words, guint n, GPtrArray *found,
                                 const char **alias)
{
  char *text = fold_join(words, n);
  const GPtrArray *list = text[0] ? index_find(places->by_text, text, strlen(text)) : NULL;
  PlaceReadHow how = PLACE_READ_ALIAS;
  if (list) {
    add_places(found, list, NULL, alias);
  } else if (text[0] && !has_common_word(words, 0, n)) {
    char *key = fold_key_tokens(words, n);
    if ((list = index_find(places->by_key, key, strlen(key))))
      add_places(found, list, text, alias);
    how = PLACE_READ_SPELLING;
    g_free(key);
  }
  g_free(text);
  return how;
}

/* Articles written glued to the name ("Alatarib", "ArRastan"), longest first. */
static const char *const glued_articles[] = {"ash", "al", "el", "ar", "as", "ad", "az", "an", "at",
                                             NULL};

/* The length of the article glued to @w when it is left with three
 * letters or more, else 0. */
static gsize glued_article(const char *w)
{
  /* Every glued article starts with 'a' or 'e': most words are ruled out
   * by their first letter (runs of every where text are asked). */
  if (w[0] != 'a' && w[0] != 'e')
    return 0;
  for (const char *const *art = glued_articles; *art; art++)
    if (g_str_has_prefix(w, *art) && strlen(w) >= strlen(*art) + 3)
      return strlen(*art);
  return 0;
}

/* @words with a glued article taken off each word that has one; NULL
 * when no word has one. */
static char **without_glued_articles(char **words, guint n)
{
  guint first = 0;
  while (first < n && !glued_article(words[first]))
    first++;
  if (first == n)
    return NULL;
  char **out = g_new0(char *, n + 1);
  for (guint i = 0; i < n; i++)
    out[i] = g_strdup(words[i] + (i < first ? 0 : glued_article(words[i])));
  return out;
}

/* Looks up words [start, end) in the gazetteer. */
static RunFound look_up_run(const Places *places, char **words, guint start, guint end)
{
  GPtrArray *found = g_ptr_array_new();
  const char *alias = NULL;
  guint n = end - start;
  PlaceReadHow how = lookup_words(places, words + start, n, found, &alias);
  char **unglued = found->len ? NULL : without_glued_articles(words + start, n);
  if (unglued) {
    lookup_words(places, unglued, n, found, &alias);
    how = PLACE_READ_SPELLING;
    g_strfreev(unglued);
  }
  if (found->len == 0)
    g_clear_pointer(&found, g_ptr_array_unref);
  return (RunFound){found, how, alias};
}

/* Words [start, end) as a key in @memo's scratch key: @lead, then each
 * word after a byte saying whether it starts a segment of @segment (may
 * be NULL: none does), ended by a NUL (no word holds one).  Measured,
 * then copied: keys are made for every run of every text read. */
static const char *words_key(PlaceMemo *memo, char lead, char **words, guint start, guint end,
                             const guint *segment)
{
  gsize len = 1;
  for (guint k = start; k < end; k++)
    len += strlen(words[k]) + 2;
  g_string_set_size(memo->key, len);
  char *at = memo->key->str;
  *at++ = lead;
  for (guint k = start; k < end; k++) {
    gsize n = strlen(words[k]) + 1;
    *at++ = segment && k > start && segment[k] != segment[k - 1] ? 's' : 'w';
    memcpy(at, words[k], n);
    at += n;
  }
  return memo->key->str;
}

/* Looks up words [start, end), through @memo when there is one; fills @m
 * and returns TRUE when found. */
static gboolean lookup_run(const Places *places, PlaceMemo *memo, char **words, guint start,
                           guint end, Match *m)
{
  RunFound found;
  if (!memo) {
    found = look_up_run(places, words, start, end);
  } else {
    const char *key = words_key(memo, 'r', words, start, end, NULL);
    gsize len = memo->key->len;
    guint32 hash = text_map_hash(key, len);
    RunFound *known = text_map_lookup(memo->runs, key, len, hash);
    if (!known) {
      known = g_new(RunFound, 1);
      *known = look_up_run(places, words, start, end);
      text_map_insert(memo->runs, key, len, hash, known);
    }
    found = *known;
    if (found.places)
      g_ptr_array_ref(found.places);
  }
  if (!found.places)
    return FALSE;
  *m = (Match){start, end, found.how, found.places, found.alias};
  return TRUE;
}

/* Longer runs first, then exact aliases, then earlier. */
static int compare_matches(gconstpointer pa, gconstpointer pb)
{
  const Match *a = pa, *b = pb;
  guint la = a->end - a->start, lb = b->end - b->start;
  if (la != lb)
    return la > lb ? -1 : 1;
  if (a->how != b->how)
    return a->how < b->how ? -1 : 1;
  return a->start < b->start ? -1 : a->start > b->start;
}

static int compare_match_start(gconstpointer pa, gconstpointer pb)
{
  const Match *a = pa, *b = pb;
  return a->start < b->start ? -1 : a->start > b->start;
}

static void match_clear(gpointer data)
{
  Match *m = data;
  g_ptr_array_unref(m->places);
}

/* Whether a run starting at word @i may be a gazetteer name: its first
 * word (after an article) starts some alias's folded text or spelling key,
 * as written or with a glued article taken off.  Spares the lookup of
 * every run of words in names the gazetteer does not know. */
static gboolean word_may_start(const Places *places, char **word)
{
  char **unglued = without_glued_articles(word, 1);
  gboolean may = FALSE;
  for (int pass = 0; pass < 2 && !may; pass++) {
    char **w = pass ? unglued : word;
    if (!w)
      continue;
    char *key = fold_key_tokens(w, 1);
    may = g_hash_table_contains(places->prefixes, w[0]) ||
          g_hash_table_contains(places->prefixes, key);
    g_free(key);
  }
  g_strfreev(unglued);
  return may;
}

static gboolean may_start(const Places *places, PlaceMemo *memo, char **words, guint n, guint i,
                          const guint *segment)
{
  while (i + 1 < n && segment[i + 1] == segment[i] && fold_is_article(words[i]))
    i++;
  if (!memo)
    return word_may_start(places, words + i);
  gsize len = strlen(words[i]);
  guint32 hash = text_map_hash(words[i], len);
  gpointer known = text_map_lookup(memo->starts, words[i], len, hash);
  if (!known) {
    known = GUINT_TO_POINTER(word_may_start(places, words + i) + 1);
    text_map_insert(memo->starts, words[i], len, hash, known);
  }
  return GPOINTER_TO_UINT(known) - 1;
}

/* The non-overlapping runs of @words the gazetteer knows, in text order;
 * a run stays within one @segment. */
static GArray *find_matches(const Places *places, PlaceMemo *memo, char **words, guint n,
                            const guint *kinds, const guint *segment)
{
  GArray *all = g_array_new(FALSE, FALSE, sizeof(Match));
  g_array_set_clear_func(all, match_clear);
  for (guint i = 0; i < n; i++) {
    if ((kinds[i] & WORD_SMALL) || !may_start(places, memo, words, n, i, segment))
      continue;
    for (guint j = i + 1; j <= n && j - i <= places->max_words && segment[j - 1] == segment[i];
         j++) {
      Match m;
      if (!(kinds[j - 1] & WORD_SMALL) && lookup_run(places, memo, words, i, j, &m))
        g_array_append_val(all, m);
    }
  }
  g_array_sort(all, compare_matches);
  GArray *chosen = g_array_new(FALSE, FALSE, sizeof(Match));
  g_array_set_clear_func(chosen, match_clear);
  guint8 *used = g_new0(guint8, n);
  for (guint i = 0; i < all->len; i++) {
    Match *m = &g_array_index(all, Match, i);
    gboolean free_run = TRUE;
    for (guint k = m->start; k < m->end; k++)
      free_run &= !used[k];
    if (!free_run)
      continue;
    memset(used + m->start, 1, m->end - m->start);
    g_array_append_val(chosen, *m);
    m->places = g_ptr_array_ref(m->places); /* @all still frees its copy */
  }
  g_free(used);
  g_array_unref(all);
  g_array_sort(chosen, compare_match_start);
  return chosen;
}

/* TRUE when each of @list lies inside another of it or contains it. */
static gboolean nested(const GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++)
    for (guint j = i + 1; j < list->len; j++) {
      const Place *a = g_ptr_array_index(list, i), *b = g_ptr_array_index(list, j);
      if (!place_within(a, b) && !place_within(b, a))
        return FALSE;
    }
  return TRUE;
}

/* Of places that contain one another, the smallest or, with @largest, the largest. */
static const Place *pick_nested(const GPtrArray *list, gboolean largest)
{
  const Place *best = NULL;
  for (guint i = 0; i < list->len; i++) {
    const Place *p = g_ptr_array_index(list, i);
    if (!best || (largest ? p->node.depth < best->node.depth : p->node.depth > best->node.depth))
      best = p;
  }
  return best;
}

static gboolean has_letter(const char *s)
{
  for (const char *p = s; *p; p = g_utf8_next_char(p))
    if (g_unichar_isalpha(g_utf8_get_char(p)))
      return TRUE;
  return FALSE;
}

/* Words [start, end) not covered by @matches, without small or generic
 * words, joined by spaces; NULL when none are left.  When only numbers
 * would be left, the generic words stay: "Town 11" and "Camp 3" are names,
 * not the numbers 11 and 3. */
static char *leftover(char **words, const guint *kinds, guint start, guint end,
                      const GArray *matches)
{
  for (int keep_generic = 0; keep_generic < 2; keep_generic++) {
    GString *out = g_string_new(NULL);
    for (guint k = start; k < end; k++) {
      gboolean covered = FALSE;
      for (guint i = 0; matches && i < matches->len; i++) {
        const Match *m = &g_array_index(matches, Match, i);
        covered |= k >= m->start && k < m->end;
      }
      if (covered || (kinds[k] & (WORD_SMALL | WORD_ARTICLE)) ||
          (!keep_generic && (kinds[k] & WORD_GENERIC)))
        continue;
      if (out->len)
        g_string_append_c(out, ' ');
      g_string_append(out, words[k]);
    }
    if (out->len && (keep_generic || has_letter(out->str)))
      return fold_text_exact(out);
    gboolean numbers_only = out->len > 0;
    g_string_free(out, TRUE);
    if (!numbers_only)
      break;
  }
  return NULL;
}

/* Whether leftover() of words [start, end), no match covering them, is
 * not NULL: a word there is neither small, an article nor generic. */
static gboolean names_something(const guint *kinds, guint start, guint end)
{
  for (guint k = start; k < end; k++)
    if (!(kinds[k] & (WORD_SMALL | WORD_ARTICLE | WORD_GENERIC)))
      return TRUE;
  return FALSE;
}

static void part_ref(PlacePart *part)
{
  part->ref =
      g_strconcat(part->place ? "g:" : "u:", part->place ? part->place->node.slug : part->key,
                  part->site ? "#" : "", part->site ? part->site : "", NULL);
}

/* TRUE when @a and @b hold the same numbers: "Town 1" and "Town 11", or
 * "Camp 3" and "Camp 8", are different places, however close the letters. */
static gboolean same_numbers(const char *a, const char *b)
{
  for (;;) {
    while (*a && !g_ascii_isdigit(*a))
      a++;
    while (*b && !g_ascii_isdigit(*b))
      b++;
    if (!*a || !*b)
      return !*a && !*b;
    while (g_ascii_isdigit(*a) && *a == *b) {
      a++;
      b++;
    }
    if (g_ascii_isdigit(*a) || g_ascii_isdigit(*b))
      return FALSE;
  }
}

/* Spellings a typo apart: one letter, or one in ten of a long name. */
static gboolean typo_spelling(const char *a, const char *b)
{
  if (!same_numbers(a, b))
    return FALSE;
  guint limit = 1 + (guint)(MAX(strlen(a), strlen(b)) / 10);
  return fold_distance(a, b, limit) <= limit;
}

/* A place the gazetteer may know one letter off its spelling key: the
 * unique place among aliases within one edit, spelled a typo apart. */
static const Alias *close_alias(const Places *places, const char *text, const char *key)
{
  gsize klen = strlen(key);
  if (klen < CLOSE_MIN_KEY)
    return NULL;
  GPtrArray *found = g_ptr_array_new();
  /* One letter deleted on either side finds every key within one edit. */
  char *less = g_malloc(klen + 1);
  for (gsize k = 0; k <= klen; k++) {
    memcpy(less, key, klen + 1);
    if (k < klen)
      memmove(less + k, less + k + 1, klen - k);
    for (int side = 0; side < 2; side++) {
      if (k == klen && side == 0)
        continue; /* the key itself: an equal key was tried already */
      const GPtrArray *list =
          index_find(side ? places->by_delete : places->by_key, k == klen ? key : less,
                     k == klen ? klen : klen - 1);
      for (guint i = 0; list && i < list->len; i++) {
        const Alias *a = g_ptr_array_index(list, i);
        if (fold_distance(key, a->key, 1) <= 1 && typo_spelling(text, a->text) &&
            !g_ptr_array_find(found, (gpointer)a, NULL))
          g_ptr_array_add(found, (gpointer)a);
      }
    }
  }
  g_free(less);
  const Alias *only = NULL;
  for (guint i = 0; i < found->len; i++) {
    const Alias *a = g_ptr_array_index(found, i);
    if (only && only->place != a->place) {
      only = NULL;
      break;
    }
    if (!only || strcmp(a->alias, only->alias) < 0)
      only = a;
  }
  g_ptr_array_unref(found);
  return only;
}

/* The spelling key of unknown name @name and the gazetteer place one
 * letter off it. */
static NameFound name_found(const Places *places, const char *name)
{
  char **name_words = fold_split(name);
  guint n = g_strv_length(name_words);
  NameFound found = {fold_key_tokens(name_words, n), NULL};
  if (!has_common_word(name_words, 0, n)) {
    char *text = fold_join(name_words, n);
    found.close = close_alias(places, text, found.key);
    g_free(text);
  }
  g_strfreev(name_words);
  return found;
}

/* A text without gazetteer names: the place is named by the words after
 * the last "in"/"near"/"of"..., the words before name a site there. */
static void read_unknown(const Places *places, PlaceMemo *memo, char **words,
                         const guint *kinds, guint n, PlacePart *part)
{
  guint split = 0;
  for (guint k = 0; k < n; k++)
    if ((kinds[k] & WORD_SITE) && names_something(kinds, k + 1, n))
      split = k + 1;
  char *name = leftover(words, kinds, split, n, NULL);
  if (!name)
    name = g_strjoinv(" ", words);
  part->site = split ? leftover(words, kinds, 0, split - 1, NULL) : NULL;
  /* Texts of one place name it alike with other sites and contexts
   * ("near X", "outskirts of X, Idlib"): what a name comes to is worked
   * out once per memo. */
  gsize len = strlen(name);
  guint32 hash = memo ? text_map_hash(name, len) : 0;
  NameFound *known = memo ? text_map_lookup(memo->unknown, name, len, hash) : NULL;
  NameFound found;
  if (known)
    found = *known;
  else
    found = name_found(places, name);
  if (memo && !known) {
    known = g_memdup2(&found, sizeof found);
    text_map_insert(memo->unknown, name, len, hash, known);
  }
  if (found.close) {
    part->place = found.close->place;
    part->alias = found.close->alias;
    part->how = PLACE_READ_CLOSE;
    if (found.close->place->kind == PLACE_SITE)
      g_clear_pointer(&part->site, g_free);
    g_free(name);
  } else {
    part->name = name;
    part->key = memo ? g_strdup(found.key) : found.key;
    part->how = PLACE_READ_UNKNOWN;
    found.key = NULL;
  }
  if (!memo)
    g_free(found.key);
}

/* One match as a part of its own: an unambiguous place, the smaller or
 * larger of nested ones, else a place of its own named by the words. */
static void part_from_match(const Match *m, char **words, gboolean wide, PlacePart *part)
{
  part->alias = m->alias;
  part->how = m->how;
  if (m->places->len == 1 || nested(m->places)) {
    part->place = pick_nested(m->places, wide);
    return;
  }
  part->how = PLACE_READ_AMBIGUOUS;
  char **run = g_strdupv(words + m->start);
  guint len = m->end - m->start;
  for (guint i = len; run[i]; i++)
    g_clear_pointer(&run[i], g_free);
  part->name = g_strjoinv(" ", run);
  part->key = fold_key_tokens(run, len);
  g_strfreev(run);
}

/* Of the places @matches name, the one that lies inside a place of every
 * other match (the smallest such), or NULL. */
static const Place *innermost(const GArray *matches)
{
  const Place *best = NULL;
  for (guint i = 0; i < matches->len; i++) {
    const Match *m = &g_array_index(matches, Match, i);
    for (guint c = 0; c < m->places->len; c++) {
      const Place *p = g_ptr_array_index(m->places, c);
      gboolean inside_all = TRUE;
      for (guint j = 0; inside_all && j < matches->len; j++) {
        const Match *o = &g_array_index(matches, Match, j);
        gboolean inside = FALSE;
        for (guint d = 0; !inside && j != i && d < o->places->len; d++)
          inside = place_within(p, g_ptr_array_index(o->places, d));
        inside_all = j == i || inside;
      }
      if (inside_all &&
          (!best || p->node.depth > best->node.depth ||
           (p->node.depth == best->node.depth && strcmp(p->node.slug, best->node.slug) < 0)))
        best = p;
    }
  }
  return best;
}

/* A word next to a match that is neither a small, generic or common word
 * nor matched itself makes the match a part of a longer name the
 * gazetteer does not know: "Qasr Haylab" is a village, not a site "qasr"
 * in Aleppo ("Halab").  Drops the matches of every segment with one. */
static void drop_attached(GArray *matches, guint n, const guint *kinds,
                          const guint *segment)
{
  if (matches->len == 0)
    return;
  /* Words covered by a match, then (from @n on) segments with one attached. */
  guint8 *covered = g_new0(guint8, 2 * n + 1), *attached = covered + n;
  for (guint i = 0; i < matches->len; i++) {
    const Match *m = &g_array_index(matches, Match, i);
    for (guint k = m->start; k < m->end; k++)
      covered[k] = TRUE;
  }
  for (guint i = 0; i < matches->len; i++) {
    const Match *m = &g_array_index(matches, Match, i);
    guint around[2] = {m->start - 1, m->end};
    for (int side = 0; side < 2; side++) {
      guint k = around[side];
      if ((side == 0 && m->start == 0) || k >= n || segment[k] != segment[m->start] ||
          covered[k] ||
          (kinds[k] & (WORD_SMALL | WORD_GENERIC | WORD_COMMON | WORD_ARTICLE)))
        continue;
      attached[segment[m->start]] = TRUE;
    }
  }
  for (guint i = matches->len; i-- > 0;)
    if (attached[segment[g_array_index(matches, Match, i).start]])
      g_array_remove_index(matches, i);
  g_free(covered);
}

/* Words of segment @s: [*start, *end). */
static void segment_bounds(const guint *segment, guint n, guint s, guint *start, guint *end)
{
  *start = 0;
  while (*start < n && segment[*start] != s)
    (*start)++;
  *end = *start;
  while (*end < n && segment[*end] == s)
    (*end)++;
}

/* The first segment with words that name something and no match, or -1. */
static int unknown_segment(const guint *kinds, guint n, const guint *segment, guint n_segments,
                           const GArray *matches)
{
  for (guint s = 0; s < n_segments; s++) {
    gboolean matched = FALSE;
    for (guint i = 0; i < matches->len; i++)
      matched |= segment[g_array_index(matches, Match, i).start] == s;
    guint start, end;
    segment_bounds(segment, n, s, &start, &end);
    if (!matched && names_something(kinds, start, end))
      return (int)s;
  }
  return -1;
}

/* Reads the @n folded @words of a where text, word k in segment
 * @segment[k] of @n_segments, and appends the places they name to @parts. */
static void read_words(const Places *places, PlaceMemo *memo, char **words, guint n,
                       const guint *segment, guint n_segments, gboolean wide, GArray *parts)
{
  guint *kinds = word_kinds(words, n);
  GArray *matches = find_matches(places, memo, words, n, kinds, segment);
  drop_attached(matches, n, kinds, segment);
  int unknown = unknown_segment(kinds, n, segment, n_segments, matches);
  PlacePart part = {0};

  if (unknown >= 0 || matches->len == 0) {
    /* A name the gazetteer does not know is the place; other segments
     * are its context. */
    guint start = 0, end = n;
    if (unknown >= 0)
      segment_bounds(segment, n, (guint)unknown, &start, &end);
    read_unknown(places, memo, words + start, kinds + start, end - start, &part);
  } else {
    const Place *inner = matches->len > 1 ? innermost(matches) : NULL;
    if (matches->len > 1 && !inner) {
      /* Unrelated places in one text: each is a part; sites are not guessed. */
      for (guint i = 0; i < matches->len; i++) {
        part_from_match(&g_array_index(matches, Match, i), words, wide, &part);
        part_ref(&part);
        g_array_append_val(parts, part);
        memset(&part, 0, sizeof part);
      }
      goto out;
    }
    if (inner) {
      /* "Ariha, Idlib": the innermost place; the others are context. */
      for (guint i = 0; i < matches->len; i++) {
        const Match *m = &g_array_index(matches, Match, i);
        if (g_ptr_array_find(m->places, inner, NULL)) {
          part.alias = m->alias;
          part.how = m->how;
        }
      }
      part.place = inner;
    } else {
      part_from_match(&g_array_index(matches, Match, 0), words, wide, &part);
    }
    if (!part.place || part.place->kind != PLACE_SITE)
      part.site = leftover(words, kinds, 0, n, matches);
  }
  part_ref(&part);
  g_array_append_val(parts, part);
out:
  g_array_unref(matches);
  g_free(kinds);
}

/* Appends to @to a copy of @part, its texts copied. */
static void append_part_copy(GArray *to, const PlacePart *part)
{
  PlacePart copy = *part;
  copy.name = g_strdup(part->name);
  copy.key = g_strdup(part->key);
  copy.site = g_strdup(part->site);
  copy.ref = g_strdup(part->ref);
  g_array_append_val(to, copy);
}

void places_read(const Places *places, PlaceMemo *memo, const char *text, gboolean wide,
                 GArray *parts)
{
  /* Commas, semicolons and brackets separate a place from its context
   * ("Kafr Ruma, Idlib"): matches stay within one segment. */
  GPtrArray *all = g_ptr_array_sized_new(16);
  GArray *seg = g_array_sized_new(FALSE, FALSE, sizeof(guint), 16);
  char **segments = g_strsplit_set(text, ",;()", -1);
  guint n_segments = 0;
  for (char **s = segments; *s; s++) {
    char **w = fold_tokens(*s);
    for (char **x = w; *x; x++) {
      g_ptr_array_add(all, *x);
      g_array_append_val(seg, n_segments);
    }
    n_segments += w[0] != NULL;
    g_free(w); /* the words themselves moved to @all */
  }
  g_strfreev(segments);
  guint n = all->len;
  g_ptr_array_add(all, NULL);
  char **words = (char **)g_ptr_array_free(all, FALSE);
  const guint *segment = (const guint *)seg->data;
  if (n == 0) {
    /* No words (the empty side of " + " in "Ariha + " or [" ", "Ariha"]):
     * no place, rather than a part with an empty name. */
    g_array_unref(seg);
    g_strfreev(words);
    return;
  }
  /* A reading depends on the words, their segments and @wide alone, and
   * texts that differ only in case, accents or punctuation fold alike
   * (half the distinct where texts at a million claims): each word list
   * is read once per memo. */
  GArray *known = NULL;
  gsize len = 0;
  guint32 hash = 0;
  if (memo) {
    words_key(memo, wide ? 'w' : 'n', words, 0, n, segment);
    len = memo->key->len;
    hash = text_map_hash(memo->key->str, len);
    known = text_map_lookup(memo->readings, memo->key->str, len, hash);
  }
  if (known) {
    for (guint i = 0; i < known->len; i++)
      append_part_copy(parts, &g_array_index(known, PlacePart, i));
  } else {
    guint first = parts->len;
    read_words(places, memo, words, n, segment, n_segments, wide, parts);
    if (memo) {
      /* read_words() used the scratch key: make it again. */
      words_key(memo, wide ? 'w' : 'n', words, 0, n, segment);
      known = g_array_new(FALSE, FALSE, sizeof(PlacePart));
      g_array_set_clear_func(known, (GDestroyNotify)place_part_clear);
      for (guint i = first; i < parts->len; i++)
        append_part_copy(known, &g_array_index(parts, PlacePart, i));
      text_map_insert(memo->readings, memo->key->str, len, hash, known);
    }
  }
  g_array_unref(seg);
  g_strfreev(words);
}

/* @name without its spaces, as fold_join() would give it. */
static char *squeezed(const char *name)
{
  char *out = g_strdup(name);
  char *w = out;
  for (const char *r = out; *r; r++)
    if (*r != ' ')
      *w++ = *r;
  *w = '\0';
  return out;
}

gboolean place_part_close(const PlacePart *a, const PlacePart *b)
{
  if (a->place || b->place)
    return a->place == b->place;
  if (!same_numbers(a->name, b->name))
    return FALSE;
  char *ta = squeezed(a->name), *tb = squeezed(b->name);
  guint limit = spelling_limit(ta, tb);
  gboolean close = fold_distance(ta, tb, limit) <= limit;
  g_free(ta);
  g_free(tb);
  return close;
}
