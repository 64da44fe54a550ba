// The EXIF block a result may carry (metadata "keep" / "keep-gps"): a copy of the input's TIFF
// structure with Orientation set to 1 (the pixels are already upright; a viewer must not rotate
// them again) and, unless GPS was asked for, the GPS IFD's entries and values zeroed and its
// pointer removed from IFD0, so no coordinate survives anywhere in the bytes.

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
};
export const ORIENTATION_TAG = 0x0112;
export const GPS_IFD_TAG = 0x8825;

interface Tiff {
  bytes: Uint8Array;
  view: DataView;
  little: boolean;
}

function open(tiff: Uint8Array): Tiff | null {
  if (tiff.length < 8) return null;
  const order = String.fromCharCode(tiff[0], tiff[1]);
  if (order !== "II" && order !== "MM") return null;
  const bytes = new Uint8Array(tiff);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = order === "II";
  return view.getUint16(2, little) === 42 ? { bytes, view, little } : null;
}

const inside = (t: Tiff, offset: number, length: number) => offset >= 0 && offset + length <= t.bytes.length;

/** Entries of the IFD at `offset`: [entry offset, tag] pairs; [] when it does not fit. */
function entries(t: Tiff, offset: number): Array<{ at: number; tag: number }> {
  if (!inside(t, offset, 2)) return [];
  const count = t.view.getUint16(offset, t.little);
  if (!inside(t, offset + 2, count * 12 + 4)) return [];
  return Array.from({ length: count }, (_, i) => {
    const at = offset + 2 + i * 12;
    return { at, tag: t.view.getUint16(at, t.little) };
  });
}

function zeroIfd(t: Tiff, offset: number): void {
  const list = entries(t, offset);
  for (const { at } of list) {
    const size = (TYPE_SIZES[t.view.getUint16(at + 2, t.little)] ?? 1) * t.view.getUint32(at + 4, t.little);
    if (size > 4) {
      const valueAt = t.view.getUint32(at + 8, t.little);
      if (inside(t, valueAt, size)) t.bytes.fill(0, valueAt, valueAt + size);
    }
  }
  if (list.length > 0) t.bytes.fill(0, offset, offset + 2 + list.length * 12 + 4);
}

/** The TIFF block prepared for the output; null when it is not a TIFF structure. */
export function prepareExif(tiff: Uint8Array, keepGps: boolean): Uint8Array | null {
  const t = open(tiff);
  if (t === null) return null;
  const ifd0 = t.view.getUint32(4, t.little);
  const list = entries(t, ifd0);
  for (const { at, tag } of list) {
    if (tag === ORIENTATION_TAG && t.view.getUint16(at + 2, t.little) === 3)
      t.view.setUint16(at + 8, 1, t.little);
  }
  const gps = list.findIndex((e) => e.tag === GPS_IFD_TAG);
  if (!keepGps && gps >= 0) {
    zeroIfd(t, t.view.getUint32(list[gps].at + 8, t.little));
    // Drop the pointer: later entries and the next-IFD offset move up one entry.
    const end = ifd0 + 2 + list.length * 12 + 4;
    t.bytes.copyWithin(list[gps].at, list[gps].at + 12, end);
    t.bytes.fill(0, end - 12, end);
    t.view.setUint16(ifd0, list.length - 1, t.little);
  }
  return t.bytes;
}

/** The tags of IFD0, for tests and diagnostics. */
export function ifd0Tags(tiff: Uint8Array): Map<number, number> {
  const t = open(tiff);
  const out = new Map<number, number>();
  if (t === null) return out;
  for (const { at, tag } of entries(t, t.view.getUint32(4, t.little))) {
    const type = t.view.getUint16(at + 2, t.little);
    out.set(tag, type === 3 ? t.view.getUint16(at + 8, t.little) : t.view.getUint32(at + 8, t.little));
  }
  return out;
}

const XMP_ORIENTATION = [/(tiff:Orientation=")\d(")/g, /(<tiff:Orientation>)\d(<\/tiff:Orientation>)/g];

/** XMP for the output: orientation reset to 1; without GPS asked for, dropped if it names any. */
export function prepareXmp(xmp: Uint8Array, keepGps: boolean): Uint8Array | null {
  const text = new TextDecoder().decode(xmp);
  if (!keepGps && /GPS/i.test(text)) return null;
  let out = text;
  for (const re of XMP_ORIENTATION) out = out.replace(re, "$11$2");
  return out === text ? xmp : new TextEncoder().encode(out);
}
