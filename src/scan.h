/*
 * scan.h - look at the filesystem once, before anything is decided.
 *
 * The scanner is the planner's eyes: it reads each managed target folder
 * (what is there, and where each link points) and, for the wanted
 * references, each media folder they live in.  A media folder is opened
 * and read once, however many references it holds: over WSL2's 9P bridge
 * every call costs about a millisecond, so the cost must grow with
 * folders, not files.  It also resolves where each media folder (and
 * each symlinked file) really lies, so that a reference cannot reach
 * outside its media root through a link inside the media tree.  The
 * listings it read are kept (struct media_listing), so that `status` can
 * tell which renders no page references at no further cost.
 *
 * Nothing here writes.
 */
#ifndef RL_SCAN_H
#define RL_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"

struct config;
struct scan_chunk;
struct wantlist;
struct problems;

enum entry_type { ENT_LINK, ENT_FILE, ENT_DIR, ENT_OTHER };

struct entry {
	char		*name;
	enum entry_type	 type;
	char		*text;		/* ENT_LINK: the link text */
	uint64_t	 ino;		/* from the listing (d_ino) */
};

enum target_state {
	TARGET_OK,		/* the folder exists and may be written */
	TARGET_ABSENT,		/* not there yet: created on first link */
	TARGET_UNSAFE		/* must not be written: see why */
};

struct target_scan {
	enum target_state state;
	char		*why;
	struct entry	*v;		/* sorted by name */
	size_t		 n;
	uint64_t	 dev;		/* the folder's device */
	uint64_t	*keys;		/* name_key_of each v[].name (dirlist.h),
					   for target_find; NULL: none */
};

/*
 * One media folder as the scanner listed it: the names of its regular
 * files, by the type the listing gives (getdents' d_type; no stat per
 * file, which costs a millisecond each over WSL2's 9P).  On a filesystem
 * whose listing gives no types (DT_UNKNOWN) the names are kept
 * unclassified.  Kept so that `status` can name the renders no page
 * references without reading the drive again.
 */
struct media_listing {
	char		*dir;		/* relative to the media root; "" is
					   the root itself */
	char		**names;	/* sorted (strcmp) */
	size_t		 n;
};

struct source_scan {
	bool		 available;
	char		*why;		/* when not available */
	char		*real_root;	/* the root with all links resolved
					   (found only when needed) */
	int		 rootfd;	/* during the scan only */
	bool		 short_is_eof;	/* a short getdents ends a listing
					   (not FUSE) */
	size_t		 read_folders;	/* referenced folders read */
	size_t		 missing_folders;	/* ... not there */
	struct media_listing *listings;	/* each folder read, in the order
					   read; only folders that opened,
					   lie inside the root and listed */
	size_t		 nlistings, listings_alloc;
};

enum file_state {
	FILE_OK,		/* a regular file inside the media root */
	FILE_MISSING,		/* not there (suggest: a near miss, if any) */
	FILE_NOT_FILE,		/* a folder, device, ... */
	FILE_ESCAPES,		/* resolves outside the media root */
	FILE_UNREADABLE		/* its folder cannot be read (why): an
				   existing link for it is kept */
};

struct file_scan {
	enum file_state	 state;
	char		*why;		/* detail for messages, may be NULL */
	char		*suggest;	/* FILE_MISSING: what is there in another
					 * case (a name, or the reference with
					 * its folder cased right), or NULL */
};

struct scan {
	struct target_scan *targets;	/* one per link set */
	struct source_scan *sources;	/* one per link set */
	struct file_scan *files;	/* one per want, same order */
	size_t		 nsets, nwants;
	/* Read only when it can matter: a link in a target folder whose
	 * text lies outside its media root (scan_run), or a run about to
	 * change something (scan_load_manifest). */
	struct manifest	 manifest;
	bool		 manifest_loaded;
	int		 sitefd;
	bool		 keep_listings;	/* SCAN_LISTINGS */
	/* Where the names and link texts of the targets and the kept
	 * listings live: large blocks, freed together by scan_free. */
	struct scan_chunk *strings;
};

/*
 * Looks at the site (sitefd) and the media roots for cfg and wants.
 * Media is only looked at for sets that have wants, plus one open of
 * each root to tell whether it is there at all.
 */
#define SCAN_LISTINGS	0x1	/* keep every media folder's listing
				   (status: the takes left out) */
int	 scan_run(struct scan *out, const struct config *cfg, int sitefd,
	    const struct wantlist *wants, struct problems *problems,
	    unsigned flags);
void	 scan_free(struct scan *s);
/* Reads the manifest, if not read yet (before changing anything). */
void	 scan_load_manifest(struct scan *s, struct problems *problems);

/* The entry called name in a scanned target folder, or NULL. */
const struct entry *target_find(const struct target_scan *t,
	    const char *name);

#endif
