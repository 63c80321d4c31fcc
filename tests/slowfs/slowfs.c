/*
 * slowfs.c - a read-only passthrough FUSE file system that makes every
 * call cost what a call into WSL2's Windows drive costs, and counts the
 * calls.  It stands in for /mnt/e in the tests and in `make bench`.
 *
 *   slowfs [-f] [-d] [-o delay_us=N] [-o stall_after=N]
 *          [--stats FILE] [--pidfile FILE] SOURCE MOUNTPOINT
 *
 * On WSL2 the Windows drive is reached over 9P: a lookup, open, getattr,
 * readdir or close is a round trip of about a millisecond.  slowfs
 * mirrors SOURCE at MOUNTPOINT, sleeps delay_us (default 1000) in every
 * request it answers and counts the requests by kind and by path.  It
 * speaks the low-level FUSE API, which sees what the kernel really sends:
 * a path of three components is three lookups, an fstat on an open
 * folder is a getattr, every getdents64 is a readdir.  Nothing is cached
 * by the kernel, as on drvfs: every entry and attribute reply has a zero
 * timeout, a missing name is answered afresh each time, readdirplus is
 * refused and no open asks for its data or listing to be kept, so every
 * call made on the mount reaches slowfs.
 *
 * Counters (JSON, see stats_write) go to --stats FILE, rewritten
 * atomically, on SIGUSR1 and when the file system goes away; and to
 * stdout at the end.  "total" counts the requests the kernel waited for;
 * forgets are counted apart, having no reply.  A readdir answered with
 * no entries, the end of a listing, is counted as "readdir_end".  On
 * 9P one getdents64 asks the server (Treaddir) until the buffer is full
 * or an answer is empty (fs/9p/vfs_dir.c), so a getdents64 that comes
 * back short has already paid for that empty answer, and a second one
 * pays for another.  Here every getdents64 is one readdir, and a short
 * one does not mean the end (32 KiB asked, about 31 KiB returned while
 * entries remain: FUSE's entries are bigger than getdents64's), so the
 * empty readdir is where a listing ends: the same round trip as 9P's
 * empty Treaddir.  Paths are relative to the
 * mount, "/" being its root; a lookup counts against the name looked up,
 * whether or not it exists (kind "none").
 *
 * stall_after=N makes request N+1 and every later one wait until SIGUSR2
 * (or until slowfs is told to stop): the caller is then blocked inside a
 * call into the drive, where a test can pull the drive away.
 *
 * Read-only: the mount is `ro`.  Tests create files in SOURCE.
 * Without -f slowfs goes to the background once mounted, having written
 * its pid to --pidfile FILE.
 */
#define FUSE_USE_VERSION 34

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum op {
	OP_LOOKUP, OP_GETATTR, OP_READLINK, OP_OPEN, OP_READ, OP_FLUSH,
	OP_RELEASE, OP_OPENDIR, OP_READDIR, OP_READDIR_END, OP_RELEASEDIR,
	OP_STATFS,
	OP_ACCESS, OP_GETXATTR, OP_LISTXATTR, OP_FORGET, NOPS
};

static const char *const op_names[NOPS] = {
	"lookup", "getattr", "readlink", "open", "read", "flush", "release",
	"opendir", "readdir", "readdir_end", "releasedir", "statfs", "access",
	"getxattr",
	"listxattr", "forget",
};

/* Counters of one path; kept for the whole run, even once forgotten. */
struct pstat {
	struct pstat	*next;		/* hash chain */
	const char	*kind;		/* "root", "dir", "file", ... */
	unsigned long	 n[NOPS];
	char		 path[];
};

/* One inode the kernel knows (its nodeid is the node's address). */
struct node {
	struct node	*next;		/* hash chain */
	dev_t		 dev;
	ino_t		 ino;
	int		 fd;		/* O_PATH */
	uint64_t	 nlookup;
	struct pstat	*ps;
};

struct dirh {
	DIR		*dp;
	off_t		 off;
	struct dirent	*ent;		/* read but not yet sent */
};

struct table {
	void		**b;
	size_t		  nb, n;
};

static struct {
	pthread_mutex_t	 lock;
	struct fuse_session *se;
	const char	*source, *mountpoint, *stats, *pidfile;
	unsigned	 delay_us;
	unsigned long	 stall_after;
	int		 stalled;	/* cleared by SIGUSR2 */
	int		 foreground, debug;
	struct node	 root;
	struct table	 nodes, paths;
	unsigned long	 n[NOPS], total, seq;
} fs = { .lock = PTHREAD_MUTEX_INITIALIZER, .delay_us = 1000 };

/* --- hash tables -------------------------------------------------------- */

static void *
xmalloc(size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL) {
		perror("slowfs");
		abort();
	}
	return p;
}

static size_t
hash_str(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t
hash_ino(dev_t dev, ino_t ino)
{
	return (size_t)(ino * 0x9e3779b97f4a7c15ull) ^ (size_t)dev;
}

static size_t
node_hash(const void *p)
{
	const struct node *n = p;

	return hash_ino(n->dev, n->ino);
}

static size_t
pstat_hash(const void *p)
{
	return hash_str(((const struct pstat *)p)->path);
}

/* Both entry types start with their chain pointer. */
static void **
chain(void *e)
{
	return (void **)e;
}

static void
table_add(struct table *t, void *e, size_t (*hash)(const void *))
{
	size_t i, nb;
	void **b, *x, *next;

	if (t->n >= t->nb) {
		nb = t->nb ? t->nb * 2 : 1024;
		b = xmalloc(nb * sizeof(*b));
		for (i = 0; i < t->nb; i++)
			for (x = t->b[i]; x; x = next) {
				next = *chain(x);
				*chain(x) = b[hash(x) & (nb - 1)];
				b[hash(x) & (nb - 1)] = x;
			}
		free(t->b);
		t->b = b;
		t->nb = nb;
	}
	i = hash(e) & (t->nb - 1);
	*chain(e) = t->b[i];
	t->b[i] = e;
	t->n++;
}

static struct node *
node_find(dev_t dev, ino_t ino)
{
	struct node *n;

	if (fs.nodes.nb == 0)
		return NULL;
	n = fs.nodes.b[hash_ino(dev, ino) & (fs.nodes.nb - 1)];
	for (; n; n = n->next)
		if (n->dev == dev && n->ino == ino)
			return n;
	return NULL;
}

static void
node_remove(struct node *n)
{
	void **pp = &fs.nodes.b[node_hash(n) & (fs.nodes.nb - 1)];

	while (*pp != n)
		pp = chain(*pp);
	*pp = n->next;
	fs.nodes.n--;
}

/* The counters of a path, made on first use.  Called with the lock. */
static struct pstat *
pstat_get(const char *dir, const char *name)
{
	struct pstat *ps;
	size_t len = strlen(dir) + 1 + strlen(name) + 1;
	char *path = xmalloc(len);

	if (strcmp(dir, "/") == 0)
		snprintf(path, len, "/%s", name);
	else
		snprintf(path, len, "%s/%s", dir, name);
	if (fs.paths.nb) {
		ps = fs.paths.b[hash_str(path) & (fs.paths.nb - 1)];
		for (; ps; ps = ps->next)
			if (strcmp(ps->path, path) == 0) {
				free(path);
				return ps;
			}
	}
	ps = xmalloc(sizeof(*ps) + len);
	memcpy(ps->path, path, len);
	ps->kind = "none";
	free(path);
	table_add(&fs.paths, ps, pstat_hash);
	return ps;
}

static const char *
kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "dir";
	if (S_ISREG(mode))
		return "file";
	return S_ISLNK(mode) ? "link" : "other";
}

/* --- counting and delaying ---------------------------------------------- */

static struct node *
node_of(fuse_ino_t ino)
{
	return ino == FUSE_ROOT_ID ? &fs.root : (struct node *)(uintptr_t)ino;
}

static void
sleep_us(unsigned long us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Every answered request starts here: count it, then wait as the drive
 * would (and, past stall_after, until released).
 */
static void
op_begin(enum op op, struct pstat *ps)
{
	int stall;

	pthread_mutex_lock(&fs.lock);
	fs.n[op]++;
	ps->n[op]++;
	fs.total++;
	if (fs.stall_after && fs.total > fs.stall_after && !fs.stalled) {
		fs.stalled = 1;
		fs.stall_after = 0;
	}
	stall = fs.stalled;
	pthread_mutex_unlock(&fs.lock);
	while (stall && !fuse_session_exited(fs.se)) {
		sleep_us(10000);
		pthread_mutex_lock(&fs.lock);
		stall = fs.stalled;
		pthread_mutex_unlock(&fs.lock);
	}
	if (fs.delay_us)
		sleep_us(fs.delay_us);
}

/* A request turned out to be of another kind (known once answered). */
static void
op_recount(enum op from, enum op to, struct pstat *ps)
{
	pthread_mutex_lock(&fs.lock);
	fs.n[from]--;
	fs.n[to]++;
	ps->n[from]--;
	ps->n[to]++;
	pthread_mutex_unlock(&fs.lock);
}

/* --- the counters as JSON ----------------------------------------------- */

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int
pstat_cmp(const void *a, const void *b)
{
	return strcmp((*(struct pstat *const *)a)->path,
	    (*(struct pstat *const *)b)->path);
}

/*
 * {"source", "mountpoint", "delay_us", "seq", "stalled", "total",
 *  "ops": {KIND: N, ...}, "by_kind": {"root"|"dir"|"file"|"link"|
 *  "other"|"none": N}, "paths": {PATH: {"kind", "total", OP: N, ...}}}
 * Only paths that saw a request are listed, sorted; "total" and
 * "by_kind" leave forgets out.  Called with the lock.
 */
static void
stats_json(FILE *f)
{
	static const char *const kinds[] = {
		"root", "dir", "file", "link", "other", "none"
	};
	unsigned long bykind[6] = { 0 }, t;
	struct pstat **v, *ps;
	size_t i, k, n = 0;
	int o;

	v = xmalloc((fs.paths.n + 1) * sizeof(*v));
	for (i = 0; i < fs.paths.nb; i++)
		for (ps = fs.paths.b[i]; ps; ps = ps->next)
			v[n++] = ps;
	qsort(v, n, sizeof(*v), pstat_cmp);
	fprintf(f, "{\n \"source\": ");
	json_str(f, fs.source);
	fprintf(f, ",\n \"mountpoint\": ");
	json_str(f, fs.mountpoint);
	fprintf(f, ",\n \"delay_us\": %u,\n \"seq\": %lu,\n \"stalled\": %s,\n"
	    " \"total\": %lu,\n \"ops\": {", fs.delay_us, fs.seq,
	    fs.stalled ? "true" : "false", fs.total);
	for (o = 0; o < NOPS; o++)
		fprintf(f, "%s\"%s\": %lu", o ? ", " : "", op_names[o], fs.n[o]);
	fprintf(f, "},\n \"paths\": {");
	for (i = k = 0; i < n; i++) {
		ps = v[i];
		for (t = 0, o = 0; o < OP_FORGET; o++)
			t += ps->n[o];
		if (t == 0 && ps->n[OP_FORGET] == 0)
			continue;
		fprintf(f, "%s\n  ", k++ ? "," : "");
		json_str(f, ps->path);
		fprintf(f, ": {\"kind\": \"%s\", \"total\": %lu", ps->kind, t);
		for (o = 0; o < NOPS; o++)
			if (ps->n[o])
				fprintf(f, ", \"%s\": %lu", op_names[o],
				    ps->n[o]);
		fputc('}', f);
		for (o = 0; o < 6; o++)
			if (strcmp(ps->kind, kinds[o]) == 0)
				bykind[o] += t;
	}
	fprintf(f, "\n },\n \"by_kind\": {");
	for (o = 0; o < 6; o++)
		fprintf(f, "%s\"%s\": %lu", o ? ", " : "", kinds[o], bykind[o]);
	fprintf(f, "}\n}\n");
	free(v);
}

/* Rewrites --stats FILE atomically (a reader never sees half of it). */
static void
stats_write(void)
{
	char *tmp;
	size_t len;
	FILE *f;

	if (fs.stats == NULL)
		return;
	len = strlen(fs.stats) + 32;
	tmp = xmalloc(len);
	snprintf(tmp, len, "%s.tmp.%ld", fs.stats, (long)getpid());
	pthread_mutex_lock(&fs.lock);
	fs.seq++;
	if ((f = fopen(tmp, "w")) != NULL) {
		stats_json(f);
		if (fclose(f) == 0 && rename(tmp, fs.stats) == 0)
			tmp[0] = '\0';
	}
	pthread_mutex_unlock(&fs.lock);
	if (tmp[0]) {
		fprintf(stderr, "slowfs: %s: %s\n", fs.stats, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
}

/* SIGUSR1: write the counters; SIGUSR2: end a stall. */
static void *
signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig;

	for (;;) {
		if (sigwait(set, &sig) != 0)
			continue;
		if (sig == SIGUSR1)
			stats_write();
		else if (sig == SIGUSR2) {
			pthread_mutex_lock(&fs.lock);
			fs.stalled = 0;
			pthread_mutex_unlock(&fs.lock);
		}
	}
	return NULL;
}

/* --- the file system ---------------------------------------------------- */

static void
sf_init(void *data, struct fuse_conn_info *conn)
{
	(void)data;
	/* 9P has no readdirplus: a listing never primes the lookups. */
	conn->want &= ~(FUSE_CAP_READDIRPLUS | FUSE_CAP_READDIRPLUS_AUTO |
	    FUSE_CAP_EXPORT_SUPPORT | FUSE_CAP_CACHE_SYMLINKS);
}

static void
sf_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct node *p = node_of(parent), *n;
	struct fuse_entry_param e;
	struct pstat *ps;
	int fd, err;

	pthread_mutex_lock(&fs.lock);
	ps = pstat_get(p->ps->path, name);
	pthread_mutex_unlock(&fs.lock);
	op_begin(OP_LOOKUP, ps);
	memset(&e, 0, sizeof(e));
	fd = openat(p->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 ||
	    fstatat(fd, "", &e.attr, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		fuse_reply_err(req, err);
		return;
	}
	pthread_mutex_lock(&fs.lock);
	ps->kind = kind_of(e.attr.st_mode);
	if ((n = node_find(e.attr.st_dev, e.attr.st_ino)) != NULL) {
		close(fd);
		n->nlookup++;
	} else {
		n = xmalloc(sizeof(*n));
		n->dev = e.attr.st_dev;
		n->ino = e.attr.st_ino;
		n->fd = fd;
		n->nlookup = 1;
		n->ps = ps;
		table_add(&fs.nodes, n, node_hash);
	}
	pthread_mutex_unlock(&fs.lock);
	e.ino = (fuse_ino_t)(uintptr_t)n;
	e.attr_timeout = 0;
	e.entry_timeout = 0;
	fuse_reply_entry(req, &e);
}

static void
forget_one(fuse_ino_t ino, uint64_t nlookup)
{
	struct node *n = node_of(ino);

	pthread_mutex_lock(&fs.lock);
	fs.n[OP_FORGET]++;
	n->ps->n[OP_FORGET]++;
	if (n != &fs.root) {
		n->nlookup -= nlookup < n->nlookup ? nlookup : n->nlookup;
		if (n->nlookup == 0) {
			node_remove(n);
			close(n->fd);
			free(n);
		}
	}
	pthread_mutex_unlock(&fs.lock);
}

/* No reply, so nobody waits: counted, never delayed. */
static void
sf_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	forget_one(ino, nlookup);
	fuse_reply_none(req);
}

static void
sf_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *v)
{
	size_t i;

	for (i = 0; i < count; i++)
		forget_one(v[i].ino, v[i].nlookup);
	fuse_reply_none(req);
}

static void
sf_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = node_of(ino);
	struct stat st;

	(void)fi;
	op_begin(OP_GETATTR, n->ps);
	if (fstatat(n->fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, 0);
}

static void
sf_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct node *n = node_of(ino);
	char buf[PATH_MAX + 1];
	ssize_t len;

	op_begin(OP_READLINK, n->ps);
	len = readlinkat(n->fd, "", buf, sizeof(buf));
	if (len < 0)
		fuse_reply_err(req, errno);
	else if ((size_t)len >= sizeof(buf))
		fuse_reply_err(req, ENAMETOOLONG);
	else {
		buf[len] = '\0';
		fuse_reply_readlink(req, buf);
	}
}

/* The node's file, opened for real through its O_PATH descriptor. */
static int
node_open(const struct node *n, int flags)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", n->fd);
	return open(proc, flags | O_CLOEXEC);
}

static void
sf_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = node_of(ino);
	struct dirh *d;
	int fd, err;

	op_begin(OP_OPENDIR, n->ps);
	if ((fd = node_open(n, O_RDONLY | O_DIRECTORY)) < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	d = xmalloc(sizeof(*d));
	if ((d->dp = fdopendir(fd)) == NULL) {
		err = errno;
		close(fd);
		free(d);
		fuse_reply_err(req, err);
		return;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	fi->cache_readdir = 0;	/* every listing reaches the drive */
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

static void
sf_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;
	char *buf, *p;
	size_t rem = size, len;
	struct stat st;
	int err = 0;

	op_begin(OP_READDIR, node_of(ino)->ps);
	buf = xmalloc(size ? size : 1);
	p = buf;
	if (off != d->off) {
		seekdir(d->dp, off);
		d->ent = NULL;
		d->off = off;
	}
	for (;;) {
		if (d->ent == NULL) {
			errno = 0;
			if ((d->ent = readdir(d->dp)) == NULL) {
				err = errno;
				break;
			}
		}
		memset(&st, 0, sizeof(st));
		st.st_ino = d->ent->d_ino;
		st.st_mode = (mode_t)d->ent->d_type << 12;
		len = fuse_add_direntry(req, p, rem, d->ent->d_name, &st,
		    d->ent->d_off);
		if (len > rem)
			break;
		p += len;
		rem -= len;
		d->off = d->ent->d_off;
		d->ent = NULL;
	}
	if (err && rem == size)
		fuse_reply_err(req, err);
	else {
		if (rem == size)
			op_recount(OP_READDIR, OP_READDIR_END,
			    node_of(ino)->ps);
		fuse_reply_buf(req, buf, size - rem);
	}
	free(buf);
}

static void
sf_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct dirh *d = (struct dirh *)(uintptr_t)fi->fh;

	op_begin(OP_RELEASEDIR, node_of(ino)->ps);
	closedir(d->dp);
	free(d);
	fuse_reply_err(req, 0);
}

static void
sf_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct node *n = node_of(ino);
	int fd;

	op_begin(OP_OPEN, n->ps);
	fd = node_open(n, fi->flags & ~(O_CREAT | O_EXCL | O_TRUNC |
	    O_NOFOLLOW));
	if (fd < 0) {
		fuse_reply_err(req, errno);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 0;
	fuse_reply_open(req, fi);
}

static void
sf_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	char *buf;
	ssize_t n;

	op_begin(OP_READ, node_of(ino)->ps);
	buf = xmalloc(size ? size : 1);
	n = pread((int)fi->fh, buf, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, (size_t)n);
	free(buf);
}

static void
sf_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)fi;
	op_begin(OP_FLUSH, node_of(ino)->ps);
	fuse_reply_err(req, 0);
}

static void
sf_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	op_begin(OP_RELEASE, node_of(ino)->ps);
	close((int)fi->fh);
	fuse_reply_err(req, 0);
}

static void
sf_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct node *n = node_of(ino);
	struct statvfs sv;

	op_begin(OP_STATFS, n->ps);
	if (fstatvfs(n->fd, &sv) < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &sv);
}

static void
sf_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	struct node *n = node_of(ino);
	char proc[64];

	op_begin(OP_ACCESS, n->ps);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", n->fd);
	fuse_reply_err(req, access(proc, mask) < 0 ? errno : 0);
}

/* Counted, then refused for good: the kernel stops asking. */
static void
sf_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	(void)name;
	(void)size;
	op_begin(OP_GETXATTR, node_of(ino)->ps);
	fuse_reply_err(req, ENOSYS);
}

static void
sf_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	(void)size;
	op_begin(OP_LISTXATTR, node_of(ino)->ps);
	fuse_reply_err(req, ENOSYS);
}

static const struct fuse_lowlevel_ops sf_ops = {
	.init		= sf_init,
	.lookup		= sf_lookup,
	.forget		= sf_forget,
	.forget_multi	= sf_forget_multi,
	.getattr	= sf_getattr,
	.readlink	= sf_readlink,
	.open		= sf_open,
	.read		= sf_read,
	.flush		= sf_flush,
	.release	= sf_release,
	.opendir	= sf_opendir,
	.readdir	= sf_readdir,
	.releasedir	= sf_releasedir,
	.statfs		= sf_statfs,
	.access		= sf_access,
	.getxattr	= sf_getxattr,
	.listxattr	= sf_listxattr,
};

/* --- command line ------------------------------------------------------- */

enum { KEY_FOREGROUND, KEY_DEBUG, KEY_HELP };

struct opts {
	unsigned	 delay_us;
	unsigned long	 stall_after;
	char		*stats, *pidfile;
};

static const struct fuse_opt sf_opts[] = {
	{ "delay_us=%u", offsetof(struct opts, delay_us), 0 },
	{ "stall_after=%lu", offsetof(struct opts, stall_after), 0 },
	{ "--stats=%s", offsetof(struct opts, stats), 0 },
	{ "--stats %s", offsetof(struct opts, stats), 0 },
	{ "--pidfile=%s", offsetof(struct opts, pidfile), 0 },
	{ "--pidfile %s", offsetof(struct opts, pidfile), 0 },
	FUSE_OPT_KEY("-f", KEY_FOREGROUND),
	FUSE_OPT_KEY("--foreground", KEY_FOREGROUND),
	FUSE_OPT_KEY("-d", KEY_DEBUG),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_END
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: slowfs [-f] [-d] [-o delay_us=N] "
	    "[-o stall_after=N] [--stats FILE]\n"
	    "              [--pidfile FILE] [-o FUSE-OPTIONS] SOURCE "
	    "MOUNTPOINT\n");
}

static int
opt_proc(void *data, const char *arg, int key, struct fuse_args *out)
{
	(void)data;
	(void)out;
	switch (key) {
	case KEY_FOREGROUND:
		fs.foreground = 1;
		return 0;
	case KEY_DEBUG:
		fs.debug = 1;
		return 0;
	case KEY_HELP:
		usage(stdout);
		exit(0);
	case FUSE_OPT_KEY_NONOPT:
		if (fs.source == NULL)
			fs.source = arg;
		else if (fs.mountpoint == NULL)
			fs.mountpoint = arg;
		else {
			fprintf(stderr, "slowfs: too many arguments: %s\n",
			    arg);
			return -1;
		}
		return 0;
	default:
		return 1;	/* a FUSE option: fuse_session_new takes it */
	}
}

/* Goes to the background once mounted; the parent writes the pid. */
static int
daemonize(void)
{
	FILE *f;
	pid_t pid;
	int nul;

	if ((pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		if (fs.pidfile && ((f = fopen(fs.pidfile, "w")) == NULL ||
		    fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f) != 0)) {
			perror(fs.pidfile);
			kill(pid, SIGTERM);
			_exit(1);
		}
		_exit(0);
	}
	setsid();
	if (chdir("/") < 0)
		return -1;
	if ((nul = open("/dev/null", O_RDWR)) >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		if (nul > 2)
			close(nul);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct opts o = { .delay_us = 1000 };
	char mopts[PATH_MAX + 64];
	pthread_t thr;
	sigset_t set;
	struct stat st;
	int rc = 1;

	/*
	 * Only the signal thread takes SIGUSR1 and SIGUSR2: blocked from
	 * the start, so that one sent the moment the pid file is there
	 * cannot kill slowfs before that thread runs.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (fuse_opt_parse(&args, &o, sf_opts, opt_proc) < 0)
		return 2;
	if (fs.source == NULL || fs.mountpoint == NULL) {
		usage(stderr);
		return 2;
	}
	fs.delay_us = o.delay_us;
	fs.stall_after = o.stall_after;
	fs.stats = o.stats;
	fs.pidfile = o.pidfile;
	/* Sleeps of a millisecond, not a millisecond and some slack. */
	prctl(PR_SET_TIMERSLACK, 1UL);

	fs.root.fd = open(fs.source, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fs.root.fd < 0 || fstat(fs.root.fd, &st) < 0) {
		fprintf(stderr, "slowfs: %s: %s\n", fs.source,
		    strerror(errno));
		return 1;
	}
	fs.root.dev = st.st_dev;
	fs.root.ino = st.st_ino;
	fs.root.nlookup = 2;
	fs.root.ps = xmalloc(sizeof(*fs.root.ps) + 2);
	strcpy(fs.root.ps->path, "/");
	fs.root.ps->kind = "root";
	table_add(&fs.paths, fs.root.ps, pstat_hash);

	snprintf(mopts, sizeof(mopts), "-oro,fsname=slowfs,subtype=slowfs%s",
	    fs.debug ? ",debug" : "");
	if (fuse_opt_add_arg(&args, mopts) < 0)
		goto out;
	if ((fs.se = fuse_session_new(&args, &sf_ops, sizeof(sf_ops),
	    NULL)) == NULL)
		goto out;
	if (fuse_set_signal_handlers(fs.se) < 0)
		goto out_session;
	if (fuse_session_mount(fs.se, fs.mountpoint) < 0)
		goto out_signals;
	if (!fs.foreground && daemonize() < 0) {
		perror("slowfs");
		goto out_unmount;
	}
	if (fs.foreground && fs.pidfile) {
		FILE *f = fopen(fs.pidfile, "w");

		if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 ||
		    fclose(f) != 0)
			perror(fs.pidfile);
	}

	if (pthread_create(&thr, NULL, signal_thread, &set) != 0)
		goto out_unmount;
	pthread_detach(thr);

	rc = fuse_session_loop(fs.se) < 0;
	stats_write();
	pthread_mutex_lock(&fs.lock);
	stats_json(stdout);
	pthread_mutex_unlock(&fs.lock);
	fflush(stdout);
out_unmount:
	fuse_session_unmount(fs.se);
out_signals:
	fuse_remove_signal_handlers(fs.se);
out_session:
	fuse_session_destroy(fs.se);
out:
	fuse_opt_free_args(&args);
	free(o.stats);
	free(o.pidfile);
	return rc;
}
