/* options.h - the convert choices a fuzz input's size picks */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_FUZZ_OPTIONS_H
#define GWS_FUZZ_OPTIONS_H

#include <stddef.h>
#include <string.h>

#include "gwshift/cli.h"
#include "gwshift/map.h"

/*
 * fuzz_pick_options() - the command-line choices follow from the low bits
 * of the input size, so one input always takes the same path and the
 * corpus covers them all: bit 0 --tls-listeners listenerset, 1 --channel
 * experimental, 2 --gateway-name, 3 --gateway-class, 4 --ingress-class
 */
static inline void fuzz_pick_options(size_t size, struct gws_map_opts *o)
{
	static char *const classes[] = { "nginx" };

	memset(o, 0, sizeof(*o));
	o->gateway_ns = GWS_DEFAULT_GATEWAY_NS;
	o->listenersets = size & 1;
	o->experimental = size & 2;
	o->gateway_name = size & 4 ? "edge" : NULL;
	o->gateway_class = size & 8 ? "cilium" : NULL;
	if (size & 16) {
		o->classes = classes;
		o->nclasses = 1;
	}
}

#endif
