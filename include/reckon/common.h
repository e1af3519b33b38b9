/*
 * reckon/common.h - export macro and the C linkage guards every public
 * header shares.  Symbols are hidden by default (see CMakeLists.txt); only
 * what is marked RECKON_API leaves the shared library.
 */
#ifndef RECKON_COMMON_H
#define RECKON_COMMON_H

#include <glib.h>

#if defined(RECKON_STATIC)
#define RECKON_API
#elif defined(_WIN32)
#ifdef RECKON_BUILDING
#define RECKON_API __declspec(dllexport)
#else
#define RECKON_API __declspec(dllimport)
#endif
#else
#define RECKON_API __attribute__((visibility("default")))
#endif

#endif /* RECKON_COMMON_H */
