/* cli.h - what the commands share: options, the convert pipeline, usage errors */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_CLI_H
#define GWS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include "gwshift/map.h"
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/read.h"
#include "gwshift/report.h"

#define GWS_DEFAULT_GATEWAY_NS "gateway-system"

/* option values of the shared options; commands start theirs at 512 */
enum {
	GWS_OPT_REPORT = 256, GWS_OPT_REPORT_FORMAT, GWS_OPT_GW_NS,
	GWS_OPT_GW_NAME, GWS_OPT_GW_CLASS, GWS_OPT_CLASS, GWS_OPT_TLS,
	GWS_OPT_CHANNEL, GWS_OPT_MAPPINGS, GWS_OPT_STRICT,
	GWS_OPT_COMMAND = 512,
};

/* the struct option entries every pipeline command accepts */
#define GWS_CLI_SHARED_OPTIONS \
	{ "report", required_argument, NULL, GWS_OPT_REPORT }, \
	{ "report-format", required_argument, NULL, GWS_OPT_REPORT_FORMAT }, \
	{ "gateway-namespace", required_argument, NULL, GWS_OPT_GW_NS }, \
	{ "gateway-name", required_argument, NULL, GWS_OPT_GW_NAME }, \
	{ "gateway-class", required_argument, NULL, GWS_OPT_GW_CLASS }, \
	{ "ingress-class", required_argument, NULL, GWS_OPT_CLASS }, \
	{ "tls-listeners", required_argument, NULL, GWS_OPT_TLS }, \
	{ "channel", required_argument, NULL, GWS_OPT_CHANNEL }, \
	{ "mappings", required_argument, NULL, GWS_OPT_MAPPINGS }, \
	{ "strict", no_argument, NULL, GWS_OPT_STRICT }

/* struct gws_cli - the shared options of a command line */
struct gws_cli {
	struct gws_map_opts map;
	const char *report;
	enum gws_report_format report_format;
	bool report_format_set;
	const char *mappings;
	bool strict;
	char **classes;		/* owned array of borrowed argv strings */
	size_t nclasses;
};

void gws_cli_init(struct gws_cli *cli);
void gws_cli_release(struct gws_cli *cli);

/*
 * gws_cli_option() - take shared option @c with @arg.
 * Returns: 0 when taken, -1 when @c is not a shared option, or
 * GWS_EXIT_USAGE after printing the usage error.
 */
int gws_cli_option(struct gws_cli *cli, int c, const char *arg);

/* gws_cli_check() - validate the names; Returns: 0 or GWS_EXIT_USAGE */
int gws_cli_check(struct gws_cli *cli);

/* gws_usage_error() - "gwshift: error: <fmt % arg>" + the help hint */
int gws_usage_error(const char *fmt, const char *arg);

/*
 * struct gws_run - one run of the convert pipeline (read, model, map):
 * owns everything it made.
 */
struct gws_run {
	struct gws_mapping_set maps;
	struct gws_inputs in;
	struct gws_report rep;
	struct gws_model m;
	struct gws_output out;
};

void gws_run_init(struct gws_run *run);
void gws_run_release(struct gws_run *run);

/*
 * gws_run_convert() - load the mapping tables, read @paths, build the model
 * and map it; run->out is sorted in output order.
 * Returns: GWS_EXIT_OK, or the exit code of the first failing stage (its
 * diagnostics printed).
 */
int gws_run_convert(struct gws_run *run, const struct gws_cli *cli,
		    char *const *paths, size_t npaths);

/*
 * gws_cli_write_report() - sort @rep's findings; write --report if asked
 * (atomic). Returns: GWS_EXIT_OK or GWS_EXIT_IO.
 */
int gws_cli_write_report(struct gws_report *rep, const struct gws_cli *cli);
/* gws_run_report() - gws_cli_write_report() of @run's findings */
int gws_run_report(struct gws_run *run, const struct gws_cli *cli);

/* gws_run_exit() - GWS_EXIT_FINDINGS under --strict with not-converted */
int gws_run_exit(const struct gws_run *run, const struct gws_cli *cli);

#endif
