/* scan.c - read a file, parse it, find its Ingress documents and their bytes */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfyaml.h>

#include "gwshift/read.h"
#include "internal.h"
#include "banned.h"

#define MAX_FILE_BYTES ((size_t)1 << 30)
#define NONE SIZE_MAX

static int slurp(int fd, struct gws_buf *b)
{
	char chunk[65536];
	ssize_t got;

	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : 0;
		if (b->len + (size_t)got > MAX_FILE_BYTES) {
			errno = EFBIG;
			return -1;
		}
		gws_buf_add(b, chunk, (size_t)got);
	}
}

int mig_read(struct mig_file *f)
{
	struct gws_buf b;
	struct stat st;
	int fd, err = 0;

	gws_buf_init(&b);
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;
	else if (slurp(fd, &b) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	if (err) {
		gws_diag_plain("error", "cannot read '%s': %s", f->path,
			       strerror(err));
		gws_buf_release(&b);
		return -1;
	}
	free(f->src.data);
	f->src.data = gws_buf_detach(&b, &f->src.len);
	f->mode = st.st_mode;
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return 0;
}

/* line and column (1-based) of byte @off */
static struct gws_pos pos_at(const struct mig_file *f, size_t off)
{
	struct gws_pos pos = { &f->src, 1, 1 };
	size_t i;

	for (i = 0; i < off && i < f->src.len; i++) {
		if (f->src.data[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if (((unsigned char)f->src.data[i] & 0xc0) != 0x80) {
			pos.col++;
		}
	}
	return pos;
}

void mig_add_note(struct mig_file *f, enum mig_note_kind kind,
		  struct gws_pos pos, const char *name)
{
	struct mig_note *n;

	gws_grow((void **)&f->notes, &f->cap_notes, f->nnotes + 1,
		 sizeof(*f->notes));
	n = &f->notes[f->nnotes++];
	n->kind = kind;
	n->pos = pos;
	n->name = name ? gws_xstrdup(name) : NULL;
}

/* "kind: Ingress" at the start of a line, maybe indented or quoted */
static bool kind_ingress_at(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 5 || memcmp(p, "kind:", 5))
		return false;
	for (p += 5; p < end && (*p == ' ' || *p == '\t'); p++)
		;
	if (p < end && (*p == '"' || *p == '\''))
		p++;
	if (end - p < 7 || memcmp(p, "Ingress", 7))
		return false;
	p += 7;
	return p == end || (*p && strchr("\"' \t\r\n#", *p));
}

/* a Helm template is not YAML: find its Ingresses as text */
static void helm_notes(struct mig_file *f)
{
	const char *p = f->src.data, *end = p + f->src.len, *nl;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (kind_ingress_at(p, nl))
			mig_add_note(f, MIG_NOTE_HELM,
				 pos_at(f, (size_t)(p - f->src.data)), NULL);
		p = nl + 1;
	}
}

/* where a node starts: its token, or its first key or item */
struct gws_pos mig_node_pos(const struct mig_file *f, struct fy_node *n)
{
	return gws_node_pos(&f->src, n);
}

bool mig_list_kind(const char *kind)
{
	size_t n = kind ? strlen(kind) : 0;

	return n >= 4 && !strcmp(kind + n - 4, "List");
}

/* the string of plain key @key of mapping @map, or NULL */
static const char *str_at(struct fy_node *map, const char *key)
{
	if (!map || !fy_node_is_mapping(map))
		return NULL;
	return fy_node_mapping_lookup_scalar0_by_simple_key(map, key,
							    strlen(key));
}

static bool is_ingress(struct fy_node *root)
{
	const char *kind = str_at(root, "kind"), *av = str_at(root, "apiVersion");

	return kind && av && !strcmp(kind, "Ingress") &&
	       (!strcmp(av, "networking.k8s.io/v1") ||
		!strcmp(av, "networking.k8s.io/v1beta1") ||
		!strcmp(av, "extensions/v1beta1"));
}

/* "ns/name" of an Ingress as the model names it; NULL without a name */
static char *ingress_id(struct fy_node *root, bool *has_ns)
{
	struct fy_node *md = fy_node_mapping_lookup_by_string(root,
		"metadata", FY_NT);
	const char *name = str_at(md, "name"), *ns = str_at(md, "namespace");

	*has_ns = ns != NULL;
	if (!name)
		return NULL;
	return gws_xasprintf("%s/%s", ns ? ns : "default", name);
}

static void hold(struct mig_file *f, struct fy_document *fyd, size_t doc)
{
	gws_grow((void **)&f->held, &f->cap_held, f->nheld + 1,
		 sizeof(*f->held));
	f->held[f->nheld].fyd = fyd;
	f->held[f->nheld].doc = doc;
	f->nheld++;
}

static void add_ingress_doc(struct mig_file *f, struct fy_document *fyd,
			    struct fy_node *root, size_t index)
{
	struct mig_doc *d;

	gws_grow((void **)&f->docs, &f->cap_docs, f->ndocs + 1,
		 sizeof(*f->docs));
	d = &f->docs[f->ndocs];
	memset(d, 0, sizeof(*d));
	d->index = index;
	d->pos = mig_node_pos(f, root);
	d->id = ingress_id(root, &d->has_ns);
	d->cstart = d->cend = d->rstart = d->rend = NONE;
	hold(f, fyd, f->ndocs++);
}

/* the Ingresses in a kind: List are reported, never edited */
static void list_notes(struct mig_file *f, struct fy_node *root)
{
	struct fy_node *items = fy_node_mapping_lookup_by_string(root,
		"items", FY_NT), *item;
	void *iter = NULL;
	bool has_ns;
	char *id;

	if (!items || !fy_node_is_sequence(items))
		return;
	while ((item = fy_node_sequence_iterate(items, &iter)) != NULL) {
		if (!is_ingress(item))
			continue;
		id = ingress_id(item, &has_ns);
		mig_add_note(f, MIG_NOTE_LIST, mig_node_pos(f, item), id);
		free(id);
	}
}

/* sort one document: held for the model, noted, or dropped */
static void take_doc(struct mig_file *f, struct fy_parser *fyp,
		     struct fy_document *fyd, size_t index)
{
	struct fy_node *root = fy_document_root(fyd);
	const char *kind = str_at(root, "kind");
	bool has_ns;
	char *id;

	if (!kind || !str_at(root, "apiVersion")) {
		fy_parse_document_destroy(fyp, fyd);
		return;
	}
	if (gws_read_resolve(&f->src, fyd) < 0) {
		f->failed = true;	/* an alias bomb, or an alias to nothing */
		fy_parse_document_destroy(fyp, fyd);
		return;
	}
	root = fy_document_root(fyd);
	gws_node_fill_pos(root, 0, 0);	/* empty values have a place too */
	if (is_ingress(root) && f->patch) {
		id = ingress_id(root, &has_ns);
		mig_add_note(f, MIG_NOTE_PATCH, mig_node_pos(f, root), id);
		free(id);
		fy_parse_document_destroy(fyp, fyd);
	} else if (f->patch) {
		fy_parse_document_destroy(fyp, fyd);
	} else if (is_ingress(root)) {
		add_ingress_doc(f, fyd, root, index);
	} else {
		if (mig_list_kind(kind))
			list_notes(f, root);
		hold(f, fyd, SIZE_MAX);
	}
}

void mig_file_release_held(struct mig_file *f)
{
	size_t i;

	for (i = 0; i < f->nheld; i++)
		fy_parse_document_destroy(f->fyp, f->held[i].fyd);
	free(f->held);
	f->held = NULL;
	f->nheld = f->cap_held = 0;
	gws_read_parser_done(&f->src, f->fyp);
	f->fyp = NULL;
}

/* load every document; the parser stays open while documents are held */
static int load_docs(struct mig_file *f)
{
	struct fy_document *fyd;
	size_t index = 0;

	f->fyp = gws_read_parser(&f->src);
	if (!f->fyp)
		return -1;
	while ((fyd = fy_parse_load_document(f->fyp)) != NULL)
		take_doc(f, f->fyp, fyd, index++);
	if (fy_parser_get_stream_error(f->fyp) || f->failed) {
		mig_file_release_held(f);	/* prints the parse errors */
		return -1;
	}
	return 0;
}

/* ---- byte ranges of documents, from the parser's event marks ---- */

/*
 * does a line end at byte @i of @s (NUL-terminated)? At an LF, and at a CR
 * with no LF after it: YAML reads a lone CR as a line break too, and YAML
 * 1.1 (@y11, a '%YAML 1.1' document) NEL, LS and PS as well
 */
static bool line_break_at(const char *s, size_t i, bool y11)
{
	const unsigned char *u = (const unsigned char *)s;

	if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n'))
		return true;
	return y11 && ((u[i] == 0x85 && i >= 1 && u[i - 1] == 0xc2) ||
		       ((u[i] == 0xa8 || u[i] == 0xa9) && i >= 2 &&
			u[i - 1] == 0x80 && u[i - 2] == 0xe2));
}

/* the start of the line holding @p; a byte-order mark is not part of it */
static size_t line_start(const char *s, size_t p, bool y11)
{
	while (p > 0 && !line_break_at(s, p - 1, y11))
		p--;
	if (p == 0 && !strncmp(s, "\xef\xbb\xbf", 3))
		p = 3;
	return p;
}

/* the end of the line of the byte before @p, with its line break */
static size_t line_end(const char *s, size_t len, size_t p, bool y11)
{
	if (p == 0 || line_break_at(s, p - 1, y11))
		return p;
	while (p < len && !line_break_at(s, p, y11))
		p++;
	return p < len ? p + 1 : len;
}

/* the start of the line after the one holding @p */
static size_t next_line(const char *s, size_t len, size_t p, bool y11)
{
	while (p < len && !line_break_at(s, p, y11))
		p++;
	return p < len ? p + 1 : len;
}

/* the first line at or after line start @p with content, or @len */
static size_t skip_blank(const char *s, size_t len, size_t p, bool y11)
{
	size_t t;

	while (p < len) {
		for (t = p; t < len && (s[t] == ' ' || s[t] == '\t'); t++)
			;
		if (t < len && !line_break_at(s, t, y11) && s[t] != '#')
			break;
		p = next_line(s, len, p, y11);
	}
	return p;
}

/* is there a marker @m ("---" or "...") at line start @q? */
static bool marker_at(const char *s, size_t len, size_t q, const char *m)
{
	return len - q >= 3 && !memcmp(s + q, m, 3) &&
	       (q + 3 == len || strchr(" \t\r\n", s[q + 3]));
}

/*
 * the document end marker ('...' at the start of a line) that follows line
 * start @p after blank and comment lines: Returns the end of its line, or
 * @p when the next line with content is something else
 */
static size_t doc_end_marker(const char *s, size_t len, size_t p,
			     bool y11)
{
	size_t q = skip_blank(s, len, p, y11);

	if (q < len && marker_at(s, len, q, "..."))
		return next_line(s, len, q, y11);
	return p;
}

/*
 * the directives ('%YAML', '%TAG') above the '---' line that starts at @p
 * (or the content, which libfyaml lets go without it), after blank and
 * comment lines: they belong to that document, and one left with no
 * document after it is an error. Returns the start of the first, or @p
 * when the lines above are not directives after a '...' line or the start
 * of the stream
 */
static size_t directives_start(const char *s, size_t p, bool y11)
{
	size_t top = strncmp(s, "\xef\xbb\xbf", 3) ? 0 : 3, q = p, ls, t;
	size_t first = p;

	for (; q > top; q = ls) {
		ls = line_start(s, q - 1, y11);
		for (t = ls; s[t] == ' ' || s[t] == '\t'; t++)
			;
		if (s[ls] == '%')
			first = ls;
		else if (!strncmp(s + ls, "...", 3) &&
			 (line_break_at(s, ls + 3, y11) || !s[ls + 3] ||
			  s[ls + 3] == ' ' || s[ls + 3] == '\t'))
			break;
		else if (t < q && !line_break_at(s, t, y11) && s[t] != '#')
			return p;
	}
	return first;
}

/* struct marks - what the events say about one document */
struct marks {
	size_t start;		/* the '---', or NONE when implicit */
	size_t cstart;		/* the first byte of its content */
	size_t cend;		/* the end of its last token */
	size_t bound;		/* where its last block collection ends: at
				 * the next token, or NONE */
	bool y11;		/* YAML 1.1: NEL, LS and PS end lines */
};

/* is the last line with content before line start @p not a '...'? */
static bool content_before(const char *s, size_t p, bool y11)
{
	size_t top = strncmp(s, "\xef\xbb\xbf", 3) ? 0 : 3, ls, t;

	for (; p > top; p = ls) {
		ls = line_start(s, p - 1, y11);
		for (t = ls; s[t] == ' ' || s[t] == '\t'; t++)
			;
		if (t < p && !line_break_at(s, t, y11) && s[t] != '#')
			return !marker_at(s, p, ls, "...");
	}
	return false;
}

/*
 * a removed document that ends with '...' leaves what follows without a
 * marker: an implicit document after it keeps its '---' line (else the
 * '...'), and directives after it keep the '...' when a document comes
 * before. (An implicit removed document began the stream or followed a
 * '...', which is what follows it now.)
 */
static void keep_separator(const char *s, size_t len, struct mig_doc *d,
			   const struct marks *mk)
{
	bool y11 = mk->y11;
	size_t q;

	if (d->rend == d->cend)
		return;
	q = skip_blank(s, len, d->rend, y11);
	if (q == len || marker_at(s, len, q, "---"))
		return;
	if (s[q] == '%') {
		if (content_before(s, d->rstart, y11))
			d->rend = line_start(s, d->rend - 1, y11);
	} else if (mk->start != NONE && !d->inline_start) {
		d->rstart = next_line(s, len, line_start(s, mk->start, y11),
				      y11);
	} else if (mk->start != NONE) {
		d->rend = line_start(s, d->rend - 1, y11);
	}
}

/*
 * the end of the content from @p on, before @bound: an empty key or value
 * or item has no event marks, but its ':', '?' or '-' is there (': ' alone
 * on the last line of a mapping). Blanks, line breaks and comments are not
 * content. Returns: the end of the last such byte, or @p
 */
static size_t content_end(const char *s, size_t p, size_t bound, bool y11)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t end = p;

	while (p < bound) {
		if (y11 && u[p] == 0xc2 && u[p + 1] == 0x85) {
			p += 2;
		} else if (y11 && u[p] == 0xe2 && u[p + 1] == 0x80 &&
			   (u[p + 2] == 0xa8 || u[p + 2] == 0xa9)) {
			p += 3;
		} else if (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' ||
			   s[p] == '\n') {
			p++;
		} else if (s[p] == '#' && (p == 0 || s[p - 1] == ' ' ||
					   s[p - 1] == '\t' ||
					   line_break_at(s, p - 1, y11))) {
			while (p < bound && !line_break_at(s, p, y11))
				p++;
			p++;	/* the (last byte of the) line break */
		} else {
			end = ++p;
		}
	}
	return end;
}

static void set_ranges(struct mig_file *f, struct mig_doc *d,
		       const struct marks *mk)
{
	const char *s = f->src.data;
	bool y11 = mk->y11;
	size_t len = f->src.len, ls = line_start(s, mk->cstart, y11);
	size_t cend = mk->bound == NONE || mk->bound > len ? mk->cend :
		      content_end(s, mk->cend, mk->bound, y11);

	d->inline_start = mk->start != NONE && ls <= mk->start;
	d->cstart = d->inline_start ? mk->cstart : ls;
	d->cend = line_end(s, len, cend, y11);
	d->rstart = directives_start(s, mk->start != NONE ?
				     line_start(s, mk->start, y11) : d->cstart,
				     y11);
	d->rend = doc_end_marker(s, len, d->cend, y11);
	keep_separator(s, len, d, mk);
}

/*
 * where the node of @fye starts: at its anchor or tag ('--- !tag' or
 * '&a' above a mapping), which the event's own mark leaves out (and the
 * anchor's mark leaves out its '&')
 */
static size_t node_start(const struct mig_file *f, struct fy_event *fye,
			 const struct fy_mark *sm)
{
	struct fy_token *props[2] = { NULL, NULL };
	const struct fy_mark *pm;
	size_t start = sm->input_pos, i, p;

	if (fye->type == FYET_MAPPING_START) {
		props[0] = fye->mapping_start.anchor;
		props[1] = fye->mapping_start.tag;
	} else if (fye->type == FYET_SEQUENCE_START) {
		props[0] = fye->sequence_start.anchor;
		props[1] = fye->sequence_start.tag;
	} else if (fye->type == FYET_SCALAR) {
		props[0] = fye->scalar.anchor;
		props[1] = fye->scalar.tag;
	}
	for (i = 0; i < 2; i++) {
		pm = props[i] ? fy_token_start_mark(props[i]) : NULL;
		if (!pm)
			continue;
		p = pm->input_pos;
		if (i == 0 && p > 0 && p <= f->src.len &&
		    f->src.data[p - 1] == '&')
			p--;
		if (p < start)
			start = p;
	}
	return start;
}

/* note the content marks of one event of the current document */
static void mark_event(const struct mig_file *f, struct fy_event *fye,
		       struct marks *mk)
{
	const struct fy_mark *sm = fy_event_start_mark(fye);
	const struct fy_mark *em = fy_event_end_mark(fye);
	char c;

	if (!sm || !em)
		return;
	switch (fye->type) {
	case FYET_MAPPING_START:
	case FYET_SEQUENCE_START:
		if (mk->cstart == NONE)
			mk->cstart = node_start(f, fye, sm);
		break;
	case FYET_SCALAR:
	case FYET_ALIAS:
		if (mk->cstart == NONE)
			mk->cstart = node_start(f, fye, sm);
		if (mk->cend == NONE || em->input_pos > mk->cend)
			mk->cend = em->input_pos;
		break;
	case FYET_MAPPING_END:
	case FYET_SEQUENCE_END:
		/* a block collection ends at the next token: only flow ends */
		c = sm->input_pos < f->src.len ? f->src.data[sm->input_pos] : 0;
		if ((c == '}' || c == ']') &&
		    (mk->cend == NONE || em->input_pos > mk->cend))
			mk->cend = em->input_pos;
		else if (c != '}' && c != ']')
			mk->bound = sm->input_pos;
		break;
	default:
		break;
	}
}

static void doc_start(struct fy_event *fye, struct marks *mk)
{
	const struct fy_mark *sm = fy_event_start_mark(fye);
	struct fy_document_state *fyds = fye->document_start.document_state;
	const struct fy_version *v =
		fyds ? fy_document_state_version(fyds) : NULL;

	mk->start = !fye->document_start.implicit && sm ? sm->input_pos : NONE;
	mk->cstart = mk->cend = mk->bound = NONE;
	/*
	 * libfyaml's scanner keeps YAML 1.1's line breaks from a '%YAML 1.1'
	 * on, in the documents after it too, until another %YAML says
	 * otherwise (their own version says 1.2 all the same)
	 */
	if (fyds && fy_document_state_version_explicit(fyds))
		mk->y11 = v && v->major == 1 && v->minor == 1;
}

int mig_scan_ranges(struct mig_file *f)
{
	struct fy_parser *fyp = gws_read_parser(&f->src);
	struct fy_event *fye;
	struct marks mk = { NONE, NONE, NONE, NONE, false };
	size_t index = 0, k = 0;

	if (!fyp)
		return -1;
	while ((fye = fy_parser_parse(fyp)) != NULL) {
		if (fye->type == FYET_DOCUMENT_START) {
			doc_start(fye, &mk);
		} else if (fye->type == FYET_DOCUMENT_END) {
			if (k < f->ndocs && f->docs[k].index == index &&
			    mk.cstart != NONE && mk.cend != NONE)
				set_ranges(f, &f->docs[k++], &mk);
			index++;
		} else {
			mark_event(f, fye, &mk);
		}
		fy_parser_event_free(fyp, fye);
	}
	if (gws_read_parser_done(&f->src, fyp) || k != f->ndocs) {
		gws_diag_plain("error", "'%s': the documents could not be "
			       "located", f->path);
		return -1;
	}
	return 0;
}

/* "{{" anywhere: a Helm (or other Go) template, not YAML */
static bool has_template(const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	while (p < end && (p = memchr(p, '{', (size_t)(end - p))) != NULL) {
		if (p + 1 < end && p[1] == '{')
			return true;
		p++;
	}
	return false;
}

void mig_scan(struct mig_file *f)
{
	if (mig_read(f) < 0) {
		f->failed = f->io_failed = true;
		return;
	}
	mig_scan_text(f);
}

void mig_scan_text(struct mig_file *f)
{
	if (f->kustomization) {
		mig_kust_parse(f);
		return;
	}
	if (f->helm || has_template(f->src.data, f->src.len)) {
		f->helm = true;
		helm_notes(f);
		return;
	}
	if (gws_read_check_text(&f->src) < 0 || load_docs(f) < 0) {
		f->failed = true;
		return;
	}
	if (f->ndocs && mig_scan_ranges(f) < 0) {
		f->failed = true;
		mig_file_release_held(f);
	}
}
