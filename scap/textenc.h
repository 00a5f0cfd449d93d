/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping of untrusted bytes for scap_param_format's text, and socket addresses
 * (JSON and the event line: fmt_escape.c). */
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

/* "127.0.0.1:8080", "[::1]:8080", a unix address's sun_path bytes (an
 * abstract name starts with \x00). The bytes were checked by the decoder. */
void scap__sockaddr_format(struct scap_sb *sb, const uint8_t *d, uint32_t len);

#endif
