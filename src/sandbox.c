/*
 * sandbox.c - Landlock for plug-ins; see sandbox.h.
 *
 * Debian's libc has no wrappers for the Landlock calls, so they are made
 * through syscall(2).  Rights newer than the kernel's ABI must not be
 * asked for (the ruleset would be refused), so the handled set is cut to
 * what the ABI knows.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <unistd.h>

#include "sandbox.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER	(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE	(1ULL << 14)
#endif

#define WRITE_RIGHTS (LANDLOCK_ACCESS_FS_WRITE_FILE |			\
	LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |	\
	LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |	\
	LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |	\
	LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |	\
	LANDLOCK_ACCESS_FS_MAKE_SYM)

int
sandbox_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

int
sandbox_enter(void)
{
	struct landlock_ruleset_attr attr = { 0 };
	struct landlock_path_beneath_attr devnull = { 0 };
	int abi = sandbox_abi(), rs, e;

	if (abi < 1) {
		errno = ENOSYS;
		return -1;
	}
	attr.handled_access_fs = WRITE_RIGHTS;
	if (abi >= 2)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		return -1;
	/* Writing to /dev/null stays allowed: plenty of tools do it. */
	devnull.allowed_access = LANDLOCK_ACCESS_FS_WRITE_FILE |
	    (abi >= 3 ? LANDLOCK_ACCESS_FS_TRUNCATE : 0);
	devnull.parent_fd = open("/dev/null", O_PATH | O_CLOEXEC);
	if (devnull.parent_fd >= 0) {
		syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH,
		    &devnull, 0);
		close(devnull.parent_fd);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0) {
		e = errno;
		close(rs);
		errno = e;
		return -1;
	}
	close(rs);
	return 0;
}
