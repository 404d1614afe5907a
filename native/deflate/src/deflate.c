/*
 * libdeflate's whole-buffer gzip for Lamina's layer writer. Synchronous: it is
 * called from compression worker threads, one slice at a time, never from the
 * main thread. Each thread keeps its compressors; the member is written straight
 * into memory the caller lends (a pooled buffer that travels with the slice), so
 * a call allocates nothing and copies nothing.
 */
#include <libdeflate.h>
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>

#define MAX_LEVEL 12
/* Probes of an input for incompressibility: this many bytes, at four evenly spaced places. */
#define PROBE_BYTES (32 * 1024)
#define PROBES 4

/* A compressor holds its match finder's tables (about 1 MB): one per thread and level, kept for the thread's life. */
static _Thread_local struct libdeflate_compressor *compressors[MAX_LEVEL + 1];

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static struct libdeflate_compressor *compressor_for(int level) {
  if (!compressors[level]) compressors[level] = libdeflate_alloc_compressor(level);
  return compressors[level];
}

/*
 * Random or already compressed bytes (a tarball, a JPEG, a packed binary) gain
 * nothing from deflate, and matching them costs several times what compressible
 * bytes cost. When every probe of the input fails to shrink below 97% at level 1,
 * the member holds stored blocks instead (level 0, at copying speed). The choice
 * depends only on the input, so the bytes stay reproducible.
 */
static int incompressible(const uint8_t *input, size_t length) {
  if (length < PROBES * PROBE_BYTES) return 0;
  struct libdeflate_compressor *fast = compressor_for(1);
  uint8_t out[PROBE_BYTES];
  for (size_t i = 0; i < PROBES; i++) {
    const uint8_t *probe = input + (length - PROBE_BYTES) / (PROBES - 1) * i;
    if (!fast || libdeflate_deflate_compress(fast, probe, PROBE_BYTES, out, PROBE_BYTES * 97 / 100) != 0) return 0;
  }
  return 1;
}

/* Reads argv[i] as a Uint8Array: its bytes and length, or 0 when it is not one. */
static int uint8_array(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_typed_array = false;
  napi_typedarray_type type;
  return napi_is_typedarray(env, value, &is_typed_array) == napi_ok && is_typed_array &&
         napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) == napi_ok && type == napi_uint8_array;
}

/*
 * gzipMemberInto(input: Uint8Array, output: Uint8Array, level: 1-12): number.
 * Writes one complete gzip member of all of input (stored when incompressible)
 * at the start of output and answers its length. Output must hold the member's
 * worst case (libdeflate's bound); it is checked here, so a short one fails rather than
 * writing past its end.
 */
static napi_value gzip_member_into(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *input = NULL, *output = NULL;
  size_t length = 0, room = 0;
  int level = 0;
  if (argc < 3 || !uint8_array(env, argv[0], &input, &length) || !uint8_array(env, argv[1], &output, &room) ||
      napi_get_value_int32(env, argv[2], &level) != napi_ok || level < 1 || level > MAX_LEVEL) {
    napi_throw_type_error(env, NULL, "gzipMemberInto(input: Uint8Array, output: Uint8Array, level: 1-12)");
    return NULL;
  }
  if (incompressible(input, length)) level = 0;
  struct libdeflate_compressor *compressor = compressor_for(level);
  if (!compressor) return fail(env, "libdeflate: out of memory");
  if (libdeflate_gzip_compress_bound(compressor, length) > room) return fail(env, "gzipMemberInto: output is smaller than libdeflate's bound for this input");
  size_t written = libdeflate_gzip_compress(compressor, input, length, output, room);
  if (written == 0) return fail(env, "libdeflate wrote no output");
  napi_value result;
  napi_create_uint32(env, (uint32_t)written, &result);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, version;
  napi_create_function(env, "gzipMemberInto", NAPI_AUTO_LENGTH, gzip_member_into, NULL, &fn);
  napi_set_named_property(env, exports, "gzipMemberInto", fn);
  napi_create_string_utf8(env, LIBDEFLATE_VERSION_STRING, NAPI_AUTO_LENGTH, &version);
  napi_set_named_property(env, exports, "libdeflateVersion", version);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
