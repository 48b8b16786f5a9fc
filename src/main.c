/* main.c - gwshift: move Ingress configuration to Gateway API */
/* SPDX-License-Identifier: MIT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gwshift/diag.h"
#include "gwshift/map.h"
#include "gwshift/mappings.h"
#include "gwshift/model.h"
#include "gwshift/place.h"
#include "gwshift/read.h"
#include "gwshift/report.h"
#include "gwshift/write.h"
#include "banned.h"

#define DEFAULT_GATEWAY_NS "gateway-system"

static const char usage_text[] =
"usage: gwshift convert [options] INPUT...\n"
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
"  --report FILE            write the full report to FILE\n"
"  --report-format F        text, markdown or json (default: from FILE)\n"
"  --gateway-namespace NS   namespace of the shared Gateways\n"
"                           (default " DEFAULT_GATEWAY_NS ")\n"
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
"exit codes:\n"
"  0  success\n"
"  1  --strict and a not-converted finding\n"
"  2  usage error\n"
"  3  input error (malformed YAML/JSON, wrong types, invalid names, ...)\n"
"  4  I/O error (a file could not be read or written)\n";

/* struct opts - the command line of convert */
struct opts {
	struct gws_map_opts map;
	const char *out_dir;
	const char *report;
	const char *mappings;
	enum gws_format format;
	enum gws_report_format report_format;
	bool report_format_set;
	bool strict;
	char **classes;
	size_t nclasses;
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("gwshift: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nsee 'gwshift --help'\n", stderr);
	return GWS_EXIT_USAGE;
}

enum {
	OPT_OUT_DIR = 256, OPT_REPORT, OPT_REPORT_FORMAT, OPT_GW_NS,
	OPT_GW_NAME, OPT_GW_CLASS, OPT_CLASS, OPT_TLS, OPT_CHANNEL,
	OPT_MAPPINGS, OPT_STRICT,
};

static const struct option long_opts[] = {
	{ "out-dir", required_argument, NULL, OPT_OUT_DIR },
	{ "output", required_argument, NULL, 'o' },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "report-format", required_argument, NULL, OPT_REPORT_FORMAT },
	{ "gateway-namespace", required_argument, NULL, OPT_GW_NS },
	{ "gateway-name", required_argument, NULL, OPT_GW_NAME },
	{ "gateway-class", required_argument, NULL, OPT_GW_CLASS },
	{ "ingress-class", required_argument, NULL, OPT_CLASS },
	{ "tls-listeners", required_argument, NULL, OPT_TLS },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "mappings", required_argument, NULL, OPT_MAPPINGS },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ NULL, 0, NULL, 0 },
};

static int set_opt(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_OUT_DIR: o->out_dir = arg; break;
	case OPT_REPORT: o->report = arg; break;
	case OPT_GW_NS: o->map.gateway_ns = arg; break;
	case OPT_GW_NAME: o->map.gateway_name = arg; break;
	case OPT_GW_CLASS: o->map.gateway_class = arg; break;
	case OPT_MAPPINGS: o->mappings = arg; break;
	case OPT_STRICT: o->strict = true; break;
	case OPT_CLASS:
		o->classes = realloc(o->classes, (o->nclasses + 1) *
				     sizeof(*o->classes));
		if (!o->classes)
			abort();
		o->classes[o->nclasses++] = (char *)arg;
		break;
	case 'o':
		if (strcmp(arg, "yaml") && strcmp(arg, "json"))
			return usage_error("unknown output format '%s'", arg);
		o->format = strcmp(arg, "json") ? GWS_FORMAT_YAML :
			    GWS_FORMAT_JSON;
		break;
	case OPT_REPORT_FORMAT:
		if (gws_report_format_from_name(arg, &o->report_format) < 0)
			return usage_error("unknown report format '%s'", arg);
		o->report_format_set = true;
		break;
	case OPT_TLS:
		if (strcmp(arg, "gateway") && strcmp(arg, "listenerset"))
			return usage_error("unknown --tls-listeners mode '%s'", arg);
		o->map.listenersets = !strcmp(arg, "listenerset");
		break;
	case OPT_CHANNEL:
		if (strcmp(arg, "standard") && strcmp(arg, "experimental"))
			return usage_error("unknown channel '%s'", arg);
		o->map.experimental = !strcmp(arg, "experimental");
		break;
	default:
		return GWS_EXIT_USAGE;
	}
	return 0;
}

static int check_names(const struct opts *o)
{
	if (!gws_dns1123_label(o->map.gateway_ns))
		return usage_error("--gateway-namespace '%s' is not a valid "
				   "namespace name", o->map.gateway_ns);
	if (o->map.gateway_name && !gws_dns1123_label(o->map.gateway_name))
		return usage_error("--gateway-name '%s' is not a valid name "
				   "(DNS-1123 label)", o->map.gateway_name);
	if (o->map.gateway_class && !gws_dns1123_subdomain(o->map.gateway_class))
		return usage_error("--gateway-class '%s' is not a valid name",
				   o->map.gateway_class);
	return 0;
}

static int parse_convert(int argc, char **argv, struct opts *o)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->map.gateway_ns = DEFAULT_GATEWAY_NS;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return usage_error("bad option '%s'", argv[optind - 1]);
		rc = set_opt(o, c, optarg);
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%s", "convert needs at least one INPUT");
	o->map.classes = o->classes;
	o->map.nclasses = o->nclasses;
	return check_names(o);
}

static int write_stdout(const struct gws_output *out, enum gws_format fmt)
{
	struct gws_val **docs = gws_xcalloc(out->n + 1, sizeof(*docs));
	struct gws_buf b;
	size_t i;
	int rc = GWS_EXIT_OK;

	for (i = 0; i < out->n; i++)
		docs[i] = out->objs[i].doc;
	gws_buf_init(&b);
	if (gws_write_docs(&b, docs, out->n, fmt) < 0)
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

static int write_outputs(const struct opts *o, struct gws_output *out,
			 struct gws_report *rep)
{
	struct gws_tree tree = { 0 };
	int rc = GWS_EXIT_OK;

	gws_report_sort(rep);
	if (o->report) {
		struct gws_buf b;

		gws_buf_init(&b);
		gws_report_render(rep, o->report_format_set ? o->report_format :
				  gws_report_format_from_path(o->report), &b);
		if (gws_write_file_atomic(o->report, b.data, b.len) < 0)
			rc = GWS_EXIT_IO;
		gws_buf_release(&b);
	}
	if (rc == GWS_EXIT_OK && o->out_dir) {
		if (gws_place(out, &tree) < 0 ||
		    gws_write_tree(o->out_dir, tree.files, tree.n) < 0)
			rc = GWS_EXIT_IO;
		gws_tree_release(&tree);
	} else if (rc == GWS_EXIT_OK) {
		rc = write_stdout(out, o->format);
	}
	return rc;
}

static int cmd_convert(int argc, char **argv)
{
	struct gws_mapping_set maps = { 0 };
	struct gws_inputs in;
	struct gws_report rep;
	struct gws_model m;
	struct gws_output out;
	struct opts o;
	int rc = parse_convert(argc, argv, &o);

	gws_inputs_init(&in);
	gws_report_init(&rep);
	gws_model_init(&m, &rep);
	gws_output_init(&out);
	if (rc)
		goto done;
	rc = gws_mappings_load(&maps, o.mappings);
	if (rc)
		goto done;
	rc = gws_read_paths(&in, &m, argv + optind, (size_t)(argc - optind));
	if (rc)
		goto done;
	if (gws_model_finish(&m) < 0 ||
	    gws_map_run(&m, &maps, &o.map, &rep, &out) < 0) {
		rc = GWS_EXIT_INPUT;
		goto done;
	}
	gws_output_sort(&out);
	rc = write_outputs(&o, &out, &rep);
	if (rc)
		goto done;
	gws_report_summary(&rep, stderr, 20);
	if (o.strict && rep.counts[GWS_NOT_CONVERTED])
		rc = GWS_EXIT_FINDINGS;
done:
	gws_output_release(&out);
	gws_model_release(&m);
	gws_report_release(&rep);
	gws_inputs_release(&in);
	gws_mappings_release(&maps);
	free(o.classes);
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
		rc = usage_error("no mapping table named '%s'", argv[1]);
	}
	gws_mappings_release(&maps);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "no command given");
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
	return usage_error("unknown command '%s'", argv[1]);
}
