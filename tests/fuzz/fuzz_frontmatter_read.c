/*
 * fuzz_frontmatter_read.c - frontmatter_read() against frontmatter_parse().
 *
 * The index reads a page from its file 4 KiB at a time and, once a block
 * has grown past what it keeps (256 KiB), only scans for its end and
 * reads it again (frontmatter.h): chunk and limit boundaries are where a
 * reader goes wrong.  The page is written to a scratch folder (under
 * $TMPDIR, made once per process, removed at exit) and read back; the
 * result must be what frontmatter_parse() says of the same bytes in
 * memory: the same return code, the same message, the same JSON.
 *
 * To reach those boundaries from small inputs, a byte 0x01 in the input
 * stands for 64 KiB of comment lines and a byte 0x02 for 64 KiB of one
 * line without a newline (at most eight of them are expanded).
 */
#include <fcntl.h>
#include <unistd.h>

#include <jansson.h>

#include "frontmatter.h"
#include "fuzz.h"
#include "strbuf.h"
#include "util.h"

#define PAD		(64 * 1024)
#define MAX_PADS	8

static char dir[4096];
static int dirfd_ = -1;

static void
cleanup(void)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/page.md", dir);
	unlink(path);
	rmdir(dir);
}

static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dirfd_ >= 0)
		return;
	snprintf(dir, sizeof(dir), "%s/rl-fuzz-fmread.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL || (dirfd_ = open(dir, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) < 0) {
		perror(dir);
		abort();
	}
	atexit(cleanup);
}

/* The page the input stands for. */
static void
expand(struct strbuf *page, const uint8_t *data, size_t size)
{
	size_t i, j, pads = 0;

	for (i = 0; i < size; i++) {
		if ((data[i] == 1 || data[i] == 2) && pads < MAX_PADS) {
			pads++;
			for (j = 0; j < PAD; j += 64)
				strbuf_puts(page, data[i] == 1 ?
				    "# padding, a comment line of 64 bytes xx"
				    "xxxxxxxxxxxxxxxxxxxxxxx\n" :
				    "padding one line with no newline at all "
				    "yyyyyyyyyyyyyyyyyyyyyyyy");
		} else
			strbuf_putc(page, (char)data[i]);
	}
}

static char *
dump(json_t *j)
{
	return j ? json_dumps(j, JSON_SORT_KEYS | JSON_ENCODE_ANY) : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf page = STRBUF_INIT;
	json_t *fa = NULL, *fb = NULL;
	char *ma, *da, *db;
	int fd, ra, rb;

	setup();
	expand(&page, data, size);
	if ((fd = openat(dirfd_, "page.md", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) < 0 ||
	    (page.len && write(fd, page.buf, page.len) != (ssize_t)page.len) ||
	    close(fd) < 0) {
		perror("page.md");
		abort();
	}
	ra = frontmatter_read(&fa, dirfd_, "page.md", false, "fuzz.md");
	ma = xstrdup(ra ? rl_error_last() : "");
	rb = frontmatter_parse(&fb, page.buf, page.len, "fuzz.md");
	fuzz_say(ra, ma);
	FUZZ_CHECK(ra == rb, "read %d (%s), parse %d (%s)", ra, ma, rb,
	    rb ? rl_error_last() : "");
	if (ra == -1 || ra == FM_UNCLOSED)
		FUZZ_CHECK(strcmp(ma, rl_error_last()) == 0,
		    "read says '%s', parse '%s'", ma, rl_error_last());
	da = dump(fa);
	db = dump(fb);
	FUZZ_CHECK((da == NULL && db == NULL) ||
	    (da && db && strcmp(da, db) == 0), "read %s, parse %s",
	    da ? da : "(none)", db ? db : "(none)");
	free(da);
	free(db);
	free(ma);
	json_decref(fa);
	json_decref(fb);
	strbuf_free(&page);
	return 0;
}
