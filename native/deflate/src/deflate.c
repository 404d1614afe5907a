/*
 * libdeflate's whole-buffer gzip for Lamina's layer writer. Synchronous: it is
 * called from compression worker threads, one slice at a time, never from the
 * main thread. Each thread keeps its compressor and its scratch output, so a
 * call allocates only the exact-size Buffer it answers (a copy, not an external
 * buffer: Electron's V8 sandbox refuses those).
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
static _Thread_local void *scratch;
static _Thread_local size_t scratch_size;

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

/* gzipMember(input: Uint8Array, level: 1-12): Buffer holding one complete gzip member of all of input (stored when incompressible). */
static napi_value gzip_member(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bool is_typed_array = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *input = NULL;
  int level = 0;
  if (argc < 2 || napi_is_typedarray(env, argv[0], &is_typed_array) != napi_ok || !is_typed_array ||
      napi_get_typedarray_info(env, argv[0], &type, &length, &input, NULL, NULL) != napi_ok || type != napi_uint8_array ||
      napi_get_value_int32(env, argv[1], &level) != napi_ok || level < 1 || level > MAX_LEVEL) {
    napi_throw_type_error(env, NULL, "gzipMember(input: Uint8Array, level: 1-12)");
    return NULL;
  }
  if (incompressible(input, length)) level = 0;
  struct libdeflate_compressor *compressor = compressor_for(level);
  if (!compressor) return fail(env, "libdeflate: out of memory");
  size_t bound = libdeflate_gzip_compress_bound(compressor, length);
  if (bound > scratch_size) {
    free(scratch);
    scratch_size = 0;
    if (!(scratch = malloc(bound))) return fail(env, "libdeflate: out of memory");
    scratch_size = bound;
  }
  size_t written = libdeflate_gzip_compress(compressor, input, length, scratch, scratch_size);
  if (written == 0) return fail(env, "libdeflate wrote no output");
  napi_value result;
  if (napi_create_buffer_copy(env, written, scratch, NULL, &result) != napi_ok) return fail(env, "gzipMember: cannot allocate its result");
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, version;
  napi_create_function(env, "gzipMember", NAPI_AUTO_LENGTH, gzip_member, NULL, &fn);
  napi_set_named_property(env, exports, "gzipMember", fn);
  napi_create_string_utf8(env, LIBDEFLATE_VERSION_STRING, NAPI_AUTO_LENGTH, &version);
  napi_set_named_property(env, exports, "libdeflateVersion", version);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
