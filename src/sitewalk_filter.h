/*
 * sitewalk_filter.h - Jekyll's entry filters, shared by the rules
 * (sitewalk.c) and the walk (sitetree.c); internal to the two.
 */
#ifndef RL_SITEWALK_FILTER_H
#define RL_SITEWALK_FILTER_H

#include <stdbool.h>

struct site_rules;
struct strbuf;

/*
 * path with "." and empty parts dropped and ".." folded, no leading or
 * trailing "/".  clamp: ".." stops at the top; else it is kept, meaning
 * "outside".
 */
void	 path_normalize(struct strbuf *out, const char *path, bool clamp);
/* Ruby's File.join(a, b): one "/" between them. */
void	 rb_join(struct strbuf *out, const char *a, const char *b);
/*
 * EntryFilter#filter for one entry: true if Jekyll drops it.  base is the
 * filter's base_directory, entry what Jekyll passes (see sitewalk.c).
 */
bool	 entry_rejected(const struct site_rules *r, const char *base,
	    const char *entry, bool is_dir);
/* Reader#outside_configured_directory?: dir is "" or "/sub/folder". */
bool	 posts_outside(const struct site_rules *r, const char *dir);
/* A name PostReader keeps in _posts (dated) or _drafts. */
bool	 post_name_ok(const char *entry, bool dated);

#endif
