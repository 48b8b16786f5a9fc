/* cli.c - what the commands share: options, the convert pipeline, usage errors */
/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/cli.h"
#include "gwshift/write.h"
#include "banned.h"

int gws_usage_error(const char *fmt, const char *arg)
{
	fputs("gwshift: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nsee 'gwshift --help'\n", stderr);
	return GWS_EXIT_USAGE;
}

void gws_cli_init(struct gws_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->map.gateway_ns = GWS_DEFAULT_GATEWAY_NS;
}

void gws_cli_release(struct gws_cli *cli)
{
	if (!cli)
		return;
	free(cli->classes);
	cli->classes = NULL;
	cli->nclasses = 0;
}

static int choice(const char *arg, const char *a, const char *b,
		  const char *what, bool *is_b)
{
	if (strcmp(arg, a) && strcmp(arg, b))
		return gws_usage_error(what, arg);
	*is_b = !strcmp(arg, b);
	return 0;
}

int gws_cli_option(struct gws_cli *cli, int c, const char *arg)
{
	switch (c) {
	case GWS_OPT_REPORT: cli->report = arg; return 0;
	case GWS_OPT_GW_NS: cli->map.gateway_ns = arg; return 0;
	case GWS_OPT_GW_NAME: cli->map.gateway_name = arg; return 0;
	case GWS_OPT_GW_CLASS: cli->map.gateway_class = arg; return 0;
	case GWS_OPT_MAPPINGS: cli->mappings = arg; return 0;
	case GWS_OPT_STRICT: cli->strict = true; return 0;
	case GWS_OPT_CLASS:
		cli->classes = gws_xrealloc(cli->classes, (cli->nclasses + 1) *
					    sizeof(*cli->classes));
		cli->classes[cli->nclasses++] = (char *)arg;
		cli->map.classes = cli->classes;
		cli->map.nclasses = cli->nclasses;
		return 0;
	case GWS_OPT_REPORT_FORMAT:
		if (gws_report_format_from_name(arg, &cli->report_format) < 0)
			return gws_usage_error("unknown report format '%s'", arg);
		cli->report_format_set = true;
		return 0;
	case GWS_OPT_TLS:
		return choice(arg, "gateway", "listenerset",
			      "unknown --tls-listeners mode '%s'",
			      &cli->map.listenersets);
	case GWS_OPT_CHANNEL:
		return choice(arg, "standard", "experimental",
			      "unknown channel '%s'", &cli->map.experimental);
	default:
		return -1;
	}
}

int gws_cli_check(struct gws_cli *cli)
{
	const struct gws_map_opts *o = &cli->map;

	if (!gws_dns1123_label(o->gateway_ns))
		return gws_usage_error("--gateway-namespace '%s' is not a valid "
				       "namespace name", o->gateway_ns);
	if (o->gateway_name && !gws_dns1123_label(o->gateway_name))
		return gws_usage_error("--gateway-name '%s' is not a valid name "
				       "(DNS-1123 label)", o->gateway_name);
	if (o->gateway_class && !gws_dns1123_subdomain(o->gateway_class))
		return gws_usage_error("--gateway-class '%s' is not a valid name",
				       o->gateway_class);
	return 0;
}

void gws_run_init(struct gws_run *run)
{
	memset(run, 0, sizeof(*run));
	gws_inputs_init(&run->in);
	gws_report_init(&run->rep);
	gws_model_init(&run->m, &run->rep);
	gws_output_init(&run->out);
}

void gws_run_release(struct gws_run *run)
{
	if (!run)
		return;
	gws_output_release(&run->out);
	gws_model_release(&run->m);
	gws_report_release(&run->rep);
	gws_inputs_release(&run->in);
	gws_mappings_release(&run->maps);
}

int gws_run_convert(struct gws_run *run, const struct gws_cli *cli,
		    char *const *paths, size_t npaths)
{
	int rc = gws_mappings_load(&run->maps, cli->mappings);

	if (rc)
		return rc;
	rc = gws_read_paths(&run->in, &run->m, paths, npaths);
	if (rc)
		return rc;
	malloc_trim(0);	/* the reader's trees are gone: give their pages back */
	if (gws_model_finish(&run->m) < 0 ||
	    gws_map_run(&run->m, &run->maps, &cli->map, &run->rep,
			&run->out) < 0)
		return GWS_EXIT_INPUT;
	gws_output_wait(&run->out);
	gws_output_sort(&run->out);
	return GWS_EXIT_OK;
}

int gws_cli_write_report(struct gws_report *rep, const struct gws_cli *cli)
{
	struct gws_buf b;
	int rc = GWS_EXIT_OK;

	gws_report_sort(rep);
	if (!cli->report)
		return rc;
	gws_buf_init(&b);
	gws_report_render(rep, cli->report_format_set ? cli->report_format :
			  gws_report_format_from_path(cli->report), &b);
	if (gws_write_file_atomic(cli->report, b.data, b.len) < 0)
		rc = GWS_EXIT_IO;
	gws_buf_release(&b);
	return rc;
}

int gws_run_report(struct gws_run *run, const struct gws_cli *cli)
{
	return gws_cli_write_report(&run->rep, cli);
}

int gws_run_exit(const struct gws_run *run, const struct gws_cli *cli)
{
	if (cli->strict && run->rep.counts[GWS_NOT_CONVERTED])
		return GWS_EXIT_FINDINGS;
	return GWS_EXIT_OK;
}
