/* Base manifests for the check tests: each is a small, fully valid package (zero findings but
 * the schema note) that a test case bends in one place with a find/replace. The markers
 * <!--I1--> <!--ORG--> <!--COLL--> <!--R1--> mark where cases insert elements. */
#ifndef TEST_BASES_H
#define TEST_BASES_H

#define BASE_2004_NS                                                                               \
	"xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\" "                                       \
	"xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\" "                                    \
	"xmlns:adlseq=\"http://www.adlnet.org/xsd/adlseq_v1p3\" "                                  \
	"xmlns:adlnav=\"http://www.adlnet.org/xsd/adlnav_v1p3\" "                                  \
	"xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\" "                                      \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                 \
	"xsi:schemaLocation=\"http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd "             \
	"http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd "                                     \
	"http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd "                                   \
	"http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd "                                   \
	"http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd\""

#define BASE_2004(edition)                                                                         \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<manifest identifier=\"M\" version=\"1\" " BASE_2004_NS ">\n"                             \
	"<metadata><schema>ADL SCORM</schema><schemaversion>" edition                              \
	"</schemaversion></metadata>\n"                                                            \
	"<organizations default=\"O\"><organization identifier=\"O\"><title>Course</title>\n"      \
	"<item identifier=\"I1\" identifierref=\"R1\"><title>One</title><!--I1--></item>\n"        \
	"<item identifier=\"I2\" identifierref=\"R2\"><title>Two</title></item>\n"                 \
	"<!--ORG--></organization></organizations>\n"                                              \
	"<resources>\n"                                                                            \
	"<resource identifier=\"R1\" type=\"webcontent\" adlcp:scormType=\"sco\" "                 \
	"href=\"one.html\"><file href=\"one.html\"/><!--R1--><dependency identifierref=\"SHARED\"/>" \
	"</resource>\n"                                                                            \
	"<resource identifier=\"R2\" type=\"webcontent\" adlcp:scormType=\"asset\" "               \
	"href=\"two.html\"><file href=\"two.html\"/></resource>\n"                                 \
	"<resource identifier=\"SHARED\" type=\"webcontent\" adlcp:scormType=\"asset\">"           \
	"<file href=\"shared/api.js\"/></resource>\n"                                              \
	"</resources>\n<!--COLL--></manifest>\n"

#define BASE_4TH BASE_2004("2004 4th Edition")
#define BASE_3RD BASE_2004("2004 3rd Edition")

#define BASE_12                                                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                             \
	"<manifest identifier=\"M\" version=\"1.0\" "                                              \
	"xmlns=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2\" "                                \
	"xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_rootv1p2\" "                                \
	"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "                                 \
	"xsi:schemaLocation=\"http://www.imsproject.org/xsd/imscp_rootv1p1p2 "                     \
	"imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd " \
	"http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd\">\n"                         \
	"<metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>\n"      \
	"<organizations default=\"O\"><organization identifier=\"O\"><title>Course</title>\n"      \
	"<item identifier=\"I1\" identifierref=\"R1\"><title>One</title><!--I1--></item>\n"        \
	"<!--ORG--></organization></organizations>\n"                                              \
	"<resources>\n"                                                                            \
	"<resource identifier=\"R1\" type=\"webcontent\" adlcp:scormtype=\"sco\" "                 \
	"href=\"one.html\"><file href=\"one.html\"/><!--R1--></resource>\n"                        \
	"</resources>\n</manifest>\n"

#endif
