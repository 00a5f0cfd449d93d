/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Checks the CLI's machine-readable output, read from stdin:
 *   json_check lines N     exactly N lines, each one JSON object with ts, cpu,
 *                          tid (numbers), event (string), dir ("enter"|"exit"),
 *                          params (object); ts never decreasing
 *   json_check stats N     the "stats: {...}" line: valid JSON, delivered == N,
 *                          drops a number, buffers an array of objects with
 *                          records_read and kernel_events; no key "events"
 *   json_check engines     `scap engines --json`: every line has name, usable,
 *                          reason, auto; "synthetic" is listed and usable
 * Prints the first problem and exits 1, or exits 0.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_line(FILE *f)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int c;

	if (!buf)
		return NULL;
	while ((c = fgetc(f)) != EOF && c != '\n') {
		if (len + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		buf[len++] = (char)c;
	}
	if (c == EOF && len == 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int fail(unsigned long line, const char *what, const char *text)
{
	fprintf(stderr, "json_check: line %lu: %s: %.300s\n", line, what, text ? text : "");
	return 1;
}

static int check_lines(unsigned long want)
{
	unsigned long n = 0;
	double last_ts = -1;
	char *line;

	while ((line = read_line(stdin)) != NULL) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *ts, *dir;
		int bad = 0;

		n++;
		if (!cJSON_IsObject(o))
			bad = fail(n, "not a JSON object", line);
		else if (!cJSON_IsNumber(ts = cJSON_GetObjectItemCaseSensitive(o, "ts")) ||
			 !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "cpu")) ||
			 !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "tid")))
			bad = fail(n, "ts, cpu and tid must be numbers", line);
		else if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "event")) ||
			 !cJSON_GetObjectItemCaseSensitive(o, "event")->valuestring[0])
			bad = fail(n, "event must be a non-empty string", line);
		else if (!cJSON_IsString(dir = cJSON_GetObjectItemCaseSensitive(o, "dir")) ||
			 (strcmp(dir->valuestring, "enter") && strcmp(dir->valuestring, "exit")))
			bad = fail(n, "dir must be \"enter\" or \"exit\"", line);
		else if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(o, "params")))
			bad = fail(n, "params must be an object", line);
		else if (ts->valuedouble < last_ts)
			bad = fail(n, "ts went backwards", line);
		else
			last_ts = ts->valuedouble;
		cJSON_Delete(o);
		free(line);
		if (bad)
			return 1;
	}
	if (n != want) {
		fprintf(stderr, "json_check: %lu lines, expected %lu\n", n, want);
		return 1;
	}
	return 0;
}

/* Each buffer: records_read and kernel_events (numbers), no "events". */
static int check_buffers(const cJSON *bufs, unsigned long n, const char *line)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, bufs) {
		if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(b, "records_read")) ||
		    !cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(b, "kernel_events")))
			return fail(n, "a buffer needs records_read and kernel_events", line);
		if (cJSON_GetObjectItemCaseSensitive(b, "events"))
			return fail(n, "a buffer may not have a key called events", line);
	}
	return 0;
}

static int check_stats(unsigned long want)
{
	unsigned long n = 0, found = 0;
	char *line;
	int rc = 0;

	while ((line = read_line(stdin)) != NULL) {
		n++;
		if (strncmp(line, "stats: ", 7) == 0) {
			cJSON *o = cJSON_Parse(line + 7);
			const cJSON *ev = cJSON_GetObjectItemCaseSensitive(o, "delivered");

			found++;
			if (!cJSON_IsObject(o))
				rc = fail(n, "stats is not a JSON object", line);
			else if (!cJSON_IsNumber(ev) || ev->valuedouble != (double)want)
				rc = fail(n, "delivered is not the expected count", line);
			else if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(o, "drops")))
				rc = fail(n, "drops must be a number", line);
			else if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "buffers")))
				rc = fail(n, "buffers must be an array", line);
			else if (cJSON_GetObjectItemCaseSensitive(o, "events"))
				rc = fail(n, "no key may be called events: it meant two counts", line);
			else
				rc = check_buffers(cJSON_GetObjectItemCaseSensitive(o, "buffers"), n, line) ? 1 : rc;
			cJSON_Delete(o);
		}
		free(line);
	}
	if (found != 1) {
		fprintf(stderr, "json_check: %lu stats lines, expected 1\n", found);
		return 1;
	}
	return rc;
}

static int check_engines(void)
{
	unsigned long n = 0;
	int synthetic = 0, rc = 0;
	char *line;

	while ((line = read_line(stdin)) != NULL) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
		const cJSON *usable = cJSON_GetObjectItemCaseSensitive(o, "usable");

		n++;
		if (!cJSON_IsString(name) || !cJSON_IsBool(usable) ||
		    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "reason")) ||
		    !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "auto")))
			rc = fail(n, "need name (string), usable (bool), reason (string), auto (bool)", line);
		else if (!strcmp(name->valuestring, "synthetic"))
			synthetic = cJSON_IsTrue(usable) ? 1 : -1;
		cJSON_Delete(o);
		free(line);
	}
	if (synthetic != 1) {
		fprintf(stderr, "json_check: synthetic %s\n", synthetic ? "is not usable" : "is not listed");
		return 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long n = 0;

	if (argc == 3) {
		n = strtoul(argv[2], &end, 10);
		if (*end)
			argc = 0;
	}
	if (argc == 3 && !strcmp(argv[1], "lines"))
		return check_lines(n);
	if (argc == 3 && !strcmp(argv[1], "stats"))
		return check_stats(n);
	if (argc == 2 && !strcmp(argv[1], "engines"))
		return check_engines();
	fprintf(stderr, "usage: json_check lines N | stats N | engines  < input\n");
	return 2;
}
