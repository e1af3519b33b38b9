/*
 * reckon/stream.h - streaming: estimates written as the input goes by, for
 * archives too large to hold at once.  The claims must come sorted by the
 * start of incident.when; the stream gathers them into windows of dates
 * that no later claim can reach, and runs each window as a batch run would
 * as soon as it closes, then frees it.
 *
 *   ReckonEngine *engine = reckon_engine_new(&opts, &error);
 *   ReckonStream *stream = reckon_stream_new(engine, on_window, data);
 *   reckon_stream_load_file(stream, "claims.jsonl", &error);  // or _feed() bytes
 *   reckon_stream_finish(stream, &error);
 *   reckon_stream_free(stream);
 *   reckon_engine_free(engine);
 *
 * README "Streaming" says how results can differ from a batch run.
 */
#ifndef RECKON_STREAM_H
#define RECKON_STREAM_H

#include "reckon/common.h"
#include "reckon/engine.h"

G_BEGIN_DECLS

typedef struct _ReckonStream ReckonStream;

/**
 * ReckonWindowFunc:
 * @window: (transfer none): an engine holding one closed window: its
 *   estimates (reckon_engine_n_estimates(), reckon_engine_write()), the
 *   rejects read while it was open, in the order read, and its sources.
 *   Valid only during the call.
 * @data: the pointer given to reckon_stream_new().
 *
 * Called once per window, in date order, from the thread that feeds the
 * stream.  After a strict stop it is called once more for the window that
 * was open, unestimated, so that its rejects reach the caller.
 *
 * Returns: TRUE to go on; FALSE with @error set stops the stream, and the
 * call that closed the window returns FALSE with that error.
 */
typedef gboolean (*ReckonWindowFunc)(const ReckonEngine *window, gpointer data, GError **error);

/**
 * reckon_stream_new:
 * @engine: gives the stream its options, rules, source priors
 *   (reckon_engine_load_sources()) and progress function; it must outlive
 *   the stream.  It is not loaded or run; reckon_stream_finish() gives it
 *   the sources the windows learned.
 * @func: called with each closed window.
 *
 * The engine's options were checked when it was made, so this cannot fail.
 *
 * Returns: (transfer full): a new stream (free with reckon_stream_free()).
 */
RECKON_API ReckonStream *reckon_stream_new(ReckonEngine *engine, ReckonWindowFunc func,
                                           gpointer data);

/**
 * reckon_stream_free:
 *
 * Frees @stream; NULL is a no-op.  The claims of a window still open are
 * dropped unestimated: call reckon_stream_finish() first to have them.
 */
RECKON_API void reckon_stream_free(ReckonStream *stream);

/**
 * reckon_stream_feed:
 * @name: the input the bytes come from, used in claim ids and messages
 *   like a file name.  Bytes of another name end the previous input.
 * @data: (array length=len): the next bytes of JSON Lines; a claim may be
 *   split across calls.  Not kept.
 *
 * Reads the complete lines of @data, closing and handing over every window
 * that the dates read show to be complete.  A claim without
 * incident.when, or dated within a window already closed, is rejected,
 * and so is a JSON array or CSV input, as a whole (README "Streaming").
 *
 * Returns: FALSE with @error set at a strict stop (as
 * reckon_engine_load_file()), when @func stops the stream, or after an
 * earlier failure (RECKON_ERROR_USAGE).
 */
RECKON_API gboolean reckon_stream_feed(ReckonStream *stream, const char *name, const char *data,
                                       gsize len, GError **error);

/**
 * reckon_stream_load_file:
 * @path: a JSON Lines file, or "-" for standard input; read in blocks, so
 *   pipes and standard input stream too.
 *
 * Feeds the whole of @path and ends it as an input.
 *
 * Returns: as reckon_stream_feed(); also FALSE with RECKON_ERROR_IO when
 * @path cannot be read.
 */
RECKON_API gboolean reckon_stream_load_file(ReckonStream *stream, const char *path,
                                            GError **error);

/**
 * reckon_stream_finish:
 *
 * Ends the input and closes the last window.  Nothing may be fed after it.
 * The stream's engine then holds the sources of all the windows, as a
 * batch run would (reckon_engine_n_sources(), reckon_engine_source(),
 * reckon_engine_write_sources()): claims and judged claims summed over the
 * windows, reliability, bias and spread as the last window that had the
 * source left them, prior as the first one started from.
 *
 * Returns: as reckon_stream_feed().
 */
RECKON_API gboolean reckon_stream_finish(ReckonStream *stream, GError **error);

/** reckon_stream_n_read: claims read so far, rejects included. */
RECKON_API guint64 reckon_stream_n_read(const ReckonStream *stream);

/** reckon_stream_n_windows: windows closed so far. */
RECKON_API guint64 reckon_stream_n_windows(const ReckonStream *stream);

G_END_DECLS

#endif /* RECKON_STREAM_H */
