/* udp-delay: a loopback UDP proxy that holds every DNS request for a fixed
 * time before forwarding it, so each answer arrives DELAY_MS later than it
 * would (tc netem is not available here). For bench/dnsbl.sh only.
 *
 *   udp-delay LISTEN_PORT UPSTREAM_PORT DELAY_MS
 *
 * Listens on 127.0.0.1:LISTEN_PORT, forwards to 127.0.0.1:UPSTREAM_PORT
 * through one fresh socket per request (so client query ids never clash)
 * and relays the reply at once. Requests with no reply are dropped after
 * 10 s. Runs until killed. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXPENDING 2048
#define PKT 4096
#define STALE_MS 10000

struct pending {
	int used;
	int fd;                      /* upstream socket, -1 until forwarded */
	struct sockaddr_in client;
	long long due, born;
	size_t len;
	unsigned char pkt[PKT];
};

static struct pending tab[MAXPENDING];

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(struct pending *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	p->used = 0;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: udp-delay LISTEN_PORT UPSTREAM_PORT DELAY_MS\n");
		return 2;
	}
	int lport = atoi(argv[1]), uport = atoi(argv[2]), delay = atoi(argv[3]);
	int ls = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in la = { .sin_family = AF_INET, .sin_port = htons((unsigned short)lport) };
	la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls < 0 || bind(ls, (struct sockaddr *)&la, sizeof la) != 0) {
		perror("udp-delay: bind");
		return 1;
	}
	struct sockaddr_in ua = la;
	ua.sin_port = htons((unsigned short)uport);
	static struct pollfd fds[MAXPENDING + 1];
	static int idx[MAXPENDING + 1];

	for (;;) {
		long long now = now_ms(), next = now + 1000;
		size_t n = 0;
		fds[n].fd = ls;
		fds[n].events = POLLIN;
		idx[n++] = -1;
		for (int i = 0; i < MAXPENDING; i++) {
			struct pending *p = &tab[i];
			if (!p->used)
				continue;
			if (p->fd < 0) {
				if (p->due <= now) {
					p->fd = socket(AF_INET, SOCK_DGRAM, 0);
					if (p->fd < 0 || sendto(p->fd, p->pkt, p->len, 0, (struct sockaddr *)&ua,
								sizeof ua) < 0) {
						drop(p);
						continue;
					}
				} else if (p->due < next) {
					next = p->due;
				}
			}
			if (p->fd >= 0) {
				if (now - p->born > STALE_MS) {
					drop(p);
					continue;
				}
				fds[n].fd = p->fd;
				fds[n].events = POLLIN;
				idx[n++] = i;
			}
		}
		int timeout = (int)(next > now ? next - now : 0);
		int r = poll(fds, n, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			perror("udp-delay: poll");
			return 1;
		}
		for (size_t k = 0; k < n && r > 0; k++) {
			if (!(fds[k].revents & POLLIN))
				continue;
			unsigned char buf[PKT];
			if (idx[k] < 0) {
				struct sockaddr_in from;
				socklen_t fl = sizeof from;
				ssize_t got = recvfrom(ls, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
				if (got <= 0)
					continue;
				int slot = -1;
				for (int i = 0; i < MAXPENDING && slot < 0; i++)
					if (!tab[i].used)
						slot = i;
				if (slot < 0)
					continue;   /* full: drop, like a congested link */
				struct pending *p = &tab[slot];
				p->used = 1;
				p->fd = -1;
				p->client = from;
				p->born = now_ms();
				p->due = p->born + delay;
				p->len = (size_t)got;
				memcpy(p->pkt, buf, (size_t)got);
			} else {
				struct pending *p = &tab[idx[k]];
				ssize_t got = recv(p->fd, buf, sizeof buf, 0);
				if (got > 0)
					sendto(ls, buf, (size_t)got, 0, (struct sockaddr *)&p->client, sizeof p->client);
				drop(p);
			}
		}
	}
}
