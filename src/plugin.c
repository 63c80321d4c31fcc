/*
 * plugin.c - the plug-in host: runs the built-in and the external
 * plug-ins and gathers what they said; see plugin.h.
 */
#include <sys/stat.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fsutil.h"
#include "plugin.h"
#include "plugin_proto.h"
#include "proc.h"
#include "progress.h"
#include "sandbox.h"
#include "strbuf.h"
#include "util.h"

/* A plug-in's stderr kept for renderlink's own (more is dropped). */
#define PLUGIN_MAX_ERRPUT	((size_t)1 << 20)

/*
 * A page's path, shared by the wants of the page (one copy for its 25
 * references, not 25) and counted: each want holds one reference,
 * wantlist_take() moves it, wantlist_free() drops it.
 */
struct page_path {
	size_t	 refs;
	char	 path[];
};

static struct page_path *
page_path_of(char *path)
{
	return (struct page_path *)(void *)(path -
	    offsetof(struct page_path, path));
}

static char *
page_path_new(const char *path)
{
	size_t len = strlen(path);
	struct page_path *pp = xmalloc(sizeof(*pp) + len + 1);

	pp->refs = 1;
	memcpy(pp->path, path, len + 1);
	return pp->path;
}

static void
page_path_drop(char *path)
{
	struct page_path *pp;

	if (path == NULL)
		return;
	pp = page_path_of(path);
	if (--pp->refs == 0)
		free(pp);
}

void
wantlist_add(struct wantlist *w, size_t set, const char *ref,
    const char *page)
{
	char *last = w->n ? w->v[w->n - 1].page : NULL;
	struct want *x;

	ALLOC_GROW(w->v, w->n + 1, w->alloc);
	x = &w->v[w->n++];
	x->set = set;
	x->ref = xstrdup(ref);
	/* A page's wants come one after the other (media.c, a plug-in's
	 * answer in page order): the last one's copy is shared. */
	if (last && strcmp(last, page) == 0) {
		page_path_of(last)->refs++;
		x->page = last;
	} else
		x->page = page_path_new(page);
}

void
wantlist_take(struct wantlist *w, struct want *x)
{
	ALLOC_GROW(w->v, w->n + 1, w->alloc);
	w->v[w->n++] = *x;
	x->ref = x->page = NULL;
}

void
wantlist_free(struct wantlist *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].ref);
		page_path_drop(w->v[i].page);
	}
	free(w->v);
	w->v = NULL;
	w->n = w->alloc = 0;
}

const char *
plugins_sandbox_note(void)
{
	static char note[96];
	int abi = sandbox_abi();

	if (abi > 0)
		snprintf(note, sizeof(note), "plug-ins run without write "
		    "access (Landlock ABI %d)", abi);
	else
		snprintf(note, sizeof(note), "plug-ins run with your own "
		    "rights: this kernel offers no Landlock");
	return note;
}

/*
 * A plug-in's stderr, each line prefixed with its name.  Control
 * characters are shown escaped: a plug-in must not be able to forge a
 * line of renderlink's or drive the terminal.
 */
static void
print_stderr(const char *name, const struct strbuf *err)
{
	struct strbuf line = STRBUF_INIT;
	size_t i;

	for (i = 0; i < err->len; i++) {
		unsigned char c = (unsigned char)err->buf[i];

		if (c == '\n' || i + 1 == err->len) {
			if (c != '\n')
				strbuf_putc(&line, (char)c);
			fprintf(stderr, "%s: %s\n", name, line.buf);
			strbuf_reset(&line);
		} else if ((c < 0x20 && c != '\t') || c == 0x7f)
			strbuf_printf(&line, "\\x%02x", c);
		else
			strbuf_putc(&line, (char)c);
	}
	strbuf_free(&line);
}

/* Whether each set's media root is there (one call per set). */
static bool *
sources_available(const struct config *cfg)
{
	bool *av = xcalloc(cfg->nsets + 1, sizeof(*av));
	struct stat st;
	size_t i;

	for (i = 0; i < cfg->nsets; i++)
		av[i] = stat(cfg->sets[i].source, &st) == 0 &&
		    S_ISDIR(st.st_mode);
	return av;
}

static int
run_external(struct plugin_results *res, struct problems *problems,
    const struct config *cfg, const struct docindex *counted, bool dry_run)
{
	struct strbuf why = STRBUF_INIT;
	struct proc *procs;
	char **inputs;
	bool *avail, sandbox = sandbox_abi() > 0;
	json_t *base;
	size_t i, n = cfg->nplugins;
	int rc = -1;

	avail = sources_available(cfg);
	base = plugin_input_base(cfg, counted, avail, dry_run);
	free(avail);
	procs = xcalloc(n, sizeof(*procs));
	inputs = xcalloc(n, sizeof(*inputs));
	for (i = 0; i < n; i++) {
		const struct plugin_conf *pc = &cfg->plugins[i];

		if ((inputs[i] = plugin_input(base, pc, cfg)) == NULL) {
			rl_error_prefix("plug-in %s: options", pc->name);
			goto out;
		}
		procs[i].argv = pc->argv;
		procs[i].cwd = cfg->site_root;
		procs[i].input = inputs[i];
		procs[i].input_len = strlen(inputs[i]);
		procs[i].timeout = pc->timeout;
		procs[i].max_output = PLUGIN_MAX_OUTPUT;
		procs[i].max_errput = PLUGIN_MAX_ERRPUT;
		procs[i].sandbox = sandbox;
	}
	if (proc_run_all(procs, n) < 0) {
		rl_error_prefix("plug-ins");
		goto out;
	}
	/* In config order, whatever finished first. */
	progress_end();
	for (i = 0; i < n; i++)
		print_stderr(cfg->plugins[i].name, &procs[i].err);
	fflush(stderr);
	for (i = 0; i < n; i++) {
		const struct plugin_conf *pc = &cfg->plugins[i];

		strbuf_reset(&why);
		if (proc_failure(&why, &procs[i])) {
			rl_error_set("plug-in %s: %s; nothing was changed",
			    pc->name, why.buf);
			goto out;
		}
		if (plugin_answer(&res->wants, problems, &res->data[i],
		    procs[i].out.buf, procs[i].out.len, pc, cfg) < 0) {
			rl_error_prefix("plug-in %s", pc->name);
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		proc_free(&procs[i]);
		free(inputs[i]);
	}
	free(procs);
	free(inputs);
	json_decref(base);
	strbuf_free(&why);
	return rc;
}

int
plugins_run(struct plugin_results *res, struct problems *problems,
    const struct config *cfg, const struct docindex *counted, bool dry_run,
    int verbose)
{
	memset(res, 0, sizeof(*res));
	res->ndata = cfg->nplugins;
	res->data = xcalloc(cfg->nplugins + 1, sizeof(*res->data));
	if (plugin_media.collect(&res->wants, problems, cfg, counted) < 0)
		return rl_error_prefix("plug-in %s", plugin_media.name);
	if (cfg->nplugins == 0)
		return 0;
	if (verbose)
		fprintf(stderr, "%s\n", plugins_sandbox_note());
	return run_external(res, problems, cfg, counted, dry_run);
}

int
plugins_save_data(const struct plugin_results *res, const struct config *cfg,
    int sitefd)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	bool wrote;
	char *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < res->ndata && rc == 0; i++) {
		if (res->data[i] == NULL)
			continue;
		s = json_dumps(res->data[i], JSON_INDENT(2) | JSON_SORT_KEYS |
		    JSON_ENCODE_ANY);
		if (s == NULL)
			die("plug-in data: cannot encode");
		strbuf_reset(&text);
		strbuf_puts(&text, s);
		strbuf_putc(&text, '\n');
		free(s);
		strbuf_reset(&path);
		strbuf_printf(&path, "_data/renderlink/%s.json",
		    cfg->plugins[i].name);
		rc = file_update(sitefd, path.buf, text.buf, NULL, &wrote);
	}
	strbuf_free(&path);
	strbuf_free(&text);
	return rc;
}

void
plugin_results_free(struct plugin_results *res)
{
	size_t i;

	wantlist_free(&res->wants);
	for (i = 0; i < res->ndata; i++)
		json_decref(res->data[i]);
	free(res->data);
	memset(res, 0, sizeof(*res));
}
