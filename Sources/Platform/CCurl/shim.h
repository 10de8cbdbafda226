// libcurl (Debian's libcurl4-openssl-dev) for KoniStorage's S3 client: curl_easy_setopt is
// variadic, which Swift cannot call, so one inline function makes a whole request with the
// options fixed here. libcurl signs the request itself (CURLOPT_AWS_SIGV4, AWS Signature
// Version 4), so no signing code of our own stands between KONI and the store.
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

/// Starts libcurl once per process (before any thread uses it); 0 on success.
static inline int koni_curl_start(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/// The options every KONI request shares: http(s) only, no redirects, the timeouts, where the
/// answer goes (at most `max_download` bytes) and the error text.
static inline void koni_curl_common(
    CURL *curl, const char *url, struct curl_slist *headers, FILE *download, long long max_download, long timeout_ms, char *error
) {
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    if (download) {
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, download);
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_download);
    }
}

/// Runs the request, then frees what it used; the CURLcode, `*status` the HTTP status.
static inline int koni_curl_finish(CURL *curl, struct curl_slist *headers, long *status, char *error) {
    CURLcode code = curl_easy_perform(curl);
    *status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    if (code != CURLE_OK && !error[0]) strncpy(error, curl_easy_strerror(code), CURL_ERROR_SIZE - 1);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return code;
}

/// One signed request. `upload` (with `upload_size` bytes) is the body of a PUT, `download`
/// receives the body of the answer (at most `max_download` bytes; more is an error). `sigv4` is
/// curl's provider string ("aws:amz:<region>:s3"), `userpwd` "<key id>:<secret>", and
/// `payload_sha256` the hex SHA-256 of the body (S3 wants it signed in x-amz-content-sha256).
/// Returns the CURLcode; `*status` is the HTTP status, `error` (CURL_ERROR_SIZE bytes) the reason.
static inline int koni_curl_s3(
    const char *method, const char *url, const char *sigv4, const char *userpwd, const char *payload_sha256,
    const char *content_type, FILE *upload, long long upload_size, FILE *download, long long max_download,
    long timeout_ms, long *status, char *error
) {
    CURL *curl = curl_easy_init();
    if (!curl) { strcpy(error, "curl_easy_init failed"); return CURLE_FAILED_INIT; }
    error[0] = 0;
    struct curl_slist *headers = NULL;
    char line[256];
    snprintf(line, sizeof line, "x-amz-content-sha256: %s", payload_sha256);
    headers = curl_slist_append(headers, line);
    if (content_type && content_type[0]) {
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        headers = curl_slist_append(headers, line);
    }
    koni_curl_common(curl, url, headers, download, max_download, timeout_ms, error);
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4);
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd);
    if (upload) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READDATA, upload);
        curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)upload_size);
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
        if (strcmp(method, "HEAD") == 0) curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    }
    return koni_curl_finish(curl, headers, status, error);
}

/// One plain GET (`header` sent as is, e.g. a service key), the answer's body written to
/// `download` (at most `max_download` bytes). Returns the CURLcode; `*status` the HTTP status.
static inline int koni_curl_get(
    const char *url, const char *header, FILE *download, long long max_download, long timeout_ms, long *status, char *error
) {
    CURL *curl = curl_easy_init();
    if (!curl) { strcpy(error, "curl_easy_init failed"); return CURLE_FAILED_INIT; }
    error[0] = 0;
    struct curl_slist *headers = NULL;
    if (header && header[0]) headers = curl_slist_append(headers, header);
    koni_curl_common(curl, url, headers, download, max_download, timeout_ms, error);
    return koni_curl_finish(curl, headers, status, error);
}
