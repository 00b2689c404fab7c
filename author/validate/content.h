/* What a package's HTML, CSS and JavaScript load from the internet, and which SCORM run-time
 * elements their code names (for the --lms profiles). A package that loads scripts, styles,
 * fonts, media or frames from other hosts breaks offline and behind web filters (seen in Adapt,
 * Captivate, Storyline and golf exports). The scan is lexical and bounded: one pass over the
 * bytes, no allocation, no recursion; it never executes or resolves anything. Private to the
 * validator (and its fuzz target). */
#ifndef POSTCARD_CONTENT_H
#define POSTCARD_CONTENT_H

#include <stddef.h>

typedef enum content_kind { CONTENT_NONE, CONTENT_HTML, CONTENT_CSS, CONTENT_JS } content_kind;

/* By file extension (.html .htm .xhtml, .css, .js .mjs; case-insensitive), else CONTENT_NONE. */
content_kind content_kind_of(const char *name);

typedef struct content_load {
	size_t offset;    /* of the URL in the scanned bytes */
	size_t len;       /* of the URL as written */
	const char *what; /* "a script", "a stylesheet", "a font", "an image", "media", "a frame",
			   * "the page's base address" or "a file": static */
} content_load;

/* Names the content's code mentions (bits of content_scan's result). */
#define CONTENT_MENTIONS_COMMENTS 1u           /* cmi.comments (SCORM 1.2's) */
#define CONTENT_MENTIONS_INTERACTIONS 2u       /* cmi.interactions. */
#define CONTENT_MENTIONS_INTERACTIONS_COUNT 4u /* cmi.interactions._count */

/* Calls `found` for every absolute http(s) or protocol-relative (//host) URL the file loads:
 * in HTML, the attributes that fetch (script src, link href of a stylesheet, icon or preload,
 * img/video/audio/source/track/iframe/embed src, srcset, poster, object data, SVG href, base
 * href), style attributes and <style> and <script> blocks; in CSS, url() and @import; in
 * JavaScript, string literals holding such a URL that names a script, style, font or media
 * file or a well-known CDN, font or video host (links to web pages are not loads). Returns
 * the CONTENT_MENTIONS_* bits of what the file's text names. */
unsigned content_scan(content_kind kind, const char *data, size_t len,
		      void (*found)(void *ud, const content_load *load), void *ud);

#endif
