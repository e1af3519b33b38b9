/*
 * reckon/error.h - the one error domain of the library.
 *
 * Every function that can fail at run time takes a GError ** last and
 * returns FALSE or NULL on failure.  The library never prints and never
 * exits.  Messages about input name the place: "FILE:LINE: reason".
 */
#ifndef RECKON_ERROR_H
#define RECKON_ERROR_H

#include "reckon/common.h"

G_BEGIN_DECLS

#define RECKON_ERROR (reckon_error_quark())

/**
 * ReckonError:
 * @RECKON_ERROR_IO: a file could not be opened or read.
 * @RECKON_ERROR_INPUT: a claim (or a whole input file) could not be read.
 * @RECKON_ERROR_PHRASE: a value phrase could not be turned into a range.
 * @RECKON_ERROR_RULES: a rule file is malformed or a profile is unknown.
 * @RECKON_ERROR_USAGE: an option has a value the library cannot use.
 * @RECKON_ERROR_LIMIT: a documented limit was exceeded.
 *
 * Error codes in the %RECKON_ERROR domain.  New codes may be added at the
 * end in later versions: treat unknown codes like %RECKON_ERROR_INPUT.
 */
typedef enum {
  RECKON_ERROR_IO = 1,
  RECKON_ERROR_INPUT,
  RECKON_ERROR_PHRASE,
  RECKON_ERROR_RULES,
  RECKON_ERROR_USAGE,
  RECKON_ERROR_LIMIT,
} ReckonError;

RECKON_API GQuark reckon_error_quark(void);

G_END_DECLS

#endif /* RECKON_ERROR_H */
