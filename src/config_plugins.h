/*
 * config_plugins.h - the `plugins:` list of the renderlink block.
 */
#ifndef RL_CONFIG_PLUGINS_H
#define RL_CONFIG_PLUGINS_H

struct config;
struct ynode;

/*
 * Reads renderlink.plugins (list may be NULL: none) into cfg, whose link
 * sets are already read, and checks that every set without a key is fed
 * by a plug-in.  -1 (error names FILE:LINE:COL and the value) on error.
 */
int	 config_plugins_parse(struct config *cfg, const struct ynode *list);
void	 config_plugins_free(struct config *cfg);

#endif
