/*
 * textsort.h - long lists sorted by a text each item names (incident
 * keys and ids in naming, incident.c), as a stable sort comparing the
 * texts with strcmp() would sort them, on the threads (parallel_sort()).
 */
#ifndef RECKON_TEXTSORT_H
#define RECKON_TEXTSORT_H

#include <glib.h>

/* The text @item is sorted by. */
typedef const char *(*TextOf)(gconstpointer item);

/* Sorts the @n pointers at @items stably by strcmp() of text_of() of
 * each, on up to @n_threads threads. */
void text_sort(gpointer *items, guint n, TextOf text_of, guint n_threads);

/* The first eight bytes of @text, big-endian, the bytes after its end
 * zero: heads compare as strcmp() compares those bytes, and a head whose
 * last byte is zero holds the whole text. */
guint64 text_head(const char *text);

#endif /* RECKON_TEXTSORT_H */
