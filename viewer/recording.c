/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "limits.h"
#include "recording.h"

int
recording_open(struct recording *r, const char *path)
{
	size_t len = strlen(path);
	struct stat st;

	memset(r, 0, sizeof(*r));
	if (len == 0)
		return ERR_FORMAT;
	if ((r->row = malloc((size_t)MSG_DIM_MAX * 3)) == NULL)
		return ERR_NOMEM;
	if (path[len - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			goto fail;
		if ((r->dir = strdup(path)) == NULL) {
			recording_close(r);
			return ERR_NOMEM;
		}
		return 0;
	}
	if ((r->f = fopen(path, "wb")) == NULL)
		goto fail;
	return 0;
fail:
	recording_close(r);
	return ERR_SYSTEM;
}

static int
write_ppm(struct recording *r, FILE *f, const struct image *img)
{
	unsigned x, y;

	if (fprintf(f, "P6\n%u %u\n255\n", img->w, img->h) < 0)
		return ERR_SYSTEM;
	for (y = 0; y < img->h; y++) {
		const uint32_t *px = img->px + (size_t)y * img->w;
		uint8_t *p = r->row;

		for (x = 0; x < img->w; x++, p += 3) {
			p[0] = (uint8_t)(px[x] >> 16);
			p[1] = (uint8_t)(px[x] >> 8);
			p[2] = (uint8_t)px[x];
		}
		if (fwrite(r->row, 3, img->w, f) != img->w)
			return ERR_SYSTEM;
	}
	return 0;
}

int
recording_frame(struct recording *r, const struct image *img, uint32_t frame_no)
{
	char *name;
	FILE *f;
	int ret;

	(void)frame_no;
	if (img->px == NULL || img->w > MSG_DIM_MAX)
		return ERR_INTERNAL;
	if (r->dir == NULL) {
		/* Flushed per frame: a recording cut short still holds whole images. */
		if ((ret = write_ppm(r, r->f, img)) != 0)
			return ret;
		if (fflush(r->f) != 0)
			return ERR_SYSTEM;
		r->n++;
		return 0;
	}
	if (asprintf(&name, "%s%sframe-%06u.ppm", r->dir,
	    r->dir[strlen(r->dir) - 1] == '/' ? "" : "/", r->n + 1) < 0)
		return ERR_NOMEM;
	f = fopen(name, "wb");
	free(name);
	if (f == NULL)
		return ERR_SYSTEM;
	ret = write_ppm(r, f, img);
	if (fclose(f) != 0 && ret == 0)
		ret = ERR_SYSTEM;
	if (ret == 0)
		r->n++;
	return ret;
}

void
recording_close(struct recording *r)
{
	if (r->f != NULL)
		fclose(r->f);
	free(r->dir);
	free(r->row);
	memset(r, 0, sizeof(*r));
}
