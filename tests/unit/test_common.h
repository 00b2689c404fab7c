#ifndef TEST_COMMON_H
#define TEST_COMMON_H
int test_buf(void);
int test_diag(void);
int test_utf8(void);
int test_lazylib(void);
int test_fstree(void);
#endif
