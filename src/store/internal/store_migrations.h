/* Schema steps compiled into the binaries (build/gen/migrations.c). */
#ifndef PORTAL_STORE_MIGRATIONS_H
#define PORTAL_STORE_MIGRATIONS_H

struct store_migration {
	int version;       /* 1 = db/schema.sql, N = db/migrations/00N_*.sql */
	const char *name;
	const char *sql;
};

/* Ordered by version, ended by an entry with version 0. */
extern const struct store_migration store_migrations[];

#endif
