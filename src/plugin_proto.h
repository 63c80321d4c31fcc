/*
 * plugin_proto.h - the plug-in protocol, version 1: what the host writes
 * to a plug-in's stdin and how it reads the answer from its stdout.
 *
 * In:  {"protocol": 1, "renderlink": VERSION, "site": ABS_ROOT,
 *       "dry_run": BOOL, "plugin": {"name", "options", "sets"},
 *       "sets": [{"name", "key", "source", "target", "extensions",
 *                 "available"}],
 *       "documents": [{"path", "collection", "front_matter", "draft",
 *                      "published", "date"}]}   (only pages Jekyll renders)
 * Out: {"protocol": 1, "links": [{"set", "ref", "page"}],
 *       "problems": [{"severity", "code", "page", "message"}],
 *       "data": ANY}                 (every field but "protocol" optional)
 *
 * The answer is untrusted: anything but one JSON object of exactly this
 * shape is refused as a whole (the plug-in failed, the run changes
 * nothing).  Each link is then only a wish; the host holds it to the
 * same rules as the built-in plug-in's.
 */
#ifndef RL_PLUGIN_PROTO_H
#define RL_PLUGIN_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct config;
struct docindex;
struct plugin_conf;
struct problems;
struct wantlist;

#define PLUGIN_PROTOCOL		1
#define PLUGIN_MAX_OUTPUT	((size_t)64 << 20)

/*
 * The parts of the input every plug-in shares ("sets", "documents", ...);
 * plugin_input() adds the "plugin" object for one.  available[i] says
 * whether set i's media root is there.
 */
json_t	*plugin_input_base(const struct config *cfg,
	    const struct docindex *counted, const bool *available,
	    bool dry_run);
/* The text written to pc's stdin ("plugin": its name, options and the
 * names of the sets it may feed); NULL (error set) if its options
 * cannot be given as JSON. */
char	*plugin_input(json_t *base, const struct plugin_conf *pc,
	    const struct config *cfg);

/*
 * Reads a plug-in's answer.  Its links become wants, its problems are
 * added with the code "NAME/CODE", and *data gets "data" (a new
 * reference) or NULL.  Returns -1 (error set: "stdout is not JSON: line
 * 1 column 5: ...", "\"links\"[2]: no \"ref\" string", "speaks
 * protocol 2, not 1", ...) when the answer is not one object of this
 * shape, and also when a link is for a set the plug-in was not given or
 * breaks the reference rules (refcheck.h): whether a page's reference
 * is good is the page's problem, but a plug-in that asks for
 * ../../etc/passwd is broken, and nothing it says counts.
 */
int	 plugin_answer(struct wantlist *wants, struct problems *problems,
	    json_t **data, const char *text, size_t len,
	    const struct plugin_conf *pc, const struct config *cfg);

#endif
