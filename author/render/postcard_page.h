/* The printable one-page postcard of a module (postcard_page.c): a self-contained HTML page that
 * goes into the package as postcard.html and is what `postcard build --print` writes. */
#ifndef POSTCARD_POSTCARD_PAGE_H
#define POSTCARD_POSTCARD_PAGE_H

#include "buf.h"
#include "model.h"

/* Its file name in the package, next to the SCO's index.html. */
#define POSTCARD_FILE "postcard.html"

/* Appends the page for a module whose m->postcard.present is set. Returns buf_error(b). */
int postcard_html(const module *m, buf *b);

#endif
