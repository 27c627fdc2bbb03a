/* SPDX-License-Identifier: Apache-2.0 */
#include <sodium.h>

#include "code.h"
#include "handshake.h"

void
code_renew(struct code *c, uint64_t now_ms)
{
	sodium_memzero(c->digits, sizeof(c->digits));
	if (!c->paused)
		hs_code_new(c->digits);
	c->born_ms = now_ms;
	c->failures = 0;
}

void
code_forget(struct code *c)
{
	c->failures = 0;
}

bool
code_may_answer(const struct code *c)
{
	return !c->paused && c->failures < SESSION_CODE_FAILURES_MAX &&
	    c->failed_total < SESSION_GUESS_BUDGET;
}

void
code_answered(struct code *c)
{
	c->failures++;
	c->failed_total++;
}

void
code_confirmed(struct code *c)
{
	if (c->failures > 0)
		c->failures--;
	if (c->failed_total > 0)
		c->failed_total--;
}

enum code_verdict
code_failed(struct code *c)
{
	if (c->paused)
		return CODE_KEEP;
	if (c->failed_total >= SESSION_GUESS_BUDGET) {
		c->paused = true;
		return CODE_PAUSE;
	}
	return c->failures >= SESSION_CODE_FAILURES_MAX ? CODE_RETIRE : CODE_KEEP;
}

void
code_host_new(struct code *c)
{
	if (c->paused)
		c->failed_total = 0;
	c->paused = false;
}

bool
code_expired(const struct code *c, uint64_t now_ms)
{
	/* now_ms may be older than a code made during this same tick. */
	return !c->paused && now_ms >= c->born_ms &&
	    now_ms - c->born_ms >= SESSION_CODE_LIFETIME_MS;
}
