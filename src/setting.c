/*
 * setting.c - typed settings from the YAML config; see setting.h.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "setting.h"
#include "strbuf.h"
#include "util.h"
#include "ytree.h"

const char *
setting_kind(const struct ynode *n)
{
	if (n->kind == YNODE_SEQ)
		return "a list";
	if (n->kind == YNODE_MAP)
		return "a map";
	return "a value";
}

/* The value as quoted in a message: containers are shown by their kind. */
const char *
setting_shown(const struct ynode *n)
{
	if (n->kind == YNODE_SEQ)
		return "[...]";
	if (n->kind == YNODE_MAP)
		return "{...}";
	return n->value;
}

/*
 * A setting that must be text.  Plain true/false/yes/no/on/off are
 * refused: the Jekyll plugin reads the same file with Psych and would get
 * a boolean, so quoting is the only way both sides see the same string.
 */
int
setting_string(const char **out, const struct ynode *n, const char *label)
{
	bool b;

	if (n->kind != YNODE_SCALAR)
		return rl_error_set("%s: %s must be a string, not %s",
		    ynode_where(n), label, setting_kind(n));
	if (ynode_is_null(n) || n->len == 0)
		return rl_error_set("%s: %s is empty", ynode_where(n), label);
	if (strlen(n->value) != n->len)
		return rl_error_set("%s: %s '%s' contains a NUL byte",
		    ynode_where(n), label, n->value);
	if (ynode_bool(&b, n) == 0)
		return rl_error_set("%s: %s '%s' reads as %s in YAML; quote "
		    "it", ynode_where(n), label, n->value,
		    b ? "true" : "false");
	*out = n->value;
	return 0;
}

/* Every key of map must be one of known[]; otherwise name it and where. */
int
setting_keys(const struct ynode *map, const char *label,
    const char *const *known, size_t nknown)
{
	struct strbuf list = STRBUF_INIT;
	const struct ynode *k;
	size_t i, j;

	for (i = 0; i + 1 < map->n; i += 2) {
		k = map->items[i];
		if (k->kind != YNODE_SCALAR)
			return rl_error_set("%s: %s has %s as a key",
			    ynode_where(k), label, setting_kind(k));
		for (j = 0; j < nknown; j++)
			if (strlen(known[j]) == k->len &&
			    memcmp(known[j], k->value, k->len) == 0)
				break;
		if (j < nknown)
			continue;
		for (j = 0; j < nknown; j++)
			strbuf_printf(&list, "%s%s", j ? ", " : "", known[j]);
		rl_error_set("%s: unknown key '%s' in %s (known keys: %s)",
		    ynode_where(k), k->value, label, list.buf);
		strbuf_free(&list);
		return -1;
	}
	return 0;
}

bool
setting_is_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

