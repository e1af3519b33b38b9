/*
 * place.h - the gazetteer (rules/places) and how a claim's `where` text is
 * read against it.  Grouping (group.c) compares claims by the places this
 * module finds; containment between places links aggregates to the
 * incidents inside them.
 */
#ifndef RECKON_PLACE_H
#define RECKON_PLACE_H

#include "hierarchy.h"

typedef enum {
  PLACE_COUNTRY,
  PLACE_REGION, /* a named area across places: "northern Aleppo", "north-west Syria" */
  PLACE_GOVERNORATE,
  PLACE_DISTRICT,
  PLACE_CITY,
  PLACE_TOWN,
  PLACE_VILLAGE,
  PLACE_AREA, /* a part of a city or town: "central Idlib", "western Aleppo" */
  PLACE_SITE, /* one building or spot: "Homs Military Academy" */
  PLACE_N_KINDS,
} PlaceKind;

typedef struct _Place Place;
struct _Place {
  RuleNode node; /* name, slug (its part of incident ids), parents, ancestors, depth */
  PlaceKind kind;
  char **aliases; /* as written; the name is an alias too */
};

typedef struct _Places Places;

Places *places_new(void);
void places_free(Places *places);

/* Reads a rules/places table: "place | kind | parents | aliases" (parents
 * and aliases comma-separated, may be empty).  A row for a place already
 * known replaces it.  FALSE with RECKON_ERROR_RULES "FILE:LINE: reason". */
gboolean places_load(Places *places, const char *filename, const char *text, gsize len,
                     GError **error);

/* Resolves parents and builds the lookup indexes; call once after the last
 * places_load().  Fails on an unknown parent or a place inside itself. */
gboolean places_finish(Places *places, GError **error);

/* The place whose canonical name folds like @name, or NULL. */
const Place *places_get(const Places *places, const char *name);

/* TRUE when @inner is @outer or lies inside it. */
gboolean place_within(const Place *inner, const Place *outer);

const char *place_kind_name(PlaceKind kind);

/* Kinds that cover many incidents: a claim about one is an aggregate. */
gboolean place_kind_wide(PlaceKind kind);

/* What reading where texts has found out about runs of words: whether a
 * run names gazetteer places and which.  Where texts of one run share
 * most of their words ("Kafr Nabl", "Kafranbel, Idlib", "market in Kafr
 * Nabl"), so each distinct run is looked up once.  Only a cache: a
 * reading is the same with or without one.  Not for use by two threads
 * at once. */
typedef struct _PlaceMemo PlaceMemo;

PlaceMemo *place_memo_new(void);
void place_memo_free(PlaceMemo *memo);

/* How a where text was matched. */
typedef enum {
  PLACE_READ_ALIAS,     /* a gazetteer name or alias, after folding */
  PLACE_READ_SPELLING,  /* the same spelling key as an alias, and a close spelling */
  PLACE_READ_CLOSE,     /* one letter off an alias's spelling key */
  PLACE_READ_UNKNOWN,   /* not in the gazetteer */
  PLACE_READ_AMBIGUOUS, /* a name of several unrelated places: treated as unknown */
} PlaceReadHow;

/* One place a where text names. */
typedef struct {
  const Place *place; /* NULL when the gazetteer does not know it */
  char *name;         /* a place not in the gazetteer: its folded name */
  char *key;          /* a place not in the gazetteer: fold_key() of its name */
  char *site;         /* folded words naming a spot at the place, or NULL */
  char *ref;          /* equal for equal places: "g:SLUG" or "u:KEY", then "#SITE" */
  PlaceReadHow how;
  const char *alias; /* the alias matched, as written in the rules, or NULL */
} PlacePart;

/* Reads @text (one entry of a claim's where) through @memo (may be NULL) and appends the places it
 * names to @parts (a GArray of PlacePart): one, unless it names unrelated
 * places ("between Ariha and Saraqib").  A name shared by a place and one
 * that contains it (the city of Idlib and Idlib governorate) means the
 * larger when @wide (the claim covers several places or a period), else
 * the smaller.  A text without words ("", " ", ",") names nothing. */
void places_read(const Places *places, PlaceMemo *memo, const char *text, gboolean wide,
                 GArray *parts);

/* TRUE when @a and @b, places the gazetteer does not know with the same
 * spelling key, are spelled closely enough to be one name (two letters in
 * five at most): "Khayqar" and "Khaiqar" are, "Khayqar" and "Kaqir" not. */
gboolean place_part_close(const PlacePart *a, const PlacePart *b);

/* TRUE when @inner lies inside @outer or is it: a gazetteer place inside
 * another, or the same place, where @outer names no site or the same. */
gboolean place_part_within(const PlacePart *inner, const PlacePart *outer);

void place_part_clear(PlacePart *part);

/* The canonical name of @part: the gazetteer's, or for a place it does
 * not know its words, capitalised ("Termain").  Newly allocated. */
char *place_part_name(const PlacePart *part);

/* Appends "Ariha (city, in Ariha District, Idlib Governorate, Syria)",
 * and the site when there is one. */
void place_part_describe(const PlacePart *part, GString *out);

/* A claim's where, read as a set of places. */
typedef struct {
  GArray *parts; /* of PlacePart, ordered by ref; none lies inside another */
  char *ref;     /* the parts' refs joined by " + ": equal for equal sets */
  gboolean wide; /* several places, or one of a wide kind */
  guint number;  /* set by grouping: equal for equal refs, counting from 0 */
  const char *name; /* set by grouping for the sets incidents are named by
                     * (and owned by its run): the parts' canonical names,
                     * " + "-joined; NULL until then */
} PlaceSet;

/* Reads a claim's where (several texts joined by " + ", as the reader
 * keeps them); @wide as for places_read().  Free with place_set_free(). */
PlaceSet *place_set_read(const Places *places, PlaceMemo *memo, const char *where, gboolean wide);
void place_set_free(PlaceSet *set);

/* TRUE when every part of @inner lies inside a part of @outer. */
gboolean place_set_within(const PlaceSet *inner, const PlaceSet *outer);

/* Appends how @set was read: each place and how it was found ("Ariha
 * (alias "Jericho")", "Harbanoush (one letter off "Harbanoush")"). */
void place_set_describe_reading(const PlaceSet *set, GString *out);

#endif /* RECKON_PLACE_H */
