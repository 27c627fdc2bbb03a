/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cpace.c - CPace against the draft's ristretto255 vectors.
 *
 * Vectors come from $FERNSICHT_TESTVECTORS (default tests/vectors,
 * relative to the repo root, where tests run; copied into the repository
 * with their licence): cpace/testvectors.json and
 * the ristretto255 section of cpace/testvectors.md, whose BASE64 blocks hold
 * the vectors of another draft revision (different CI) as JSON.
 */
#include <string.h>

#include <sodium.h>

#include "cpace.h"
#include "json.h"
#include "test.h"

#define MAXV 1024

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

	snprintf(path, sizeof(path), "%s/%s", vectors_dir(), name);
	if ((s = json_load(path)) == NULL)
		TEST_BAIL("cannot read %s (set FERNSICHT_TESTVECTORS)", path);
	return s;
}

/* Member name of obj as bytes; a missing or bad member bails (broken file). */
static size_t
get_hex(const char *obj, const char *name, uint8_t *out, size_t max)
{
	long n = json_hex(json_get(obj, name), out, max);

	if (n < 0)
		TEST_BAIL("vector member \"%s\" missing or not hex", name);
	return (size_t)n;
}

static void
get_point(const char *obj, const char *name, uint8_t out[32])
{
	if (get_hex(obj, name, out, 32) != 32)
		TEST_BAIL("vector member \"%s\" is not 32 bytes", name);
}

/* One full protocol run: g, Ya, Yb, K from both sides, ISK_IR. */
static void
check_run(const char *v, const char *where)
{
	uint8_t prs[MAXV], ci[MAXV], sid[MAXV], ada[MAXV], adb[MAXV];
	uint8_t g[32], ya[32], yb[32], Ya[32], Yb[32], K[32], isk[64];
	uint8_t out[32], out2[32], isk_out[64];
	size_t prs_len, ci_len, sid_len, ada_len, adb_len;

	printf("# %s\n", where);
	prs_len = get_hex(v, "PRS", prs, sizeof(prs));
	ci_len = get_hex(v, "CI", ci, sizeof(ci));
	sid_len = get_hex(v, "sid", sid, sizeof(sid));
	ada_len = get_hex(v, "ADa", ada, sizeof(ada));
	adb_len = get_hex(v, "ADb", adb, sizeof(adb));
	get_point(v, "g", g);
	get_point(v, "ya", ya);
	get_point(v, "yb", yb);
	get_point(v, "Ya", Ya);
	get_point(v, "Yb", Yb);
	get_point(v, "K", K);
	if (get_hex(v, "ISK_IR", isk, sizeof(isk)) != sizeof(isk))
		TEST_BAIL("ISK_IR is not 64 bytes");

	CHECK_ERR(cpace_generator(out, prs, prs_len, ci, ci_len, sid, sid_len), 0);
	CHECK(memcmp(out, g, 32) == 0);
	CHECK_ERR(cpace_public(out, ya, g), 0);
	CHECK(memcmp(out, Ya, 32) == 0);
	CHECK_ERR(cpace_public(out, yb, g), 0);
	CHECK(memcmp(out, Yb, 32) == 0);
	CHECK_ERR(cpace_secret(out, ya, Yb), 0);
	CHECK(memcmp(out, K, 32) == 0);
	CHECK_ERR(cpace_secret(out2, yb, Ya), 0);
	CHECK(memcmp(out2, K, 32) == 0);
	cpace_isk_ir(isk_out, sid, sid_len, K, Ya, ada, ada_len, Yb, adb, adb_len);
	CHECK(memcmp(isk_out, isk, 64) == 0);
}

/* scalar_mult_vfy: the valid case, and every invalid point must abort. */
static void
check_points(const char *v, const char *where)
{
	const char *valid = json_get(v, "Valid"), *m;
	uint8_t s[32], X[32], want[32], Y[32], out[32];
	char name[256];
	int n = 0;

	printf("# %s\n", where);
	if (valid == NULL)
		TEST_BAIL("no \"Valid\" case in %s", where);
	get_point(valid, "s", s);
	get_point(valid, "X", X);
	get_point(valid, "G.scalar_mult_vfy(s,X)", want);
	CHECK_ERR(cpace_secret(out, s, X), 0);
	CHECK(memcmp(out, want, 32) == 0);
	for (m = json_first(v); m != NULL; m = json_next(m)) {
		if (json_str(m, name, sizeof(name)) < 0 ||
		    strncmp(name, "Invalid", 7) != 0)
			continue;
		get_point(v, name, Y);
		printf("# %s\n", name);
		CHECK_ERR(cpace_secret(out, s, Y), ERR_AUTH);
		n++;
	}
	CHECK(n > 0);
}

/* The ristretto255 section's name differs between draft revisions. */
static bool
is_ristretto_name(const char *name)
{
	return strstr(name, "istretto") != NULL || strstr(name, "Coffee25519") != NULL;
}

static void
json_vectors(void)
{
	char *text = load_or_bail("cpace/testvectors.json");
	const char *m, *run = NULL, *points = NULL;
	char name[256];

	for (m = json_first(text); m != NULL; m = json_next(m)) {
		if (json_str(m, name, sizeof(name)) < 0 || !is_ristretto_name(name))
			continue;
		if (strstr(name, "_points") != NULL)
			points = json_value(m);
		else
			run = json_value(m);
	}
	if (run == NULL || points == NULL)
		TEST_BAIL("no ristretto255 section in cpace/testvectors.json");
	check_run(run, "testvectors.json: ristretto255 run");
	check_points(points, "testvectors.json: ristretto255 points");
	free(text);
}

/*
 * testvectors.md: in the ristretto255 section, each "~~~ test-vectors"
 * block is BASE64 JSON on lines starting " #".
 */
static void
md_vectors(void)
{
	char *text = load_or_bail("cpace/testvectors.md");
	char *sec, *end, *p, *line, *b64, *js;
	size_t b64_len = 0, js_len;
	int blocks = 0;

	sec = strstr(text, "##  Test vector for CPace using group ristretto255");
	if (sec == NULL)
		TEST_BAIL("no ristretto255 section in cpace/testvectors.md");
	end = strstr(sec + 1, "\n##  ");
	if (end != NULL)
		*end = '\0';
	b64 = malloc(strlen(sec) + 1);
	js = malloc(strlen(sec) + 1);
	if (b64 == NULL || js == NULL)
		TEST_BAIL("out of memory");
	for (p = strstr(sec, "~~~ test-vectors"); p != NULL;
	    p = strstr(p, "~~~ test-vectors")) {
		b64_len = 0;
		for (line = strchr(p, '\n'); line != NULL && strncmp(line + 1, "~~~", 3) != 0;
		    line = strchr(line + 1, '\n')) {
			char *q = line + 1;

			if (strncmp(q, " #", 2) != 0)
				continue;
			for (q += 2; *q != '\n' && *q != '\0'; q++)
				b64[b64_len++] = *q;
		}
		if (line == NULL)
			break;
		p = line + 4;
		if (sodium_base642bin((unsigned char *)js, strlen(sec), b64, b64_len,
		    NULL, &js_len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			TEST_BAIL("bad BASE64 block in cpace/testvectors.md");
		js[js_len] = '\0';
		blocks++;
		if (json_get(js, "ISK_IR") != NULL)
			check_run(js, "testvectors.md: ristretto255 run");
		else if (json_get(js, "Valid") != NULL)
			check_points(js, "testvectors.md: ristretto255 points");
		else if (json_get(js, "encoded generator g") != NULL) {
			uint8_t prs[MAXV], ci[MAXV], sid[MAXV], g[32], out[32];
			size_t prs_len = get_hex(js, "PRS", prs, sizeof(prs));
			size_t ci_len = get_hex(js, "CI", ci, sizeof(ci));
			size_t sid_len = get_hex(js, "sid", sid, sizeof(sid));

			printf("# testvectors.md: ristretto255 generator\n");
			get_point(js, "encoded generator g", g);
			CHECK_ERR(cpace_generator(out, prs, prs_len, ci, ci_len,
			    sid, sid_len), 0);
			CHECK(memcmp(out, g, 32) == 0);
		}
	}
	CHECK(blocks == 3);
	free(js);
	free(b64);
	free(text);
}

/* Append prepend_len(data) to buf: the draft's definition, spelled out. */
static size_t
lv(uint8_t *buf, size_t at, const uint8_t *data, size_t len)
{
	uint8_t pre[10];
	size_t n = len, k = 0;

	do {
		pre[k++] = (uint8_t)((n & 0x7f) | (n >= 128 ? 0x80 : 0));
		n >>= 7;
	} while (n != 0 && k < sizeof(pre));
	memcpy(buf + at, pre, k);
	memcpy(buf + at + k, data, len);
	return at + k + len;
}

/*
 * Long inputs have no published vector: check the streamed hash against
 * generator_string() built in one buffer, for PRS lengths around the block
 * size (zero padding shrinking to none, two-byte LEB128 lengths).
 */
static void
generator_lengths(void)
{
	static const size_t lens[] = { 0, 1, 100, 108, 109, 110, 127, 128, 300 };
	static const uint8_t zeros[128];
	uint8_t prs[300], ci[200], sid[16], str[1024], h[64], want[32], got[32];
	size_t i, at, used, zpad;
	int ok = 1;

	randombytes_buf(prs, sizeof(prs));
	randombytes_buf(ci, sizeof(ci));
	randombytes_buf(sid, sizeof(sid));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		at = lv(str, 0, (const uint8_t *)CPACE_DSI, strlen(CPACE_DSI));
		at = lv(str, at, prs, lens[i]);
		used = at + 1;
		zpad = used < 128 ? 128 - used : 0;
		at = lv(str, at, zeros, zpad);
		at = lv(str, at, ci, sizeof(ci));
		at = lv(str, at, sid, sizeof(sid));
		crypto_hash_sha512(h, str, at);
		crypto_core_ristretto255_from_hash(want, h);
		if (cpace_generator(got, prs, lens[i], ci, sizeof(ci), sid,
		    sizeof(sid)) != 0 || memcmp(got, want, 32) != 0) {
			printf("# PRS length %zu differs\n", lens[i]);
			ok = 0;
		}
	}
	CHECK(ok);
}

/* Both sides with their own random scalars; optionally different codes. */
static void
round_trip(const char *prs_a, const char *prs_b)
{
	static const uint8_t ci[] = "\x0b" "A_initiator" "\x0b" "B_responder";
	uint8_t sid[16], ga[32], gb[32], ya[32], yb[32], Ya[32], Yb[32];
	uint8_t Ka[32], Kb[32], isk_a[64], isk_b[64];
	int same = strcmp(prs_a, prs_b) == 0;

	randombytes_buf(sid, sizeof(sid));
	CHECK_ERR(cpace_generator(ga, (const uint8_t *)prs_a, strlen(prs_a),
	    ci, sizeof(ci) - 1, sid, sizeof(sid)), 0);
	CHECK_ERR(cpace_generator(gb, (const uint8_t *)prs_b, strlen(prs_b),
	    ci, sizeof(ci) - 1, sid, sizeof(sid)), 0);
	cpace_scalar_random(ya);
	cpace_scalar_random(yb);
	CHECK(memcmp(ya, yb, 32) != 0);
	CHECK_ERR(cpace_public(Ya, ya, ga), 0);
	CHECK_ERR(cpace_public(Yb, yb, gb), 0);
	CHECK_ERR(cpace_secret(Ka, ya, Yb), 0);
	CHECK_ERR(cpace_secret(Kb, yb, Ya), 0);
	cpace_isk_ir(isk_a, sid, sizeof(sid), Ka, Ya, (const uint8_t *)"a", 1,
	    Yb, (const uint8_t *)"b", 1);
	cpace_isk_ir(isk_b, sid, sizeof(sid), Kb, Ya, (const uint8_t *)"a", 1,
	    Yb, (const uint8_t *)"b", 1);
	if (same) {
		CHECK(memcmp(ga, gb, 32) == 0);
		CHECK(memcmp(Ka, Kb, 32) == 0);
		CHECK(memcmp(isk_a, isk_b, 64) == 0);
	} else {
		CHECK(memcmp(ga, gb, 32) != 0);
		CHECK(memcmp(Ka, Kb, 32) != 0);
		CHECK(memcmp(isk_a, isk_b, 64) != 0);
	}
}

/* Encodings that are not ristretto255 points must abort the protocol. */
static void
bad_points(void)
{
	uint8_t y[32], Y[32], K[32];

	cpace_scalar_random(y);
	memset(Y, 0xff, sizeof(Y)); /* not canonical */
	CHECK_ERR(cpace_secret(K, y, Y), ERR_AUTH);
	memset(Y, 0, sizeof(Y));    /* the identity */
	CHECK_ERR(cpace_secret(K, y, Y), ERR_AUTH);
	Y[0] = 1;                   /* negative field element */
	CHECK_ERR(cpace_secret(K, y, Y), ERR_AUTH);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	json_vectors();
	md_vectors();
	generator_lengths();
	round_trip("123456", "123456");
	round_trip("123456", "123457");
	bad_points();
	return test_done();
}
