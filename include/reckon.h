/*
 * reckon.h - reconciles numeric claims that different sources make about
 * the same incident.  Include this one header; it pulls in the rest.
 *
 *   reckon/version.h   RECKON_VERSION_*, reckon_version()
 *   reckon/error.h     RECKON_ERROR domain and codes
 *   reckon/rules.h     rule sets and profiles
 *   reckon/range.h     value phrases as ranges
 *   reckon/estimate.h  estimates, members, roles and flags
 *   reckon/engine.h    the engine: load, run, write
 *   reckon/sources.h   sources: kinds, learned reliability and bias
 *   reckon/stream.h    streaming: estimates written as date-sorted input goes by
 */
#ifndef RECKON_H
#define RECKON_H

#include "reckon/version.h"
#include "reckon/error.h"
#include "reckon/rules.h"
#include "reckon/range.h"
#include "reckon/estimate.h"
#include "reckon/engine.h"
#include "reckon/sources.h"
#include "reckon/stream.h"

#endif /* RECKON_H */
