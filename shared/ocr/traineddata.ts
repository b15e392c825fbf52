/*
 * Tesseract `.traineddata` containers (TessdataManager's format: an int32 count of entries, an
 * int64 offset per entry, -1 for an absent one, then the entries' bytes in offset order), and
 * the one transformation the OCR setup needs: dropping the legacy engine's components.
 *
 * Why: `@tesseract.js-data/chi_sim/4.0.0` (the tessdata 4.0.0 release) carries, next to 40 MB of
 * legacy-engine tables, an LSTM model that reads printed Chinese markedly better than the
 * `4.0.0_best_int` one on licences (叁, 壹, 贰, 睿, 雯, 珞 and the digits of dates, which
 * best_int misreads at every size we tried). Stripped to its LSTM parts the file is 2.3 MB (1.4 MB
 * gzipped) instead of 44 MB, so it ships as the extra language `chi_sim_400` next to best_int's
 * `chi_sim`; Tesseract reads with both and keeps, word by word, the more confident reading.
 */

/** Entry indexes of TessdataType (tesseract/src/ccutil/tessdatamanager.h). */
export const TESSDATA = {
  config: 0,
  lstm: 17,
  lstmPuncDawg: 18,
  lstmSystemDawg: 19,
  lstmNumberDawg: 20,
  lstmUnicharset: 21,
  lstmRecoder: 22,
  version: 23,
} as const;

/** What an LSTM-only engine (OEM 1) reads from a traineddata file. */
export const LSTM_COMPONENTS: readonly number[] = [
  TESSDATA.config,
  TESSDATA.lstm,
  TESSDATA.lstmPuncDawg,
  TESSDATA.lstmSystemDawg,
  TESSDATA.lstmNumberDawg,
  TESSDATA.lstmUnicharset,
  TESSDATA.lstmRecoder,
  TESSDATA.version,
];

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The entries of a traineddata file: index → bytes (absent entries are left out). */
export function readTraineddata(bytes: Uint8Array): Map<number, Uint8Array> {
  const data = view(bytes);
  if (bytes.length < 4) {
    throw new RangeError('not a traineddata file: too short');
  }
  const count = data.getInt32(0, true);
  if (count <= 0 || count > 64 || 4 + 8 * count > bytes.length) {
    throw new RangeError(`not a traineddata file: ${count} entries`);
  }
  const offsets: { index: number; offset: number }[] = [];
  for (let index = 0; index < count; index += 1) {
    const offset = Number(data.getBigInt64(4 + 8 * index, true));
    if (offset >= 0) {
      if (offset > bytes.length) {
        throw new RangeError(`entry ${index} starts beyond the end of the file`);
      }
      offsets.push({ index, offset });
    }
  }
  offsets.sort((a, b) => a.offset - b.offset);
  const entries = new Map<number, Uint8Array>();
  offsets.forEach(({ index, offset }, position) => {
    const end = offsets[position + 1]?.offset ?? bytes.length;
    entries.set(index, bytes.subarray(offset, end));
  });
  return entries;
}

/** A traineddata file holding `entries` (indexes below `count`). */
export function writeTraineddata(entries: ReadonlyMap<number, Uint8Array>, count = 24): Uint8Array {
  const header = 4 + 8 * count;
  let size = header;
  for (const entry of entries.values()) {
    size += entry.length;
  }
  const bytes = new Uint8Array(size);
  const data = view(bytes);
  data.setInt32(0, count, true);
  let offset = header;
  for (let index = 0; index < count; index += 1) {
    const entry = entries.get(index);
    if (entry === undefined) {
      data.setBigInt64(4 + 8 * index, -1n, true);
      continue;
    }
    data.setBigInt64(4 + 8 * index, BigInt(offset), true);
    bytes.set(entry, offset);
    offset += entry.length;
  }
  return bytes;
}

/** The traineddata with only what LSTM recognition reads ({@link LSTM_COMPONENTS}). */
export function stripLegacyComponents(bytes: Uint8Array): Uint8Array {
  const entries = readTraineddata(bytes);
  if (!entries.has(TESSDATA.lstm)) {
    throw new RangeError('the traineddata has no LSTM model');
  }
  const kept = new Map<number, Uint8Array>();
  for (const index of LSTM_COMPONENTS) {
    const entry = entries.get(index);
    if (entry !== undefined) {
      kept.set(index, entry);
    }
  }
  return writeTraineddata(kept, Math.max(24, view(bytes).getInt32(0, true)));
}

/** Where each OCR language's data comes from (npm packages `@tesseract.js-data/*`). */
export interface OcrModelSource {
  /** `@tesseract.js-data/<package>`. */
  readonly package: string;
  /** Folder of the package holding `<package>.traineddata.gz`. */
  readonly folder: string;
  /** Ship it with the legacy engine's components stripped ({@link stripLegacyComponents}). */
  readonly stripLegacy: boolean;
}

/**
 * The languages ReviewDesk ships, by the code tesseract.js loads them under
 * (`<langPath>/<code>.traineddata.gz`).
 */
export const OCR_MODEL_SOURCES: Readonly<Record<string, OcrModelSource>> = {
  chi_sim: { package: 'chi_sim', folder: '4.0.0_best_int', stripLegacy: false },
  chi_sim_400: { package: 'chi_sim', folder: '4.0.0', stripLegacy: true },
  eng: { package: 'eng', folder: '4.0.0_best_int', stripLegacy: false },
};

/**
 * What is read by default: both Chinese models (Tesseract keeps the more confident reading of
 * each word). Not `eng`: the Chinese models read the Latin letters and digits of codes, and with
 * `eng` loaded Tesseract took English for some Chinese words (周建国 → "BEE").
 */
export const DEFAULT_OCR_LANGUAGES: readonly string[] = ['chi_sim_400', 'chi_sim'];
