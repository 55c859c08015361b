// The entry point of every test image: pulls some newlib code in, as real
// firmware does, so that library functions are decoded too.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
	char buf[64];
	memset(buf, 0, sizeof buf);
	snprintf(buf, sizeof buf, "%d %s", argc, argv ? argv[0] : "");
	return (int)strlen(buf) + atoi(buf);
}
