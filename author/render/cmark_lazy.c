/* libcmark linked lazily (author/util/lazylib.h): only rendering card bodies (render.c, used by
 * `build`) parses Markdown, so `serve` and `validate` of a package never map it. One stub per
 * function render.c calls. Compiled only when cmake/LazyLibrary.cmake links the library this way
 * (POSTCARD_LAZY_CMARK is its SONAME). */
#ifdef POSTCARD_LAZY_CMARK
#include <cmark.h>

#include "lazylib.h"

static lazylib libcmark = LAZYLIB_INIT(POSTCARD_LAZY_CMARK);

LAZYLIB_FN(libcmark, cmark_node *, cmark_parse_document, (const char *buffer, size_t len, int options),
	   (buffer, len, options))
LAZYLIB_FN(libcmark, void, cmark_node_free, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_node *, cmark_node_next, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_node *, cmark_node_parent, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_node *, cmark_node_first_child, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_node_type, cmark_node_get_type, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, const char *, cmark_node_get_literal, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, int, cmark_node_get_heading_level, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_list_type, cmark_node_get_list_type, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, int, cmark_node_get_list_start, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, int, cmark_node_get_list_tight, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, const char *, cmark_node_get_fence_info, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, const char *, cmark_node_get_url, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, const char *, cmark_node_get_title, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, int, cmark_node_get_start_line, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, int, cmark_node_get_start_column, (cmark_node * node), (node))
LAZYLIB_FN(libcmark, cmark_iter *, cmark_iter_new, (cmark_node * root), (root))
LAZYLIB_FN(libcmark, void, cmark_iter_free, (cmark_iter * iter), (iter))
LAZYLIB_FN(libcmark, cmark_event_type, cmark_iter_next, (cmark_iter * iter), (iter))
LAZYLIB_FN(libcmark, cmark_node *, cmark_iter_get_node, (cmark_iter * iter), (iter))
LAZYLIB_FN(libcmark, void, cmark_iter_reset,
	   (cmark_iter * iter, cmark_node *current, cmark_event_type event_type),
	   (iter, current, event_type))
#else
typedef int postcard_cmark_linked_normally; /* an empty file is not valid ISO C */
#endif
