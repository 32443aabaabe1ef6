/*
 * A stand-in for libWeWorkFinanceSdk_C.so exporting the official header's C ABI, for tests, the
 * sandbox and the benchmark. It serves what a fixture directory (FINANCE_STANDIN_DIR) holds:
 *   chatdata.jsonl  one GetChatData item per line, line n carrying seq n (appended while running)
 *   media/<id>      the bytes GetMediaData returns in 512 KB chunks
 * (StandinSetDir overrides the variable)
 *   crash           if present, the next GetChatData removes it and crashes (SIGSEGV), once
 * DecryptData uses this stand-in's own scheme (the real one is proprietary): base64, then XOR with a
 * mulberry32 keystream seeded by FNV-1a of the key; the plaintext starts with "SCRM".
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Slice_t { char *buf; int len; } Slice_t;
typedef struct MediaData { char *outindexbuf; int out_len; char *data; int data_len; int is_finish; } MediaData_t;
typedef struct WeWorkFinanceSdk_t { int ready; char dir[1024]; char *text; long text_len; long *line_starts; long lines; } WeWorkFinanceSdk_t;

#define CHUNK (512 * 1024)
#define MAGIC "SCRM"

static char standin_dir[1024];

/* Not in the official header: lets a test process whose environment the C library cannot see choose the directory. */
void StandinSetDir(const char *dir) {
  snprintf(standin_dir, sizeof(standin_dir), "%s", dir ? dir : "");
}

WeWorkFinanceSdk_t *NewSdk(void) { return calloc(1, sizeof(WeWorkFinanceSdk_t)); }

int Init(WeWorkFinanceSdk_t *sdk, const char *corpid, const char *secret) {
  const char *dir = *standin_dir ? standin_dir : getenv("FINANCE_STANDIN_DIR");
  if (!sdk || !corpid || !*corpid || !secret || !*secret) return 10000;
  if (!dir || strlen(dir) >= sizeof(sdk->dir)) return 10003;
  if (strcmp(secret, "wrong-secret") == 0) return 10011;
  strcpy(sdk->dir, dir);
  sdk->ready = 1;
  return 0;
}

void DestroySdk(WeWorkFinanceSdk_t *sdk) {
  if (!sdk) return;
  free(sdk->text);
  free(sdk->line_starts);
  free(sdk);
}

/* Re-reads chatdata.jsonl when it grew; only whole lines count. */
static int load_chat_data(WeWorkFinanceSdk_t *sdk) {
  char path[1100];
  struct stat st;
  snprintf(path, sizeof(path), "%s/chatdata.jsonl", sdk->dir);
  if (stat(path, &st) != 0) return 0;
  if (st.st_size == sdk->text_len) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) return 10003;
  char *text = malloc(st.st_size + 1);
  long got = (long)fread(text, 1, st.st_size, f);
  fclose(f);
  while (got > 0 && text[got - 1] != '\n') got--;
  text[got] = 0;
  long count = 0;
  for (long i = 0; i < got; i++) if (text[i] == '\n') count++;
  long *starts = malloc(sizeof(long) * (count + 1));
  long line = 0;
  starts[0] = 0;
  for (long i = 0; i < got; i++) if (text[i] == '\n') starts[++line] = i + 1;
  free(sdk->text);
  free(sdk->line_starts);
  sdk->text = text;
  sdk->text_len = got;
  sdk->line_starts = starts;
  sdk->lines = count;
  return 0;
}

static void crash_if_armed(WeWorkFinanceSdk_t *sdk) {
  char path[1100];
  snprintf(path, sizeof(path), "%s/crash", sdk->dir);
  if (unlink(path) == 0) raise(SIGSEGV);
}

int GetChatData(WeWorkFinanceSdk_t *sdk, unsigned long long seq, unsigned int limit, const char *proxy, const char *passwd, int timeout, Slice_t *out) {
  (void)proxy; (void)passwd; (void)timeout;
  if (!sdk || !sdk->ready || !out || limit == 0 || limit > 1000) return 10000;
  crash_if_armed(sdk);
  int rc = load_chat_data(sdk);
  if (rc) return rc;
  long first = seq > (unsigned long long)sdk->lines ? sdk->lines : (long)seq;
  long last = first + (long)limit > sdk->lines ? sdk->lines : first + (long)limit;
  const char *head = "{\"errcode\":0,\"errmsg\":\"ok\",\"chatdata\":[";
  long body = last > first ? sdk->line_starts[last] - sdk->line_starts[first] : 0;
  long size = (long)strlen(head) + body + 3;
  char *buf = malloc(size);
  long pos = (long)strlen(head);
  memcpy(buf, head, pos);
  for (long i = first; i < last; i++) {
    long len = sdk->line_starts[i + 1] - sdk->line_starts[i] - 1;
    if (i > first) buf[pos++] = ',';
    memcpy(buf + pos, sdk->text + sdk->line_starts[i], len);
    pos += len;
  }
  buf[pos++] = ']';
  buf[pos++] = '}';
  buf[pos] = 0;
  free(out->buf);
  out->buf = buf;
  out->len = (int)pos;
  return 0;
}

static int b64_value(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

int DecryptData(const char *encrypt_key, const char *encrypt_msg, Slice_t *msg) {
  if (!encrypt_key || !encrypt_msg || !msg || !*encrypt_key) return 10000;
  size_t in_len = strlen(encrypt_msg);
  unsigned char *raw = malloc(in_len / 4 * 3 + 4);
  size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < in_len; i++) {
    if (encrypt_msg[i] == '=') break;
    int v = b64_value((unsigned char)encrypt_msg[i]);
    if (v < 0) { free(raw); return 10002; }
    acc = (acc << 6) | (uint32_t)v;
    bits += 6;
    if (bits >= 8) { bits -= 8; raw[n++] = (unsigned char)((acc >> bits) & 0xff); }
  }
  uint32_t state = 2166136261u;
  for (const char *k = encrypt_key; *k; k++) { state ^= (unsigned char)*k; state *= 16777619u; }
  for (size_t i = 0; i < n; i += 4) {
    state += 0x6D2B79F5u;
    uint32_t t = state;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    t ^= t >> 14;
    for (size_t j = 0; j < 4 && i + j < n; j++) raw[i + j] ^= (unsigned char)(t >> (8 * j));
  }
  if (n < 4 || memcmp(raw, MAGIC, 4) != 0) { free(raw); return 10006; }
  free(msg->buf);
  msg->buf = malloc(n - 4 + 1);
  memcpy(msg->buf, raw + 4, n - 4);
  msg->buf[n - 4] = 0;
  msg->len = (int)(n - 4);
  free(raw);
  return 0;
}

int GetMediaData(WeWorkFinanceSdk_t *sdk, const char *indexbuf, const char *sdkFileid, const char *proxy, const char *passwd, int timeout, MediaData_t *media) {
  (void)proxy; (void)passwd; (void)timeout;
  if (!sdk || !sdk->ready || !sdkFileid || !media) return 10000;
  if (!*sdkFileid || strchr(sdkFileid, '/') || strstr(sdkFileid, "..")) return 10005;
  char path[1400];
  snprintf(path, sizeof(path), "%s/media/%s", sdk->dir, sdkFileid);
  FILE *f = fopen(path, "rb");
  if (!f) return 10005;
  long offset = indexbuf && *indexbuf ? atol(indexbuf) : 0;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  if (offset < 0 || offset > size) { fclose(f); return 10000; }
  fseek(f, offset, SEEK_SET);
  long len = size - offset > CHUNK ? CHUNK : size - offset;
  free(media->data);
  free(media->outindexbuf);
  media->data = malloc(len > 0 ? len : 1);
  media->data_len = (int)fread(media->data, 1, len, f);
  fclose(f);
  media->outindexbuf = malloc(32);
  media->out_len = snprintf(media->outindexbuf, 32, "%ld", offset + media->data_len);
  media->is_finish = offset + media->data_len >= size;
  return 0;
}

Slice_t *NewSlice(void) { return calloc(1, sizeof(Slice_t)); }
void FreeSlice(Slice_t *s) { if (s) { free(s->buf); free(s); } }
char *GetContentFromSlice(Slice_t *s) { return s->buf; }
int GetSliceLen(Slice_t *s) { return s->len; }
MediaData_t *NewMediaData(void) { return calloc(1, sizeof(MediaData_t)); }
void FreeMediaData(MediaData_t *m) { if (m) { free(m->outindexbuf); free(m->data); free(m); } }
char *GetOutIndexBuf(MediaData_t *m) { return m->outindexbuf; }
char *GetData(MediaData_t *m) { return m->data; }
int GetIndexLen(MediaData_t *m) { return m->out_len; }
int GetDataLen(MediaData_t *m) { return m->data_len; }
int IsMediaDataFinish(MediaData_t *m) { return m->is_finish; }
