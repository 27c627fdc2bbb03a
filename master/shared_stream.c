/* SPDX-License-Identifier: Apache-2.0 */
#include "limits.h"
#include "shared_stream.h"

void
shared_stream_init(struct shared_stream *s)
{
	s->zs = NULL;
	buf_init(&s->z, WIRE_BODY_MAX_BYTES);
	s->restart_ms = 0;
	s->restart_pending = false;
	s->parts_shared = s->parts_saved = 0;
}

void
shared_stream_free(struct shared_stream *s)
{
	zs_enc_free(s->zs);
	s->zs = NULL;
	buf_release(&s->z);
}

bool
shared_stream_rejoin_due(const struct shared_stream *s, unsigned off, uint64_t now_ms)
{
	if (off == 0)
		return false;   /* everyone is on it already */
	/* Those on it lose the history a restart forgets: not every frame. */
	return s->restart_ms == 0 || now_ms - s->restart_ms >= MASTER_SHARED_REJOIN_MS;
}

void
shared_stream_restart(struct shared_stream *s, uint64_t now_ms)
{
	s->restart_ms = now_ms;
	s->restart_pending = true;
}

int
shared_stream_part(struct shared_stream *s, const uint8_t *raw, size_t n, unsigned viewers)
{
	int r;

	if (s->zs == NULL && (s->zs = zs_enc_new(MASTER_ZSTD_LEVEL)) == NULL)
		return ERR_NOMEM;
	buf_reset(&s->z);
	if ((r = zs_enc_part(s->zs, s->restart_pending, raw, n, &s->z)) != 0)
		return r;
	s->restart_pending = false;
	if (viewers >= 2) {
		s->parts_shared++;
		s->parts_saved += viewers - 1;
	}
	return 0;
}
