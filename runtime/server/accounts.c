/* Accounts in team mode: passwords hashed with argon2id (libsodium), random tokens and the
 * SHA-256 the store keeps of them, email addresses as keys, roles, and the operations the CLI
 * (`postcard user`) and the admin pages share: creating an account (with a one-time link to set
 * a password), setting a password, erasing a person with everything kept about them, pruning the
 * journal. Every change is written to the audit log. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "common.h"
#include "utf8.h"

static const char *const role_names[] = {
	[ROLE_LEARNER] = "learner",
	[ROLE_MANAGER] = "manager",
	[ROLE_ADMIN] = "admin",
};

int accounts_role(const char *name)
{
	for (size_t i = 0; name && i < PC_ARRAY_LEN(role_names); i++)
		if (strcmp(role_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *accounts_role_name(app_role r)
{
	return (size_t)r < PC_ARRAY_LEN(role_names) ? role_names[r] : "learner";
}

int accounts_email(const char *in, char *out, size_t size)
{
	size_t n = strlen(in);
	while (n && isspace((unsigned char)in[n - 1]))
		n--;
	while (n && isspace((unsigned char)*in)) {
		in++;
		n--;
	}
	/* RFC 5321 caps a path at 256 octets (254 for the address); one '@' with text on each side,
	 * a dot in the domain, and printable ASCII only: enough to catch typing slips. */
	if (n < 3 || n > ACCOUNTS_EMAIL_MAX || n >= size)
		return -1;
	const char *at = memchr(in, '@', n);
	if (!at || at == in || at == in + n - 1 || memchr(at + 1, '@', (size_t)(in + n - at - 1)) ||
	    !memchr(at + 1, '.', (size_t)(in + n - at - 1)) || at[1] == '.' || in[n - 1] == '.')
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= 0x20 || c >= 0x7f || strchr("\"(),:;<>[\\]", c))
			return -1;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return 0;
}

const char *accounts_password_problem(const char *pw)
{
	size_t len = strlen(pw);
	if (!utf8_valid(pw, len))
		return "the password is not valid text";
	if (utf8_count(pw, len) < ACCOUNTS_PASSWORD_MIN)
		return "a password needs at least 10 characters";
	if (len > ACCOUNTS_PASSWORD_MAX)
		return "a password can have at most 256 bytes";
	return NULL;
}

int accounts_hash(const char *pw, unsigned cost, char out[ACCOUNTS_HASH_MAX])
{
	/* Interactive limits (64 MiB, 2 passes): a login takes about a tenth of a second of one core,
	 * which the password thread spends at a lower priority than the content (pwq.c). */
	unsigned long long ops = cost ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = cost ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	return crypto_pwhash_str_alg(out, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) == 0
		       ? 0
		       : PC_ENOMEM;
}

int accounts_verify(const char *hash, const char *pw)
{
	return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void accounts_token(char token[HTTP_TOKEN_LEN + 1], char hash[65])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, HTTP_TOKEN_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (hash)
		accounts_token_hash(token, hash);
}

void accounts_token_hash(const char *token, char hash[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hash, 65, d, sizeof d);
}

int accounts_create(rt_app *app, const char *actor, const char *email_in, const char *name,
		    app_role role, const char *password, int64_t *id, char link[HTTP_TOKEN_LEN + 1],
		    char *err, size_t errsize)
{
	char email[ACCOUNTS_EMAIL_MAX + 1], hash[ACCOUNTS_HASH_MAX] = "";
	if (accounts_email(email_in, email, sizeof email) != 0) {
		snprintf(err, errsize, "'%s' is not an email address", email_in);
		return PC_EINVAL;
	}
	size_t nlen = name ? strlen(name) : 0;
	if (!name || !nlen || nlen > 255 || !utf8_valid(name, nlen)) {
		snprintf(err, errsize, "a name of 1 to 255 bytes is needed for %s", email);
		return PC_EINVAL;
	}
	if (password) {
		const char *why = accounts_password_problem(password);
		if (why) {
			snprintf(err, errsize, "%s", why);
			return PC_EINVAL;
		}
		if (accounts_hash(password, app->pw_cost, hash) != 0) {
			snprintf(err, errsize, "out of memory hashing the password");
			return PC_ENOMEM;
		}
	}
	/* What content sees as the learner id: random, never the email (content is untrusted). */
	unsigned char raw[8];
	char ident[20] = "u";
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(ident + 1, sizeof ident - 1, raw, sizeof raw);
	store_user u = {.ident = ident, .email = email, .name = (char *)(uintptr_t)name,
			.role = (char *)(uintptr_t)accounts_role_name(role),
			.password_hash = password ? hash : NULL};
	int rc = app->st->ops->user_add(app->st, &u, id);
	if (rc == PC_EINVAL) {
		snprintf(err, errsize, "%s already has an account", email);
		return rc;
	}
	if (rc == 0 && link)
		rc = accounts_link(app, *id, link);
	if (rc == 0)
		rc = app->st->ops->audit_add(app->st, actor, "account created", email,
					     accounts_role_name(role));
	if (rc)
		snprintf(err, errsize, "cannot write to the database: %s", pc_strerror(rc));
	return rc;
}

int accounts_link(rt_app *app, int64_t user_id, char link[HTTP_TOKEN_LEN + 1])
{
	char hash[65];
	accounts_token(link, hash);
	return app->st->ops->invite_put(app->st, hash, user_id,
					(int64_t)time(NULL) + ACCOUNTS_LINK_TTL);
}

int accounts_erase(rt_app *app, const char *actor, int64_t user_id, const char *label)
{
	/* Sessions and launch tokens go with the rows; forget the cached ones too. */
	int rc = app->st->ops->learner_erase(app->st, user_id);
	if (rc)
		return rc;
	launch_cache_clear(app->launches);
	session_cache_clear(app->sessions);
	char target[64];
	snprintf(target, sizeof target, "learner #%lld", (long long)user_id);
	(void)label; /* the label (an email) is not kept: erasing means nothing of them is left */
	return app->st->ops->audit_add(app->st, actor, "learner erased", target,
				       "attempts, states, answers, journal, sessions and memberships");
}

/* ---- What the CLI calls (runtime.h) ------------------------------------------------------- */

int rt_user_add(rt_app *app, const char *email, const char *name, const char *role,
		const char *password, char *err, size_t errsize)
{
	int r = accounts_role(role ? role : "learner");
	if (r < 0) {
		snprintf(err, errsize, "the role is learner, manager or admin (got '%s')", role);
		return PC_EINVAL;
	}
	int64_t id;
	return accounts_create(app, "command line", email, name, (app_role)r, password, &id, NULL,
			       err, errsize);
}

int rt_user_password(rt_app *app, const char *email_in, const char *password, char *err,
		     size_t errsize)
{
	char email[ACCOUNTS_EMAIL_MAX + 1], hash[ACCOUNTS_HASH_MAX];
	store_user u;
	const char *why = accounts_password_problem(password);
	if (why) {
		snprintf(err, errsize, "%s", why);
		return PC_EINVAL;
	}
	if (accounts_email(email_in, email, sizeof email) != 0 ||
	    app->st->ops->user_get(app->st, 0, email, &u) != 0) {
		snprintf(err, errsize, "no account for '%s'", email_in);
		return PC_ENOTFOUND;
	}
	int rc = accounts_hash(password, app->pw_cost, hash);
	if (rc == 0)
		rc = app->st->ops->user_update(app->st, u.id, hash, NULL, NULL);
	if (rc == 0)
		rc = app->st->ops->session_delete(app->st, NULL, u.id); /* signed out everywhere */
	if (rc == 0)
		rc = app->st->ops->audit_add(app->st, "command line", "password set", email, NULL);
	store_user_clear(&u);
	if (rc)
		snprintf(err, errsize, "cannot write to the database: %s", pc_strerror(rc));
	return rc;
}

int rt_user_erase(rt_app *app, const char *email_in, char *err, size_t errsize)
{
	char email[ACCOUNTS_EMAIL_MAX + 1];
	store_user u;
	if (accounts_email(email_in, email, sizeof email) != 0 ||
	    app->st->ops->user_get(app->st, 0, email, &u) != 0) {
		snprintf(err, errsize, "no account for '%s'", email_in);
		return PC_ENOTFOUND;
	}
	int rc = accounts_erase(app, "command line", u.id, email);
	store_user_clear(&u);
	if (rc)
		snprintf(err, errsize, "cannot erase: %s", pc_strerror(rc));
	return rc;
}

int rt_user_list(rt_app *app, rt_records_sink sink, void *ctx)
{
	store_user *u = NULL;
	size_t n = 0;
	int rc = app->st->ops->user_list(app->st, &u, &n);
	buf b;
	buf_init(&b, 0);
	for (size_t i = 0; rc == 0 && i < n; i++)
		buf_printf(&b, "%-40s %-8s %s%s\n", u[i].email, u[i].role, u[i].name,
			   u[i].password_hash ? "" : " (no password yet)");
	if (rc == 0)
		rc = buf_error(&b);
	if (rc == 0 && b.len)
		rc = sink(ctx, b.data, b.len);
	buf_free(&b);
	store_users_free(u, n);
	return rc;
}

int rt_journal_prune(rt_app *app, unsigned days, int64_t *deleted)
{
	time_t cut = time(NULL) - (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&cut, &tm);
	char before[32], detail[80];
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int rc = app->st->ops->journal_prune(app->st, before, deleted);
	if (rc)
		return rc;
	snprintf(detail, sizeof detail, "%lld rows received before %s", (long long)*deleted, before);
	return app->st->ops->audit_add(app->st, "command line", "journal pruned", NULL, detail);
}
