/*
 * cells.h - the grouping stage's cells (group.c): claims that share a
 * grouping key (an incident key, or places and date), and what cells.c
 * does to those at places outside the gazetteer before they become
 * incidents: split by spelling, and united when spelled one letter apart.
 */
#ifndef RECKON_CELLS_H
#define RECKON_CELLS_H

#include "date.h"
#include "engine-private.h"
#include "place.h"

/* A cell's key as numbers, so that the cell of every claim is found
 * without building and hashing its key text: equal CellIds are equal key
 * texts, the text being the tag, the text numbered @text and the date. */
typedef struct {
  char tag;      /* 'k' an explicit key, 'a' an aggregate, 'd' a day */
  guint text;    /* the folded key numbered by first sight, or PlaceSet.number */
  DateSpan when; /* normal_when(); all zero for keys and unset dates */
  guint hash;    /* of the above, worked out once: the cell's share in group.c */
} CellId;

/* Claims that share a grouping key: an incident key, or places and date. */
typedef struct {
  CellId id;             /* for the claims' cells; zero for the cells split off them */
  const char *key;       /* in the run's cell or key slabs, as long as the cell */
  GArray *claims;        /* of guint */
  guint root;            /* union-find, for places spelled one letter apart */
  const PlacePart *name; /* a place outside the gazetteer: its smallest spelling */
} Cell;

/* Keys of places outside the gazetteer shorter than this are not matched
 * one letter off: too many short names are one letter apart. */
#define CLOSE_MIN_KEY 5

/* A new empty cell keyed @key (copied; NULL for a key set later), the
 * last of @cells; it lives in the run's cell slab until grouping ends. */
Cell *cells_add(const ReckonEngine *engine, GPtrArray *cells, const char *key);

/* Frees what a cell owns beyond the slab (a GDestroyNotify for cells). */
void cell_free(gpointer cell);

/* The root of cell @i among @cells (union-find, path compressed). */
guint cells_find_root(GPtrArray *cells, guint i);

/* The one place of @claim's cell when the gazetteer does not know it, or
 * NULL. */
const PlacePart *cells_unknown_part(const ReckonEngine *engine, guint claim);

/* Places outside the gazetteer are hashed by spelling key, which different
 * names can share ("Khayqar", "Kaqir").  Splits each day cell of such a
 * place into the names spelled closely (place_part_close(), linked in
 * chains); the group with the smallest spelling keeps the cell's key. */
void cells_split_spellings(ReckonEngine *engine, GPtrArray *cells);

/* Unites day cells at places outside the gazetteer whose keys are one
 * letter apart ("Abzimo" and "Abzimoz"), with the same site and day: one
 * place. */
void cells_merge_close_places(ReckonEngine *engine, GPtrArray *cells);

#endif /* RECKON_CELLS_H */
