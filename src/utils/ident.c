/* ident.c - names of users and groups for the fixed identity (ident.h). */
#include "ident.h"

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool u_user_name(uid_t uid, char *buf, size_t cap) {
    if (uid == U_IDENT_UID) return snprintf(buf, cap, "%s", U_IDENT_USER), true;
    struct passwd pw, *res = NULL;
    char tmp[1024];
    if (getpwuid_r(uid, &pw, tmp, sizeof tmp, &res) == 0 && res) return snprintf(buf, cap, "%s", pw.pw_name), true;
    if (uid == 0) return snprintf(buf, cap, "root"), true;
    snprintf(buf, cap, "%u", (unsigned)uid);
    return false;
}

bool u_group_name(gid_t gid, char *buf, size_t cap) {
    if (gid == U_IDENT_GID) return snprintf(buf, cap, "%s", U_IDENT_GROUP), true;
    struct group gr, *res = NULL;
    char tmp[1024];
    if (getgrgid_r(gid, &gr, tmp, sizeof tmp, &res) == 0 && res) return snprintf(buf, cap, "%s", gr.gr_name), true;
    if (gid == 0) return snprintf(buf, cap, "root"), true;
    snprintf(buf, cap, "%u", (unsigned)gid);
    return false;
}

static bool all_digits(const char *s) { return *s && strspn(s, "0123456789") == strlen(s); }

bool u_user_id(const char *name, uid_t *out) {
    if (!strcmp(name, U_IDENT_USER)) return *out = U_IDENT_UID, true;
    if (!strcmp(name, "root")) return *out = 0, true;
    struct passwd pw, *res = NULL;
    char tmp[1024];
    if (getpwnam_r(name, &pw, tmp, sizeof tmp, &res) == 0 && res) return *out = res->pw_uid, true;
    if (all_digits(name)) return *out = (uid_t)strtoul(name, NULL, 10), true;
    return false;
}

bool u_group_id(const char *name, gid_t *out) {
    if (!strcmp(name, U_IDENT_GROUP)) return *out = U_IDENT_GID, true;
    if (!strcmp(name, "root")) return *out = 0, true;
    struct group gr, *res = NULL;
    char tmp[1024];
    if (getgrnam_r(name, &gr, tmp, sizeof tmp, &res) == 0 && res) return *out = res->gr_gid, true;
    if (all_digits(name)) return *out = (gid_t)strtoul(name, NULL, 10), true;
    return false;
}
