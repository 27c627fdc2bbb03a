/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vectors.c - the sec.h primitives against Wycheproof.
 *
 * Vectors come from $FERNSICHT_TESTVECTORS/wycheproof (default
 * tests/vectors, relative to the repo root, where tests run; the files and
 * their licence are copied there so a plain clone tests itself).
 * Hundreds of vectors would drown the TAP output, so each test group
 * gives one line with its counts; the tcId of every failure is printed
 * as a comment above it.
 */
#include <string.h>

#include <sodium.h>

#include "json.h"
#include "msg.h"
#include "sec.h"
#include "test.h"

#define MAXV 4096       /* the largest hex field in the files is 513 bytes */
#define MAX_SHOWN 20    /* failures printed per group */

struct tally {
	int valid, invalid, acceptable;
	int failed;
	int refused;    /* acceptable vectors the wrapper refused (allowed) */
};

static const char *
vectors_dir(void)
{
	const char *d = getenv("FERNSICHT_TESTVECTORS");

	return d != NULL && *d != '\0' ? d : "tests/vectors";
}

static char *
load_or_bail(const char *name)
{
	char path[4096];
	char *s;

	snprintf(path, sizeof(path), "%s/wycheproof/%s", vectors_dir(), name);
	if ((s = json_load(path)) == NULL)
		TEST_BAIL("cannot read %s (set FERNSICHT_TESTVECTORS)", path);
	return s;
}

static const char *
groups_or_bail(const char *text, const char *name)
{
	const char *g = json_first(json_get(text, "testGroups"));

	if (g == NULL)
		TEST_BAIL("%s has no testGroups", name);
	return g;
}

/* Count one vector by its "result"; returns 'v', 'i' or 'a'. */
static char
count_result(struct tally *t, const char *test)
{
	const char *r = json_get(test, "result");

	if (json_str_eq(r, "valid")) {
		t->valid++;
		return 'v';
	}
	if (json_str_eq(r, "invalid")) {
		t->invalid++;
		return 'i';
	}
	t->acceptable++;
	return 'a';
}

static void
fail(struct tally *t, const char *test, const char *why)
{
	if (t->failed++ < MAX_SHOWN)
		printf("#   tcId %ld: %s\n", json_int(json_get(test, "tcId")), why);
	else if (t->failed == MAX_SHOWN + 1)
		printf("#   (more failures not shown)\n");
}

/* One TAP line for a group: fails on any mismatch or when it was empty. */
static void
report(const char *what, const struct tally *t)
{
	char line[512];
	int n = t->valid + t->invalid + t->acceptable;

	snprintf(line, sizeof(line),
	    "%s: %d vectors (%d valid, %d invalid, %d acceptable, %d refused), %d failed",
	    what, n, t->valid, t->invalid, t->acceptable, t->refused, t->failed);
	test_check(n > 0 && t->failed == 0, line, __FILE__, __LINE__);
}

/* Field name of test as bytes; false if missing, not hex or too long. */
static bool
field(const char *test, const char *name, uint8_t *out, size_t max, size_t *len)
{
	long n = json_hex(json_get(test, name), out, max);

	if (n < 0)
		return false;
	*len = (size_t)n;
	return true;
}

static void
aead_test(struct tally *t, const char *test, uint8_t suite, size_t nonce_len)
{
	static uint8_t aad[MAXV], msg[MAXV], ct[MAXV + SEC_TAG_LEN], out[MAXV + SEC_TAG_LEN];
	uint8_t key[SEC_KEY_LEN], iv[SEC_XCHACHA_NONCE_LEN], tag[SEC_TAG_LEN];
	size_t key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
	char res = count_result(t, test);
	int r;

	if (!field(test, "key", key, sizeof(key), &key_len) || key_len != SEC_KEY_LEN ||
	    !field(test, "iv", iv, sizeof(iv), &iv_len) || iv_len != nonce_len ||
	    !field(test, "aad", aad, MAXV, &aad_len) ||
	    !field(test, "msg", msg, MAXV, &msg_len) ||
	    !field(test, "ct", ct, MAXV, &ct_len) ||
	    !field(test, "tag", tag, sizeof(tag), &tag_len) || tag_len != SEC_TAG_LEN) {
		fail(t, test, "unexpected field sizes");
		return;
	}
	memcpy(ct + ct_len, tag, SEC_TAG_LEN);
	ct_len += SEC_TAG_LEN;

	r = sec_aead_open_nonce(suite, key, iv, aad, aad_len, ct, ct_len, out);
	if (res == 'i') {
		if (r != ERR_AUTH)
			fail(t, test, "invalid ciphertext opened");
		return;
	}
	if (r == 0 && (ct_len - SEC_TAG_LEN != msg_len || memcmp(out, msg, msg_len) != 0)) {
		fail(t, test, "open gave the wrong plaintext");
		return;
	}
	if (r != 0) {
		if (res == 'v')
			fail(t, test, "valid ciphertext refused");
		else
			t->refused++;
		return;
	}
	if (sec_aead_seal_nonce(suite, key, iv, aad, aad_len, msg, msg_len, out) != 0 ||
	    memcmp(out, ct, ct_len) != 0)
		fail(t, test, "seal gave a different ciphertext or tag");
}

/*
 * The groups of an AEAD file with key, nonce and tag sizes we use; the
 * rest are only counted.
 */
static void
aead_file(const char *name, uint8_t suite, long iv_bits)
{
	char *text = load_or_bail(name);
	const char *g, *test;
	int skipped_groups = 0, skipped_tests = 0;
	char what[256];

	for (g = groups_or_bail(text, name); g != NULL; g = json_next(g)) {
		struct tally t = { 0 };
		const char *tests = json_get(g, "tests");

		if (json_int(json_get(g, "keySize")) != 8 * SEC_KEY_LEN ||
		    json_int(json_get(g, "ivSize")) != iv_bits ||
		    json_int(json_get(g, "tagSize")) != 8 * SEC_TAG_LEN) {
			skipped_groups++;
			for (test = json_first(tests); test != NULL; test = json_next(test))
				skipped_tests++;
			continue;
		}
		for (test = json_first(tests); test != NULL; test = json_next(test))
			aead_test(&t, test, suite, (size_t)iv_bits / 8);
		snprintf(what, sizeof(what), "%s keySize %d ivSize %ld tagSize %d",
		    name, 8 * SEC_KEY_LEN, iv_bits, 8 * SEC_TAG_LEN);
		report(what, &t);
	}
	printf("# %s: skipped %d groups (%d vectors) with other key, IV or tag sizes\n",
	    name, skipped_groups, skipped_tests);
	free(text);
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n-- > 0)
		acc |= *p++;
	return acc == 0;
}

static void
x25519_file(void)
{
	const char *name = "x25519_test.json";
	char *text = load_or_bail(name);
	const char *g, *test;

	for (g = groups_or_bail(text, name); g != NULL; g = json_next(g)) {
		struct tally t = { 0 };

		for (test = json_first(json_get(g, "tests")); test != NULL;
		    test = json_next(test)) {
			uint8_t pub[32], priv[32], shared[32], out[32];
			size_t pub_len, priv_len, shared_len;
			char res = count_result(&t, test);
			int r;

			if (!field(test, "public", pub, sizeof(pub), &pub_len) || pub_len != 32 ||
			    !field(test, "private", priv, sizeof(priv), &priv_len) ||
			    priv_len != 32 ||
			    !field(test, "shared", shared, sizeof(shared), &shared_len) ||
			    shared_len != 32) {
				fail(&t, test, "unexpected field sizes");
				continue;
			}
			r = sec_x25519(out, priv, pub);
			if (all_zero(shared, 32)) {
				/* A low-order public key: we must refuse, whatever Wycheproof allows. */
				if (r != ERR_AUTH)
					fail(&t, test, "all-zero shared secret not refused");
			} else if (r == 0) {
				bool same = memcmp(out, shared, 32) == 0;

				if (!same && res != 'i')
					fail(&t, test, "wrong shared secret");
				else if (same && res == 'i')
					fail(&t, test, "invalid case agreed");
			} else if (res == 'v') {
				fail(&t, test, "valid key refused");
			} else {
				t.refused++;
			}
		}
		report("x25519_test.json", &t);
	}
	free(text);
}

static void
hmac_file(const char *name, size_t full_len)
{
	char *text = load_or_bail(name);
	const char *g, *test;
	char what[256];

	for (g = groups_or_bail(text, name); g != NULL; g = json_next(g)) {
		struct tally t = { 0 };
		long key_bits = json_int(json_get(g, "keySize"));
		size_t tag_want = (size_t)json_int(json_get(g, "tagSize")) / 8;

		for (test = json_first(json_get(g, "tests")); test != NULL;
		    test = json_next(test)) {
			static uint8_t key[MAXV], msg[MAXV];
			uint8_t tag[64], out[64];
			size_t key_len, msg_len, tag_len;
			char res = count_result(&t, test);
			bool match;

			if (tag_want == 0 || tag_want > full_len ||
			    !field(test, "key", key, MAXV, &key_len) ||
			    !field(test, "msg", msg, MAXV, &msg_len) ||
			    !field(test, "tag", tag, sizeof(tag), &tag_len)) {
				fail(&t, test, "unexpected field sizes");
				continue;
			}
			if (full_len == 32)
				sec_hmac_sha256(out, key, key_len, msg, msg_len);
			else
				sec_hmac_sha512(out, key, key_len, msg, msg_len);
			/* Truncated tags: the first tagSize bits. */
			match = tag_len == tag_want && memcmp(out, tag, tag_want) == 0;
			if (res == 'v' && !match)
				fail(&t, test, "valid tag does not match");
			else if (res == 'i' && match)
				fail(&t, test, "invalid tag matches");
			else if (res == 'a' && !match)
				t.refused++;
		}
		snprintf(what, sizeof(what), "%s keySize %ld tagSize %zu", name,
		    key_bits, 8 * tag_want);
		report(what, &t);
	}
	free(text);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	if (crypto_aead_aes256gcm_is_available()) {
		aead_file("aes_gcm_test.json", MSG_SUITE_AES256GCM, 8 * SEC_AES_NONCE_LEN);
	} else {
		free(load_or_bail("aes_gcm_test.json"));
		printf("# skip aes_gcm_test.json: AES-256-GCM is not available on this CPU\n");
	}
	aead_file("xchacha20_poly1305_test.json", MSG_SUITE_XCHACHA20,
	    8 * SEC_XCHACHA_NONCE_LEN);
	x25519_file();
	hmac_file("hmac_sha256_test.json", 32);
	hmac_file("hmac_sha512_test.json", 64);
	return test_done();
}
