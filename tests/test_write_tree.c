/* test_write_tree.c - unit tests for atomic file trees (write.c) */
/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cmocka.h>

#include "gwshift/util.h"
#include "gwshift/write.h"

/* ---------------------------------------------------------------------
 * Capturing stderr
 */

struct capture {
	int saved_stderr;
	int pipe_rd;
	char err[1024];
};

/* send stderr into a pipe (not a file: RLIMIT_FSIZE tests limit files) */
static void capture_begin(struct capture *cap)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	cap->saved_stderr = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	close(fds[1]);
	cap->pipe_rd = fds[0];
}

static const char *capture_end(struct capture *cap)
{
	ssize_t n;
	size_t got = 0;

	fflush(stderr);
	dup2(cap->saved_stderr, STDERR_FILENO);
	close(cap->saved_stderr);
	while (got + 1 < sizeof(cap->err) &&
	       (n = read(cap->pipe_rd, cap->err + got,
			 sizeof(cap->err) - 1 - got)) > 0)
		got += (size_t)n;
	cap->err[got] = '\0';
	close(cap->pipe_rd);
	return cap->err;
}

/* ---------------------------------------------------------------------
 * Atomic files
 */

struct fixture {
	char root[64];
	mode_t old_umask;
	struct capture cap;
};

static int remove_tree(const char *path)
{
	struct stat st;
	struct dirent *de = NULL;
	DIR *d = NULL;
	char *sub = NULL;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	chmod(path, 0700);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		sub = gws_xasprintf("%s/%s", path, de->d_name);
		remove_tree(sub);
		free(sub);
	}
	closedir(d);
	return rmdir(path);
}

static int fs_setup(void **state)
{
	struct fixture *fx = gws_xcalloc(1, sizeof(*fx));

	snprintf(fx->root, sizeof(fx->root), "/tmp/gwshift-test-XXXXXX");
	if (!mkdtemp(fx->root)) {
		free(fx);
		return -1;
	}
	fx->old_umask = umask(022);
	*state = fx;
	return 0;
}

static int fs_teardown(void **state)
{
	struct fixture *fx = *state;

	umask(fx->old_umask);
	remove_tree(fx->root);
	free(fx);
	return 0;
}

static char *at(const struct fixture *fx, const char *rel)
{
	return gws_xasprintf("%s/%s", fx->root, rel);
}

static char *slurp(const char *path)
{
	struct gws_buf b;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	gws_buf_init(&b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		gws_buf_add(&b, chunk, (size_t)n);
	close(fd);
	return gws_buf_detach(&b, NULL);
}

static void assert_file(const struct fixture *fx, const char *rel,
			const char *content)
{
	char *path = at(fx, rel);
	char *data = slurp(path);

	if (!data)
		fail_msg("missing '%s'", path);
	assert_string_equal(data, content);
	free(data);
	free(path);
}

static bool exists(const struct fixture *fx, const char *rel)
{
	struct stat st;
	char *path = at(fx, rel);
	bool ok = lstat(path, &st) == 0;

	free(path);
	return ok;
}

/* number of entries below @path (recursively) */
static size_t count_entries(const char *path)
{
	struct dirent *de = NULL;
	DIR *d = opendir(path);
	size_t n = 0;
	char *sub = NULL;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		sub = gws_xasprintf("%s/%s", path, de->d_name);
		n += count_entries(sub);
		free(sub);
	}
	closedir(d);
	return n;
}

static void write_rel(const struct fixture *fx, const char *rel,
		      const char *data)
{
	char *path = at(fx, rel);

	assert_int_equal(gws_write_file_atomic(path, data, strlen(data)), 0);
	free(path);
}

static void test_tree_writes(void **state)
{
	struct fixture *fx = *state;
	struct gws_file files[] = {
		{ "a.yaml", "A\n", 2, 0, 0 },
		{ "ns1/b.yaml", "B\n", 2, 0, 0 },
		{ "ns1/deep/c.yaml", "C\n", 2, 0, 0 },
		{ "ns2/d.yaml", "", 0, 0, 0 },
	};
	char *dir = at(fx, "out/x");
	struct stat st;

	assert_int_equal(gws_write_tree(dir, files, 4), 0);
	assert_file(fx, "out/x/a.yaml", "A\n");
	assert_file(fx, "out/x/ns1/b.yaml", "B\n");
	assert_file(fx, "out/x/ns1/deep/c.yaml", "C\n");
	assert_file(fx, "out/x/ns2/d.yaml", "");
	/* out, x, 3 folders, 4 files, and no temporaries */
	assert_int_equal(count_entries(fx->root), 9);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	free(dir);
	dir = at(fx, "out/x/ns1/b.yaml");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	free(dir);
	/* writing again replaces the files */
	files[0].data = "A2\n";
	files[0].len = 3;
	dir = at(fx, "out/x/");
	assert_int_equal(gws_write_tree(dir, files, 4), 0);
	assert_file(fx, "out/x/a.yaml", "A2\n");
	assert_int_equal(count_entries(fx->root), 9);
	free(dir);
}

static void test_tree_umask(void **state)
{
	struct fixture *fx = *state;
	struct gws_file f = { "sub/f.yaml", "x", 1, 0, 0 };
	char *dir = at(fx, "o");
	struct stat st;

	umask(077);
	assert_int_equal(gws_write_tree(dir, &f, 1), 0);
	free(dir);
	dir = at(fx, "o/sub/f.yaml");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	free(dir);
	dir = at(fx, "o/sub");
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	free(dir);
}

static void test_tree_rejects_paths(void **state)
{
	static const char *const bad[] = {
		"/etc/passwd", "../x", "a/../b", "a/..", "./a", "a/./b", ".",
		"..", "", "a//b", "a/",
	};
	struct fixture *fx = *state;
	struct gws_file f = { NULL, "x", 1, 0, 0 };
	char *dir = at(fx, "out");
	const char *err = NULL;
	size_t i;

	for (i = 0; i < GWS_ARRAY_SIZE(bad); i++) {
		f.path = (char *)bad[i];
		capture_begin(&fx->cap);
		assert_int_equal(gws_write_tree(dir, &f, 1), -1);
		err = capture_end(&fx->cap);
		assert_non_null(strstr(err, "gwshift: error: cannot write '"));
		assert_false(exists(fx, "out"));
	}
	free(dir);
}

static void test_tree_duplicate(void **state)
{
	struct fixture *fx = *state;
	struct gws_file files[] = {
		{ "a.yaml", "1", 1, 0, 0 },
		{ "b.yaml", "2", 1, 0, 0 },
		{ "a.yaml", "3", 1, 0, 0 },
	};
	const char *err = NULL;

	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(fx->root, files, 3), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, "'a.yaml'"));
	assert_int_equal(count_entries(fx->root), 0);
}

static void test_tree_dir_is_file(void **state)
{
	struct fixture *fx = *state;
	struct gws_file f = { "a.yaml", "x", 1, 0, 0 };
	char *dir = at(fx, "plain");
	char *want = NULL;
	const char *err = NULL;

	write_rel(fx, "plain", "old");
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(dir, &f, 1), -1);
	err = capture_end(&fx->cap);
	want = gws_xasprintf("gwshift: error: cannot write '%s': %s\n", dir,
			     strerror(ENOTDIR));
	assert_string_equal(err, want);
	assert_file(fx, "plain", "old");
	free(want);
	free(dir);
}

/* a failure after some files are written leaves nothing behind */
static void test_tree_undo(void **state)
{
	struct fixture *fx = *state;
	struct gws_file files[] = {
		{ "keep.yaml", "new", 3, 0, 0 },
		{ "new/x.yaml", "x", 1, 0, 0 },
		{ "blocker/y.yaml", "y", 1, 0, 0 },
	};
	const char *err = NULL;
	char *dir = at(fx, "out");
	char *want = NULL;

	assert_int_equal(mkdir(dir, 0755), 0);
	write_rel(fx, "out/keep.yaml", "old");
	write_rel(fx, "out/blocker", "a file");
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(dir, files, 3), -1);
	err = capture_end(&fx->cap);
	want = gws_xasprintf("gwshift: error: cannot write '%s/blocker': %s\n",
			     dir, strerror(ENOTDIR));
	assert_string_equal(err, want);
	assert_file(fx, "out/keep.yaml", "old");
	assert_false(exists(fx, "out/new"));
	assert_int_equal(count_entries(dir), 2);
	free(want);
	free(dir);
}

static void test_tree_target_is_dir(void **state)
{
	struct fixture *fx = *state;
	struct gws_file files[] = {
		{ "a.yaml", "a", 1, 0, 0 }, { "b.yaml", "b", 1, 0, 0 },
	};
	const char *err = NULL;
	char *path = at(fx, "b.yaml");

	assert_int_equal(mkdir(path, 0755), 0);
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(fx->root, files, 2), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, strerror(EISDIR)));
	assert_int_equal(count_entries(fx->root), 1);
	free(path);
}

static void test_tree_unwritable(void **state)
{
	struct fixture *fx = *state;
	struct gws_file f = { "a.yaml", "a", 1, 0, 0 };
	const char *err = NULL;
	char *dir = NULL;

	/*
	 * Root writes anyway. Not skip(): cmocka 1.1.5 reports a skip as
	 * "not ok # SKIP", which meson's TAP parser counts as a failure.
	 */
	if (geteuid() == 0) {
		print_message("# root ignores permissions: nothing to test\n");
		return;
	}
	dir = at(fx, "ro");
	assert_int_equal(mkdir(dir, 0555), 0);
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(dir, &f, 1), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, strerror(EACCES)));
	assert_int_equal(count_entries(dir), 0);
	free(dir);
}

/* a write error (here EFBIG from RLIMIT_FSIZE) is reported and undone */
static void test_write_error(void **state)
{
	struct fixture *fx = *state;
	static char big[8192];
	struct gws_file files[] = {
		{ "small.yaml", "s", 1, 0, 0 }, { "big.yaml", big, sizeof(big), 0, 0 },
	};
	void (*old_sig)(int) = NULL;
	struct rlimit old;
	struct rlimit lim;
	char *dir = at(fx, "out");
	char *file = at(fx, "file.yaml");
	const char *err = NULL;
	int rt;
	int rf;

	memset(big, 'x', sizeof(big));
	write_rel(fx, "file.yaml", "old");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	old_sig = signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = 4096;
	capture_begin(&fx->cap);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rt = gws_write_tree(dir, files, 2);
	rf = gws_write_file_atomic(file, big, sizeof(big));
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_sig);
	err = capture_end(&fx->cap);
	assert_int_equal(rt, -1);
	assert_int_equal(rf, -1);
	assert_non_null(strstr(err, "big.yaml': "));
	assert_non_null(strstr(err, "file.yaml': "));
	assert_non_null(strstr(err, strerror(EFBIG)));
	assert_false(exists(fx, "out"));
	assert_file(fx, "file.yaml", "old");
	assert_int_equal(count_entries(fx->root), 1);
	free(dir);
	free(file);
}

static void test_file_atomic(void **state)
{
	struct fixture *fx = *state;
	char *stale = gws_xasprintf("%s/.f.yaml.gwshift-tmp-%ld", fx->root,
				    (long)getpid());
	char *missing = at(fx, "nodir/f.yaml");
	const char *err = NULL;
	int fd;

	write_rel(fx, "f.yaml", "one");
	assert_file(fx, "f.yaml", "one");
	/* a temporary left by a crashed run with our pid is replaced */
	fd = open(stale, O_WRONLY | O_CREAT, 0644);
	assert_true(fd >= 0);
	close(fd);
	write_rel(fx, "f.yaml", "two");
	assert_file(fx, "f.yaml", "two");
	assert_int_equal(count_entries(fx->root), 1);
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_file_atomic(missing, "x", 1), -1);
	assert_int_equal(gws_write_file_atomic("", "x", 1), -1);
	assert_int_equal(gws_write_file_atomic(fx->root, "x", 1), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, strerror(ENOENT)));
	assert_non_null(strstr(err, strerror(EISDIR)));
	assert_int_equal(count_entries(fx->root), 1);
	free(stale);
	free(missing);
}

/* a link is followed and stays; a device is written in place, not replaced */
static void test_file_link_and_device(void **state)
{
	struct fixture *fx = *state;
	char *link = at(fx, "link.md");
	const char *err = NULL;
	struct stat st;

	write_rel(fx, "real.md", "old");
	assert_int_equal(symlink("real.md", link), 0);
	assert_int_equal(gws_write_file_atomic(link, "new", 3), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_file(fx, "real.md", "new");
	assert_int_equal(gws_write_file_atomic("/dev/null", "x", 1), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_file_atomic("/dev/full", "x", 1), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, "cannot write '/dev/full': "));
	assert_non_null(strstr(err, strerror(ENOSPC)));
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	assert_int_equal(count_entries(fx->root), 2);
	free(link);
}

/* a folder inside the tree that is a link is refused: nothing goes through */
static void test_tree_link_inside(void **state)
{
	struct fixture *fx = *state;
	struct gws_file files[] = { { "apps/web/r.yaml", "r", 1, 0, 0 } };
	char *out = at(fx, "out"), *apps = at(fx, "out/apps");
	char *elsewhere = at(fx, "elsewhere");
	const char *err = NULL;

	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(mkdir(elsewhere, 0755), 0);
	assert_int_equal(symlink("../elsewhere", apps), 0);
	capture_begin(&fx->cap);
	assert_int_equal(gws_write_tree(out, files, 1), -1);
	err = capture_end(&fx->cap);
	assert_non_null(strstr(err, "a symbolic link, not followed"));
	assert_int_equal(count_entries(elsewhere), 0);
	free(out);
	free(apps);
	free(elsewhere);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tree_writes, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_umask, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_rejects_paths,
						fs_setup, fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_duplicate, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_dir_is_file,
						fs_setup, fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_undo, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_target_is_dir,
						fs_setup, fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_unwritable, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_write_error, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_file_atomic, fs_setup,
						fs_teardown),
		cmocka_unit_test_setup_teardown(test_file_link_and_device,
						fs_setup, fs_teardown),
		cmocka_unit_test_setup_teardown(test_tree_link_inside,
						fs_setup, fs_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
