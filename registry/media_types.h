/* The media types and annotation keys of OCI images and of Runtime.JS images.
 *
 * A Runtime.JS image is an OCI artifact (image-spec 1.1): a manifest whose artifactType is
 * REG_ARTIFACT_RUNTIMEJS, its config blob the image config JSON (runtime.json) and two layers,
 * the kernel ELF and the initrd cpio, both uncompressed (the initrd is small and the kernel
 * is booted straight from the store blob; compressing would cost an unpack on every run). */
#ifndef REGISTRY_MEDIA_TYPES_H
#define REGISTRY_MEDIA_TYPES_H

#define REG_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define REG_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define REG_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define REG_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define REG_MT_OCI_CONFIG "application/vnd.oci.image.config.v1+json"
#define REG_MT_OCI_LAYER_TAR "application/vnd.oci.image.layer.v1.tar"

#define REG_ARTIFACT_RUNTIMEJS "application/vnd.runtimejs.image.v1"
#define REG_MT_RUNTIMEJS_CONFIG "application/vnd.runtimejs.image.config.v1+json"
#define REG_MT_RUNTIMEJS_KERNEL "application/vnd.runtimejs.kernel.v1.elf"
#define REG_MT_RUNTIMEJS_KERNEL_GZ "application/vnd.runtimejs.kernel.v1.elf+gzip"
#define REG_MT_RUNTIMEJS_INITRD "application/vnd.runtimejs.initrd.v1.cpio"

#define REG_ANN_TITLE "org.opencontainers.image.title"
#define REG_ANN_VERSION "org.opencontainers.image.version"
#define REG_ANN_CREATED "org.opencontainers.image.created"
#define REG_ANN_REF_NAME "org.opencontainers.image.ref.name"
#define REG_ANN_KERNEL_VERSION "io.runtimejs.kernel.version"

#endif
