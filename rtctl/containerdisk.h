/* KubeVirt's containerDisk: a regular OCI image (config application/vnd.oci.image.config.v1+json,
 * os linux, architecture amd64) with one uncompressed tar layer holding the image's raw GRUB
 * disk (the same as `rtctl image --format raw`) at disk/NAME.img, owned by 107:107 (the qemu
 * user of KubeVirt's launcher), mode 0440. */
#ifndef RTCTL_CONTAINERDISK_H
#define RTCTL_CONTAINERDISK_H

#include "digest.h"
#include "ib_error.h"
#include "oci_layout.h"
#include "store.h"

/* Writes the containerDisk image of img into the layout l (blobs only, no reference) and
 * returns its manifest digest. */
int containerdisk_build(const struct store_image *img, const struct oci_layout *l, char digest[IB_DIGEST_LEN + 1],
                        struct ib_error *err);

#endif
