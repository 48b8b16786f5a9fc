/* migrate.h - the 'migrate' command */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_MIGRATE_H
#define GWS_MIGRATE_H

/*
 * gws_cmd_migrate() - run 'gwshift migrate' with @argc/@argv (argv[0] is "migrate").
 * Returns: the process exit code.
 */
int gws_cmd_migrate(int argc, char **argv);

#endif
