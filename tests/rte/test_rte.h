#ifndef TEST_RTE_H
#define TEST_RTE_H
int test_vectors(void);
int test_cmi(void);
int test_json_read(void);
#endif
