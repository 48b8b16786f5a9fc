/* migrate.c - the 'migrate' command */
/* SPDX-License-Identifier: MIT */
#include "gwshift/cli.h"
#include "gwshift/migrate.h"
#include "banned.h"

int gws_cmd_migrate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return gws_usage_error("%s", "'migrate' is not implemented yet");
}
