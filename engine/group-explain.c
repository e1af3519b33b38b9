/*
 * group-explain.c - the grouping stage's account of itself: for `reckon
 * explain`, why the claims of an incident were grouped (how each claim's
 * place, type and date were read and how it joined) and which near-misses
 * (the same place a few days apart, or another event type) were kept
 * apart.  Reads what group.c kept of the run (GroupRun, group.h).
 */
#include <string.h>

#include "group.h"

static int compare_member_ids(gconstpointer a, gconstpointer b, gpointer data)
{
  const ReckonEngine *engine = data;
  return strcmp(g_array_index(engine->claims, Claim, *(const guint *)a).id,
                g_array_index(engine->claims, Claim, *(const guint *)b).id);
}

/* The place a near-miss must share: the first part, without its site. */
static gboolean same_base(const Incident *a, const Incident *b)
{
  if (!a->places || !b->places)
    return FALSE;
  const PlacePart *pa = &g_array_index(a->places->parts, PlacePart, 0);
  const PlacePart *pb = &g_array_index(b->places->parts, PlacePart, 0);
  return pa->place ? pa->place == pb->place : !pb->place && strcmp(pa->key, pb->key) == 0;
}

static void explain_near_miss(const Incident *inc, const Incident *other, GString *out)
{
  g_string_append_printf(out, "    %s: ", other->id);
  if (other->keyed || inc->keyed) {
    g_string_append(out, other->keyed ? "it has its own key" : "this incident has a key");
  } else if (other->aggregate != inc->aggregate) {
    g_string_append_printf(out,
                           "%s covers several places or a period (%s, %s); aggregates are never "
                           "merged with what they may contain",
                           other->aggregate ? "it" : "this incident", other->place,
                           other->when_text);
  } else if (date_span_compare(&other->when, &inc->when) != 0) {
    g_string_append_printf(out, "same place, another date (%s)", other->when_text);
  } else if (strcmp(other->places->ref, inc->places->ref) != 0) {
    g_string_append_printf(out, "same date, another place or site (%s)", other->place);
    const PlacePart *part = &g_array_index(other->places->parts, PlacePart, 0);
    if (part->site)
      g_string_append_printf(out, " at \"%s\"", part->site);
  } else {
    g_string_append_printf(
        out, "same place and date, but its event type (%s) is not compatible with this one's (%s)",
        other->event_name, inc->event_name);
  }
  g_string_append_c(out, '\n');
}

/* Near-misses listed by explain; the rest are counted. */
#define MAX_NEAR_MISSES 10

static guint32 distance_in_days(const Incident *a, const Incident *b)
{
  if (a->when.end < b->when.start)
    return b->when.start - a->when.end;
  return b->when.end < a->when.start ? a->when.start - b->when.end : 0;
}

static int compare_nearness(gconstpointer pa, gconstpointer pb, gpointer data)
{
  const Incident *a = *(Incident *const *)pa, *b = *(Incident *const *)pb;
  guint32 da = distance_in_days(a, data), db = distance_in_days(b, data);
  if (da != db)
    return da < db ? -1 : 1;
  return strcmp(a->id, b->id);
}

/* Why an incident dated by month or year did not join a day's incident. */
static void explain_vague(const ReckonEngine *engine, const Incident *inc, GString *out)
{
  guint tolerance = engine->opts.date_tolerance;
  guint32 lo = inc->when.start > tolerance ? inc->when.start - tolerance : 0;
  guint32 hi = inc->when.end + tolerance;
  GString *fits = g_string_new(NULL);
  guint n = 0;
  for (guint i = 0; i < engine->incidents->len; i++) {
    const Incident *day = g_ptr_array_index(engine->incidents, i);
    if (day->keyed || date_span_shape(&day->when) != DATE_SHAPE_DAY || !day->places ||
        strcmp(day->places->ref, inc->places->ref) != 0 || day->when.start < lo ||
        day->when.start > hi)
      continue;
    gboolean fit = inc->n_types == 0;
    for (guint t = 0; !fit && t < inc->n_types; t++)
      fit = incident_accepts(day, inc->types[t]);
    if (fit)
      g_string_append_printf(fits, "%s%s", n++ ? ", " : "", day->id);
  }
  if (n == 0)
    g_string_append_printf(out, "  Its date is a month or year (tolerance %u days), and no incident "
                                "at this place of a compatible type falls in it.\n",
                           tolerance);
  else
    g_string_append_printf(out, "  Its date is a month or year (tolerance %u days) that fits %u "
                                "incidents at this place (%s): kept apart rather than guessed.\n",
                           tolerance, n, fits->str);
  g_string_free(fits, TRUE);
}

void group_explain(const ReckonEngine *engine, const Incident *inc, GString *out)
{
  const GroupRun *run = engine->group;
  g_string_append_printf(out, "Incident %s: %s\n", inc->id, inc->label);
  if (inc->places) {
    g_string_append(out, "  Place: ");
    for (guint i = 0; i < inc->places->parts->len; i++) {
      if (i)
        g_string_append(out, " + ");
      place_part_describe(&g_array_index(inc->places->parts, PlacePart, i), out);
    }
    g_string_append_c(out, '\n');
  }
  if (inc->when_text[0]) {
    DateShape shape = date_span_shape(&inc->when);
    g_string_append_printf(out, "  When: %s (%s)\n", inc->when_text,
                           shape == DATE_SHAPE_DAY ? "a day"
                           : shape == DATE_SHAPE_VAGUE
                               ? "a month or year: one day not known exactly"
                               : "a period");
  }
  if (inc->aggregate)
    g_string_append(out,
                    "  An aggregate: it covers several places, a wide area or a period, so it\n"
                    "  is never merged with the incidents inside it, only linked to them.\n");
  if (inc->parent)
    g_string_append_printf(out, "  Inside: %s (%s)\n", inc->parent->id, inc->parent->label);
  gboolean first = TRUE;
  for (guint i = 0; i < engine->incidents->len; i++) {
    const Incident *child = g_ptr_array_index(engine->incidents, i);
    if (child->parent != inc)
      continue;
    g_string_append_printf(out, "%s%s", first ? "  Contains: " : ", ", child->id);
    first = FALSE;
  }
  if (!first)
    g_string_append_c(out, '\n');

  guint n = inc->n_members;
  if (inc->keyed)
    g_string_append_printf(out, "  Grouped: %u claim%s with the explicit incident key '%s' (equal keys "
                                "always group, whatever their places and dates):\n",
                           n, n == 1 ? "" : "s", inc->key + 2);
  else
    g_string_append_printf(out, "  Grouped: %u claim%s naming the same places on the same date, "
                                "with compatible event types:\n",
                           n, n == 1 ? "" : "s");
  guint *members = g_memdup2(inc->members, n * sizeof *members);
  g_qsort_with_data(members, (gint)n, sizeof *members, compare_member_ids, (gpointer)engine);
  for (guint m = 0; m < n; m++) {
    guint c = members[m];
    const Claim *claim = &g_array_index(engine->claims, Claim, c);
    const Reading *r = &run->readings[c];
    g_string_append_printf(out, "    %s: ", claim->id);
    if (r->places) {
      g_string_append_printf(out, "\"%s\" is ", claim->where);
      place_set_describe_reading(r->places, out);
      g_string_append(out, "; ");
    }
    /* Read again: grouping keeps no claim's event type. */
    const EventType *event = claim->what ? events_read(engine->rules->events, claim->what) : NULL;
    if (claim->what)
      g_string_append_printf(out, "\"%s\" is %s; ", claim->what,
                             event ? event->node.name : "no known type");
    char *when = date_span_format(&claim->when);
    g_string_append(out, when[0] ? when : "no date");
    g_free(when);
    if (run->how[c] == JOIN_VAGUE)
      g_string_append(out, ", the only incident at this place on a day it covers");
    else if (!inc->keyed && strcmp(r->places->ref, inc->places->ref) != 0)
      g_string_append(out, ", a place spelled one letter off");
    g_string_append_c(out, '\n');
  }
  g_free(members);

  if (!inc->keyed && date_span_shape(&inc->when) == DATE_SHAPE_VAGUE)
    explain_vague(engine, inc, out);

  /* Near-misses: other incidents at the same place that are not its
   * parent or part, the nearest in time first. */
  GPtrArray *near = g_ptr_array_new();
  for (guint i = 0; i < engine->incidents->len; i++) {
    const Incident *other = g_ptr_array_index(engine->incidents, i);
    if (other != inc && other != inc->parent && other->parent != inc && same_base(inc, other))
      g_ptr_array_add(near, (gpointer)other);
  }
  g_ptr_array_sort_with_data(near, compare_nearness, (gpointer)inc);
  if (near->len)
    g_string_append(out, "  Kept apart:\n");
  for (guint i = 0; i < MIN(near->len, MAX_NEAR_MISSES); i++)
    explain_near_miss(inc, g_ptr_array_index(near, i), out);
  if (near->len > MAX_NEAR_MISSES)
    g_string_append_printf(out, "    and %u more at this place\n", near->len - MAX_NEAR_MISSES);
  g_ptr_array_unref(near);
}
