/* The raw Cookie header, as the front line checks it before the CGI kit
 * parses it (the kit keeps only the last of two cookies of one name). */
#ifndef PORTAL_COOKIE_HEADER_H
#define PORTAL_COOKIE_HEADER_H

/* 1 when the cookie called name (compared after %XX decoding, as the kit
 * decodes names) appears more than once in header, 0 otherwise. */
int cookie_repeated(const char *header, const char *name);

#endif
