/**
 * tr_errors.h — status codes, the thread-local last-error message,
 * library initialisation and the log hook.
 */
#ifndef TR_ERRORS_H
#define TR_ERRORS_H

#include <stddef.h>
#include "tr_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** tr_status - what a fallible call returns. TR_OK is 0. */
typedef enum tr_status {
    TR_OK = 0,
    TR_E_NOMEM,        /* allocation failed */
    TR_E_INVAL,        /* bad argument or bad scenario content */
    TR_E_NOTFOUND,     /* unknown id, path or index */
    TR_E_IO,           /* a file could not be read or written */
    TR_E_PARSE,        /* a file is not well-formed YAML / CSV */
    TR_E_SOLVER,       /* GLPK reported a failure */
    TR_E_NUMERIC,      /* GSL reported a failure */
    TR_E_STATE,        /* call not valid in the object's current state */
    TR_E__COUNT        /* keep last */
} tr_status;

/**
 * tr_strerror() - Static description of a status code.
 * @code: any value; unknown codes give "unknown error".
 *
 * Return: a static string, never NULL; do not free.
 */
TR_API const char *tr_strerror(tr_status code);

/**
 * tr_last_error() - Detailed message of this thread's last failure.
 *
 * The message names the file, line:column, field path and what was expected
 * where these are known. It is only meaningful right after a call returned
 * something other than TR_OK; successful calls do not clear it.
 *
 * Return: a thread-local string owned by the library, valid until the next
 * failing call on the same thread; never NULL (empty when nothing failed).
 */
TR_API const char *tr_last_error(void);

/**
 * tr_error_location - where in the input this thread's last failure is, as
 * far as the library knows it: the parts of tr_last_error()'s
 * "file:line:column: field: ..." prefix, so that callers need not parse the
 * message. Unknown parts are NULL or 0.
 * @file:   the file the error is in: its name as the caller gave it (a path
 *          relative to the scenario that extends or names it), or a label
 *          such as "<string>" or "<set technologies.x.lifetime>"; NULL when
 *          the error is not in a file.
 * @line:   1-based line in @file; 0 when unknown.
 * @column: 1-based column (characters) in @file; 0 when unknown.
 * @field:  dotted path of the field, e.g. "plants.p.production"; NULL when
 *          the error is not about one field.
 */
typedef struct tr_error_location {
    const char *file;
    int line;
    int column;
    const char *field;
} tr_error_location;

/**
 * tr_last_error_location() - Location of this thread's last failure.
 *
 * Set together with tr_last_error() by every failing call: errors at a
 * document node (a YAML value, a CSV cell, a merged file's value, an edit's
 * field) fill it; other failures leave every part unknown. Like the message,
 * it is only meaningful right after a call returned something other than
 * TR_OK; successful calls do not clear it.
 *
 * Return: the location by value. Its strings are thread-local buffers owned
 * by the library, valid until the next failing call on the same thread; do
 * not free them.
 */
TR_API tr_error_location tr_last_error_location(void);

/**
 * tr_library_init() - Process-wide initialisation; idempotent and cheap.
 *
 * Turns GSL's abort-on-error handler off (process-global) and silences
 * GLPK's terminal output for the calling thread. Every entry point that
 * needs it calls it too, so calling it explicitly is optional.
 *
 * Return: TR_OK.
 */
TR_API tr_status tr_library_init(void);

/** tr_log_fn - receives one log line (no trailing newline) and @userdata. */
typedef void (*tr_log_fn)(int level, const char *message, void *userdata);

/**
 * tr_set_log_fn() - Route the library's log lines (including GLPK's terminal
 * output when a solve asks for verbosity > 0) to @fn. Process-global.
 * @fn:       callback, or NULL to drop log lines (the default).
 * @userdata: passed back to @fn unchanged; borrowed.
 */
TR_API void tr_set_log_fn(tr_log_fn fn, void *userdata);

/**
 * tr_string_free() - Release a string the library handed out
 * (tr_result_write_string(), tr_scenario_to_yaml(), tr_scenario_get()).
 * NULL is a no-op. (Not called tr_free: the Check unit-test library, linked
 * statically into test programs, has an internal symbol of that name.)
 */
TR_API void tr_string_free(void *ptr);

/**
 * tr_file_write() - Write @len bytes of @data to the file @path, whole or not
 * at all: missing parent folders are created (as mkdir -p would), the bytes go
 * to a temporary file in the same folder that is renamed to @path only when
 * every byte is written, so a failed write leaves no partial file and an
 * existing file of that name untouched.
 * @path: file name, borrowed.
 * @data: bytes, borrowed; may be NULL when @len is 0.
 * @len:  number of bytes.
 *
 * Return: TR_OK, TR_E_INVAL, TR_E_NOMEM, or TR_E_IO with the reason
 * (tr_last_error(): the path and strerror's text).
 */
TR_API tr_status tr_file_write(const char *path, const char *data, size_t len);

/**
 * tr_folder_make() - Create the folder @dir and any missing parents (mkdir -p).
 * An existing folder is fine.
 *
 * Return: TR_OK, TR_E_INVAL, TR_E_NOMEM, or TR_E_IO naming the part of the
 * path that could not be made and why.
 */
TR_API tr_status tr_folder_make(const char *dir);

/**
 * tr_version() - The library's version string, e.g. "0.1.0". Static.
 */
TR_API const char *tr_version(void);

/**
 * tr_glpk_version() - The linked GLPK's version string, e.g. "5.0". Static.
 */
TR_API const char *tr_glpk_version(void);

#ifdef __cplusplus
}
#endif
#endif
