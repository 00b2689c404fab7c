/* libxml2's parse and schema messages about postcard sources, in the project's words with the
 * fix (see explain.h). Tables first: the attributes and element values with their rule, the
 * question types' one-line descriptions, the HTML entity names people type. A message no rule
 * matches keeps libxml2's words (reader.c tidies them). */
#include "explain.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "common.h"
#include "model.h"

/* "%V" in a template is replaced by the value written (quoted as it is). */
struct value_rule {
	const char *element; /* "*": any */
	const char *attr;    /* NULL: the element's text */
	const char *fix;
};

static const struct value_rule value_rules[] = {
	{"quiz", "pass",
	 "the pass mark is a percentage from 0 to 100, a whole number without '%': for example "
	 "pass=\"80\", not '%V'"},
	{"option", "correct", "correct is \"true\" or \"false\", not '%V': write correct=\"true\" on each right option"},
	{"true-false", "answer", "the answer of a true-false question is \"true\" or \"false\", not '%V'"},
	{"*", "version",
	 "version '%V' must be three whole numbers, MAJOR.MINOR.PATCH: for example version=\"1.2.0\" "
	 "(raise MINOR or PATCH for corrections, MAJOR to start learners afresh)"},
	{"*", "id",
	 "id '%V' must start with a lower-case letter and hold only lower-case letters, digits and "
	 "single hyphens: for example id=\"peer-assist\""},
	{"*", "lang", "lang '%V' must be a language tag such as en-GB"},
	{"answer", "value", "'%V' is not a number: write digits with a point for decimals, no units or commas, such as value=\"12.5\""},
	{"answer", "min", "'%V' is not a number: write digits with a point for decimals, no units or commas, such as min=\"4\""},
	{"answer", "max", "'%V' is not a number: write digits with a point for decimals, no units or commas, such as max=\"8\""},
	{"fill-in", "maxlength", "maxlength is the longest answer in characters, a whole number from 1 to 250, such as maxlength=\"40\", not '%V'"},
	{"reflection", "maxlength", "maxlength is the longest reflection in characters, a whole number, such as maxlength=\"2000\", not '%V'"},
	{"*", "src",
	 "src '%V' must name a file in the module folder, such as src=\"what.md\": letters, digits, "
	 "'_', '.', '-' and '/' only (no spaces)"},
	{"phase", NULL, "phase is one of overview, before, during or after, not '%V'"},
	{"duration", NULL,
	 "duration is written the ISO 8601 way: PT10M for 10 minutes, PT1H30M for an hour and a "
	 "half; not '%V'"},
};

/* What to write for a required attribute that is missing. */
static const struct {
	const char *attr, *hint;
} missing_hints[] = {
	{"id", "a name unique in the module: lower-case letters, digits and hyphens, such as id=\"what\""},
	{"src", "the file it reads, such as src=\"what.md\""},
	{"pass", "the pass mark in percent, such as pass=\"80\""},
	{"version", "MAJOR.MINOR.PATCH, such as version=\"1.0.0\""},
	{"lang", "the language of the text, such as lang=\"en-GB\""},
	{"answer", "true or false, such as answer=\"true\""},
};

/* One line on each question type, for "not a question type" (types without a row are listed
 * by name alone). */
static const struct {
	const char *type, *what;
} question_help[] = {
	{"choice", "one right answer"},	      {"multiple", "several right answers"},
	{"true-false", "true or false"},      {"fill-in", "a typed answer"},
	{"numeric", "a number or a range"},   {"matching", "pairs"},
	{"ordering", "steps in order"},	      {"likert", "a scale with no right answer"},
};

/* HTML entity names people type in XML, and what to write instead. */
static const struct {
	const char *name, *ref, *what;
} entities[] = {
	{"nbsp", "&#160;", "a non-breaking space"}, {"ndash", "&#8211;", "–"}, {"mdash", "&#8212;", "—"},
	{"pound", "&#163;", "£"},	 {"euro", "&#8364;", "€"},	{"copy", "&#169;", "©"},
	{"hellip", "&#8230;", "…"},	 {"lsquo", "&#8216;", "‘"},	{"rsquo", "&#8217;", "’"},
	{"ldquo", "&#8220;", "“"},	 {"rdquo", "&#8221;", "”"},	{"bull", "&#8226;", "•"},
	{"middot", "&#183;", "·"},	 {"times", "&#215;", "×"},	{"deg", "&#176;", "°"},
};

static const char *elem_name(const xmlNode *n)
{
	return n && n->name ? (const char *)n->name : "?";
}

/* Appends `tmpl` with every "%V" replaced by `value`. */
static void expand(buf *out, const char *tmpl, const char *value)
{
	for (const char *p = tmpl; *p;) {
		const char *v = strstr(p, "%V");
		if (!v) {
			buf_puts(out, p);
			break;
		}
		buf_put(out, p, (size_t)(v - p));
		buf_puts(out, value);
		p = v + 2;
	}
}

/* The text between the quotes after `key` in msg ("attribute 'A'" -> A), into out[size]. */
static int quoted_after(const char *msg, const char *key, char *out, size_t size)
{
	const char *k = strstr(msg, key);
	if (!k)
		return 0;
	const char *s = k + strlen(key), *e = strchr(s, '\'');
	if (!e || (size_t)(e - s) >= size)
		return 0;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return 1;
}

static const struct value_rule *find_rule(const char *element, const char *attr)
{
	const struct value_rule *any = NULL;
	for (size_t i = 0; i < PC_ARRAY_LEN(value_rules); i++) {
		const struct value_rule *r = &value_rules[i];
		if ((r->attr == NULL) != (attr == NULL) || (attr && strcmp(r->attr, attr) != 0))
			continue;
		if (strcmp(r->element, element) == 0)
			return r;
		if (strcmp(r->element, "*") == 0 && !any)
			any = r;
	}
	return any;
}

/* "( a, b, c )" after "Expected is" or "Expected is one of": "<a>, <b> or <c>". */
static int expected_list(const char *msg, buf *out)
{
	const char *e = strstr(msg, "Expected is");
	const char *open = e ? strchr(e, '(') : NULL, *close = open ? strchr(open, ')') : NULL;
	if (!open || !close)
		return 0;
	char names[16][64];
	size_t n = 0;
	for (const char *p = open + 1; p < close && n < PC_ARRAY_LEN(names);) {
		while (p < close && (*p == ' ' || *p == ','))
			p++;
		const char *s = p;
		while (p < close && *p != ',' && *p != ' ')
			p++;
		if (p > s && (size_t)(p - s) < sizeof names[0]) {
			memcpy(names[n], s, (size_t)(p - s));
			names[n++][p - s] = '\0';
		}
	}
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s<%s>", i == 0 ? "" : i + 1 == n ? " or " : ", ", names[i]);
	return n > 0;
}

static int is_question_type(const char *name)
{
	for (int i = Q_CHOICE; i <= Q_LIKERT; i++)
		if (strcmp(name, q_type_name((q_type)i)) == 0)
			return 1;
	return 0;
}

static void question_types(buf *out)
{
	for (int i = Q_CHOICE; i <= Q_LIKERT; i++) {
		const char *t = q_type_name((q_type)i);
		buf_printf(out, "%s<%s>", i == Q_CHOICE ? "" : i == Q_LIKERT ? " or " : ", ", t);
		for (size_t k = 0; k < PC_ARRAY_LEN(question_help); k++)
			if (strcmp(question_help[k].type, t) == 0)
				buf_printf(out, " (%s)", question_help[k].what);
	}
}

static int not_expected(const xmlNode *node, const char *msg, buf *out)
{
	const char *name = elem_name(node);
	const xmlNode *parent = node->parent && node->parent->type == XML_ELEMENT_NODE ? node->parent : NULL;
	if (parent && strcmp(elem_name(parent), "quiz") == 0 && !is_question_type(name)) {
		buf_printf(out, "<%s> is not a question type: a quiz holds ", name);
		question_types(out);
		return 1;
	}
	/* one element expected, and the parent has none: that element is missing, not this one */
	char want[64];
	const char *e = strstr(msg, "Expected is ( ");
	if (parent && e && sscanf(e, "Expected is ( %63[^ ,)] )", want) == 1 && !strchr(e, ',')) {
		int present = 0;
		for (const xmlNode *c = parent->children; c; c = c->next)
			present |= c->type == XML_ELEMENT_NODE && strcmp(elem_name(c), want) == 0;
		if (!present) {
			buf_printf(out, "<%s> has no <%s>: add one before <%s>", elem_name(parent), want,
				   name);
			return 1;
		}
	}
	buf_printf(out, "<%s> is not allowed here", name);
	if (parent)
		buf_printf(out, " in <%s>", elem_name(parent));
	buf b = BUF_INIT;
	if (expected_list(msg, &b))
		buf_printf(out, ": the next element must be %s", buf_cstr(&b));
	else
		buf_puts(out, ": check its spelling and where it is (schemas/ has every element in order)");
	buf_free(&b);
	return 1;
}

/* The facets that refuse an empty or blank value (lineType, textType: minLength 1 and a
 * pattern asking for a non-space character). */
static int empty_rule(const char *msg)
{
	return strstr(msg, "\\S") || strstr(msg, "[facet 'minLength']");
}

int explain_schema(const xmlNode *node, const char *msg, buf *out)
{
	if (!node || node->type != XML_ELEMENT_NODE || !msg)
		return 0;
	const char *name = elem_name(node);
	char attr[64], value_buf[256];
	if (quoted_after(msg, "', attribute '", attr, sizeof attr) && strstr(msg, "is not allowed")) {
		buf_printf(out, "<%s> has no attribute %s: check its spelling", name, attr);
		return 1;
	}
	if (quoted_after(msg, "', attribute '", attr, sizeof attr)) {
		xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)attr);
		snprintf(value_buf, sizeof value_buf, "%s", v ? (const char *)v : "");
		xmlFree(v);
		int blank = 1;
		for (const char *p = value_buf; *p; p++)
			blank &= isspace((unsigned char)*p) != 0;
		if (blank && empty_rule(msg)) {
			buf_printf(out, "%s on <%s> must not be empty", attr, name);
			return 1;
		}
		const struct value_rule *r = find_rule(name, attr);
		if (!r)
			return 0;
		expand(out, r->fix, value_buf);
		return 1;
	}
	if (quoted_after(msg, "The attribute '", attr, sizeof attr)) {
		if (strstr(msg, "is required but missing")) {
			buf_printf(out, "<%s> needs a%s %s attribute", name,
				   strchr("aeiou", attr[0]) ? "n" : "", attr);
			for (size_t i = 0; i < PC_ARRAY_LEN(missing_hints); i++)
				if (strcmp(missing_hints[i].attr, attr) == 0)
					buf_printf(out, ": %s", missing_hints[i].hint);
			return 1;
		}
		if (strstr(msg, "is not allowed")) {
			buf_printf(out, "<%s> has no attribute %s: check its spelling", name, attr);
			return 1;
		}
		return 0;
	}
	if (strstr(msg, "This element is not expected"))
		return not_expected(node, msg, out);
	if (strstr(msg, "Missing child element")) {
		buf b = BUF_INIT;
		int listed = expected_list(msg, &b);
		buf_printf(out, "<%s> is missing %s", name, listed ? buf_cstr(&b) : "an element");
		buf_free(&b);
		return 1;
	}
	if (strstr(msg, "Character content other than whitespace is not allowed")) {
		buf_printf(out, "<%s> holds elements, not text of its own: put the text inside one of "
				"its elements",
			   name);
		return 1;
	}
	/* the element's own value */
	xmlChar *t = xmlNodeGetContent(node);
	snprintf(value_buf, sizeof value_buf, "%s", t ? (const char *)t : "");
	xmlFree(t);
	int blank = 1;
	for (const char *p = value_buf; *p; p++)
		blank &= isspace((unsigned char)*p) != 0;
	if (blank && empty_rule(msg)) {
		buf_printf(out, "<%s> must not be empty", name);
		return 1;
	}
	const struct value_rule *r = find_rule(name, NULL);
	if (!r)
		return 0;
	expand(out, r->fix, value_buf);
	return 1;
}

/* The '&' a message is about: the nearest one at or before `off` on its line. */
static size_t amp_before(const char *text, size_t off)
{
	for (size_t i = off + 1; i-- > 0;) {
		if (text[i] == '&')
			return i;
		if (text[i] == '\n')
			break;
	}
	return (size_t)-1;
}

int explain_parse(int code, const char *msg, const char *text, size_t len, size_t off, buf *out)
{
	if (off > len)
		off = len;
	switch (code) {
	case XML_ERR_ENTITYREF_SEMICOL_MISSING:
	case XML_ERR_NAME_REQUIRED: {
		size_t amp = amp_before(text, off < len ? off : len ? len - 1 : 0);
		if (amp == (size_t)-1 || (code == XML_ERR_NAME_REQUIRED && !strstr(msg, "EntityRef")))
			return 0;
		buf_puts(out, "a '&' on its own starts a special name in XML: write it as &amp; (for "
			      "example A&amp;E, Q&amp;A)");
		return 1;
	}
	case XML_ERR_UNDECLARED_ENTITY:
	case XML_WAR_UNDECLARED_ENTITY: {
		char name[64];
		if (!quoted_after(msg, "Entity '", name, sizeof name))
			return 0;
		for (size_t i = 0; i < PC_ARRAY_LEN(entities); i++)
			if (strcmp(entities[i].name, name) == 0) {
				buf_printf(out, "&%s; is an HTML name XML does not know: type %s itself, "
						"or write %s",
					   name, entities[i].what, entities[i].ref);
				return 1;
			}
		buf_printf(out, "&%s; is not a name XML knows: type the character itself (and write a "
				"lone '&' as &amp;)",
			   name);
		return 1;
	}
	case XML_ERR_TAG_NAME_MISMATCH: {
		char opened[64], closed[64];
		unsigned line = 0;
		if (sscanf(msg, "Opening and ending tag mismatch: %63s line %u and %63s", opened, &line,
			   closed) != 3)
			return 0;
		buf_printf(out, "</%s> does not close <%s> (opened on line %u): an element ends with its "
				"own name, </%s>",
			   closed, opened, line, opened);
		return 1;
	}
	case XML_ERR_LT_IN_ATTRIBUTE:
		buf_puts(out, "a '<' inside an attribute value must be written &lt;");
		return 1;
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
		buf_puts(out, "an attribute's value goes in quotes, such as pass=\"80\"");
		return 1;
	default:
		return 0;
	}
}
