/* `postcard new DIR`: a module that builds as it is and explains itself. module.xml shows every
 * question type with a comment on what it does, and two cards show the Markdown an author needs
 * (headings, lists, links, an image with alt text is described in a comment). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "common.h"
#include "model.h"

static const char module_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!--\n"
	"  A postcard module. Build it with:   postcard build FOLDER   (the folder holding this file)\n"
	"  The full guide is docs/authoring.md; the exact rules are schemas/postcard-module.xsd.\n"
	"\n"
	"  id       names the module in the package and in learners' records: never change it once\n"
	"           learners have used the module. Lower-case letters, digits and hyphens.\n"
	"  version  MAJOR.MINOR.PATCH. Raise MINOR or PATCH for corrections (an LMS keeps learners'\n"
	"           progress when you upload the new package); raise MAJOR only to start everyone afresh.\n"
	"  lang     the language of the text, such as en-GB.\n"
	"-->\n"
	"<module xmlns=\"urn:postcard:module:1\" id=\"@ID@\" version=\"1.0.0\" lang=\"en-GB\">\n"
	"  <title>My new module</title>\n"
	"  <!-- overview, before, during or after: where it sits in the Knowledge Mobilisation Framework -->\n"
	"  <phase>before</phase>\n"
	"  <summary>One or two sentences that tell learners what they will get from this module.</summary>\n"
	"  <!-- optional: two or three things learners will be able to do afterwards. With them, the\n"
	"       module opens on a start screen: the summary, these outcomes, about how long it takes\n"
	"       (worked out from the words) and the phase. -->\n"
	"  <outcomes>\n"
	"    <outcome>Say when a Before Action Review helps</outcome>\n"
	"    <outcome>Run one with your team</outcome>\n"
	"  </outcomes>\n"
	"  <!-- optional: about how long it takes (PT15M is 15 minutes) -->\n"
	"  <duration>PT10M</duration>\n"
	"  <!-- optional: words to find the module by -->\n"
	"  <keywords>\n"
	"    <keyword>knowledge mobilisation</keyword>\n"
	"  </keywords>\n"
	"\n"
	"  <!-- The cards, in the order learners see them. Each is a Markdown file in this folder;\n"
	"       the first heading in the file is the card's title. -->\n"
	"  <card id=\"what\" src=\"what.md\"/>\n"
	"  <card id=\"how\" src=\"how.md\"/>\n"
	"\n"
	"  <!-- The quiz comes after the cards. pass is the pass mark in percent of the scored\n"
	"       questions (every type below except likert is scored, each worth the same).\n"
	"       Delete the questions you do not need; ids must be unique in the module. -->\n"
	"  <quiz id=\"check\" pass=\"80\">\n"
	"    <!-- choice: the learner picks one option; exactly one is correct=\"true\".\n"
	"         Any option can say why it is right or wrong with feedback=\"...\". Each learner sees\n"
	"         the options in an order of their own; fixed=\"true\" keeps an option in its place.\n"
	"         card=\"...\" (any question) names the card that teaches it: the result screen links\n"
	"         a missed question back to that card. -->\n"
	"    <choice id=\"when\" card=\"what\">\n"
	"      <prompt>When do you hold a Before Action Review?</prompt>\n"
	"      <option correct=\"true\" feedback=\"Right: just before the work starts.\">Just before the work starts</option>\n"
	"      <option feedback=\"Looking back at the end is a Retrospect.\">When the work has finished</option>\n"
	"    </choice>\n"
	"\n"
	"    <!-- multiple: the learner picks every correct option and nothing else. -->\n"
	"    <multiple id=\"who\">\n"
	"      <prompt>Who could you invite to a Peer Assist?</prompt>\n"
	"      <option correct=\"true\">People from other teams who have done similar work</option>\n"
	"      <option correct=\"true\">A facilitator from outside the team</option>\n"
	"      <option feedback=\"A Peer Assist is for learning, not for approval.\">The board, to sign off the plan</option>\n"
	"    </multiple>\n"
	"\n"
	"    <!-- true-false: answer=\"true\" or answer=\"false\". <feedback> works on every scored type:\n"
	"         what the learner sees after a right or a wrong answer. -->\n"
	"    <true-false id=\"blame\" answer=\"false\">\n"
	"      <prompt>An After Action Review is a good place to decide who was to blame.</prompt>\n"
	"      <feedback correct=\"Yes: it is about learning, not blame.\" incorrect=\"An AAR looks for lessons, not for someone to blame.\"/>\n"
	"    </true-false>\n"
	"\n"
	"    <!-- fill-in: the learner types a short answer; it is right when it matches one of the\n"
	"         answers, ignoring case and extra spaces. maxlength caps what they can type. -->\n"
	"    <fill-in id=\"name-it\" maxlength=\"40\">\n"
	"      <prompt>What is the name of the short meeting held just before work starts?</prompt>\n"
	"      <answer>Before Action Review</answer>\n"
	"      <answer>BAR</answer>\n"
	"    </fill-in>\n"
	"\n"
	"    <!-- numeric: a number; value=\"6\" for one exact answer, or min and/or max for a range. -->\n"
	"    <numeric id=\"peers\">\n"
	"      <prompt>How many visiting peers does a Peer Assist usually have?</prompt>\n"
	"      <answer min=\"4\" max=\"8\"/>\n"
	"    </numeric>\n"
	"\n"
	"    <!-- matching: the learner picks a target for each source; targets are shown shuffled\n"
	"         (the same way every time). -->\n"
	"    <matching id=\"phases\">\n"
	"      <prompt>Match each technique to the phase it belongs to.</prompt>\n"
	"      <pair><source>Peer Assist</source><target>Learning Before</target></pair>\n"
	"      <pair><source>Retrospect</source><target>Learning After</target></pair>\n"
	"    </matching>\n"
	"\n"
	"    <!-- ordering: write the steps in the right order; learners see them shuffled. -->\n"
	"    <ordering id=\"steps\">\n"
	"      <prompt>Put the steps of a Peer Assist in order.</prompt>\n"
	"      <step>Agree the purpose</step>\n"
	"      <step>Invite peers</step>\n"
	"      <step>Share context</step>\n"
	"    </ordering>\n"
	"\n"
	"    <!-- likert: a scale with no right answer; never scored. -->\n"
	"    <likert id=\"confidence\">\n"
	"      <prompt>How confident do you feel about running a Before Action Review?</prompt>\n"
	"      <option>Not confident</option>\n"
	"      <option>Fairly confident</option>\n"
	"      <option>Very confident</option>\n"
	"    </likert>\n"
	"  </quiz>\n"
	"\n"
	"  <!-- optional: a question for learners to answer in their own words. The answer is kept for\n"
	"       them (the LMS stores it as a learner comment) and is not scored. -->\n"
	"  <reflection id=\"plan\">\n"
	"    <prompt>Which piece of work coming up could use a Before Action Review?</prompt>\n"
	"  </reflection>\n"
	"\n"
	"  <!-- optional: further reading shown at the end. Link text must say where it goes. -->\n"
	"  <reading>\n"
	"    <link href=\"https://learninghub.nhs.uk/\">The NHS Learning Hub</link>\n"
	"  </reading>\n"
	"</module>\n";

static const char what_md[] =
	"# What this module is about\n"
	"\n"
	"This is a card. Write it in Markdown: the first heading (the line starting with `#`) is\n"
	"the card's title.\n"
	"\n"
	"## A smaller heading\n"
	"\n"
	"Use `##` under the title, then `###`: never skip a level, screen readers navigate by them.\n"
	"\n"
	"- Lists start with a dash.\n"
	"- **Bold** and *italic* work as usual.\n"
	"\n"
	"To show an image, put it in a `media/` folder here and describe it in the brackets (the\n"
	"alt text read to people who cannot see it):\n"
	"`![A ward team meeting around a table](media/team.png)`\n";

static const char how_md[] =
	"# How to use it\n"
	"\n"
	"1. Write one card per idea, a few short paragraphs each.\n"
	"2. List the cards in `module.xml` in the order learners should see them.\n"
	"3. Run `postcard build` on this folder to get a SCORM package to upload.\n"
	"\n"
	"Links open in a new tab. Make the link text say where it goes, such as\n"
	"[the NHS Learning Hub](https://learninghub.nhs.uk/), never \"click here\".\n"
	"\n"
	"HTML is not allowed in cards: it is left out of the package.\n";

/* The module id a folder name gives: lower case, runs of other characters become one hyphen.
 * Returns 0, or PC_EINVAL when nothing usable is left. */
static int id_from_dir(const char *dir, char *id, size_t cap)
{
	const char *base = dir + strlen(dir);
	while (base > dir && base[-1] == '/')
		base--;
	const char *end = base;
	while (base > dir && base[-1] != '/')
		base--;
	size_t o = 0;
	int hyphen = 0;
	for (const char *p = base; p < end && o + 2 < cap && o < 40; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) && c < 0x80) {
			if (hyphen && o)
				id[o++] = '-';
			hyphen = 0;
			id[o++] = (char)tolower(c);
		} else {
			hyphen = 1;
		}
	}
	while (o && id[o - 1] == '-')
		o--;
	id[o] = '\0';
	if (!o || !isalpha((unsigned char)id[0]))
		return PC_EINVAL;
	return 0;
}

static int write_text(const char *dir, const char *name, const char *text, diag_sink *sink)
{
	char *path = path_join(dir, name);
	if (!path)
		return PC_ENOMEM;
	FILE *f = fopen(path, "wx"); /* never overwrite an author's file */
	int rc = 0;
	if (!f || fputs(text, f) < 0) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "new", "cannot write: %s", strerror(errno));
		rc = PC_EIO;
	}
	if (f && fclose(f) != 0 && !rc) {
		diag_line(sink, DIAG_ERROR, path, 0, 0, "new", "cannot write: %s", strerror(errno));
		rc = PC_EIO;
	}
	free(path);
	return rc;
}

int scaffold_module(const char *dir, diag_sink *sink)
{
	char id[48];
	if (id_from_dir(dir, id, sizeof id) != 0) {
		diag_line(sink, DIAG_ERROR, dir, 0, 0, "new",
			  "the folder name must start with a letter: it becomes the module id");
		return PC_EINVAL;
	}
	/* parent folders too, like mkdir -p */
	char *parents = strdup(dir);
	if (!parents)
		return PC_ENOMEM;
	for (char *p = parents + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(parents, 0777); /* an error shows on the last mkdir below */
			*p = '/';
		}
	free(parents);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		diag_line(sink, DIAG_ERROR, dir, 0, 0, "new", "cannot create the folder: %s",
			  strerror(errno));
		return PC_EIO;
	}
	char *mx = path_join(dir, "module.xml");
	if (!mx)
		return PC_ENOMEM;
	struct stat st;
	int exists = stat(mx, &st) == 0;
	free(mx);
	if (exists) {
		diag_line(sink, DIAG_ERROR, dir, 0, 0, "new", "there is already a module.xml here");
		return PC_EIO;
	}
	/* the template holds one @ID@ where the module id goes */
	const char *at = strstr(module_xml, "@ID@");
	size_t n = sizeof module_xml + strlen(id);
	char *xml = malloc(n);
	if (!xml)
		return PC_ENOMEM;
	snprintf(xml, n, "%.*s%s%s", (int)(at - module_xml), module_xml, id, at + 4);
	int rc = write_text(dir, "module.xml", xml, sink);
	free(xml);
	if (!rc)
		rc = write_text(dir, "what.md", what_md, sink);
	if (!rc)
		rc = write_text(dir, "how.md", how_md, sink);
	return rc;
}
