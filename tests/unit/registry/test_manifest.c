/* Digests, descriptors, manifests and indexes: exact bytes, round trips, refused input. */
#include <stdlib.h>

#include "check.h"
#include "digest.h"
#include "image_index.h"
#include "manifest.h"
#include "media_types.h"

#define DA "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DB "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define DC "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

static void digests(void) {
  char d[IB_DIGEST_LEN + 1];
  ib_digest_buffer("", 0, d);
  CHECK_STR(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  ib_digest_buffer("abc", 3, d);
  CHECK_STR(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  /* Streaming in pieces gives the one-shot digest. */
  const char *text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  struct ib_hasher *h = ib_hasher_new();
  ib_hasher_update(h, text, 10);
  ib_hasher_update(h, text + 10, strlen(text) - 10);
  ib_hasher_final(h, d);
  CHECK_STR(d, "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(ib_digest_valid(DA));
  CHECK(!ib_digest_valid("sha256:AAAAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  CHECK(!ib_digest_valid("sha512:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  CHECK(!ib_digest_valid("sha256:aaaa"));
}

static const char expected_manifest[] =
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"artifactType\":\"application/vnd.runtimejs.image.v1\","
    "\"config\":{\"mediaType\":\"application/vnd.runtimejs.image.config.v1+json\",\"digest\":\"" DA "\",\"size\":101},"
    "\"layers\":[{\"mediaType\":\"application/vnd.runtimejs.kernel.v1.elf\",\"digest\":\"" DB "\",\"size\":27026944},"
    "{\"mediaType\":\"application/vnd.runtimejs.initrd.v1.cpio\",\"digest\":\"" DC "\",\"size\":1080}],"
    "\"annotations\":{\"io.runtimejs.kernel.version\":\"0.1.0+bbbbbbbbbbbb\","
    "\"org.opencontainers.image.created\":\"2025-01-02T03:04:05Z\",\"org.opencontainers.image.title\":\"hello\","
    "\"org.opencontainers.image.version\":\"0.1.0\"}}";

static void build_manifest(struct reg_manifest *m) {
  struct reg_descriptor config, kernel, initrd;
  reg_descriptor_init(&config, REG_MT_RUNTIMEJS_CONFIG, DA, 101);
  reg_descriptor_init(&kernel, REG_MT_RUNTIMEJS_KERNEL, DB, 27026944);
  reg_descriptor_init(&initrd, REG_MT_RUNTIMEJS_INITRD, DC, 1080);
  reg_manifest_init(m, REG_ARTIFACT_RUNTIMEJS, &config);
  reg_manifest_add_layer(m, &kernel);
  reg_manifest_add_layer(m, &initrd);
  /* Added out of order: serialised sorted. */
  reg_annotations_set(&m->annotations, REG_ANN_VERSION, "0.1.0");
  reg_annotations_set(&m->annotations, REG_ANN_TITLE, "hello");
  reg_annotations_set(&m->annotations, REG_ANN_CREATED, "2025-01-02T03:04:05Z");
  reg_annotations_set(&m->annotations, REG_ANN_KERNEL_VERSION, "0.1.0+bbbbbbbbbbbb");
  reg_descriptor_free(&config);
  reg_descriptor_free(&kernel);
  reg_descriptor_free(&initrd);
}

static void manifests(void) {
  struct reg_manifest m;
  build_manifest(&m);
  size_t len;
  char *text = reg_manifest_to_json(&m, &len);
  CHECK_STR(text, expected_manifest);
  CHECK_EQ(len, strlen(expected_manifest));
  reg_manifest_free(&m);

  /* Round trip: parse and serialise again gives the same bytes. */
  struct reg_manifest back;
  struct ib_error err;
  CHECK_EQ(reg_manifest_parse(text, len, &back, &err), 0);
  CHECK_STR(back.artifact_type, REG_ARTIFACT_RUNTIMEJS);
  CHECK_EQ(back.layer_count, 2);
  CHECK_EQ(back.layers[0].size, 27026944);
  CHECK_STR(back.config.digest, DA);
  CHECK_STR(reg_manifest_layer(&back, REG_MT_RUNTIMEJS_INITRD)->digest, DC);
  CHECK(reg_manifest_layer(&back, "application/x-none") == NULL);
  CHECK_STR(reg_annotations_get(&back.annotations, REG_ANN_TITLE), "hello");
  char *again = reg_manifest_to_json(&back, NULL);
  CHECK_STR(again, expected_manifest);
  free(again);
  reg_manifest_free(&back);
  free(text);

  /* A Docker v2 manifest (no artifactType, spaces) parses too. */
  const char *docker = "{ \"schemaVersion\": 2, \"mediaType\": \"" REG_MT_DOCKER_MANIFEST "\", \"config\": "
                       "{\"mediaType\": \"application/vnd.docker.container.image.v1+json\", \"digest\": \"" DA
                       "\", \"size\": 7}, \"layers\": [] }";
  CHECK_EQ(reg_manifest_parse(docker, strlen(docker), &back, &err), 0);
  CHECK_STR(back.media_type, REG_MT_DOCKER_MANIFEST);
  CHECK(back.artifact_type == NULL);
  CHECK_EQ(back.layer_count, 0);
  reg_manifest_free(&back);
}

static void refused(const char *text, const char *why) {
  struct reg_manifest m;
  struct ib_error err;
  int rc = reg_manifest_parse(text, strlen(text), &m, &err);
  CHECK_EQ(rc, -22);
  if (rc == -22) CHECK_CONTAINS(err.msg, why);
}

#define CFG "\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" DA "\",\"size\":1}"

static void bad_manifests(void) {
  refused("", "not JSON");
  refused("[]", "not a JSON object");
  refused("{\"schemaVersion\":1," CFG ",\"layers\":[]}", "schemaVersion");
  refused("{\"schemaVersion\":2," CFG "}", "missing \"layers\"");
  refused("{\"schemaVersion\":2,\"layers\":[]}", "config: not a descriptor");
  refused("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"sha256:xyz\",\"size\":1},\"layers\":[]}",
          "is not a sha256 digest");
  refused("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"a/b\",\"digest\":\"" DA "\",\"size\":-1},\"layers\":[]}",
          "negative \"size\"");
  refused("{\"schemaVersion\":2,\"config\":{\"digest\":\"" DA "\",\"size\":1},\"layers\":[]}", "missing \"mediaType\"");
  refused("{\"schemaVersion\":2," CFG ",\"layers\":[{\"mediaType\":\"a/b\",\"size\":1}]}", "layers[0]: missing \"digest\"");
  refused("{\"schemaVersion\":2," CFG ",\"layers\":[],\"annotations\":{\"k\":1}}", "annotation \"k\" is not a string");
  refused("{\"schemaVersion\":2,\"mediaType\":\"" REG_MT_OCI_INDEX "\",\"manifests\":[]}", "an image index");
  refused("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"," CFG ",\"layers\":[]}", "unsupported media type");
  refused("{\"schemaVersion\":2,\"schemaVersion\":2," CFG ",\"layers\":[]}", "not JSON");
}

static void indexes(void) {
  struct reg_index x = {0};
  struct reg_descriptor a, b;
  reg_descriptor_init(&a, REG_MT_OCI_MANIFEST, DA, 10);
  a.artifact_type = strdup(REG_ARTIFACT_RUNTIMEJS);
  reg_annotations_set(&a.annotations, REG_ANN_REF_NAME, "hello:latest");
  reg_descriptor_init(&b, REG_MT_OCI_MANIFEST, DB, 20);
  b.platform_os = strdup("linux");
  b.platform_arch = strdup("amd64");
  reg_index_add(&x, &a);
  reg_index_add(&x, &b);
  size_t len;
  char *text = reg_index_to_json(&x, &len);
  CHECK_STR(text, "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                  "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DA "\",\"size\":10,"
                  "\"artifactType\":\"application/vnd.runtimejs.image.v1\","
                  "\"annotations\":{\"org.opencontainers.image.ref.name\":\"hello:latest\"}},"
                  "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" DB "\",\"size\":20,"
                  "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
  struct reg_index back;
  struct ib_error err;
  CHECK_EQ(reg_index_parse(text, len, &back, &err), 0);
  CHECK_EQ(back.count, 2);
  CHECK_STR(reg_index_select(&back, "linux", "amd64")->digest, DB);
  CHECK(reg_index_select(&back, "linux", "arm64") == NULL);
  reg_index_remove(&back, 1);
  CHECK_EQ(back.count, 1);
  CHECK_STR(reg_index_select(&back, "linux", "arm64")->digest, DA); /* the only entry */
  CHECK_STR(reg_annotations_get(&back.manifests[0].annotations, REG_ANN_REF_NAME), "hello:latest");
  reg_index_free(&back);
  CHECK_EQ(reg_index_parse("{\"schemaVersion\":2}", 19, &back, &err), -22);
  CHECK_CONTAINS(err.msg, "missing \"manifests\"");
  free(text);
  reg_index_free(&x);
  reg_descriptor_free(&a);
  reg_descriptor_free(&b);
}

int main(void) {
  digests();
  manifests();
  bad_manifests();
  indexes();
  return CHECK_DONE();
}
