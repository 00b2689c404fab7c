/* libzip linked lazily (author/util/lazylib.h): the package reader parses a zip's directory
 * and inflates entries itself (zipcd.c, zipverify.c), and so does the server's (zipfile.c);
 * both hand only unusual archives (zip64, bzip2, a fake end record) to libzip, and building a
 * package uses it. `validate` of an ordinary zip and `serve` of ordinary packages thus never
 * load it, nor the OpenSSL it brings. One stub
 * per function the libraries call. Compiled only when cmake/LazyLibrary.cmake links the library
 * this way (POSTCARD_LAZY_ZIP is its SONAME). */
#ifdef POSTCARD_LAZY_ZIP
#include <time.h>

#include <zip.h>

#include "lazylib.h"

static lazylib libzip = LAZYLIB_INIT(POSTCARD_LAZY_ZIP);

LAZYLIB_FN(libzip, int, zip_close, (zip_t * za), (za))
LAZYLIB_FN(libzip, int, zip_compression_method_supported, (zip_int32_t method, int compress),
	   (method, compress))
LAZYLIB_FN(libzip, void, zip_discard, (zip_t * za), (za))
LAZYLIB_FN(libzip, int, zip_fclose, (zip_file_t * zf), (zf))
LAZYLIB_FN(libzip, zip_int64_t, zip_file_add,
	   (zip_t * za, const char *name, zip_source_t *src, zip_flags_t flags),
	   (za, name, src, flags))
LAZYLIB_FN(libzip, int, zip_file_get_external_attributes,
	   (zip_t * za, zip_uint64_t index, zip_flags_t flags, zip_uint8_t *opsys,
	    zip_uint32_t *attributes),
	   (za, index, flags, opsys, attributes))
LAZYLIB_FN(libzip, int, zip_file_set_mtime,
	   (zip_t * za, zip_uint64_t index, time_t mtime, zip_flags_t flags),
	   (za, index, mtime, flags))
LAZYLIB_FN(libzip, const char *, zip_file_strerror, (zip_file_t * zf), (zf))
LAZYLIB_FN(libzip, zip_file_t *, zip_fopen_index,
	   (zip_t * za, zip_uint64_t index, zip_flags_t flags), (za, index, flags))
LAZYLIB_FN(libzip, zip_int64_t, zip_fread, (zip_file_t * zf, void *buf, zip_uint64_t n),
	   (zf, buf, n))
LAZYLIB_FN(libzip, zip_int8_t, zip_fseek, (zip_file_t * zf, zip_int64_t offset, int whence),
	   (zf, offset, whence))
LAZYLIB_FN(libzip, const char *, zip_get_name, (zip_t * za, zip_uint64_t index, zip_flags_t flags),
	   (za, index, flags))
LAZYLIB_FN(libzip, zip_int64_t, zip_get_num_entries, (zip_t * za, zip_flags_t flags), (za, flags))
LAZYLIB_FN(libzip, zip_int64_t, zip_name_locate, (zip_t * za, const char *name, zip_flags_t flags),
	   (za, name, flags))
LAZYLIB_FN(libzip, zip_t *, zip_open, (const char *path, int flags, int *errorp),
	   (path, flags, errorp))
LAZYLIB_FN(libzip, zip_source_t *, zip_source_buffer,
	   (zip_t * za, const void *data, zip_uint64_t len, int freep), (za, data, len, freep))
LAZYLIB_FN(libzip, void, zip_source_free, (zip_source_t * src), (src))
LAZYLIB_FN(libzip, int, zip_stat_index,
	   (zip_t * za, zip_uint64_t index, zip_flags_t flags, zip_stat_t *st),
	   (za, index, flags, st))
LAZYLIB_FN(libzip, void, zip_stat_init, (zip_stat_t * st), (st))
LAZYLIB_FN(libzip, const char *, zip_strerror, (zip_t * za), (za))
#else
typedef int postcard_zip_linked_normally; /* an empty file is not valid ISO C */
#endif
