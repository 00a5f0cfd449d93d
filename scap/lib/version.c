// SPDX-License-Identifier: Apache-2.0
/* scap_version: the version of the library that is running (include/scap/scap.h). */
#include "scap/scap.h"

#define SCAP__STR(x) #x
#define SCAP__XSTR(x) SCAP__STR(x)

const char *scap_version(unsigned *major, unsigned *minor, unsigned *patch)
{
	if (major)
		*major = SCAP_VERSION_MAJOR;
	if (minor)
		*minor = SCAP_VERSION_MINOR;
	if (patch)
		*patch = SCAP_VERSION_PATCH;
	return SCAP__XSTR(SCAP_VERSION_MAJOR) "." SCAP__XSTR(SCAP_VERSION_MINOR) "." SCAP__XSTR(SCAP_VERSION_PATCH);
}
