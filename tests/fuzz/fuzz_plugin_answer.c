/*
 * fuzz_plugin_answer.c - plugin_answer() on arbitrary plug-in output.
 *
 * A plug-in's stdout is untrusted (plugin_proto.h): it is read as a whole
 * or refused as a whole.  The config is the small fixed one of
 * tests/unit/test_plugin_proto.c: two link sets, the plug-in given only
 * the first.  Promises checked: on success every link is for a set the
 * plug-in was given and passes the reference rules of that set, and
 * every problem carries the plug-in's "NAME/" code prefix; on refusal
 * nothing is added and there is a message.
 */
#include <jansson.h>

#include "config.h"
#include "fuzz.h"
#include "plugin.h"
#include "plugin_proto.h"
#include "problem.h"
#include "refcheck.h"
#include "util.h"

static char *mp3[] = { "mp3" };
static char *wav[] = { "wav" };
static struct linkset sets[] = {
	{ .name = "mp3s", .key = "mp3s", .source = "/m", .target = "s/m",
	  .exts = mp3, .nexts = 1 },
	{ .name = "stems", .key = "stems", .source = "/m", .target = "s/s",
	  .exts = wav, .nexts = 1 },
};
static size_t given[] = { 0 };
static struct plugin_conf pc = { .name = "p", .sets = given, .nsets = 1 };
static struct config cfg = { .sets = sets, .nsets = 2 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wantlist w = { 0 };
	struct problems pr = { 0 };
	json_t *d = NULL;
	size_t i;
	int rc;

	rc = plugin_answer(&w, &pr, &d, (const char *)data, size, &pc, &cfg);
	fuzz_say(rc, rc ? rl_error_last() : "");
	if (rc == 0) {
		for (i = 0; i < w.n; i++) {
			FUZZ_CHECK(w.v[i].set == 0, "link %zu for set %zu", i,
			    w.v[i].set);
			FUZZ_CHECK(ref_check(w.v[i].ref,
			    (const char *const *)mp3, 1) == 0,
			    "link %zu: '%s': %s", i, w.v[i].ref,
			    rl_error_last());
		}
		for (i = 0; i < pr.n; i++)
			FUZZ_CHECK(strncmp(pr.v[i].code, "p/", 2) == 0,
			    "problem code '%s'", pr.v[i].code);
	} else {
		FUZZ_CHECK(w.n == 0 && pr.n == 0 && d == NULL,
		    "refused, yet %zu links, %zu problems, %s data", w.n,
		    pr.n, d ? "some" : "no");
		FUZZ_CHECK(rl_error_last()[0] != '\0', "no message");
	}
	wantlist_free(&w);
	problems_free(&pr);
	json_decref(d);
	return 0;
}
