import { koffi } from './koffi';
import { FinanceSdkError } from './finance-error';

/** One item of GetChatData's `chatdata` (PROTOCOL §5.2). */
export interface EncryptedChatItem {
  seq: number;
  msgid: string;
  publickey_ver: number;
  encrypt_random_key: string;
  encrypt_chat_msg: string;
}

export interface MediaChunk {
  data: Buffer;
  nextIndex: string;
  finished: boolean;
}

export interface FinanceSdk {
  getChatData(seq: number, limit: number, timeoutSeconds?: number): EncryptedChatItem[];
  /** `DecryptData`: the message JSON, given the RSA-decrypted random key. */
  decrypt(randomKey: string, encryptedMessage: string): string;
  getMediaChunk(sdkFileId: string, index: string, timeoutSeconds?: number): MediaChunk;
  destroy(): void;
}

export interface FinanceSdkOptions {
  corpId: string;
  secret: string;
  proxy?: string;
  proxyPassword?: string;
}

/**
 * koffi bindings to `libWeWorkFinanceSdk_C.so` (the official C header, PROTOCOL §5.1). Loading it
 * belongs in the archive worker process only: a crash inside the library must not take the API down.
 */
export function loadFinanceSdk(libraryPath: string, options: FinanceSdkOptions): FinanceSdk {
  const lib = koffi.load(libraryPath);
  const newSdk = lib.func('void *NewSdk()');
  const init = lib.func('int Init(void *sdk, const char *corpid, const char *secret)');
  const destroySdk = lib.func('void DestroySdk(void *sdk)');
  const getChatData = lib.func('int GetChatData(void *sdk, unsigned long long seq, unsigned int limit, const char *proxy, const char *passwd, int timeout, void *chatDatas)');
  const decryptData = lib.func('int DecryptData(const char *encrypt_key, const char *encrypt_msg, void *msg)');
  const getMediaData = lib.func('int GetMediaData(void *sdk, const char *indexbuf, const char *sdkFileid, const char *proxy, const char *passwd, int timeout, void *media_data)');
  const newSlice = lib.func('void *NewSlice()');
  const freeSlice = lib.func('void FreeSlice(void *slice)');
  const sliceContent = lib.func('void *GetContentFromSlice(void *slice)');
  const sliceLen = lib.func('int GetSliceLen(void *slice)');
  const newMediaData = lib.func('void *NewMediaData()');
  const freeMediaData = lib.func('void FreeMediaData(void *media)');
  const outIndexBuf = lib.func('void *GetOutIndexBuf(void *media)');
  const mediaBytes = lib.func('void *GetData(void *media)');
  const indexLen = lib.func('int GetIndexLen(void *media)');
  const dataLen = lib.func('int GetDataLen(void *media)');
  const isFinished = lib.func('int IsMediaDataFinish(void *media)');

  // Copied out of native memory before the slice or media struct is freed.
  const bytesAt = (pointer: unknown, length: number) => (length > 0 && pointer ? Buffer.from(new Uint8Array(koffi.view(pointer, length))) : Buffer.alloc(0));
  const textAt = (pointer: unknown, length: number) => bytesAt(pointer, length).toString('utf8');
  const proxy = options.proxy ?? '';
  const passwd = options.proxyPassword ?? '';

  const sdk: unknown = newSdk();
  const initCode = init(sdk, options.corpId, options.secret) as number;
  if (initCode !== 0) {
    destroySdk(sdk);
    throw new FinanceSdkError('Init', initCode);
  }

  function withSlice<T>(call: (slice: unknown) => number, name: string, read: (text: string) => T): T {
    const slice: unknown = newSlice();
    try {
      const code = call(slice);
      if (code !== 0) throw new FinanceSdkError(name, code);
      return read(textAt(sliceContent(slice), sliceLen(slice) as number));
    } finally {
      freeSlice(slice);
    }
  }

  return {
    getChatData(seq, limit, timeoutSeconds = 10) {
      return withSlice(
        (slice) => getChatData(sdk, seq, limit, proxy, passwd, timeoutSeconds, slice) as number,
        'GetChatData',
        (text) => {
          const reply = JSON.parse(text) as { errcode: number; errmsg: string; chatdata?: EncryptedChatItem[] };
          if (reply.errcode !== 0) throw new FinanceSdkError('GetChatData', reply.errcode, reply.errmsg);
          return reply.chatdata ?? [];
        },
      );
    },
    decrypt(randomKey, encryptedMessage) {
      return withSlice((slice) => decryptData(randomKey, encryptedMessage, slice) as number, 'DecryptData', (text) => text);
    },
    getMediaChunk(sdkFileId, index, timeoutSeconds = 30) {
      const media: unknown = newMediaData();
      try {
        const code = getMediaData(sdk, index, sdkFileId, proxy, passwd, timeoutSeconds, media) as number;
        if (code !== 0) throw new FinanceSdkError('GetMediaData', code);
        return {
          data: bytesAt(mediaBytes(media), dataLen(media) as number),
          nextIndex: textAt(outIndexBuf(media), indexLen(media) as number),
          finished: (isFinished(media) as number) === 1,
        };
      } finally {
        freeMediaData(media);
      }
    },
    destroy() {
      destroySdk(sdk);
    },
  };
}
