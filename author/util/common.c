/* Error code texts and the assertion handler (see common.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "common.h"

const char *pc_strerror(int code)
{
	static const struct {
		int code;
		const char *text;
	} texts[] = {
		{PC_OK, "success"},
		{PC_ENOMEM, "out of memory"},
		{PC_ELIMIT, "a size limit was exceeded"},
		{PC_EIO, "input/output error"},
		{PC_EINVAL, "invalid argument"},
		{PC_EFORMAT, "input is not in the expected format"},
		{PC_ENOTFOUND, "not found"},
		{PC_EINVALID, "input has errors"},
		{PC_ENOSPC, "no space left on the device"},
		{PC_ECONFLICT, "changed by another writer"},
		{PC_EDAMAGED, "stored data is damaged"},
	};
	for (size_t i = 0; i < PC_ARRAY_LEN(texts); i++)
		if (texts[i].code == code)
			return texts[i].text;
	return "unknown error";
}

const char *scorm_version_name(scorm_version v)
{
	switch (v) {
	case SCORM_12: return "SCORM 1.2";
	case SCORM_2004_3RD: return "SCORM 2004 3rd Edition";
	case SCORM_2004_4TH: return "SCORM 2004 4th Edition";
	default: return "unknown SCORM version";
	}
}

void pc_assert_fail(const char *cond, const char *file, int line)
{
	fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, cond);
	abort();
}
