/* Every check id the validator and the package reader report, with its level: the one place
 * the policy of README.md ("postcard validate", Levels) is written down in code. vreport takes
 * the level from here, so a check cannot drift from its class; the tests require every finding
 * to carry the level its row gives. */
#include <string.h>

#include "validate.h"

#define E VL_ERROR
#define C VL_CONFORMANCE
#define W VL_WARNING
#define N VL_NOTE
#define SAME VL_SAME

static const validate_check table[] = {
	/* the archive (author/package: reported before any check runs) */
	{"open", E, SAME, NULL, "the package cannot be opened or a file in it cannot be read"},
	{"zip", E, SAME, NULL, "not a zip, or a zip whose directory is broken"},
	{"unsafe-path", E, SAME, NULL, "an entry's name escapes the package (zip slip, absolute, drive letter)"},
	{"symlink", E, SAME, NULL, "a symbolic link in the package"},
	{"encrypted", E, SAME, NULL, "an encrypted entry (no LMS can read it)"},
	{"duplicate-entry", E, SAME, NULL, "two entries with the same name"},
	{"case-clash", W, SAME, NULL, "names that differ only by case (one wins on Windows and macOS)"},
	{"name-encoding", W, SAME, NULL, "a name that is not UTF-8"},
	{"corrupt-entry", E, SAME, NULL, "an entry whose data is corrupt or lies about its size"},
	{"limit", E, SAME, NULL, "a limit hit: too many files, too large, a zip bomb"},
	/* the manifest as a document */
	{"manifest-missing", E, SAME, NULL, "no imsmanifest.xml at the package root"},
	{"xml", E, SAME, NULL, "the manifest is not well-formed XML"},
	{"entity", E, SAME, NULL, "entity declarations or references (refused: expansion attacks)"},
	{"root-element", E, SAME, NULL, "the root is not <manifest> in a SCORM content-packaging namespace"},
	{"version", E, SAME, NULL, "the namespace and <schemaversion> name different SCORM versions"},
	{"schemaversion", E, C, "CAM 3.4.1.4", "<schemaversion> missing or unknown (LMSs run a 2004 package without one as 1.2)"},
	{"edition-2nd", W, SAME, NULL, "SCORM 2004 2nd Edition ('CAM 1.3'): checked as 3rd Edition"},
	{"schema", C, SAME, "XSD", "the manifest is not valid against the SCORM schemas"},
	{"metadata", C, SAME, "CAM 3.4.1.2", "<metadata> missing, repeated, or not <schema> then <schemaversion>"},
	{"schema-value", C, SAME, "CAM 3.4.1.3", "<schema> is not 'ADL SCORM'"},
	{"manifest-structure", E, SAME, NULL, "no <organizations> or no <resources>"},
	{"element-count", C, SAME, "XSD", "an element that may appear once appears more often"},
	{"version-length", W, C, "XSD maxLength 20", "manifest/@version longer than 20 characters"},
	{"submanifest", W, SAME, NULL, "a sub-manifest (ADL advises against them; many LMSs ignore them)"},
	{"resource-package", W, SAME, NULL, "empty <organizations>: a resource package, nothing to launch"},
	{"schemalocation", C, SAME, "SchemaHandler", "a namespace used but not mapped in an xsi:schemaLocation, or a location outside the package"},
	{"schema-file", C, SAME, "RequiredFilesChecker", "a schema named in xsi:schemaLocation is not at the package root"},
	{"location", C, SAME, "CAM 3.4.1.2", "adlcp:location outside a <metadata>"},
	{"placement", C, SAME, "XSD", "an ADL extension element or attribute where it is not allowed"},
	{"wrong-version", C, SAME, "XSD", "an element or attribute of the other SCORM version"},
	{"unlisted-files", W, SAME, NULL, "files in the package that no <file> lists"},
	{"files-skipped", N, SAME, NULL, "a bare manifest: the file checks did not run"},
	/* identifiers and references */
	{"identifier", E, SAME, NULL, "a manifest, organization, item or resource without an identifier"},
	{"identifier-syntax", C, SAME, "XSD xs:ID", "an identifier that is not an XML ID (starts with a digit, has spaces)"},
	{"identifier-duplicate", E, SAME, NULL, "two items, organizations or resources with the same identifier"},
	{"identifier-shared", C, SAME, "XSD xs:ID", "elements of different kinds (an item and a resource) share an identifier"},
	{"default-organization", C, SAME, "REQ_30.6.1", "organizations/@default missing (2004) or naming no organization"},
	{"identifierref", E, SAME, NULL, "an item's identifierref names no resource"},
	{"leaf-item", E, W, NULL, "a leaf item without identifierref: it launches nothing"},
	{"parent-item-launch", C, W, "REQ_30.6.3.6.2.4", "an item with child items and an identifierref"},
	{"parameters", C, SAME, "ParameterHandler", "item parameters that are not '#frag', '?n=v&...' or 'n=v&...'"},
	{"parameters-ignored", W, SAME, NULL, "parameters on an item without identifierref"},
	{"dependency", E, SAME, NULL, "a <dependency> naming no resource, or without identifierref"},
	{"dependency-content", C, SAME, "XSD", "a <dependency> that is not empty"},
	{"unused-resource", W, SAME, NULL, "a resource no item or dependency uses"},
	/* organizations and items */
	{"title", C, SAME, "XSD", "an organization or item without exactly one <title>"},
	{"title-length", W, C, "XSD maxLength 200", "a title over 200 characters"},
	{"element-order", C, SAME, "REQ_30.6.3.6.5", "an item's children out of order (title, items, metadata, extensions)"},
	{"isvisible", C, SAME, "XSD xs:boolean", "isvisible is not a boolean"},
	{"isvisible-numeric", W, SAME, NULL, "isvisible '1' or '0': valid, but LMSs look for 'true' and 'false'"},
	{"organization-items", C, SAME, "REQ_30.6.3.4", "an organization without items"},
	{"structure", W, SAME, NULL, "organization/@structure over 200 characters"},
	{"masteryscore", C, SAME, "RTE mastery_score", "adlcp:masteryscore is not a number from 0 to 100"},
	{"maxtimeallowed", C, SAME, "XSD CMITimespan", "adlcp:maxtimeallowed is not HHHH:MM:SS.SS"},
	{"timelimitaction", C, SAME, "REQ_30.6.3.6.9.2", "time limit action not one of the four values"},
	{"datafromlms", W, C, "XSD maxLength 255", "launch data over 255 (1.2) or 4000 (2004) characters"},
	{"prerequisites", C, SAME, "XSD maxLength 200", "adlcp:prerequisites over 200 characters"},
	{"completion-threshold", C, SAME, "REQ_30.6.3.6.13", "a completion threshold out of range or mixing value and attributes"},
	{"completion-threshold-value", W, SAME, NULL, "a 4th Edition completionThreshold value (deprecated: use the attributes)"},
	{"sco-only", C, SAME, "CAM 3.4", "an element only SCO items may have, on an item launching an asset"},
	{"shared-data", C, SAME, "CAM 3.4", "adlcp:data without maps, or a map without targetID"},
	{"hidelmsui", C, SAME, "XSD", "adlnav:hideLMSUI not one of the seven values"},
	/* resources and files */
	{"scormtype", E, SAME, NULL, "a resource without a valid adlcp:scormType (scormtype in 1.2): LMSs run it as an asset"},
	{"resource-type", C, SAME, "XSD", "a resource without a type attribute"},
	{"resource-type-value", W, SAME, NULL, "a resource type other than 'webcontent'"},
	{"xml-base", C, SAME, "CAM 3.4 xml:base", "xml:base not relative, with a backslash, or not ending in '/'"},
	{"href", C, SAME, "ResourceHrefChecker", "a file href that is empty, absolute, a drive path, a file: URL or has a backslash"},
	{"href-encoding", C, SAME, "ResourceHrefChecker.9", "an href with an invalid %-escape"},
	{"href-above-root", C, SAME, "ResourceHrefChecker.3", "an href that climbs above the package root"},
	{"launch-href", E, SAME, NULL, "a launched resource's href cannot name a file of the package"},
	{"external-href", W, SAME, NULL, "an href outside the package (needs the network)"},
	{"href-length", W, SAME, NULL, "xml:base + href over 2000 characters"},
	{"href-extension", W, SAME, NULL, "a resource href without a file extension"},
	{"href-file", C, W, "REQ_30.7.3.9.1.1", "a resource href not listed in a <file> of the resource or of a resource it depends on"},
	{"href-required", E, SAME, NULL, "a resource an item launches has no href"},
	{"launch-missing", E, SAME, NULL, "a launch page is not in the package"},
	{"file-missing", E, SAME, NULL, "a file the manifest lists is not in the package"},
	{"file-case", W, SAME, NULL, "a listed file is in the package under another case"},
	/* sequencing (2004) */
	{"sequencing-id", C, SAME, "REQ_31.4.3", "imsss:sequencing ID outside the collection, or IDRef inside it"},
	{"sequencing-idref", E, SAME, NULL, "an IDRef naming no sequencing of the collection"},
	{"sequencing-structure", C, SAME, "XSD", "a sequencing child repeated"},
	{"auxiliary-resources", W, SAME, NULL, "imsss:auxiliaryResources (LMSs ignore it)"},
	{"limit-conditions", W, SAME, NULL, "attemptAbsoluteDurationLimit (LMSs enforce it differently)"},
	{"objective-id", C, SAME, "IMS SS objectives", "objective IDs missing or repeated, not one primary objective, an adlseq objective matching none"},
	{"objective-id-form", W, SAME, NULL, "an objective reference that matches only after %-unescaping, space or case folding"},
	{"mapinfo", C, SAME, "IMS SS mapInfo", "an objective reading satisfaction or measure from two globals, or two writes of one global field"},
	{"mapinfo-read", W, SAME, NULL, "an objective reading a score, completion or progress from two globals (which one wins is undefined)"},
	{"referenced-objective", E, SAME, NULL, "a rule's referencedObjective names no objective of the activity"},
	{"rule-action", C, SAME, "REQ_31 ruleAction", "a post-condition action the organization cannot take"},
	/* the content */
	{"remote-asset", W, SAME, NULL, "HTML, CSS or JavaScript loading a script, style, font, media or frame from the internet"},
	/* --lms PROFILE */
	{"lms-edition", W, SAME, NULL, "the LMS does not take this SCORM edition"},
	{"lms-sequencing", W, SAME, NULL, "the LMS runs only part of SCORM 2004 sequencing"},
	{"lms-interactions-report", W, SAME, NULL, "the LMS's reports do not show this edition's interactions"},
	{"lms-completion", W, SAME, NULL, "the LMS's default completion rule does not match what the content reports"},
	{"lms-grading", W, SAME, NULL, "the LMS's default grading of a multi-SCO package"},
	{"lms-comments", W, SAME, NULL, "the LMS never keeps learner comments"},
	{"lms-interactions-resume", W, SAME, NULL, "the LMS answers cmi.interactions._count with 0 on resume"},
	{"lms-profile", N, SAME, NULL, "what the profile adds (when nothing is known to add)"},
	/* the run itself */
	{"internal", E, SAME, NULL, "validation stopped (out of memory)"},
};

const validate_check *validate_checks(size_t *count)
{
	*count = PC_ARRAY_LEN(table);
	return table;
}

const validate_check *validate_check_find(const char *id)
{
	for (size_t i = 0; i < PC_ARRAY_LEN(table); i++)
		if (strcmp(table[i].id, id) == 0)
			return &table[i];
	return NULL;
}

validate_level validate_check_class(const validate_check *chk, scorm_version v)
{
	return v == SCORM_12 && chk->level12 != VL_SAME ? chk->level12 : chk->level;
}

diag_level validate_check_level(const validate_check *chk, scorm_version v, int strict)
{
	switch (validate_check_class(chk, v)) {
	case VL_CONFORMANCE:
		return strict ? DIAG_ERROR : DIAG_WARNING;
	case VL_WARNING:
		return DIAG_WARNING;
	case VL_NOTE:
		return DIAG_NOTE;
	default:
		return DIAG_ERROR;
	}
}

const char *validate_level_name(validate_level l)
{
	static const char *const names[] = {"same", "error", "conformance", "warning", "note"};
	return (size_t)l < PC_ARRAY_LEN(names) ? names[l] : "?";
}
