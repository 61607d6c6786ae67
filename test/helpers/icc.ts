/**
 * A minimal ICC v2 grey display profile (white point, gamma-2.2 kTRC, description), built by
 * hand because sharp's built-in profiles are all RGB or CMYK.
 */
const s15Fixed16 = (v: number) => Math.round(v * 65536);

function tag(type: string, size: number, fill: (b: Buffer) => void): Buffer {
  const b = Buffer.alloc(size);
  b.write(type, 0, 'latin1');
  fill(b);
  return b;
}

export function greyIccProfile(): Buffer {
  const d50 = (b: Buffer, off: number) => [0.9642, 1, 0.8249].forEach((v, i) => b.writeInt32BE(s15Fixed16(v), off + 4 * i));
  const tags: [string, Buffer][] = [
    ['desc', tag('desc', 12 + 5 + 79, (b) => b.writeUInt32BE(5, 8) + b.write('Grey', 12, 'latin1'))],
    ['wtpt', tag('XYZ ', 20, (b) => d50(b, 8))],
    ['kTRC', tag('curv', 14, (b) => b.writeUInt32BE(1, 8) + b.writeUInt16BE(Math.round(2.2 * 256), 12))],
    ['cprt', tag('text', 16, (b) => b.write('none', 8, 'latin1'))],
  ];
  const table = Buffer.alloc(4 + 12 * tags.length);
  table.writeUInt32BE(tags.length, 0);
  const body: Buffer[] = [];
  let off = 128 + table.length;
  tags.forEach(([sig, data], i) => {
    table.write(sig, 4 + 12 * i, 'latin1');
    table.writeUInt32BE(off, 8 + 12 * i);
    table.writeUInt32BE(data.length, 12 + 12 * i);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    body.push(padded);
    off += padded.length;
  });
  const header = Buffer.alloc(128);
  header.writeUInt32BE(off, 0);
  header.writeUInt32BE(0x02100000, 8); // version 2.1
  header.write('mntrGRAYXYZ ', 12, 'latin1');
  header.write('acsp', 36, 'latin1');
  d50(header, 68);
  return Buffer.concat([header, table, ...body]);
}
