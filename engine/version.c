/*
 * version.c - run-time version and the error domain; no data flow here.
 */
#include "reckon/error.h"
#include "reckon/version.h"

const char *reckon_version(void)
{
  return RECKON_VERSION_STRING;
}

G_DEFINE_QUARK(reckon-error-quark, reckon_error)
