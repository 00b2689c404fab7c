/* `postcard import`: validate a SCORM zip with the author library's validator, store it once
 * under its SHA-256 (DATA/packages/<hash>.zip, written to a temporary name, fsynced, renamed),
 * record the version in the store and make it current. A new version of a known manifest
 * identifier replaces the old one in the catalogue; learners' records stay keyed by the manifest
 * and item identifiers, and the result says what changed between the two versions. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <zip.h>

#include "app.h"
#include "common.h"
#include "pkg.h"
#include "validate.h"

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Hashes the file and copies it to `dest` (unless it already exists). */
static int hash_and_store(const char *src, const char *data_dir, char hash[65], int64_t *size,
			  int *already, diag_sink *sink)
{
	int rc = PC_EIO, in = -1, out = -1;
	char tmp[4200] = "", dest[4200];
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	static unsigned char chunk[1 << 16];
	*size = 0;
	*already = 0;
	if (sodium_init() < 0)
		return PC_EIO;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		diag_line(sink, DIAG_ERROR, src, 0, 0, "io", "cannot open: %s", strerror(errno));
		return PC_EIO;
	}
	snprintf(tmp, sizeof tmp, "%s/packages/.import-%ld.tmp", data_dir, (long)getpid());
	out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		diag_line(sink, DIAG_ERROR, tmp, 0, 0, "io", "cannot write: %s", strerror(errno));
		goto cleanup;
	}
	crypto_hash_sha256_init(&st);
	for (;;) {
		ssize_t n = read(in, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag_line(sink, DIAG_ERROR, src, 0, 0, "io", "cannot read: %s", strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		crypto_hash_sha256_update(&st, chunk, (unsigned long long)n);
		*size += n;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, chunk + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				diag_line(sink, DIAG_ERROR, tmp, 0, 0, "io", "cannot write: %s",
					  strerror(errno));
				goto cleanup;
			}
			off += w;
		}
	}
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(hash, 65, digest, sizeof digest);
	snprintf(dest, sizeof dest, "%s/packages/%s.zip", data_dir, hash);
	struct stat sb;
	if (stat(dest, &sb) == 0) {
		*already = 1;
		rc = 0;
		goto cleanup;
	}
	/* Durable before the store points at it: data, then the name, then the folder. */
	if (fsync(out) != 0 || close(out) != 0) {
		out = -1;
		diag_line(sink, DIAG_ERROR, tmp, 0, 0, "io", "cannot write: %s", strerror(errno));
		goto cleanup;
	}
	out = -1;
	if (rename(tmp, dest) != 0) {
		diag_line(sink, DIAG_ERROR, dest, 0, 0, "io", "cannot store: %s", strerror(errno));
		goto cleanup;
	}
	tmp[0] = '\0';
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/packages", data_dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	rc = 0;
cleanup:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (tmp[0])
		unlink(tmp);
	return rc;
}

/* SHA-256 of a file as 64 hex digits. */
static int hash_file(const char *path, char hash[65])
{
	static unsigned char chunk[1 << 16];
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	if (sodium_init() < 0)
		return PC_EIO;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return PC_EIO;
	crypto_hash_sha256_init(&st);
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			crypto_hash_sha256_update(&st, chunk, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return PC_EIO;
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(hash, 65, digest, sizeof digest);
	return 0;
}

int app_fetch_package(rt_app *app, const char *hash, const char *path)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s/packages/.fetch-%ld-%.64s.tmp", app->data_dir, (long)getpid(),
		 hash);
	int rc = app->st->ops->package_file_get(app->st, hash, tmp);
	if (rc)
		return rc;
	char got[65];
	if ((rc = hash_file(tmp, got)) == 0 && strcmp(got, hash) != 0)
		rc = PC_EFORMAT; /* not the bytes that were imported */
	if (rc == 0 && rename(tmp, path) != 0)
		rc = PC_EIO;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/packages", app->data_dir);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

static const char *scorm_token(scorm_version v)
{
	switch (v) {
	case SCORM_12:
		return "1.2";
	case SCORM_2004_3RD:
		return "2004-3rd";
	case SCORM_2004_4TH:
		return "2004-4th";
	default:
		return "unknown";
	}
}

/* Lines saying how `now` differs from `before`, into res->changes. */
static void describe_changes(const sco_list *before, const sco_list *now, rt_import_result *res)
{
	buf b;
	buf_init(&b, sizeof res->changes - 1);
	if ((before->version_attr || now->version_attr) &&
	    (!before->version_attr || !now->version_attr ||
	     strcmp(before->version_attr, now->version_attr) != 0))
		buf_printf(&b, "version %s -> %s\n", before->version_attr ? before->version_attr : "(none)",
			   now->version_attr ? now->version_attr : "(none)");
	if (strcmp(before->title, now->title) != 0)
		buf_printf(&b, "title \"%s\" -> \"%s\"\n", before->title, now->title);
	/* another edition is said by the caller (rt_import_result.edition, previous_edition) */
	for (size_t i = 0; i < now->count; i++) {
		const sco_item *o = sco_list_find(before, now->items[i].id);
		if (!o)
			buf_printf(&b, "item %s added\n", now->items[i].id);
		else if (strcmp(o->title, now->items[i].title) != 0)
			buf_printf(&b, "item %s renamed \"%s\" -> \"%s\"\n", o->id, o->title,
				   now->items[i].title);
		else if ((o->href == NULL) != (now->items[i].href == NULL) ||
			 (o->href && strcmp(o->href, now->items[i].href) != 0))
			buf_printf(&b, "item %s launches %s (was %s)\n", o->id,
				   now->items[i].href ? now->items[i].href : "nothing",
				   o->href ? o->href : "nothing");
	}
	for (size_t i = 0; i < before->count; i++)
		if (!sco_list_find(now, before->items[i].id))
			buf_printf(&b, "item %s removed (learners' records for it are kept)\n",
				   before->items[i].id);
	if (b.len == 0 && !buf_error(&b))
		buf_puts(&b, "content changed; items and titles are the same\n");
	snprintf(res->changes, sizeof res->changes, "%s",
		 buf_error(&b) ? "many changes (list too long to show)\n" : buf_cstr(&b));
	buf_free(&b);
}

/* Writes a folder package's files (as the package reader lists them, sorted, with a fixed time)
 * into a zip at `out`, so the same folder always gives the same zip and the same hash. */
static int zip_folder(pkg *p, const char *out, diag_sink *sink)
{
	int err = 0, rc = PC_EIO;
	zip_t *z = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (!z) {
		diag_line(sink, DIAG_ERROR, out, 0, 0, "io", "cannot write a zip here");
		return PC_EIO;
	}
	size_t n = pkg_count(p);
	const char **names = calloc(n ? n : 1, sizeof *names);
	if (!names) {
		zip_discard(z);
		return PC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = pkg_name(p, i);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		char *data = NULL;
		size_t len = 0;
		if ((rc = pkg_read(p, names[i], &data, &len)))
			goto fail;
		zip_source_t *src = zip_source_buffer(z, data, len, 1);
		if (!src) {
			free(data);
			rc = PC_ENOMEM;
			goto fail;
		}
		zip_int64_t idx = zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(src);
			rc = PC_EIO;
			goto fail;
		}
		zip_file_set_mtime(z, (zip_uint64_t)idx, 1577836800, 0); /* 2020-01-01, as build does */
	}
	free(names);
	if (zip_close(z) != 0) {
		zip_discard(z);
		diag_line(sink, DIAG_ERROR, out, 0, 0, "io", "cannot write the zip");
		return PC_EIO;
	}
	return 0;
fail:
	free(names);
	zip_discard(z);
	return rc;
}

int rt_import(rt_app *app, const char *zip_path, diag_sink *sink, rt_import_result *res)
{
	memset(res, 0, sizeof *res);
	pkg *p = NULL;
	pkg_limits lim;
	pkg_limits_default(&lim);
	char folder_zip[4200] = "";
	int rc = pkg_open(&p, zip_path, &lim, sink);
	if (rc)
		return rc;
	if (pkg_get_kind(p) != PKG_ZIP && pkg_get_kind(p) != PKG_DIR) {
		diag_line(sink, DIAG_ERROR, zip_path, 0, 0, "import",
			  "import takes a SCORM zip or a package folder");
		pkg_free(p);
		return PC_EFORMAT;
	}
	validate_result vr = {0};
	rc = validate_package(p, sink, &vr);
	if (rc == 0 && !vr.errors && !diag_count_level(sink, DIAG_ERROR) && pkg_get_kind(p) == PKG_DIR) {
		/* A folder is stored as the zip of its files. */
		snprintf(folder_zip, sizeof folder_zip, "%s/packages/.folder-%ld.zip", app->data_dir,
			 (long)getpid());
		rc = zip_folder(p, folder_zip, sink);
	}
	pkg_free(p);
	if (rc)
		goto done;
	if (vr.errors || diag_count_level(sink, DIAG_ERROR)) {
		rc = PC_EINVALID;
		goto done;
	}
	int64_t size;
	rc = hash_and_store(folder_zip[0] ? folder_zip : zip_path, app->data_dir, res->hash, &size,
			    &res->already, sink);
done:
	if (folder_zip[0])
		unlink(folder_zip);
	if (rc)
		return rc;
	/* Parse the stored copy: that is what will be served. */
	char *manifest = NULL;
	size_t len = 0;
	sco_list *now = NULL;
	char dest[4200], *previous = NULL;
	snprintf(dest, sizeof dest, "%s/packages/%s.zip", app->data_dir, res->hash);
	zipserve_add(app->zs, res->hash, dest);
	rc = zipserve_read(app->zs, res->hash, "imsmanifest.xml", &manifest, &len);
	if (!rc)
		rc = sco_list_parse(&now, manifest, len);
	free(manifest);
	if (rc) {
		diag_line(sink, DIAG_ERROR, zip_path, 0, 0, "import",
			  "the manifest has no launchable item the player can run");
		return rc;
	}
	snprintf(res->package, sizeof res->package, "%s", now->manifest_id);
	snprintf(res->title, sizeof res->title, "%s", now->title);
	res->scos = (int)now->launchable;
	const rt_pkg *before = app_find_package(app, now->manifest_id);
	store_version v = {
		.package = now->manifest_id,
		.hash = res->hash,
		.title = now->title,
		.scorm = (char *)(uintptr_t)scorm_token(vr.version != SCORM_UNKNOWN ? vr.version
									      : now->version),
		.version_attr = now->version_attr,
		.size = size,
	};
	/* Where every node can read it (a shared store keeps the bytes) before anyone can launch it. */
	rc = app->st->ops->package_file_put(app->st, res->hash, dest);
	if (rc) {
		diag_line(sink, DIAG_ERROR, app->db_path, 0, 0, "import",
			  "cannot store the package file in the database: %s", pc_strerror(rc));
		goto cleanup;
	}
	rc = app->st->ops->version_put(app->st, &v, &previous);
	if (rc) {
		diag_line(sink, DIAG_ERROR, app->db_path, 0, 0, "import", "cannot record the package");
		goto cleanup;
	}
	snprintf(res->edition, sizeof res->edition, "%s",
		 sco_list_edition(now));
	if (previous && before) {
		snprintf(res->previous, sizeof res->previous, "%s", previous);
		snprintf(res->previous_edition, sizeof res->previous_edition, "%s",
			 sco_list_edition(before->scos));
		res->previous_scos = (int)before->scos->launchable;
		describe_changes(before->scos, now, res);
	}
	rc = app_load_version(app, now->manifest_id, res->hash, 1, NULL);
	if (rc)
		diag_line(sink, DIAG_ERROR, zip_path, 0, 0, "import", "cannot load the stored package");
cleanup:
	free(previous);
	sco_list_free(now);
	return rc;
}
