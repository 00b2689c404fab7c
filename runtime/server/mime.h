/* Content types by file extension, for files served from packages and from the binary. */
#ifndef POSTCARD_MIME_H
#define POSTCARD_MIME_H

/* The Content-Type for a file name (case-insensitive extension), text types with
 * "; charset=utf-8"; "application/octet-stream" when the extension is unknown. Static string. */
const char *mime_type(const char *name);

#endif
