// libvips (Debian's libvips-dev) for KoniImage. libvips's operations take their options as
// variadic arguments, which Swift cannot call; these inline functions fix the options KONI uses
// and are the only way Swift reaches libvips.
#include <vips/vips.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/// Gives freed heap memory back to the system. glibc keeps a photo's freed buffers (tens of MB)
/// in the arena of the thread that used them; with several worker threads that, not the photo
/// being processed, set the peak memory of a build.
static inline void koni_release_memory(void) {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/// At most two malloc arenas for the whole process, as libvips's documentation recommends for
/// servers on glibc (MALLOC_ARENA_MAX=2): each thread otherwise gets an arena of its own, and a
/// photo's freed buffers stay in it.
static inline void koni_limit_malloc_arenas(void) {
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, 2);
#endif
}

/// Starts libvips once per process (checks the headers against the library); 0 on success.
static inline int koni_vips_start(void) {
    if (VIPS_INIT("koni")) return -1;
    // Sites are built by a few worker threads already: one libvips thread per call, and no
    // operation cache holding decoded photos between calls.
    vips_concurrency_set(1);
    vips_cache_set_max(0);
    return 0;
}

/// The image's header only (decoding happens later, and only if asked): dimensions, bands,
/// pages. Refuses what the loader cannot read; NULL with vips_error_buffer() set.
static inline VipsImage *koni_vips_header(const void *bytes, size_t length) {
    return vips_image_new_from_buffer(bytes, length, "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
}

/// Decodes and shrinks to fit `width` × `height` (never enlarging), upright (EXIF orientation
/// applied), in sRGB; with `crop`, fills the box and crops around the most interesting part.
/// A truncated or corrupt file is an error, not a grey half-image. (libvips 8.14 drops the
/// thumbnail's own `fail_on` on the way to a buffer loader; the loader's option string keeps it.)
/// The result is decoded, in memory.
static inline int koni_vips_thumbnail(const void *bytes, size_t length, VipsImage **out, int width, int height, int crop) {
    VipsImage *lazy;
    if (vips_thumbnail_buffer((void *)bytes, length, &lazy, width, "height", height, "size", VIPS_SIZE_DOWN,
                              "crop", crop ? VIPS_INTERESTING_ATTENTION : VIPS_INTERESTING_NONE,
                              "export_profile", "srgb", "option_string", "fail_on=error", NULL)) return -1;
    // libvips decodes lazily, while writing; decoding here (the result is at most the size asked
    // for) keeps a corrupt source a read error and an encoder's failure an encoder's.
    VipsImage *decoded = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    if (decoded == NULL) return -1;
    *out = decoded;
    return 0;
}

/// A smaller copy of a decoded image, `width` wide (never enlarged); for the variants below the
/// largest, made from the largest instead of decoding the source again.
static inline int koni_vips_shrink(VipsImage *image, VipsImage **out, int width) {
    VipsImage *lazy;
    if (vips_thumbnail_image(image, &lazy, width, "height", 10000000, "size", VIPS_SIZE_DOWN, NULL)) return -1;
    VipsImage *decoded = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    if (decoded == NULL) return -1;
    *out = decoded;
    return 0;
}

/// Removes every metadata block from `image` before it is written: EXIF (GPS, camera serials),
/// XMP, IPTC, Photoshop and the ICC profile (the pixels are sRGB already). Done here because the
/// writers' `strip` option is not honoured by every writer (libvips 8.14's WebP keeps EXIF).
static inline void koni_vips_strip(VipsImage *image) {
    static const char *const prefixes[] = {"exif-", "xmp-", "iptc-", "photoshop-", "icc-", "gps-", "jpeg-thumbnail", "heif-"};
    gchar **fields = vips_image_get_fields(image);
    if (fields == NULL) return;
    for (int i = 0; fields[i] != NULL; i++) {
        for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
            if (g_str_has_prefix(fields[i], prefixes[p])) { vips_image_remove(image, fields[i]); break; }
        }
    }
    g_strfreev(fields);
}

/// Encodes `image` by a suffix with options, e.g. ".webp[Q=78,strip]"; the caller frees
/// `*bytes` with g_free.
static inline int koni_vips_encode(VipsImage *image, const char *suffix, void **bytes, size_t *length) {
    koni_vips_strip(image);
    return vips_image_write_to_buffer(image, suffix, bytes, length, NULL);
}

/// Whether this libvips can write `suffix` (".avif" depends on how libheif was built).
static inline int koni_vips_can_save(const char *suffix) {
    const char *saver = vips_foreign_find_save_buffer(suffix);
    vips_error_clear();
    return saver != NULL;
}

static inline void koni_vips_release(VipsImage *image) { g_object_unref(image); }
static inline void koni_vips_free(void *bytes) { g_free(bytes); }
