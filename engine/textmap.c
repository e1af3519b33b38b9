/*
 * textmap.c - texts to pointers with the hash and length at hand
 * (textmap.h).  Place reading asks its memo half a million times at a
 * million claims, nine times in ten for a text it holds: a GHashTable
 * hashes the text a byte at a time, then compares it with strcmp() and
 * frees every key on its own.  Here the hash takes eight bytes a step,
 * a slot holds the hash and length with the text, and the texts live in
 * one slab.  Open addressing, linear probing, at most half full.
 */
#include "textmap.h"

#include <string.h>

#include "slab.h"

typedef struct {
  guint32 hash;
  guint32 len;
  const char *text; /* NULL: a free slot */
  gpointer value;
} TextSlot;

struct _TextMap {
  TextSlot *slots;
  guint mask; /* slots - 1, a power of two less one */
  guint n;
  Slab *texts;
  GDestroyNotify value_free;
};

#define FIRST_SLOTS 256

TextMap *text_map_new(GDestroyNotify value_free)
{
  TextMap *map = g_new0(TextMap, 1);
  map->slots = g_new0(TextSlot, FIRST_SLOTS);
  map->mask = FIRST_SLOTS - 1;
  map->texts = slab_new();
  map->value_free = value_free;
  return map;
}

void text_map_free(TextMap *map)
{
  if (!map)
    return;
  for (guint k = 0; map->value_free && k <= map->mask; k++)
    if (map->slots[k].text)
      map->value_free(map->slots[k].value);
  g_free(map->slots);
  slab_free(map->texts);
  g_free(map);
}

gpointer text_map_lookup(const TextMap *map, const char *text, gsize len, guint32 hash)
{
  for (guint k = hash & map->mask;; k = (k + 1) & map->mask) {
    const TextSlot *s = &map->slots[k];
    if (!s->text)
      return NULL;
    if (s->hash == hash && s->len == len && memcmp(s->text, text, len) == 0)
      return s->value;
  }
}

static void place_slot(TextSlot *slots, guint mask, const TextSlot *slot)
{
  guint k = slot->hash & mask;
  while (slots[k].text)
    k = (k + 1) & mask;
  slots[k] = *slot;
}

void text_map_insert(TextMap *map, const char *text, gsize len, guint32 hash, gpointer value)
{
  if (2 * (map->n + 1) > map->mask + 1) {
    guint mask = 2 * map->mask + 1;
    TextSlot *slots = g_new0(TextSlot, mask + 1);
    for (guint k = 0; k <= map->mask; k++)
      if (map->slots[k].text)
        place_slot(slots, mask, &map->slots[k]);
    g_free(map->slots);
    map->slots = slots;
    map->mask = mask;
  }
  TextSlot slot = {hash, (guint32)len, slab_strndup(map->texts, text, len), value};
  place_slot(map->slots, map->mask, &slot);
  map->n++;
}
