/* diff.c - the 'diff' command: what a migration would change */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gwshift/cli.h"
#include "gwshift/diff.h"
#include "gwshift/write.h"
#include "diff/internal.h"
#include "banned.h"

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* struct diff_opts - the command line of diff */
struct diff_opts {
	struct gws_cli cli;
	char **inputs;		/* borrowed argv strings */
	size_t ninputs;
	char **against;
	size_t nagainst;
	bool in_against;	/* non-options go to --against now */
	enum gws_report_format format;
	enum color_mode color;
	const char *output;
};

enum { OPT_AGAINST = GWS_OPT_COMMAND, OPT_FORMAT, OPT_COLOR, OPT_OUTPUT };

static const struct option diff_options[] = {
	GWS_CLI_SHARED_OPTIONS,
	{ "against", required_argument, NULL, OPT_AGAINST },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ NULL, 0, NULL, 0 },
};

static void add_path(char ***list, size_t *n, char *path)
{
	*list = gws_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = path;
}

/* a path: an INPUT, or after --against one of its paths */
static void add_positional(struct diff_opts *o, char *arg)
{
	if (o->in_against)
		add_path(&o->against, &o->nagainst, arg);
	else
		add_path(&o->inputs, &o->ninputs, arg);
}

static int set_color(struct diff_opts *o, const char *arg)
{
	if (!strcmp(arg, "auto"))
		o->color = COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		o->color = COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		o->color = COLOR_NEVER;
	else
		return gws_usage_error("unknown --color mode '%s'", arg);
	return 0;
}

static int set_opt(struct diff_opts *o, int c, char *arg)
{
	int rc = gws_cli_option(&o->cli, c, arg);

	if (rc >= 0)
		return rc;
	switch (c) {
	case 1:
		add_positional(o, arg);
		return 0;
	case OPT_AGAINST:
		o->in_against = true;
		add_path(&o->against, &o->nagainst, arg);
		return 0;
	case OPT_FORMAT:
		if (gws_report_format_from_name(arg, &o->format) < 0)
			return gws_usage_error("unknown format '%s'", arg);
		return 0;
	case OPT_COLOR:
		return set_color(o, arg);
	case OPT_OUTPUT:
		o->output = arg;
		return 0;
	default:
		return GWS_EXIT_USAGE;
	}
}

static int stdin_twice(const struct diff_opts *o)
{
	size_t i, n = 0;

	for (i = 0; i < o->ninputs; i++)
		n += !strcmp(o->inputs[i], "-");
	for (i = 0; i < o->nagainst; i++)
		n += !strcmp(o->against[i], "-");
	return n > 1;
}

/*
 * Options and paths in any order; the paths after an --against are
 * compared with (up to the next option), the others are INPUTs.
 */
static int parse_diff(int argc, char **argv, struct diff_opts *o)
{
	int c, rc;

	optind = 0;	/* glibc: start afresh, and read "-" from optstring */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "-", diff_options, NULL)) != -1) {
		if (c == '?' || c == ':')
			return gws_usage_error("bad option '%s'",
					       argv[optind - 1]);
		rc = set_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	for (; optind < argc; optind++)
		add_positional(o, argv[optind]);
	if (!o->ninputs)
		return gws_usage_error("%s", "diff needs at least one INPUT");
	if (!o->nagainst)
		return gws_usage_error("%s", "diff needs --against PATH");
	if (stdin_twice(o))
		return gws_usage_error("%s", "standard input ('-') can be "
				       "read only once");
	return gws_cli_check(&o->cli);
}

static bool use_color(const struct diff_opts *o)
{
	if (o->color != COLOR_AUTO)
		return o->color == COLOR_ALWAYS;
	return !o->output && isatty(STDOUT_FILENO);
}

static int write_result(const struct diff_opts *o, const struct gws_diff *d,
			const struct gws_report *rep)
{
	struct gws_diff_view v = { d, rep, use_color(o) };
	struct gws_buf b;
	int rc = GWS_EXIT_OK;

	gws_buf_init(&b);
	if (o->format == GWS_REPORT_JSON)
		gws_diff_render_json(&v, &b);
	else if (o->format == GWS_REPORT_MARKDOWN)
		gws_diff_render_markdown(&v, &b);
	else
		gws_diff_render_text(&v, &b);
	if (o->output) {
		if (gws_write_file_atomic(o->output, b.data, b.len) < 0)
			rc = GWS_EXIT_IO;
	} else if (fwrite(b.data, 1, b.len, stdout) != b.len ||
		   fflush(stdout) != 0) {
		gws_diag_plain("error", "cannot write the output");
		rc = GWS_EXIT_IO;
	}
	gws_buf_release(&b);
	return rc;
}

/* 0 when applying would change nothing, 1 when it would */
static int diff_exit(const struct gws_diff *d, const struct gws_run *run,
		     const struct diff_opts *o)
{
	if (d->counts[GWS_DIFF_CREATE] || d->counts[GWS_DIFF_CHANGE] ||
	    d->counts[GWS_DIFF_ORPHAN])
		return GWS_EXIT_FINDINGS;
	return gws_run_exit(run, &o->cli);
}

/* generate, read what exists, match, write; Returns: the exit code */
static int run_diff(const struct diff_opts *o, struct gws_run *run)
{
	struct gws_diff_existing ex;
	struct gws_diff_gen g;
	struct gws_diff d;
	int rc;

	gws_diff_existing_init(&ex);
	gws_diff_init(&d);
	memset(&g, 0, sizeof(g));
	rc = gws_run_convert(run, &o->cli, o->inputs, o->ninputs);
	if (!rc)
		rc = gws_run_report(run, &o->cli);
	if (!rc) {
		gws_diff_gen_init(&g, &run->out);
		ex.want = gws_diff_gen_want;
		ex.arg = &g;
		rc = gws_diff_load_paths(&ex, o->against, o->nagainst);
	}
	if (!rc && gws_diff_build(&d, &run->out, &g, &ex) < 0)
		rc = GWS_EXIT_INPUT;	/* an object YAML cannot hold */
	if (!rc)
		rc = write_result(o, &d, &run->rep);
	if (!rc && o->output)
		fprintf(stderr, "gwshift: %zu to create, %zu to change, %zu "
			"unchanged, %zu orphaned\n", d.counts[GWS_DIFF_CREATE],
			d.counts[GWS_DIFF_CHANGE], d.counts[GWS_DIFF_UNCHANGED],
			d.counts[GWS_DIFF_ORPHAN]);
	if (!rc)
		rc = diff_exit(&d, run, o);
	gws_diff_release(&d);
	gws_diff_gen_release(&g);
	gws_diff_existing_release(&ex);
	return rc;
}

/**
 * gws_cmd_diff() - run 'gwshift diff'
 * @argc: argument count, argv[0] being "diff"
 * @argv: the arguments
 *
 * Converts the INPUTs as convert does, reads the objects of --against, and
 * writes what applying the conversion would do to them.
 * Returns: 0 nothing would change, 1 something would, 2 and up the
 * errors of convert (usage, input, I/O).
 */
int gws_cmd_diff(int argc, char **argv)
{
	struct diff_opts o;
	struct gws_run run;
	int rc;

	memset(&o, 0, sizeof(o));
	gws_cli_init(&o.cli);
	gws_run_init(&run);
	rc = parse_diff(argc, argv, &o);
	if (!rc)
		rc = run_diff(&o, &run);
	gws_run_release(&run);
	gws_cli_release(&o.cli);
	free(o.inputs);
	free(o.against);
	return rc;
}
