/*
 * fuzz_refcheck.c - ref_check() on arbitrary references.
 *
 * The reference rules are what keeps a page's author inside the media
 * root.  An independent, deliberately naive check of the rules that
 * matter for that (refcheck.h) must hold for every reference ref_check
 * accepts.
 */
#include <limits.h>
#include <strings.h>

#include "fuzz.h"
#include "refcheck.h"
#include "util.h"

static const char *const exts[] = { "mp3", "wav" };

/* What an accepted reference must be, checked byte by byte. */
static void
check_accepted(const char *ref, size_t nexts)
{
	const char *seg, *end, *ext;
	size_t len, i;

	len = strlen(ref);
	FUZZ_CHECK(len > 0 && len < PATH_MAX, "length %zu", len);
	FUZZ_CHECK(ref[0] != '/', "'%s' is absolute", ref);
	FUZZ_CHECK(!(((ref[0] | 0x20) >= 'a' && (ref[0] | 0x20) <= 'z') &&
	    ref[1] == ':'), "'%s' has a drive", ref);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)ref[i];

		FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '\\' && c != ':',
		    "'%s': byte 0x%02x at %zu", ref, c, i);
	}
	for (seg = ref;; seg = end + 1) {
		end = strchr(seg, '/');
		len = end ? (size_t)(end - seg) : strlen(seg);
		FUZZ_CHECK(len > 0 && len <= 255, "'%s': segment length %zu",
		    ref, len);
		FUZZ_CHECK(!(len == 1 && seg[0] == '.') &&
		    !(len == 2 && seg[0] == '.' && seg[1] == '.'),
		    "'%s' has a '.' or '..' segment", ref);
		FUZZ_CHECK(winname_check(seg, len) == 0,
		    "'%s': segment refused alone: %s", ref, rl_error_last());
		if (end == NULL)
			break;
	}
	FUZZ_CHECK(ref_basename(ref) == seg, "'%s': basename", ref);
	ext = ref_extension(ref);
	if (nexts > 0)
		FUZZ_CHECK(strcasecmp(ext, "mp3") == 0 ||
		    strcasecmp(ext, "wav") == 0, "'%s': extension '%s'", ref,
		    ext);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *ref = fuzz_cstr(data, size);
	size_t nexts;
	int rc;

	for (nexts = 0; nexts <= ARRAY_SIZE(exts); nexts += 2) {
		rc = ref_check(ref, exts, nexts);
		fuzz_say(rc, rc ? rl_error_last() : "");
		if (rc == 0)
			check_accepted(ref, nexts);
		else
			FUZZ_CHECK(rl_error_last()[0] != '\0', "no message");
	}
	(void)ref_extension(ref);
	(void)ref_basename(ref);
	(void)winname_check(ref, strlen(ref));
	free(ref);
	return 0;
}
