/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_handshake.c - the CPace handshake between a master and a viewer,
 * run in memory, with an attacker in the middle changing messages.
 */
#include <string.h>

#include <sodium.h>

#include "cpace.h"
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
	/* The screen key's binding: the same on both ends, no other key. */
	CHECK(memcmp(run.m.res.key_screen, run.v.res.key_screen, SEC_KEY_LEN) == 0);
	CHECK(memcmp(run.m.res.key_screen, run.m.res.key_direct, SEC_KEY_LEN) != 0);
	CHECK(memcmp(run.m.res.key_screen, run.m.res.key_mv, SEC_KEY_LEN) != 0);
	CHECK(run.m.res.suite == MSG_SUITE_AES256GCM);
	CHECK(memcmp(run.m.res.viewer_pk, run.v.res.viewer_pk, MSG_PK_LEN) == 0);
	CHECK(strcmp(run.m.res.peer_name, "helper") == 0);
	CHECK(strcmp(run.v.res.peer_name, "host") == 0);
	hs_clear(&run.m);
	hs_clear(&run.v);
}

/* Both ends derive the same way back in, a new one after every handshake,
 * and the id the relay sees tells nothing about the secret. */
static void
resume_secrets_agree_and_change(void)
{
	struct run a, b, c;
	char ida[HS_RESUME_ID_HEX + 1], idv[HS_RESUME_ID_HEX + 1], idb[HS_RESUME_ID_HEX + 1];
	char pa[HS_PRS_MAX + 1], pv[HS_PRS_MAX + 1], pb[HS_PRS_MAX + 1], dir[HS_PRS_MAX + 1];

	run_handshake(&a, "000000", "000000", MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	hs_resume_id(&a.m.res, ida);
	hs_resume_id(&a.v.res, idv);
	hs_resume_prs(&a.m.res, pa);
	hs_resume_prs(&a.v.res, pv);
	hs_direct_prs(&a.m.res, dir);
	CHECK(strlen(ida) == HS_RESUME_ID_HEX && strcmp(ida, idv) == 0);
	CHECK(strlen(pa) == HS_PRS_MAX && strcmp(pa, pv) == 0);
	CHECK(strncmp(pa, ida, HS_RESUME_ID_HEX) != 0 && strcmp(pa, dir) != 0);
	/* The resume handshake itself, over the secret: the same keys again. */
	run_handshake(&b, pa, pv, MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	CHECK(b.master_r == 0 && b.viewer_r == 0 && b.m.state == HS_DONE);
	hs_resume_id(&b.m.res, idb);
	hs_resume_prs(&b.m.res, pb);
	CHECK(strcmp(idb, ida) != 0 && strcmp(pb, pa) != 0);
	/* Someone with the id but not the secret (the relay) fails. */
	run_handshake(&c, pa, ida, MSG_SUITES_ALL, MSG_SUITES_ALL, T_NONE);
	CHECK(c.viewer_r == ERR_AUTH || c.master_r == ERR_AUTH);
	hs_clear(&a.m);
	hs_clear(&a.v);
	hs_clear(&b.m);
	hs_clear(&b.v);
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

/* The generator as docs/PROTOCOL.md 3.1 defines it, computed here from the
 * spec (not by the code under test): what an attacker who knows the code
 * can compute too. */
static void
spec_generator(const struct hs *a, const char *code, uint8_t g[CPACE_POINT_LEN])
{
	static const char label[] = "FSHT-CPace-v2";
	uint8_t ci[128], offer[sizeof(a->offer_raw)], h[64];
	uint8_t num[8];
	size_t n = 0;
	int i;

	ci[n++] = sizeof(label) - 1;
	memcpy(ci + n, label, sizeof(label) - 1);
	n += sizeof(label) - 1;
	ci[n++] = 4;
	for (i = 0; i < 4; i++)
		ci[n++] = (uint8_t)(a->bind.session >> (24 - 8 * i));
	ci[n++] = 8;
	for (i = 0; i < 8; i++)
		num[i] = (uint8_t)(a->bind.session_uid >> (56 - 8 * i));
	memcpy(ci + n, num, 8);
	n += 8;
	ci[n++] = 2;
	ci[n++] = (uint8_t)(a->bind.slot >> 8);
	ci[n++] = (uint8_t)a->bind.slot;
	memcpy(offer, a->offer_raw, a->offer_len);
	memset(offer + 1 + 1 + 1 + MSG_NONCE_LEN, 0, MSG_COMMIT_LEN);
	crypto_hash_sha512(h, offer, a->offer_len);
	ci[n++] = 64;
	memcpy(ci + n, h, 64);
	n += 64;
	CHECK_ERR(cpace_generator(g, (const uint8_t *)code, strlen(code), ci, n,
	    a->nonce_m, MSG_NONCE_LEN), 0);
}

/*
 * An attacker in the middle who knows the code (it guessed or overheard
 * it) plays the master to the real viewer and wants the viewer's check code
 * to equal the one the real host shows. Without the commitment it would
 * grind: after the viewer's INIT, try fresh Yb values until the check code
 * matches. This test does that grind (on two digits, to be quick), shows
 * that the grind succeeds against a viewer that forgot the commitment, and
 * that the real viewer refuses the ground Yb because the OFFER committed to
 * another one.
 */
static void
check_code_cannot_be_ground(void)
{
	struct hs_bind b = { 48213, 0x0102030405060708ULL, 5 };
	const char *code = "314159";
	uint32_t target = randombytes_uniform(100);
	struct hs a, v, ground, forgetful;
	uint8_t g[CPACE_POINT_LEN];
	struct buf offer, init, reply, confirm, in;
	struct msg mo, mi, mr;
	int i, found = -1;

	buf_init(&offer, 1024);
	buf_init(&init, 1024);
	buf_init(&reply, 1024);
	buf_init(&confirm, 1024);
	CHECK_ERR(hs_master_start(&a, &b, code, MSG_SUITES_ALL, "attacker", &offer), 0);
	hs_viewer_start(&v, &b, code, MSG_SUITES_ALL, "helper");
	buf_view(&in, buf_ptr(&offer), buf_len(&offer));
	CHECK_ERR(msg_decode(&in, &mo), 0);
	buf_view(&in, buf_ptr(&offer), buf_len(&offer));
	CHECK_ERR(hs_viewer_on_offer(&v, &in, &mo.u.offer, &init), 0);
	buf_view(&in, buf_ptr(&init), buf_len(&init));
	CHECK_ERR(msg_decode(&in, &mi), 0);
	spec_generator(&a, code, g);

	for (i = 0; i < 20000 && found < 0; i++) {
		struct buf raw;

		ground = a;
		cpace_scalar_random(ground.y);
		if (cpace_public(ground.yb, ground.y, g) != 0)
			break;
		buf_reset(&reply);
		buf_view(&raw, buf_ptr(&init), buf_len(&init));
		if (hs_master_on_init(&ground, &raw, &mi.u.init, &reply) != 0)
			break;
		if (ground.res.check % 100 == target)
			found = i;
	}
	CHECK(found >= 0);
	printf("# a check code steered to ..%02u after %d tries\n", target, found + 1);
	buf_view(&in, buf_ptr(&reply), buf_len(&reply));
	CHECK_ERR(msg_decode(&in, &mr), 0);

	/* Positive control: a viewer that lost the commitment takes the ground
	 * Yb, and its check code is the one the attacker chose. */
	forgetful = v;
	{
		crypto_generichash_state st;

		crypto_generichash_init(&st, NULL, 0, MSG_COMMIT_LEN);
		crypto_generichash_update(&st, (const uint8_t *)"FSHT-commit-v2", 14);
		crypto_generichash_update(&st, ground.yb, CPACE_POINT_LEN);
		crypto_generichash_final(&st, forgetful.commit, MSG_COMMIT_LEN);
	}
	CHECK_ERR(hs_viewer_on_reply(&forgetful, &mr.u.reply, &confirm), 0);
	CHECK(forgetful.res.check == ground.res.check && forgetful.res.check % 100 == target);

	/* The real viewer refuses it: the OFFER committed to another Yb. */
	buf_reset(&confirm);
	CHECK_ERR(hs_viewer_on_reply(&v, &mr.u.reply, &confirm), ERR_PROTOCOL);
	CHECK(v.state == HS_FAILED && buf_len(&confirm) == 0);

	hs_clear(&v);
	hs_clear(&ground);
	hs_clear(&forgetful);
	hs_clear(&a);
	buf_release(&offer);
	buf_release(&init);
	buf_release(&reply);
	buf_release(&confirm);
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
	resume_secrets_agree_and_change();
	wrong_code_fails_at_the_viewer();
	xchacha_when_one_side_lacks_aes();
	tampering_is_detected();
	out_of_order_messages_are_refused();
	check_code_cannot_be_ground();
	codes_parse_and_generate();
	return test_done();
}
