/* libFuzzer target: the manifest reader and every check. The input is an imsmanifest.xml; it is
 * parsed, then validated as a bare manifest and as a memory package holding a few files, so
 * the file checks run too. */
#include <stddef.h>
#include <stdint.h>

#include "author.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	diag_sink *sink = NULL;
	manifest *m = NULL;
	pkg *p = NULL;
	if (diag_sink_new(&sink) != 0)
		return 0;
	if (manifest_parse(&m, "imsmanifest.xml", (const char *)data, size, sink) == 0) {
		unsigned line, col;
		manifest_locate(m, manifest_root(m), &line, &col);
	}
	manifest_free(m);
	if (pkg_new_memory(&p) == 0 && pkg_add(p, "imsmanifest.xml", data, size) == 0 &&
	    pkg_add(p, "index.html", "<html></html>", 13) == 0 &&
	    pkg_add(p, "imscp_rootv1p1p2.xsd", "x", 1) == 0 && pkg_add(p, "imscp_v1p1.xsd", "x", 1) == 0) {
		validate_result res;
		validate_package(p, sink, &res);
		buf out = BUF_INIT;
		diag_render_text(sink, &out, 1);
		diag_render_json(sink, &out);
		buf_free(&out);
	}
	pkg_free(p);
	diag_sink_free(sink);
	return 0;
}
