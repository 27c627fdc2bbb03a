/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"

static const uint8_t empty_byte;

struct buf *
buf_new(size_t max)
{
	struct buf *b;

	if ((b = malloc(sizeof(*b))) == NULL)
		return NULL;
	buf_init(b, max);
	return b;
}

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->cd = &empty_byte;
	b->max = max;
}

void
buf_release(struct buf *b)
{
	if (b == NULL)
		return;
	if (b->d != NULL) {
		/* only what was written: wiping all of cap would touch every
		 * page of a large buffer that was never used, just to free it */
		sodium_memzero(b->d, b->used);
		free(b->d);
	}
	buf_init(b, b->max);
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	buf_release(b);
	free(b);
}

void
buf_view(struct buf *b, const void *p, size_t n)
{
	memset(b, 0, sizeof(*b));
	b->cd = (p != NULL && n > 0) ? p : &empty_byte;
	b->len = (p != NULL) ? n : 0;
	b->max = b->len;
	b->ro = true;
}

void
buf_reset(struct buf *b)
{
	if (b->ro) {
		b->off = b->len;
		return;
	}
	b->off = b->len = 0;
}

size_t
buf_len(const struct buf *b)
{
	return b->len - b->off;
}

size_t
buf_avail(const struct buf *b)
{
	return b->ro ? 0 : b->max - buf_len(b);
}

size_t
buf_max(const struct buf *b)
{
	return b->max;
}

void
buf_raise_max(struct buf *b, size_t max)
{
	if (!b->ro && max > b->max)
		b->max = max;
}

const uint8_t *
buf_ptr(const struct buf *b)
{
	static const uint8_t none[1];

	/* a buf never given bytes (zeroed, or a view of nothing) has no
	 * storage: NULL + 0 is undefined, and buf.h promises non-NULL */
	return b->cd != NULL ? b->cd + b->off : none;
}

int
buf_get_bytes(struct buf *b, void *dst, size_t n)
{
	if (n > buf_len(b)) {
		if (n > 0)
			memset(dst, 0, n);
		return ERR_INCOMPLETE;
	}
	if (n > 0)
		memcpy(dst, buf_ptr(b), n);
	b->off += n;
	return 0;
}

int
buf_get_u8(struct buf *b, uint8_t *v)
{
	return buf_get_bytes(b, v, 1);
}

int
buf_get_u16(struct buf *b, uint16_t *v)
{
	uint8_t p[2];
	int r;

	*v = 0;
	if ((r = buf_get_bytes(b, p, sizeof(p))) != 0)
		return r;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return 0;
}

int
buf_get_u32(struct buf *b, uint32_t *v)
{
	uint8_t p[4];
	int r;

	*v = 0;
	if ((r = buf_get_bytes(b, p, sizeof(p))) != 0)
		return r;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int
buf_get_u64(struct buf *b, uint64_t *v)
{
	uint8_t p[8];
	int i, r;

	*v = 0;
	if ((r = buf_get_bytes(b, p, sizeof(p))) != 0)
		return r;
	for (i = 0; i < 8; i++)
		*v = *v << 8 | p[i];
	return 0;
}

int
buf_get_view(struct buf *b, struct buf *sub, size_t n)
{
	buf_view(sub, NULL, 0);
	if (n > buf_len(b))     /* never "off + n > len": that sum can wrap */
		return ERR_INCOMPLETE;
	buf_view(sub, buf_ptr(b), n);
	b->off += n;
	return 0;
}

int
buf_get_lv16(struct buf *b, struct buf *sub, size_t max)
{
	const uint8_t *p = buf_ptr(b);
	size_t n;

	buf_view(sub, NULL, 0);
	if (buf_len(b) < 2)
		return ERR_INCOMPLETE;
	n = (size_t)p[0] << 8 | p[1];
	if (n > max)            /* the limit first, then completeness */
		return ERR_TOO_LARGE;
	if (n > buf_len(b) - 2)
		return ERR_INCOMPLETE;
	buf_view(sub, p + 2, n);
	b->off += 2 + n;
	return 0;
}

int
buf_get_lv32(struct buf *b, struct buf *sub, size_t max)
{
	const uint8_t *p = buf_ptr(b);
	size_t n;

	buf_view(sub, NULL, 0);
	if (buf_len(b) < 4)
		return ERR_INCOMPLETE;
	n = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
	if (n > max)
		return ERR_TOO_LARGE;
	if (n > buf_len(b) - 4)
		return ERR_INCOMPLETE;
	buf_view(sub, p + 4, n);
	b->off += 4 + n;
	return 0;
}

int
buf_get_var32(struct buf *b, uint32_t *v)
{
	uint32_t x = 0;
	uint8_t c;
	int r;

	*v = 0;
	for (size_t i = 0; i < BUF_VAR32_MAX_LEN; i++) {
		if ((r = buf_peek_u8(b, i, &c)) != 0)
			return r;
		if (i == BUF_VAR32_MAX_LEN - 1 && c > 0x0F)
			return ERR_FORMAT;      /* more than 32 bits (4 x 7 + 4) */
		x |= (uint32_t)(c & 0x7F) << (7 * i);
		if (!(c & 0x80)) {
			if (c == 0 && i > 0)
				return ERR_FORMAT;      /* not the shortest form */
			if ((r = buf_skip(b, i + 1)) != 0)
				return r;
			*v = x;
			return 0;
		}
	}
	return ERR_FORMAT;
}

int
buf_peek_u8(const struct buf *b, size_t at, uint8_t *v)
{
	*v = 0;
	if (at >= buf_len(b))
		return ERR_INCOMPLETE;
	*v = buf_ptr(b)[at];
	return 0;
}

int
buf_peek_u32(const struct buf *b, size_t at, uint32_t *v)
{
	const uint8_t *p;

	*v = 0;
	if (at > buf_len(b) || buf_len(b) - at < 4)
		return ERR_INCOMPLETE;
	p = buf_ptr(b) + at;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	return 0;
}

int
buf_skip(struct buf *b, size_t n)
{
	if (n > buf_len(b))
		return ERR_INCOMPLETE;
	b->off += n;
	return 0;
}

int
buf_expect_end(const struct buf *b)
{
	return buf_len(b) == 0 ? 0 : ERR_TRAILING;
}

/* Make room for n more bytes at d + len, within max. */
static int
make_room(struct buf *b, size_t n)
{
	size_t need, cap;
	uint8_t *d;

	if (b->ro)
		return ERR_INTERNAL;
	if (n > b->max - buf_len(b))
		return ERR_NO_SPACE;
	if (n <= b->cap - b->len)
		return 0;
	if (b->off > 0) {       /* slide the unread bytes to the front first */
		memmove(b->d, b->d + b->off, buf_len(b));
		b->len -= b->off;
		b->off = 0;
		if (n <= b->cap - b->len)
			return 0;
	}
	need = b->len + n;      /* <= max, checked above */
	cap = b->cap > 0 ? b->cap : 256;
	while (cap < need)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	/* not realloc: the old storage is wiped before it is freed (off is 0) */
	if ((d = malloc(cap)) == NULL)
		return ERR_NOMEM;
	if (b->d != NULL) {
		memcpy(d, b->d, b->len);
		sodium_memzero(b->d, b->used);
		free(b->d);
	}
	b->cd = b->d = d;
	b->cap = cap;
	b->used = b->len;
	return 0;
}

int
buf_reserve(struct buf *b, size_t n, uint8_t **p)
{
	int r;

	*p = NULL;
	if ((r = make_room(b, n)) != 0)
		return r;
	*p = b->d + b->len;
	b->len += n;
	b->used_mark = b->used;
	if (b->len > b->used)
		b->used = b->len;
	return 0;
}

void
buf_unput(struct buf *b, size_t n)
{
	BUG_ON(b->ro || n > buf_len(b));
	b->len -= n;
}

void
buf_keep(struct buf *b, size_t n, size_t k)
{
	BUG_ON(b->ro || k > n || n > buf_len(b));
	b->len -= n - k;
	b->used = b->used_mark > b->len ? b->used_mark : b->len;
}

int
buf_put_bytes(struct buf *b, const void *p, size_t n)
{
	uint8_t *dst;
	int r;

	if ((r = buf_reserve(b, n, &dst)) != 0)
		return r;
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

int
buf_put_u8(struct buf *b, uint8_t v)
{
	return buf_put_bytes(b, &v, 1);
}

int
buf_put_u16(struct buf *b, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put_bytes(b, p, sizeof(p));
}

int
buf_put_u32(struct buf *b, uint32_t v)
{
	uint8_t p[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	return buf_put_bytes(b, p, sizeof(p));
}

size_t
buf_var32_pack(uint8_t p[BUF_VAR32_MAX_LEN], uint32_t v)
{
	size_t n = 0;

	do {
		p[n] = (uint8_t)(v & 0x7F);
		v >>= 7;
		if (v != 0)
			p[n] |= 0x80;
		n++;
	} while (v != 0);
	return n;
}

int
buf_put_var32(struct buf *b, uint32_t v)
{
	uint8_t p[BUF_VAR32_MAX_LEN];

	return buf_put_bytes(b, p, buf_var32_pack(p, v));
}

int
buf_put_u64(struct buf *b, uint64_t v)
{
	uint8_t p[8];
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
	return buf_put_bytes(b, p, sizeof(p));
}

int
buf_put_lv16(struct buf *b, const void *p, size_t n)
{
	int r;

	if (n > 0xFFFF)
		return ERR_TOO_LARGE;
	if (n + 2 > buf_avail(b))
		return ERR_NO_SPACE;
	if ((r = buf_put_u16(b, (uint16_t)n)) != 0)
		return r;
	return buf_put_bytes(b, p, n);
}

int
buf_put_lv32(struct buf *b, const void *p, size_t n)
{
	int r;

	if (n > 0xFFFFFFFFu)
		return ERR_TOO_LARGE;
	if (buf_avail(b) < 4 || n > buf_avail(b) - 4)
		return ERR_NO_SPACE;
	if ((r = buf_put_u32(b, (uint32_t)n)) != 0)
		return r;
	return buf_put_bytes(b, p, n);
}

int
buf_read_fd(struct buf *b, int fd, size_t want, size_t *got)
{
	uint8_t *p;
	ssize_t n;
	int r;

	*got = 0;
	if (want > buf_avail(b))
		want = buf_avail(b);
	if (want == 0)
		return ERR_NO_SPACE;
	if ((r = buf_reserve(b, want, &p)) != 0)
		return r;
	do
		n = read(fd, p, want);
	while (n == -1 && errno == EINTR);
	/* a connection that reads 100 bytes into 64 KiB wrote 100 */
	buf_keep(b, want, n > 0 ? (size_t)n : 0);
	if (n <= 0) {
		if (n == 0)
			return ERR_CLOSED;
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? ERR_AGAIN : ERR_SYSTEM;
	}
	*got = (size_t)n;
	return 0;
}

int
buf_write_fd(struct buf *b, int fd, size_t budget, size_t *sent)
{
	size_t n = buf_len(b) < budget ? buf_len(b) : budget;
	ssize_t w;

	*sent = 0;
	if (n == 0)
		return 0;
	do
		w = send(fd, buf_ptr(b), n, MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w == -1 && errno == ENOTSOCK)
		w = write(fd, buf_ptr(b), n);
	if (w < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? ERR_AGAIN :
		    errno == EPIPE || errno == ECONNRESET ? ERR_CLOSED : ERR_SYSTEM;
	b->off += (size_t)w;
	if (b->off == b->len)
		b->off = b->len = 0;
	*sent = (size_t)w;
	return 0;
}

bool
buf_utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, k, need;
	uint32_t c, min;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			need = 1; c &= 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2; c &= 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3; c &= 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (need > n - i - 1)
			return false;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return false;
			c = c << 6 | (p[i + k] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}
