/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping of untrusted bytes for text and JSON output, and socket addresses. */
#ifndef SCAP_TEXTENC_H
#define SCAP_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/*
 * Text: printable bytes as they are, backslash doubled, \n \r \t, other
 * control bytes as \xNN. Bytes >= 0x80 pass through for strings (paths are
 * usually UTF-8) and are escaped for byte buffers (bytes = true).
 */
void scap__text_escape(struct scap_sb *sb, const uint8_t *s, size_t n, bool bytes);

/*
 * A JSON string literal, quotes included. Valid UTF-8 passes through; control
 * bytes and bytes that are not part of valid UTF-8 become \u00XX, so the
 * output is always valid JSON whatever the input.
 */
void scap__json_string(struct scap_sb *sb, const uint8_t *s, size_t n);
/* The same without the quotes. */
void scap__json_body(struct scap_sb *sb, const uint8_t *s, size_t n);

/* "127.0.0.1:8080", "[::1]:8080", a unix path ("@name" when abstract). The
 * bytes were checked by the decoder. */
void scap__sockaddr_format(struct scap_sb *sb, const uint8_t *d, uint32_t len);

#endif
