/* report.h - findings: what became of every input field */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_REPORT_H
#define GWS_REPORT_H

#include <stdio.h>
#include "gwshift/diag.h"
#include "gwshift/pool.h"
#include "gwshift/util.h"

/* enum gws_state - the end state of one input field (design.md, Findings) */
enum gws_state {
	GWS_CONVERTED,
	GWS_APPROXIMATED,
	GWS_TARGET_SPECIFIC,
	GWS_NOT_CONVERTED,
	GWS_IGNORED,
	GWS_STATE_COUNT,
};

enum gws_severity {
	GWS_SEV_INFO,
	GWS_SEV_WARNING,
	GWS_SEV_ERROR,
};

/* struct gws_finding - one record of the report; owns its strings */
struct gws_finding {
	enum gws_state state;
	enum gws_severity severity;
	const char *message;	/* the strings are the report's (rep->pool) */
	struct gws_pos pos;
	const char *ns;
	const char *name;
	const char *kind;	/* kind of the source object, e.g. "Ingress" */
	const char *field;	/* field path or "metadata.annotations['key']" */
};

enum gws_report_format {
	GWS_REPORT_TEXT,
	GWS_REPORT_MARKDOWN,
	GWS_REPORT_JSON,
};

/* struct gws_report - every finding of a run, plus counters */
struct gws_report {
	struct gws_pool pool;	/* the findings' strings, each kept once */
	struct gws_finding *items;
	size_t n;
	size_t cap;
	size_t counts[GWS_STATE_COUNT];
	size_t objects_in;	/* input objects read */
	size_t ingresses;	/* Ingresses converted (selected classes) */
	size_t objects_out;	/* output objects generated */
	char **other_kinds;	/* "Kind" of each object kind ignored, with count */
	size_t *other_counts;
	size_t nother;
};

void gws_report_init(struct gws_report *rep);
void gws_report_release(struct gws_report *rep);

/*
 * gws_report_push() - add a copy of @f, whose strings may belong to another
 * report: @rep keeps its own.
 */
void gws_report_push(struct gws_report *rep, const struct gws_finding *f);

/*
 * gws_report_add() - record a finding about field @field of object
 * @ns/@name (of kind @kind) at @pos. Strings are copied. The severity
 * follows from the state (not-converted: warning, approximated: warning,
 * others: info).
 */
void gws_report_add(struct gws_report *rep, enum gws_state state,
		    const struct gws_pos *pos, const char *kind,
		    const char *ns, const char *name, const char *field,
		    const char *fmt, ...) GWS_PRINTF(8, 9);

/* gws_report_count_kind() - count an input object of a kind we do not use */
/*
 * gws_report_take() - add @from's findings (copied, see gws_report_push())
 * and its counts of objects read to @rep
 */
void gws_report_take(struct gws_report *rep, const struct gws_report *from);

void gws_report_count_kind(struct gws_report *rep, const char *kind);

/* gws_report_sort() - order findings by file, line, column, field */
void gws_report_sort(struct gws_report *rep);

const char *gws_state_name(enum gws_state state);

/*
 * gws_report_format_from_name() - "text", "markdown"/"md", "json";
 * Returns: 0, or -1 if unknown.
 */
int gws_report_format_from_name(const char *name, enum gws_report_format *fmt);
/* gws_report_format_from_path() - from the file extension, text by default */
enum gws_report_format gws_report_format_from_path(const char *path);

/*
 * gws_report_render() - append the full report in @fmt to @out.
 */
void gws_report_render(const struct gws_report *rep,
		       enum gws_report_format fmt, struct gws_buf *out);

struct cJSON;
/*
 * gws_report_json() - the report as a cJSON tree, in the shape that
 * --report-format json writes. The caller deletes it with cJSON_Delete().
 */
struct cJSON *gws_report_json(const struct gws_report *rep);

/*
 * gws_report_summary() - the short summary for stderr: counts, and the
 * not-converted and approximated findings (at most @max of them).
 */
void gws_report_summary(const struct gws_report *rep, FILE *fp, size_t max);

#endif
