/* migrate.c - the 'migrate' command: Ingress manifests rewritten in place */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gwshift/migrate.h"
#include "gwshift/write.h"
#include "migrate/internal.h"
#include "banned.h"

enum {
	OPT_DRY_RUN = GWS_OPT_COMMAND, OPT_JOBS, OPT_GATEWAY_DIR,
	OPT_INCLUDE_DIR,
};

static const struct option migrate_opts[] = {
	GWS_CLI_SHARED_OPTIONS,
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "gateway-dir", required_argument, NULL, OPT_GATEWAY_DIR },
	{ "include-dir", required_argument, NULL, OPT_INCLUDE_DIR },
	{ NULL, 0, NULL, 0 },
};

static int set_jobs(struct mig_opts *o, const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (!*arg || *end || n < 1 || n > 256)
		return gws_usage_error("--jobs takes a number from 1 to 256, "
				       "not '%s'", arg);
	o->jobs = (unsigned)n;
	return 0;
}

static int set_gateway_dir(struct mig_opts *o, const char *arg)
{
	char *dir = mig_path_join("", arg);

	if (!dir || !*dir || arg[0] == '/') {
		free(dir);
		return gws_usage_error("--gateway-dir '%s' must be a folder "
				       "inside the repo", arg);
	}
	free((char *)o->gateway_dir);
	o->gateway_dir = dir;
	return 0;
}

static int set_opt(struct mig_opts *o, int c, const char *arg)
{
	int rc = gws_cli_option(&o->cli, c, arg);

	if (rc >= 0)
		return rc;
	switch (c) {
	case OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case 'j':
	case OPT_JOBS:
		return set_jobs(o, arg);
	case OPT_GATEWAY_DIR:
		return set_gateway_dir(o, arg);
	case OPT_INCLUDE_DIR:
		o->include_dirs = gws_xrealloc(o->include_dirs,
			(o->ninclude + 1) * sizeof(*o->include_dirs));
		o->include_dirs[o->ninclude++] = (char *)arg;
		return 0;
	default:
		return GWS_EXIT_USAGE;
	}
}

static int parse(int argc, char **argv, struct mig_opts *o)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "j:", migrate_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return gws_usage_error("bad option '%s'",
					       argv[optind - 1]);
		rc = set_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return gws_usage_error("%s", "migrate needs at least one PATH");
	return gws_cli_check(&o->cli);
}

static void opts_init(struct mig_opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	gws_cli_init(&o->cli);
	o->gateway_dir = gws_xstrdup(MIG_GATEWAY_DIR);
	o->jobs = n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static void opts_release(struct mig_opts *o)
{
	free((char *)o->gateway_dir);
	free(o->include_dirs);
	gws_cli_release(&o->cli);
}

/* ---- the phases of one repo ---- */

/* struct phase - the files one parallel phase works on */
struct phase {
	struct mig_run *run;
	struct mig_repo *r;
	struct mig_file **files;
	size_t n;
	struct mig_loader *ld;
};

static void pick(struct phase *ph, struct mig_repo *r,
		 bool (*want)(const struct mig_file *))
{
	size_t i;

	ph->r = r;
	ph->n = 0;
	ph->files = gws_xrealloc(ph->files, (r->n + 1) * sizeof(*ph->files));
	for (i = 0; i < r->n; i++)
		if (want(r->files[i]))
			ph->files[ph->n++] = r->files[i];
}

static void scan_one(void *arg, size_t i)
{
	struct mig_file *f = ((struct phase *)arg)->files[i];
	struct mig_capture cap;

	mig_capture_begin(&cap);
	mig_scan(f);
	mig_capture_end(&cap, &f->diag, &f->diaglen);
}

static void load_one(void *arg, size_t i)
{
	struct phase *ph = arg;

	mig_load(ph->ld, ph->files[i]);
}

/* drop what a written file no longer needs (its diff stays for printing) */
static void done_with(struct mig_file *f)
{
	f->committed = true;
	free(f->out);
	free(f->spans);
	f->out = NULL;
	f->spans = NULL;
	f->outlen = f->nspans = 0;
}

static void commit_one(void *arg, size_t i)
{
	struct phase *ph = arg;
	struct mig_file *f = ph->files[i];
	struct mig_capture cap;

	mig_capture_begin(&cap);
	mig_commit(f, ph->run->o->dry_run);
	mig_capture_end(&cap, &f->diag, &f->diaglen);
	done_with(f);
}

/* an Ingress file, on any thread: its new content (and its diff) */
static void rewrite_one(void *arg, size_t i)
{
	struct phase *ph = arg;
	struct mig_file *f = ph->files[i];
	struct mig_capture cap;

	mig_capture_begin(&cap);
	mig_build(f);
	if (f->changed && !f->failed && ph->run->o->dry_run)
		mig_commit(f, true);
	mig_capture_end(&cap, &f->diag, &f->diaglen);
}

/*
 * then, in order on one thread, written: creating and renaming files from
 * several threads at once mostly makes them wait on the file system's locks
 */
static void write_one(void *arg, size_t i)
{
	struct phase *ph = arg;
	struct mig_file *f = ph->files[i];
	struct mig_capture cap;

	if (f->changed && !f->failed && !ph->run->o->dry_run) {
		mig_capture_begin(&cap);
		mig_commit(f, false);
		mig_capture_end(&cap, &f->diag, &f->diaglen);
	}
	done_with(f);
}

static bool is_kust(const struct mig_file *f)
{
	return f->kustomization && f->walked;
}

static bool is_manifest(const struct mig_file *f)
{
	return !f->kustomization && f->walked;
}

static bool is_changed(const struct mig_file *f)
{
	return f->changed && !f->failed;
}

static bool to_commit(const struct mig_file *f)
{
	return is_changed(f) && !f->committed;
}

/* kustomizations first: the files they name as patches are not manifests */
static void scan_kustomizations(struct phase *ph)
{
	struct mig_repo *r = ph->r;
	struct mig_file *g;
	size_t i, j;

	pick(ph, r, is_kust);
	mig_parallel(ph->n, ph->run->o->jobs, scan_one, ph, NULL);
	for (i = 0; i < ph->n; i++) {
		struct mig_file *f = ph->files[i];

		mig_print_captured(&f->diag, &f->diaglen);
		if (f->failed)
			r->rc = mig_worst(r->rc, f->io_failed ? GWS_EXIT_IO :
					  GWS_EXIT_INPUT);
		else
			mig_file_notes(&r->rep, f);
		for (j = 0; f->kust && j < f->kust->npatches; j++)
			if ((g = mig_file_find(r, f->kust->patches[j])) != NULL)
				g->patch = true;
	}
}

static void scan_manifests(struct phase *ph)
{
	pick(ph, ph->r, is_manifest);
	ph->ld = mig_loader_create(ph->r);
	mig_pipeline(ph->n, ph->run->o->jobs, scan_one, load_one, ph,
		     "scanning");
	mig_loader_finish(ph->ld);
	ph->ld = NULL;
}

static void run_phase(struct phase *ph, bool (*want)(const struct mig_file *),
		      void (*fn)(void *, size_t), const char *what)
{
	pick(ph, ph->r, want);
	mig_parallel(ph->n, ph->run->o->jobs, fn, ph, what);
}

/* what the phases left to say, in path order: messages, then the diff */
static void print_results(struct mig_repo *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct mig_file *f = r->files[i];

		mig_print_captured(&f->diag, &f->diaglen);
		if (f->report && fwrite(f->report, 1, f->reportlen, stdout) !=
		    f->reportlen)
			r->rc = GWS_EXIT_IO;
		free(f->report);
		f->report = NULL;
		if (f->io_failed)
			r->rc = GWS_EXIT_IO;
	}
	if (fflush(stdout) != 0)
		r->rc = GWS_EXIT_IO;
}

/* what the run counts: files changed and Ingresses migrated */
static void count(struct mig_run *run, struct mig_repo *r)
{
	size_t i, j;

	for (i = 0; i < r->n; i++) {
		const struct mig_file *f = r->files[i];

		run->scanned += f->walked;
		if (f->failed && f->walked && !f->helm)
			run->left++;
		if (!is_changed(f) || f->io_failed)
			continue;
		if (f->removed)
			run->deleted++;
		else if (f->exists)
			run->edited++;
		else
			run->created++;
		for (j = 0; j < f->ndocs; j++)
			run->migrated += f->docs[j].action == MIG_REPLACE ||
					 f->docs[j].action == MIG_REMOVE;
	}
}

static void migrate_repo(struct mig_run *run, const char *path)
{
	struct mig_repo *r = gws_xcalloc(1, sizeof(*r));
	struct phase ph = { run, r, NULL, 0, NULL };

	gws_report_init(&r->rep);
	gws_model_init(&r->m, &r->rep);
	gws_output_init(&r->out);
	run->repos = gws_xrealloc(run->repos,
				  (run->nrepos + 1) * sizeof(*run->repos));
	run->repos[run->nrepos++] = r;
	r->rc = mig_walk(r, path, run->o);
	scan_kustomizations(&ph);
	scan_manifests(&ph);
	if (r->m.ningresses && mig_plan(r, &run->maps, &run->o->cli.map) == 0) {
		pick(&ph, r, mig_edits);
		mig_pipeline(ph.n, run->o->jobs, rewrite_one, write_one, &ph,
			     run->o->dry_run ? NULL : "rewriting");
		mig_gateway_files(r, run->o);
		gws_output_release(&r->out);
	} else {
		mig_kust_update(r, run->o, NULL, 0);
	}
	run_phase(&ph, to_commit, commit_one, NULL);
	mig_progress_clear();
	print_results(r);
	count(run, r);
	run->rc = mig_worst(run->rc, r->rc);
	mig_report_move(&run->rep, &r->rep);
	gws_report_init(&r->rep);
	free(ph.files);
}

static int write_report(struct mig_run *run)
{
	return gws_cli_write_report(&run->rep, &run->o->cli);
}

static const char *plural(size_t n, const char *one, const char *more)
{
	return n == 1 ? one : more;
}

static void summary(const struct mig_run *run)
{
	size_t changed = run->edited + run->created + run->deleted;

	gws_report_summary(&run->rep, stderr, 20);
	fprintf(stderr, "gwshift: migrate%s: %zu %s scanned; %zu %s (%zu "
		"edited, %zu new, %zu removed); %zu %s migrated",
		run->o->dry_run ? " --dry-run" : "", run->scanned,
		plural(run->scanned, "file", "files"), changed,
		run->o->dry_run ? "to change" : "changed", run->edited,
		run->created, run->deleted, run->migrated,
		plural(run->migrated, "Ingress", "Ingresses"));
	if (run->left)
		fprintf(stderr, "; %zu %s left as %s because of errors",
			run->left, plural(run->left, "file", "files"),
			plural(run->left, "it is", "they are"));
	fputc('\n', stderr);
}

static int run_all(struct mig_run *run, char **paths, size_t n)
{
	size_t i;
	int rc = gws_mappings_load(&run->maps, run->o->cli.mappings);

	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		migrate_repo(run, paths[i]);
	mig_progress_clear();
	rc = mig_worst(run->rc, write_report(run));
	summary(run);
	if (!rc && run->o->cli.strict && run->rep.counts[GWS_NOT_CONVERTED])
		rc = GWS_EXIT_FINDINGS;
	return rc;
}

int gws_cmd_migrate(int argc, char **argv)
{
	struct mig_opts o;
	struct mig_run run;
	size_t i;
	int rc;

	opts_init(&o);
	memset(&run, 0, sizeof(run));
	run.o = &o;
	gws_report_init(&run.rep);
	rc = parse(argc, argv, &o);
	if (!rc)
		rc = run_all(&run, argv + optind, (size_t)(argc - optind));
	gws_report_release(&run.rep);
	for (i = 0; i < run.nrepos; i++)
		mig_repo_destroy(run.repos[i]);
	free(run.repos);
	gws_mappings_release(&run.maps);
	opts_release(&o);
	return rc;
}
