/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <sodium.h>

#include "handshake.h"

#define HS_CI_LABEL "FSHT-CPace-v2"
#define HS_COMMIT_LABEL "FSHT-commit-v2"
#define HS_PRK_LABEL "fernsicht-v1 prk"
#define HS_KDF_CTX "FShs0001"
#define HS_SID_LEN 16
#define HS_CI_MAX 128

/* Append one field with a one-byte length (every CI field is < 128 bytes). */
static void
ci_field(uint8_t *ci, size_t *n, const void *p, size_t len)
{
	BUG_ON(len >= 128 || *n + 1 + len > HS_CI_MAX);
	ci[(*n)++] = (uint8_t)len;
	memcpy(ci + *n, p, len);
	*n += len;
}

static size_t
make_ci(const struct hs *h, uint8_t ci[HS_CI_MAX])
{
	uint8_t session[4], uid[8], slot[2];
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++)
		session[i] = (uint8_t)(h->bind.session >> (24 - 8 * i));
	for (i = 0; i < 8; i++)
		uid[i] = (uint8_t)(h->bind.session_uid >> (56 - 8 * i));
	slot[0] = (uint8_t)(h->bind.slot >> 8);
	slot[1] = (uint8_t)h->bind.slot;
	ci_field(ci, &n, HS_CI_LABEL, strlen(HS_CI_LABEL));
	ci_field(ci, &n, session, sizeof(session));
	ci_field(ci, &n, uid, sizeof(uid));
	ci_field(ci, &n, slot, sizeof(slot));
	ci_field(ci, &n, h->offer_hash, sizeof(h->offer_hash));
	return n;
}

/*
 * sid: the master's fresh nonce. It has to be known before the viewer
 * speaks, because the master commits to Yb (which depends on the
 * generator, which depends on sid) in its OFFER. The viewer's freshness is
 * its own scalar and its nonce in ADa.
 */
static void
make_sid(const struct hs *h, uint8_t sid[HS_SID_LEN])
{
	BUG_ON(HS_SID_LEN != MSG_NONCE_LEN);
	memcpy(sid, h->nonce_m, HS_SID_LEN);
}

/* The OFFER's commitment to Yb. */
static void
make_commit(const uint8_t yb[CPACE_POINT_LEN], uint8_t commit[MSG_COMMIT_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, MSG_COMMIT_LEN);
	crypto_generichash_update(&st, (const uint8_t *)HS_COMMIT_LABEL,
	    strlen(HS_COMMIT_LABEL));
	crypto_generichash_update(&st, yb, CPACE_POINT_LEN);
	crypto_generichash_final(&st, commit, MSG_COMMIT_LEN);
}

/* Where the commitment sits in HS_OFFER: after type, version, suites, nonce. */
enum { HS_OFFER_COMMIT_OFF = 1 + 1 + 1 + MSG_NONCE_LEN };

/* The offer hash in CI covers the OFFER with its commitment zeroed (the
 * commitment depends on the generator, which depends on CI); the
 * transcript hash th covers the whole OFFER. */
static void
make_offer_hash(struct hs *h)
{
	uint8_t zeroed[sizeof(h->offer_raw)];

	BUG_ON(h->offer_len < HS_OFFER_COMMIT_OFF + MSG_COMMIT_LEN);
	memcpy(zeroed, h->offer_raw, h->offer_len);
	memset(zeroed + HS_OFFER_COMMIT_OFF, 0, MSG_COMMIT_LEN);
	crypto_hash_sha512(h->offer_hash, zeroed, h->offer_len);
}

static int
make_generator(const struct hs *h, uint8_t g[CPACE_POINT_LEN])
{
	uint8_t ci[HS_CI_MAX], sid[HS_SID_LEN];
	size_t ci_len = make_ci(h, ci);

	make_sid(h, sid);
	return cpace_generator(g, (const uint8_t *)h->code, h->code_len,
	    ci, ci_len, sid, sizeof(sid));
}

/* ADa: the HS_INIT bytes with Ya zeroed. Ya sits right after the fixed prefix. */
enum { HS_INIT_YA_OFF = 1 + 1 + 1 + MSG_NONCE_LEN + MSG_PK_LEN };

static void
make_ada(const struct hs *h, uint8_t *ada, size_t *ada_len)
{
	memcpy(ada, h->init_raw, h->init_len);
	memset(ada + HS_INIT_YA_OFF, 0, CPACE_POINT_LEN);
	*ada_len = h->init_len;
}

/* th = SHA-512(HS_OFFER bytes || HS_INIT bytes || 0x03 || suite || Yb):
 * what both confirmation tags cover. */
static void
make_transcript(const struct hs *h, uint8_t th[64])
{
	uint8_t adb[2] = { MSG_HS_REPLY, h->res.suite };
	crypto_hash_sha512_state st;

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, h->offer_raw, h->offer_len);
	crypto_hash_sha512_update(&st, h->init_raw, h->init_len);
	crypto_hash_sha512_update(&st, adb, sizeof(adb));
	crypto_hash_sha512_update(&st, h->yb, sizeof(h->yb));
	crypto_hash_sha512_final(&st, th);
}

/* Transcript hash and every key, once K is known. */
static void
finish_keys(struct hs *h, const uint8_t K[CPACE_POINT_LEN], uint8_t suite,
    uint8_t th[64])
{
	uint8_t ada[sizeof(h->init_raw)], adb[2] = { MSG_HS_REPLY, suite };
	uint8_t sid[HS_SID_LEN], prk[SEC_PRK_LEN], check[SEC_KEY_LEN];
	size_t ada_len;

	make_sid(h, sid);
	make_ada(h, ada, &ada_len);
	cpace_isk_ir(h->isk, sid, sizeof(sid), K, h->ya, ada, ada_len,
	    h->yb, adb, sizeof(adb));
	crypto_generichash(prk, sizeof(prk), (const uint8_t *)HS_PRK_LABEL,
	    strlen(HS_PRK_LABEL), h->isk, sizeof(h->isk));
	sec_kdf(h->res.key_vm, prk, HS_KEY_VIEWER_TO_MASTER, HS_KDF_CTX);
	sec_kdf(h->res.key_mv, prk, HS_KEY_MASTER_TO_VIEWER, HS_KDF_CTX);
	sec_kdf(h->res.key_direct, prk, HS_KEY_DIRECT, HS_KDF_CTX);
	sec_kdf(h->res.key_screen, prk, HS_KEY_SCREEN, HS_KDF_CTX);
	sec_kdf(check, prk, HS_KEY_CHECK, HS_KDF_CTX);
	h->res.check = ((uint32_t)check[0] << 24 | (uint32_t)check[1] << 16 |
	    (uint32_t)check[2] << 8 | check[3]) % 1000000;
	h->res.suite = suite;
	make_transcript(h, th);
	sodium_memzero(prk, sizeof(prk));
	sodium_memzero(check, sizeof(check));
	sodium_memzero(ada, sizeof(ada));
}

static void
make_tag(const struct hs *h, const uint8_t th[64], bool master, uint8_t tag[MSG_TAG_LEN])
{
	uint8_t prk[SEC_PRK_LEN], key[SEC_KEY_LEN], msg[6 + 64];

	crypto_generichash(prk, sizeof(prk), (const uint8_t *)HS_PRK_LABEL,
	    strlen(HS_PRK_LABEL), h->isk, sizeof(h->isk));
	sec_kdf(key, prk, master ? HS_KEY_CONFIRM_MASTER : HS_KEY_CONFIRM_VIEWER, HS_KDF_CTX);
	memcpy(msg, master ? "master" : "viewer", 6);
	memcpy(msg + 6, th, 64);
	sec_mac(tag, key, msg, sizeof(msg));
	sodium_memzero(prk, sizeof(prk));
	sodium_memzero(key, sizeof(key));
}

static uint8_t
choose_suite(uint8_t a, uint8_t b)
{
	uint8_t both = a & b;

	if (both & MSG_SUITE_AES256GCM)
		return MSG_SUITE_AES256GCM;
	if (both & MSG_SUITE_XCHACHA20)
		return MSG_SUITE_XCHACHA20;
	return 0;
}

static int
save_raw(uint8_t *dst, size_t dst_max, size_t *dst_len, const uint8_t *p, size_t n)
{
	if (n > dst_max)
		return ERR_TOO_LARGE;
	memcpy(dst, p, n);
	*dst_len = n;
	return 0;
}

int
hs_master_start(struct hs *h, const struct hs_bind *bind, const char *code,
    uint8_t suites, const char *name, struct buf *out)
{
	struct msg_hs_offer o;
	uint8_t g[CPACE_POINT_LEN];
	size_t start = buf_len(out);
	int r;

	hs_clear(h);
	h->master = true;
	h->bind = *bind;
	h->code_len = strnlen(code, HS_PRS_MAX);
	memcpy(h->code, code, h->code_len);
	h->suites = suites;
	memset(&o, 0, sizeof(o));
	o.version = MSG_VERSION;
	o.suites = suites;
	randombytes_buf(o.nonce, sizeof(o.nonce));
	memcpy(h->nonce_m, o.nonce, MSG_NONCE_LEN);
	snprintf(o.name, sizeof(o.name), "%s", name);
	/* Encoded once with the commitment zeroed: CI hashes that form. */
	if ((r = msg_hs_offer_encode(out, &o)) != 0)
		return r;
	if ((r = save_raw(h->offer_raw, sizeof(h->offer_raw), &h->offer_len,
	    buf_ptr(out) + start, buf_len(out) - start)) != 0)
		return r;
	make_offer_hash(h);
	if ((r = make_generator(h, g)) != 0)
		return r;
	cpace_scalar_random(h->y);
	if ((r = cpace_public(h->yb, h->y, g)) != 0)
		return r;
	/* Then again with the commitment in place: that is what is sent. */
	make_commit(h->yb, o.commit);
	buf_unput(out, buf_len(out) - start);
	if ((r = msg_hs_offer_encode(out, &o)) != 0)
		return r;
	memcpy(h->offer_raw + HS_OFFER_COMMIT_OFF, o.commit, MSG_COMMIT_LEN);
	h->state = HS_OFFERED;
	return 0;
}

int
hs_master_on_init(struct hs *h, const struct buf *raw, const struct msg_hs_init *m,
    struct buf *out)
{
	struct msg_hs_reply rep;
	uint8_t K[CPACE_POINT_LEN], th[64];
	int r;

	memset(&rep, 0, sizeof(rep));
	if (h->state != HS_OFFERED || !h->master)
		return ERR_PROTOCOL;
	h->state = HS_FAILED;
	if ((rep.suite = choose_suite(h->suites, m->suites)) == 0)
		return ERR_UNSUPPORTED;
	if ((r = save_raw(h->init_raw, sizeof(h->init_raw), &h->init_len,
	    buf_ptr(raw), buf_len(raw))) != 0)
		return r;
	memcpy(h->nonce_v, m->nonce, MSG_NONCE_LEN);
	memcpy(h->ya, m->ya, CPACE_POINT_LEN);
	memcpy(h->res.viewer_pk, m->pk, MSG_PK_LEN);
	memcpy(h->res.peer_name, m->name, sizeof(h->res.peer_name));
	h->peer_suites = m->suites;
	/* Yb was fixed (and committed to) in the OFFER. */
	if ((r = cpace_secret(K, h->y, h->ya)) != 0)
		goto out;
	finish_keys(h, K, rep.suite, th);
	memcpy(rep.yb, h->yb, sizeof(rep.yb));
	make_tag(h, th, true, rep.tag);
	if ((r = msg_hs_reply_encode(out, &rep)) != 0)
		goto out;
	h->state = HS_REPLIED;
	r = 0;
out:
	sodium_memzero(K, sizeof(K));
	sodium_memzero(h->y, sizeof(h->y));
	return r;
}

int
hs_master_on_confirm(struct hs *h, const uint8_t tag[MSG_TAG_LEN])
{
	uint8_t th[64], want[MSG_TAG_LEN];
	int r;

	if (h->state != HS_REPLIED || !h->master)
		return ERR_PROTOCOL;
	make_transcript(h, th);
	make_tag(h, th, false, want);
	if (sec_equal(want, tag, MSG_TAG_LEN)) {
		h->state = HS_DONE;
		r = 0;
	} else {
		h->state = HS_FAILED;
		r = ERR_AUTH;
	}
	sodium_memzero(want, sizeof(want));
	return r;
}

void
hs_viewer_start(struct hs *h, const struct hs_bind *bind, const char *code,
    uint8_t suites, const char *name)
{
	hs_clear(h);
	h->master = false;
	h->bind = *bind;
	h->code_len = strnlen(code, HS_PRS_MAX);
	memcpy(h->code, code, h->code_len);
	h->suites = suites;
	snprintf(h->res.peer_name, sizeof(h->res.peer_name), "%s", name);
	h->state = HS_IDLE;
}

int
hs_viewer_on_offer(struct hs *h, const struct buf *raw, const struct msg_hs_offer *m,
    struct buf *out)
{
	struct msg_hs_init init;
	uint8_t g[CPACE_POINT_LEN];
	size_t start = buf_len(out);
	int r;

	memset(&init, 0, sizeof(init));
	if (h->state != HS_IDLE || h->master)
		return ERR_PROTOCOL;
	h->state = HS_FAILED;
	if (choose_suite(h->suites, m->suites) == 0)
		return ERR_UNSUPPORTED;
	if ((r = save_raw(h->offer_raw, sizeof(h->offer_raw), &h->offer_len,
	    buf_ptr(raw), buf_len(raw))) != 0)
		return r;
	make_offer_hash(h);
	memcpy(h->commit, m->commit, MSG_COMMIT_LEN);
	memcpy(h->nonce_m, m->nonce, MSG_NONCE_LEN);
	h->peer_suites = m->suites;
	randombytes_buf(h->nonce_v, MSG_NONCE_LEN);
	if ((r = make_generator(h, g)) != 0)
		goto out;
	cpace_scalar_random(h->y);
	if ((r = cpace_public(h->ya, h->y, g)) != 0)
		goto out;
	sec_box_keypair(h->res.viewer_pk, h->box_sk);
	init.version = MSG_VERSION;
	init.suites = h->suites;
	memcpy(init.nonce, h->nonce_v, MSG_NONCE_LEN);
	memcpy(init.pk, h->res.viewer_pk, MSG_PK_LEN);
	memcpy(init.ya, h->ya, CPACE_POINT_LEN);
	memcpy(init.name, h->res.peer_name, sizeof(init.name));
	if ((r = msg_hs_init_encode(out, &init)) != 0 ||
	    (r = save_raw(h->init_raw, sizeof(h->init_raw), &h->init_len,
	    buf_ptr(out) + start, buf_len(out) - start)) != 0)
		goto out;
	snprintf(h->res.peer_name, sizeof(h->res.peer_name), "%s", m->name);
	h->state = HS_INITED;
	r = 0;
out:
	return r;
}

int
hs_viewer_on_reply(struct hs *h, const struct msg_hs_reply *m, struct buf *out)
{
	uint8_t K[CPACE_POINT_LEN], th[64], want[MSG_TAG_LEN], tag[MSG_TAG_LEN];
	uint8_t commit[MSG_COMMIT_LEN];
	int r;

	if (h->state != HS_INITED || h->master)
		return ERR_PROTOCOL;
	h->state = HS_FAILED;
	/* The master must pick by the same rule: no downgrade by anyone. */
	if (m->suite != choose_suite(h->suites, h->peer_suites))
		return ERR_AUTH;
	/* Yb must be the one the OFFER committed to before our Ya was out;
	 * an honest master cannot miss, so this is tampering, not a wrong code. */
	make_commit(m->yb, commit);
	if (!sec_equal(commit, h->commit, MSG_COMMIT_LEN))
		return ERR_PROTOCOL;
	memcpy(h->yb, m->yb, CPACE_POINT_LEN);
	if ((r = cpace_secret(K, h->y, h->yb)) != 0)
		goto out;
	finish_keys(h, K, m->suite, th);
	make_tag(h, th, true, want);
	if (!sec_equal(want, m->tag, MSG_TAG_LEN)) {
		r = ERR_AUTH;
		goto out;
	}
	make_tag(h, th, false, tag);
	if ((r = msg_hs_confirm_encode(out, tag)) != 0)
		goto out;
	h->state = HS_DONE;
	r = 0;
out:
	sodium_memzero(K, sizeof(K));
	sodium_memzero(h->y, sizeof(h->y));
	if (r != 0)
		sodium_memzero(&h->res, sizeof(h->res));
	return r;
}

static void
kdf_hex(const uint8_t key[SEC_KEY_LEN], uint64_t id, const char *ctx, char *hex, size_t hex_size)
{
	uint8_t k[SEC_KEY_LEN];

	sec_kdf(k, key, id, ctx);
	sodium_bin2hex(hex, hex_size, k, (hex_size - 1) / 2);
	sodium_memzero(k, sizeof(k));
}

void
hs_direct_prs(const struct hs_result *r, char prs[HS_PRS_MAX + 1])
{
	kdf_hex(r->key_mv, 1, "FSdirect", prs, HS_PRS_MAX + 1);
}

void
hs_resume_id(const struct hs_result *r, char id[HS_RESUME_ID_HEX + 1])
{
	kdf_hex(r->key_direct, 1, "FSresume", id, HS_RESUME_ID_HEX + 1);
}

void
hs_resume_prs(const struct hs_result *r, char prs[HS_PRS_MAX + 1])
{
	kdf_hex(r->key_direct, 2, "FSresume", prs, HS_PRS_MAX + 1);
}

void
hs_clear(struct hs *h)
{
	sodium_memzero(h, sizeof(*h));
}

void
hs_code_new(char code[SESSION_CODE_DIGITS + 1])
{
	uint32_t v = randombytes_uniform(1000000);
	int i;

	for (i = SESSION_CODE_DIGITS - 1; i >= 0; i--, v /= 10)
		code[i] = (char)('0' + v % 10);
	code[SESSION_CODE_DIGITS] = '\0';
}

bool
hs_code_parse(const char *s, char out[SESSION_CODE_DIGITS + 1])
{
	int n = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-')
			continue;
		if (*s < '0' || *s > '9' || n == SESSION_CODE_DIGITS)
			return false;
		out[n++] = *s;
	}
	out[n] = '\0';
	return n == SESSION_CODE_DIGITS;
}
