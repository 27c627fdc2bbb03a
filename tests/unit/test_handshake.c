/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_handshake.c - the CPace handshake between a master and a viewer,
 * run in memory, with an attacker in the middle changing messages.
 */
#include <string.h>

#include <sodium.h>

#include "handshake.h"
#include "test.h"

enum tamper {
	T_NONE,
	T_OFFER_SUITES,         /* strip AES from the master's offer (downgrade) */
	T_INIT_PK,              /* swap the viewer's X25519 key for the relay's own */
	T_INIT_NAME,            /* rename the viewer */
	T_REPLY_SUITE,          /* change the chosen suite */
	T_REPLY_TAG,            /* flip a bit of the master's tag */
	T_CONFIRM_TAG,          /* flip a bit of the viewer's tag */
	T_BIND_SLOT,            /* the two ends disagree on the slot */
};

struct run {
	int master_r, viewer_r; /* first failure on each side, 0 if none */
	struct hs m, v;
};

/* Re-encode a decoded message after changing it, as an active attacker would. */
static void
run_handshake(struct run *run, const char *mcode, const char *vcode, uint8_t msuites,
    uint8_t vsuites, enum tamper t)
{
	struct hs_bind bm = { 48213, 0x1122334455667788ULL, 3 }, bv = bm;
	struct buf out, raw;
	struct msg msg;
	int r;

	memset(run, 0, sizeof(*run));
	if (t == T_BIND_SLOT)
		bv.slot = 4;
	buf_init(&out, 1024);
	CHECK_ERR(hs_master_start(&run->m, &bm, mcode, msuites, "host", &out), 0);
	if (t == T_OFFER_SUITES) {
		uint8_t *p = (uint8_t *)buf_ptr(&out);

		p[2] &= (uint8_t)~MSG_SUITE_AES256GCM;
	}
	hs_viewer_start(&run->v, &bv, vcode, vsuites, "helper");
	raw = out;
	buf_view(&raw, buf_ptr(&out), buf_len(&out));
	{
		struct buf in = raw;

		CHECK_ERR(msg_decode(&in, &msg), 0);
	}
	{
		struct buf out2;

		buf_init(&out2, 1024);
		if ((r = hs_viewer_on_offer(&run->v, &raw, &msg.u.offer, &out2)) != 0) {
			run->viewer_r = r;
			buf_release(&out2);
			goto out;
		}
		buf_release(&out);
		out = out2;
	}
	{
		uint8_t *p = (uint8_t *)buf_ptr(&out);
		struct buf in;

		if (t == T_INIT_PK)
			randombytes_buf(p + 3 + MSG_NONCE_LEN, MSG_PK_LEN);
		if (t == T_INIT_NAME)
			p[buf_len(&out) - 1] ^= 0x01;
		buf_view(&raw, buf_ptr(&out), buf_len(&out));
		in = raw;
		CHECK_ERR(msg_decode(&in, &msg), 0);
		buf_init(&in, 1024);
		if ((r = hs_master_on_init(&run->m, &raw, &msg.u.init, &in)) != 0) {
			run->master_r = r;
			buf_release(&in);
			goto out;
		}
		buf_release(&out);
		out = in;
	}
	{
		struct buf in;

		buf_view(&in, buf_ptr(&out), buf_len(&out));
		CHECK_ERR(msg_decode(&in, &msg), 0);
		if (t == T_REPLY_SUITE)
			msg.u.reply.suite = MSG_SUITE_XCHACHA20;
		if (t == T_REPLY_TAG)
			msg.u.reply.tag[5] ^= 0x40;
		buf_reset(&out);
		if ((r = hs_viewer_on_reply(&run->v, &msg.u.reply, &out)) != 0) {
			run->viewer_r = r;
			goto out;
		}
	}
	{
		struct buf in;

		buf_view(&in, buf_ptr(&out), buf_len(&out));
		CHECK_ERR(msg_decode(&in, &msg), 0);
		if (t == T_CONFIRM_TAG)
			msg.u.confirm_tag[0] ^= 0x01;
		if ((r = hs_master_on_confirm(&run->m, msg.u.confirm_tag)) != 0)
			run->master_r = r;
	}
out:
	buf_release(&out);
}

static void
same_code_agrees_on_keys(void)
{
	struct run run;

	run_handshake(&run, "071934", "071934", MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	CHECK(run.master_r == 0 && run.viewer_r == 0);
	CHECK(run.m.state == HS_DONE && run.v.state == HS_DONE);
	CHECK(memcmp(run.m.res.key_vm, run.v.res.key_vm, SEC_KEY_LEN) == 0);
	CHECK(memcmp(run.m.res.key_mv, run.v.res.key_mv, SEC_KEY_LEN) == 0);
	CHECK(memcmp(run.m.res.key_vm, run.m.res.key_mv, SEC_KEY_LEN) != 0);
	CHECK(run.m.res.check == run.v.res.check && run.m.res.check < 1000000);
	CHECK(run.m.res.suite == MSG_SUITE_AES256GCM);
	CHECK(memcmp(run.m.res.viewer_pk, run.v.res.viewer_pk, MSG_PK_LEN) == 0);
	CHECK(strcmp(run.m.res.peer_name, "helper") == 0);
	CHECK(strcmp(run.v.res.peer_name, "host") == 0);
	hs_clear(&run.m);
	hs_clear(&run.v);
}

static void
two_runs_give_fresh_keys(void)
{
	struct run a, b;

	run_handshake(&a, "000000", "000000", MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	run_handshake(&b, "000000", "000000", MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	CHECK(a.master_r == 0 && b.master_r == 0);
	CHECK(memcmp(a.m.res.key_mv, b.m.res.key_mv, SEC_KEY_LEN) != 0);
}

static void
wrong_code_fails_at_the_viewer(void)
{
	struct run run;

	run_handshake(&run, "071934", "071935", MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	CHECK_ERR(run.viewer_r, ERR_AUTH);
	CHECK(run.v.state == HS_FAILED);
	CHECK(run.m.state == HS_REPLIED);       /* the master counts it when no confirm comes */
}

static void
xchacha_when_one_side_lacks_aes(void)
{
	struct run run;

	run_handshake(&run, "123456", "123456", MSG_SUITE_XCHACHA20, MSG_SUITES_ALL, T_NONE);
	CHECK(run.master_r == 0 && run.viewer_r == 0);
	CHECK(run.m.res.suite == MSG_SUITE_XCHACHA20 && run.v.res.suite == MSG_SUITE_XCHACHA20);
	run_handshake(&run, "123456", "123456", MSG_SUITES_ALL, MSG_SUITE_XCHACHA20, T_NONE);
	CHECK(run.m.res.suite == MSG_SUITE_XCHACHA20 && run.v.res.suite == MSG_SUITE_XCHACHA20);
}

static void
tampering_is_detected(void)
{
	static const struct {
		enum tamper t;
		const char *what;
	} rows[] = {
		/* 1 */ { T_OFFER_SUITES, "downgrade of the master's offer" },
		/* 2 */ { T_INIT_PK, "viewer key swapped by the relay" },
		/* 3 */ { T_INIT_NAME, "viewer name changed" },
		/* 4 */ { T_REPLY_SUITE, "chosen suite changed" },
		/* 5 */ { T_REPLY_TAG, "master tag flipped" },
		/* 6 */ { T_BIND_SLOT, "slot binding differs" },
	};
	struct run run;
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		run_handshake(&run, "555555", "555555", MSG_SUITES_ALL, MSG_SUITES_ALL, rows[i].t);
		if (!CHECK(run.viewer_r == ERR_AUTH || run.master_r == ERR_AUTH))
			printf("#   row %zu (%s): viewer %d master %d\n", i + 1, rows[i].what,
			    run.viewer_r, run.master_r);
		CHECK(run.m.state != HS_DONE);
	}
	run_handshake(&run, "555555", "555555", MSG_SUITES_ALL, MSG_SUITES_ALL, T_CONFIRM_TAG);
	CHECK_ERR(run.master_r, ERR_AUTH);
	CHECK(run.m.state == HS_FAILED);
}

static void
out_of_order_messages_are_refused(void)
{
	struct hs_bind b = { 10000, 1, 1 };
	struct msg_hs_reply rep;
	struct hs h;
	struct buf out;

	memset(&rep, 0, sizeof(rep));
	buf_init(&out, 256);
	hs_viewer_start(&h, &b, "111111", MSG_SUITES_ALL, "v");
	CHECK_ERR(hs_viewer_on_reply(&h, &rep, &out), ERR_PROTOCOL);
	CHECK_ERR(hs_master_on_confirm(&h, rep.tag), ERR_PROTOCOL);
	buf_release(&out);
}

static void
codes_parse_and_generate(void)
{
	char c[SESSION_CODE_DIGITS + 1];
	int i;

	CHECK(hs_code_parse("071 934", c) && strcmp(c, "071934") == 0);
	CHECK(hs_code_parse("071-934", c));
	CHECK(!hs_code_parse("07193", c));
	CHECK(!hs_code_parse("0719345", c));
	CHECK(!hs_code_parse("07193a", c));
	CHECK(!hs_code_parse("", c));
	for (i = 0; i < 100; i++) {
		hs_code_new(c);
		if (strlen(c) != 6 || strspn(c, "0123456789") != 6)
			break;
	}
	CHECK(i == 100);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	same_code_agrees_on_keys();
	two_runs_give_fresh_keys();
	wrong_code_fails_at_the_viewer();
	xchacha_when_one_side_lacks_aes();
	tampering_is_detected();
	out_of_order_messages_are_refused();
	codes_parse_and_generate();
	return test_done();
}
