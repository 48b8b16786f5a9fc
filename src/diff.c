/* diff.c - the 'diff' command */
/* SPDX-License-Identifier: MIT */
#include "gwshift/cli.h"
#include "gwshift/diff.h"
#include "banned.h"

int gws_cmd_diff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return gws_usage_error("%s", "'diff' is not implemented yet");
}
