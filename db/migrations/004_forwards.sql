-- Customer domains, mailboxes and their forwards, the audit log of every
-- change, login throttling, and the view Postfix reads (src/store_forwards.c,
-- src/store_throttle.c, conf/postfix/virtual_forwards.cf).

-- A mail domain hosted for one customer. Addresses are stored lower case.
CREATE TABLE domains (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
	name        TEXT NOT NULL UNIQUE,
	created     INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX domains_customer ON domains(customer_id);

-- A mailbox (an address of a domain). keep_copy = 1: while a forward is on,
-- the mailbox also keeps its own copy (the address maps to itself as well).
CREATE TABLE mailboxes (
	id        INTEGER PRIMARY KEY,
	domain_id INTEGER NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
	address   TEXT NOT NULL UNIQUE,
	keep_copy INTEGER NOT NULL DEFAULT 0 CHECK (keep_copy IN (0, 1)),
	created   INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX mailboxes_domain ON mailboxes(domain_id);

-- One destination of a mailbox's forward. Turning it off keeps the row (and
-- the mailbox with its local delivery); only active rows reach Postfix.
CREATE TABLE forwards (
	id          INTEGER PRIMARY KEY,
	mailbox_id  INTEGER NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
	destination TEXT NOT NULL,
	dest_domain TEXT GENERATED ALWAYS AS
		(CASE WHEN instr(destination, '@') > 0
		      THEN substr(destination, instr(destination, '@') + 1) ELSE '' END) VIRTUAL,
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created     INTEGER NOT NULL DEFAULT (unixepoch()),
	changed     INTEGER NOT NULL DEFAULT (unixepoch()),
	UNIQUE (mailbox_id, destination)
);
CREATE INDEX forwards_dest_domain ON forwards(dest_domain);

-- Who changed what, when, from which address. forward_id survives as NULL
-- when the forward is deleted; detail keeps the readable description.
CREATE TABLE forward_audit (
	id          INTEGER PRIMARY KEY,
	customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
	forward_id  INTEGER REFERENCES forwards(id) ON DELETE SET NULL,
	user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
	actor       TEXT NOT NULL,           -- login, or "portalctl" for the CLI
	action      TEXT NOT NULL CHECK (action IN ('on', 'off', 'import')),
	detail      TEXT NOT NULL,           -- "info@example.com -> someone@aol.com"
	client      TEXT NOT NULL,           -- client address, or "cli"
	at          INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE INDEX forward_audit_customer ON forward_audit(customer_id, at);
CREATE INDEX forward_audit_at ON forward_audit(at);

-- Failed logins per key ("acct:<login>", "addr:<client>") in a window.
CREATE TABLE login_throttle (
	key          TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	window_start INTEGER NOT NULL,
	locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- What Postfix's sqlite: lookup reads (conf/postfix/virtual_forwards.cf):
--   SELECT destination FROM postfix_virtual_forwards WHERE address='%s' AND active=1
-- Every forward is a row; a mailbox that keeps a copy also maps to itself,
-- active while any of its forwards is on. With every forward off nothing
-- matches, and Postfix delivers to the mailbox as if it had no forward.
CREATE VIEW postfix_virtual_forwards (address, destination, active) AS
	SELECT m.address, f.destination, f.active
	FROM forwards f JOIN mailboxes m ON m.id = f.mailbox_id
	UNION ALL
	SELECT m.address, m.address,
	       EXISTS (SELECT 1 FROM forwards f WHERE f.mailbox_id = m.id AND f.active = 1)
	FROM mailboxes m WHERE m.keep_copy = 1;
