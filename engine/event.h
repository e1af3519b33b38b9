/*
 * event.h - event types (rules/events): what happened, the words reports
 * use for it, and which types may describe one event.  Grouping (group.c)
 * keeps claims with incompatible types apart and asks whether an
 * aggregate's type covers an incident inside it.
 */
#ifndef RECKON_EVENT_H
#define RECKON_EVENT_H

#include "hierarchy.h"

typedef struct _EventType EventType;
struct _EventType {
  RuleNode node; /* name, slug, broader types (its parents), ancestors */
  char **compatible_names;
  char **synonyms;
  GPtrArray *compatible; /* of EventType*: both directions */
};

typedef struct _Events Events;

Events *events_new(void);
void events_free(Events *events);

/* Reads a rules/events table: "type | broader | compatible | synonyms"
 * (lists comma-separated, may be empty).  A row for a known type replaces
 * it.  FALSE with RECKON_ERROR_RULES "FILE:LINE: reason". */
gboolean events_load(Events *events, const char *filename, const char *text, gsize len,
                     GError **error);

/* Resolves broader and compatible names and builds the word index; call
 * once after the last events_load().  Fails on unknown names or cycles. */
gboolean events_finish(Events *events, GError **error);

/* The type an event text names ("airstrikes" -> air strike): the longest
 * synonyms found in it, and when they name several types, the narrowest
 * type that is broader than all of them.  NULL when none is known. */
const EventType *events_read(const Events *events, const char *text);

/* The type named exactly @name (a canonical name), or NULL. */
const EventType *events_get(const Events *events, const char *name);

/* TRUE when @a and @b may describe one event: the same type, one broader
 * than the other ("strike" and "air strike"), or listed as compatible
 * ("missile strike" and "rocket attack").  An unknown type (NULL) is
 * compatible with every type. */
gboolean event_compatible(const EventType *a, const EventType *b);

/* TRUE when @outer covers @inner: @outer is @inner, broader than it or
 * compatible with it, or either is unknown. */
gboolean event_covers(const EventType *outer, const EventType *inner);

/* Splits @n items of types @types (NULL for none) into groups that may be
 * one event each.  The most specific types present (those no other
 * present type is narrower than) each start a group, joined when
 * compatible; a broader type ("strike") joins the one group it is
 * compatible with, and items with no type join the only group; where
 * that is not unique they form a group of their own rather than guess.
 * Sets @group[i] to item i's group and returns the groups' names (a type's
 * slug, "other" for items without a type), in a fixed order; g_strfreev(). */
char **event_split(const EventType *const *types, guint n, guint *group);

#endif /* RECKON_EVENT_H */
