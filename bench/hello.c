/* The ceiling for any FastCGI program on this machine: a bare libfcgi loop
 * that answers the same bytes as the home page from memory (bench/web.sh).
 *   hello.fcgi FILE SOCKET WORKERS */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (f == NULL)
		return 1;
	static char page[1 << 20];
	size_t len = fread(page, 1, sizeof page, f);
	fclose(f);
	FCGX_Init();
	umask(0);
	int sock = FCGX_OpenSocket(argv[2], 128);
	if (sock < 0)
		return 1;
	int workers = atoi(argv[3]);
	for (int i = 0; i < workers; i++) {
		if (fork() == 0) {
			FCGX_Request r;
			FCGX_InitRequest(&r, sock, 0);
			while (FCGX_Accept_r(&r) >= 0) {
				FCGX_FPrintF(r.out, "Status: 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
						    "Content-Length: %lu\r\n\r\n", (unsigned long)len);
				FCGX_PutStr(page, (int)len, r.out);
				FCGX_Finish_r(&r);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
