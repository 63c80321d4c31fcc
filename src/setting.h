/*
 * setting.h - typed settings from the YAML config, with messages that
 * name the file, line and value.
 *
 * Shared by the readers of the `renderlink:` block (config.c for the
 * block and its link sets, config_plugins.c for its plug-ins), so that
 * every setting is refused in the same words.
 */
#ifndef RL_SETTING_H
#define RL_SETTING_H

#include <stdbool.h>
#include <stddef.h>

struct ynode;

/* "a list", "a map" or "a value". */
const char *setting_kind(const struct ynode *n);
/* The value as quoted in a message: containers are shown by their kind. */
const char *setting_shown(const struct ynode *n);
/*
 * A setting that must be text.  Plain true/false/yes/no/on/off are
 * refused: the Jekyll plugin reads the same file with Psych and would get
 * a boolean, so quoting is the only way both sides see the same string.
 */
int	 setting_string(const char **out, const struct ynode *n,
	    const char *label);
/* Every key of map must be one of known[]; otherwise name it and where. */
int	 setting_keys(const struct ynode *map, const char *label,
	    const char *const *known, size_t nknown);
/* Letters, digits, "_" and "-", at least one. */
bool	 setting_is_name(const char *s);

#endif
