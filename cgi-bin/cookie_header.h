/* The raw Cookie header, as the front line checks it before the CGI kit
 * parses it (the kit keeps only the last of two cookies of one name). */
#ifndef PORTAL_COOKIE_HEADER_H
#define PORTAL_COOKIE_HEADER_H

/* 1 when the cookie called name, with a value, appears more than once in
 * header (read as the kit reads it), 0 otherwise. */
int cookie_repeated(const char *header, const char *name);

#endif
