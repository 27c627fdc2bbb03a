/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test.h - the whole unit-test harness: TAP on stdout, read by prove(1)
 * or tests/check.sh. One binary per module (tests/unit/test_<module>.c).
 */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <stdlib.h>

#include "err.h"

static int test_n, test_failed;

static int
test_check(int ok, const char *what, const char *file, int line)
{
	test_n++;
	if (!ok)
		test_failed++;
	printf("%sok %d - %s:%d: %s\n", ok ? "" : "not ", test_n, file, line, what);
	return ok;
}

#define CHECK(cond) test_check(!!(cond), #cond, __FILE__, __LINE__)

#define CHECK_ERR(expr, want) do {                                          \
		int got_ = (expr);                                          \
		if (!test_check(got_ == (want), #expr " == " #want,         \
		    __FILE__, __LINE__))                                    \
			printf("#   got %d (%s)\n", got_, err_str(got_));   \
	} while (0)

/* Stop the whole test binary: a precondition (a vector file) is missing. */
#define TEST_BAIL(...) do {                                                 \
		printf("Bail out! ");                                       \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
		exit(1);                                                    \
	} while (0)

static int
test_done(void)
{
	printf("1..%d\n", test_n);
	return test_failed != 0;
}

#endif
