/*
 * gazetteer.h - the gazetteer's lookup indexes, shared by gazetteer.c,
 * which loads rules/places and builds them, and place.c, which reads
 * where texts against them.  Private to those two files.
 */
#ifndef RECKON_GAZETTEER_H
#define RECKON_GAZETTEER_H

#include "place.h"
#include "textmap.h"

/* Spelling keys shorter than this are too loose to match one letter off. */
#define CLOSE_MIN_KEY 4

/* One alias in the lookup indexes. */
typedef struct {
  const Place *place;
  const char *alias; /* as written */
  char *text;        /* fold_join() of its words */
  char *key;         /* its spelling key */
} Alias;

struct _Places {
  GHashTable *by_slug; /* slug -> Place* (owned) */
  /* Built by places_finish(): */
  GPtrArray *aliases;    /* of Alias* (owned) */
  TextMap *by_text;      /* folded text -> GPtrArray of Alias* */
  TextMap *by_key;       /* spelling key -> GPtrArray of Alias* */
  TextMap *by_delete;    /* spelling key less one letter -> GPtrArray of Alias* */
  GHashTable *prefixes;  /* every start of an alias's folded text or key (a set) */
  guint max_words;
};

/* The aliases filed in @index under the @len bytes at @key, or NULL. */
static inline GPtrArray *index_find(const TextMap *index, const char *key, gsize len)
{
  return text_map_lookup(index, key, len, text_map_hash(key, len));
}

#endif
