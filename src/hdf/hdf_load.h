/* The HDF loader toolkit: how every configuration and knowledge file is
 * read. Why one toolkit: five loaders used to carry their own copy, get
 * and range helpers, each with its own error wording, and each included
 * ClearSilver. Here a loader describes its fields in a table (kcgi's
 * validator table, applied to HDF), walks entries with hdfl_first() /
 * hdfl_next(), and every error reads the same way:
 *
 *     FILE: dotted.key: what is wrong
 *
 * Reading also refuses HDF links (`a : b`) and copies (`a := b`) before
 * ClearSilver follows them: a link cycle made ClearSilver recurse until
 * the stack ran out, in every binary. No loader needs either feature.
 *
 * Only src/hdf/ sees ClearSilver; struct hdfl_node is a small value that
 * carries the node's dotted path, so errors can name it (ClearSilver
 * nodes know no parent). */
#ifndef PORTAL_HDF_LOAD_H
#define PORTAL_HDF_LOAD_H

#include <stddef.h>

#include "core/err.h"

#define HDFL_PATH_MAX 192     /* dotted path kept for messages; longer is cut */
#define HDFL_DEPTH_MAX 32     /* nesting ({ } plus dots) a file may use */

struct hdfl_doc;              /* a parsed file: tree, name, error buffer */

/* A node of a document. obj is ClearSilver's; only src/hdf/ looks at it. */
struct hdfl_node {
	void *obj;
	const struct hdfl_doc *doc;
	char path[HDFL_PATH_MAX];     /* "dnsbl.spamhaus_zen"; "" for the root */
};

/* Parses the file at path into *out. Errors go to err (kept by the doc
 * for later hdfl_fail() calls, so it must outlive it). Returns
 * PERR_NOT_FOUND when the file cannot be opened, PERR_CONFIG when it does
 * not parse or uses a link or copy (the message names file and line),
 * PERR_NOMEM. Free *out with hdfl_close(). */
enum perr hdfl_open_file(struct hdfl_doc **out, const char *path, char *err, size_t errlen);

/* The same from text in memory; name stands for the file in messages
 * ("<string>" when NULL). #include is refused in text. */
enum perr hdfl_open_text(struct hdfl_doc **out, const char *text, const char *name,
			 char *err, size_t errlen);

/* Frees d (NULL is fine). */
void hdfl_close(struct hdfl_doc *d);

/* The document's top node. */
struct hdfl_node hdfl_root(const struct hdfl_doc *d);

/* The node at dotted key below parent; 1 when found (then *out is set). */
int hdfl_get(const struct hdfl_node *parent, const char *key, struct hdfl_node *out);

/* First child of parent into *child; 1 when there is one. */
int hdfl_first(const struct hdfl_node *parent, struct hdfl_node *child);

/* Moves *n to its next sibling; 1 when there is one. */
int hdfl_next(struct hdfl_node *n);

/* Number of children of parent. */
size_t hdfl_count(const struct hdfl_node *parent);

/* The node's own name ("spamhaus_zen"), never NULL. */
const char *hdfl_name(const struct hdfl_node *n);

/* The value at dotted key below n (NULL key = n's own value); NULL when
 * absent. The document owns the string. */
const char *hdfl_value(const struct hdfl_node *n, const char *key);

/* ClearSilver's integer reading (hdf_get_int_value): def when absent or
 * not a number. For the few keys whose lax reading is a contract. */
int hdfl_int(const struct hdfl_node *n, const char *key, int def);

/* Writes "FILE: PATH.key: message" into the document's error buffer
 * (key may be NULL: the node itself). Returns PERR_CONFIG. */
enum perr hdfl_fail(const struct hdfl_node *n, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a problem of the whole document (no key). */
enum perr hdfl_fail_doc(const struct hdfl_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Field types of a table. Absent (and, except for TEXT, empty) values
 * leave the destination alone: callers set defaults first. */
enum hdfl_type {
	HDFL_TEXT,     /* char[size]: copied; longer than size-1 is an error */
	HDFL_UINT,     /* unsigned: decimal within [lo, hi] */
	HDFL_SIZE,     /* size_t: decimal within [lo, hi] */
	HDFL_BOOL,     /* int: "0" or "1" */
	HDFL_ENUM,     /* int: index of the value in names[0..hi] */
	HDFL_LIST,     /* items separated by commas (and blanks), each given to
			  item() with the whole struct, which keeps its own count */
	HDFL_TYPE__MAX
};

#define HDFL_REQUIRED 1u   /* absent or empty is an error */
#define HDFL_CASELESS 2u   /* HDFL_ENUM: names compare without case */

struct hdfl_field {
	const char *key;               /* dotted, below the node */
	enum hdfl_type type;
	size_t offset;                 /* of the destination in the struct */
	size_t size;                   /* HDFL_TEXT: buffer size */
	unsigned long lo, hi;          /* UINT/SIZE range; ENUM: first and last index */
	const char *const *names;      /* HDFL_ENUM */
	/* HDFL_LIST: takes one trimmed item into the struct at base; 0, or
	 * -1 when the item is bad or one too many */
	int (*item)(void *dst, const char *item);
	unsigned flags;
};

/* Table rows, for struct type S. */
#define HDFL_F_TEXT(S, k, m, fl) { k, HDFL_TEXT, offsetof(S, m), sizeof(((S *)0)->m), 0, 0, NULL, NULL, fl }
#define HDFL_F_UINT(S, k, m, l, h) { k, HDFL_UINT, offsetof(S, m), 0, l, h, NULL, NULL, 0 }
#define HDFL_F_SIZE(S, k, m, l, h) { k, HDFL_SIZE, offsetof(S, m), 0, l, h, NULL, NULL, 0 }
#define HDFL_F_BOOL(S, k, m) { k, HDFL_BOOL, offsetof(S, m), 0, 0, 1, NULL, NULL, 0 }
#define HDFL_F_ENUM(S, k, m, names, l, h, fl) { k, HDFL_ENUM, offsetof(S, m), 0, l, h, names, NULL, fl }
#define HDFL_F_LIST(k, fn, fl) { k, HDFL_LIST, 0, 0, 0, 0, NULL, fn, fl }

/* Applies fields[0..n) to the struct at base from node n. Stops at the
 * first bad value with hdfl_fail() (the message names the key). Returns
 * PERR_OK or PERR_CONFIG. */
enum perr hdfl_apply(const struct hdfl_node *node, const struct hdfl_field *fields, size_t n,
		     void *base);

/* Calls fn(ctx, item) for each item of a list value ("a, b c"; seps
 * gives the separators), trimmed of blanks, empty items skipped. Stops
 * at fn's non-zero and returns it; 0 when all were taken. */
int hdfl_split(const char *list, const char *seps, int (*fn)(void *ctx, const char *item),
	       void *ctx);

#endif
