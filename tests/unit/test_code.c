/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_code.c - the guess rules of master/code.c, played as an attacker
 * would: answered guesses count before anything is known, held ones block
 * further answers, confirmations take back only what they confirm, and
 * the budget holds across codes until the host ends a pause.
 */
#include <string.h>

#include <sodium.h>

#include "code.h"
#include "test.h"

int
main(void)
{
	struct code c;
	unsigned answered, i;

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	memset(&c, 0, sizeof(c));
	code_renew(&c, 1000);
	CHECK(strlen(c.digits) == SESSION_CODE_DIGITS && code_may_answer(&c));

	/* Held handshakes: three answers, then nothing more for this code. */
	for (answered = 0; code_may_answer(&c); answered++)
		code_answered(&c);
	CHECK(answered == SESSION_CODE_FAILURES_MAX);
	/* One of them was the supporter: its confirmation frees one place,
	 * the other two fail, and the third failure is never reached. */
	code_confirmed(&c);
	CHECK(c.failures == 2 && c.failed_total == 2 && code_may_answer(&c));
	CHECK(code_failed(&c) == CODE_KEEP);        /* settled, already counted */
	CHECK(code_failed(&c) == CODE_KEEP);

	/* Three held, the code retires at the first failure: the other two end
	 * with it and settle against the budget only, so they retire nothing. */
	memset(&c, 0, sizeof(c));
	code_renew(&c, 0);
	for (i = 0; i < SESSION_CODE_FAILURES_MAX; i++)
		code_answered(&c);
	CHECK(code_failed(&c) == CODE_RETIRE);
	code_forget(&c);
	CHECK(code_failed(&c) == CODE_KEEP && code_failed(&c) == CODE_KEEP);
	code_renew(&c, 0);
	CHECK(c.failures == 0 && c.failed_total == SESSION_CODE_FAILURES_MAX && code_may_answer(&c));

	/* Re-sent joins, one guess each: retired after three, then more codes
	 * until the budget is spent, and no answer after that. */
	memset(&c, 0, sizeof(c));
	code_renew(&c, 0);
	for (i = answered = 0; i < 100; i++) {
		if (!code_may_answer(&c))
			break;
		code_answered(&c);
		answered++;
		switch (code_failed(&c)) {
		case CODE_RETIRE:
			code_renew(&c, 0);
			break;
		case CODE_PAUSE:
			code_renew(&c, 0);
			break;
		case CODE_KEEP:
			break;
		}
	}
	CHECK(answered == SESSION_GUESS_BUDGET);
	CHECK(c.paused && c.digits[0] == '\0' && !code_may_answer(&c));
	CHECK(code_failed(&c) == CODE_KEEP);        /* a late one changes nothing */
	CHECK(!code_expired(&c, UINT64_C(1) << 40)); /* nothing to expire while paused */

	/* "New code" while not paused does not reset the count. */
	memset(&c, 0, sizeof(c));
	code_renew(&c, 0);
	for (i = 0; i < SESSION_GUESS_BUDGET - 1; i++) {
		code_answered(&c);
		if (code_failed(&c) != CODE_KEEP)
			code_renew(&c, 0);
		code_host_new(&c);
		code_renew(&c, 0);
	}
	CHECK(!c.paused && c.failed_total == SESSION_GUESS_BUDGET - 1);
	code_answered(&c);
	CHECK(code_failed(&c) == CODE_PAUSE && c.paused);
	/* Ending the pause does reset it. */
	code_host_new(&c);
	code_renew(&c, 5);
	CHECK(!c.paused && c.failed_total == 0 && c.failures == 0 && code_may_answer(&c));
	CHECK(!code_expired(&c, 5 + SESSION_CODE_LIFETIME_MS - 1));
	CHECK(code_expired(&c, 5 + SESSION_CODE_LIFETIME_MS));
	/* A tick's time taken before the code was made is not its age. */
	CHECK(!code_expired(&c, 4));
	/* A confirmation with nothing counted cannot drive a count below zero. */
	code_confirmed(&c);
	CHECK(c.failures == 0 && c.failed_total == 0);
	return test_done();
}
