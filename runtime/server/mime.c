/* The extension -> Content-Type table (see mime.h). Browsers refuse scripts and stylesheets
 * served with the wrong type once nosniff is set, so every type SCORM content uses is listed. */
#include "mime.h"

#include <string.h>
#include <strings.h>

#include "common.h"

static const struct {
	const char *ext;
	const char *type;
} mime_table[] = {
	{"htm", "text/html; charset=utf-8"},
	{"html", "text/html; charset=utf-8"},
	{"xhtml", "application/xhtml+xml; charset=utf-8"},
	{"js", "text/javascript; charset=utf-8"},
	{"mjs", "text/javascript; charset=utf-8"},
	{"css", "text/css; charset=utf-8"},
	{"json", "application/json"},
	{"map", "application/json"},
	{"xml", "application/xml"},
	{"xsd", "application/xml"},
	{"dtd", "application/xml-dtd"},
	{"txt", "text/plain; charset=utf-8"},
	{"csv", "text/csv; charset=utf-8"},
	{"vtt", "text/vtt; charset=utf-8"},
	{"md", "text/markdown; charset=utf-8"},
	{"png", "image/png"},
	{"jpg", "image/jpeg"},
	{"jpeg", "image/jpeg"},
	{"gif", "image/gif"},
	{"svg", "image/svg+xml"},
	{"webp", "image/webp"},
	{"avif", "image/avif"},
	{"ico", "image/x-icon"},
	{"bmp", "image/bmp"},
	{"woff", "font/woff"},
	{"woff2", "font/woff2"},
	{"ttf", "font/ttf"},
	{"otf", "font/otf"},
	{"eot", "application/vnd.ms-fontobject"},
	{"mp3", "audio/mpeg"},
	{"m4a", "audio/mp4"},
	{"wav", "audio/wav"},
	{"oga", "audio/ogg"},
	{"ogg", "audio/ogg"},
	{"mp4", "video/mp4"},
	{"m4v", "video/mp4"},
	{"webm", "video/webm"},
	{"ogv", "video/ogg"},
	{"pdf", "application/pdf"},
	{"zip", "application/zip"},
	{"wasm", "application/wasm"},
	{"swf", "application/x-shockwave-flash"},
};

const char *mime_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot)
		for (size_t i = 0; i < PC_ARRAY_LEN(mime_table); i++)
			if (strcasecmp(dot + 1, mime_table[i].ext) == 0)
				return mime_table[i].type;
	return "application/octet-stream";
}
