/* main.c - gwshift: move Ingress configuration to Gateway API */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gwshift/cli.h"
#include "gwshift/diag.h"
#include "gwshift/diff.h"
#include "gwshift/migrate.h"
#include "gwshift/map.h"
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/place.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "gwshift/write.h"
#include "banned.h"

static const char usage_text[] =
"usage: gwshift convert [options] INPUT...\n"
"       gwshift diff [options] INPUT... --against PATH...\n"
"       gwshift migrate [options] PATH...\n"
"       gwshift mappings [CONTROLLER]\n"
"       gwshift --help | --version\n"
"\n"
"convert reads exported Kubernetes objects (YAML or JSON files, folders,\n"
"or - for stdin) and writes Gateway API objects and a report.\n"
"\n"
"Pipeline: read -> model -> map -> place -> write -> report\n"
"\n"
"convert options:\n"
"  --out-dir DIR            write DIR/platform/<ns>/ and DIR/apps/<ns>/,\n"
"                           each a kustomization (default: stdout)\n"
"  -o, --output yaml|json   stdout format (default yaml; json: a List)\n"
"  -j, --jobs N             threads that read and write YAML (0 to 256;\n"
"                           default: one a core; 0: none, the main thread\n"
"                           does all)\n"
"  --report FILE            write the full report to FILE\n"
"  --report-format F        text, markdown or json (default: from FILE)\n"
"  --gateway-namespace NS   namespace of the shared Gateways\n"
"                           (default " GWS_DEFAULT_GATEWAY_NS ")\n"
"  --gateway-name NAME      Gateway name (default: the ingress class;\n"
"                           with several classes NAME-<class>)\n"
"  --gateway-class NAME     gatewayClassName (default: the ingress class)\n"
"  --ingress-class NAME     convert only this class (repeatable)\n"
"  --tls-listeners MODE     gateway (default): HTTPS listeners on the\n"
"                           Gateway, ReferenceGrants for the Secrets;\n"
"                           listenerset: a ListenerSet per app namespace\n"
"  --channel CHANNEL        standard (default) or experimental\n"
"  --mappings DIR           add or override mapping tables (DIR/*.yaml)\n"
"  --strict                 exit 1 when anything was not converted\n"
"\n"
"diff converts INPUT as convert does (same options) and compares the\n"
"result with existing objects: create, change, unchanged or orphan.\n"
"\n"
"diff options:\n"
"  --against PATH...        existing objects: files, folders, a cluster\n"
"                           export, or - for stdin (required)\n"
"  --format F               text (default), markdown or json\n"
"  --color WHEN             auto (default: on a terminal), always, never\n"
"  --output FILE            write the diff to FILE (default: stdout)\n"
"\n"
"migrate rewrites the Ingress manifests of the repos at PATH (folders or\n"
"files) in place: each Ingress document becomes the documents made from it,\n"
"every other byte stays; the shared Gateways go to --gateway-dir. It takes\n"
"the convert options but --out-dir and -o.\n"
"\n"
"migrate options:\n"
"  --dry-run                write nothing; print a git-style diff for\n"
"                           git apply\n"
"  --gateway-dir DIR        the Gateways' folder in each repo (default\n"
"                           gateway), listed in a kustomization.yaml\n"
"  -j, --jobs N             work on N threads (default: the cores)\n"
"  --include-dir NAME       walk folders named NAME too (.git, node_modules,\n"
"                           vendor and hidden folders are skipped)\n"
"\n"
"exit codes:\n"
"  0  success (diff: nothing would change)\n"
"  1  --strict and a not-converted finding (diff: something would change)\n"
"  2  usage error\n"
"  3  input error (malformed YAML/JSON, wrong types, invalid names, ...)\n"
"  4  I/O error (a file could not be read or written)\n";

/* struct opts - the command line of convert */
struct opts {
	struct gws_cli cli;
	const char *out_dir;
	enum gws_format format;
	long jobs;		/* writer threads; -1: one a core */
};

enum { OPT_OUT_DIR = GWS_OPT_COMMAND };

static const struct option convert_opts[] = {
	GWS_CLI_SHARED_OPTIONS,
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

static int set_opt(struct opts *o, int c, const char *arg)
{
	int rc = gws_cli_option(&o->cli, c, arg);

	if (rc >= 0)
		return rc;
	if (c == OPT_OUT_DIR) {
		o->out_dir = arg;
	} else if (c == 'j') {
		char *end;

		o->jobs = strtol(arg, &end, 10);
		if (!*arg || *end || o->jobs < 0 || o->jobs > 256)
			return gws_usage_error("--jobs takes a number from 0 to "
					       "256, not '%s'", arg);
	} else if (c == 'o') {
		if (strcmp(arg, "yaml") && strcmp(arg, "json"))
			return gws_usage_error("unknown output format '%s'", arg);
		o->format = strcmp(arg, "json") ? GWS_FORMAT_YAML :
			    GWS_FORMAT_JSON;
	} else {
		return GWS_EXIT_USAGE;
	}
	return 0;
}

static int parse_convert(int argc, char **argv, struct opts *o)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:j:", convert_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return gws_usage_error("bad option '%s'",
					       argv[optind - 1]);
		rc = set_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return gws_usage_error("%s", "convert needs at least one INPUT");
	return gws_cli_check(&o->cli);
}

/* the text of every object, in order; a text that failed says why */
static int write_texts(const struct gws_output *out, struct gws_buf *b)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		const struct gws_text *t = out->objs[i].text;

		if (t->err) {
			fputs(t->err, stderr);
			return -1;
		}
		gws_buf_add(b, t->data, t->len);
	}
	return 0;
}

static int write_stdout(const struct gws_output *out, enum gws_format fmt)
{
	struct gws_val **docs = gws_xcalloc(out->n + 1, sizeof(*docs));
	struct gws_buf b;
	size_t i;
	int rc = GWS_EXIT_OK, wrc;

	for (i = 0; i < out->n; i++)
		docs[i] = out->objs[i].doc;
	gws_buf_init(&b);
	wrc = out->n && out->objs[0].text ? write_texts(out, &b) :
	      gws_write_docs(&b, docs, out->n, fmt);
	if (wrc < 0)
		rc = GWS_EXIT_IO;
	else if (fwrite(b.data, 1, b.len, stdout) != b.len ||
		 fflush(stdout) != 0)
		rc = GWS_EXIT_IO;
	if (rc)
		gws_diag_plain("error", "cannot write the output");
	gws_buf_release(&b);
	free(docs);
	return rc;
}

/* reader and writer threads: --jobs, or one a core */
static unsigned writer_threads(const struct opts *o)
{
	long n = o->jobs >= 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 0 ? 1 : n > 256 ? 256 : (unsigned)n;
}

static int write_outputs(const struct opts *o, struct gws_run *run)
{
	struct gws_tree tree = { 0 };
	int rc = gws_run_report(run, &o->cli);

	if (rc)
		return rc;
	if (!o->out_dir)
		return write_stdout(&run->out, o->format);
	if (gws_place(&run->out, &tree) < 0 ||
	    gws_write_tree(o->out_dir, tree.files, tree.n) < 0)
		rc = GWS_EXIT_IO;
	gws_tree_release(&tree);
	return rc;
}

static int cmd_convert(int argc, char **argv)
{
	struct gws_run run;
	struct opts o;
	bool made = false;
	int rc;

	memset(&o, 0, sizeof(o));
	o.jobs = -1;
	gws_cli_init(&o.cli);
	gws_run_init(&run);
	rc = parse_convert(argc, argv, &o);
	run.in.threads = writer_threads(&o);
	/* (a folder made here and left empty by a failure is removed) */
	if (!rc && o.format == GWS_FORMAT_YAML && o.out_dir &&
	    (mkdir(o.out_dir, 0777) == 0 ? (made = true) : errno == EEXIST))
		gws_output_spool(&run.out, o.out_dir);
	if (!rc && o.format == GWS_FORMAT_YAML)
		gws_output_stream(&run.out, writer_threads(&o));
	if (!rc)
		rc = gws_run_convert(&run, &o.cli, argv + optind,
				     (size_t)(argc - optind));
	/* the objects and findings are made: the model's memory can go */
	if (!rc)
		gws_model_release(&run.m);
	if (!rc)
		rc = write_outputs(&o, &run);
	if (!rc) {
		gws_report_summary(&run.rep, stderr, 20);
		rc = gws_run_exit(&run, &o.cli);
	}
	gws_run_release(&run);
	if (rc && made)
		rmdir(o.out_dir);	/* fails if files were written: kept */
	gws_cli_release(&o.cli);
	return rc;
}

static int cmd_mappings(int argc, char **argv)
{
	struct gws_mapping_set maps = { 0 };
	const struct gws_mapping_table *t;
	size_t i;
	int rc = gws_mappings_load(&maps, NULL);

	if (rc)
		return rc;
	if (argc < 2) {
		for (i = 0; i < maps.n; i++)
			printf("%s\t%zu annotations\t%s\n", maps.tables[i]->name,
			       maps.tables[i]->nentries, maps.tables[i]->prefix);
	} else if ((t = gws_mappings_by_name(&maps, argv[1])) != NULL) {
		gws_mappings_print(t, stdout);
	} else {
		rc = gws_usage_error("no mapping table named '%s'", argv[1]);
	}
	gws_mappings_release(&maps);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return gws_usage_error("%s", "no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return GWS_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("gwshift " GWS_VERSION);
		return GWS_EXIT_OK;
	}
	if (!strcmp(argv[1], "convert"))
		return cmd_convert(argc - 1, argv + 1);
	if (!strcmp(argv[1], "mappings"))
		return cmd_mappings(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return gws_cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "migrate"))
		return gws_cmd_migrate(argc - 1, argv + 1);
	return gws_usage_error("unknown command '%s'", argv[1]);
}
