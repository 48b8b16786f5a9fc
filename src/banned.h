/* banned.h - turn unsafe libc functions into compile errors */
/* SPDX-License-Identifier: MIT */
#ifndef GWS_BANNED_H
#define GWS_BANNED_H

/*
 * Include this header last in every .c file, after all system headers.
 * A call to a banned function expands to an undeclared identifier whose
 * name says what to use instead, so the build stops right at the call.
 * Prefer gws_buf_* and gws_xasprintf() for strings, strtok_r() or manual
 * scanning for tokens, gmtime_r() for time.
 */
#define GWS_BANNED(func) gws_banned_function_##func

#undef strcpy
#define strcpy(...) GWS_BANNED(strcpy_use_gws_buf)
#undef strcat
#define strcat(...) GWS_BANNED(strcat_use_gws_buf)
#undef strncpy
#define strncpy(...) GWS_BANNED(strncpy_use_memcpy_or_gws_xstrndup)
#undef sprintf
#define sprintf(...) GWS_BANNED(sprintf_use_snprintf_or_gws_xasprintf)
#undef vsprintf
#define vsprintf(...) GWS_BANNED(vsprintf_use_vsnprintf_or_gws_xvasprintf)
#undef strtok
#define strtok(...) GWS_BANNED(strtok_use_strtok_r)
#undef gmtime
#define gmtime(...) GWS_BANNED(gmtime_use_gmtime_r)

#endif
