/* The author library's public interface: what the CLI and the runtime may call. Struct bodies
 * stay private to author/. Each part has its own header, included here. */
#ifndef POSTCARD_AUTHOR_H
#define POSTCARD_AUTHOR_H

#include "common.h"
#include "buf.h"
#include "diag.h"
#include "embed.h"
#include "utf8.h"
#include "pkg.h"
#include "validate.h"
#include "build.h"

#endif
