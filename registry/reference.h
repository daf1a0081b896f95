/* Image references: [HOST[:PORT]/]REPO[:TAG][@sha256:HEX].
 *
 * The first path component is a registry host when it has a '.' or a ':', is "localhost", or
 * is a bracketed IPv6 address ("[::1]:5000"); otherwise the reference names an image of the
 * local store ("hello", "hello:0.1.0", "@scope/app:1.0"). Without a tag or a digest, the
 * tag is "latest". */
#ifndef REGISTRY_REFERENCE_H
#define REGISTRY_REFERENCE_H

#include <stdbool.h>

#include "ib_error.h"

struct reg_reference {
  char *registry;    /* "host[:port]", NULL for a local name */
  char *repository;  /* "demo/hello", or the local name */
  char *tag;         /* NULL only when a digest is given alone */
  char *digest;      /* "sha256:..." or NULL */
  bool tag_given;    /* false when the tag is the default "latest" */
};

int reg_reference_parse(const char *text, struct reg_reference *ref, struct ib_error *err);
void reg_reference_free(struct reg_reference *ref);

/* The full name the local store files it under: "HOST/REPO:TAG", or "HOST/REPO@DIGEST" when
 * there is no tag; without a registry, "REPO:TAG". Malloc'd. */
char *reg_reference_name(const struct reg_reference *ref);

/* "localhost", "127.x.x.x" and "[::1]", with or without a port: plain http is allowed. */
bool reg_host_is_loopback(const char *registry);

/* A tag: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. */
bool reg_tag_valid(const char *tag);

/* A distribution repository name: lowercase components [a-z0-9]+([._-]|__)... joined by '/'. */
bool reg_repository_valid(const char *repo);

#endif
