/* internal.h - shared by the migrate command: repos, files, documents */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MIGRATE_INTERNAL_H
#define GWS_MIGRATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "gwshift/cli.h"
#include "gwshift/map.h"
#include "gwshift/util.h"

struct fy_document;
struct fy_node;
struct fy_parser;

#define MIG_GATEWAY_DIR "gateway"
#define MIG_CANARY "nginx.ingress.kubernetes.io/canary"

/* struct mig_opts - the command line of migrate */
struct mig_opts {
	struct gws_cli cli;
	const char *gateway_dir;	/* --gateway-dir, relative to a repo */
	bool dry_run;
	unsigned jobs;
	char **include_dirs;		/* --include-dir: borrowed argv strings */
	size_t ninclude;
};

/* enum mig_action - what becomes of one Ingress document */
enum mig_action {
	MIG_KEEP,	/* class not selected, or its file is left as it is */
	MIG_REPLACE,	/* replaced by the documents generated from it */
	MIG_REMOVE,	/* folded into another Ingress's objects */
	MIG_FAIL,	/* gave no objects: its file is left as it is */
};

/* struct mig_doc - one Ingress document of a file and its byte ranges */
struct mig_doc {
	size_t cstart, cend;	/* content lines: what new documents replace */
	size_t rstart, rend;	/* with its '---' and '...' lines: removal */
	bool inline_start;	/* the content starts on the '---' line */
	size_t index;		/* its place in the YAML stream */
	struct gws_pos pos;
	char *id;		/* "ns/name", as the model names it */
	bool has_ns;		/* metadata.namespace is written */
	bool added;		/* the model took it */
	bool folded;		/* named by another Ingress's objects */
	bool orphan;		/* a canary no route of the repo took in */
	enum mig_action action;
	struct gws_object **objs;	/* borrowed from the repo's output */
	size_t nobjs, cap;
};

/* enum mig_note_kind - a finding the scan leaves for the loader to file */
enum mig_note_kind {
	MIG_NOTE_HELM,		/* an Ingress in a Helm template */
	MIG_NOTE_PATCH,		/* an Ingress in a kustomize patch file */
	MIG_NOTE_LIST,		/* an Ingress inside a kind: List document */
	MIG_NOTE_KPATCH,	/* a kustomization patch that targets Ingresses */
};

struct mig_note {
	enum mig_note_kind kind;
	struct gws_pos pos;
	char *name;		/* the Ingress, when known */
};

/* struct mig_entry - one item of a kustomization's resources */
struct mig_entry {
	char *path;		/* resolved against the repo root; NULL: outside */
	size_t start, end;	/* the scalar's bytes */
};

enum mig_res_style {
	MIG_RES_NONE,		/* no resources key */
	MIG_RES_BLOCK,
	MIG_RES_FLOW,
	MIG_RES_EMPTY,		/* 'resources:' with no value */
	MIG_RES_OTHER,		/* not a list of names: never edited */
};

/* struct mig_kust - a kustomization file: its resources and patches */
struct mig_kust {
	char *dir;		/* its folder relative to the repo root, "" top */
	enum mig_res_style style;
	size_t key_eol;		/* after the line of the 'resources' key */
	size_t flow_open;	/* after the '[' of a flow list */
	struct mig_entry *res;
	size_t nres;
	char **patches;		/* files named as patches, repo-relative */
	size_t npatches;
	char **add;		/* entries to add, as they will be written */
	size_t nadd;
	bool *drop;		/* per entry of res */
};

/* struct mig_span - bytes [a0,a1) of the old text became [b0,b1) */
struct mig_span {
	size_t a0, a1, b0, b1;
};

/* struct mig_held - a parsed document waiting for the model */
struct mig_held {
	struct fy_document *fyd;
	size_t doc;		/* its struct mig_doc, or SIZE_MAX */
};

/* struct mig_file - one file of a repo, as read and as it will be */
struct mig_file {
	char *path;		/* the PATH argument joined with rel */
	char *rel;		/* relative to the repo root, '/'-separated */
	struct gws_src src;	/* name: path; the bytes as read */
	mode_t mode;
	dev_t dev;
	ino_t ino;
	bool exists;		/* on disk before the run */
	bool walked;		/* found by the walk (not looked up) */
	bool helm;		/* in the templates/ folder of a chart */
	bool kustomization;
	bool patch;		/* named as a patch by a kustomization */
	bool failed;		/* input error: left as it is */
	bool map_failed;	/* an Ingress gave nothing: left as it is */
	bool dropped;		/* its Ingresses are out of the model */
	struct mig_doc *docs;	/* its Ingress documents, in file order */
	size_t ndocs, cap_docs;
	struct mig_note *notes;
	size_t nnotes, cap_notes;
	struct mig_kust *kust;
	struct fy_parser *fyp;	/* scan -> load: the parser of held */
	struct mig_held *held;
	size_t nheld, cap_held;
	char *diag;		/* diagnostics captured while scanning */
	size_t diaglen;
	bool changed;		/* new content in out, or removed */
	bool committed;		/* written, or its diff made */
	bool removed;
	char *out;
	size_t outlen;
	struct mig_span *spans;	/* where out differs from src.data */
	size_t nspans;
	char *report;		/* the diff (--dry-run) or messages */
	size_t reportlen;
	bool io_failed;
};

/* struct mig_repo - one PATH argument: its files, model and output */
struct mig_repo {
	char *root;		/* the folder: PATH, or a file PATH's folder */
	char *prefix;		/* root + "/", or "" for "." */
	struct mig_file **files;	/* sorted by rel */
	size_t n, cap;
	struct gws_model m;
	struct gws_report rep;
	struct gws_output out;
	int rc;
};

/* struct mig_run - a migrate run over every PATH */
struct mig_run {
	const struct mig_opts *o;
	struct gws_mapping_set maps;
	struct gws_report rep;
	struct mig_repo **repos;
	size_t nrepos;
	size_t scanned, edited, created, deleted, migrated, left;
	int rc;
};

/* mig_worst() - the exit code that wins: I/O over input over findings */
int mig_worst(int a, int b);

/* walk.c */
/*
 * mig_walk() - the files of PATH @path into @r (sorted by rel), set its
 * root. Returns: GWS_EXIT_OK, or GWS_EXIT_IO if a folder or PATH itself
 * could not be read (diagnosed; the rest is walked).
 */
int mig_walk(struct mig_repo *r, const char *path, const struct mig_opts *o);
/* mig_file_find() - the file at @rel, or NULL */
struct mig_file *mig_file_find(const struct mig_repo *r, const char *rel);
/*
 * mig_file_get() - the file at @rel: walked, else read now if it is a
 * regular file, else (@create) a new entry with exists false. NULL when it
 * is missing and not @create, or, with *@err set (diagnosed), when @rel or
 * a folder on the way is a symbolic link, not a regular file or unreadable.
 */
struct mig_file *mig_file_get(struct mig_repo *r, const char *rel,
			      bool create, bool *err);
void mig_file_destroy(struct mig_file *f);
void mig_repo_destroy(struct mig_repo *r);
/*
 * mig_path_join() - @rel resolved in folder @dir (both repo-relative),
 * "." and ".." parts folded. Returns: a new string, or NULL when it leaves
 * the repo or is absolute.
 */
char *mig_path_join(const char *dir, const char *rel);
/* mig_dir_of() - the folder part of @rel ("" for the top); new string */
char *mig_dir_of(const char *rel);

/* scan.c */
/* mig_read() - read @f's bytes and mode; Returns: 0, or -1 (diagnosed) */
int mig_read(struct mig_file *f);
/* mig_add_note() - a finding for the loader to file (@name: "ns/name") */
void mig_add_note(struct mig_file *f, enum mig_note_kind kind,
		  struct gws_pos pos, const char *name);
/* mig_node_pos() - where node @n of @f starts (its first scalar) */
struct gws_pos mig_node_pos(const struct mig_file *f, struct fy_node *n);
/* mig_list_kind() - "List", or "IngressList" and the like, as kubectl */
bool mig_list_kind(const char *kind);
/* mig_scan() - read and parse @f (a worker's part): mig_scan_text() */
void mig_scan(struct mig_file *f);
/*
 * mig_scan_text() - parse the bytes in @f->src (NUL-terminated): a
 * kustomization, a Helm template's notes, or the documents (held for
 * mig_load()), their ranges and notes; f->failed on an input error
 */
void mig_scan_text(struct mig_file *f);
/*
 * mig_scan_ranges() - the byte ranges of the Ingress documents of @f
 * (docs[].index set) from the parser's marks. Returns: 0, or -1 (diagnosed)
 */
int mig_scan_ranges(struct mig_file *f);

/* load.c */
struct mig_loader;
struct mig_loader *mig_loader_create(struct mig_repo *r);
/* mig_load() - hand what mig_scan() held to the repo's model, in order */
void mig_load(struct mig_loader *ld, struct mig_file *f);
/* mig_file_notes() - file the notes of @f as findings in @rep */
void mig_file_notes(struct gws_report *rep, const struct mig_file *f);
/* mig_loader_finish() - duplicates, then the model sorted; frees @ld */
void mig_loader_finish(struct mig_loader *ld);
/* mig_file_release_held() - destroy the documents and parser of @f */
void mig_file_release_held(struct mig_file *f);

/* plan.c */
/*
 * mig_plan() - map the model of @r with @maps and @opts, give each
 * generated object to an Ingress document and decide each document.
 * Returns: 0, or -1 when mapping failed (diagnosed; every file failed).
 */
int mig_plan(struct mig_repo *r, const struct gws_mapping_set *maps,
	     const struct gws_map_opts *opts);
/* mig_drop_findings() - remove the findings about Ingresses of @f */
void mig_drop_findings(struct gws_report *rep, const struct mig_file *f,
		       bool keep_failed);
/* mig_model_drop() - take the Ingresses of @f's documents out of @m */
void mig_model_drop(struct gws_model *m, const struct mig_file *f);
/* mig_report_move() - move every finding and count of @src into @dst */
void mig_report_move(struct gws_report *dst, struct gws_report *src);

/* build.c */
/* mig_edits() - @f has a document to replace or remove, and did not fail */
bool mig_edits(const struct mig_file *f);
/* mig_build() - the new content of an Ingress file (a worker's part) */
void mig_build(struct mig_file *f);
/* mig_gateway_files() - the platform objects as files in --gateway-dir */
int mig_gateway_files(struct mig_repo *r, const struct mig_opts *o);
/* mig_commit() - print the diff of @f (--dry-run) or write it */
void mig_commit(struct mig_file *f, bool dry_run);

/* kustomize.c */
/* mig_kust_parse() - read @f as a kustomization (a worker's part) */
void mig_kust_parse(struct mig_file *f);
void mig_kust_destroy(struct mig_kust *k);
/*
 * mig_kust_update() - remove the entries of removed files and add
 * --gateway-dir where it belongs; edited kustomizations get new content.
 */
/*
 * mig_drop_platform() - no gateway folder is written: the findings about
 * the platform objects (the Gateway, its Namespace) go, and they leave
 * the count of objects made
 */
void mig_drop_platform(struct mig_repo *r);

int mig_kust_update(struct mig_repo *r, const struct mig_opts *o,
		    const char *const *gw_files, size_t ngw);

/* rewrite.c */
/**
 * mig_rewrite_text() - migrate the manifest @data as 'gwshift migrate FILE'
 * does with the repo of that one file, all in memory and on the calling
 * thread: scan, load, map, new bytes. Nothing is read or written: no
 * gateway folder, no kustomization; mig_commit(f, true) makes the diff.
 * @maps: the mapping tables
 * @opts: the conversion options (what cli.map holds for the command)
 * @name: the file's name in diagnostics and in the repo (not a
 *        kustomization's)
 * @data: its bytes, copied (they need not end with a NUL)
 * @len: how many
 *
 * Diagnostics go where gws_diag() sends them.
 * Returns: the repo, freed by the caller with mig_repo_destroy(). Its one
 * file is files[0]; when changed, out and outlen are the new bytes (only
 * white space when removed) and spans say where they differ from
 * src.data. rc is GWS_EXIT_OK, or GWS_EXIT_INPUT when the file is left as
 * it is (diagnosed).
 */
struct mig_repo *mig_rewrite_text(const struct gws_mapping_set *maps,
				  const struct gws_map_opts *opts,
				  const char *name, const char *data,
				  size_t len);
/*
 * mig_rewrite_texts() - as mig_rewrite_text(), with @other (a NUL-ended
 * manifest named @other_name, or NULL) in the repo too: read, mapped and
 * decided on, never rebuilt (files[1]). A canary and its primary in two
 * files, for one.
 */
struct mig_repo *mig_rewrite_texts(const struct gws_mapping_set *maps,
				   const struct gws_map_opts *opts,
				   const char *name, const char *data,
				   size_t len, const char *other_name,
				   const char *other);

/* udiff.c */
/* struct mig_lines - the lines of a text: line i is [off[i], off[i+1]) */
struct mig_lines {
	const char *data;
	size_t *off;
	uint64_t *hash;
	size_t n;
};

void mig_lines_init(struct mig_lines *l, const char *data, size_t len);
void mig_lines_release(struct mig_lines *l);
/*
 * mig_lcs() - a shortest edit script from lines [a0,a1) of @a to [b0,b1)
 * of @b: del[i] for each line of @a it removes, ins[j] for each line of
 * @b it adds (Myers' O(ND) algorithm, linear space).
 */
void mig_lcs(const struct mig_lines *a, size_t a0, size_t a1,
	     const struct mig_lines *b, size_t b0, size_t b1,
	     bool *del, bool *ins);

/*
 * mig_udiff() - append a git-style unified diff of @path from @a to @b
 * (3 lines of context). NULL @a: a new file; NULL @b: a removed one.
 * @spans (sorted, or NULL for "anywhere") says where the texts differ.
 */
void mig_udiff(struct gws_buf *out, const char *path, mode_t mode,
	       const char *a, size_t alen, const char *b, size_t blen,
	       const struct mig_span *spans, size_t nspans);

/* jobs.c */
/*
 * mig_parallel() - call @fn(@arg, i) for i in [0, @n) on @jobs threads;
 * @what names the work in the progress line (NULL: no progress).
 */
void mig_parallel(size_t n, unsigned jobs, void (*fn)(void *, size_t),
		  void *arg, const char *what);
/*
 * mig_pipeline() - @produce(@arg, i) for every i on @jobs threads, and
 * @consume(@arg, i) on the calling thread in order 0, 1, ..., each after
 * its @produce; at most a window of items is produced ahead.
 */
void mig_pipeline(size_t n, unsigned jobs, void (*produce)(void *, size_t),
		  void (*consume)(void *, size_t), void *arg,
		  const char *what);
/* struct mig_capture - a thread's diagnostics going to a buffer */
struct mig_capture {
	FILE *fp;
	FILE *prev;
	char *buf;
	size_t len;
};

void mig_capture_begin(struct mig_capture *c);
/*
 * mig_capture_end() - back to the previous stream; what was said is added
 * to *@buf (NULL: nothing yet), which the caller frees
 */
void mig_capture_end(struct mig_capture *c, char **buf, size_t *len);
/* mig_print_captured() - print *@buf to stderr and free it */
void mig_print_captured(char **buf, size_t *len);
/* mig_progress_clear() - end the progress line on a terminal */
void mig_progress_clear(void);

#endif
