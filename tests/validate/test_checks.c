/* Every manifest check, failing and passing: each case bends one of the valid base packages in
 * bases.h with up to three find/replace edits (and optionally adds or drops a file), validates
 * it in memory, and asserts the check id fired at the expected level, or, for a passing case,
 * that it did not fire and the package has no errors at all. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "author.h"
#include "bases.h"
#include "test_validate.h"

#define X10 "abcdefghij"
#define X50 X10 X10 X10 X10 X10
#define X200 X50 X50 X50 X50
#define X250 X200 X50
#define X2000 X250 X250 X250 X250 X250 X250 X250 X250

enum { PASS = 0, FAIL = 1 };
#define E DIAG_ERROR
#define W DIAG_WARNING
#define N DIAG_NOTE

struct tcase {
	const char *name;
	const char *base;
	const char *find[3], *repl[3];
	const char *check;
	diag_level level;
	int expect; /* FAIL: at least one finding `check` at `level`; PASS: none, and no errors */
	const char *add, *drop; /* a file to add (or replace) / a base file to leave out */
};

#define COLL(x) "<imsss:sequencingCollection>" x "</imsss:sequencingCollection>"
#define SEQ_OBJ(objs) "<imsss:sequencing><imsss:objectives>" objs "</imsss:objectives></imsss:sequencing>"

static const struct tcase cases[] = {
	/* A: package and manifest */
	{"manifest present", BASE_4TH, {0}, {0}, "manifest-missing", E, PASS},
	{"manifest missing", BASE_4TH, {0}, {0}, "manifest-missing", E, FAIL, "sub/imsmanifest.xml", "imsmanifest.xml"},
	{"not well-formed", BASE_4TH, {"</manifest>"}, {"</manifes>"}, "xml", E, FAIL},
	{"well-formed", BASE_4TH, {0}, {0}, "xml", E, PASS},
	{"entity declared", BASE_4TH, {"?>\n"}, {"?>\n<!DOCTYPE manifest [<!ENTITY x \"y\">]>\n"}, "entity", E, FAIL},
	{"no entities", BASE_4TH, {0}, {0}, "entity", E, PASS},
	{"root not manifest", BASE_4TH, {"<manifest identifier", "</manifest>"}, {"<manifesto identifier", "</manifesto>"}, "root-element", E, FAIL},
	{"root in no namespace", BASE_12, {"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\""}, {""}, "root-element", E, FAIL},
	{"root manifest", BASE_12, {0}, {0}, "root-element", E, PASS},
	{"1.2 namespace, 2004 version", BASE_12, {">1.2<"}, {">2004 4th Edition<"}, "version", E, FAIL},
	{"2004 namespace, 1.2 version", BASE_4TH, {">2004 4th Edition<"}, {">1.2<"}, "version", E, FAIL},
	{"version agrees", BASE_3RD, {0}, {0}, "version", E, PASS},
	{"schema missing", BASE_4TH, {"<schema>ADL SCORM</schema>"}, {""}, "metadata", E, FAIL},
	{"metadata missing", BASE_12, {"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>"}, {""}, "metadata", E, FAIL},
	{"schema after schemaversion", BASE_4TH, {"<schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion>"}, {"<schemaversion>2004 4th Edition</schemaversion><schema>ADL SCORM</schema>"}, "metadata", E, FAIL},
	{"metadata complete", BASE_4TH, {0}, {0}, "metadata", E, PASS},
	{"schema misspelt", BASE_4TH, {">ADL SCORM<"}, {">ADL SCROM<"}, "schema-value", E, FAIL},
	{"schema with spaces", BASE_12, {">ADL SCORM<"}, {"> ADL SCORM\n<"}, "schema-value", E, PASS},
	{"schemaversion unknown", BASE_4TH, {">2004 4th Edition<"}, {">2004 5th Edition<"}, "schemaversion", E, FAIL},
	{"schemaversion CAM 1.3", BASE_4TH, {">2004 4th Edition<"}, {">CAM 1.3<"}, "schemaversion", W, FAIL},
	{"schemaversion 3rd", BASE_3RD, {0}, {0}, "schemaversion", E, PASS},
	{"two resources elements", BASE_4TH, {"<!--COLL-->"}, {"<resources/>"}, "manifest-structure", E, FAIL},
	{"no organizations", BASE_12, {"<organizations default=\"O\">", "</organizations>"}, {"<x:o xmlns:x=\"urn:x\">", "</x:o>"}, "manifest-structure", E, FAIL},
	{"two collections", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>") COLL("<imsss:sequencing ID=\"S2\"/>")}, "manifest-structure", E, FAIL},
	{"structure ok", BASE_4TH, {0}, {0}, "manifest-structure", E, PASS},
	{"1.2 version too long", BASE_12, {"\"M\" version=\"1.0\""}, {"\"M\" version=\"123456789012345678901\""}, "version-length", E, FAIL},
	{"2004 version too long", BASE_4TH, {"version=\"1\""}, {"version=\"123456789012345678901\""}, "version-length", W, FAIL},
	{"version 20 chars", BASE_12, {"\"M\" version=\"1.0\""}, {"\"M\" version=\"12345678901234567890\""}, "version-length", E, PASS},
	{"sub-manifest", BASE_4TH, {"<!--COLL-->"}, {"<manifest identifier=\"SUB\"><organizations/><resources/></manifest>"}, "submanifest", W, FAIL},
	{"no sub-manifest", BASE_4TH, {0}, {0}, "submanifest", W, PASS},
	{"resource package", BASE_12, {"<organizations default=\"O\"><organization identifier=\"O\">", "</organization></organizations>"}, {"<organizations/><x:o xmlns:x=\"urn:x\">", "</x:o>"}, "resource-package", W, FAIL},
	{"content aggregation", BASE_12, {0}, {0}, "resource-package", W, PASS},
	{"namespace not mapped", BASE_4TH, {"http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd ", "<!--I1-->"}, {"", "<adlnav:presentation/>"}, "schemalocation", E, FAIL},
	{"schemaLocation missing", BASE_12, {"xsi:schemaLocation="}, {"xsi:foo="}, "schemalocation", E, FAIL},
	{"schemaLocation odd", BASE_12, {" adlcp_rootv1p2.xsd\""}, {" adlcp_rootv1p2.xsd urn:dangling\""}, "schemalocation", E, FAIL},
	{"schemaLocation above root", BASE_12, {" imscp_rootv1p1p2.xsd"}, {" ../imscp_rootv1p1p2.xsd"}, "schemalocation", E, FAIL},
	{"namespaces mapped", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation/>"}, "schemalocation", E, PASS},
	{"location outside metadata", BASE_4TH, {"<!--I1-->"}, {"<adlcp:location>m.xml</adlcp:location>"}, "location", E, FAIL, "m.xml"},
	{"location in metadata", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><adlcp:location>m.xml</adlcp:location></metadata>"}, "location", E, PASS, "m.xml"},
	{"location file missing", BASE_4TH, {"</schemaversion></metadata>"}, {"</schemaversion><adlcp:location>m.xml</adlcp:location></metadata>"}, "file-missing", E, FAIL},
	{"schema file missing", BASE_4TH, {0}, {0}, "schema-file", E, FAIL, NULL, "imsss_v1p0.xsd"},
	{"schema file in subfolder only", BASE_12, {" adlcp_rootv1p2.xsd\""}, {" xsd/adlcp_rootv1p2.xsd\""}, "schema-file", E, FAIL, "xsd/adlcp_rootv1p2.xsd", "adlcp_rootv1p2.xsd"},
	{"schema files at root", BASE_12, {0}, {0}, "schema-file", E, PASS},
	{"unlisted file", BASE_4TH, {0}, {0}, "unlisted-files", W, FAIL, "extra.txt"},
	{"every file listed", BASE_4TH, {0}, {0}, "unlisted-files", W, PASS},
	{"objectivesGlobalToSystem on item", BASE_4TH, {"<item identifier=\"I2\""}, {"<item adlseq:objectivesGlobalToSystem=\"false\" identifier=\"I2\""}, "placement", E, FAIL},
	{"objectivesGlobalToSystem on organization", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlseq:objectivesGlobalToSystem=\"false\">"}, "placement", E, PASS},
	{"sharedDataGlobalToSystem in 3rd", BASE_3RD, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:sharedDataGlobalToSystem=\"false\">"}, "placement", E, FAIL},
	{"sharedDataGlobalToSystem in 4th", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:sharedDataGlobalToSystem=\"false\">"}, "placement", E, PASS},
	{"persistState", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" adlcp:persistState=\"true\">"}, "placement", E, FAIL},
	{"scormType on item", BASE_4TH, {"<item identifier=\"I2\""}, {"<item adlcp:scormType=\"sco\" identifier=\"I2\""}, "placement", E, FAIL},
	{"timeLimitAction in resource", BASE_4TH, {"<!--R1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "placement", E, FAIL},
	{"adlcp:data in 3rd", BASE_3RD, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\"t\"/></adlcp:data>"}, "placement", E, FAIL},
	{"2004 element in 1.2", BASE_12, {"<!--I1-->"}, {"<imsss:sequencing xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"/>"}, "wrong-version", E, FAIL},
	{"1.2 attribute in 2004", BASE_4TH, {"adlcp:scormType=\"asset\" href=\"two.html\""}, {"adlcp:scormType=\"asset\" a12:scormtype=\"asset\" xmlns:a12=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\" href=\"two.html\""}, "wrong-version", E, FAIL},
	{"editions not mixed", BASE_4TH, {0}, {0}, "wrong-version", E, PASS},
	/* B: identifiers and references */
	{"identifier not NCName", BASE_4TH, {"identifier=\"I2\""}, {"identifier=\"2I\""}, "identifier", E, FAIL},
	{"identifier missing", BASE_4TH, {"<item identifier=\"I2\" "}, {"<item "}, "identifier", E, FAIL},
	{"identifiers valid", BASE_4TH, {0}, {0}, "identifier", E, PASS},
	{"duplicate identifier", BASE_4TH, {"identifier=\"I2\""}, {"identifier=\"I1\""}, "identifier-duplicate", E, FAIL},
	{"sequencing ID clashes with item", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"I1\"/>")}, "identifier-duplicate", E, FAIL},
	{"identifiers unique", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>")}, "identifier-duplicate", E, PASS},
	{"default names nothing", BASE_4TH, {"default=\"O\""}, {"default=\"X\""}, "default-organization", E, FAIL},
	{"default missing in 2004", BASE_4TH, {" default=\"O\""}, {""}, "default-organization", E, FAIL},
	{"default missing in 1.2", BASE_12, {" default=\"O\""}, {""}, "default-organization", E, PASS},
	{"default names an organization", BASE_4TH, {0}, {0}, "default-organization", E, PASS},
	{"identifierref dangling", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R9\""}, "identifierref", E, FAIL},
	{"leaf without identifierref", BASE_4TH, {"<item identifier=\"I2\" identifierref=\"R2\">"}, {"<item identifier=\"I2\">"}, "identifierref", E, FAIL},
	{"parent with identifierref", BASE_4TH, {"<!--I1-->"}, {"<item identifier=\"I1a\" identifierref=\"R2\"><title>x</title></item>"}, "identifierref", E, FAIL},
	{"1.2 leaf without identifierref", BASE_12, {" identifierref=\"R1\""}, {""}, "identifierref", W, FAIL},
	{"identifierrefs resolve", BASE_4TH, {0}, {0}, "identifierref", E, PASS},
	{"parameters malformed", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"a b\""}, "parameters", E, FAIL},
	{"parameters without identifierref", BASE_4TH, {"<!--ORG-->"}, {"<item identifier=\"P\" parameters=\"?a=1\"><title>p</title><item identifier=\"P1\" identifierref=\"R2\"><title>q</title></item></item>"}, "parameters", W, FAIL},
	{"parameters query", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"?a=1&amp;b=x%20y#top\""}, "parameters", E, PASS},
	{"parameters fragment", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"R2\" parameters=\"#slide2\""}, "parameters", E, PASS},
	{"dependency dangling", BASE_4TH, {"identifierref=\"SHARED\""}, {"identifierref=\"NOPE\""}, "dependency", E, FAIL},
	{"dependency not empty", BASE_4TH, {"<dependency identifierref=\"SHARED\"/>"}, {"<dependency identifierref=\"SHARED\"><file href=\"one.html\"/></dependency>"}, "dependency", E, FAIL},
	{"dependency resolves", BASE_4TH, {0}, {0}, "dependency", E, PASS},
	{"resource unused", BASE_4TH, {"<dependency identifierref=\"SHARED\"/>"}, {""}, "unused-resource", W, FAIL},
	{"every resource used", BASE_4TH, {0}, {0}, "unused-resource", W, PASS},
	/* D: organization and item */
	{"item without title", BASE_4TH, {"<title>Two</title>"}, {""}, "title", E, FAIL},
	{"item with two titles", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><title>2</title>"}, "title", E, FAIL},
	{"organization without title", BASE_4TH, {"<title>Course</title>"}, {""}, "title", E, FAIL},
	{"titles present", BASE_4TH, {0}, {0}, "title", E, PASS},
	{"1.2 title over 200", BASE_12, {"<title>One</title>"}, {"<title>" X200 "x</title>"}, "title-length", E, FAIL},
	{"2004 title over 200", BASE_4TH, {"<title>One</title>"}, {"<title>" X200 "x</title>"}, "title-length", W, FAIL},
	{"title of 200", BASE_12, {"<title>One</title>"}, {"<title>" X200 "</title>"}, "title-length", E, PASS},
	{"title not first", BASE_4TH, {"<title>One</title>"}, {"<metadata/><title>One</title>"}, "element-order", E, FAIL},
	{"metadata before child item", BASE_4TH, {"<!--I1-->"}, {"<metadata/><item identifier=\"I1a\"><title>x</title></item>"}, "element-order", E, FAIL},
	{"order kept", BASE_4TH, {"<!--I1-->"}, {"<metadata/><adlcp:completionThreshold completedByMeasure=\"true\"/>"}, "element-order", E, PASS},
	{"two timeLimitActions", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction><adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "element-count", E, FAIL},
	{"two masteryscores", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>1</adlcp:masteryscore><adlcp:masteryscore>2</adlcp:masteryscore>"}, "element-count", E, FAIL},
	{"one of each", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction><adlcp:dataFromLMS>x</adlcp:dataFromLMS>"}, "element-count", E, PASS},
	{"isvisible yes", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"yes\" identifier=\"I2\""}, "isvisible", E, FAIL},
	{"isvisible 1", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"1\" identifier=\"I2\""}, "isvisible", W, FAIL},
	{"isvisible false", BASE_4TH, {"<item identifier=\"I2\""}, {"<item isvisible=\"false\" identifier=\"I2\""}, "isvisible", E, PASS},
	{"organization without items", BASE_4TH, {"</organization></organizations>"}, {"</organization><organization identifier=\"O2\"><title>Empty</title></organization></organizations>"}, "organization-items", E, FAIL},
	{"organizations with items", BASE_4TH, {0}, {0}, "organization-items", E, PASS},
	{"structure over 200", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" structure=\"" X200 "x\">"}, "structure", W, FAIL},
	{"structure hierarchical", BASE_4TH, {"<organization identifier=\"O\">"}, {"<organization identifier=\"O\" structure=\"hierarchical\">"}, "structure", W, PASS},
	/* E: learner elements */
	{"masteryscore over 100", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>101</adlcp:masteryscore>"}, "masteryscore", E, FAIL},
	{"masteryscore not a number", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>eighty</adlcp:masteryscore>"}, "masteryscore", E, FAIL},
	{"masteryscore 80", BASE_12, {"<!--I1-->"}, {"<adlcp:masteryscore>80</adlcp:masteryscore>"}, "masteryscore", E, PASS},
	{"maxtimeallowed bad", BASE_12, {"<!--I1-->"}, {"<adlcp:maxtimeallowed>1:00</adlcp:maxtimeallowed>"}, "maxtimeallowed", E, FAIL},
	{"maxtimeallowed ok", BASE_12, {"<!--I1-->"}, {"<adlcp:maxtimeallowed>0000:30:00.5</adlcp:maxtimeallowed>"}, "maxtimeallowed", E, PASS},
	{"timelimitaction bad", BASE_12, {"<!--I1-->"}, {"<adlcp:timelimitaction>stop</adlcp:timelimitaction>"}, "timelimitaction", E, FAIL},
	{"timelimitaction ok", BASE_12, {"<!--I1-->"}, {"<adlcp:timelimitaction>continue,no message</adlcp:timelimitaction>"}, "timelimitaction", E, PASS},
	{"timeLimitAction bad", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit</adlcp:timeLimitAction>"}, "timelimitaction", E, FAIL},
	{"timeLimitAction ok", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,no message</adlcp:timeLimitAction>"}, "timelimitaction", E, PASS},
	{"datafromlms over 255", BASE_12, {"<!--I1-->"}, {"<adlcp:datafromlms>" X250 "123456</adlcp:datafromlms>"}, "datafromlms", E, FAIL},
	{"datafromlms 255", BASE_12, {"<!--I1-->"}, {"<adlcp:datafromlms>" X250 "12345</adlcp:datafromlms>"}, "datafromlms", E, PASS},
	{"dataFromLMS over 4000", BASE_4TH, {"<!--I1-->"}, {"<adlcp:dataFromLMS>" X2000 X2000 "x</adlcp:dataFromLMS>"}, "datafromlms", W, FAIL},
	{"dataFromLMS 4000", BASE_4TH, {"<!--I1-->"}, {"<adlcp:dataFromLMS>" X2000 X2000 "</adlcp:dataFromLMS>"}, "datafromlms", W, PASS},
	{"prerequisites over 200", BASE_12, {"<!--I1-->"}, {"<adlcp:prerequisites type=\"aicc_script\">" X200 "x</adlcp:prerequisites>"}, "prerequisites", E, FAIL},
	{"prerequisites ok", BASE_12, {"<!--I1-->"}, {"<adlcp:prerequisites type=\"aicc_script\">I0</adlcp:prerequisites>"}, "prerequisites", E, PASS},
	{"3rd threshold over 1", BASE_3RD, {"<!--I1-->"}, {"<adlcp:completionThreshold>1.5</adlcp:completionThreshold>"}, "completion-threshold", E, FAIL},
	{"3rd threshold 0.8", BASE_3RD, {"<!--I1-->"}, {"<adlcp:completionThreshold>0.8</adlcp:completionThreshold>"}, "completion-threshold", E, PASS},
	{"4th threshold value", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold>0.8</adlcp:completionThreshold>"}, "completion-threshold", W, FAIL},
	{"4th threshold value and attributes", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold minProgressMeasure=\"0.5\">0.8</adlcp:completionThreshold>"}, "completion-threshold", E, FAIL},
	{"4th minProgressMeasure over 1", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold minProgressMeasure=\"2\"/>"}, "completion-threshold", E, FAIL},
	{"4th threshold attributes", BASE_4TH, {"<!--I1-->"}, {"<adlcp:completionThreshold completedByMeasure=\"true\" minProgressMeasure=\"0.8\" progressWeight=\"1\"/>"}, "completion-threshold", E, PASS},
	{"timeLimitAction on an asset item", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "sco-only", E, FAIL},
	{"completionThreshold on an asset item", BASE_4TH, {"<title>Two</title>"}, {"<title>Two</title><adlcp:completionThreshold completedByMeasure=\"true\"/>"}, "sco-only", E, FAIL},
	{"timeLimitAction on a SCO item", BASE_4TH, {"<!--I1-->"}, {"<adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>"}, "sco-only", E, PASS},
	{"adlcp:data empty", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data/>"}, "shared-data", E, FAIL},
	{"adlcp:map blank target", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\" \"/></adlcp:data>"}, "shared-data", E, FAIL},
	{"adlcp:data ok", BASE_4TH, {"<!--I1-->"}, {"<adlcp:data><adlcp:map targetID=\"notes\" readSharedData=\"true\" writeSharedData=\"true\"/></adlcp:data>"}, "shared-data", E, PASS},
	{"hideLMSUI unknown", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exitall</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>"}, "hidelmsui", E, FAIL},
	{"hideLMSUI ok", BASE_4TH, {"<!--I1-->"}, {"<adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>exitAll</adlnav:hideLMSUI><adlnav:hideLMSUI>previous</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>"}, "hidelmsui", E, PASS},
	/* F: resources, files, xml:base */
	{"scormType missing", BASE_4TH, {" adlcp:scormType=\"asset\" href=\"two.html\""}, {" href=\"two.html\""}, "scormtype", E, FAIL},
	{"scormType SCO", BASE_4TH, {"adlcp:scormType=\"asset\" href=\"two.html\""}, {"adlcp:scormType=\"SCO\" href=\"two.html\""}, "scormtype", E, FAIL},
	{"1.2 scormtype missing", BASE_12, {" adlcp:scormtype=\"sco\""}, {""}, "scormtype", E, FAIL},
	{"scorm types valid", BASE_12, {0}, {0}, "scormtype", E, PASS},
	{"resource type missing", BASE_4TH, {"<resource identifier=\"R2\" type=\"webcontent\""}, {"<resource identifier=\"R2\""}, "resource-type", E, FAIL},
	{"resource type not webcontent", BASE_4TH, {"<resource identifier=\"R2\" type=\"webcontent\""}, {"<resource identifier=\"R2\" type=\"html\""}, "resource-type", W, FAIL},
	{"resource type webcontent", BASE_4TH, {0}, {0}, "resource-type", E, PASS},
	{"xml:base without slash", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub\" identifier=\"R2\""}, "xml-base", E, FAIL, "sub/two.html"},
	{"xml:base absolute", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"/sub/\" identifier=\"R2\""}, "xml-base", E, FAIL},
	{"xml:base backslash", BASE_4TH, {"<resources>"}, {"<resources xml:base=\"a\\b/\">"}, "xml-base", E, FAIL},
	{"xml:base resolves", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub/\" identifier=\"R2\""}, "xml-base", E, PASS, "sub/two.html", "two.html"},
	{"xml:base file missing", BASE_4TH, {"<resource identifier=\"SHARED\""}, {"<resource xml:base=\"sub/\" identifier=\"SHARED\""}, "file-missing", E, FAIL},
	{"xml:base launch page missing", BASE_4TH, {"<resource identifier=\"R2\""}, {"<resource xml:base=\"sub/\" identifier=\"R2\""}, "launch-missing", E, FAIL},
	{"href backslash", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared\\api.js\"/>"}, "href", E, FAIL},
	{"href absolute", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"/shared/api.js\"/>"}, "href", E, FAIL},
	{"href file URL", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"file:///shared/api.js\"/>"}, "href", E, FAIL},
	{"href javascript", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"javascript:alert(1)\"/>"}, "href", E, FAIL},
	{"href drive", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"C:/shared/api.js\"/>"}, "href", E, FAIL},
	{"file without href", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file/>"}, "href", E, FAIL},
	{"hrefs fine", BASE_4TH, {0}, {0}, "href", E, PASS},
	{"bad percent escape", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/api%2.js\"/>"}, "href-encoding", E, FAIL},
	{"percent escape decoded", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/my%20api.js\"/>"}, "href-encoding", E, PASS, "shared/my api.js", "shared/api.js"},
	{"href climbs out", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"../shared/api.js\"/>"}, "href-above-root", E, FAIL},
	{"href climbs and returns", BASE_4TH, {"<file href=\"shared/api.js\"/>"}, {"<file href=\"shared/x/../api.js\"/>"}, "href-above-root", E, PASS},
	{"external href", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"https://example.org/two.html\">"}, "external-href", W, FAIL, NULL, "two.html"},
	{"local hrefs", BASE_4TH, {0}, {0}, "external-href", W, PASS},
	{"href over 2000", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"" X2000 ".html\"><file href=\"" X2000 ".html\"/>"}, "href-length", W, FAIL, X2000 ".html", "two.html"},
	{"href short", BASE_4TH, {0}, {0}, "href-length", W, PASS},
	{"href without extension", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"two\"><file href=\"two\"/>"}, "href-extension", W, FAIL, "two", "two.html"},
	{"href with extension", BASE_4TH, {"href=\"two.html\"><file href=\"two.html\"/>"}, {"href=\"two.html?page=1\"><file href=\"two.html\"/>"}, "href-extension", W, PASS},
	{"href not among files", BASE_4TH, {"<file href=\"two.html\"/>"}, {"<file href=\"other.html\"/>"}, "href-file", E, FAIL, "other.html"},
	{"1.2 href not among files", BASE_12, {"<file href=\"one.html\"/>"}, {"<file href=\"other.html\"/>"}, "href-file", W, FAIL, "other.html"},
	{"href among files, with query", BASE_4TH, {"href=\"two.html\""}, {"href=\"two.html?x=1#y\""}, "href-file", E, PASS},
	{"launched resource without href", BASE_4TH, {" href=\"two.html\""}, {""}, "href-required", E, FAIL},
	{"asset without href, not launched", BASE_4TH, {0}, {0}, "href-required", E, PASS},
	{"launch page missing", BASE_4TH, {0}, {0}, "launch-missing", E, FAIL, NULL, "two.html"},
	{"launch pages present", BASE_4TH, {0}, {0}, "launch-missing", E, PASS},
	{"listed file missing", BASE_4TH, {0}, {0}, "file-missing", E, FAIL, NULL, "shared/api.js"},
	{"listed files present", BASE_4TH, {0}, {0}, "file-missing", E, PASS},
	{"file differs by case", BASE_4TH, {0}, {0}, "file-case", W, FAIL, "Shared/api.js", "shared/api.js"},
	{"file case exact", BASE_4TH, {0}, {0}, "file-case", W, PASS},
	/* G: sequencing */
	{"ID outside the collection", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing ID=\"S1\"/>"}, "sequencing-id", E, FAIL},
	{"IDRef inside the collection", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing ID=\"S1\" IDRef=\"S1\"/>")}, "sequencing-id", E, FAIL},
	{"collection sequencing without ID", BASE_4TH, {"<!--COLL-->"}, {COLL("<imsss:sequencing/>")}, "sequencing-id", E, FAIL},
	{"IDs where they belong", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S1\"/>"}, "sequencing-id", E, PASS},
	{"IDRef dangling", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S9\"/>"}, "sequencing-idref", E, FAIL},
	{"IDRef resolves", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"/>"), "<imsss:sequencing IDRef=\"S1\"/>"}, "sequencing-idref", E, PASS},
	{"two controlModes", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:controlMode/><imsss:controlMode/></imsss:sequencing>"}, "sequencing-structure", E, FAIL},
	{"one controlMode", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/></imsss:sequencing>"}, "sequencing-structure", E, PASS},
	{"auxiliaryResources", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:auxiliaryResources/></imsss:sequencing>"}, "auxiliary-resources", W, FAIL},
	{"no auxiliaryResources", BASE_4TH, {0}, {0}, "auxiliary-resources", W, PASS},
	{"attemptAbsoluteDurationLimit", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit=\"PT1H\"/></imsss:sequencing>"}, "limit-conditions", W, FAIL},
	{"attemptLimit only", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:limitConditions attemptLimit=\"3\"/></imsss:sequencing>"}, "limit-conditions", W, PASS},
	{"objective IDs repeated", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:objective objectiveID=\"a\"/>")}, "objective-id", E, FAIL},
	{"objective without ID", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:objective/>")}, "objective-id", E, FAIL},
	{"primaryObjective with mapInfo, no ID", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective><imsss:mapInfo targetObjectiveID=\"g\"/></imsss:primaryObjective>")}, "objective-id", E, FAIL},
	{"two primaryObjectives", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"/><imsss:primaryObjective objectiveID=\"b\"/>")}, "objective-id", E, FAIL},
	{"adlseq objective unknown", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"b\"><adlseq:mapInfo targetObjectiveID=\"g\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "objective-id", E, FAIL},
	{"objectives fine", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\" satisfiedByMeasure=\"true\"><imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective><imsss:objective objectiveID=\"b\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "objective-id", E, PASS},
	{"two reads of satisfied status", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g1\"/><imsss:mapInfo targetObjectiveID=\"g2\"/></imsss:primaryObjective>")}, "mapinfo", E, FAIL},
	{"two writes to one global", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g\" writeSatisfiedStatus=\"true\"/></imsss:primaryObjective><imsss:objective objectiveID=\"b\"><imsss:mapInfo targetObjectiveID=\"g\" readSatisfiedStatus=\"false\" readNormalizedMeasure=\"false\" writeSatisfiedStatus=\"true\"/></imsss:objective>")}, "mapinfo", E, FAIL},
	{"two raw score writes", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/><imsss:objective objectiveID=\"b\"/></imsss:objectives><adlseq:objectives><adlseq:objective objectiveID=\"a\"><adlseq:mapInfo targetObjectiveID=\"g\" writeRawScore=\"true\"/></adlseq:objective><adlseq:objective objectiveID=\"b\"><adlseq:mapInfo targetObjectiveID=\"g\" readRawScore=\"false\" writeRawScore=\"true\"/></adlseq:objective></adlseq:objectives></imsss:sequencing>"}, "mapinfo", E, FAIL},
	{"one read, one write", BASE_4TH, {"<!--I1-->"}, {SEQ_OBJ("<imsss:primaryObjective objectiveID=\"a\"><imsss:mapInfo targetObjectiveID=\"g1\" writeSatisfiedStatus=\"true\"/><imsss:mapInfo targetObjectiveID=\"g2\" readSatisfiedStatus=\"false\" readNormalizedMeasure=\"false\" writeNormalizedMeasure=\"true\"/></imsss:primaryObjective>")}, "mapinfo", E, PASS},
	{"referencedObjective unknown", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"nope\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives></imsss:sequencing>"}, "referenced-objective", E, FAIL},
	{"referencedObjective known", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"a\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules><imsss:objectives><imsss:primaryObjective objectiveID=\"a\"/></imsss:objectives></imsss:sequencing>"}, "referenced-objective", E, PASS},
	{"referencedObjective from shared sequencing", BASE_4TH, {"<!--COLL-->", "<!--I1-->"}, {COLL("<imsss:sequencing ID=\"S1\"><imsss:objectives><imsss:primaryObjective objectiveID=\"shared\"/></imsss:objectives></imsss:sequencing>"), "<imsss:sequencing IDRef=\"S1\"><imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective=\"shared\" condition=\"satisfied\"/></imsss:ruleConditions><imsss:ruleAction action=\"skip\"/></imsss:preConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "referenced-objective", E, PASS},
	{"exitParent on the organization", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitParent\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", E, FAIL},
	{"exitAll on the organization", BASE_4TH, {"<!--ORG-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitAll\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", E, PASS},
	{"exitParent on an item", BASE_4TH, {"<!--I1-->"}, {"<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition=\"always\"/></imsss:ruleConditions><imsss:ruleAction action=\"exitParent\"/></imsss:postConditionRule></imsss:sequencingRules></imsss:sequencing>"}, "rule-action", E, PASS},
};

static const char *const files_2004[] = {"one.html", "two.html", "shared/api.js", "imscp_v1p1.xsd",
					 "adlcp_v1p3.xsd", "adlseq_v1p3.xsd", "adlnav_v1p3.xsd",
					 "imsss_v1p0.xsd", NULL};
static const char *const files_12[] = {"one.html", "imscp_rootv1p1p2.xsd", "imsmd_rootv1p2p1.xsd",
				       "adlcp_rootv1p2.xsd", NULL};

/* The base with each find replaced once. Fails the test if a find string is absent. */
static char *apply(const struct tcase *tc)
{
	char *s = strdup(tc->base);
	for (int i = 0; i < 3 && tc->find[i]; i++) {
		char *at = strstr(s, tc->find[i]);
		if (!at)
			fail_msg("case '%s': '%s' not in the base", tc->name, tc->find[i]);
		size_t fl = strlen(tc->find[i]), rl = strlen(tc->repl[i]), sl = strlen(s);
		char *n = malloc(sl - fl + rl + 1);
		size_t pre = (size_t)(at - s);
		memcpy(n, s, pre);
		memcpy(n + pre, tc->repl[i], rl);
		memcpy(n + pre + rl, at + fl, sl - pre - fl + 1);
		free(s);
		s = n;
	}
	return s;
}

int validate_text(const char *manifest, const char *const *files, const char *add,
		  const char *drop, diag_sink **sink_out, validate_result *res)
{
	pkg *p;
	assert_int_equal(pkg_new_memory(&p), 0);
	int drop_manifest = drop && strcmp(drop, "imsmanifest.xml") == 0;
	if (!drop_manifest)
		assert_int_equal(pkg_add(p, "imsmanifest.xml", manifest, strlen(manifest)), 0);
	for (size_t i = 0; files && files[i]; i++) {
		if (drop && strcmp(drop, files[i]) == 0)
			continue;
		assert_int_equal(pkg_add(p, files[i], "x", 1), 0);
	}
	if (add) {
		const char *data = drop_manifest ? manifest : "x";
		assert_int_equal(pkg_add(p, add, data, strlen(data)), 0);
	}
	assert_int_equal(diag_sink_new(sink_out), 0);
	int rc = validate_package(p, *sink_out, res);
	pkg_free(p);
	return rc;
}

static void dump(const diag_sink *sink)
{
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 0);
	buf_free(&out);
}

static int run_case(const struct tcase *tc)
{
	char *text = apply(tc);
	int is12 = strstr(tc->base, "imscp_rootv1p1p2\"") != NULL;
	diag_sink *sink;
	validate_result res;
	assert_int_equal(validate_text(text, is12 ? files_12 : files_2004, tc->add, tc->drop, &sink, &res),
			 0);
	size_t hits = 0, any = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		const diag *d = diag_get(sink, i);
		if (strcmp(d->check, tc->check) != 0)
			continue;
		any++;
		hits += d->level == tc->level;
	}
	int ok = tc->expect == FAIL ? hits > 0 : any == 0 && res.errors == 0;
	if (!ok) {
		print_message("case '%s' (check %s, expected to %s):\n", tc->name, tc->check,
			      tc->expect == FAIL ? "fire" : "pass");
		dump(sink);
	}
	diag_sink_free(sink);
	free(text);
	return ok;
}

/* All cases run even when one fails, so a report shows every broken check at once. */
static void every_case(void **state)
{
	size_t failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		failed += !run_case(&cases[i]);
	assert_int_equal(failed, 0);
}

/* Every check id the cases cover has a passing and a failing case. */
static void each_check_passes_and_fails(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int pass = 0, fail = 0;
		for (size_t j = 0; j < sizeof cases / sizeof cases[0]; j++) {
			if (strcmp(cases[i].check, cases[j].check) != 0)
				continue;
			pass |= cases[j].expect == PASS;
			fail |= cases[j].expect == FAIL;
		}
		if (!pass || !fail)
			fail_msg("check '%s' lacks a %s case", cases[i].check, pass ? "failing" : "passing");
	}
}

static void bases_are_clean(void **state)
{
	const char *bases[] = {BASE_4TH, BASE_3RD, BASE_12};
	const scorm_version want[] = {SCORM_2004_4TH, SCORM_2004_3RD, SCORM_12};
	for (size_t i = 0; i < 3; i++) {
		diag_sink *sink;
		validate_result res;
		assert_int_equal(validate_text(bases[i], i == 2 ? files_12 : files_2004, NULL, NULL,
					       &sink, &res),
				 0);
		size_t other = 0;
		for (size_t k = 0; k < diag_count(sink); k++)
			other += strcmp(diag_get(sink, k)->check, "schema") != 0;
		if (other)
			dump(sink);
		assert_int_equal(other, 0);
		assert_int_equal(res.errors, 0);
		assert_int_equal(res.version, want[i]);
		diag_sink_free(sink);
	}
}

static void message_and_place(void **state)
{
	struct tcase tc = {"", BASE_4TH, {"identifierref=\"R2\""}, {"identifierref=\"r9\""}};
	char *text = apply(&tc);
	diag_sink *sink;
	validate_result res;
	assert_int_equal(validate_text(text, files_2004, NULL, NULL, &sink, &res), 0);
	diag_sort(sink);
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	assert_non_null(strstr(buf_cstr(&out),
			       "imsmanifest.xml:6:23: error: item 'I2' has identifierref 'r9' but no "
			       "resource has that identifier\n"
			       "    6 | <item identifier=\"I2\" identifierref=\"r9\"><title>Two</title></item>\n"
			       "      |                       ^\n"));
	buf_free(&out);
	diag_sink_free(sink);
	free(text);
}

/* xml:base values add up: manifest, resources, resource (each ends with '/'). */
static void xml_base_chain(void **state)
{
	struct tcase tc = {"", BASE_4TH, {"<resources>", "<resource identifier=\"R2\""},
			   {"<resources xml:base=\"content/\">",
			    "<resource xml:base=\"pages/\" identifier=\"R2\""}};
	char *text = apply(&tc);
	const char *files[] = {"content/one.html", "content/pages/two.html", "content/shared/api.js",
			       "imscp_v1p1.xsd", "adlcp_v1p3.xsd", "adlseq_v1p3.xsd",
			       "adlnav_v1p3.xsd", "imsss_v1p0.xsd", NULL};
	diag_sink *sink;
	validate_result res;
	assert_int_equal(validate_text(text, files, NULL, NULL, &sink, &res), 0);
	if (res.errors || res.warnings > 1)
		dump(sink);
	assert_int_equal(res.errors, 0);
	diag_sink_free(sink);
	assert_int_equal(validate_text(text, files_2004, NULL, NULL, &sink, &res), 0);
	assert_true(res.errors >= 3); /* the same files without the bases are not where it points */
	diag_sink_free(sink);
	free(text);
}

static void bare_manifest_skips_files(void **state)
{
	char path[] = "/tmp/pc_manifest_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *m = BASE_12;
	assert_int_equal(write(fd, m, strlen(m)), (ssize_t)strlen(m));
	close(fd);
	diag_sink *sink;
	pkg *p;
	validate_result res;
	assert_int_equal(diag_sink_new(&sink), 0);
	assert_int_equal(pkg_open(&p, path, NULL, sink), 0);
	assert_int_equal(pkg_get_kind(p), PKG_MANIFEST);
	assert_int_equal(validate_package(p, sink, &res), 0);
	int skipped = 0, files = 0;
	for (size_t i = 0; i < diag_count(sink); i++) {
		skipped += strcmp(diag_get(sink, i)->check, "files-skipped") == 0;
		files += strcmp(diag_get(sink, i)->check, "schema-file") == 0 ||
			 strcmp(diag_get(sink, i)->check, "launch-missing") == 0;
	}
	assert_int_equal(skipped, 1);
	assert_int_equal(files, 0);
	assert_int_equal(res.version, SCORM_12);
	pkg_free(p);
	diag_sink_free(sink);
	unlink(path);
}

int test_checks(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bases_are_clean),
		cmocka_unit_test(every_case),
		cmocka_unit_test(each_check_passes_and_fails),
		cmocka_unit_test(message_and_place),
		cmocka_unit_test(xml_base_chain),
		cmocka_unit_test(bare_manifest_skips_files),
	};
	return cmocka_run_group_tests_name("checks", tests, NULL, NULL);
}
