/* diff.h - the 'diff' command */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_DIFF_H
#define GWS_DIFF_H

/*
 * gws_cmd_diff() - run 'gwshift diff' with @argc/@argv (argv[0] is "diff").
 * Returns: the process exit code.
 */
int gws_cmd_diff(int argc, char **argv);

#endif
