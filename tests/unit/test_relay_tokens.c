/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_tokens - session-creation tokens: the codec (relay/token.c),
 * and the keys and lists of issued and revoked tokens (relay/tokens.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "token.h"
#include "tokens.h"
#include "test.h"

static uint8_t secret_a[32], secret_b[40];

static int
key_ab(void *arg, const char *key_id, const uint8_t **secret, size_t *len)
{
	(void)arg;
	if (strcmp(key_id, "a") == 0) {
		*secret = secret_a;
		*len = sizeof(secret_a);
		return 0;
	}
	if (strcmp(key_id, "key-b.2") == 0) {
		*secret = secret_b;
		*len = sizeof(secret_b);
		return 0;
	}
	return ERR_NOT_FOUND;
}

static int
key_b_only(void *arg, const char *key_id, const uint8_t **secret, size_t *len)
{
	return strcmp(key_id, "a") == 0 ? ERR_NOT_FOUND : key_ab(arg, key_id, secret, len);
}

static void
sample(struct token *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->key_id, sizeof(t->key_id), "a");
	for (int i = 0; i < TOKEN_ID_LEN; i++)
		t->id[i] = (uint8_t)(0xA0 + i);
	t->expiry_s = UINT64_C(1900000000);
	t->scope = TOKEN_SCOPE_CREATE;
	snprintf(t->name, sizeof(t->name), "Büro Köln \"3\"");
}

/* The layout written out by hand (token.h), MAC'd here with libsodium's
 * one-shot HMAC: the codec must give exactly this text. */
static void
test_layout(void)
{
	struct token t, back;
	uint8_t body[256];
	char want[WIRE_TOKEN_MAX + 1], got[WIRE_TOKEN_MAX + 1];
	size_t n = 0, nn;

	sample(&t);
	nn = strlen(t.name);
	body[n++] = 1;
	body[n++] = 1;
	body[n++] = 'a';
	memcpy(body + n, t.id, TOKEN_ID_LEN);
	n += TOKEN_ID_LEN;
	for (int i = 0; i < 8; i++)
		body[n++] = (uint8_t)(t.expiry_s >> (56 - 8 * i));
	body[n++] = 1;
	body[n++] = (uint8_t)nn;
	memcpy(body + n, t.name, nn);
	n += nn;
	crypto_auth_hmacsha256(body + n, body, n, secret_a);  /* a 32-byte key */
	n += 32;
	memcpy(want, "fst1.", 5);
	sodium_bin2base64(want + 5, sizeof(want) - 5, body, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	CHECK_ERR(token_encode(&t, secret_a, sizeof(secret_a), got, sizeof(got)), 0);
	CHECK(strcmp(got, want) == 0);
	CHECK(strchr(got, '=') == NULL && strchr(got, '+') == NULL && strchr(got, '/') == NULL);
	CHECK_ERR(token_decode(got, strlen(got), key_ab, NULL, &back), 0);
	CHECK(memcmp(&back, &t, sizeof(t)) == 0);
	/* too small an output: refused, never cut */
	CHECK_ERR(token_encode(&t, secret_a, sizeof(secret_a), got, 20), ERR_NO_SPACE);
	CHECK(got[0] == '\0');
}

/* Any changed character of the text, or any changed byte of the body
 * (re-encoded so that the text is well-formed), is refused. */
static void
test_tamper(void)
{
	struct token t, back;
	char text[WIRE_TOKEN_MAX + 1], bad[WIRE_TOKEN_MAX + 2];
	uint8_t body[256];
	size_t len, n, i;
	int r, refused = 0, total = 0;

	sample(&t);
	snprintf(t.key_id, sizeof(t.key_id), "key-b.2");
	CHECK_ERR(token_encode(&t, secret_b, sizeof(secret_b), text, sizeof(text)), 0);
	len = strlen(text);
	for (i = 0; i < len; i++) {
		memcpy(bad, text, len + 1);
		bad[i] = bad[i] == 'A' ? 'B' : 'A';
		total++;
		refused += token_decode(bad, len, key_ab, NULL, &back) != 0;
	}
	CHECK(refused == total);
	CHECK(sodium_base642bin(body, sizeof(body), text + 5, len - 5, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
	refused = total = 0;
	for (i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit++) {
			body[i] ^= (uint8_t)(1 << bit);
			memcpy(bad, "fst1.", 5);
			sodium_bin2base64(bad + 5, sizeof(bad) - 5, body, n,
			    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
			r = token_decode(bad, strlen(bad), key_ab, NULL, &back);
			total++;
			refused += r == ERR_AUTH || r == ERR_FORMAT || r == ERR_NOT_FOUND;
			/* refused tokens leave nothing behind */
			if (r != 0 && (back.expiry_s != 0 || back.name[0] != '\0'))
				refused--;
			body[i] ^= (uint8_t)(1 << bit);
		}
	}
	CHECK(refused == total);
	/* a byte flipped past the key id: the MAC catches it */
	body[2 + 7 + 3] ^= 1;
	memcpy(bad, "fst1.", 5);
	sodium_bin2base64(bad + 5, sizeof(bad) - 5, body, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	CHECK_ERR(token_decode(bad, strlen(bad), key_ab, NULL, &back), ERR_AUTH);
	/* a key the verifier does not have */
	CHECK_ERR(token_decode(text, len, key_ab, NULL, &back), 0);
	sample(&t);
	CHECK_ERR(token_encode(&t, secret_a, sizeof(secret_a), text, sizeof(text)), 0);
	CHECK_ERR(token_decode(text, strlen(text), key_b_only, NULL, &back), ERR_NOT_FOUND);
	/* cut short, too long, other prefixes, padding, non-canonical last character */
	CHECK_ERR(token_decode(text, strlen(text) - 1, key_ab, NULL, &back), ERR_FORMAT);
	CHECK_ERR(token_decode("fst1.", 5, key_ab, NULL, &back), ERR_FORMAT);
	CHECK_ERR(token_decode("", 0, key_ab, NULL, &back), ERR_FORMAT);
	memcpy(bad, text, strlen(text) + 1);
	bad[3] = '2';
	CHECK_ERR(token_decode(bad, strlen(bad), key_ab, NULL, &back), ERR_FORMAT);
	snprintf(bad, sizeof(bad), "%s=", text);
	CHECK_ERR(token_decode(bad, strlen(bad), key_ab, NULL, &back), ERR_FORMAT);
	memset(bad, 'A', WIRE_TOKEN_MAX + 1);
	memcpy(bad, "fst1.", 5);
	CHECK_ERR(token_decode(bad, WIRE_TOKEN_MAX + 1, key_ab, NULL, &back), ERR_FORMAT);
	/* the last character carries unused bits when the body's length is not a
	 * multiple of 3: another character with the same used bits is refused */
	len = strlen(text);
	if (((len - 5) * 6) % 8 != 0) {
		const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_";
		int v = (int)(strchr(alpha, text[len - 1]) - alpha);

		memcpy(bad, text, len + 1);
		bad[len - 1] = alpha[v ^ 1];
		CHECK_ERR(token_decode(bad, len, key_ab, NULL, &back), ERR_FORMAT);
	}
	/* bad names and key ids are not encoded */
	sample(&t);
	snprintf(t.name, sizeof(t.name), "tab\there");
	CHECK_ERR(token_encode(&t, secret_a, sizeof(secret_a), text, sizeof(text)), ERR_FORMAT);
	sample(&t);
	snprintf(t.key_id, sizeof(t.key_id), "a b");
	CHECK_ERR(token_encode(&t, secret_a, sizeof(secret_a), text, sizeof(text)), ERR_FORMAT);
	/* the largest token fits HELLO's field */
	sample(&t);
	memset(t.key_id, 'k', TOKEN_KEY_ID_MAX);
	t.key_id[TOKEN_KEY_ID_MAX] = '\0';
	memset(t.name, 'n', TOKEN_NAME_MAX);
	t.name[TOKEN_NAME_MAX] = '\0';
	CHECK_ERR(token_encode(&t, secret_b, sizeof(secret_b), text, sizeof(text)), 0);
	CHECK(strlen(text) <= WIRE_TOKEN_MAX);
}

static char dir[] = "/tmp/test_relay_tokens.XXXXXX";

static void
write_file(const char *name, const char *text, mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		TEST_BAIL("cannot write %s", path);
	fputs(text, f);
	fclose(f);
	if (chmod(path, mode) != 0)
		TEST_BAIL("chmod %s", path);
}

static char *
read_file(const char *name)
{
	static char text[65536];
	char path[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return text;
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static const char *KEY1 = "k1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
static const char *KEY2 = "k2 ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n";

static void
test_store(void)
{
	char keys[256], why[512], tok[WIRE_TOKEN_MAX + 1], tok2[WIRE_TOKEN_MAX + 1];
	char id[TOKEN_ID_HEX_LEN + 1], id2[TOKEN_ID_HEX_LEN + 1], path[256];
	struct tokens *t, *other;
	struct buf out;
	uint64_t now = (uint64_t)time(NULL);

	snprintf(path, sizeof(path), "%s/keys", dir);
	/* readable by everyone: refused */
	write_file("keys", KEY1, 0644);
	CHECK((t = tokens_new(path, dir, why, sizeof(why))) == NULL);
	CHECK(strstr(why, "everyone may read") != NULL);
	/* a bad line is named */
	snprintf(keys, sizeof(keys), "# comment\n\n%sk2 abcd\n", KEY1);
	write_file("keys", keys, 0600);
	CHECK((t = tokens_new(path, dir, why, sizeof(why))) == NULL);
	CHECK(strstr(why, "keys:4:") != NULL);
	snprintf(keys, sizeof(keys), "%s%s", KEY1, KEY1);
	write_file("keys", keys, 0600);
	CHECK((t = tokens_new(path, dir, why, sizeof(why))) == NULL);
	CHECK(strstr(why, "keys:2:") != NULL && strstr(why, "second time") != NULL);
	write_file("keys", "# none\n", 0600);
	CHECK((t = tokens_new(path, dir, why, sizeof(why))) == NULL);
	CHECK(strstr(why, "no key") != NULL);

	write_file("keys", KEY1, 0600);
	if ((t = tokens_new(path, dir, why, sizeof(why))) == NULL)
		TEST_BAIL("tokens_new: %s", why);
	CHECK_ERR(tokens_check(t, NULL, now, why, sizeof(why)), ERR_AUTH);
	CHECK(strcmp(why, "missing") == 0);
	CHECK_ERR(tokens_check(t, "", now, why, sizeof(why)), ERR_AUTH);
	CHECK_ERR(tokens_issue(t, "support desk", now, 0, tok, sizeof(tok), id), ERR_FORMAT);
	CHECK_ERR(tokens_issue(t, "bad\nname", now, 60, tok, sizeof(tok), id), ERR_FORMAT);
	CHECK_ERR(tokens_issue(t, "support desk", now, 60, tok, sizeof(tok), id), 0);
	CHECK(strncmp(tok, "fst1.", 5) == 0 && strlen(id) == TOKEN_ID_HEX_LEN);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok, now + 60, why, sizeof(why)), ERR_AUTH);
	CHECK(strcmp(why, "expired") == 0);
	/* recorded, without the token itself */
	CHECK(strstr(read_file("tokens-issued"), id) != NULL);
	CHECK(strstr(read_file("tokens-issued"), "support desk") != NULL);
	CHECK(strstr(read_file("tokens-issued"), tok + 5) == NULL);
	tok[10] ^= 1;
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), ERR_AUTH);
	CHECK(strncmp(why, "invalid", 7) == 0);
	tok[10] ^= 1;

	/* another process (the offline command) revokes; t sees it on reload */
	if ((other = tokens_new(path, dir, why, sizeof(why))) == NULL)
		TEST_BAIL("tokens_new: %s", why);
	CHECK_ERR(tokens_issue(other, "second", now, 3600, tok2, sizeof(tok2), id2), 0);
	CHECK_ERR(tokens_revoke(other, id), 0);
	CHECK_ERR(tokens_revoke(other, id), 0);
	CHECK_ERR(tokens_revoke(other, "00000000000000000000000000000000"), ERR_NOT_FOUND);
	CHECK_ERR(tokens_revoke(other, "0000"), ERR_FORMAT);
	CHECK_ERR(tokens_revoke(other, "ABCDEF00000000000000000000000000"), ERR_FORMAT);
	CHECK(strstr(read_file("tokens-revoked"), id) != NULL);
	CHECK_ERR(tokens_check(other, tok, now, why, sizeof(why)), ERR_AUTH);
	CHECK(strcmp(why, "revoked") == 0);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);     /* not yet reloaded */
	CHECK_ERR(tokens_reload(t, path, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), ERR_AUTH);
	CHECK(strcmp(why, "revoked") == 0);
	CHECK_ERR(tokens_check(t, tok2, now, why, sizeof(why)), 0);
	/* t issues: other's record is not lost */
	CHECK_ERR(tokens_issue(t, "third", now, 60, tok, sizeof(tok), id), 0);
	CHECK(strstr(read_file("tokens-issued"), id2) != NULL);
	CHECK(strstr(read_file("tokens-issued"), id) != NULL);

	buf_init(&out, 1 << 16);
	CHECK_ERR(tokens_list_json(t, &out, now), 0);
	CHECK(buf_put_u8(&out, 0) == 0);
	CHECK(strstr((const char *)buf_ptr(&out), "{\"tokens\":[{\"id\":\"") ==
	    (const char *)buf_ptr(&out));
	CHECK(strstr((const char *)buf_ptr(&out), "\"name\":\"second\",\"scope\":\"create\"") !=
	    NULL);
	CHECK(strstr((const char *)buf_ptr(&out), "\"revoked\":true") != NULL);
	buf_release(&out);

	/* rotation: k2 first signs, k1 still verifies; k1 removed: its tokens fail */
	snprintf(keys, sizeof(keys), "%s%s", KEY2, KEY1);
	write_file("keys", keys, 0600);
	CHECK_ERR(tokens_reload(t, path, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok2, now, why, sizeof(why)), 0);
	CHECK_ERR(tokens_issue(t, "rotated", now, 60, tok, sizeof(tok), id), 0);
	write_file("keys", KEY2, 0600);
	CHECK_ERR(tokens_reload(t, path, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok2, now, why, sizeof(why)), ERR_AUTH);
	CHECK(strstr(why, "does not have") != NULL);
	/* a bad reload changes nothing */
	write_file("keys", "k3 00\n", 0600);
	CHECK(tokens_reload(t, path, why, sizeof(why)) != 0);
	CHECK(strstr(why, "keys:1:") != NULL);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	write_file("tokens-revoked", "not an id\n", 0600);
	write_file("keys", KEY2, 0600);
	CHECK(tokens_reload(t, path, why, sizeof(why)) != 0);
	CHECK(strstr(why, "tokens-revoked:1:") != NULL);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	/* in two steps: nothing changes until the commit, or ever when abandoned */
	write_file("tokens-revoked", "", 0600);
	write_file("keys", KEY1, 0600);
	CHECK_ERR(tokens_prepare(t, path, why, sizeof(why)), 0);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	tokens_abandon(t);
	tokens_commit(t);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	CHECK_ERR(tokens_prepare(t, path, why, sizeof(why)), 0);
	CHECK_ERR(tokens_prepare(t, path, why, sizeof(why)), 0);       /* replaces */
	tokens_commit(t);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), ERR_AUTH);       /* k2 gone */
	CHECK_ERR(tokens_prepare(t, path, why, sizeof(why)), 0);       /* freed by tokens_free */
	tokens_free(t);
	tokens_free(other);

	/* without a state dir: verifying works, nothing is written */
	if ((t = tokens_new(path, NULL, why, sizeof(why))) == NULL)
		TEST_BAIL("tokens_new: %s", why);
	CHECK_ERR(tokens_issue(t, "", now, 60, tok, sizeof(tok), id), 0);
	CHECK_ERR(tokens_check(t, tok, now, why, sizeof(why)), 0);
	tokens_free(t);
}

int
main(void)
{
	char cmd[300];

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	randombytes_buf(secret_a, sizeof(secret_a));
	randombytes_buf(secret_b, sizeof(secret_b));
	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp");
	test_layout();
	test_tamper();
	test_store();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# cannot remove %s\n", dir);
	return test_done();
}
