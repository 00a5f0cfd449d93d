/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event schema as user space sees it: event codes (SCAP_EV_*), parameter
 * types (SCAP_PT_*), sources, flags and the event byte layout. These come from
 * drivers/common/, the one table the drivers are built from too; the build
 * copies them to <scap/common/> beside this header.
 */
#ifndef SCAP_SCAP_SCHEMA_H
#define SCAP_SCAP_SCHEMA_H

#include "scap/common/schema.h"

#endif
