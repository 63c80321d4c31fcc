/*
 * keyhint.c - front matter keys one edit away from a link set's key; see
 * keyhint.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "config.h"
#include "index.h"
#include "keyhint.h"
#include "problem.h"

static bool
same_ci(int a, int b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/*
 * True when a and b (lengths na, nb) are at most one edit apart, case
 * aside: the common prefix, then the common suffix, leave at most one
 * byte on each side.
 */
static bool
one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t pre = 0, suf = 0, m;

	if ((na > nb ? na - nb : nb - na) > 1)
		return false;
	m = na < nb ? na : nb;
	while (pre < m && same_ci(a[pre], b[pre]))
		pre++;
	while (suf < m - pre && same_ci(a[na - 1 - suf], b[nb - 1 - suf]))
		suf++;
	return na - pre - suf <= 1 && nb - pre - suf <= 1;
}

/* A string ending in ".<ext>" for one of the set's extensions. */
static bool
looks_like_ref(const json_t *v, const struct linkset *ls)
{
	const char *s;
	size_t n, e, i;

	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	n = json_string_length(v);
	for (i = 0; i < ls->nexts; i++) {
		e = strlen(ls->exts[i]);
		if (n > e && s[n - e - 1] == '.' &&
		    strncasecmp(s + n - e, ls->exts[i], e) == 0)
			return true;
	}
	return false;
}

static bool
value_looks_like_refs(const json_t *v, const struct linkset *ls)
{
	const json_t *item;
	size_t i;

	if (!json_is_array(v))
		return looks_like_ref(v, ls);
	json_array_foreach(v, i, item)
		if (looks_like_ref(item, ls))
			return true;
	return false;
}

static bool
is_set_key(const struct config *cfg, const char *key)
{
	size_t s;

	for (s = 0; s < cfg->nsets; s++)
		if (cfg->sets[s].key && strcmp(cfg->sets[s].key, key) == 0)
			return true;
	return false;
}

void
keyhint_check(struct problems *p, const struct config *cfg,
    const struct docindex *idx)
{
	const char *key;
	json_t *v;
	size_t d, s;

	for (d = 0; d < idx->n; d++) {
		json_object_foreach(idx->docs[d].front_matter, key, v) {
			if (is_set_key(cfg, key))
				continue;
			for (s = 0; s < cfg->nsets; s++) {
				const struct linkset *ls = &cfg->sets[s];

				if (ls->key == NULL ||
				    !one_edit(key, strlen(key), ls->key,
				    strlen(ls->key)) ||
				    !value_looks_like_refs(v, ls))
					continue;
				problems_add(p, SEV_WARNING, "suspicious-key",
				    idx->docs[d].path, NULL, "front matter "
				    "key '%s' is not a link set's key, so its "
				    "value is not linked: did you mean '%s' "
				    "(link set '%s')?", key, ls->key,
				    ls->name);
				break;
			}
		}
	}
}
