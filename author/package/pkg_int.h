/* Private to the package reader (pkg.c, zipread.c, pkgdir.c): the body of `struct pkg` and the
 * helpers the three sources share. Nothing outside those files includes this. */
#ifndef POSTCARD_PKG_INT_H
#define POSTCARD_PKG_INT_H

#include <stdint.h>
#include <zip.h>

#include "pkg.h"
#include "zipcd.h"

/* Entries above this size must also respect the compression-ratio limit: a small file that
 * compresses very well (a blank image, a run of spaces) is harmless, a large one is a bomb. */
#define PKG_RATIO_MIN_SIZE ((uint64_t)1 << 20)

typedef struct pkg_entry {
	char *name;         /* '/' separated, relative to the root; invalid UTF-8 shown as \xNN */
	uint64_t size;      /* declared uncompressed size (zip) or stat size (folder) */
	uint64_t csize;     /* declared compressed size (zip) */
	zip_uint64_t index; /* zip entry index */
	unsigned char *data; /* memory packages: the bytes (size of them) */
	int refused;        /* listed, but reading it is refused (encrypted, over a limit) */
	int verified;       /* read whole once already, CRC and size checked */
	int refused_code;   /* the PC_* code pkg_read returns for a refused entry */
} pkg_entry;

struct pkg {
	pkg_kind kind;
	char *display;  /* the path given, as shown to the user */
	char *root;     /* folder root, the bare manifest's path, or the zip's path */
	char *manifest_display;
	int qualified;  /* zip members shown as "PKG.zip(NAME)" (pkg_qualify_members) */
	zip_t *za;      /* libzip, opened only when the central directory needs it */
	int fd;         /* the zip, open for the package's life (-1: none) */
	uint64_t size;  /* of the zip */
	zipcd cd;       /* its central directory */
	int cd_indexed; /* cd.e[i] describes libzip's entry i */
	int libzip_only; /* no shortcut: libzip lists, reads and checks everything (tests) */
	pkg_limits lim;
	pkg_entry *e;
	size_t n, cap;
	size_t *sorted; /* entry indices sorted by name, for lookups */
	int sorted_ok;
	uint64_t total_read; /* bytes inflated so far, against lim.max_total */
};

/* pkg_open, choosing the zip reader: `libzip_only` makes libzip list, read and CRC-check every
 * entry, with none of the shortcuts of zipcd.c / zipverify.c. The tests open the same archive
 * both ways and require the same listing, data and findings. */
int pkg_open_reader(pkg **out, const char *path, const pkg_limits *lim, int libzip_only,
		    diag_sink *sink);

/* Appends an entry (name copied). Returns its index through *at, or PC_ENOMEM. */
int pkg_entry_add(pkg *p, const char *name, size_t *at);
/* The same with a heap name the package now owns (freed here on failure; NULL: PC_ENOMEM). */
int pkg_entry_take(pkg *p, char *name, size_t *at);
/* Reports container-level findings that need the whole list: duplicate names and names that
 * differ only by case. Duplicates after the first are refused (which copy an unzipper keeps
 * is undefined). */
void pkg_check_names(pkg *p, diag_sink *sink);

/* Classifies a raw entry name from a zip or a folder walk. Returns 0 and a cleaned copy in
 * *clean (caller frees) when the name is usable; otherwise PC_EFORMAT with the reason in
 * *why (a static string). Invalid UTF-8 is not a rejection: *bad_utf8 is set and the bytes
 * are shown as \xNN in the copy. */
int pkg_clean_name(const char *raw, size_t len, char **clean, const char **why, int *bad_utf8);

int zipread_open(pkg *p, const char *path, diag_sink *sink);
int zipread_read(pkg *p, pkg_entry *e, char **data, size_t *len, diag_sink *sink);
/* Opens libzip on the package's zip if that is not done yet. Returns 0, or a PC_* code with
 * the reason reported to `sink`. */
int zipread_libzip(pkg *p, diag_sink *sink);
/* Checks the data of every entry (zipverify.c), handing the entries `v` wants (v may be NULL)
 * to it once checked. Returns 0 or PC_ENOMEM; findings to sink. */
int zipverify_all(pkg *p, diag_sink *sink, const pkg_visitor *v);
int pkgdir_open(pkg *p, const char *path, diag_sink *sink);
int pkgdir_read(pkg *p, pkg_entry *e, char **data, size_t *len, diag_sink *sink);
/* pkgdir_read of at most the first `max` bytes. */
int pkgdir_read_prefix(pkg *p, pkg_entry *e, size_t max, char **data, size_t *len,
		       diag_sink *sink);

#endif
